"""Where a result is written: one frozen dataclass that every report format reads.

A source is read as a sequence of lines (its *reading*); ``LineMap`` turns a reading line back
into the file's: the identity for Markdown and LaTeX, and for a notebook the cell and the line
within it (its Markdown cells are read one after the other, so that definitions carry over).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    file: str
    #: 1-based; for a notebook, within the cell
    line: int
    column: int
    end_line: int
    #: the notebook cell, 1-based over all cells as a reader counts them (None outside notebooks)
    cell: int | None = None

    def __str__(self) -> str:
        """``notes.md:12`` or ``notes.ipynb:cell 3:2``, as compilers and ruff print them."""
        return f"{self.file}:cell {self.cell}:{self.line}" if self.cell is not None else f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Block:
    """Reading lines from ``start`` on are lines ``first``, ``first + 1``, … of ``cell``."""

    start: int
    cell: int | None
    first: int = 1


@dataclass(frozen=True)
class LineMap:
    #: sorted by ``start``; the first starts at line 1
    blocks: tuple[Block, ...] = (Block(1, None),)

    def locate(self, file: str, line: int, column: int, end_line: int) -> Location:
        starts = [b.start for b in self.blocks]
        block = self.blocks[max(0, bisect_right(starts, line) - 1)]
        shift = block.first - block.start
        # a result never spans two cells: its end is cut at the cell's last line
        after = bisect_right(starts, line)
        last = self.blocks[after].start - 1 if after < len(self.blocks) else end_line
        return Location(file, line + shift, column, max(line, min(end_line, last)) + shift, block.cell)

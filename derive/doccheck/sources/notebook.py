"""A Jupyter notebook, read with nbformat: its Markdown cells, in order; code cells and outputs are
skipped.

Each Markdown cell is read as a Markdown document of its own (an unclosed ``$$`` stays in its
cell), and the cells' items follow one another, so that what one cell defines holds in the next.
The reading's line map turns a line back into the cell (1-based over all cells, as a reader counts
them) and the line within it.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import replace

import nbformat

from derive.doccheck.sources import Reading
from derive.doccheck.sources.items import Item, Math
from derive.doccheck.sources.location import Block, LineMap
from derive.doccheck.sources.markdown import extract
from derive.exceptions import UnreadableError

#: the version nbformat converts every notebook to before its cells are read
AS_VERSION = 4


class NotebookError(UnreadableError):
    """A file that is not a notebook nbformat can read: not JSON, or not valid against its schema."""


def read(text: str, file: str) -> Reading:
    notebook = _notebook(text, file)
    items: list[Item] = []
    blocks: list[Block] = []
    start = 1
    for index, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "markdown":
            continue
        source = cell.source
        blocks.append(Block(start, index))
        items.extend(_shifted(item, start - 1) for item in extract(source))
        # one line more than the cell has, so that a cell that ends without a newline stays its own
        start += source.count("\n") + 2
    return Reading(tuple(items), LineMap(tuple(blocks) or (Block(1, None),)))


def _notebook(text: str, file: str) -> nbformat.NotebookNode:
    try:
        with warnings.catch_warnings():
            # nbformat warns of what it repairs itself (missing cell ids); that is not the author's error
            warnings.simplefilter("ignore")
            notebook = nbformat.reader.reads(text)
            notebook = nbformat.convert(notebook, AS_VERSION)
            nbformat.validate(notebook)
    except nbformat.reader.NotJSONError as error:
        cause = error.__cause__
        if isinstance(cause, json.JSONDecodeError):
            message = f"not a notebook: the JSON is malformed: {cause.msg}"
            raise NotebookError(message, cause.lineno, cause.colno) from None
        raise NotebookError(f"not a notebook: {error}") from None
    except nbformat.ValidationError as error:
        path = list(error.absolute_path)
        cell = path[1] + 1 if len(path) > 1 and path[0] == "cells" else None
        raise NotebookError(f"not a valid notebook: {_first_line(error.message)}", cell=cell) from None
    except (nbformat.NBFormatError, ValueError, KeyError, TypeError, AttributeError) as error:
        # an nbformat version it does not know, or a structure its conversion cannot follow
        raise NotebookError(f"not a notebook nbformat can read: {_first_line(str(error))}") from None
    return notebook


def _first_line(message: str, width: int = 200) -> str:
    line = message.strip().splitlines()[0] if message.strip() else "(no reason given)"
    return line if len(line) <= width else line[: width - 1] + "…"


def _shifted(item: Item, lines: int) -> Item:
    """An item of one cell, with its lines counted in the notebook's reading."""
    if isinstance(item, Math):
        return replace(item, line=item.line + lines, end_line=item.end_line + lines)
    return replace(item, line=item.line + lines)

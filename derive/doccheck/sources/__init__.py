"""The sources check-doc reads, one module each, all yielding the same items (``items``), chosen
by the file's suffix through ``READERS``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

from derive.doccheck.sources.items import Item
from derive.doccheck.sources.location import LineMap, Location
from derive.exceptions import UnreadableError


class UnsupportedFormatError(UnreadableError):
    """A file whose suffix names no source check-doc reads."""


@dataclass(frozen=True)
class Reading:
    """A source read: its items in order, and how their lines map back into the file."""

    items: tuple[Item, ...]
    lines: LineMap = field(default_factory=LineMap)

    def locate(self, file: str, line: int, column: int, end_line: int) -> Location:
        return self.lines.locate(file, line, column, end_line)


def _markdown(text: str, file: str) -> Reading:
    from derive.doccheck.sources.markdown import extract

    return Reading(tuple(extract(text)))


def _notebook(text: str, file: str) -> Reading:
    from derive.doccheck.sources.notebook import read

    return read(text, file)


def _tex(text: str, file: str) -> Reading:
    from derive.doccheck.sources.tex import read

    return read(text, file)


#: suffix -> reader of the file's text (the file's name is for located errors)
READERS: dict[str, Callable[[str, str], Reading]] = {
    ".md": _markdown,
    ".markdown": _markdown,
    ".ipynb": _notebook,
    ".tex": _tex,
}


def read(text: str, file: str) -> Reading:
    suffix = PurePath(file).suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise UnsupportedFormatError(f"check-doc reads {known} files, not {suffix or 'files without a suffix'}")
    return reader(text, file)

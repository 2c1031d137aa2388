"""Where a result is: a reading's line back into the file, or into a notebook's cell."""

from __future__ import annotations

import pytest

from derive.doccheck.sources.location import Block, LineMap, Location

#: cell 2 holds reading lines 1-3, cell 5 lines 4 on
CELLS = LineMap((Block(1, 2), Block(4, 5)))


@pytest.mark.parametrize(
    ("lines", "at", "expected"),
    [
        pytest.param(LineMap(), (7, 3, 9), Location("f.md", 7, 3, 9), id="a-file-is-its-own-reading"),
        pytest.param(CELLS, (1, 1, 1), Location("f.ipynb", 1, 1, 1, 2), id="first-cell"),
        pytest.param(CELLS, (5, 2, 6), Location("f.ipynb", 2, 2, 3, 5), id="later-cell"),
        pytest.param(CELLS, (2, 1, 5), Location("f.ipynb", 2, 1, 3, 2), id="end-cut-at-the-cell"),
    ],
)
def test_a_reading_line_is_located_in_the_file(lines: LineMap, at: tuple[int, int, int], expected: Location) -> None:
    file = "f.ipynb" if lines is CELLS else "f.md"
    assert lines.locate(file, *at) == expected


@pytest.mark.parametrize(
    ("location", "text"),
    [
        pytest.param(Location("notes.md", 12, 3, 12), "notes.md:12", id="file"),
        pytest.param(Location("nb.ipynb", 2, 1, 2, 4), "nb.ipynb:cell 4:2", id="notebook"),
    ],
)
def test_a_location_prints_as_compilers_print_it(location: Location, text: str) -> None:
    assert str(location) == text

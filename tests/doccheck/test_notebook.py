"""Reading a Jupyter notebook with nbformat: its Markdown cells in order, code and outputs skipped,
each item at its cell and line."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

from derive.doccheck.check import check_source
from derive.doccheck.sources.items import Malformed, Math
from derive.doccheck.sources.notebook import read
from derive.model import CheckConfig
from derive.notation import DDPM


def notebook(*cells: nbformat.NotebookNode) -> str:
    for k, cell in enumerate(cells):
        cell["id"] = f"c{k}"
    return str(nbformat.writes(new_notebook(cells=list(cells))))


def located(text: str) -> list[tuple[str, int | None, int]]:
    reading = read(text, "nb.ipynb")
    found = []
    for item in reading.items:
        if isinstance(item, Math | Malformed):
            at = reading.locate("nb.ipynb", item.line, item.column, item.line)
            found.append((item.text.strip(), at.cell, at.line))
    return found


def test_only_markdown_cells_are_read() -> None:
    text = notebook(
        new_markdown_cell("$$a = b$$"),
        new_code_cell("x = 1  # $c = d$", outputs=[new_output("stream", text="$e = f$\n")]),
        new_raw_cell("$$g = h$$"),
        new_code_cell("y", outputs=[new_output("display_data", data={"text/markdown": "$$i = j$$"})]),
        new_markdown_cell("text\n\n$$\nk = l\n$$"),
    )
    assert located(text) == [("a = b", 1, 1), ("k = l", 5, 3)]


def test_an_unclosed_dollar_stays_in_its_cell() -> None:
    text = notebook(new_markdown_cell("$$\na = b"), new_markdown_cell("$$c = d$$"))
    assert located(text)[-1] == ("c = d", 2, 1)


def test_a_cell_that_ends_without_a_newline_keeps_its_last_line() -> None:
    text = notebook(new_markdown_cell("one\n$x = y$"), new_markdown_cell("$u = v$"))
    assert located(text) == [("x = y", 1, 2), ("u = v", 2, 1)]


def test_a_notebook_without_markdown_reads_nothing() -> None:
    assert read(notebook(new_code_cell("1 + 1")), "nb.ipynb").items == ()


@pytest.mark.parametrize(
    ("cells", "verdicts"),
    [
        pytest.param(
            ["$$\\alpha_t = 1 - \\beta_t$$", "$$\\beta_t = 1 - \\alpha_t$$"],
            [("definition", 1), ("proved", 2)],
            id="definition-carries-to-the-next-cell",
        ),
        pytest.param(
            ["$$\\alpha_t = 1 - \\beta_t$$", "$$\\beta_t = \\alpha_t$$"],
            [("definition", 1), ("refuted", 2)],
            id="refuted-in-its-cell",
        ),
    ],
)
def test_definitions_carry_over_from_cell_to_cell(cells: list[str], verdicts: list[tuple[str, int]]) -> None:
    text = notebook(*(new_markdown_cell(cell) for cell in cells))
    report = check_source(text, "nb.ipynb", DDPM, CheckConfig(jobs=1))
    assert [(r.verdict, r.location.cell) for r in report.results] == verdicts

"""check-doc end to end on one derivation written in every format it reads: Markdown (plain, with its
math escaped for Hugo, and in kramdown's double dollars), a Jupyter notebook and a LaTeX article
with macros. Each gets the same verdicts at the matching locations, and a planted mistake is the
only refutation, at its line (and cell)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from derive import cli
from derive.doccheck.check import FileReport, Result, check_file, check_source
from derive.doccheck.sources.location import Location
from derive.model import CheckConfig
from derive.notation import DDPM

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
CONFIG = CheckConfig(jobs=1)

#: the verdicts of the derivation, in order, with where each is written in each format:
#: (verdict, statement, Markdown line, notebook (cell, line), LaTeX line)
EXPECTED = [
    ("definition", r"\alpha_t = 1 - \beta_t", 6, (1, 6), 13),
    ("definition", r"\beta_t \in (0,1)", 6, (1, 6), 13),
    ("definition", r"\bar{\alpha}_t = \prod_{i=1}^t \alpha_i", 12, (3, 4), 17),
    ("proved", r"\bar{\alpha}_t = \alpha_t \bar{\alpha}_{t-1}", 15, (3, 7), 19),
    # β̃_t has the notation's canonical value (the posterior's variance): a first line about it is a claim
    ("proved", r"\tilde{\beta}_t = \frac{1}{…}", 20, (5, 4), 23),
    ("proved", r"\tilde{\beta}_t &= \frac{\beta_t (1 - \bar{\alpha}_{t-1})}{…}", 26, (6, 4), 28),
    ("proved", r"&= \frac{1 - \bar{\alpha}_{t-1}}{1 - \bar{\alpha}_t} \beta_t", 27, (6, 5), 29),
    ("proved", r"\frac{\tilde{\beta}_t}{\beta_t} = …", 31, (6, 9), 33),
]
#: the planted mistake: the indices of ᾱ swapped in the last row of the align
PLANTED = 6


def check(name: str) -> FileReport:
    return check_file(FIXTURES / name, config=CONFIG)


def places(report: FileReport) -> list[tuple[str, object]]:
    return [(r.verdict, (r.location.cell, r.line) if r.location.cell is not None else r.line) for r in report.results]


def expected(column: int, planted: bool = False) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = [(row[0], row[column]) for row in EXPECTED]
    if planted:
        rows[PLANTED] = ("refuted", rows[PLANTED][1])
    return rows


FORMATS = [
    pytest.param("posterior_variance.md", 2, id="markdown"),
    pytest.param("posterior_variance.ipynb", 3, id="notebook"),
    pytest.param("posterior_variance.tex", 4, id="latex-with-macros"),
]


@pytest.mark.parametrize(("name", "column"), FORMATS)
def test_every_format_gets_the_same_verdicts_at_the_matching_locations(name: str, column: int) -> None:
    assert places(check(name)) == expected(column)


@pytest.mark.parametrize(("name", "column"), FORMATS)
def test_a_planted_mistake_is_the_only_refutation_at_its_line(name: str, column: int) -> None:
    planted = name.replace(".", "_indices_swapped.")
    assert places(check(planted)) == expected(column, planted=True)


def test_the_planted_line_of_the_article_uses_its_macros() -> None:
    line = (FIXTURES / "posterior_variance_indices_swapped.tex").read_text(encoding="utf-8").splitlines()[28]
    assert line == r"&= \frac{1 - \ab{t}}{1 - \ab{t-1}} \beta_t \tag{V}"
    (refuted,) = [r for r in check("posterior_variance_indices_swapped.tex").results if r.verdict == "refuted"]
    assert refuted.latex == r"= \frac{1 - \bar{\alpha}_{t}}{1 - \bar{\alpha}_{t-1}} \beta_t"


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        pytest.param("posterior_variance_hugo_escaped.md", [9, 9, 15, 18, 23, 30, 31, 36], id="hugo-escaped"),
        pytest.param("posterior_variance_kramdown.md", [8, 8, 14, 17, 22, 29, 30, 35], id="kramdown-double-dollars"),
    ],
)
def test_markdown_flavours_read_as_the_plain_markdown(name: str, lines: list[int]) -> None:
    report = check(name)
    assert [r.verdict for r in report.results] == [row[0] for row in EXPECTED]
    assert [r.line for r in report.results] == lines
    plain = check("posterior_variance.md")
    assert [r.latex for r in report.results] == [r.latex for r in plain.results]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        pytest.param("posterior_variance.md", 0, id="markdown-correct"),
        pytest.param("posterior_variance.ipynb", 0, id="notebook-correct"),
        pytest.param("posterior_variance.tex", 0, id="latex-correct"),
        pytest.param("posterior_variance_indices_swapped.md", 1, id="markdown-planted"),
        pytest.param("posterior_variance_indices_swapped.ipynb", 1, id="notebook-planted"),
        pytest.param("posterior_variance_indices_swapped.tex", 1, id="latex-planted"),
    ],
)
def test_check_doc_exits_by_what_it_found(capsys: pytest.CaptureFixture[str], name: str, code: int) -> None:
    assert cli.main(["check-doc", "--jobs", "1", str(FIXTURES / name)]) == code
    capsys.readouterr()


def test_the_text_report_names_the_cell_of_a_notebook(capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "posterior_variance_indices_swapped.ipynb"
    cli.main(["check-doc", "--jobs", "1", str(path)])
    (refuted,) = [line for line in capsys.readouterr().out.splitlines() if ": refuted: " in line]
    assert refuted.startswith(f"{path}:cell 6:5: refuted: = \\frac{{1 - \\bar{{\\alpha}}_t}}")


def test_the_json_report_puts_the_cell_beside_the_line(capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "posterior_variance_indices_swapped.ipynb"
    cli.main(["check-doc", "--jobs", "1", "--format", "json", str(path)])
    (entry,) = json.loads(capsys.readouterr().out)["files"]
    (refuted,) = [r for r in entry["results"] if r["verdict"] == "refuted"]
    assert (refuted["cell"], refuted["line"], refuted["column"], refuted["end_line"]) == (6, 5, 2, 5)


@pytest.mark.parametrize(
    ("text", "location", "message"),
    [
        pytest.param(
            '{"cells": [',
            Location("broken.ipynb", 1, 12, 1),
            "not a notebook: the JSON is malformed: Expecting value",
            id="not-json",
        ),
        pytest.param(
            '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, '
            '"cells": [{"cell_type": "markdown", "metadata": {}}]}',
            Location("broken.ipynb", 1, 1, 1, cell=1),
            "not a valid notebook: 'source' is a required property",
            id="cell-without-source",
        ),
        pytest.param(
            '{"nbformat": 99, "nbformat_minor": 0, "metadata": {}, "cells": []}',
            Location("broken.ipynb", 1, 1, 1),
            "not a notebook nbformat can read: Unsupported nbformat version 99",
            id="unknown-version",
        ),
    ],
)
def test_an_invalid_notebook_is_one_located_error(text: str, location: Location, message: str) -> None:
    assert check_source(text, "broken.ipynb", DDPM, CONFIG) == FileReport(
        "broken.ipynb", (Result(location, "", "error", message),), read=False
    )


def test_check_doc_reports_an_invalid_notebook_and_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "broken.ipynb"
    path.write_text('{"cells": [', encoding="utf-8")
    assert cli.main(["check-doc", str(path)]) == 2
    assert capsys.readouterr() == (
        f"{path}:1:12: error:   [not a notebook: the JSON is malformed: Expecting value]\n"
        f"{path}: read 0 of 1 formulas; 0 claims: 0 proved, 0 refuted, 0 not decided\n",
        "",
    )


def test_a_file_of_another_kind_is_refused_by_name(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "notes.rst"
    path.write_text("a = b\n", encoding="utf-8")
    assert cli.main(["check-doc", str(path)]) == 2
    assert capsys.readouterr().out.splitlines()[0] == (
        f"{path}:1:1: error:   [check-doc reads .ipynb, .markdown, .md, .tex files, not .rst]"
    )

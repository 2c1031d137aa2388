"""The examples in our own words (examples/): each checks clean, and its version with one planted mistake
is refuted at the line of the mistake, and nowhere before it."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive.doccheck.check import FileReport, check_file
from derive.model import CheckConfig

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NAMES = sorted(p.stem for p in EXAMPLES.glob("*.md") if not p.stem.endswith(".mistake"))
#: one worker: the examples are short, and forking costs more than it saves
CONFIG = CheckConfig(jobs=1)


def check(name: str) -> FileReport:
    return check_file(EXAMPLES / f"{name}.md", config=CONFIG)


def planted(name: str) -> int:
    """The line where the mistaken version differs from the correct one."""
    correct = (EXAMPLES / f"{name}.md").read_text(encoding="utf-8").splitlines()
    wrong = (EXAMPLES / f"{name}.mistake.md").read_text(encoding="utf-8").splitlines()
    (line,) = [k for k, (a, b) in enumerate(zip(correct, wrong, strict=True), start=1) if a != b]
    return line


def test_the_five_examples_are_there() -> None:
    assert NAMES == [
        "adam_bias_correction",
        "arithmetic_series",
        "bayesian_linear_regression",
        "ddim_update",
        "logistic_derivative",
    ]


@pytest.mark.parametrize("name", NAMES)
def test_an_example_checks_clean(name: str) -> None:
    report = check(name)
    assert [
        (r.line, r.verdict, r.message) for r in report.results if r.verdict in ("refuted", "error", "undecided")
    ] == []
    assert report.count("proved") > 0


@pytest.mark.parametrize("name", NAMES)
def test_a_planted_mistake_is_refuted_at_its_line(name: str) -> None:
    report = check_file(EXAMPLES / f"{name}.mistake.md", config=CONFIG)
    refuted = [r.line for r in report.results if r.verdict == "refuted"]
    assert refuted[:1] == [planted(name)]
    assert [r for r in report.results if r.verdict == "error"] == []


@pytest.mark.parametrize(
    ("name", "notation"),
    [
        pytest.param("adam_bias_correction", "no notation: every letter a real variable", id="adam"),
        pytest.param("arithmetic_series", "no notation: every letter a real variable", id="series"),
        pytest.param(
            "ddim_update",
            r"the notation ddpm: the document writes \alpha_t, \bar{\alpha}_t, \bar{\alpha}_{t-1}, x_0, x_t, x_{t-1}",
            id="ddim",
        ),
    ],
)
def test_each_example_is_read_in_the_notation_its_symbols_show(name: str, notation: str) -> None:
    assert check(name).notation == notation

"""Positions: every token, statement and error is located in the document, in absolute lines and columns."""

from __future__ import annotations

import pytest

from derive.doccheck.latex import parse_math
from derive.exceptions import ParseError
from derive.notation import DDPM
from tests.doccheck.latex.support import (
    alpha_t,
    beta_t,
    case,
    rows,
    statement,
)


def test_an_unknown_macro_is_reported_where_it_is() -> None:
    with pytest.raises(ParseError) as caught:
        parse_math("a = b\n  + \\foo{x}", DDPM, file="doc.md", line=10, column=3)
    error = caught.value
    assert (error.file, error.line, error.column, error.text, error.message) == (
        "doc.md",
        11,
        5,
        r"\foo",
        "unknown macro",
    )
    assert str(error) == r"doc.md:11:5: unknown macro: '\\foo'"


def test_the_first_line_is_offset_by_the_column() -> None:
    with pytest.raises(ParseError) as caught:
        parse_math(r"a + \foo", DDPM, line=3, column=5)
    assert (caught.value.line, caught.value.column) == (3, 9)


def test_columns_count_from_where_the_text_starts() -> None:
    found = statement(r"a = b").column
    assert found == 1
    (row,) = rows("a = b, c = d", line=7, column=3)
    assert [(s.line, s.column) for s in row.statements] == [(7, 3), (7, 10)]


def test_separated_statements_keep_their_own_text_and_column() -> None:
    (row,) = rows(r"\beta_t \in (0,1), \quad \alpha_t = 1 - \beta_t", line=15)
    first, second = row.statements
    assert (first.text, first.line, first.column) == (r"\beta_t \in (0,1)", 15, 1)
    assert (second.text, second.line, second.column) == (r"\alpha_t = 1 - \beta_t", 15, 26)
    assert second.items == (alpha_t, 1 - beta_t)


def test_statement_text_includes_colour_around_it() -> None:
    assert statement(r"x = \textcolor{blue}{y}").text == r"x = \textcolor{blue}{y}"
    assert statement(r"\color{red}{(a + b}c)").text == r"\color{red}{(a + b}c)"


ERRORS = [
    case(r"\frac{a}{b", "unbalanced braces"),
    case(r"a}", "unbalanced braces"),
]


@pytest.mark.parametrize(("text", "match"), ERRORS)
def test_braces_must_balance(text: str, match: str) -> None:
    with pytest.raises(ParseError, match=match):
        rows(text)

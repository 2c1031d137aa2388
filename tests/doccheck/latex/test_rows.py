"""Rows: environments, row breaks, alignment, tags, and what separates the statements of a row."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.doccheck.latex.lexer import Lexer
from derive.exceptions import ParseError
from derive.notation import DDPM
from derive.objects import Gaussian, Norm
from tests.doccheck.latex.support import (
    A,
    B,
    C,
    D,
    a,
    b,
    c,
    case,
    d,
    mu,
    rows,
    sigma,
    token_types,
    z,
)

# -- statements in a row -----------------------------------------------------------------------------

SEPARATED = [
    case(r"\beta_t \in (0,1), \quad \alpha_t = 1 - \beta_t", [("in",), ("=",)]),
    case(r"a = b, c = d", [("=",), ("=",)]),
    case(r"a = b \quad c = d", [("=",), ("=",)]),
    case(r"a = b \qquad c = d", [("=",), ("=",)]),
    case(r"a = b \text{ where } c = d", [("=",), ("=",)]),
    case(r"a = b, \text{and} \; c = d", [("=",), ("=",)]),
    case(r"a = b \text{ for } t \geq 2", [("=",), ("ge",)]),
    case(r"a = b,", [("=",)], "a trailing comma"),
    case(r"a = b.", [("=",)], "a trailing period"),
    case(r"a = b \quad \text{(Bayes' rule)}", [("=",)], "a comment at the end"),
    case(r"a = f(b, c)", [("=",)], "a comma inside brackets does not separate"),
    case(r"a = b \quad + c", [("=",)], "a quad before + is a space"),
]


@pytest.mark.parametrize(("text", "relations"), SEPARATED)
def test_separators(text: str, relations: list[tuple[str, ...]]) -> None:
    (row,) = rows(text)
    assert [s.relations for s in row.statements] == relations


# -- rows, environments, tags, positions ------------------------------------------------------------


def test_aligned_rows_continue_the_chain() -> None:
    text = "\\begin{aligned}\nA &= B \\\\\n  &= C \\\\\n  &\\propto D\n\\end{aligned}"
    first, second, third = rows(text, line=40)
    assert (first.line, first.continues, first.statements[0].items) == (41, False, (A, B))
    assert (second.line, second.continues) == (42, True)
    assert second.statements[0].relations == ("=",)
    assert second.statements[0].items == (C,)
    assert second.statements[0].text == "= C"
    assert (second.statements[0].line, second.statements[0].column) == (42, 4)
    assert (third.line, third.statements[0].relations, third.statements[0].items) == (43, ("propto",), (D,))


@pytest.mark.parametrize("environment", ["aligned", "align", "align*", "split"])
def test_aligning_environments(environment: str) -> None:
    found = rows(f"\\begin{{{environment}}} a &= b \\\\ &= c \\end{{{environment}}}")
    assert [r.continues for r in found] == [False, True]


@pytest.mark.parametrize("environment", ["gathered", "gather", "gather*"])
def test_gathering_environments(environment: str) -> None:
    found = rows(f"\\begin{{{environment}}} a = b \\\\ c = d \\end{{{environment}}}")
    assert [r.statements[0].items for r in found] == [(a, b), (c, d)]


@pytest.mark.parametrize("environment", ["equation", "equation*"])
def test_equation(environment: str) -> None:
    (row,) = rows(f"\\begin{{{environment}}} a = b \\end{{{environment}}}")
    assert row.statements[0].items == (a, b)


def test_equation_around_split_with_a_tag() -> None:
    text = r"\begin{equation}\begin{split} a &= b \\ &= c \end{split}\tag{4}\end{equation}"
    first, second = rows(text)
    assert (first.tag, second.tag, second.continues) == (None, "4", True)


def test_ampersands_alternate_alignment_and_columns() -> None:
    (row,) = rows(r"\begin{align*} a &= b & c &= d \end{align*}")
    assert [s.items for s in row.statements] == [(a, b), (c, d)]


def test_a_row_starting_with_an_operator_goes_on_with_the_previous_expression() -> None:
    text = "\\begin{aligned}\nS &= a \\\\\n  &\\quad + b \\\\\n  &= c\n\\end{aligned}"
    first, second = rows(text)
    assert first.statements[0].items == (DDPM["S"], a + b)
    assert first.line == 2
    assert second.continues


def test_spacing_after_a_row_break_is_skipped() -> None:
    _, second = rows(r"\begin{aligned} a &= b \\[2pt] &= c \end{aligned}")
    assert second.statements[0].items == (c,)


def test_aligned_with_a_position_argument() -> None:
    (row,) = rows(r"\begin{aligned}[t] a &= b \end{aligned}")
    assert row.statements[0].items == (a, b)


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        case(r"a = b \tag{71}", ["71"]),
        case(r"a = b \tag*{A.1}", ["A.1"]),
        case(r"\begin{aligned} a &= b && (71) \\ &= c &&(72) \end{aligned}", ["71", "72"]),
        case(r"a = b \qquad (12)", ["12"]),
        case(r"\begin{aligned} a &= b \\ &= c \end{aligned} \tag{9}", [None, "9"]),
        case(r"\begin{aligned} a &= b \tag{1} \\ &= c \end{aligned}", ["1", None]),
    ],
)
def test_tags(text: str, tags: list[str | None]) -> None:
    assert [r.tag for r in rows(text)] == tags


def test_a_block_without_environment_is_one_row_over_several_lines() -> None:
    text = "\\log \\mathcal{N}(z; \\mu, \\sigma^2 I)\n\\propto -\\frac{\\|z - \\mu\\|^2}{2\\sigma^2}"
    (row,) = rows(text, line=35)
    (found,) = row.statements
    assert row.line == found.line == 35
    assert found.relations == ("propto",)
    assert found.items == (sp.log(Gaussian(z, mu, sigma**2)), -(Norm(z - mu) ** 2) / (2 * sigma**2))
    assert found.text == text


TOKENS = [
    case("a := b", ["LETTER", "REL", "LETTER"], "colon-equals"),
    case(r"\text{forward process}: a = b", ["LETTER", "EQ", "LETTER"], "a-label-is-dropped"),
    case(r"2\text{ELBO}", ["NUMBER", "WORD"], "a-word"),
    case(
        r"t = 1, \dots, T",
        ["LETTER", "IN", "LSET", "NUMBER", "COMMA", "DOTS", "COMMA", "LETTER", "RSET"],
        "a-range",
    ),
    case(r"a \text{ that predicts } b", ["LETTER", "SEP", "LETTER"], "words-between-formulas"),
    case(r"a = b \quad (c = d)", ["LETTER", "EQ", "LETTER", "SEP", "LETTER", "EQ", "LETTER"], "an-aside"),
    case(r"a = b (c \sim d)", ["LETTER", "EQ", "LETTER", "SEP", "LETTER", "SIM", "LETTER"], "an-aside-drawn"),
    case(r"a = b \quad (\text{by the trick})", ["LETTER", "EQ", "LETTER", "SEP"], "a-comment-in-brackets"),
    case(
        r"q(x | y = a \sim b)",
        ["LETTER", "LPAR", "LETTER", "GIVEN", "LETTER", "EQ", "LETTER", "SIM", "LETTER", "RPAR"],
        "no-aside-after-a-bar",
    ),
    case(r"\therefore \begin{aligned} a &= b \end{aligned}", ["LETTER", "EQ", "LETTER"], "words-before-an-environment"),
]


@pytest.mark.parametrize(("text", "types"), TOKENS)
def test_tokens(text: str, types: list[str]) -> None:
    assert token_types(text) == types


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("a = b \\\\ c = d", id="rows-broken-without-an-environment"),
        pytest.param("a = b \\\\ \\Downarrow \\\\ c = d", id="a-row-of-an-arrow-alone-is-dropped"),
    ],
)
def test_rows_without_an_environment(text: str) -> None:
    found = Lexer(text, "doc.md", 1, 1).rows()
    assert [[t.type for t in row.tokens] for row in found] == [["LETTER", "EQ", "LETTER"]] * 2


def test_a_block_of_an_arrow_alone_has_no_rows() -> None:
    assert Lexer(r"\Downarrow", "doc.md", 1, 1).rows() == []


ERRORS = [
    case("", "empty math"),
    case("  \n ", "empty math"),
    case(r"\begin{aligned} \end{aligned}", "empty math"),
    case(r"a \\ b & c", "& outside an alignment environment"),
    case("a & b", "outside an alignment environment"),
    case(r"\begin{tabular} x \end{tabular}", "unsupported environment"),
    case(r"\begin{aligned} x \end{align}", "ended by"),
    case(r"\begin{aligned} x", "without"),
    case(r"a = \begin{aligned} x \end{aligned}", "enclose the whole block"),
    case(r"\begin{gathered} a & b \end{gathered}", "& in gathered"),
    case(r"\begin{aligned} a \\[x] b \end{aligned}", "spacing"),
    case(r"\begin{aligned} &+ b \\ c \end{aligned}", "goes on from nothing"),
    case(r"a = b \tag{1} \tag{2}", "more than one tag"),
    case(r"\begin{aligned} a &= b && (1) \tag{2} \end{aligned}", "more than one tag"),
]


@pytest.mark.parametrize(("text", "match"), ERRORS)
def test_refusals(text: str, match: str) -> None:
    with pytest.raises(ParseError, match=match):
        rows(text)

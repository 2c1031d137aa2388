"""The lexer: what is invisible, the roles of | and \\|, rows, environments, tags, separators, positions."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.doccheck.latex import parse_math
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
    alpha,
    alpha_t,
    b,
    beta_t,
    c,
    case,
    d,
    i,
    mu,
    read,
    rows,
    sigma,
    statement,
    t,
    x,
    y,
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


def test_separated_statements_keep_their_own_text_and_column() -> None:
    (row,) = rows(r"\beta_t \in (0,1), \quad \alpha_t = 1 - \beta_t", line=15)
    first, second = row.statements
    assert (first.text, first.line, first.column) == (r"\beta_t \in (0,1)", 15, 1)
    assert (second.text, second.line, second.column) == (r"\alpha_t = 1 - \beta_t", 15, 26)
    assert second.items == (alpha_t, 1 - beta_t)


# -- what is invisible ---------------------------------------------------------------------------------

INVISIBLE = [
    case(r"\color{red}{(a + b}) c", (a + b) * c, "colour braces crossing brackets"),
    case(r"\color{red}{(a + b}c)", a + b * c, "crossing brackets: what is shown is (a + bc)"),
    case(r"{\color{red} a + b} + c", a + b + c),
    case(r"\textcolor{red}{a} b", a * b),
    case(r"\color[rgb]{1,0,0}{a} b", a * b),
    case(r"\underbrace{a + b}_{\text{signal}} + c", a + b + c),
    case(r"\overbrace{a b}^{n} c", a * b * c),
    case(r"\displaystyle \frac{a}{b}", a / b),
    case(r"\textstyle a", a),
    case(r"\sum\limits_{i=1}^{t} \alpha_i", sp.Sum(alpha[i], (i, 1, t))),
    case(r"a \, b \; c \: d \! x ~ y \ z", a * b * c * d * x * y * DDPM.resolve("z")),
    case("a % a comment\n + b", a + b),
    case(r"a \label{eq:a} \nonumber", a),
    case(r"a \notag", a),
]


@pytest.mark.parametrize(("text", "expected"), INVISIBLE)
def test_invisible(text: str, expected: sp.Basic) -> None:
    assert read(text) == expected


def test_statement_text_includes_colour_around_it() -> None:
    assert statement(r"x = \textcolor{blue}{y}").text == r"x = \textcolor{blue}{y}"
    assert statement(r"\color{red}{(a + b}c)").text == r"\color{red}{(a + b}c)"


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


def test_columns_count_from_where_the_text_starts() -> None:
    found = statement(r"a = b").column
    assert found == 1
    (row,) = rows("a = b, c = d", line=7, column=3)
    assert [(s.line, s.column) for s in row.statements] == [(7, 3), (7, 10)]


# -- refusals ------------------------------------------------------------------------------------

ERRORS = [
    case("", "empty math"),
    case("  \n ", "empty math"),
    case(r"\begin{aligned} \end{aligned}", "empty math"),
    case(r"\foo + 1", "unknown macro"),
    case(r"\frac{a}{b", "unbalanced braces"),
    case(r"a}", "unbalanced braces"),
    case("(a + b", "unbalanced brackets"),
    case("a + b)", "unbalanced brackets"),
    case(r"\left( a )", "unbalanced brackets"),
    case(r"\left. x \right|", "invisible delimiter"),
    case(r"q(x|y", "unbalanced brackets"),
    case("9" * 1001, "number too long"),
    case("x^23", "one digit"),
    case("x_10", "one digit"),
    case(r"\frac123", "one digit"),
    case(r"\frac{1}23", "one digit"),
    case(r"a \\ b & c", "& outside an alignment environment"),
    case("a & b", "outside an alignment environment"),
    case(r"\begin{tabular} x \end{tabular}", "unsupported environment"),
    case(r"a = \begin{cases} x", "without"),
    case(r"\begin{aligned} x \end{align}", "ended by"),
    case(r"\begin{aligned} x", "without"),
    case(r"a = \begin{aligned} x \end{aligned}", "enclose the whole block"),
    case(r"\begin{gathered} a & b \end{gathered}", "& in gathered"),
    case(r"\begin{aligned} a \\[x] b \end{aligned}", "spacing"),
    case(r"\begin{aligned} &+ b \\ c \end{aligned}", "goes on from nothing"),
    case(r"a = b \tag{1} \tag{2}", "more than one tag"),
    case(r"\begin{aligned} a &= b && (1) \tag{2} \end{aligned}", "more than one tag"),
    case("x ☃", "unexpected character"),
    case(r"\boxed x", "needs {…}"),
    case(r"\overset{a} =", "expected {…} here"),
    case("(" * 100 + "x" + ")" * 100, "nested too deeply"),
    case(r"\textcolor{red} x", "needs {…}"),
    case("\\", "lone backslash"),
]


@pytest.mark.parametrize(("text", "match"), ERRORS)
def test_refusals(text: str, match: str) -> None:
    with pytest.raises(ParseError, match=match):
        rows(text)


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


# -- the roles of | and \| ------------------------------------------------------------------------------


def token_types(text: str) -> list[str]:
    (row,) = Lexer(text, "doc.md", 1, 1).rows()
    return [tok.type for tok in row.tokens]


BARS = [
    case("|x|", ["ABS_OPEN", "LETTER", "ABS_CLOSE"], "absolute-value"),
    case("q(x|y)", ["LETTER", "LPAR", "LETTER", "GIVEN", "LETTER", "RPAR"], "conditional-bar"),
    case(r"q(x \mid y)", ["LETTER", "LPAR", "LETTER", "GIVEN", "LETTER", "RPAR"], "mid"),
    case(r"(|x|)", ["LPAR", "ABS_OPEN", "LETTER", "ABS_CLOSE", "RPAR"], "a-bar-after-an-opening-opens"),
    case(r"\|x\|", ["NORM_OPEN", "LETTER", "NORM_CLOSE"], "norm"),
    case(r"\left| x \right|", ["ABS_OPEN", "LETTER", "ABS_CLOSE"], "sized-by-left-and-right"),
    case(r"D_{KL}(p \| q)", ["KL", "LPAR", "LETTER", "MIDBAR", "LETTER", "RPAR"], "divergence"),
    case(r"f(p \| q \|)", ["LETTER", "LPAR", "LETTER", "NORM_OPEN", "LETTER", "NORM_CLOSE", "RPAR"], "not-divergence"),
]


@pytest.mark.parametrize(("text", "types"), BARS)
def test_bars_get_their_role_from_what_is_around_them(text: str, types: list[str]) -> None:
    assert token_types(text) == types


# -- what each pass makes of the constructs of other people's documents -------------------------------------

PASSES = [
    case("a \\\nb", ["LETTER", "LETTER"], "a-backslash-before-a-newline-is-a-space"),
    case(r"\left\| x \right\lVert", ["NORM_OPEN", "LETTER", "NORM_CLOSE"], "right-lVert-closes"),
    case("a ... b", ["LETTER", "DOTS", "LETTER"], "three-periods"),
    case("a := b", ["LETTER", "REL", "LETTER"], "colon-equals"),
    case(r"\text{forward process}: a = b", ["LETTER", "EQ", "LETTER"], "a-label-is-dropped"),
    case(r"2\text{ELBO}", ["NUMBER", "WORD"], "a-word"),
    case(r"\mathbb{E}_{q(x)}[x]", ["BB", "ESUB", "LBRACK", "LETTER", "RBRACK"], "expectation-subscript-kept-whole"),
    case(r"\mathbb{E}_q x", ["EOPEN", "ESUB", "LETTER"], "expectation-without-bracket"),
    case(r"E[x]", ["BB", "LBRACK", "LETTER", "RBRACK"], "a-plain-E-before-a-bracket"),
    case(r"E_t x", ["LETTER", "SUB", "LETTER", "LETTER"], "a-plain-E-with-a-subscript-is-a-name"),
    case(r"\int f dx", ["INT", "LETTER", "DIFF", "LETTER"], "differential"),
    case(r"\int x_d \, dx", ["INT", "LETTER", "SUB", "LETTER", "DIFF", "LETTER"], "a-d-in-a-subscript-is-not"),
    case(r"(\int f dx) d y", ["LPAR", "INT", "LETTER", "DIFF", "LETTER", "RPAR", "LETTER", "LETTER"], "scope"),
    case("x'", ["LETTER", "PRIME"], "prime"),
    case(r"x^{\prime}", ["LETTER", "PRIME"], "prime-in-a-superscript"),
    case(r"x^\top", ["LETTER", "TRANSPOSE"], "transpose"),
    case(r"a \overset{\text{def}}{=} b", ["LETTER", "REL", "LETTER"], "a-note-over-equals"),
    case(r"\underset{x}{\min} f", ["OPT", "SUB", "LBRACE", "LETTER", "RBRACE", "LETTER"], "underset-is-a-subscript"),
    case(r"a \xrightarrow{x} b", ["LETTER", "SEP", "LETTER"], "an-arrow-with-a-note-separates"),
    case(r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}", ["OPAQUE"], "a-matrix-is-one-token"),
    case("α − β", ["GREEK", "MINUS", "GREEK"], "unicode"),
    case(r"D_{KL}(p || q)", ["KL", "LPAR", "LETTER", "MIDBAR", "LETTER", "RPAR"], "two-bars-in-a-divergence"),
    case("|x||y|", ["ABS_OPEN", "LETTER", "ABS_CLOSE", "ABS_OPEN", "LETTER", "ABS_CLOSE"], "two-absolute-values"),
    case(
        r"\frac{d}{dx}",
        ["FRAC", "LBRACE", "PARTIAL", "RBRACE", "LBRACE", "PARTIAL", "LETTER", "RBRACE"],
        "d-over-dx-is-a-derivative",
    ),
    case(
        r"t = 1, \dots, T",
        ["LETTER", "IN", "LSET", "NUMBER", "COMMA", "DOTS", "COMMA", "LETTER", "RSET"],
        "a-range",
    ),
    case(r"\therefore a \Rightarrow b", ["SEP", "LETTER", "SEP", "LETTER"], "words-between-statements"),
    case(r"\boxed{a} \cancel{b}", ["LETTER", "LETTER"], "boxes-and-strikes-are-invisible"),
]


@pytest.mark.parametrize(("text", "types"), PASSES)
def test_passes(text: str, types: list[str]) -> None:
    assert token_types(text) == types


def test_the_subscript_of_an_expectation_is_kept_as_written() -> None:
    (row,) = Lexer(r"\mathbb{E}_{x_0,\; \epsilon \text{ (noise)}}[x]", "doc.md", 1, 1).rows()
    assert (row.tokens[1].type, row.tokens[1].value) == ("ESUB", r"x_0,\; \epsilon \text{ (noise)}")


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

"""The passes over tokens: what each construct's tokens become before the grammar."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.doccheck.latex.lexer import Lexer
from derive.exceptions import ParseError
from derive.notation import DDPM
from tests.doccheck.latex.support import (
    a,
    alpha,
    b,
    c,
    case,
    d,
    i,
    read,
    rows,
    t,
    token_types,
    x,
    y,
)

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


# -- the roles of | and \| ------------------------------------------------------------------------------


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


TOKENS = [
    case(r"\left\| x \right\lVert", ["NORM_OPEN", "LETTER", "NORM_CLOSE"], "right-lVert-closes"),
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
    case(r"\underset{x}{\min} f", ["OPT", "SUB", "LABEL", "LETTER"], "underset-is-a-subscript"),
    case(r"a \xrightarrow{x} b", ["LETTER", "SEP", "LETTER"], "an-arrow-with-a-note-separates"),
    case(r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}", ["OPAQUE"], "a-matrix-is-one-token"),
    case(r"D_{KL}(p || q)", ["KL", "LPAR", "LETTER", "MIDBAR", "LETTER", "RPAR"], "two-bars-in-a-divergence"),
    case("|x||y|", ["ABS_OPEN", "LETTER", "ABS_CLOSE", "ABS_OPEN", "LETTER", "ABS_CLOSE"], "two-absolute-values"),
    case(
        r"\frac{d}{dx}",
        ["FRAC", "LBRACE", "PARTIAL", "RBRACE", "LBRACE", "PARTIAL", "LETTER", "RBRACE"],
        "d-over-dx-is-a-derivative",
    ),
    case(r"\boxed{a} \cancel{b}", ["LETTER", "LETTER"], "boxes-and-strikes-are-invisible"),
    case(r"L_{VLB}", ["LETTER", "SUB", "LABEL"], "a-subscript-that-is-no-index-is-a-label"),
    case(r"x_{t-1}", ["LETTER", "SUB", "LBRACE", "LETTER", "MINUS", "NUMBER", "RBRACE"], "an-index-is-not"),
    case(r"\sum_{t > 1} a", ["BIGOP", "SUB", "LABEL", "LETTER"], "a-sum-over-a-condition"),
    case(r"\int f\, dx\, dz", ["INT", "LETTER", "DIFFS"], "several-differentials"),
    case(r"\sqrt{\alpha}_t", ["SQRT", "LBRACE", "GREEK", "SUB", "LETTER", "RBRACE"], "a-root-takes-the-subscript"),
    case(r"N(x; m, v)", ["CAL_N", "LPAR", "LETTER", "SEMI", "LETTER", "COMMA", "LETTER", "RPAR"], "plain-N"),
    case(r"N(x)", ["LETTER", "LPAR", "LETTER", "RPAR"], "plain-N-without-semicolon-is-a-name"),
    case(r"a \overset{q}{\rightarrow} b", ["LETTER", "SEP", "LETTER"], "an-arrow-with-a-note"),
    case(r"a \xrightarrow[t \to \infty]{} b", ["LETTER", "SEP", "LETTER"], "an-arrow-with-a-note-below"),
    case("x''", ["LETTER", "PRIME"], "two-primes-one-mark"),
    case(r"\min L", ["OPTOPEN", "LETTER"], "an-optimum-without-subscript"),
    case(r"\min(a, b)", ["OPT", "LPAR", "LETTER", "COMMA", "LETTER", "RPAR"], "an-extremum"),
]


@pytest.mark.parametrize(("text", "types"), TOKENS)
def test_tokens(text: str, types: list[str]) -> None:
    assert token_types(text) == types


def test_the_subscript_of_an_expectation_is_kept_as_written() -> None:
    (row,) = Lexer(r"\mathbb{E}_{x_0,\; \epsilon \text{ (noise)}}[x]", "doc.md", 1, 1).rows()
    assert (row.tokens[1].type, row.tokens[1].value) == ("ESUB", r"x_0,\; \epsilon \text{ (noise)}")


ERRORS = [
    case("(a + b", "unbalanced brackets"),
    case("a + b)", "unbalanced brackets"),
    case(r"\left( a )", "unbalanced brackets"),
    case(r"\left. x \right|", "invisible delimiter"),
    case(r"q(x|y", "unbalanced brackets"),
    case("x^23", "one digit"),
    case("x_10", "one digit"),
    case(r"\frac123", "one digit"),
    case(r"\frac{1}23", "one digit"),
    case(r"a = \begin{cases} x", "without"),
    case(r"\boxed x", "needs {…}"),
    case(r"\overset{a} =", "expected {…} here"),
    case("(" * 100 + "x" + ")" * 100, "nested too deeply"),
    case(r"\textcolor{red} x", "needs {…}"),
]


@pytest.mark.parametrize(("text", "match"), ERRORS)
def test_refusals(text: str, match: str) -> None:
    with pytest.raises(ParseError, match=match):
        rows(text)

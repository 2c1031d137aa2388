"""What the tests of the LaTeX reader share: the notation's symbols and short ways to parse."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.doccheck.latex import Row, Statement, parse_math
from derive.doccheck.latex.lexer import Lexer
from derive.exceptions import ParseError
from derive.notation import DDPM

t, i = DDPM["t"], DDPM["i"]
x_t, x_tm1, x_0 = DDPM["x_t"], DDPM["x_tm1"], DDPM["x_0"]
alpha, alpha_t, beta_t = DDPM["alpha"], DDPM["alpha_t"], DDPM["beta_t"]
abar_t, abar_tm1 = DDPM["abar_t"], DDPM["abar_tm1"]
mu_tilde, sigma_tilde = DDPM["mu_tilde"], DDPM["sigma_tilde"]
z, mu, sigma, q = DDPM["z"], DDPM["mu"], DDPM["sigma"], DDPM["q"]
A, B, C = DDPM["A"], DDPM["B"], DDPM["C"]
a, b, c, d, x, y, D = (DDPM.resolve(n) for n in "abcdxyD")
j, T = sp.Symbol("j", integer=True), sp.Symbol("T", integer=True)
IDENTITY = DDPM["I"]


def rows(text: str, **where: int) -> tuple[Row, ...]:
    return parse_math(text, DDPM, file="doc.md", **where)


def statement(text: str) -> Statement:
    (row,) = rows(text)
    (only,) = row.statements
    return only


def read(text: str) -> sp.Basic:
    """The one expression a block holds."""
    found = statement(text)
    assert found.relations == ()
    (item,) = found.items
    return item


def token_types(text: str) -> list[str]:
    """The types of the tokens the lexer hands the grammar for a one-row block."""
    (row,) = Lexer(text, "doc.md", 1, 1).rows()
    return [tok.type for tok in row.tokens]


def case(text: str, expected: object, name: str | None = None) -> object:
    return pytest.param(text, expected, id=name or text)


def refused(text: str, match: str, column: int, offending: str) -> None:
    """Parsing ``text`` (at line 7 of doc.md) fails with ``match``, at ``column``, naming ``offending``."""
    with pytest.raises(ParseError, match=match) as caught:
        parse_math(text, DDPM, file="doc.md", line=7)
    error = caught.value
    assert (error.file, error.line, error.column, error.text) == ("doc.md", 7, column, offending)

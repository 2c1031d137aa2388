"""The grammar: what it expects where, and the words of its errors."""

from __future__ import annotations

import pickle
import tempfile
from pathlib import Path

import pytest
from lark import Lark

from derive.doccheck.latex import grammar, parse_math
from derive.exceptions import ParseError
from derive.notation import DDPM
from tests.doccheck.latex.support import case, refused, rows

# -- refusals ------------------------------------------------------------------------------------

ERRORS = [
    case(r"\left( a \right] b", "unexpected"),
    case("(a|b)", "conditional bar outside a density"),
    case(r"\mathcal{N} x", "without"),
    case(r"\log 2\pi\sigma^2", "unbracketed argument of \\\\log"),
    case(r"\log x y", "unbracketed argument"),
    case(r"\log(x)^2", "unexpected"),
    case("a/b c", "a/b c"),
    case(r"(\text{hello world} + x)", "text inside an expression"),
    case(r"\sum x_i", "needs its limits"),
    case(r"x \in y", "unexpected"),
    case(r"\mathbb{R}", "outside a set"),
    case(r"x \to 0", "outside"),
    case(r"\lim x", "needs its limits"),
    case(r"\int x", "an integral needs its differential"),
    case(r"\int_0^1 x + 1", "an integral needs its differential"),
    case(r"\max_{\theta}", "ends too early"),
    case(r"\langle a \rangle", "unexpected"),
    case(r"a \overset{x}{+} b", "over something other than a relation"),
    case("a^{b}^{c}", "unexpected"),
    case(r"\sqrt\sqrt x", "unexpected"),
    case("a = ", "ends too early"),
    case("a == b", "unexpected"),
]


@pytest.mark.parametrize(("text", "match"), ERRORS)
def test_refusals(text: str, match: str) -> None:
    with pytest.raises(ParseError, match=match):
        rows(text)


EXPECTATION_FORM = r"an expectation needs its distribution: \\mathbb\{E\}_\{x \\sim \\mathcal\{N\}"
#: (text, message, column, the text the error names)
LOCATED = [
    pytest.param(r"\mathbb{E}", "ends too early", 1, r"\mathbb{E}", id="expectation-alone"),
    pytest.param(
        r"\mathbb{E}_{x \sim \mathcal{N}(x; m, v I)}[x]",
        EXPECTATION_FORM,
        1,
        r"\mathbb{E}_{x \sim \mathcal{N}(x;",
        id="expectation-over-a-density",
    ),
    pytest.param(
        r"\mathbb{E}_{x \sim \mathcal{N}(m, v)}[a + + b]", "unexpected", 43, "+", id="error-inside-an-expectation"
    ),
    pytest.param(
        r"\mathbb{E}_{x^2 \sim \mathcal{N}(0, 1)}[x]", EXPECTATION_FORM, 1, r"\mathbb{E}_{x^", id="variable-a-power"
    ),
    pytest.param(r"\nabla x", r"\\nabla needs its variable", 1, r"\nabla x", id="gradient-without-variable"),
    pytest.param(r"\nabla_{2} x", "unexpected", 9, "2", id="gradient-in-a-number"),
    pytest.param(r"\partial x", r"\\partial outside", 1, r"\partial", id="partial-alone"),
    pytest.param(r"\frac{\partial}{x} y", "unexpected", 17, "x", id="partial-over-no-partial"),
    pytest.param(r"\frac{\partial^2 f}{\partial x^2}", "unexpected", 15, "^", id="second-partial"),
    pytest.param(r"f\left(a \middle\| b\right)", "belongs in a divergence", 10, r"\middle\|", id="middle-outside"),
    pytest.param(r"D_{\mathrm{KLX}}(q(x|y) \middle\| q(y))", "belongs in a divergence", 25, r"\middle\|", id="not-KL"),
    pytest.param(r"\mathrm{KL}(q(x|y), q(y))", "unexpected", 19, ",", id="divergence-with-a-comma"),
    pytest.param(r"(x \sim y) + 1", r"\\sim outside", 4, r"\sim", id="sim-inside-brackets"),
]


@pytest.mark.parametrize(("text", "match", "column", "offending"), LOCATED)
def test_refusals_are_located(text: str, match: str, column: int, offending: str) -> None:
    refused(text, match, column, offending)


def test_a_grammar_error_is_reported_in_absolute_lines() -> None:
    with pytest.raises(ParseError, match="unexpected") as caught:
        parse_math("a +\n  + b", DDPM, file="doc.md", line=20)
    assert (caught.value.line, caught.value.column, caught.value.text) == (21, 3, "+")


def test_an_ambiguity_names_the_offending_text() -> None:
    with pytest.raises(ParseError) as caught:
        rows(r"y = \log 2\pi\sigma^2")
    assert caught.value.text == r"\log 2\pi"
    assert caught.value.column == 5


# -- building the parser ------------------------------------------------------------------------------


class Planted:
    """What another user could leave in the shared temporary folder: unpickling it touches ``marker``."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[Path]]:
        return Path.touch, (self.marker,)


def test_a_parser_planted_where_lark_caches_is_never_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    options = {"parser": "lalr", "lexer": grammar.TokenFeed, "strict": True, "start": "row"}

    def cached() -> Lark:  # what derive did before: lark's cache=True, in the temporary folder
        return Lark.open_from_package("derive.doccheck.latex", "latex.lark", ("",), **options, cache=True)

    cached()
    (planted,) = tmp_path.glob(".lark_*")
    marker = tmp_path / "planted-code-ran"
    header = planted.read_bytes().split(b"\n", 1)[0]
    planted.write_bytes(header + b"\n" + pickle.dumps(Planted(marker)))
    cached()  # the planted code runs under lark's cache: the test can tell
    assert marker.exists()
    marker.unlink()
    planted.write_bytes(header + b"\n" + pickle.dumps(Planted(marker)))

    grammar._parser.cache_clear()  # derive's parser, built afresh in this process
    (row,) = parse_math("x = 1", DDPM)

    assert row.statements[0].relations == ("=",)
    assert not marker.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [planted.name]

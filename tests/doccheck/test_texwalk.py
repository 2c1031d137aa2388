r"""User macros of a LaTeX document: collected in order with pylatexenc, expanded before the grammar
reads a formula, without moving it to another line."""

from __future__ import annotations

import re

import pytest

from derive.doccheck.sources import texwalk


def expand(preamble: str, formula: str) -> str:
    source = f"{preamble}\n\\[{formula}\\]"
    found = texwalk.definitions(source, texwalk.walk(source))
    expander = texwalk.Expander(found)
    (display,) = [n for n in texwalk.walk(source, expander.context) if getattr(n, "displaytype", None) == "display"]
    return expander.math(source, display.nodelist)


@pytest.mark.parametrize(
    ("preamble", "formula", "expanded"),
    [
        pytest.param(r"\newcommand{\xt}{\mathbf{x}_t}", r"\xt = 1", r"\mathbf{x}_t = 1", id="newcommand"),
        pytest.param(r"\newcommand*{\xt}{x_t}", r"\xt^2", "x_t^2", id="newcommand-starred"),
        pytest.param(r"\newcommand{\ab}[1]{\bar{\alpha}_{#1}}", r"\ab{t-1}", r"\bar{\alpha}_{t-1}", id="one-argument"),
        pytest.param(r"\newcommand{\ab}[1]{\bar{\alpha}_{#1}}", r"\ab t", r"\bar{\alpha}_{t}", id="bare-argument"),
        pytest.param(r"\newcommand{\f}[2]{\frac{#1}{#2}}", r"\f{a}{b}", r"\frac{a}{b}", id="two-arguments"),
        pytest.param(r"\newcommand{\s}[2][t]{#2_{#1}}", r"\s{x} + \s[0]{x}", "x_{t} + x_{0}", id="optional-default"),
        pytest.param(r"\providecommand{\one}{1}", r"\one", "1", id="providecommand"),
        pytest.param(r"\def\one{1}", r"a = \one", "a = 1", id="def"),
        pytest.param(r"\def\f#1#2{\frac{#1}{#2}}", r"\f12", r"\frac{1}{2}", id="def-with-parameters"),
        pytest.param(r"\DeclareMathOperator{\KL}{KL}", r"\KL(p \| q)", r"\operatorname{KL}(p \| q)", id="operator"),
        pytest.param(r"\newcommand{\a}{\alpha}\newcommand{\at}{\a_t}", r"\at", r"\alpha_t", id="nested"),
        pytest.param(r"\newcommand{\a}{\alpha}", r"\a x", r"\alpha x", id="space-after-a-control-word"),
        pytest.param(r"\newcommand{\h}{\frac12}", r"\h{\h}", r"\frac12{\frac12}", id="inside-a-group"),
        pytest.param(
            r"\newcommand{\ab}[1]{\bar{\alpha}_{#1}}",
            r"\sqrt{\ab{t}}",
            r"\sqrt{\bar{\alpha}_{t}}",
            id="inside-an-argument",
        ),
        pytest.param(r"\newcommand{\x}{1}", "a = 2 % \\x\n", "a = 2 \n", id="comment-dropped-keeping-its-line"),
        pytest.param(r"\newcommand{\m}{a +% half" "\n" r"b}", r"\m", "a + b", id="expansion-stays-on-one-line"),
        pytest.param(r"\def\m#1.{#1}", r"\m x.", r"\m x.", id="delimited-parameters-not-expanded"),
    ],
)
def test_macros_are_expanded(preamble: str, formula: str, expanded: str) -> None:
    assert expand(preamble, formula) == expanded


def test_a_redefinition_holds_from_where_it_is_written() -> None:
    source = "\\newcommand{\\v}{1}\n\\[\\v\\]\n\\renewcommand{\\v}{2}\n\\[\\v\\]"
    found = texwalk.definitions(source, texwalk.walk(source))
    expander = texwalk.Expander(found)
    displays = [n for n in texwalk.walk(source, expander.context) if getattr(n, "displaytype", None) == "display"]
    assert [expander.math(source, d.nodelist) for d in displays] == ["1", "2"]


@pytest.mark.parametrize(
    ("preamble", "formula", "message"),
    [
        pytest.param(
            r"\def\loop{\loop}",
            r"\loop",
            r"\loop expands more than 32 levels deep (defined by itself?)",
            id="recursive",
        ),
        pytest.param(
            r"\def\ma{xxxxxxxxxx}\def\mb{\ma\ma\ma\ma\ma\ma\ma\ma\ma\ma}\def\mc{\mb\mb\mb\mb\mb\mb\mb\mb\mb\mb}"
            r"\def\md{\mc\mc\mc\mc\mc\mc\mc\mc\mc\mc}\def\me{\md\md\md\md\md\md\md\md\md\md}"
            r"\def\mf{\me\me\me\me\me\me\me\me\me\me}\def\mg{\mf\mf\mf\mf\mf\mf\mf\mf\mf\mf}",
            r"\mg",
            "the macros expand to more than 100,000 characters",
            id="growing",
        ),
    ],
)
def test_an_expansion_that_does_not_end_is_an_error(preamble: str, formula: str, message: str) -> None:
    with pytest.raises(texwalk.ExpansionError, match=f"^{re.escape(message)}$"):
        expand(preamble, formula)

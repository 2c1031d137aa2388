"""The HTML pages: escaped, self-contained, every equation MathML, what changed highlighted."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
import sympy as sp

from derive.derivations import load, names
from derive.engine import check
from derive.exceptions import MathMLError
from derive.model import CheckConfig, Derivation, Prose, Verdict
from derive.notation import DDPM as N
from derive.render.documents import render
from derive.render.html import CHANGED_CLASS, inline, mathml
from derive.render.printer import CHANGED_COLOUR
from derive.render.views import document

CONFIG = CheckConfig(jobs=1)


@pytest.fixture(scope="module")
def pages(every_derivation: list[tuple[Derivation, tuple[Verdict, ...]]]) -> dict[str, str]:
    rendered: dict[str, str] = {}
    for derivation, verdicts in every_derivation:
        rendered.update({k: v for k, v in render(derivation, verdicts).items() if k.endswith(".html")})
    return rendered


def test_every_derivation_has_a_page_per_language(pages: dict[str, str]) -> None:
    assert set(pages) == {f"{name}.{lang}.html" for name in names() for lang in ("en", "zh")}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_equation_is_a_math_element(pages: dict[str, str], lang: str) -> None:
    for name in names():
        page = pages[f"{name}.{lang}.html"]
        steps = page.count('<section class="step')
        assert steps == len(load(name).steps)
        assert page.count('display="block">') == steps
        assert "$" not in re.sub(r"<script>.*?</script>", "", page, flags=re.S), "LaTeX left unconverted"


def test_pages_fetch_nothing_from_the_network(pages: dict[str, str]) -> None:
    for page in pages.values():
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
        assert "@import" not in page


@pytest.mark.parametrize(
    ("path", "lang", "switch"),
    [
        pytest.param("posterior.en.html", "en", "posterior.zh.html", id="en"),
        pytest.param("posterior.zh.html", "zh-Hans", "posterior.en.html", id="zh"),
    ],
)
def test_the_page_names_its_language_and_links_the_other(
    pages: dict[str, str], path: str, lang: str, switch: str
) -> None:
    assert f'<html lang="{lang}">' in pages[path]
    assert f'<span class="lang"><a href="{switch}" ' in pages[path]


def test_prose_is_escaped_not_executed(posterior: Derivation, posterior_verdicts: tuple[Verdict, ...]) -> None:
    hostile = Prose(
        r"<script>alert(1)</script> & <b>bold</b> $\text{<script>alert(2)</script>}$", "<img src=x onerror=alert(1)>"
    )
    steps = (replace(posterior.steps[0], prose=hostile), *posterior.steps[1:])
    pages = render(replace(posterior, steps=steps), posterior_verdicts)
    assert "<script>alert(" not in pages["posterior.en.html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["posterior.en.html"]
    assert "<mtext>&lt;script&gt;alert(2)&lt;/script&gt;</mtext>" in pages["posterior.en.html"]
    assert "<img src=x" not in pages["posterior.zh.html"]


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        pytest.param("**proved**", "<strong>proved</strong>", id="bold"),
        pytest.param("[(3)](#step-3)", '<a href="#step-3">(3)</a>', id="link"),
        pytest.param(r"$\alpha_t$", "<math", id="math"),
        pytest.param("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;", id="raw-html-escaped"),
    ],
)
def test_inline_markdown(markdown: str, expected: str) -> None:
    assert expected in str(inline(markdown))


@pytest.mark.parametrize(
    ("latex", "expected"),
    [
        pytest.param(r"\alpha_t", "<msub><mi>α</mi><mi>t</mi></msub>", id="symbol-as-character"),
        pytest.param(r"a < b", "<mo>&lt;</mo>", id="less-than-escaped"),
        pytest.param(r"\text{<script>x</script>}", "<mtext>&lt;script&gt;x&lt;/script&gt;</mtext>", id="text-escaped"),
        pytest.param(r"\backslash", "<mi>\\</mi>", id="known-backslash"),
        pytest.param(
            r"D\left(p \,\middle\|\, q\right)",
            '<mspace width="0.278em" /><mo fence="false" stretchy="false">‖</mo>',
            id="middle-bar-rewritten",
        ),
        pytest.param(
            rf"{{\color{{{CHANGED_COLOUR}}} x}}", f'<mstyle class="{CHANGED_CLASS}"><mi>x</mi>', id="changed-class"
        ),
        pytest.param(r"{\color{red} x}", '<mstyle mathcolor="red">', id="other-colour-kept"),
    ],
)
def test_latex_to_mathml(latex: str, expected: str) -> None:
    assert expected in str(mathml(latex))


@pytest.mark.parametrize(
    ("latex", "message"),
    [
        pytest.param(r"\frac{1}{", "cannot render", id="unbalanced-braces"),
        pytest.param(r"\middle|", "ExtraLeftOrMissingRightError", id="middle-outside-left-right"),
        pytest.param(r"\unknown{x} + 1", r"unknown command '\\\\unknown'", id="unknown-command"),
        pytest.param(r"\text{\ldots}", r"unknown command '\\\\ldots'", id="command-inside-text"),
    ],
)
def test_latex_that_cannot_be_converted_is_an_error(latex: str, message: str) -> None:
    with pytest.raises(MathMLError, match=message):
        mathml(latex)


def step_view(name: str, step_id: str) -> object:
    derivation = load(name)
    view = document(derivation, check(derivation, CONFIG))
    return next(s for sec in view.sections for s in sec.steps if s.id == step_id)


@pytest.mark.parametrize(
    ("name", "step_id", "highlighted"),
    [
        pytest.param("posterior", "quadratic-coefficient-closed", [r"1 - \bar{\alpha}_t"], id="new-numerator"),
        pytest.param("posterior", "posterior-mean", ["B"], id="new-factor"),
        pytest.param(
            "posterior", "completed-square", [r"\left(x_{t-1} - \tilde{\mu}_t\right)^{2}", "C"], id="two-parts"
        ),
        pytest.param("posterior", "quadratic-coefficient", [], id="nothing-new"),
        pytest.param("posterior", "noise-schedule", [], id="first-step"),
    ],
)
def test_what_changed_from_the_previous_step_is_highlighted(name: str, step_id: str, highlighted: list[str]) -> None:
    view = step_view(name, step_id)
    changed = view.rhs_changed  # type: ignore[attr-defined]
    if not highlighted:
        assert changed is None
        return
    marked = re.findall(r"\{\\color\{" + re.escape(CHANGED_COLOUR) + r"\} (.*?)\}(?=\s|$|[-+}])", changed)
    assert len(marked) == len(highlighted)
    for part in highlighted:
        assert f"{{\\color{{{CHANGED_COLOUR}}} {part}}}" in changed


def test_the_page_marks_what_changed_with_a_class(pages: dict[str, str]) -> None:
    step = re.search(r'<section class="step [a-z]+" id="step-14".*?</section>', pages["posterior.en.html"], re.S)
    assert step is not None
    assert step.group().count(f'class="{CHANGED_CLASS}"') == 1
    assert "mathcolor" not in "".join(pages.values())


def test_the_highlight_does_not_touch_the_markdown(posterior: Derivation) -> None:
    view = step_view("posterior", "quadratic-coefficient-closed")
    assert "color" not in view.rhs  # type: ignore[attr-defined]
    assert sp.Symbol("unused") not in N.latex_names

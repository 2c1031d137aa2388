"""The HTML pages: escaped, self-contained, every equation MathML, what changed highlighted."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
import sympy as sp

from derive.derivations import load, names
from derive.engine import check
from derive.exceptions import OutputError
from derive.model import CheckConfig, Derivation, Prose, Verdict
from derive.notation import DDPM as N
from derive.render.documents import render
from derive.render.html import inline, mathml
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


def test_prose_is_escaped_not_executed(posterior: Derivation, posterior_verdicts: tuple[Verdict, ...]) -> None:
    hostile = Prose("<script>alert(1)</script> & <b>bold</b>", "<img src=x onerror=alert(1)>")
    steps = (replace(posterior.steps[0], prose=hostile), *posterior.steps[1:])
    pages = render(replace(posterior, steps=steps), posterior_verdicts)
    assert "<script>alert(1)</script>" not in pages["posterior.en.html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["posterior.en.html"]
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


def test_latex_that_cannot_be_converted_is_an_error() -> None:
    with pytest.raises(OutputError, match="cannot render"):
        mathml(r"\frac{1}{")


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


def test_the_highlight_does_not_touch_the_markdown(posterior: Derivation) -> None:
    view = step_view("posterior", "quadratic-coefficient-closed")
    assert "color" not in view.rhs  # type: ignore[attr-defined]
    assert sp.Symbol("unused") not in N.latex_names

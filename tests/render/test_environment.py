"""The Jinja environment: strict undefined names, templates found, prose escaped for LaTeX."""

from __future__ import annotations

import jinja2
import pytest

from derive.exceptions import OutputError
from derive.render.environment import environment, ranges, template_dir, tex_text


def test_templates_are_found() -> None:
    assert (template_dir() / "derivation.md.j2").is_file()


def test_undefined_names_are_errors() -> None:
    with pytest.raises(jinja2.UndefinedError, match="doc"):
        environment().get_template("derivation.md.j2").render(lang="en")


@pytest.mark.parametrize(
    ("prose", "expected"),
    [
        pytest.param("plain words", "plain words", id="plain"),
        pytest.param("50% of x_0 & y", r"50\% of x\_0 \& y", id="specials-escaped"),
        pytest.param(r"where $\bar{\alpha}_t < 1$, 5% holds", r"where $\bar{\alpha}_t < 1$, 5\% holds", id="math-kept"),
        pytest.param(
            "a {b} ~ c^d #e", r"a \{b\} \textasciitilde{} c\textasciicircum{}d \#e", id="braces-tilde-caret-hash"
        ),
        pytest.param("back\\slash", r"back\textbackslash{}slash", id="backslash"),
    ],
)
def test_tex_text_escapes_prose_but_not_math(prose: str, expected: str) -> None:
    assert tex_text(prose) == expected


def test_tex_text_rejects_unbalanced_math() -> None:
    with pytest.raises(OutputError, match="unbalanced"):
        tex_text("costs $5 only")


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        pytest.param([7, 8, 9, 10], "7–10", id="run"),
        pytest.param([3, 4], "3, 4", id="pair-stays-listed"),
        pytest.param([1, 5, 6, 7, 9], "1, 5–7, 9", id="mixed"),
        pytest.param([], "", id="empty"),
    ],
)
def test_ranges(numbers: list[int], expected: str) -> None:
    assert ranges(numbers) == expected

"""View models: what the templates see is printed by SymPy and follows the verdicts."""

from __future__ import annotations

import pytest

from derive.model import Derivation, Verdict
from derive.render.views import DocumentView, document


@pytest.fixture(scope="module")
def view(posterior: Derivation, posterior_verdicts: tuple[Verdict, ...]) -> DocumentView:
    return document(posterior, posterior_verdicts)


def test_counts_and_domain(view: DocumentView) -> None:
    assert (view.proved, view.defined, view.total) == (16, 10, 26)
    assert view.domain == (r"\alpha_t \in \left(0, 1\right)", r"\bar{\alpha}_{t-1} \in \left(0, 1\right]")
    assert view.all_ok


def test_requirements_name_the_steps_that_need_t_at_least_2(view: DocumentView) -> None:
    ((requirement, numbers),) = view.requirements
    assert requirement == r"t \geq 2"
    steps = {s.id: s for section in view.sections for s in section.steps}
    assert steps["posterior-mean-closed"].number in numbers
    assert steps["cumulative-recursion"].number not in numbers
    assert steps["first-step-mean"].number not in numbers


def test_sections_keep_every_step_in_order(view: DocumentView, posterior: Derivation) -> None:
    flat = [s.id for section in view.sections for s in section.steps]
    assert flat == [s.id for s in posterior.steps]


@pytest.mark.parametrize(
    ("step_id", "field", "expected"),
    [
        pytest.param("linear-coefficient", "coefficient", "-2 B", id="coefficient-shows-factor"),
        pytest.param("linear-coefficient", "var", "x_{t-1}", id="coefficient-variable"),
        pytest.param("quadratic-coefficient", "power", 2, id="coefficient-power"),
        pytest.param(
            "first-step-variance", "lhs", r"\lim_{\bar{\alpha}_{t-1} \to 1} \tilde{\sigma}_t^{2}", id="limit-lhs"
        ),
        pytest.param("standard-form", "lhs", None, id="bare-expression"),
        pytest.param("log-posterior", "relation", "up-to-additive", id="relation-kind"),
    ],
)
def test_step_fields(view: DocumentView, step_id: str, field: str, expected: object) -> None:
    step = next(s for section in view.sections for s in section.steps if s.id == step_id)
    assert getattr(step, field) == expected


def test_conditions_name_what_is_divided_by(view: DocumentView) -> None:
    step = next(s for section in view.sections for s in section.steps if s.id == "posterior-variance")
    texts = {c.tex: c for c in step.conditions}
    assert texts["A \\neq 0"].guaranteed
    inherited = [c for c in step.conditions if c.via is not None]
    assert inherited
    assert any(c.where == "t = 1" and c.excluded_by == r"t \geq 2" for c in inherited)

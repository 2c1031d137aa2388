"""The ε-parameterisation: x_0, the mean and the score in terms of the noise are proved; corruptions refuted."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.derivations.epsilon import EPSILON
from derive.model import Status, Verdict
from derive.notation import DDPM as N
from tests.derivations.harness import assert_refuted_with_a_counterexample, corrupted, verdicts

alpha_t, abar_tm1, beta_t, abar_t = (N[k] for k in ("alpha_t", "abar_tm1", "beta_t", "abar_t"))
x_t, x_0, epsilon = N["x_t"], N["x_0"], N["epsilon"]


@pytest.fixture(scope="module")
def checked() -> dict[str, Verdict]:
    return verdicts(EPSILON)


@pytest.mark.parametrize("step_id", [s.id for s in EPSILON.steps])
def test_every_step_is_proved_or_defined(checked: dict[str, Verdict], step_id: str) -> None:
    assert checked[step_id].status in (Status.PROVED, Status.DEFINED), checked[step_id].reason


def test_the_score_is_proved_through_the_definition_of_the_marginal(checked: dict[str, Verdict]) -> None:
    assert checked["score-epsilon"].definitions == ("forward-marginal", "noise")


CORRUPTIONS = [
    pytest.param("reparameterisation", sp.sqrt(abar_t) * x_0 + (1 - abar_t) * epsilon, id="noise-without-root"),
    pytest.param("x0-from-epsilon", (x_t - sp.sqrt(1 - abar_t) * epsilon) / abar_t, id="x0-without-root"),
    pytest.param("x0-from-epsilon", (x_t + sp.sqrt(1 - abar_t) * epsilon) / sp.sqrt(abar_t), id="x0-sign"),
    pytest.param(
        "mean-epsilon", (x_t - beta_t / sp.sqrt(1 - abar_tm1) * epsilon) / sp.sqrt(alpha_t), id="mean-abar-t-minus-1"
    ),
    pytest.param("mean-epsilon", (x_t - beta_t / sp.sqrt(1 - abar_t) * epsilon) / sp.sqrt(abar_t), id="mean-abar"),
    pytest.param("mean-epsilon", (x_t - beta_t / (1 - abar_t) * epsilon) / sp.sqrt(alpha_t), id="mean-missing-root"),
    pytest.param("score-epsilon", epsilon / sp.sqrt(1 - abar_t), id="score-sign"),
    pytest.param("score-epsilon", -epsilon / (1 - abar_t), id="score-missing-root"),
]


@pytest.mark.parametrize(("step_id", "rhs"), CORRUPTIONS)
def test_a_corrupted_step_is_refuted(step_id: str, rhs: sp.Expr) -> None:
    assert_refuted_with_a_counterexample(corrupted(EPSILON, step_id, rhs))

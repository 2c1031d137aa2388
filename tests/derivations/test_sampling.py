"""The sampling step and its variances are proved; corruptions refuted."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.derivations.sampling import SAMPLING, model_mean
from derive.model import Status, Verdict
from derive.notation import DDPM as N
from tests.derivations.harness import assert_refuted_with_a_counterexample, corrupted, verdicts

alpha_t, abar_tm1, beta_t, abar_t = (N[k] for k in ("alpha_t", "abar_tm1", "beta_t", "abar_t"))
x_t, z, mu_theta, sigma_t, epsilon_theta = N["x_t"], N["z"], N["mu_theta"], N["sigma_t"], N["epsilon_theta"]


@pytest.fixture(scope="module")
def checked() -> dict[str, Verdict]:
    return verdicts(SAMPLING)


@pytest.mark.parametrize("step_id", [s.id for s in SAMPLING.steps])
def test_every_step_is_proved_or_defined(checked: dict[str, Verdict], step_id: str) -> None:
    assert checked[step_id].status in (Status.PROVED, Status.DEFINED), checked[step_id].reason


CORRUPTIONS = [
    pytest.param("variance-gap", beta_t**2 * abar_t / (1 - abar_t), id="gap-abar-t"),
    pytest.param("gaussian-data-precision", alpha_t / beta_t, id="precision-without-prior"),
    pytest.param("gaussian-data-variance", 1 - beta_t, id="variance-alpha"),
    pytest.param(
        "sampling-step", (x_t - beta_t / sp.sqrt(1 - abar_t) * epsilon_theta) / alpha_t + sigma_t * z, id="step-no-root"
    ),
    pytest.param(
        "sampling-step",
        (x_t + beta_t / sp.sqrt(1 - abar_t) * epsilon_theta) / sp.sqrt(alpha_t) + sigma_t * z,
        id="sign",
    ),
    pytest.param("last-step-variance", sp.Integer(0), id="last-variance-kept"),
    pytest.param("last-step", model_mean + sp.sqrt(beta_t) * z, id="last-step-keeps-noise"),
]


@pytest.mark.parametrize(("step_id", "rhs"), CORRUPTIONS)
def test_a_corrupted_step_is_refuted(step_id: str, rhs: sp.Expr) -> None:
    assert_refuted_with_a_counterexample(corrupted(SAMPLING, step_id, rhs))

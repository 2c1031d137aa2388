"""The loss: the Gaussian KL, L_{t-1}, its ε form and weight are proved; corruptions refuted."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.derivations.loss import LOSS
from derive.model import Status, Verdict
from derive.notation import DDPM as N
from derive.objects import Norm
from tests.derivations.harness import assert_refuted_with_a_counterexample, corrupted, verdicts

alpha_t, abar_tm1, beta_t, abar_t = (N[k] for k in ("alpha_t", "abar_tm1", "beta_t", "abar_t"))
mu_1, mu_2, sigma_1, sigma_2, sigma = (N[k] for k in ("mu_1", "mu_2", "sigma_1", "sigma_2", "sigma"))
mu_tilde, mu_theta, sigma_t, C = N["mu_tilde"], N["mu_theta"], N["sigma_t"], N["C"]
epsilon, epsilon_theta, w_t, L_simple = N["epsilon"], N["epsilon_theta"], N["w_t"], N["L_simple"]


@pytest.fixture(scope="module")
def checked() -> dict[str, Verdict]:
    return verdicts(LOSS)


@pytest.mark.parametrize("step_id", [s.id for s in LOSS.steps])
def test_every_step_is_proved_or_defined(checked: dict[str, Verdict], step_id: str) -> None:
    assert checked[step_id].status in (Status.PROVED, Status.DEFINED), checked[step_id].reason


def test_only_the_posterior_variance_weight_needs_t_at_least_2(checked: dict[str, Verdict]) -> None:
    needing = {k for k, v in checked.items() if any(c.boundary is not None for c in v.conditions)}
    assert needing == {"weight-beta-tilde"}


CORRUPTIONS = [
    pytest.param("second-moment", sigma_1**2 + (mu_1 + mu_2) ** 2, id="moment-sign"),
    pytest.param(
        "kl-gaussians",
        sp.log(sigma_1 / sigma_2) + (sigma_1**2 + (mu_1 - mu_2) ** 2) / (2 * sigma_2**2) - sp.Rational(1, 2),
        id="kl-log-ratio-upside-down",
    ),
    pytest.param(
        "kl-gaussians",
        sp.log(sigma_2 / sigma_1) + (sigma_1**2 + (mu_1 - mu_2) ** 2) / (2 * sigma_2**2),
        id="kl-forgotten-half",
    ),
    pytest.param("kl-equal-variances", (mu_1 - mu_2) ** 2 / sigma**2, id="kl-missing-2"),
    pytest.param("loss-term-means", Norm(mu_tilde - mu_theta) ** 2 / sigma_t**2 + C, id="loss-missing-2"),
    pytest.param(
        "means-to-noise",
        beta_t / (2 * sigma_t**2 * alpha_t * (1 - abar_t)) * Norm(epsilon - epsilon_theta) ** 2,
        id="weight-beta-not-squared",
    ),
    pytest.param(
        "means-to-noise",
        beta_t**2 / (2 * sigma_t**2 * alpha_t * (1 - abar_tm1)) * Norm(epsilon - epsilon_theta) ** 2,
        id="weight-abar-t-minus-1",
    ),
    pytest.param("loss-term-weighted", L_simple + C, id="weight-dropped-is-not-equal"),
    pytest.param("weight-beta-tilde", beta_t / (2 * alpha_t * (1 - abar_t)), id="tilde-weight-as-beta-weight"),
]


@pytest.mark.parametrize(("step_id", "rhs"), CORRUPTIONS)
def test_a_corrupted_step_is_refuted(step_id: str, rhs: sp.Expr) -> None:
    assert_refuted_with_a_counterexample(corrupted(LOSS, step_id, rhs))

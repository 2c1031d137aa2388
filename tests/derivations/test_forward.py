"""The forward marginal: both lemmas and the induction are proved; corrupted steps are refuted."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.derivations.forward import FORWARD
from derive.model import Status, Verdict
from derive.notation import DDPM as N
from derive.objects import Gaussian
from tests.derivations.harness import assert_refuted_with_a_counterexample, corrupted, verdicts

alpha_t, abar_tm1, beta_t, abar_t, x_t, x_0 = (N[k] for k in ("alpha_t", "abar_tm1", "beta_t", "abar_t", "x_t", "x_0"))
x, a, mu_1, mu_2, sigma_1, sigma_2, C = (N[k] for k in ("x", "a", "mu_1", "mu_2", "sigma_1", "sigma_2", "C"))


@pytest.fixture(scope="module")
def checked() -> dict[str, Verdict]:
    return verdicts(FORWARD)


@pytest.mark.parametrize("step_id", [s.id for s in FORWARD.steps])
def test_every_step_is_proved_or_defined(checked: dict[str, Verdict], step_id: str) -> None:
    assert checked[step_id].status in (Status.PROVED, Status.DEFINED), checked[step_id].reason


def test_only_the_induction_hypothesis_needs_t_at_least_2(checked: dict[str, Verdict]) -> None:
    # the hypothesis is about x_{t-1} given x_0, which is a point mass at t = 1; the base case covers it
    needing = {k for k, v in checked.items() if any(c.boundary is not None and not c.waived for c in v.conditions)}
    assert needing == {"hypothesis", "hypothesis-noise"}


CORRUPTIONS = [
    pytest.param(
        "sum-gaussian",
        sp.log(Gaussian(x, mu_1 + mu_2, sigma_1**2 * sigma_2**2)),
        id="variances-multiply",
    ),
    pytest.param("sum-gaussian", sp.log(Gaussian(x, mu_1 - mu_2, sigma_1**2 + sigma_2**2)), id="means-subtract"),
    pytest.param(
        "sum-integrated",
        sp.exp(-((x - mu_1 - mu_2) ** 2) / (2 * (sigma_1**2 + sigma_2**2)) + C * x),
        id="constant-depends-on-x",
    ),
    pytest.param("scale", Gaussian(x, a * mu_1, a * sigma_1**2), id="variance-scaled-by-a"),
    pytest.param("base-case", Gaussian(x_t, sp.sqrt(alpha_t) * x_0, alpha_t), id="base-variance-alpha"),
    pytest.param("induction-mean", abar_t * x_0, id="mean-without-root"),
    pytest.param("induction-variance", 1 - abar_tm1, id="variance-one-step-early"),
    pytest.param(
        "forward-marginal", Gaussian(x_t, sp.sqrt(abar_t) * x_0, 1 - abar_t**2), id="marginal-variance-squared"
    ),
]


@pytest.mark.parametrize(("step_id", "rhs"), CORRUPTIONS)
def test_a_corrupted_step_is_refuted(step_id: str, rhs: sp.Expr) -> None:
    assert_refuted_with_a_counterexample(corrupted(FORWARD, step_id, rhs))

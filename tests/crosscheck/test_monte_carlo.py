"""The posterior mean and variance against sampling: a Monte Carlo check of q(x_{t-1} | x_t, x_0).

The forward process is sampled with numpy from a fixed seed: x_0 from a two-point mixture (the result
holds for any data distribution), then x_{t-1} ~ q(x_{t-1} | x_0) and x_t ~ q(x_t | x_{t-1}). Given
(x_0, x_t), x_{t-1} is Gaussian with a mean linear in them, so the least-squares regression of x_{t-1}
on (x_0, x_t) estimates the two posterior-mean coefficients, and its residual variance the posterior
variance. The tolerance is stated in standard errors: each estimate must lie within 5 of its standard
errors of the verified value (the coefficients' from the regression, σ̂² (XᵀX)⁻¹; the residual variance's
σ² √(2 / (n - 2)) for Gaussian residuals). With 5 standard errors, a correct formula fails one of the
15 comparisons with probability below 1e-5; the fixed seed makes the run reproducible.
"""

from __future__ import annotations

import numpy as np
import pytest

from derive.derivations.numeric import by_name, evaluate, linear_schedule

SAMPLES = 200_000
STANDARD_ERRORS = 5.0
SCHEDULE = linear_schedule()
TIMES = (2, 10, 100, 500, 1000)


def regression(t: int, seed: int) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Coefficients of (x_0, x_t), their standard errors, the residual variance and its standard error."""
    rng = np.random.default_rng(seed)
    alpha, previous = SCHEDULE.alphas[t - 1], SCHEDULE.alphas_cumprod_previous[t - 1]
    x_0 = np.where(rng.random(SAMPLES) < 0.3, -1.5, 0.8) + 0.1 * rng.standard_normal(SAMPLES)
    x_tm1 = np.sqrt(previous) * x_0 + np.sqrt(1 - previous) * rng.standard_normal(SAMPLES)
    x_t = np.sqrt(alpha) * x_tm1 + np.sqrt(1 - alpha) * rng.standard_normal(SAMPLES)
    design = np.column_stack([x_0, x_t])
    fitted, *_ = np.linalg.lstsq(design, x_tm1, rcond=None)
    residuals = x_tm1 - design @ fitted
    variance = float(residuals @ residuals / (SAMPLES - 2))
    errors = np.sqrt(variance * np.diag(np.linalg.inv(design.T @ design)))
    return fitted, errors, variance, variance * np.sqrt(2 / (SAMPLES - 2))


@pytest.mark.parametrize("t", TIMES, ids=[f"t={t}" for t in TIMES])
def test_regression_matches_the_posterior_mean_and_variance(t: int) -> None:
    fitted, errors, variance, variance_error = regression(t, seed=t)
    mean_x0 = evaluate(by_name("posterior mean: coefficient of x_0"), SCHEDULE)[t - 1]
    mean_xt = evaluate(by_name("posterior mean: coefficient of x_t"), SCHEDULE)[t - 1]
    posterior_variance = evaluate(by_name("posterior variance"), SCHEDULE)[t - 1]
    deviations = np.abs(fitted - [mean_x0, mean_xt]) / errors
    variance_deviation = abs(variance - posterior_variance) / variance_error
    # shown by pytest -s: how many standard errors each estimate is from the verified value
    print(
        f"\nt = {t}: x_0, x_t coefficients {deviations[0]:.2f}, {deviations[1]:.2f} SE; "
        f"variance {variance_deviation:.2f} SE",
        end="",
    )
    assert (deviations <= STANDARD_ERRORS).all(), deviations
    assert variance_deviation <= STANDARD_ERRORS


def test_a_wrong_formula_is_far_outside_the_tolerance() -> None:
    # the check has power: β_t in place of the posterior variance at t = 2 is hundreds of errors off
    _, _, variance, variance_error = regression(2, seed=2)
    assert abs(variance - SCHEDULE.betas[1]) / variance_error > 50 * STANDARD_ERRORS

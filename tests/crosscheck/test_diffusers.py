"""The verified coefficients against a real implementation: diffusers' ``DDPMScheduler``.

For each schedule (linear, β from 1e-4 to 0.02; cosine, ``squaredcos_cap_v2``) and each of the 1000
timesteps, the coefficients are read off ``step()`` itself: it is linear in the model output and the
sample, plus ``sqrt(variance) * z`` for a noise z drawn from a seeded generator, so three calls with
unit inputs and one with zeros give each coefficient and the standard deviation. They are compared,
at relative error ≤ 1e-6, with the numeric functions derive makes from the proved steps.

diffusers builds its schedule in float32; the comparison of the arithmetic runs in float64 on that
same schedule (cast up), and the schedule itself is compared separately at float32's precision.

Skipped where diffusers or torch is not installed; .ci/run installs both (the extra ``crosscheck``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from derive.derivations.numeric import Schedule, by_name, cosine_schedule, evaluate, linear_schedule

torch = pytest.importorskip("torch", reason="torch is not installed: pip install '.[crosscheck]' to cross-check")
diffusers = pytest.importorskip("diffusers", reason="diffusers is not installed: pip install '.[crosscheck]'")

T = 1000
TOLERANCE = 1e-6
SCHEDULES: dict[str, Callable[[], Schedule]] = {"linear": linear_schedule, "squaredcos_cap_v2": cosine_schedule}
SHAPE = (1, 3)


def relative_error(ours: np.ndarray, theirs: np.ndarray, what: str) -> float:
    """The largest relative error over the timesteps; printed, so that ``pytest -s`` shows the figures."""
    scale = np.maximum(np.abs(ours), np.abs(theirs))
    error = float((np.abs(ours - theirs) / np.where(scale > 0, scale, 1.0)).max())
    print(f"\n{what}: max relative error {error:.1e}", end="")
    return error


def scheduler(beta_schedule: str, prediction_type: str) -> object:
    made = diffusers.DDPMScheduler(
        num_train_timesteps=T,
        beta_schedule=beta_schedule,
        clip_sample=False,
        prediction_type=prediction_type,
        variance_type="fixed_small",  # the posterior variance β̃_t (the default, stated)
    )
    # the same schedule in float64, so that what is compared is the formulas, not float32 rounding
    made.alphas_cumprod = torch.cumprod(1.0 - made.betas.double(), dim=0)
    return made


def float32_schedule(beta_schedule: str) -> Schedule:
    betas = diffusers.DDPMScheduler(num_train_timesteps=T, beta_schedule=beta_schedule).betas
    return Schedule(beta_schedule, betas.double().numpy())


def read_off(made: object, t: int) -> tuple[float, float, float, float, float]:
    """(coefficient of the model output, coefficient of the sample, standard deviation) of
    prev_sample, and the same two coefficients of pred_original_sample, at timestep index t."""

    def step(output: float, sample: float) -> tuple[torch.Tensor, torch.Tensor]:
        generator = torch.Generator().manual_seed(t)
        result = made.step(  # type: ignore[attr-defined]
            torch.full(SHAPE, output, dtype=torch.float64),
            t,
            torch.full(SHAPE, sample, dtype=torch.float64),
            generator=generator,
        )
        return result.prev_sample, result.pred_original_sample

    base, base_x0 = step(0.0, 0.0)
    by_output, output_x0 = step(1.0, 0.0)
    by_sample, sample_x0 = step(0.0, 1.0)
    noise = torch.randn(SHAPE, generator=torch.Generator().manual_seed(t), dtype=torch.float64)
    deviation = float((base / noise).mean()) if t > 0 else float(base.abs().max())
    return (
        float((by_output - base).mean()),
        float((by_sample - base).mean()),
        deviation,
        float((output_x0 - base_x0).mean()),
        float((sample_x0 - base_x0).mean()),
    )


@pytest.fixture(scope="module", params=list(SCHEDULES))
def beta_schedule(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_our_schedules_are_diffusers_schedules(beta_schedule: str) -> None:
    """diffusers keeps β in float32. The cosine schedule is computed in float64 by both (Python floats there,
    numpy here), so ours rounded to float32 is bit-identical; the linear one comes from torch's float32
    ``linspace``, whose own rounding leaves some β one float32 unit in the last place off ours rounded."""
    theirs = diffusers.DDPMScheduler(num_train_timesteps=T, beta_schedule=beta_schedule).betas.numpy()
    ours = SCHEDULES[beta_schedule]().betas.astype(np.float32)
    ulps = np.abs(ours.astype(np.float64) - theirs) / np.spacing(theirs)
    assert ulps.max() <= {"linear": 1, "squaredcos_cap_v2": 0}[beta_schedule]


@pytest.fixture(scope="module")
def sample_prediction(beta_schedule: str) -> np.ndarray:
    made = scheduler(beta_schedule, "sample")
    return np.array([read_off(made, t) for t in range(T)])


@pytest.fixture(scope="module")
def epsilon_prediction(beta_schedule: str) -> np.ndarray:
    made = scheduler(beta_schedule, "epsilon")
    return np.array([read_off(made, t) for t in range(T)])


@pytest.mark.parametrize(
    ("column", "coefficient"),
    [
        pytest.param(0, "posterior mean: coefficient of x_0", id="mean-x0"),
        pytest.param(1, "posterior mean: coefficient of x_t", id="mean-xt"),
    ],
)
def test_the_posterior_mean_coefficients(
    beta_schedule: str, sample_prediction: np.ndarray, column: int, coefficient: str
) -> None:
    ours = evaluate(by_name(coefficient), float32_schedule(beta_schedule))
    assert relative_error(ours, sample_prediction[:, column], f"{beta_schedule}, {coefficient}") <= TOLERANCE


@pytest.mark.parametrize(
    ("column", "coefficient"),
    [
        pytest.param(0, "ε-form mean: coefficient of ε", id="mean-epsilon"),
        pytest.param(1, "ε-form mean: coefficient of x_t", id="mean-xt"),
        pytest.param(3, "x_0 from ε: coefficient of ε", id="x0-epsilon"),
        pytest.param(4, "x_0 from ε: coefficient of x_t", id="x0-xt"),
    ],
)
def test_the_epsilon_form(beta_schedule: str, epsilon_prediction: np.ndarray, column: int, coefficient: str) -> None:
    ours = evaluate(by_name(coefficient), float32_schedule(beta_schedule))
    assert relative_error(ours, epsilon_prediction[:, column], f"{beta_schedule}, {coefficient}") <= TOLERANCE


def test_the_posterior_variance_from_step_and_get_variance(beta_schedule: str, sample_prediction: np.ndarray) -> None:
    ours = evaluate(by_name("posterior variance"), float32_schedule(beta_schedule))
    made = scheduler(beta_schedule, "sample")
    variance = np.array([float(made._get_variance(t)) for t in range(T)])
    # from t = 2 on: t = 1 is the special case below
    assert relative_error(ours[1:], variance[1:], f"{beta_schedule}, posterior variance, _get_variance") <= TOLERANCE
    from_step = sample_prediction[1:, 2] ** 2
    assert relative_error(ours[1:], from_step, f"{beta_schedule}, posterior variance, step()") <= TOLERANCE


def test_at_the_first_timestep_the_variance_is_zero_and_diffusers_clamps_it(
    beta_schedule: str, sample_prediction: np.ndarray
) -> None:
    """At t = 1 (diffusers' index 0), ᾱ_{t-1} = ᾱ_0 = 1: the posterior variance β̃_1 is exactly 0, as the
    posterior derivation's limit step proves. diffusers clamps it to 1e-20 in ``_get_variance`` (so that
    its log, used by the "fixed_small_log" variance type, stays finite), and ``step()`` adds no noise at
    all at index 0: the last step returns the mean, the sampler's z = 0 at t = 1."""
    ours = evaluate(by_name("posterior variance"), float32_schedule(beta_schedule))
    assert ours[0] == 0.0
    made = scheduler(beta_schedule, "sample")
    assert float(made._get_variance(0)) == pytest.approx(1e-20, rel=1e-6)
    assert sample_prediction[0, 2] == 0.0
    # and the mean there is x_0 itself, the posterior derivation's other limit
    assert sample_prediction[0, 0] == pytest.approx(1.0, rel=TOLERANCE)
    assert sample_prediction[0, 1] == pytest.approx(0.0, abs=TOLERANCE)

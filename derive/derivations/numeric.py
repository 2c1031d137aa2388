"""The verified coefficients as numeric functions of a noise schedule, for cross-checks and plots.

Nothing here is retyped: each coefficient is the derivative of a proved step's right side in one
symbol (the step must be linear in it), turned into a numpy function of (α_t, β_t, ᾱ_t, ᾱ_{t-1}).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import sympy as sp

from derive.derivations import load
from derive.exceptions import DeriveError
from derive.notation import DDPM as N

Array = npt.NDArray[np.float64]

#: the schedule's symbols, in the order the numeric functions take them
ARGUMENTS = (N["alpha_t"], N["beta_t"], N["abar_t"], N["abar_tm1"])


@dataclass(frozen=True)
class Schedule:
    """β_t for t = 1 … T (index 0 is t = 1), in float64."""

    name: str
    betas: Array

    @property
    def alphas(self) -> Array:
        return np.subtract(1.0, self.betas, dtype=np.float64)

    @property
    def alphas_cumprod(self) -> Array:
        return np.cumprod(self.alphas, dtype=np.float64)

    @property
    def alphas_cumprod_previous(self) -> Array:
        """ᾱ_{t-1}: 1 at t = 1, the empty product."""
        return np.concatenate(([1.0], self.alphas_cumprod[:-1]))

    @property
    def t(self) -> npt.NDArray[np.int64]:
        return np.arange(1, len(self.betas) + 1)


# T is the papers' name for the number of steps
def linear_schedule(T: int = 1000, beta_start: float = 1e-4, beta_end: float = 0.02) -> Schedule:  # noqa: N803
    """Ho et al. (2020); diffusers' ``beta_schedule="linear"`` (which rounds to float32)."""
    return Schedule("linear", np.linspace(beta_start, beta_end, T, dtype=np.float64))


def cosine_schedule(T: int = 1000, max_beta: float = 0.999) -> Schedule:  # noqa: N803
    """Nichol & Dhariwal (2021); diffusers' ``beta_schedule="squaredcos_cap_v2"`` (``betas_for_alpha_bar``):
    β_t = 1 - ᾱ(t / T) / ᾱ((t - 1) / T), capped at ``max_beta``, with ᾱ(s) = cos²((s + 0.008) / 1.008 · π/2)."""

    def alpha_bar(s: Array) -> Array:
        return np.asarray(np.cos((s + 0.008) / 1.008 * np.pi / 2) ** 2, dtype=np.float64)

    s = np.arange(T, dtype=np.float64)
    betas = np.minimum(1 - alpha_bar((s + 1) / T) / alpha_bar(s / T), max_beta)
    return Schedule("cosine", betas)


@dataclass(frozen=True)
class Coefficient:
    """The coefficient of ``symbol`` in the right side of step ``step`` (the whole side if None)."""

    name: str
    derivation: str
    step: str
    symbol: str | None


COEFFICIENTS = (
    Coefficient("posterior mean: coefficient of x_0", "posterior", "posterior-mean-closed", "x_0"),
    Coefficient("posterior mean: coefficient of x_t", "posterior", "posterior-mean-closed", "x_t"),
    Coefficient("posterior variance", "posterior", "posterior-variance-closed", None),
    Coefficient("ε-form mean: coefficient of x_t", "epsilon", "mean-epsilon", "x_t"),
    Coefficient("ε-form mean: coefficient of ε", "epsilon", "mean-epsilon", "epsilon"),
    Coefficient("x_0 from ε: coefficient of x_t", "epsilon", "x0-from-epsilon", "x_t"),
    Coefficient("x_0 from ε: coefficient of ε", "epsilon", "x0-from-epsilon", "epsilon"),
)


def by_name(name: str) -> Coefficient:
    return next(c for c in COEFFICIENTS if c.name == name)


@cache
def expression(coefficient: Coefficient) -> sp.Expr:
    """The coefficient as a SymPy expression in the schedule's symbols."""
    rhs = load(coefficient.derivation).step(coefficient.step).rhs.doit()
    if coefficient.symbol is None:
        found = rhs
    else:
        symbol = N[coefficient.symbol]
        found = sp.diff(rhs, symbol)
        if sp.diff(found, symbol) != 0:
            raise DeriveError(f"step {coefficient.step!r} is not linear in {coefficient.symbol}")
    stray = found.free_symbols - set(ARGUMENTS)
    if stray:
        raise DeriveError(f"{coefficient.name} depends on {sorted(map(str, stray))}, not only on the schedule")
    return found


@cache
def _function(coefficient: Coefficient) -> Callable[..., object]:
    function: Callable[..., object] = sp.lambdify(ARGUMENTS, expression(coefficient), modules="numpy")
    return function


def evaluate(coefficient: Coefficient, schedule: Schedule) -> Array:
    """The coefficient at every t of the schedule."""
    args = (schedule.alphas, schedule.betas, schedule.alphas_cumprod, schedule.alphas_cumprod_previous)
    values = np.asarray(_function(coefficient)(*args), dtype=np.float64)
    # a coefficient free of the schedule (a constant) comes back as one number
    result: Array = np.broadcast_to(values, schedule.betas.shape).copy()
    return result

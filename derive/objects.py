"""SymPy classes for the vocabulary of derivations that SymPy lacks: norms, Gaussians, densities.

They stay unevaluated so that a document prints them the way its author wrote them; the engine
expands them (``expand_objects``) into plain SymPy before deciding anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import sympy as sp


class Bracket(sp.Function):
    """Square brackets the author wrote for grouping; built unevaluated, gone on evaluation."""

    nargs = 1

    @classmethod
    def eval(cls, arg: sp.Expr) -> sp.Expr:
        return arg


class Norm(sp.Function):
    """The Euclidean norm ``\\|v\\|``. Derivations are checked per coordinate, where it is ``|v|``."""

    nargs = 1

    @property
    def scalar(self) -> sp.Expr:
        return sp.Abs(self.args[0].doit())


class Gaussian(sp.Function):
    """``N(z; mean, variance I)``: an isotropic Gaussian density, read per coordinate."""

    nargs = 3

    @property
    def scalar(self) -> sp.Expr:
        return _gaussian_density(*(arg.doit() for arg in self.args))


class Density(sp.Expr):
    """A density applied to its variables, ``q(x_t | x_{t-1})``. What it equals is a definition."""

    def __new__(cls, name: sp.Symbol, variables: Iterable[sp.Expr], given: Iterable[sp.Expr] = ()) -> Density:
        obj: Density = sp.Expr.__new__(cls, name, sp.Tuple(*variables), sp.Tuple(*given))
        return obj

    @property
    def name(self) -> sp.Symbol:
        name: sp.Symbol = self.args[0]
        return name

    @property
    def variables(self) -> tuple[sp.Expr, ...]:
        return tuple(self.args[1])

    @property
    def given(self) -> tuple[sp.Expr, ...]:
        return tuple(self.args[2])

    def _eval_is_positive(self) -> bool:
        return True

    def _eval_is_extended_real(self) -> bool:
        return True


@lru_cache(maxsize=256)
def _gaussian_density(z: sp.Expr, mean: sp.Expr, variance: sp.Expr) -> sp.Expr:
    # building it asks SymPy for the sign of the variance, which is slow; the same densities recur
    return sp.exp(-((z - mean) ** 2) / (2 * variance)) / sp.sqrt(2 * sp.pi * variance)


@lru_cache(maxsize=1024)
def expand_objects(expr: sp.Expr) -> sp.Expr:
    """Replace norms and Gaussians by their scalar formulas."""
    found = expr.atoms(Norm, Gaussian)
    if not found:
        return expr
    # ‖v‖^{2k} = v^{2k} for a real scalar: skips Abs, whose evaluation is slow on large arguments
    even = {p: p.base.args[0].doit() ** p.exp for p in expr.atoms(sp.Pow) if isinstance(p.base, Norm) and p.exp.is_even}
    return expr.xreplace(even).xreplace({e: e.scalar for e in found})

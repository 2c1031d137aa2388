"""Proof by induction on the bound of a sum SymPy cannot sum: ``∑_{k=1}^{n} \\log(1 + 1/k) = \\log(n + 1)``.

The claim ``L(n) = R(n)`` holds for every integer ``n ≥ n₀`` when it holds at ``n₀`` and when one step of
``n`` changes both sides alike: ``L(n + 1) - L(n) = R(n + 1) - R(n)``. A sum up to ``n + 1`` is the sum up
to ``n`` plus its last term, so the sums cancel from the step, which the rational-function test (or
simplify) then decides. ``n₀`` is the least value the domain gives ``n``, or else the first at which every
sum has a term.
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy as sp

from derive.engine.rational import is_zero, to_rational
from derive.notation import Interval


def by_induction(lhs: sp.Expr, rhs: sp.Expr, domains: Mapping[sp.Symbol, Interval]) -> sp.Integer | None:
    """The ``n₀`` from which ``lhs = rhs`` is proved by induction on the bound of its sums; None when it is
    not (no sum with a symbolic bound, several bounds, a step or a base case that does not vanish)."""
    target = lhs - rhs
    sums = [s for s in target.atoms(sp.Sum) if s.limits[0][2].free_symbols]
    bounds = {symbol for s in sums for symbol in s.limits[0][2].free_symbols}
    if not sums or len(bounds) != 1 or any(len(s.limits) != 1 for s in sums):
        return None
    (n,) = bounds
    if not n.is_integer or any(not _steps_with(s, n) for s in sums):
        return None
    step = _peeled(target.xreplace({n: n + 1}), n) - target
    if not _vanishes(step):
        return None
    start = _start(sums, n, domains.get(n))
    base = target.xreplace({n: start}).doit()
    if base.has(sp.Sum, sp.zoo, sp.nan) or not _vanishes(base):
        return None
    return start


def _steps_with(found: sp.Sum, n: sp.Symbol) -> bool:
    """Upper bound ``n + c``, and nothing else of the sum depends on ``n``."""
    (_, lower, upper) = found.limits[0]
    return bool((upper - n).is_Integer and not lower.has(n) and not found.function.has(n))


def _peeled(expr: sp.Expr, n: sp.Symbol) -> sp.Expr:
    """Each sum up to ``n + 1 + c`` as the sum up to ``n + c`` plus its last term."""

    def peel(found: sp.Sum) -> sp.Expr:
        (index, lower, upper) = found.limits[0]
        if not upper.has(n):
            return found
        return sp.Sum(found.function, (index, lower, upper - 1)) + found.function.xreplace({index: upper})

    return expr.replace(lambda e: isinstance(e, sp.Sum), peel)


def _vanishes(expr: sp.Expr) -> bool:
    expr = sp.expand_log(expr, force=True) if expr.has(sp.log) else expr
    try:
        if is_zero(to_rational(expr)):
            return True
    except (ArithmeticError, TypeError, ValueError, NotImplementedError):
        pass
    return bool(sp.simplify(expr) == 0)


def _start(sums: list[sp.Sum], n: sp.Symbol, domain: Interval | None) -> sp.Integer:
    if domain is not None and domain.lo is not None:
        least = sp.floor(domain.lo) + 1 if domain.lo_open else sp.ceiling(domain.lo)
        return sp.Integer(least)
    # the first n at which every sum has a term: its upper bound reaches its lower one
    return sp.Integer(max(sp.ceiling(s.limits[0][1] - (s.limits[0][2] - n)) for s in sums))

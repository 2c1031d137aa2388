"""Numeric refutation: evaluate at rational points inside the domain, exactly where possible.

Symbols under a root are sampled as perfect powers (``α_t = (3/7)²``) so that ``√α_t`` stays
rational. Values that are still irrational are compared at 60 digits, and only a difference far
above the working precision counts.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import sympy as sp
from sympy.core.function import AppliedUndef

from derive.notation import REALS, Interval

DIGITS = 60
#: Relative difference below which two 60-digit values are not called different.
MARGIN = sp.Float(10, DIGITS) ** -40


@dataclass(frozen=True)
class Value:
    value: sp.Expr
    exact: bool


def domain_of(symbol: sp.Symbol, domains: Mapping[sp.Symbol, Interval]) -> Interval:
    if symbol in domains:
        return domains[symbol]
    if symbol.is_positive:
        return Interval(sp.Integer(0), None)
    return REALS


def points(
    symbols: list[sp.Symbol],
    domains: Mapping[sp.Symbol, Interval],
    roots: Mapping[sp.Symbol, int],
    seed: int,
) -> Iterator[dict[sp.Symbol, sp.Expr]]:
    """An endless, reproducible stream of points inside the domain."""
    rng = random.Random(seed)
    while True:
        yield {
            s: sp.Integer(rng.randint(1, 9)) if s.is_integer else _sample(rng, domain_of(s, domains), roots.get(s, 1))
            for s in symbols
        }


#: What a point cannot give a value to: a sequence known only by name, a function left unspecified.
UNEVALUABLE = (sp.Product, sp.Sum, sp.Indexed, sp.Limit, sp.Derivative, sp.Integral, AppliedUndef)


def evaluable(expr: sp.Expr) -> bool:
    return not expr.has(*UNEVALUABLE)


def _sample(rng: random.Random, interval: Interval, degree: int) -> sp.Rational:
    """A rational ``r**degree`` strictly inside ``interval`` with a small, unremarkable ``r``."""
    lo, hi = interval.lo, interval.hi
    root_lo = None if lo is None else (sp.Rational(0) if lo <= 0 else _root_bound(lo, degree))
    root_hi = None if hi is None else _root_bound(hi, degree)
    for _ in range(100):
        denominator = rng.choice((7, 11, 13, 17, 19, 23, 29, 31))
        if root_lo is not None and root_hi is not None:
            r = root_lo + (root_hi - root_lo) * sp.Rational(rng.randint(1, denominator - 1), denominator)
        elif root_lo is not None:
            r = root_lo + sp.Rational(rng.randint(1, 5 * denominator), denominator)
        elif root_hi is not None:
            r = root_hi - sp.Rational(rng.randint(1, 5 * denominator), denominator)
        else:
            r = sp.Rational(rng.randint(-4 * denominator, 4 * denominator), denominator)
        value = r**degree
        if interval.contains(value) and (degree % 2 == 1 or r > 0 or lo is None or lo >= 0):
            return sp.Rational(value)
    raise ValueError(f"could not sample inside {interval}")


def _root_bound(bound: sp.Expr, degree: int) -> sp.Rational:
    root = sp.root(bound, degree)
    return sp.Rational(root) if root.is_Rational else sp.nsimplify(sp.N(root, 20), rational=True)


def evaluate(expr: sp.Expr, point: Mapping[sp.Symbol, sp.Expr]) -> Value | None:
    """The value at ``point``, or None where it is undefined (a zero denominator, a log of zero)."""
    value = expr.xreplace(dict(point))
    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or value.free_symbols or not evaluable(value):
        return None
    if value.is_Rational:
        return Value(value, True)
    number = value.evalf(DIGITS)
    if not number.is_number or number.has(sp.zoo, sp.nan) or not number.is_finite:
        return None
    if number.as_real_imag()[1] != 0:
        return None
    return Value(number, False)


def differ(a: Value, b: Value) -> bool:
    if a.exact and b.exact:
        return bool(a.value != b.value)
    x, y = sp.Float(a.value, DIGITS), sp.Float(b.value, DIGITS)
    scale = max(abs(x), abs(y), sp.Float(1, DIGITS))
    return bool(abs(x - y) > MARGIN * scale)

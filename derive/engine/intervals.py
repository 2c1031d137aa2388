"""Interval arithmetic with open and closed ends: bounds an expression over the stated domain.

It is conservative (dependency between occurrences is ignored), so "0 is excluded" is a proof and
"0 is included" only a reason to look for the zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sympy as sp

from derive.exceptions import UnsupportedExpressionError
from derive.notation import Interval
from derive.objects import Density, Gaussian

INF = sp.oo


@dataclass(frozen=True)
class Bounds:
    lo: sp.Expr
    hi: sp.Expr
    lo_open: bool
    hi_open: bool

    @classmethod
    def point(cls, value: sp.Expr) -> Bounds:
        return cls(value, value, False, False)

    @classmethod
    def of(cls, interval: Interval) -> Bounds:
        lo = -INF if interval.lo is None else interval.lo
        hi = INF if interval.hi is None else interval.hi
        return cls(lo, hi, interval.lo_open or lo == -INF, interval.hi_open or hi == INF)

    def excludes_zero(self) -> bool:
        return bool(self.lo > 0 or self.hi < 0 or (self.lo == 0 and self.lo_open) or (self.hi == 0 and self.hi_open))

    def positive(self) -> bool:
        return bool(self.lo > 0 or (self.lo == 0 and self.lo_open))

    def nonnegative(self) -> bool:
        return bool(self.lo >= 0)

    def __add__(self, other: Bounds) -> Bounds:
        return Bounds(
            self.lo + other.lo, self.hi + other.hi, self.lo_open or other.lo_open, self.hi_open or other.hi_open
        )

    def __neg__(self) -> Bounds:
        return Bounds(-self.hi, -self.lo, self.hi_open, self.lo_open)

    def __mul__(self, other: Bounds) -> Bounds:
        products = []
        for a, a_open in ((self.lo, self.lo_open), (self.hi, self.hi_open)):
            for b, b_open in ((other.lo, other.lo_open), (other.hi, other.hi_open)):
                value = _times(a, b)
                products.append((value, (a_open or b_open) and not _pinned_zero(a, a_open, b, b_open)))
        lo = min(v for v, _ in products)
        hi = max(v for v, _ in products)
        return Bounds(lo, hi, all(o for v, o in products if v == lo), all(o for v, o in products if v == hi))

    def reciprocal(self) -> Bounds:
        if self.excludes_zero():
            return Bounds(_inverse(self.hi), _inverse(self.lo), self.hi_open, self.lo_open)
        # A pole inside: the expression is undefined there, a separate condition says so; away
        # from it the values are unbounded.
        if self.lo >= 0:
            return Bounds(_inverse(self.hi), INF, self.hi_open, True)
        if self.hi <= 0:
            return Bounds(-INF, _inverse(self.lo), True, self.lo_open)
        return Bounds(-INF, INF, True, True)

    def power(self, exponent: sp.Rational) -> Bounds:
        if exponent == 0:
            return Bounds.point(sp.Integer(1))
        if exponent < 0:
            return self.power(-exponent).reciprocal()
        if exponent.q != 1:
            clipped = Bounds(sp.Max(self.lo, 0), self.hi, self.lo_open and self.lo >= 0, self.hi_open)
            return Bounds(clipped.lo**exponent, clipped.hi**exponent, clipped.lo_open, clipped.hi_open)
        if exponent % 2 == 1 or self.lo >= 0:
            return Bounds(self.lo**exponent, self.hi**exponent, self.lo_open, self.hi_open)
        if self.hi <= 0:
            return Bounds(self.hi**exponent, self.lo**exponent, self.hi_open, self.lo_open)
        top = max(-self.lo, self.hi)
        return Bounds(sp.Integer(0), top**exponent, False, (self.hi_open if top == self.hi else self.lo_open))


def _times(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    if a == 0 or b == 0:
        return sp.Integer(0)
    return a * b


def _pinned_zero(a: sp.Expr, a_open: bool, b: sp.Expr, b_open: bool) -> bool:
    # 0 * anything is attained exactly when the 0 end is closed
    return (a == 0 and not a_open) or (b == 0 and not b_open)


def _inverse(value: sp.Expr) -> sp.Expr:
    if value == 0:
        return INF
    if value in (INF, -INF):
        return sp.Integer(0)
    return 1 / value


def bound(expr: sp.Expr, domains: Mapping[sp.Symbol, Bounds]) -> Bounds:
    """Bounds of ``expr`` when each symbol ranges over its domain."""
    if expr.is_Number:
        return Bounds.point(expr)
    if expr in domains:
        return domains[expr]
    if expr.is_Symbol:
        return Bounds(-INF, INF, True, True) if not expr.is_positive else Bounds(sp.Integer(0), INF, True, True)
    if isinstance(expr, sp.Add):
        result = bound(expr.args[0], domains)
        for arg in expr.args[1:]:
            result = result + bound(arg, domains)
        return result
    if isinstance(expr, sp.Mul):
        result = bound(expr.args[0], domains)
        for arg in expr.args[1:]:
            result = result * bound(arg, domains)
        return result
    if isinstance(expr, sp.Indexed) and expr.base in domains:
        # a term of a sequence: inside the domain of its terms (α_{t-1} like α_t)
        return domains[expr.base]
    if isinstance(expr, sp.Pow) and expr.exp.is_Rational:
        return bound(expr.base, domains).power(expr.exp)
    if isinstance(expr, sp.Pow) and expr.exp.is_real and bound(expr.base, domains).positive():
        # β^t: a positive base to any real power is positive
        return Bounds(sp.Integer(0), INF, True, True)
    if isinstance(expr, sp.exp):
        return Bounds(sp.Integer(0), INF, True, True)
    if expr == sp.pi:
        return Bounds.point(expr)
    if isinstance(expr, sp.Abs):
        inner = bound(expr.args[0], domains)
        return inner.power(sp.Integer(2)).power(sp.Rational(1, 2))
    if isinstance(expr, sp.log):
        return Bounds(-INF, INF, True, True)
    if isinstance(expr, (Density, Gaussian)):
        return Bounds(sp.Integer(0), INF, True, True)
    raise UnsupportedExpressionError(f"unsupported expression in a side condition: {expr.func.__name__}")

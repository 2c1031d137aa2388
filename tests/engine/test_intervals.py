"""Interval bounds with open and closed ends over the DDPM domain."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.engine.intervals import Bounds, bound
from derive.exceptions import UnsupportedExpressionError
from derive.notation import DDPM, Interval

N = DDPM
alpha_t, abar_tm1, x_t, sigma_tilde = N["alpha_t"], N["abar_tm1"], N["x_t"], N["sigma_tilde"]
DOMAINS = {s: Bounds.of(i) for s, i in N.domains.items()}
oo = sp.oo


def bounds(lo: sp.Expr, hi: sp.Expr, lo_open: bool, hi_open: bool) -> Bounds:
    return Bounds(sp.sympify(lo), sp.sympify(hi), lo_open, hi_open)


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        pytest.param(alpha_t, bounds(0, 1, True, True), id="alpha_t-open"),
        pytest.param(abar_tm1, bounds(0, 1, True, False), id="abar_tm1-closed-above"),
        pytest.param(1 - abar_tm1, bounds(0, 1, False, True), id="one-minus-abar_tm1-reaches-0"),
        pytest.param(1 - alpha_t * abar_tm1, bounds(0, 1, True, True), id="one-minus-abar_t-excludes-0"),
        pytest.param(alpha_t * abar_tm1, bounds(0, 1, True, True), id="product-open-at-1"),
        pytest.param(-alpha_t, bounds(-1, 0, True, True), id="negation-swaps-ends"),
        pytest.param(x_t**2, bounds(0, oo, False, True), id="even-power-of-real-reaches-0"),
        pytest.param(x_t**2 + 1, bounds(1, oo, False, True), id="shifted-square"),
        pytest.param(x_t**3, bounds(-oo, oo, True, True), id="odd-power-of-real"),
        pytest.param(1 / (1 - abar_tm1), bounds(1, oo, True, True), id="reciprocal-with-pole-at-0"),
        pytest.param(1 / alpha_t, bounds(1, oo, True, True), id="reciprocal-of-open-unit"),
        pytest.param(sp.sqrt(1 - abar_tm1), bounds(0, 1, False, True), id="root-keeps-closed-0"),
        pytest.param(sigma_tilde, bounds(0, oo, True, True), id="positive-symbol-without-domain"),
        pytest.param(sp.exp(x_t), bounds(0, oo, True, True), id="exp-is-positive"),
        pytest.param((1 - abar_tm1) * alpha_t, bounds(0, 1, False, True), id="closed-zero-times-open-stays-closed"),
        pytest.param(sp.Abs(x_t - 1), bounds(0, oo, False, True), id="abs"),
    ],
)
def test_bound(expr: sp.Expr, expected: Bounds) -> None:
    assert bound(expr, DOMAINS) == expected


@pytest.mark.parametrize(
    ("expr", "excludes_zero", "positive", "nonnegative"),
    [
        pytest.param(1 - abar_tm1, False, False, True, id="one-minus-abar_tm1"),
        pytest.param(1 - alpha_t * abar_tm1, True, True, True, id="one-minus-abar_t"),
        pytest.param(1 - alpha_t, True, True, True, id="beta_t"),
        pytest.param(alpha_t - 1, True, False, False, id="negative"),
        pytest.param(alpha_t - abar_tm1, False, False, False, id="changes-sign"),
        pytest.param(x_t**2, False, False, True, id="square-of-real"),
        pytest.param(x_t**2 + abar_tm1, True, True, True, id="square-plus-positive"),
    ],
)
def test_sign_questions(expr: sp.Expr, excludes_zero: bool, positive: bool, nonnegative: bool) -> None:
    found = bound(expr, DOMAINS)
    assert (found.excludes_zero(), found.positive(), found.nonnegative()) == (excludes_zero, positive, nonnegative)


@pytest.mark.parametrize(
    ("interval", "expected"),
    [
        pytest.param(Interval(None, None), bounds(-oo, oo, True, True), id="unbounded-ends-are-open"),
        pytest.param(Interval(sp.Integer(0), None, lo_open=False), bounds(0, oo, False, True), id="closed-lower"),
        pytest.param(Interval(sp.Integer(0), sp.Integer(1), hi_open=False), bounds(0, 1, True, False), id="unit"),
    ],
)
def test_bounds_of_interval(interval: Interval, expected: Bounds) -> None:
    assert Bounds.of(interval) == expected


def test_unsupported_function_raises() -> None:
    with pytest.raises(UnsupportedExpressionError, match="unsupported expression in a side condition: sin"):
        bound(sp.sin(alpha_t), DOMAINS)


@pytest.mark.parametrize(
    "expr",
    [
        pytest.param(1 - abar_tm1, id="one-minus-abar_tm1"),
        pytest.param((1 - alpha_t) * (1 - abar_tm1) / (1 - alpha_t * abar_tm1), id="posterior-variance"),
        pytest.param(alpha_t / (1 - alpha_t) + 1 / (1 - abar_tm1), id="quadratic-coefficient"),
        pytest.param(sp.sqrt(alpha_t) * x_t - x_t**2, id="mixed"),
    ],
)
def test_bounds_contain_sampled_values(expr: sp.Expr) -> None:
    # conservative means: every value the expression takes lies inside its bounds
    found = bound(expr, DOMAINS)
    grid = [sp.Rational(k, 17) for k in range(1, 17)] + [sp.Integer(1)]
    for a in grid[:-1]:
        for b in grid:
            value = expr.subs({alpha_t: a, abar_tm1: b, x_t: 3 * a - b})
            if value.has(sp.zoo):
                continue
            assert Interval(found.lo, found.hi, found.lo_open, found.hi_open).contains(value), (a, b, value)

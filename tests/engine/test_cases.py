"""Closed forms with special cases: decided where general, then at each special point."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.engine.cases import general, holds_at, special_points

r, n, x = sp.Symbol("r", real=True), sp.Symbol("n", integer=True), sp.Symbol("x", real=True)
GEOMETRIC = sp.Piecewise((n, sp.Eq(r, 1)), ((1 - r**n) / (1 - r), True))


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        pytest.param(GEOMETRIC, (1 - r**n) / (1 - r), id="a-point-branch-gives-way"),
        pytest.param(sp.Piecewise((n, sp.Eq(1 / r, 1)), (r, True)), r, id="solved-from-its-equation"),
        pytest.param(sp.Piecewise((x, x > 0), (-x, True)), sp.Piecewise((x, x > 0), (-x, True)), id="not-a-point"),
    ],
)
def test_general(expr: sp.Expr, expected: sp.Expr) -> None:
    assert general(expr) == expected


def test_special_points() -> None:
    assert special_points([2 * GEOMETRIC, sp.Piecewise((1, sp.Eq(1 / r, 1)), (0, True))]) == (((r, 1),),)


@pytest.mark.parametrize(
    ("lhs", "rhs", "holds"),
    [
        pytest.param(GEOMETRIC, (1 - r**n) / (1 - r), True, id="one-side-has-no-value-there"),
        pytest.param(GEOMETRIC * (1 - r), 1 - r**n, True, id="both-sides-agree-there"),
        pytest.param(GEOMETRIC, n + r - 1, True, id="equal-at-the-point"),
        pytest.param(GEOMETRIC, n + 1, False, id="differ-at-the-point"),
    ],
)
def test_holds_at(lhs: sp.Expr, rhs: sp.Expr, holds: bool) -> None:
    assert holds_at(lhs, rhs, ((r, sp.Integer(1)),)) is holds

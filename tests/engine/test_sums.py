"""Sums SymPy leaves unevaluated, split term by term."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.engine.sums import linear

i, n = sp.Symbol("i", integer=True), sp.Symbol("n", integer=True)
m = sp.Symbol("m", real=True)
x = sp.IndexedBase("x")


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        pytest.param(sp.Sum(x[i] - m, (i, 1, n)), sp.Sum(x[i], (i, 1, n)) - n * m, id="a-constant-term-summed"),
        pytest.param(sp.Sum(2 * m * x[i], (i, 1, n)), 2 * m * sp.Sum(x[i], (i, 1, n)), id="a-factor-outside"),
        pytest.param(sp.Sum(x[i], (i, 0, n - 1)), sp.Sum(x[i], (i, 0, n - 1)), id="one-term-stays"),
    ],
)
def test_linear(expr: sp.Expr, expected: sp.Expr) -> None:
    assert linear(expr) == expected

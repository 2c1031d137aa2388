"""Proof by induction on the bound of a sum SymPy cannot sum."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.engine.induction import by_induction
from derive.notation import Interval

k, n = sp.Symbol("k", integer=True), sp.Symbol("n", integer=True)
LOGS = sp.Sum(sp.log(1 + 1 / k), (k, 1, n))


@pytest.mark.parametrize(
    ("lhs", "rhs", "domains", "start"),
    [
        pytest.param(LOGS, sp.log(n + 1), {}, 1, id="from-the-first-term"),
        pytest.param(LOGS, sp.log(n + 1), {n: Interval(sp.Integer(3), None, lo_open=False)}, 3, id="from-the-domain"),
        pytest.param(LOGS, sp.log(n + 2), {}, None, id="a-wrong-closed-form"),
        pytest.param(LOGS + 1, sp.log(n + 1), {}, None, id="a-wrong-base-case"),
        pytest.param(sp.log(n + 1), sp.log(n + 1), {}, None, id="no-sum"),
    ],
)
def test_by_induction(lhs: sp.Expr, rhs: sp.Expr, domains: dict[sp.Symbol, Interval], start: int | None) -> None:
    assert by_induction(lhs, rhs, domains) == start

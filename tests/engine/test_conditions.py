"""Side conditions: what is divided by, rooted or logged, decided over the domain or pinned to t = 1."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.engine.conditions import requirements, side_conditions
from derive.engine.scope import Scope
from derive.model import Condition, ConditionKind
from derive.notation import DDPM
from derive.objects import Gaussian

N = DDPM
alpha_t, abar_tm1, beta_t, abar_t = N["alpha_t"], N["abar_tm1"], N["beta_t"], N["abar_t"]
x_t, x_0, A, z = N["x_t"], N["x_0"], N["A"], N["z"]
SCOPE = Scope(N).establish("beta").establish("abar-recursion")
(T1,) = N.boundaries
NONZERO, POSITIVE, NONNEGATIVE = ConditionKind.NONZERO, ConditionKind.POSITIVE, ConditionKind.NONNEGATIVE


def conditions_of(expr: sp.Expr, scope: Scope = SCOPE) -> tuple[Condition, ...]:
    return side_conditions(scope, [(expr, None)])


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        pytest.param(x_t / (1 - abar_tm1), [(1 - abar_tm1, NONZERO)], id="division"),
        pytest.param(x_t / A**2, [(A**2, NONZERO)], id="division-by-a-square-names-the-square"),
        pytest.param(sp.sqrt(1 - abar_tm1), [(1 - abar_tm1, NONNEGATIVE)], id="root"),
        pytest.param(1 / sp.sqrt(1 - abar_tm1), [(1 - abar_tm1, POSITIVE)], id="root-in-denominator"),
        pytest.param(sp.log(alpha_t), [(alpha_t, POSITIVE)], id="log"),
        pytest.param(Gaussian(z, x_0, 1 - abar_tm1), [(1 - abar_tm1, POSITIVE)], id="gaussian-variance"),
        pytest.param(x_t**2 + 2, [], id="nothing"),
        pytest.param(sp.sqrt(2) * x_t, [], id="numeric-root"),
    ],
)
def test_requirements(expr: sp.Expr, expected: list[tuple[sp.Expr, ConditionKind]]) -> None:
    assert [(sp.expand(e), k) for e, k in requirements(expr)] == [(sp.expand(e), k) for e, k in expected]


def test_requirements_are_outermost_first() -> None:
    found = requirements(sp.log(x_t / (1 - abar_tm1)))
    assert [k for _, k in found] == [POSITIVE, NONZERO]


def test_the_seeds_division_by_one_minus_abar_tm1_fails_at_t_equals_1() -> None:
    (condition,) = conditions_of(x_t / (1 - abar_tm1))
    assert condition.kind is NONZERO
    assert not condition.guaranteed
    assert condition.boundary is not None
    assert (condition.boundary.where, condition.boundary.excluded_by) == ("t = 1", r"t \geq 2")
    assert condition.boundary == T1


@pytest.mark.parametrize(
    ("expr", "kind"),
    [
        pytest.param(x_t / beta_t, NONZERO, id="beta_t-nonzero"),
        pytest.param(x_t / (1 - abar_t), NONZERO, id="one-minus-abar_t-nonzero"),
        pytest.param(sp.sqrt(1 - abar_t), NONNEGATIVE, id="one-minus-abar_t-root"),
        pytest.param(sp.log(1 - abar_t), POSITIVE, id="one-minus-abar_t-log"),
        pytest.param(sp.sqrt(1 - abar_tm1), NONNEGATIVE, id="one-minus-abar_tm1-nonnegative-even-at-t-1"),
    ],
)
def test_guaranteed_conditions(expr: sp.Expr, kind: ConditionKind) -> None:
    (condition,) = conditions_of(expr)
    assert condition.kind is kind
    assert condition.guaranteed
    assert condition.boundary is None
    assert condition.point is None


def test_conditions_are_stated_as_written_and_decided_after_rewriting() -> None:
    # β_t is a positive atom, but in independent symbols it is 1 - α_t, compound: worth a line
    (condition,) = conditions_of(x_t / beta_t)
    assert condition.expr == beta_t


def test_conditions_on_a_domain_symbol_are_not_repeated() -> None:
    # "α_t ≠ 0" only restates the domain
    assert conditions_of(x_t / alpha_t) == ()
    assert conditions_of(x_t / beta_t, Scope(N)) == ()


def test_a_failing_condition_away_from_the_boundary_comes_with_a_point() -> None:
    (condition,) = conditions_of(x_t / (alpha_t - abar_tm1))
    assert not condition.guaranteed
    assert condition.boundary is None
    assert condition.point is not None
    point = dict(condition.point)
    for symbol, value in point.items():
        assert N.domains[symbol].contains(value)
    assert (alpha_t - abar_tm1).xreplace(point) == 0


def test_repeats_are_dropped_and_via_names_the_definition() -> None:
    found = side_conditions(SCOPE, [(x_t / (1 - abar_tm1), None), (x_0 / (1 - abar_tm1), "defining-step")])
    assert len(found) == 1
    assert found[0].via is None
    (inherited,) = side_conditions(SCOPE, [(x_0 / (1 - abar_tm1), "defining-step")])
    assert inherited.via == "defining-step"


def test_conditions_see_through_definitions() -> None:
    scope = SCOPE.define(A, alpha_t / beta_t + 1 / (1 - abar_tm1), "quadratic-coefficient")
    (condition,) = conditions_of(x_t / A, scope)
    # A = (1 - ᾱ_t) / (β_t (1 - ᾱ_{t-1})) > 0 wherever it is defined
    assert condition.expr == A
    assert condition.guaranteed


def test_a_boundary_is_named_only_if_excluding_it_is_enough() -> None:
    (condition,) = conditions_of(x_0 / (x_t - abar_tm1 * x_t))
    assert not condition.guaranteed
    # excluding t = 1 does not make it hold: a point away from the boundary must be reported
    assert condition.point is not None
    point = dict(condition.point)
    assert point.get(abar_tm1) != 1
    assert (x_t - abar_tm1 * x_t).xreplace(point) == 0


@pytest.mark.parametrize(
    "expr",
    [
        pytest.param(x_t / (1 - 2**z), id="symbolic-exponent"),
        pytest.param(x_t / (1 - sp.Indexed(sp.IndexedBase("alpha"), N["i"])), id="indexed"),
    ],
)
def test_a_condition_on_what_interval_arithmetic_cannot_bound_is_stated_not_guaranteed(expr: sp.Expr) -> None:
    (condition,) = conditions_of(expr)
    assert condition.kind is NONZERO
    assert not condition.guaranteed
    assert not condition.never


def test_a_radical_condition_is_not_solved_for_a_point() -> None:
    # sp.solve on nested radicals can take minutes; the condition is stated without a point
    denominator = sp.sqrt(z) + sp.sqrt(z + 1) - 3
    (condition,) = [c for c in conditions_of(x_t / denominator) if c.kind is NONZERO]
    assert (condition.expr, condition.guaranteed, condition.point) == (denominator, False, None)

"""Growth checked before it happens (derive/engine/growth.py): an expression is measured on its unevaluated
tree, and what would grow beyond a limit raises ``GrowthError`` naming the limit, before SymPy computes it;
unfolding definitions measures each substitution before evaluating it."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.engine.growth import LIMITS, GrowthError, check, substituted
from derive.engine.scope import Scope
from derive.engine.timebound import Clock, time_bound
from derive.notation import DDPM

x, y, z = sp.symbols("x y z")
i = sp.Symbol("i", integer=True)
a = sp.IndexedBase("a")
#: wall seconds: without the check, SymPy computes these for minutes; this ends a test instead of hanging it
GENEROUS = 60.0


def power(base: sp.Expr | int, exponent: sp.Expr | int) -> sp.Expr:
    return sp.Pow(base, exponent, evaluate=False)


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        pytest.param(power(3, power(2, 30)), "an exponent of 1,073,741,824: beyond the limit of 1,000", id="3^(2^30)"),
        pytest.param(
            power(10, power(10, power(10, 9))),
            "an exponent of 1,000,000,000: beyond the limit of 1,000",
            id="10^10^10^9",
        ),
        pytest.param(power(x + 1, 5000), "an exponent of 5,000: beyond the limit of 1,000", id="binomial-power"),
        pytest.param(
            power(power(9, 1000), 5), "a number of about 4,772 digits: beyond the limit of 4,000 digits", id="9^5000"
        ),
        pytest.param(
            sp.Sum(a[i], (i, 1, power(10, 9))),
            "a sum of 1,000,000,000 terms: beyond the limit of 1,000 terms",
            id="sum-to-10^9",
        ),
        pytest.param(
            sp.Product(1 + a[i], (i, 1, 5000)),
            "a product of 5,000 factors: beyond the limit of 1,000 factors",
            id="product",
        ),
        pytest.param(power(power(x, 1000), 1000), "a degree of 1,000,000: beyond the limit of 10,000", id="degree"),
        pytest.param(
            power(x + y + z + 1, 100),
            "about 176,851 terms once multiplied out: beyond the limit of 100,000 terms",
            id="multiplied-out",
        ),
        pytest.param(
            sp.Mul(*(power(v + 1, 1000) for v in (x, y, z)), evaluate=False),
            "about 1,003,003,001 terms once multiplied out: beyond the limit of 100,000 terms",
            id="product-of-powers",
        ),
    ],
)
def test_what_would_grow_beyond_a_limit_is_refused_naming_it(expr: sp.Expr, message: str) -> None:
    with pytest.raises(GrowthError, match=f"^{message.replace('+', '[+]')}$"):
        check(expr)


@pytest.mark.parametrize(
    ("expr", "nodes", "digits", "degree", "expanded"),
    [
        pytest.param(x**5000, 3, 1, 5000, 1, id="a-symbol-to-a-high-power"),
        pytest.param(power(x + 1, 1000), 5, 302, 1000, 1001, id="at-the-limit"),
        pytest.param(power(x + y, 16), 5, 5, 16, 17, id="a-power-of-a-sum-has-its-monomials"),
        pytest.param(sp.Mul(x + y, x + y, evaluate=False), 7, 1, 2, 4, id="a-sum-times-itself"),
        pytest.param(sp.Sum(a[i], (i, 1, sp.Symbol("t"))), 9, 1, 2, 1, id="sum-to-a-symbol"),
        pytest.param(sp.Sum(a[i], (i, 1, 1000)), 4009, 4, 1, 1000, id="sum-of-a-thousand"),
        pytest.param(sp.Rational(10**200, 3), 1, 201, 0, 1, id="a-long-number"),
        pytest.param(sp.exp(power(x + 1, 3)) * y, 8, 1, 2, 1, id="a-function-is-taken-whole"),
    ],
)
def test_what_stays_within_the_limits_is_measured(
    expr: sp.Expr, nodes: int, digits: int, degree: int, expanded: int
) -> None:
    found = check(expr)
    assert (found.nodes, found.digits, found.degree, found.expanded) == (nodes, digits, degree, expanded)


def test_the_limits_stay_below_pythons_limit_on_printing_an_integer() -> None:
    assert LIMITS.digits < 4300


def test_a_shared_subtree_is_measured_once_but_counted_as_often_as_it_is_used() -> None:
    """a_k = g(a_{k-1}, a_{k-1}): the tree doubles at every step while its distinct parts grow by one."""
    g = sp.Function("g")
    expr: sp.Expr = x
    for _ in range(30):
        expr = g(expr, expr)
    with time_bound(GENEROUS, Clock.WALL), pytest.raises(GrowthError, match="parts once definitions are unfolded"):
        check(expr)


def test_a_substitution_is_built_unevaluated_for_measuring() -> None:
    """(3^2)^1000 squared stays a tree to measure: it is not computed."""
    nine, expr = power(3, 2), x**2 + y
    assert set(substituted(expr, {x: power(nine, 1000)}).args) == {power(power(nine, 1000), 2), y}
    assert substituted(expr, {z: sp.Integer(1)}) is expr


# -- unfolding definitions ------------------------------------------------------------------------------------


def chain(first: sp.Expr, step: str, length: int) -> tuple[Scope, sp.Symbol]:
    """``a_0 = first``, then ``a_k`` defined from ``a_{k-1}``: its square, or ``g(a_{k-1}, a_{k-1})``."""
    names = sp.symbols(f"a0:{length + 1}")
    scope = Scope(DDPM).define(names[0], first, "a0")
    for k in range(1, length + 1):
        before = names[k - 1]
        value = power(before, 2) if step == "square" else sp.Function("g")(before, before)
        scope = scope.define(names[k], value, f"a{k}")
    return scope, names[-1]


@pytest.mark.parametrize(
    ("first", "step", "message"),
    [
        pytest.param(sp.Integer(3), "square", "an exponent of 1,024: beyond the limit of 1,000", id="thirty-squares"),
        pytest.param(x + 1, "square", "an exponent of 1,024: beyond the limit of 1,000", id="squares-of-a-sum"),
        pytest.param(x, "double", "parts once definitions are unfolded", id="each-used-twice"),
    ],
)
def test_unfolding_definitions_stops_before_the_growth(first: sp.Expr, step: str, message: str) -> None:
    scope, last = chain(first, step, 30)
    with time_bound(GENEROUS, Clock.WALL), pytest.raises(GrowthError, match=message):
        scope.unfold(last)


def test_unfolding_within_the_limits_gives_the_value() -> None:
    scope, last = chain(sp.Integer(3), "square", 9)
    assert scope.unfold(last).expr == sp.Integer(3) ** 512

"""Numeric probing: reproducible points inside the domain, exact where roots allow, careful comparison."""

from __future__ import annotations

import random
from itertools import islice

import pytest
import sympy as sp

from derive.engine.probe import DIGITS, Value, differ, domain_of, evaluate, model_of, points
from derive.notation import DDPM, REALS, Interval, Notation

N = DDPM
alpha_t, abar_tm1, x_t, sigma, sigma_tilde, S = (
    N["alpha_t"],
    N["abar_tm1"],
    N["x_t"],
    N["sigma"],
    N["sigma_tilde"],
    N["S"],
)
SYMBOLS = [alpha_t, abar_tm1, x_t, sigma, sigma_tilde, S]


def take(count: int, roots: dict[sp.Symbol, int] | None = None, seed: int = 7) -> list[dict[sp.Symbol, sp.Expr]]:
    return list(islice(points(SYMBOLS, N.domains, roots or {}, seed), count))


@pytest.mark.parametrize(
    ("symbol", "expected"),
    [
        pytest.param(alpha_t, Interval(sp.Integer(0), sp.Integer(1)), id="registered-domain"),
        pytest.param(sigma_tilde, Interval(sp.Integer(0), None), id="positive-without-domain"),
        pytest.param(S, REALS, id="real-without-domain"),
    ],
)
def test_domain_of(symbol: sp.Symbol, expected: Interval) -> None:
    assert domain_of(symbol, N.domains) == expected


@pytest.mark.parametrize("roots", [pytest.param({}, id="plain"), pytest.param({alpha_t: 2, abar_tm1: 2}, id="squares")])
def test_points_lie_strictly_inside_the_domain(roots: dict[sp.Symbol, int]) -> None:
    for point in take(300, roots):
        assert set(point) == set(SYMBOLS)
        for symbol, value in point.items():
            assert value.is_Rational
            assert domain_of(symbol, N.domains).contains(value), (symbol, value)
        # the closed end ᾱ_{t-1} = 1 is the boundary t = 1, never a random point
        assert point[abar_tm1] != 1


def test_points_are_reproducible_and_depend_on_the_seed() -> None:
    assert take(20, seed=3) == take(20, seed=3)
    assert take(20, seed=3) != take(20, seed=4)


def test_points_vary() -> None:
    found = take(50)
    for symbol in SYMBOLS:
        assert len({p[symbol] for p in found}) > 10


@pytest.mark.parametrize("degree", [pytest.param(2, id="square"), pytest.param(3, id="cube")])
def test_symbols_under_roots_are_sampled_as_perfect_powers(degree: int) -> None:
    for point in take(100, {alpha_t: degree, x_t: degree}):
        for symbol in (alpha_t, x_t):
            root = sp.root(point[symbol], degree) if point[symbol] >= 0 else -sp.root(-point[symbol], degree)
            assert root.is_Rational, (symbol, point[symbol])


def test_an_empty_domain_cannot_be_sampled() -> None:
    empty = Interval(sp.Integer(1), sp.Integer(1))
    with pytest.raises(ValueError, match="could not sample inside"):
        next(points([alpha_t], {alpha_t: empty}, {}, 0))


@pytest.mark.parametrize(
    ("expr", "point", "expected"),
    [
        pytest.param(alpha_t / (1 - abar_tm1), {alpha_t: sp.Rational(1, 2), abar_tm1: sp.Integer(1)}, None, id="pole"),
        pytest.param(sp.log(abar_tm1 - 1), {abar_tm1: sp.Integer(1)}, None, id="log-of-zero"),
        pytest.param(sp.log(alpha_t - 1), {alpha_t: sp.Rational(1, 2)}, None, id="complex-log"),
        pytest.param(sp.sqrt(x_t), {x_t: sp.Integer(-4)}, None, id="complex-root"),
        pytest.param(alpha_t + x_t, {alpha_t: sp.Rational(1, 2)}, None, id="symbol-left-over"),
        pytest.param(
            sp.sqrt(alpha_t) / (1 - alpha_t), {alpha_t: sp.Rational(4, 9)}, Value(sp.Rational(6, 5), True), id="exact"
        ),
    ],
)
def test_evaluate(expr: sp.Expr, point: dict[sp.Symbol, sp.Expr], expected: Value | None) -> None:
    assert evaluate(expr, point) == expected


def test_evaluate_irrational_values_at_working_precision() -> None:
    found = evaluate(sp.sqrt(alpha_t), {alpha_t: sp.Rational(1, 2)})
    assert found is not None
    assert not found.exact
    assert abs(found.value - 1 / sp.sqrt(2)).evalf(DIGITS) < sp.Float(10, DIGITS) ** -(DIGITS - 2)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        pytest.param(Value(sp.Rational(1, 3), True), Value(sp.Rational(1, 3), True), False, id="exact-equal"),
        pytest.param(
            Value(sp.Rational(1, 3), True),
            Value(sp.Rational(1, 3) + sp.Rational(1, 10**80), True),
            True,
            id="exact-tiny",
        ),
        pytest.param(
            Value(sp.sqrt(2).evalf(DIGITS), False), Value((sp.sqrt(8) / 2).evalf(DIGITS), False), False, id="roundoff"
        ),
        pytest.param(
            Value(sp.sqrt(2).evalf(DIGITS), False),
            Value((sp.sqrt(2) + sp.Rational(1, 10**30)).evalf(DIGITS), False),
            True,
            id="far-above-precision",
        ),
        pytest.param(
            Value(sp.sqrt(2).evalf(DIGITS), False),
            Value((sp.sqrt(2) + sp.Rational(1, 10**55)).evalf(DIGITS), False),
            False,
            id="below-margin",
        ),
        pytest.param(
            Value(sp.Float("1e45", DIGITS), False),
            Value(sp.Float("1e45", DIGITS) + 1, False),
            False,
            id="relative-margin",
        ),
    ],
)
def test_differ(a: Value, b: Value, expected: bool) -> None:
    assert differ(a, b) is expected
    assert differ(b, a) is expected


# --- the sequence model: products over α_i get values -----------------------------------------------

t, i, alpha = N["t"], N["i"], N["alpha"]
MODEL = model_of(N)


@pytest.mark.parametrize(
    "index", [pytest.param(1, id="t=1-empty-product"), pytest.param(2, id="t=2"), pytest.param(7, id="t=7")]
)
def test_a_completed_point_means_what_the_notation_says(index: int) -> None:
    assert MODEL is not None
    point = MODEL.complete({t: sp.Integer(index), x_t: sp.Rational(1, 3)}, random.Random(index))
    assert point is not None
    terms = [point[alpha[k]] for k in range(1, index + 1)]
    assert all(0 < term < 1 for term in terms)
    assert point[N["alpha_t"]] == terms[-1]
    assert point[N["abar_tm1"]] == sp.Mul(*terms[:-1])
    assert point[N["abar_t"]] == sp.Mul(*terms)
    assert point[N["beta_t"]] == 1 - terms[-1]
    assert point[x_t] == sp.Rational(1, 3)


def test_a_point_without_the_index_draws_one() -> None:
    assert MODEL is not None
    point = MODEL.complete({}, random.Random(3))
    assert point is not None
    assert point[t].is_Integer
    assert point[t] >= 1


@pytest.mark.parametrize(
    ("expr", "index", "expected"),
    [
        pytest.param(sp.Product(alpha[i], (i, 1, t)), 3, "abar_t", id="product-to-t"),
        pytest.param(sp.Product(alpha[i], (i, 1, t - 1)), 1, 1, id="empty-product-is-one"),
        pytest.param(alpha[t] / sp.Product(alpha[i], (i, 1, t)), 4, "1/abar_tm1", id="term-over-product"),
        # Karr's convention and the author's may differ for a product that runs backwards: no value
        pytest.param(sp.Product(alpha[i], (i, 3, t - 1)), 1, None, id="backwards-product-has-no-value"),
    ],
)
def test_evaluate_products_at_a_completed_point(expr: sp.Expr, index: int, expected: object) -> None:
    assert MODEL is not None
    point = MODEL.complete({t: sp.Integer(index)}, random.Random(5))
    assert point is not None
    value = evaluate(expr, point)
    if expected is None:
        assert value is None
        return
    assert value is not None
    assert value.exact
    want = {"abar_t": point[N["abar_t"]], "1/abar_tm1": 1 / point[N["abar_tm1"]]}.get(str(expected), expected)
    assert value.value == want


def test_a_notation_without_products_has_no_model() -> None:
    assert model_of(Notation(N.entries)) is None


@pytest.mark.parametrize(
    ("interval", "allowed"),
    [
        pytest.param(None, set(range(1, 10)), id="no-domain-one-to-nine"),
        pytest.param(Interval(sp.Integer(2), None, lo_open=False), set(range(2, 11)), id="from-two"),
        pytest.param(Interval(sp.Integer(1), None), set(range(2, 11)), id="above-one-open"),
        pytest.param(Interval(sp.Integer(0), sp.Integer(3), lo_open=False, hi_open=False), {0, 1, 2, 3}, id="closed"),
        pytest.param(Interval(None, sp.Integer(-1), hi_open=False), set(range(-9, 0)), id="at-most-minus-one"),
    ],
)
def test_an_integer_is_sampled_inside_its_domain(interval: Interval | None, allowed: set[int]) -> None:
    n = sp.Symbol("n", integer=True)
    domains = {} if interval is None else {n: interval}
    seen = {int(point[n]) for point in islice(points([n], domains, {}, seed=7), 200)}
    assert seen == allowed

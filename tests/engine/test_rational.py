"""Rational forms: roots of symbols become fresh generators, logs factor, anything else is opaque."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.engine.rational import is_zero, root_degrees, to_rational
from derive.notation import DDPM

alpha_t, abar_tm1, x_t, x_0 = DDPM["alpha_t"], DDPM["abar_tm1"], DDPM["x_t"], DDPM["x_0"]
third, half = sp.Rational(1, 3), sp.Rational(1, 2)


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        pytest.param(sp.sqrt(alpha_t) + alpha_t, {alpha_t: 2}, id="square-root"),
        pytest.param(alpha_t**half + alpha_t**third, {alpha_t: 6}, id="lcm-of-degrees"),
        pytest.param(alpha_t ** sp.Rational(3, 2) + sp.sqrt(abar_tm1), {alpha_t: 2, abar_tm1: 2}, id="two-symbols"),
        pytest.param(sp.sqrt(1 - alpha_t), {}, id="compound-radicand-is-not-a-root-generator"),
        pytest.param(alpha_t**2 / abar_tm1, {}, id="integer-powers"),
    ],
)
def test_root_degrees(expr: sp.Expr, expected: dict[sp.Symbol, int]) -> None:
    assert root_degrees(expr) == expected


@pytest.mark.parametrize(
    ("expr", "degree"),
    [
        pytest.param(sp.sqrt(alpha_t) + alpha_t, 2, id="sqrt"),
        pytest.param(alpha_t**half + alpha_t**third - alpha_t ** sp.Rational(5, 6), 6, id="sixth-root"),
        pytest.param(alpha_t ** sp.Rational(-1, 2) * x_t, 2, id="reciprocal-root"),
    ],
)
def test_roots_of_symbols_become_polynomial_generators(expr: sp.Expr, degree: int) -> None:
    form = to_rational(expr)
    ((symbol, _root, q),) = form.roots
    assert (symbol, q) == (alpha_t, degree)
    assert form.faithful
    # no fractional powers are left: the form is a rational function of its generators
    assert all(p.exp.is_Integer for p in form.expr.atoms(sp.Pow))
    # and it is the original with alpha_t = root**degree: compare exactly at root = 2/3
    others = {s: sp.Rational(5, 7) for s in expr.free_symbols if s != alpha_t}
    generator = dict(form.symbols)
    at = {_root: sp.Rational(2, 3), **{generator[s]: v for s, v in others.items()}}
    original = expr.xreplace({alpha_t: sp.Rational(2, 3) ** degree, **others})
    assert original.is_Rational
    assert form.expr.xreplace(at) == original


@pytest.mark.parametrize(
    ("expr", "zero"),
    [
        pytest.param((sp.sqrt(alpha_t) + 1) ** 2 - alpha_t - 2 * sp.sqrt(alpha_t) - 1, True, id="square-of-root-sum"),
        pytest.param(
            (alpha_t**third + alpha_t**half) ** 2
            - alpha_t ** sp.Rational(2, 3)
            - 2 * alpha_t ** sp.Rational(5, 6)
            - alpha_t,
            True,
            id="mixed-roots",
        ),
        pytest.param((sp.sqrt(alpha_t) + 1) ** 2 - alpha_t - 1, False, id="missing-cross-term"),
        pytest.param(sp.Integer(0), True, id="zero"),
        pytest.param(sp.Rational(1, 2), False, id="nonzero-constant"),
        pytest.param(x_t / (1 - alpha_t) - x_t * (1 + alpha_t) / (1 - alpha_t**2), True, id="cancellation"),
    ],
)
def test_is_zero_with_roots(expr: sp.Expr, zero: bool) -> None:
    form = to_rational(expr)
    assert form.faithful
    assert is_zero(form) is zero


@pytest.mark.parametrize(
    ("expr", "zero"),
    [
        pytest.param(sp.log(alpha_t * abar_tm1) - sp.log(alpha_t) - sp.log(abar_tm1), True, id="log-of-product"),
        pytest.param(sp.log(alpha_t / abar_tm1) - sp.log(alpha_t) + sp.log(abar_tm1), True, id="log-of-quotient"),
        pytest.param(sp.log((1 - alpha_t) ** 2) - 2 * sp.log(1 - alpha_t), True, id="log-of-square"),
        # log((a-1)^2) = 2 log|1-a|: one generator for both signs of a factor
        pytest.param(sp.log((alpha_t - 1) ** 2) - 2 * sp.log(1 - alpha_t), True, id="log-of-square-either-sign"),
        pytest.param(sp.log(1 - alpha_t**2) - sp.log(1 - alpha_t) - sp.log(1 + alpha_t), True, id="factorises"),
        pytest.param(sp.log(sp.sqrt(alpha_t)) - sp.log(alpha_t) / 2, True, id="log-of-root"),
        pytest.param(sp.log(12) - 2 * sp.log(2) - sp.log(3), True, id="primes-of-constant"),
        pytest.param(sp.log(sp.Rational(3, 4)) - sp.log(3) + 2 * sp.log(2), True, id="primes-of-denominator"),
        pytest.param(sp.log(alpha_t * abar_tm1) - sp.log(alpha_t) + sp.log(abar_tm1), False, id="wrong-sign"),
        pytest.param(sp.log(2 * alpha_t) - sp.log(alpha_t), False, id="constant-left-over"),
        pytest.param(sp.log((1 - alpha_t) ** 2) - sp.log(1 - alpha_t), False, id="wrong-multiplicity"),
    ],
)
def test_logs_factor_into_independent_generators(expr: sp.Expr, zero: bool) -> None:
    form = to_rational(expr)
    assert is_zero(form) is zero
    # logs of factors and primes do not make the form unfaithful: a non-zero is a real non-zero
    assert form.faithful


@pytest.mark.parametrize(
    "expr",
    [
        pytest.param(sp.sin(alpha_t), id="sin"),
        pytest.param(sp.exp(x_t) + 1, id="exp"),
        pytest.param(sp.sqrt(1 - alpha_t), id="compound-radicand"),
        pytest.param(sp.log(sp.sin(alpha_t)), id="log-of-opaque"),
        pytest.param(sp.Abs(x_t), id="abs"),
        pytest.param(sp.pi * alpha_t, id="pi"),
    ],
)
def test_opaque_generators_make_the_form_unfaithful(expr: sp.Expr) -> None:
    assert not to_rational(expr).faithful


@pytest.mark.parametrize(
    ("expr", "zero"),
    [
        pytest.param(
            sp.sin(alpha_t) ** 2 + sp.sin(alpha_t) * (1 - sp.sin(alpha_t)) - sp.sin(alpha_t),
            True,
            id="zero-over-opaque",
        ),
        pytest.param(sp.exp(x_t) * (1 + x_0) - sp.exp(x_t) - x_0 * sp.exp(x_t), True, id="zero-over-exp"),
        pytest.param(sp.sin(alpha_t) - sp.cos(alpha_t), False, id="distinct-opaques"),
        # true but invisible with opaque generators: "not zero" is then no refutation
        pytest.param(sp.sin(x_t) ** 2 + sp.cos(x_t) ** 2 - 1, False, id="pythagoras-is-invisible"),
    ],
)
def test_opaque_generators_only_generalise(expr: sp.Expr, zero: bool) -> None:
    form = to_rational(expr)
    assert not form.faithful
    assert is_zero(form) is zero


b, u, v = sp.Symbol("b", positive=True), sp.Symbol("u", real=True), sp.Symbol("v", real=True)
t = sp.Symbol("t", integer=True)


@pytest.mark.parametrize(
    ("expr", "zero"),
    [
        pytest.param(b ** (-t - 1) * b**t * b - 1, True, id="a-symbolic-power-splits-into-one-generator"),
        pytest.param(b ** (t + 1) - b * b**t, True, id="the-power-of-a-sum-is-a-product"),
        pytest.param(b ** (2 * t) - (b**t) ** 2, True, id="an-integer-multiple-of-the-exponent"),
        pytest.param(b ** (t / 2) - b**t, False, id="a-fractional-multiple-stays-opaque"),
        pytest.param(sp.exp(-(u - v)) - sp.exp(v) / sp.exp(u), True, id="an-exponential-of-a-difference"),
        pytest.param(
            sp.log(sp.exp(u) + sp.exp(v)) - u - sp.log(1 + sp.exp(v - u)), True, id="the-log-of-e-to-the-u-is-u"
        ),
        pytest.param(sp.exp(u) - sp.exp(2 * u), False, id="different-exponentials"),
    ],
)
def test_symbolic_powers_and_exponentials(expr: sp.Expr, zero: bool) -> None:
    assert is_zero(to_rational(expr)) is zero

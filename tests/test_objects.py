"""Norms, Gaussians, densities and brackets: unevaluated as written, plain SymPy once expanded."""

from __future__ import annotations

import mpmath  # type: ignore[import-untyped]
import pytest
import sympy as sp

from derive.exceptions import UnsupportedExpressionError
from derive.notation import DDPM
from derive.objects import (
    KL,
    Bracket,
    Density,
    Expectation,
    Gaussian,
    Identity,
    Inner,
    Norm,
    Opaque,
    Transposed,
    expand_objects,
    opaque_parts,
)

x_t, x_0, z, mu = DDPM["x_t"], DDPM["x_0"], DDPM["z"], DDPM["mu"]
sigma, q = DDPM["sigma"], DDPM["q"]


def test_bracket_vanishes_on_evaluation_but_not_when_written() -> None:
    assert Bracket(x_t + 1) == x_t + 1
    with sp.evaluate(False):
        written = Bracket(x_t + 1)
    assert isinstance(written, Bracket)
    assert written.doit() == x_t + 1


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        pytest.param(Norm(x_t - x_0) ** 2, (x_t - x_0) ** 2, id="even-power-has-no-abs"),
        pytest.param(Norm(x_t - x_0) ** 4, (x_t - x_0) ** 4, id="fourth-power"),
        pytest.param(Norm(x_t - x_0), sp.Abs(x_t - x_0), id="plain-norm-is-abs"),
        pytest.param(Norm(x_t) ** 3, sp.Abs(x_t) ** 3, id="odd-power-keeps-abs"),
        pytest.param(x_t + 1, x_t + 1, id="nothing-to-expand"),
    ],
)
def test_expand_objects_norms(expr: sp.Expr, expected: sp.Expr) -> None:
    result = expand_objects(expr)
    assert not result.has(Norm)
    assert sp.expand(result - expected) == 0


def test_expand_objects_reaches_norms_inside_sums() -> None:
    result = expand_objects(Norm(x_t) ** 2 / 2 + Norm(x_0) ** 2)
    assert sp.expand(result - (x_t**2 / 2 + x_0**2)) == 0


@pytest.mark.parametrize(
    ("mean", "variance"),
    [
        pytest.param(sp.Integer(0), sp.Integer(1), id="standard"),
        pytest.param(sp.Rational(3, 2), sp.Rational(1, 4), id="narrow-shifted"),
        pytest.param(sp.Integer(-2), sp.Integer(3), id="wide"),
    ],
)
def test_gaussian_scalar_is_a_normal_density(mean: sp.Rational, variance: sp.Rational) -> None:
    # checked by quadrature, not against the same formula: mass 1, the right mean and variance
    density = sp.lambdify(z, Gaussian(z, mean, variance).scalar, "mpmath")
    with mpmath.workdps(30):
        m, v = mpmath.mpf(mean.p) / mean.q, mpmath.mpf(variance.p) / variance.q
        span = [-mpmath.inf, m, mpmath.inf]
        mass = mpmath.quad(density, span)
        first = mpmath.quad(lambda x: x * density(x), span)
        second = mpmath.quad(lambda x: (x - m) ** 2 * density(x), span)
        assert abs(mass - 1) < mpmath.mpf(10) ** -20
        assert abs(first - m) < mpmath.mpf(10) ** -20
        assert abs(second - v) < mpmath.mpf(10) ** -20


def test_gaussian_log_density_is_quadratic_in_z() -> None:
    log_density = sp.expand_log(sp.log(Gaussian(z, mu, sigma**2).scalar), force=True)
    assert sp.Poly(sp.expand(log_density), z).degree() == 2
    assert sp.simplify(sp.diff(log_density, z, 2) + 1 / sigma**2) == 0


def test_expand_objects_replaces_gaussians() -> None:
    result = expand_objects(sp.log(Gaussian(x_t, x_0, sigma**2)))
    assert not result.has(Gaussian)
    expected = -((x_t - x_0) ** 2) / (2 * sigma**2) - sp.log(2 * sp.pi * sigma**2) / 2
    point = {x_t: sp.Rational(3, 7), x_0: sp.Rational(-5, 11), sigma: sp.Rational(2, 3)}
    assert abs(sp.N((result - expected).xreplace(point), 50)) < 1e-40


def test_density_parts() -> None:
    density = Density(q, [x_t], [x_0])
    assert density.name == q
    assert density.variables == (x_t,)
    assert density.given == (x_0,)
    assert density.is_positive is True
    assert density.is_extended_real is True


@pytest.mark.parametrize(
    ("other", "equal"),
    [
        pytest.param(Density(q, [x_t], [x_0]), True, id="same"),
        pytest.param(Density(q, [x_0], [x_t]), False, id="swapped"),
        pytest.param(Density(q, [x_t], [x_0, z]), False, id="more-given"),
        pytest.param(Density(sp.Symbol("p"), [x_t], [x_0]), False, id="other-name"),
    ],
)
def test_densities_are_equal_by_name_variables_and_given(other: Density, equal: bool) -> None:
    # definitions are keyed by densities, so equality must be structural
    assert (Density(q, [x_t], [x_0]) == other) is equal
    if equal:
        assert hash(Density(q, [x_t], [x_0])) == hash(other)


# --- expectations under a Gaussian, and the KL divergence of two Gaussians ---------------------------

m, v = sp.Symbol("m", real=True), sp.Symbol("v", positive=True)


def normal_moment(k: int, mean: sp.Expr, variance: sp.Expr) -> sp.Expr:
    """E[x^k] by integration against the density: independent of the moment table the object uses."""
    x = sp.Symbol("x", real=True)
    density = sp.exp(-((x - mean) ** 2) / (2 * variance)) / sp.sqrt(2 * sp.pi * variance)
    return sp.integrate(x**k * density, (x, -sp.oo, sp.oo))


@pytest.mark.parametrize("k", [pytest.param(k, id=f"moment-{k}") for k in range(5)])
def test_expectation_gives_the_gaussian_moments(k: int) -> None:
    mean, variance = sp.Rational(3, 7), sp.Rational(2, 5)
    assert expand_objects(Expectation(z**k, z, mean, variance)) == normal_moment(k, mean, variance)


def test_expectation_of_a_log_density_is_its_entropy_negated() -> None:
    expected = -sp.log(2 * sp.pi * sigma**2) / 2 - sp.Rational(1, 2)
    value = expand_objects(Expectation(sp.log(Gaussian(z, mu, sigma**2)), z, mu, sigma**2))
    assert sp.simplify(sp.expand_log(value - expected, force=True)) == 0


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        pytest.param(Expectation(sp.exp(z**2), z, m, v), "not polynomial", id="exponential-of-a-square"),
        pytest.param(Expectation(1 / z, z, m, v), "not polynomial", id="reciprocal"),
        pytest.param(Expectation(z, z + 1, m, v), "not a symbol", id="over-an-expression"),
        pytest.param(KL(Gaussian(z, m, v), Gaussian(x_t, m, v)), "same variable", id="kl-different-variables"),
        pytest.param(KL(Density(q, [z]), Gaussian(z, m, v)), "same variable", id="kl-of-an-unknown-density"),
    ],
)
def test_what_has_no_closed_form_here_is_unsupported(expr: sp.Expr, message: str) -> None:
    with pytest.raises(UnsupportedExpressionError, match=message):
        expand_objects(expr)


def test_kl_of_two_gaussians_matches_integration() -> None:
    m1, v1, m2, v2 = sp.Rational(1, 3), sp.Rational(1, 2), sp.Rational(-2, 5), sp.Rational(3, 4)
    x = sp.Symbol("x", real=True)
    p = sp.exp(-((x - m1) ** 2) / (2 * v1)) / sp.sqrt(2 * sp.pi * v1)
    log_ratio = sp.expand_log(
        sp.log(p) - sp.log(sp.exp(-((x - m2) ** 2) / (2 * v2)) / sp.sqrt(2 * sp.pi * v2)), force=True
    )
    integrated = sp.integrate(sp.expand(p * log_ratio), (x, -sp.oo, sp.oo))
    value = expand_objects(KL(Gaussian(z, m1, v1), Gaussian(z, m2, v2)))
    assert abs(sp.N(value - integrated, 30)) < sp.Float(10, 30) ** -25


def test_kl_stays_written_until_expanded() -> None:
    divergence = KL(Gaussian(z, mu, sigma**2), Gaussian(z, x_0, sigma**2))
    assert isinstance(divergence.doit(), KL)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(sp.exp(2 * z), id="exponential"),
        pytest.param(2 ** (z - 1), id="power-of-two"),
        pytest.param(z**2 - 3 * sp.exp(-z / 2), id="polynomial-and-exponential"),
    ],
)
def test_expectation_of_exponentials_of_linear_terms_is_the_moment_generating_function(body: sp.Expr) -> None:
    mean, variance = sp.Rational(1, 3), sp.Rational(1, 2)
    # by numerical quadrature, which knows nothing of moment-generating functions
    density = sp.exp(-((z - mean) ** 2) / (2 * variance)) / sp.sqrt(2 * sp.pi * variance)
    integrand = sp.lambdify(z, body * density, modules="mpmath")
    with mpmath.workdps(40):
        integrated = mpmath.quad(integrand, [-mpmath.inf, mean, mpmath.inf])
        value = sp.N(expand_objects(Expectation(body, z, mean, variance)), 40)
        assert abs(mpmath.mpf(str(value)) - integrated) < mpmath.mpf(10) ** -30


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        pytest.param(Transposed(x_t) * x_0, x_t * x_0, id="transpose"),
        pytest.param(Inner(x_t, x_0 + 1), x_t * (x_0 + 1), id="inner-product"),
        pytest.param(Norm(Transposed(x_t)) ** 2, x_t**2, id="a-transpose-inside-a-norm"),
        pytest.param(sigma**2 * Identity(), sigma**2, id="identity"),
        pytest.param(Inner(Transposed(x_t), Identity() * x_0), x_t * x_0, id="nested"),
    ],
)
def test_vectors_are_read_per_coordinate(expr: sp.Expr, expected: sp.Expr) -> None:
    assert expand_objects(expr) == expected


def test_what_is_opaque_is_refused_by_name_and_printed_as_it_is_named() -> None:
    written = Opaque("an integral", x_t**2, x_t) + Opaque(r"terms left out (\dots)")
    assert opaque_parts(written) == (r"terms left out (\dots)", "an integral")
    assert str(Opaque("an integral", x_t)) == "<an integral>"
    assert sp.latex(Opaque("an integral", x_t)) == r"\langle\text{an integral}\rangle"
    with pytest.raises(UnsupportedExpressionError, match=r"^not checked: terms left out \(\\dots\); an integral$"):
        expand_objects(written)


def test_an_opaque_part_keeps_its_name_when_sympy_rebuilds_it() -> None:
    found = Opaque("a trace", x_t + x_0)
    assert found.xreplace({x_0: z}) == Opaque("a trace", x_t + z)
    assert found.what == "a trace"

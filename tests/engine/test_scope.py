"""Scopes: definitions unfold recursively, identities rewrite into independent symbols, products peel."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.engine.scope import Scope
from derive.exceptions import DerivationError, UnknownNameError
from derive.notation import DDPM
from derive.objects import Density, Gaussian

N = DDPM
alpha_t, abar_tm1, beta_t, abar_t = N["alpha_t"], N["abar_tm1"], N["beta_t"], N["abar_t"]
x_t, x_0, A, B, q = N["x_t"], N["x_0"], N["A"], N["B"], N["q"]
sigma_tilde, mu_tilde = N["sigma_tilde"], N["mu_tilde"]
alpha, i, t = N["alpha"], N["i"], N["t"]
A_VALUE = alpha_t / beta_t + 1 / (1 - abar_tm1)


def same(a: sp.Expr, b: sp.Expr) -> bool:
    return bool(sp.simplify(a - b) == 0)


def test_definitions_unfold_recursively() -> None:
    scope = (
        Scope(N)
        .define(A, A_VALUE, "quadratic")
        .define(sigma_tilde**2, 1 / A, "variance")
        .define(mu_tilde, B * sigma_tilde**2, "mean")
        .define(B, x_t / beta_t, "linear")
    )
    found = scope.unfold(mu_tilde)
    assert same(found.expr, (x_t / beta_t) / A_VALUE)
    assert found.definitions == {"mean", "variance", "quadratic", "linear"}
    assert found.identities == frozenset()


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        pytest.param(sigma_tilde**2, 1 / A_VALUE, id="the-defined-power"),
        pytest.param(sigma_tilde**4, 1 / A_VALUE**2, id="a-multiple-of-it"),
        pytest.param(sigma_tilde, sp.sqrt(1 / A_VALUE), id="the-positive-root"),
    ],
)
def test_a_positive_symbol_can_be_defined_by_its_square(expr: sp.Expr, expected: sp.Expr) -> None:
    scope = Scope(N).define(A, A_VALUE, "quadratic").define(sigma_tilde**2, 1 / A, "variance")
    found = scope.unfold(expr).expr
    assert not found.has(sigma_tilde)
    assert not found.has(A)
    point = {alpha_t: sp.Rational(1, 3), beta_t: sp.Rational(2, 3), abar_tm1: sp.Rational(1, 5)}
    assert sp.N((found - expected).xreplace(point), 50) == 0


def test_only_used_definitions_are_reported() -> None:
    scope = Scope(N).define(A, A_VALUE, "quadratic").define(B, x_t, "linear")
    assert scope.unfold(B + 1).definitions == {"linear"}
    assert scope.unfold(x_0).definitions == frozenset()


def test_densities_can_be_defined_and_unfold_into_formulas() -> None:
    density = Density(q, [x_t], [x_0])
    scope = Scope(N).define(density, Gaussian(x_t, x_0, beta_t), "forward")
    found = scope.unfold(sp.log(density))
    assert found.definitions == {"forward"}
    assert not found.expr.has(Density)
    assert not found.expr.has(Gaussian)


def test_redefining_a_name_raises() -> None:
    scope = Scope(N).define(A, A_VALUE, "first")
    with pytest.raises(DerivationError, match=r"step 'second' defines A again \(first defined by 'first'\)"):
        scope.define(A, 1 / beta_t, "second")


def test_a_redefinition_holds_from_its_scope_on() -> None:
    first = Scope(N).define(A, A_VALUE, "first")
    again = first.define(A, 1 / beta_t, "second", again=True)
    assert (first.unfold(A).expr, first.definitions[A].step_id) == (A_VALUE, "first")
    assert (again.unfold(A).expr, again.definitions[A].step_id) == (1 / beta_t, "second")
    assert len(again.definitions) == 1


def test_redefining_through_a_power_raises() -> None:
    scope = Scope(N).define(sigma_tilde**2, 1 / A, "variance")
    with pytest.raises(DerivationError, match="defines sigma_tilde again"):
        scope.define(sigma_tilde, A, "again")


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(x_t + 1, id="sum"),
        pytest.param(sp.Function("f")(x_t, x_t), id="function-of-a-repeated-symbol"),
        pytest.param(sp.Function("f")(x_t + 1), id="function-of-an-expression"),
        pytest.param(sp.sqrt(sigma_tilde), id="fractional-power"),
    ],
)
def test_only_symbols_positive_powers_and_densities_can_be_defined(name: sp.Expr) -> None:
    with pytest.raises(DerivationError, match="cannot define"):
        Scope(N).define(name, x_0, "bad")


def test_definitions_in_a_cycle_raise() -> None:
    scope = Scope(N).define(A, B + 1, "one").define(B, A, "two")
    with pytest.raises(DerivationError, match="cycle"):
        scope.unfold(A)


def test_scopes_do_not_change() -> None:
    empty = Scope(N)
    defined = empty.define(A, A_VALUE, "quadratic")
    assert empty.unfold(A).expr == A
    assert defined.unfold(A).expr != A


def test_product_peeling_proves_the_recursion_from_the_product() -> None:
    scope = Scope(N).establish("abar-product")
    found = scope.expand(abar_t)
    assert found.expr == alpha_t * abar_tm1
    assert found.identities == {"abar-product"}
    # the product written out peels the same way
    assert scope.expand(sp.Product(alpha[i], (i, 1, t))).expr == alpha_t * abar_tm1
    # and ᾱ_{t-1} is its own, shorter product: nothing to peel without α_{t-1}'s name
    assert scope.expand(abar_tm1).expr == abar_tm1


def test_without_identities_symbols_stay_as_they_are() -> None:
    found = Scope(N).expand(beta_t + abar_t)
    assert found.expr == beta_t + abar_t
    assert found.identities == frozenset()


@pytest.mark.parametrize(
    ("keys", "expected", "used"),
    [
        pytest.param(("abar-product",), alpha_t * abar_tm1, {"abar-product"}, id="product"),
        pytest.param(("abar-recursion",), alpha_t * abar_tm1, {"abar-recursion"}, id="recursion"),
        pytest.param(
            ("abar-product", "abar-recursion"), alpha_t * abar_tm1, {"abar-recursion"}, id="recursion-supersedes"
        ),
        pytest.param(("abar-recursion", "abar-product"), alpha_t * abar_tm1, {"abar-product"}, id="product-supersedes"),
    ],
)
def test_identities_of_the_same_family_supersede(keys: tuple[str, ...], expected: sp.Expr, used: set[str]) -> None:
    scope = Scope(N)
    for key in keys:
        scope = scope.establish(key)
    assert len(scope.identities) == 1
    (identity,) = scope.identities.values()
    assert identity.key == keys[-1]
    found = scope.expand(1 - abar_t)
    assert found.expr == 1 - expected
    assert found.identities == used


def test_identities_of_different_families_combine() -> None:
    scope = Scope(N).establish("beta").establish("abar-recursion")
    found = scope.expand((1 - abar_t) / beta_t)
    assert sp.cancel(found.expr - (1 - alpha_t * abar_tm1) / (1 - alpha_t)) == 0
    assert found.identities == {"beta", "abar-recursion"}


def test_establishing_an_unknown_identity_raises() -> None:
    with pytest.raises(UnknownNameError, match="unknown identity 'gamma'"):
        Scope(N).establish("gamma")


def test_expand_unfolds_then_rewrites_and_reports_both() -> None:
    scope = Scope(N).establish("beta").define(A, alpha_t / beta_t, "quadratic")
    found = scope.expand(A)
    assert sp.cancel(found.expr - alpha_t / (1 - alpha_t)) == 0
    assert found.definitions == {"quadratic"}
    assert found.identities == {"beta"}


def test_logs_are_expanded_after_rewriting() -> None:
    scope = Scope(N).establish("abar-recursion")
    found = scope.expand(sp.log(abar_t))
    assert found.expr == sp.log(alpha_t) + sp.log(abar_tm1)


def test_a_real_symbols_square_is_defined_by_its_square() -> None:
    # documents name variances sigma_t^2 with real symbols; every even power unfolds without a root
    scope = Scope(N).define(x_t**2, alpha_t, "square")
    assert scope.expand(x_t**4 + 1 / x_t**2).expr == alpha_t**2 + 1 / alpha_t


def test_a_function_definition_applies_to_any_arguments() -> None:
    f = sp.Function("f")
    scope = Scope(N).define(f(x_t, x_0), x_t - 2 * x_0, "function")
    assert scope.expand(f(x_0, alpha_t)).expr == x_0 - 2 * alpha_t
    assert scope.expand(f(x_t, x_0)).definitions == frozenset({"function"})

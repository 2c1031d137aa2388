"""The notation registry: symbols and their assumptions, domains, LaTeX names, identities, boundaries."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.exceptions import UnknownNameError
from derive.notation import DDPM, REALS, Interval

N = DDPM
t = N["t"]
HALF_OPEN_UNIT = Interval(sp.Integer(0), sp.Integer(1), hi_open=False)
UNIT = Interval(sp.Integer(0), sp.Integer(1))


@pytest.mark.parametrize(
    ("interval", "value", "inside"),
    [
        pytest.param(UNIT, sp.Rational(1, 2), True, id="open-interior"),
        pytest.param(UNIT, sp.Integer(0), False, id="open-lower-end"),
        pytest.param(UNIT, sp.Integer(1), False, id="open-upper-end"),
        pytest.param(UNIT, sp.Rational(-1, 3), False, id="below"),
        pytest.param(UNIT, sp.Rational(4, 3), False, id="above"),
        pytest.param(HALF_OPEN_UNIT, sp.Integer(1), True, id="closed-upper-end"),
        pytest.param(HALF_OPEN_UNIT, sp.Integer(0), False, id="half-open-lower-end"),
        pytest.param(Interval(sp.Integer(0), None, lo_open=False), sp.Integer(0), True, id="closed-lower-end"),
        pytest.param(Interval(sp.Integer(0), None), sp.Integer(10**9), True, id="unbounded-above"),
        pytest.param(REALS, sp.Integer(-(10**9)), True, id="reals"),
    ],
)
def test_interval_contains_respects_open_and_closed_ends(interval: Interval, value: sp.Expr, inside: bool) -> None:
    assert interval.contains(value) is inside


@pytest.mark.parametrize(
    ("key", "assumption"),
    [
        pytest.param("alpha_t", "positive", id="alpha_t"),
        pytest.param("abar_tm1", "positive", id="abar_tm1"),
        pytest.param("beta_t", "positive", id="beta_t"),
        pytest.param("abar_t", "positive", id="abar_t"),
        pytest.param("sigma_tilde", "positive", id="sigma_tilde"),
        pytest.param("x_t", "real", id="x_t"),
        pytest.param("mu_tilde", "real", id="mu_tilde"),
        pytest.param("t", "integer", id="t"),
    ],
)
def test_symbols_carry_their_assumptions(key: str, assumption: str) -> None:
    assert getattr(N[key], f"is_{assumption}") is True


def test_real_symbols_are_not_assumed_positive() -> None:
    # x_t can be negative: a positive assumption would let SymPy drop signs it must keep
    assert N["x_t"].is_positive is None


def test_unknown_symbol_raises() -> None:
    with pytest.raises(UnknownNameError, match="unknown symbol 'gamma_t'"):
        N["gamma_t"]


def test_unknown_identity_raises() -> None:
    with pytest.raises(UnknownNameError, match="unknown identity 'nope'"):
        N.identity("nope")


def test_domains_are_the_seed_domains() -> None:
    domains = N.domains
    assert domains[N["alpha_t"]] == UNIT
    # ᾱ_{t-1} = 1 is allowed (t = 1): the boundary the derivation has to deal with
    assert domains[N["abar_tm1"]] == HALF_OPEN_UNIT
    assert domains[N["x_t"]] == REALS
    # dependent symbols are bounded too, for steps that read them before their identity is stated
    assert domains[N["beta_t"]] == domains[N["abar_t"]] == UNIT
    assert {N["beta_t"], N["abar_t"]} <= N.dependent
    assert N["alpha_t"] not in N.dependent


@pytest.mark.parametrize(
    ("key", "latex"),
    [
        pytest.param("alpha_t", r"\alpha_t", id="single-char-subscript"),
        pytest.param("abar_tm1", r"\bar{\alpha}_{t-1}", id="braced-subscript"),
        pytest.param("x_0", "x_0", id="x_0"),
        pytest.param("sigma_tilde", r"\tilde{\sigma}_t", id="tilde"),
    ],
)
def test_latex_names(key: str, latex: str) -> None:
    assert N.latex_names[N[key]] == latex


@pytest.mark.parametrize(
    ("base", "index", "key"),
    [
        pytest.param(r"\alpha", t, "alpha_t", id="alpha_t"),
        pytest.param(r"\bar{\alpha}", t - 1, "abar_tm1", id="abar_tm1"),
        pytest.param(r"\bar{\alpha}", t, "abar_t", id="abar_t"),
        pytest.param("x", sp.Integer(0), "x_0", id="x_0"),
        pytest.param("S", None, "S", id="unsubscripted"),
    ],
)
def test_resolve_finds_registered_names(base: str, index: sp.Expr | None, key: str) -> None:
    assert N.resolve(base, index) == N[key]


def test_resolve_an_unregistered_index_of_a_sequence_gives_an_indexed_term() -> None:
    assert N.resolve(r"\alpha", t - 2) == N["alpha"][t - 2]


def test_resolve_unknown_names_gives_the_same_real_symbol_each_time() -> None:
    first, second = N.resolve("y", t + 1), N.resolve("y", t + 1)
    assert first == second
    assert first.is_real is True
    assert first not in {e.symbol for e in N}
    assert N.resolve("y", t + 1) != N.resolve("y", t)


def test_keys_and_latex_names_are_unique() -> None:
    entries = list(N)
    assert len({e.key for e in entries}) == len(entries)
    assert len({e.name for e in entries}) == len(entries)
    assert len({e.symbol for e in entries}) == len(entries)


def test_entry_of() -> None:
    entry = N.entry_of(N["abar_tm1"])
    assert entry is not None
    assert entry.key == "abar_tm1"
    assert N.entry_of(sp.Symbol("nobody")) is None


def test_identities_rewrite_dependent_symbols_into_independent_ones() -> None:
    alpha_t, abar_tm1 = N["alpha_t"], N["abar_tm1"]
    ((lhs, rhs),) = N.identity("beta").rewrites
    assert lhs == N["beta_t"]
    assert sp.expand(rhs - (1 - alpha_t)) == 0
    ((lhs, rhs),) = N.identity("abar-recursion").rewrites
    assert lhs == N["abar_t"]
    assert sp.expand(rhs - alpha_t * abar_tm1) == 0


def test_product_identity_defines_both_cumulative_products() -> None:
    identity = N.identity("abar-product")
    alpha, i = N["alpha"], N["i"]
    assert dict(identity.rewrites) == {
        N["abar_t"]: sp.Product(alpha[i], (i, 1, t)),
        N["abar_tm1"]: sp.Product(alpha[i], (i, 1, t - 1)),
    }
    # peeling α_t off the product needs α_t's own name
    assert identity.peels == ((alpha[t], N["alpha_t"]),)


def test_recursion_and_product_are_one_family() -> None:
    # so that establishing the recursion supersedes the product
    assert N.identity("abar-product").family == N.identity("abar-recursion").family
    assert N.identity("beta").family != N.identity("abar-recursion").family


def test_the_boundary_is_t_equals_1() -> None:
    (boundary,) = N.boundaries
    assert (boundary.symbol, boundary.value) == (N["abar_tm1"], 1)
    assert (boundary.where, boundary.excluded_by) == ("t = 1", r"t \geq 2")
    # the boundary must lie in the domain, or there would be nothing to exclude
    assert N.domains[boundary.symbol].contains(boundary.value)

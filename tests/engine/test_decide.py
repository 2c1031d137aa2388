"""Deciding claims: true ones proved (and how), false ones refuted at a point that really violates them,
the rest undecided and never proved. Also the step walk of ``derive.engine.check_steps``.

Counterexamples are re-checked here without the engine: the claim is rewritten into independent
symbols by hand (β_t = 1 - α_t, ᾱ_t = α_t ᾱ_{t-1}) and evaluated exactly, or at 50 digits.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterator
from typing import NoReturn

import pytest
import sympy as sp
from sympy.core.function import AppliedUndef

from derive.engine import Scope, check, check_steps
from derive.engine import decide as decide_module
from derive.engine.decide import comparison, decide
from derive.exceptions import DerivationError, DeriveError, UnsupportedExpressionError
from derive.model import (
    CheckConfig,
    CoefficientOf,
    Counterexample,
    Definition,
    Derivation,
    Equal,
    EqualUpToAdditive,
    EqualUpToTermIn,
    LimitAt,
    ProportionalIn,
    Prose,
    Relation,
    Section,
    Status,
    Step,
    Verdict,
)
from derive.notation import DDPM

N = DDPM
alpha_t, abar_tm1, beta_t, abar_t = N["alpha_t"], N["abar_tm1"], N["beta_t"], N["abar_t"]
x_t, x_tm1, x_0, A = N["x_t"], N["x_tm1"], N["x_0"], N["A"]
#: an unspecified function, as in "S = ... + C(x_t, x_0)"
C = sp.Function("C")
ONE = sp.Integer(1)
CONFIG = CheckConfig(jobs=1)
PROSE = Prose("", "")
#: the hand-made rewrite into independent symbols, for re-checking counterexamples
INDEPENDENT = {beta_t: 1 - alpha_t, abar_t: alpha_t * abar_tm1}
TINY = sp.Float(10, 50) ** -30

CONVENTIONS = (
    Step("noise", "s", alpha_t, 1 - beta_t, Definition(), PROSE, establishes="beta"),
    Step("recursion", "s", abar_t, alpha_t * abar_tm1, Definition(), PROSE, establishes="abar-recursion"),
)
SOURCE = (x_t - sp.sqrt(alpha_t) * x_tm1) ** 2 / beta_t + (x_tm1 - sp.sqrt(abar_tm1) * x_0) ** 2 / (1 - abar_tm1)


def derivation(*steps: Step) -> Derivation:
    return Derivation("test", PROSE, PROSE, N, (Section("s", PROSE),), CONVENTIONS + steps)


def claim(relation: Relation, lhs: sp.Expr | None, rhs: sp.Expr, step_id: str = "claim") -> Step:
    return Step(step_id, "s", lhs, rhs, relation, PROSE)


def verdict_of(relation: Relation, lhs: sp.Expr | None, rhs: sp.Expr, config: CheckConfig = CONFIG) -> Verdict:
    """The verdict of one claim after the conventions, with ``SOURCE`` as step "source" for coefficients."""
    source = Step("source", "s", None, SOURCE, Definition(), PROSE)
    return check(derivation(source, claim(relation, lhs, rhs)), config)[-1]


# --- independent re-evaluation ----------------------------------------------------------------------


def at(expr: sp.Expr, point: dict[sp.Symbol, sp.Expr]) -> sp.Expr:
    return sp.sympify(expr).doit().xreplace(INDEPENDENT).xreplace(point)


def differs(a: sp.Expr, b: sp.Expr) -> bool:
    if a.is_Rational and b.is_Rational:
        return bool(a != b)
    x, y = sp.N(a, 50), sp.N(b, 50)
    return bool(abs(x - y) > TINY * max(abs(x), abs(y), 1))


def coefficient(source: sp.Expr, var: sp.Symbol, power: int) -> sp.Expr:
    # by differentiation, not by expand().coeff() as the engine does
    return sp.diff(source, var, power).subs(var, 0) / math.factorial(power)


def sides_at(relation: Relation, lhs: sp.Expr | None, rhs: sp.Expr, cx: Counterexample) -> tuple[sp.Expr, sp.Expr]:
    """The two values the counterexample compares, computed here from the claim as written."""
    point = dict(cx.point)
    if isinstance(relation, Equal):
        assert lhs is not None
        return at(lhs, point), at(rhs, point)
    if isinstance(relation, (EqualUpToAdditive, ProportionalIn, EqualUpToTermIn)):
        assert lhs is not None
        assert cx.other is not None
        moved = dict(cx.other)
        if isinstance(relation, EqualUpToTermIn):
            # only variables outside the arguments may move; C(arguments) then stays what it is
            assert moved
            assert not set(moved) & set(relation.arguments)
            unspecified = {f: sp.Integer(0) for f in (lhs - rhs).atoms(AppliedUndef)}
            combined = (lhs - rhs).xreplace(unspecified)
        else:
            assert set(moved) == {relation.var}
            combined = lhs - rhs if isinstance(relation, EqualUpToAdditive) else lhs / rhs
        return at(combined, point), at(combined, {**point, **moved})
    if isinstance(relation, CoefficientOf):
        expected = coefficient(SOURCE.xreplace(INDEPENDENT), relation.var, relation.power)
        return at(relation.factor * rhs, point), at(expected, point)
    raise AssertionError(f"no independent check for {relation}")


def assert_inside_domain(point: dict[sp.Symbol, sp.Expr]) -> None:
    for symbol, value in point.items():
        assert symbol not in INDEPENDENT, f"{symbol} is not an independent symbol"
        assert value.is_Rational
        if symbol in N.domains:
            assert N.domains[symbol].contains(value), (symbol, value)
        elif symbol.is_positive:
            assert value > 0


# --- true claims are proved -------------------------------------------------------------------------

TRUE_CLAIMS = [
    pytest.param(Equal(), beta_t, 1 - alpha_t, "rational-function", id="equal-beta"),
    pytest.param(
        Equal(),
        (1 - abar_t) / (beta_t * (1 - abar_tm1)),
        alpha_t / beta_t + 1 / (1 - abar_tm1),
        "rational-function",
        id="equal-common-denominator",
    ),
    pytest.param(
        Equal(),
        (sp.sqrt(alpha_t) + 1) ** 2,
        alpha_t + 2 * sp.sqrt(alpha_t) + 1,
        r"rational-function\+roots",
        id="equal-roots",
    ),
    pytest.param(
        Equal(),
        sp.sqrt(abar_tm1) * beta_t / (1 - abar_t) + sp.sqrt(alpha_t) * (1 - abar_tm1) / (1 - abar_t),
        (sp.sqrt(abar_tm1) * beta_t + sp.sqrt(alpha_t) - sp.sqrt(alpha_t) * abar_tm1) / (1 - abar_t),
        r"rational-function\+roots",
        id="equal-posterior-mean-terms",
    ),
    pytest.param(Equal(), sp.exp(x_t) * sp.exp(-x_0), sp.exp(x_t - x_0), "rational-function", id="equal-exponentials"),
    pytest.param(Equal(), sp.log(abar_t), sp.log(alpha_t) + sp.log(abar_tm1), "rational-function", id="equal-logs"),
    pytest.param(
        Equal(), sp.sin(x_t) ** 2 + sp.cos(x_t) ** 2, ONE, "simplify", id="equal-trigonometric-needs-simplify"
    ),
    pytest.param(
        EqualUpToAdditive(x_tm1),
        (x_tm1 - sp.sqrt(abar_tm1) * x_0) ** 2 / (1 - abar_tm1),
        (x_tm1**2 - 2 * sp.sqrt(abar_tm1) * x_0 * x_tm1) / (1 - abar_tm1),
        # the roots may cancel in the derivative before the rational test sees them
        r"rational-function(\+roots)?",
        id="up-to-additive",
    ),
    pytest.param(
        # what is left over, ᾱ_{t-1} x_0² / (1 - ᾱ_{t-1}) + x_t², depends on ᾱ_{t-1} too
        EqualUpToTermIn((x_t, x_0, abar_tm1)),
        (x_tm1 - sp.sqrt(abar_tm1) * x_0) ** 2 / (1 - abar_tm1) + (x_t - x_tm1) ** 2,
        (1 / (1 - abar_tm1) + 1) * x_tm1**2
        - 2 * (sp.sqrt(abar_tm1) * x_0 / (1 - abar_tm1) + x_t) * x_tm1
        + C(x_t, x_0, abar_tm1),
        r"rational-function(\+roots)?",
        id="up-to-term-in-arguments",
    ),
    pytest.param(
        EqualUpToTermIn((x_t,)),
        (x_tm1 + x_t) ** 2,
        x_tm1**2 + 2 * x_t * x_tm1,
        "rational-function",
        id="up-to-term-without-C",
    ),
    pytest.param(
        ProportionalIn(x_tm1),
        sp.exp(-((x_tm1 - x_0) ** 2) / (2 * beta_t)),
        sp.exp((2 * x_0 * x_tm1 - x_tm1**2) / (2 * beta_t)),
        "rational-function",
        id="proportional",
    ),
    pytest.param(
        CoefficientOf("source", x_tm1, 2),
        None,
        alpha_t / beta_t + 1 / (1 - abar_tm1),
        "rational-function",
        id="coefficient",
    ),
    pytest.param(
        CoefficientOf("source", x_tm1, 1, sp.Integer(-2)),
        None,
        sp.sqrt(alpha_t) * x_t / beta_t + sp.sqrt(abar_tm1) * x_0 / (1 - abar_tm1),
        "rational-function",
        id="coefficient-with-factor",
    ),
    pytest.param(
        LimitAt(abar_tm1, ONE), beta_t * (1 - abar_tm1) / (1 - abar_t), sp.Integer(0), "rational-function", id="limit"
    ),
    pytest.param(
        LimitAt(abar_tm1, ONE),
        (sp.exp(1 - abar_tm1) - 1) / (1 - abar_tm1),
        ONE,
        "rational-function",
        id="limit-needs-limit",
    ),
]


@pytest.mark.parametrize(("relation", "lhs", "rhs", "method"), TRUE_CLAIMS)
def test_true_claims_are_proved(relation: Relation, lhs: sp.Expr | None, rhs: sp.Expr, method: str) -> None:
    verdict = verdict_of(relation, lhs, rhs)
    assert verdict.status is Status.PROVED, verdict.reason
    assert re.fullmatch(method, verdict.method), verdict.method
    assert verdict.counterexample is None


# --- false claims are refuted at a point that violates them ------------------------------------------

FALSE_CLAIMS = [
    pytest.param(
        Equal(),
        (1 - abar_t) / (beta_t * (1 - abar_tm1)),
        alpha_t / beta_t - 1 / (1 - abar_tm1),
        id="equal-sign-flip",
    ),
    pytest.param(Equal(), 1 - abar_t, 1 - abar_tm1, id="equal-abar-swap"),
    pytest.param(Equal(), sp.sqrt(abar_t), sp.sqrt(alpha_t) + sp.sqrt(abar_tm1), id="equal-roots"),
    pytest.param(Equal(), sp.sqrt(alpha_t) * x_t / beta_t, alpha_t * x_t / beta_t, id="equal-dropped-root"),
    pytest.param(Equal(), sp.exp(x_t) * sp.exp(x_0), sp.exp(x_t - x_0), id="equal-exponentials"),
    pytest.param(Equal(), sp.log(abar_t), sp.log(alpha_t) - sp.log(abar_tm1), id="equal-logs"),
    pytest.param(Equal(), sp.sin(x_t) ** 2 + sp.cos(x_t) ** 2, sp.Integer(2), id="equal-opaque"),
    pytest.param(
        EqualUpToAdditive(x_tm1),
        (x_tm1 - sp.sqrt(abar_tm1) * x_0) ** 2,
        x_tm1**2 + 2 * sp.sqrt(abar_tm1) * x_0 * x_tm1,
        id="up-to-additive",
    ),
    pytest.param(
        ProportionalIn(x_tm1),
        sp.exp(-((x_tm1 - x_0) ** 2) / (2 * beta_t)),
        sp.exp((-2 * x_0 * x_tm1 - x_tm1**2) / (2 * beta_t)),
        id="proportional",
    ),
    pytest.param(
        EqualUpToTermIn((x_t, x_0)),
        (x_tm1 - sp.sqrt(abar_tm1) * x_0) ** 2 / (1 - abar_tm1),
        x_tm1**2 / (1 - abar_tm1) + C(x_t, x_0),
        id="up-to-term-depends-on-another-variable",
    ),
    pytest.param(
        EqualUpToTermIn((x_t,)),
        (x_t - x_0) ** 2 + x_tm1,
        x_t**2 + x_tm1 + C(x_t),
        id="up-to-term-depends-on-x0",
    ),
    pytest.param(CoefficientOf("source", x_tm1, 2), None, 1 / beta_t + 1 / (1 - abar_tm1), id="coefficient"),
    pytest.param(
        CoefficientOf("source", x_tm1, 1, sp.Integer(2)),
        None,
        sp.sqrt(alpha_t) * x_t / beta_t + sp.sqrt(abar_tm1) * x_0 / (1 - abar_tm1),
        id="coefficient-wrong-factor",
    ),
]


@pytest.mark.parametrize(("relation", "lhs", "rhs"), FALSE_CLAIMS)
def test_false_claims_are_refuted_at_a_violating_point(relation: Relation, lhs: sp.Expr | None, rhs: sp.Expr) -> None:
    verdict = verdict_of(relation, lhs, rhs)
    assert verdict.status is Status.REFUTED
    assert verdict.method
    cx = verdict.counterexample
    assert cx is not None
    point = dict(cx.point)
    assert_inside_domain(point)
    if cx.other is not None:
        assert_inside_domain(dict(cx.other))
    left, right = sides_at(relation, lhs, rhs, cx)
    assert differs(left, right), (left, right)
    # the values the counterexample reports are the values there
    assert not differs(left, sp.sympify(cx.left))
    assert not differs(right, sp.sympify(cx.right))
    assert (
        cx.compared
        == {
            Equal: "values",
            EqualUpToAdditive: "differences",
            EqualUpToTermIn: "differences",
            ProportionalIn: "ratios",
            CoefficientOf: "coefficient",
        }[type(relation)]
    )


WITH_ROOTS = ("equal-roots", "equal-dropped-root", "up-to-additive", "up-to-term-depends-on-another-variable")


@pytest.mark.parametrize(("relation", "lhs", "rhs"), [p for p in FALSE_CLAIMS if p.id in WITH_ROOTS])
def test_counterexamples_make_roots_rational(relation: Relation, lhs: sp.Expr | None, rhs: sp.Expr) -> None:
    verdict = verdict_of(relation, lhs, rhs)
    cx = verdict.counterexample
    assert cx is not None
    assert cx.exact
    written = sp.sympify(rhs if lhs is None else lhs - rhs).xreplace(INDEPENDENT)
    radicands = {p.base for p in written.atoms(sp.Pow) if p.exp == sp.Rational(1, 2)}
    assert radicands
    point = dict(cx.point)
    for radicand in radicands:
        assert sp.sqrt(radicand.xreplace(point)).is_Rational, (radicand, point)


def test_a_left_over_term_in_a_variable_outside_the_arguments_is_refuted() -> None:
    # the same claim as "up-to-term-in-arguments", but C may not depend on ᾱ_{t-1}
    lhs = (x_tm1 - sp.sqrt(abar_tm1) * x_0) ** 2 / (1 - abar_tm1)
    rhs = x_tm1**2 / (1 - abar_tm1) - 2 * sp.sqrt(abar_tm1) * x_0 * x_tm1 / (1 - abar_tm1) + C(x_t, x_0)
    verdict = verdict_of(EqualUpToTermIn((x_t, x_0)), lhs, rhs)
    assert verdict.status is Status.REFUTED
    assert verdict.counterexample is not None
    assert dict(verdict.counterexample.other or ()).keys() >= {abar_tm1}


def test_the_unspecified_term_may_not_depend_on_more_than_its_arguments() -> None:
    lhs = (x_tm1 - sp.sqrt(abar_tm1) * x_0) ** 2 / (1 - abar_tm1)
    rhs = x_tm1**2 / (1 - abar_tm1) - 2 * sp.sqrt(abar_tm1) * x_0 * x_tm1 / (1 - abar_tm1) + C(x_t, x_0)
    try:
        verdict = verdict_of(EqualUpToTermIn((x_t, x_0, abar_tm1)), lhs, rhs)
    except DeriveError:
        return  # rejecting the mismatch is as good as refuting it
    assert verdict.status is not Status.PROVED


def test_a_false_limit_is_refuted() -> None:
    verdict = verdict_of(LimitAt(abar_tm1, ONE), beta_t * (1 - abar_tm1) / (1 - abar_t), ONE)
    assert verdict.status is Status.REFUTED
    assert verdict.counterexample is not None
    # near ᾱ_{t-1} = 1 (from inside the domain) the left side is near 0, not 1
    near = {abar_tm1: 1 - sp.Rational(1, 10**20), alpha_t: sp.Rational(1, 3)}
    assert abs(sp.N(at(beta_t * (1 - abar_tm1) / (1 - abar_t), near) - 1, 50)) > sp.Rational(1, 2)


def test_without_probes_the_rational_test_refutes_and_the_search_finds_the_point() -> None:
    # no random points first: the faithful rational form is non-zero, so 200 points are searched
    lhs, rhs = sp.sqrt(abar_t), sp.sqrt(alpha_t) + sp.sqrt(abar_tm1)
    verdict = verdict_of(Equal(), lhs, rhs, CheckConfig(jobs=1, probes=0))
    assert verdict.status is Status.REFUTED
    assert verdict.method == "rational-function"
    cx = verdict.counterexample
    assert cx is not None
    assert cx.exact
    assert_inside_domain(dict(cx.point))
    left, right = sides_at(Equal(), lhs, rhs, cx)
    assert differs(left, right)


@pytest.mark.parametrize(
    ("lhs", "rhs", "phases"),
    [
        pytest.param(beta_t, alpha_t, ["numeric probe"], id="refuted-by-the-probe"),
        pytest.param(beta_t, 1 - alpha_t, ["numeric probe", "rational-function test"], id="proved-rationally"),
        pytest.param(
            sp.sin(x_t) ** 2 + sp.cos(x_t) ** 2,
            ONE,
            ["numeric probe", "rational-function test", "simplify"],
            id="proved-by-simplify",
        ),
    ],
)
def test_decide_reports_its_phases_in_order(lhs: sp.Expr, rhs: sp.Expr, phases: list[str]) -> None:
    # the phases name where a time bound was hit; they must follow the order of the work
    scope = Scope(N).establish("beta").establish("abar-recursion")
    seen: list[str] = []
    claim = comparison(Equal(), scope, scope.expand(lhs).expr, scope.expand(rhs).expr, None)
    decide(claim, scope, CONFIG, seen.append)
    assert seen == phases


# --- products over the sequence α_1 … α_t: a concrete model ------------------------------------------

t, i, alpha = N["t"], N["i"], N["alpha"]


@pytest.mark.parametrize(
    ("lhs", "rhs"),
    [
        pytest.param(abar_t, sp.Product(alpha[i], (i, 2, t)), id="product-from-2"),
        pytest.param(abar_tm1, sp.Product(alpha[i], (i, 1, t)), id="product-to-t-for-abar-tm1"),
        pytest.param(abar_t, sp.Product(alpha[i] ** 2, (i, 1, t)), id="product-of-squares"),
        pytest.param(alpha[t - 1], 1 - beta_t, id="the-term-before-is-not-alpha-t"),
    ],
)
def test_wrong_products_are_refuted_at_a_point_of_the_sequence(lhs: sp.Expr, rhs: sp.Expr) -> None:
    verdict = verdict_of(Equal(), lhs, rhs)
    assert verdict.status is Status.REFUTED
    cx = verdict.counterexample
    assert cx is not None
    point = dict(cx.point)
    n = int(point[t])
    terms = {alpha[k]: point[alpha[k]] for k in range(1, n + 1)}
    assert all(0 < v < 1 for v in terms.values())
    # what the symbols mean at that point, computed here from the terms the counterexample lists
    meaning = {
        alpha_t: terms[alpha[n]],
        abar_tm1: sp.Mul(*(terms[alpha[k]] for k in range(1, n))),
        abar_t: sp.Mul(*terms.values()),
        beta_t: 1 - terms[alpha[n]],
        t: n,
    }
    left, right = (sp.sympify(e).xreplace(meaning).doit().xreplace(terms) for e in (lhs, rhs))
    assert left != right
    assert (left, right) == (cx.left, cx.right)


def test_a_true_product_is_never_refuted() -> None:
    verdict = verdict_of(Equal(), alpha_t * sp.Product(alpha[i], (i, 1, t - 1)), sp.Product(alpha[i], (i, 1, t)))
    assert verdict.status in (Status.PROVED, Status.UNDECIDED)


# --- undecided: beyond the engine, never proved ------------------------------------------------------

BEYOND = [
    pytest.param(sp.atan(alpha_t) + sp.atan(1 / alpha_t), sp.pi / 2, id="arctangent-reflection"),
    pytest.param(sp.acos(alpha_t), sp.pi / 2 - sp.asin(alpha_t), id="arccos-arcsin"),
]


@pytest.mark.parametrize(("lhs", "rhs"), BEYOND)
@pytest.mark.parametrize("seed", [pytest.param(1, id="seed-1"), pytest.param(20201219, id="default-seed")])
def test_identities_beyond_the_engine_are_undecided_never_proved(lhs: sp.Expr, rhs: sp.Expr, seed: int) -> None:
    # true on the domain (checked here at a point), but neither cancel nor simplify reaches zero
    assert abs(sp.N((lhs - rhs).subs(alpha_t, sp.Rational(2, 7)), 50)) < TINY
    verdict = verdict_of(Equal(), lhs, rhs, CheckConfig(jobs=1, seed=seed))
    assert verdict.status is Status.UNDECIDED
    assert verdict.method == "exhausted"
    assert verdict.counterexample is None
    assert "neither the rational-function test nor simplify" in verdict.reason


#: an injected method spins this long at most, so that a broken bound fails the test instead of hanging it
GIVE_UP = 120.0


def never_finishes(*args: object) -> NoReturn:
    """A proof method that cannot finish inside any bound: pure-Python work, interrupted only by the bound."""
    end = time.monotonic() + GIVE_UP
    while time.monotonic() < end:
        pass
    raise AssertionError(f"the time bound did not interrupt a method that ran {GIVE_UP:g} s")


SLOW = [
    pytest.param("to_rational", "rational-function test", id="rational-function-test"),
    pytest.param("simplify", "simplify", id="simplify"),
]


@pytest.mark.parametrize(("method", "phase"), SLOW)
def test_the_time_bound_makes_a_step_undecided(monkeypatch: pytest.MonkeyPatch, method: str, phase: str) -> None:
    # atan(a) + atan(1/a) = π/2 is true, and the rational-function test cannot show it: simplify runs too
    if method == "simplify":
        monkeypatch.setattr(decide_module.sp, "simplify", never_finishes)
    else:
        monkeypatch.setattr(decide_module, method, never_finishes)
    lhs, rhs = sp.atan(alpha_t) + sp.atan(1 / alpha_t), sp.pi / 2
    # a bound of 1 s: the method it stops never finishes, and the search around it (4 s) has room to spare
    verdict = verdict_of(Equal(), lhs, rhs, CheckConfig(jobs=1, time_bound=1))
    assert (verdict.status, verdict.method, verdict.reason) == (
        Status.UNDECIDED,
        "time-bound",
        f"the time bound of 1 s was hit during {phase}",
    )


@pytest.mark.parametrize(("method", "phase"), SLOW)
def test_a_proof_method_out_of_time_never_hides_a_refutation(
    monkeypatch: pytest.MonkeyPatch, method: str, phase: str
) -> None:
    # no probe before the proof methods: the counterexample comes from the search after them, which
    # runs to completion however long they took (a loaded machine gives the same verdict)
    if method == "simplify":
        monkeypatch.setattr(decide_module.sp, "simplify", never_finishes)
    else:
        monkeypatch.setattr(decide_module, method, never_finishes)
    lhs, rhs = sp.atan(alpha_t) + sp.atan(1 / alpha_t), sp.pi / 3
    verdict = verdict_of(Equal(), lhs, rhs, CheckConfig(jobs=1, time_bound=1, probes=0))
    assert verdict.status is Status.REFUTED
    assert verdict.method == "numeric-probe"
    assert verdict.counterexample is not None


TRUE_BEYOND_RATIONAL = claim(Equal(), sp.atan(alpha_t) + sp.atan(1 / alpha_t), sp.pi / 2)


def test_the_file_deadline_stops_a_step_that_never_finishes(monkeypatch: pytest.MonkeyPatch) -> None:
    # the step's own bound is generous; the file's deadline (wall time) is what ends it
    monkeypatch.setattr(decide_module, "to_rational", never_finishes)
    alone = Derivation("test", PROSE, PROSE, N, (Section("s", PROSE),), (TRUE_BEYOND_RATIONAL,))
    (verdict,) = check(alone, CheckConfig(jobs=1, time_bound=GIVE_UP, deadline=time.monotonic() + 2))
    assert (verdict.status, verdict.method, verdict.reason) == (
        Status.UNDECIDED,
        "time-bound",
        "the file's time bound was used up during rational-function test",
    )


def test_a_claim_the_engine_cannot_compare_is_undecided_and_says_why() -> None:
    # the source is not a polynomial in x_{t-1}: there is no coefficient to compare with
    source = Step("source", "s", None, sp.exp(x_tm1) * alpha_t, Definition(), PROSE)
    verdict = check(derivation(source, claim(CoefficientOf("source", x_tm1, 1), None, alpha_t)), CONFIG)[-1]
    assert (verdict.status, verdict.method) == (Status.UNDECIDED, "unsupported")
    assert verdict.reason == "not a polynomial in x_tm1: alpha_t*exp(x_tm1)"


def test_a_failure_inside_sympy_is_undecided_never_proved(monkeypatch: pytest.MonkeyPatch) -> None:
    def fails(*args: object) -> NoReturn:
        raise ZeroDivisionError("inside SymPy")

    monkeypatch.setattr(decide_module, "to_rational", fails)
    verdict = verdict_of(Equal(), sp.atan(alpha_t) + sp.atan(1 / alpha_t), sp.pi / 2)
    assert (verdict.status, verdict.method) == (Status.UNDECIDED, "engine-error")
    assert verdict.reason == "rational-function test failed: ZeroDivisionError: inside SymPy"


# --- malformed claims --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "relation",
    [
        pytest.param(Equal(), id="equal"),
        pytest.param(EqualUpToAdditive(x_tm1), id="up-to-additive"),
        pytest.param(LimitAt(abar_tm1, ONE), id="limit"),
    ],
)
def test_a_claim_without_a_left_hand_side_raises(relation: Relation) -> None:
    with pytest.raises(DerivationError, match=f"a {relation.kind} relation needs a left-hand side"):
        check(derivation(claim(relation, None, alpha_t)), CONFIG)


def test_an_unknown_relation_raises() -> None:
    with pytest.raises(UnsupportedExpressionError, match="unsupported relation: object"):
        comparison(object(), Scope(N), alpha_t, alpha_t, None)  # type: ignore[arg-type]


def test_a_coefficient_needs_its_source() -> None:
    with pytest.raises(UnsupportedExpressionError, match="needs the expression it is a coefficient of"):
        comparison(CoefficientOf("source", x_tm1, 1), Scope(N), None, alpha_t, None)


def test_a_coefficient_of_a_missing_step_is_a_malformed_derivation() -> None:
    with pytest.raises(DeriveError, match="no step 'missing'"):
        check(derivation(claim(CoefficientOf("missing", x_tm1, 2), A, alpha_t)), CONFIG)


# --- limits are taken from inside the domain ---------------------------------------------------------

# atan(1/α) jumps at α = 0: from inside the domain (α > 0) the limit is 1 + π/2, from below 1 - π/2
JUMP = (alpha_t * sp.atan(1 / alpha_t) + sp.sin(alpha_t)) / alpha_t


def test_the_jump_example_is_what_the_next_tests_assume() -> None:
    assert sp.limit(JUMP, alpha_t, 0, "+") == 1 + sp.pi / 2
    assert abs(sp.N(JUMP.subs(alpha_t, sp.Rational(1, 10**12)), 30) - sp.N(1 + sp.pi / 2, 30)) < 1e-10


def test_a_limit_at_the_lower_end_of_the_domain_is_taken_from_above() -> None:
    verdict = verdict_of(LimitAt(alpha_t, sp.Integer(0)), JUMP, 1 + sp.pi / 2)
    assert verdict.status is Status.PROVED


def test_a_limit_from_outside_the_domain_is_never_proved() -> None:
    verdict = verdict_of(LimitAt(alpha_t, sp.Integer(0)), JUMP, 1 - sp.pi / 2)
    assert verdict.status is not Status.PROVED


def test_a_limit_waives_the_condition_it_is_taken_at() -> None:
    # SymPy does not cancel this on its own, so the division by 1 - ᾱ_{t-1} stays visible
    expr = (1 - abar_tm1**2) / (1 - abar_tm1)
    as_limit = verdict_of(LimitAt(abar_tm1, ONE), expr, sp.Integer(2))
    as_equality = verdict_of(Equal(), expr, 1 + abar_tm1)
    assert as_limit.status is as_equality.status is Status.PROVED
    assert as_equality.requires == (r"t \geq 2",)
    assert as_limit.requires == ()
    assert any(c.waived for c in as_limit.conditions)


def test_a_division_the_author_wrote_is_a_condition_even_if_it_cancels() -> None:
    with sp.evaluate(False):
        written = x_t * (1 - abar_tm1) / (1 - abar_tm1)
    verdict = verdict_of(Equal(), written, x_t)
    assert verdict.requires == (r"t \geq 2",)


def test_a_claim_whose_log_argument_is_never_positive_is_flagged() -> None:
    # log|f| generators make log(α_t - 1) = log(1 - α_t) a rational-function identity; it is only
    # meaningful where α_t - 1 > 0, which is nowhere in the domain, so that condition must not hold
    verdict = verdict_of(Equal(), sp.log(alpha_t - 1), sp.log(1 - alpha_t))
    failing = [c for c in verdict.conditions if not c.guaranteed]
    assert [sp.expand(c.expr) for c in failing] == [alpha_t - 1]


# --- the step walk ------------------------------------------------------------------------------------


def test_each_step_sees_only_the_definitions_before_it() -> None:
    steps = (
        claim(Equal(), A, alpha_t / beta_t, "too-early"),
        Step("define", "s", A, alpha_t / beta_t, Definition(), PROSE),
        claim(Equal(), A, alpha_t / (1 - alpha_t), "after"),
    )
    verdicts = {v.step_id: v for v in check(derivation(*steps), CONFIG)}
    assert verdicts["too-early"].status is Status.REFUTED
    assert verdicts["define"].status is Status.DEFINED
    assert verdicts["after"].status is Status.PROVED
    assert verdicts["after"].definitions == ("define",)
    assert verdicts["after"].identities == ("beta",)


def test_verdicts_come_in_step_order_one_per_step() -> None:
    steps = (claim(Equal(), beta_t, 1 - alpha_t, "one"), claim(Equal(), abar_t, alpha_t, "two"))
    verdicts = check(derivation(*steps), CONFIG)
    assert [v.step_id for v in verdicts] == ["noise", "recursion", "one", "two"]
    assert [v.status for v in verdicts] == [Status.DEFINED, Status.DEFINED, Status.PROVED, Status.REFUTED]


def test_check_steps_is_lazy() -> None:
    # the mutation tests stop at the first refutation; later steps must not be checked at all
    steps = (claim(Equal(), abar_t, alpha_t, "refuted"), claim(Equal(), None, alpha_t, "malformed"))
    walk: Iterator[Verdict] = check_steps(derivation(*steps), CONFIG)
    assert [next(walk).status for _ in range(3)] == [Status.DEFINED, Status.DEFINED, Status.REFUTED]
    with pytest.raises(DerivationError):
        next(walk)

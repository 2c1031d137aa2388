"""Property-based tests of the engine (hypothesis): identities built to be true are proved (never
refuted), and perturbations of them are never proved; a counterexample is re-checked exactly here.

Expressions are random sums, products, quotients and integer powers of DDPM's independent symbols
α_t, ᾱ_{t-1}, x_t, x_0, of √α_t and √ᾱ_{t-1}, and of small rationals. Whether a difference is
identically zero is decided independently of the engine: α_t = s², ᾱ_{t-1} = r² with positive s, r
makes every expression a rational function, and its numerator over a common denominator, expanded,
decides it.

All runs are derandomized (``derandomize=True``, no example database), so CI sees the same examples.
"""

from __future__ import annotations

import gc
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

from derive.engine import Scope, check_step
from derive.model import CheckConfig, Derivation, Equal, Prose, Section, Status, Step, Verdict
from derive.notation import DDPM

# When a @given test fails, hypothesis's pytest plugin imports hypothesis.extra._patching (and libcst)
# to suggest an @example patch; that import warns (a DeprecationWarning from mypy_extensions), and
# -W error turns it into an INTERNALERROR that hides the failure and ends the session. Imported here,
# with the warning ignored, it is already loaded when a failure is reported.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    with suppress(ImportError):
        import hypothesis.extra._patching  # noqa: F401

N = DDPM
alpha_t, abar_tm1, x_t, x_0 = N["alpha_t"], N["abar_tm1"], N["x_t"], N["x_0"]
SYMBOLS = (alpha_t, abar_tm1, x_t, x_0)
ROOTS = (sp.sqrt(alpha_t), sp.sqrt(abar_tm1))
PROSE = Prose("", "")
CONFIG = CheckConfig(jobs=1, time_bound=5)
#: the independent oracle's parametrisation: α_t = s², ᾱ_{t-1} = r²
_S, _R = sp.Symbol("s_oracle", positive=True), sp.Symbol("r_oracle", positive=True)
SQUARES = {alpha_t: _S**2, abar_tm1: _R**2}
DIGITS = 60
#: the share of true identities that may be undecided (never refuted) before the test fails
UNDECIDED_SHARE = 0.05

# too_slow is timing-dependent: drawing an expression runs SymPy (the filters against denominators
# that vanish identically expand and cancel), some 10-30 ms here and several times that on a loaded CI
# machine, which the health check would blame on the strategy. Nothing else is suppressed: the rest
# of the health checks depend only on the (derandomized) draws, and pass.
SLOW_STRATEGIES = [HealthCheck.too_slow]
SETTINGS = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=SLOW_STRATEGIES,
)


# --- the engine, one claim at a time -----------------------------------------------------------------


def claim(lhs: sp.Expr, rhs: sp.Expr, step_id: str = "claim") -> Step:
    return Step(step_id, "s", lhs, rhs, Equal(), PROSE)


def derivation(*steps: Step) -> Derivation:
    return Derivation("properties", PROSE, PROSE, N, (Section("s", PROSE),), steps)


def verdict(lhs: sp.Expr, rhs: sp.Expr) -> Verdict:
    step = claim(lhs, rhs)
    with no_gc():
        return check_step(step, Scope(N), derivation(step), CONFIG)


@contextmanager
def no_gc() -> Iterator[None]:
    """No automatic garbage collection during one check. Under ``@given`` hypothesis times every
    collection with a ``gc.callbacks`` hook; a time bound (SIGALRM) that fires inside that hook has
    its ``TimeBoundError`` swallowed ("Exception ignored", an error under -W error) and the check
    runs on unbounded. A weakness of the time bound (reported), not what these tests are about."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- the independent oracle --------------------------------------------------------------------------


def rational(expr: sp.Expr) -> sp.Expr:
    """``expr`` as a rational function of s, r, x_t, x_0 (√(s²) = s since s > 0)."""
    return sp.sympify(expr).xreplace(SQUARES)


def identically_zero(expr: sp.Expr) -> bool:
    # the numerator, expanded: ``cancel(together(e))`` can return an unevaluated ``-1/4 + 1/4``
    numerator, _ = sp.fraction(sp.together(rational(expr)))
    return bool(sp.expand(numerator) == 0)


def vanishes_identically(expr: sp.Expr) -> bool:
    return expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or identically_zero(expr)


def value(expr: sp.Expr, point: dict[sp.Symbol, sp.Expr]) -> sp.Expr:
    return sp.sympify(expr).xreplace(point)


def differ(a: sp.Expr, b: sp.Expr) -> bool:
    """Do two closed values differ: exactly for rationals, otherwise far above 60 digits."""
    if a.is_Rational and b.is_Rational:
        return bool(a != b)
    x, y = sp.N(a, DIGITS), sp.N(b, DIGITS)
    scale = max(abs(x), abs(y), sp.Float(1, DIGITS))
    return bool(abs(x - y) > sp.Float(10, DIGITS) ** -40 * scale)


def in_domain(point: dict[sp.Symbol, sp.Expr]) -> bool:
    checks = {
        alpha_t: lambda v: 0 < v < 1,
        abar_tm1: lambda v: 0 < v <= 1,
        x_t: lambda v: v.is_real,
        x_0: lambda v: v.is_real,
    }
    return all(s in checks and v.is_Rational and bool(checks[s](v)) for s, v in point.items())


# --- strategies --------------------------------------------------------------------------------------

small = st.fractions(min_value=-3, max_value=3, max_denominator=4).map(sp.Rational)
nonzero_small = small.filter(lambda q: q != 0)
atoms = st.one_of(st.sampled_from(SYMBOLS + ROOTS), small)


def _not_zero(expr: sp.Expr) -> bool:
    return not vanishes_identically(expr)


def _combine(children: st.SearchStrategy[sp.Expr]) -> st.SearchStrategy[sp.Expr]:
    return st.one_of(
        st.tuples(children, children).map(lambda ab: ab[0] + ab[1]),
        st.tuples(children, children).map(lambda ab: ab[0] - ab[1]),
        st.tuples(children, children).map(lambda ab: ab[0] * ab[1]),
        # a quotient by a divisor that is not identically zero
        st.tuples(children, children.filter(_not_zero)).map(lambda ab: ab[0] / ab[1]),
        st.tuples(children.filter(_not_zero), st.sampled_from((-2, -1, 2, 3))).map(lambda be: be[0] ** be[1]),
    )


#: a random expression; depth-limited so that expanding it stays cheap
expressions = st.recursive(atoms, _combine, max_leaves=10).filter(
    lambda e: not e.has(sp.zoo, sp.nan, sp.oo, -sp.oo) and bool(e.free_symbols)
)

#: positive on the domain: sums, products and integer powers of positive terms
positive_atoms = st.one_of(
    st.sampled_from((alpha_t, abar_tm1, *ROOTS, 1 - alpha_t, 1 + x_t**2, 1 + x_0**2, 2 - abar_tm1)),
    st.fractions(min_value=sp.Rational(1, 4), max_value=3, max_denominator=4).map(sp.Rational),
)
positives = st.recursive(
    positive_atoms,
    lambda children: st.one_of(
        st.tuples(children, children).map(lambda ab: ab[0] + ab[1]),
        st.tuples(children, children).map(lambda ab: ab[0] * ab[1]),
        st.tuples(children, st.sampled_from((-1, 2))).map(lambda be: be[0] ** be[1]),
    ),
    max_leaves=4,
)


def _expand(e: sp.Expr) -> sp.Expr:
    return sp.expand(e)


def _together(e: sp.Expr) -> sp.Expr:
    return sp.together(e)


def _sqrt_squared(e: sp.Expr) -> sp.Expr:
    """α_t written as (√α_t)² and ᾱ_{t-1} as (√ᾱ_{t-1})², unevaluated (as a LaTeX reader gives it)."""
    with sp.evaluate(False):
        return e.xreplace({s: sp.Pow(sp.sqrt(s), 2) for s in (alpha_t, abar_tm1)})


REWRITES: dict[str, Callable[[sp.Expr], sp.Expr]] = {
    "expand": _expand,
    "together": _together,
    "sqrt-squared": _sqrt_squared,
}


@st.composite
def identities(draw: st.DrawFn) -> tuple[str, sp.Expr, sp.Expr]:
    """``(how, lhs, rhs)`` with lhs = rhs a true identity of rational functions (in √α_t, √ᾱ_{t-1})."""
    how = draw(st.sampled_from(("expand", "together", "sqrt-squared", "cancel", "square", "difference", "sum")))
    if how in REWRITES:
        e = draw(expressions)
        return how, e, REWRITES[how](e)
    if how == "cancel":
        # cancel a common factor out of a quotient whose denominator is positive on the domain
        numerator, denominator, factor = draw(expressions), draw(positives), draw(positives)
        e = numerator * factor / (denominator * factor)
        return how, e, sp.cancel(e)
    a, b = draw(expressions), draw(expressions)
    if how == "square":
        return how, (a + b) ** 2, a**2 + 2 * a * b + b**2
    if how == "difference":
        return how, (a + b) * (a - b), a**2 - b**2
    c, d = draw(positives), draw(positives)
    return how, a / c + b / d, (a * d + b * c) / (c * d)


monomials = st.tuples(
    nonzero_small, st.lists(st.tuples(st.sampled_from(SYMBOLS + ROOTS), st.integers(1, 3)), max_size=3)
).map(lambda cm: cm[0] * sp.Mul(*(s**k for s, k in cm[1])))


@st.composite
def perturbations(draw: st.DrawFn) -> tuple[str, sp.Expr, sp.Expr]:
    """``(how, lhs, rhs)``: a true identity made false by adding a non-zero term or substituting a symbol."""
    _, lhs, rhs = draw(identities())
    how = draw(st.sampled_from(("rational", "monomial", "swap")))
    if how == "rational":
        rhs = rhs + draw(nonzero_small)
    elif how == "monomial":
        rhs = rhs + draw(monomials)
    else:
        present = sorted(sp.sympify(rhs).free_symbols & set(SYMBOLS), key=str)
        assume(present)
        old = draw(st.sampled_from(present))
        new = draw(st.sampled_from([s for s in SYMBOLS if s != old]))
        rhs = rhs.xreplace({old: new})
    assume(not rhs.has(sp.zoo, sp.nan, sp.oo, -sp.oo))
    # the perturbed claim must really be false (a swap can hit a symbol that cancels out)
    assume(not identically_zero(lhs - rhs))
    return how, lhs, rhs


# --- the properties ----------------------------------------------------------------------------------


def test_true_identities_are_proved_and_never_refuted() -> None:
    undecided: list[str] = []
    methods: dict[str, int] = {}

    @SETTINGS
    @given(identities())
    def run(case: tuple[str, sp.Expr, sp.Expr]) -> None:
        how, lhs, rhs = case
        note(f"{how}: {lhs} == {rhs}")
        assert identically_zero(lhs - rhs), "the test built a false identity"
        found = verdict(lhs, rhs)
        note(f"verdict: {found.status} {found.method} {found.reason}")
        assert found.status is not Status.REFUTED, f"a true identity was refuted: {found.counterexample}"
        methods[found.method] = methods.get(found.method, 0) + 1
        if found.status is not Status.PROVED:
            assert found.status is Status.UNDECIDED
            undecided.append(f"{how}: {lhs} == {rhs} ({found.method}: {found.reason})")

    run()
    total = sum(methods.values())
    print(f"true identities: {total}, by method {sorted(methods.items())}, undecided {len(undecided)}")  # -s shows it
    # allowed, but counted: more than a few undecided true identities is a regression
    assert len(undecided) <= UNDECIDED_SHARE * total, f"{len(undecided)}/{total} undecided:\n" + "\n".join(undecided)


def test_perturbed_identities_are_never_proved() -> None:
    statuses: dict[str, int] = {}

    @SETTINGS
    @given(perturbations())
    def run(case: tuple[str, sp.Expr, sp.Expr]) -> None:
        how, lhs, rhs = case
        note(f"{how}: {lhs} == {rhs}")
        found = verdict(lhs, rhs)
        note(f"verdict: {found.status} {found.method} {found.reason} {found.counterexample}")
        assert found.status is not Status.PROVED, f"a false claim was proved ({found.method})"
        statuses[found.status.value] = statuses.get(found.status.value, 0) + 1
        if found.status is Status.REFUTED:
            assert_counterexample(lhs, rhs, found)

    run()
    print(f"perturbed identities: {sorted(statuses.items())}")  # -s shows it
    # a false claim of rational functions has counterexamples nearly everywhere
    assert statuses.get("refuted", 0) >= 0.9 * sum(statuses.values()), statuses


def assert_counterexample(lhs: sp.Expr, rhs: sp.Expr, found: Verdict) -> None:
    """The counterexample lies in the domain, and lhs and rhs really differ there."""
    example = found.counterexample
    assert example is not None
    assert example.compared == "values"
    point = dict(example.point)
    assert in_domain(point), f"counterexample outside the domain: {point}"
    assert set(point) >= (sp.sympify(lhs).free_symbols | sp.sympify(rhs).free_symbols)
    left, right = value(lhs, point), value(rhs, point)
    assert not left.free_symbols
    assert not right.free_symbols
    assert not left.has(sp.zoo, sp.nan), "lhs undefined at the counterexample"
    assert not right.has(sp.zoo, sp.nan), "rhs undefined at the counterexample"
    assert differ(left, right), f"lhs = {left} and rhs = {right} agree at {point}"
    # the reported values are the values of the two sides
    assert not differ(left, example.left)
    assert not differ(right, example.right)
    if example.exact:
        assert (left, right) == (example.left, example.right)


@pytest.mark.parametrize(
    ("lhs", "rhs"),
    [
        # the shapes the strategies build, one each, so a failure here needs no shrinking to read
        (
            (sp.sqrt(alpha_t) * x_t + x_0) ** 2 / (1 - abar_tm1),
            sp.expand((sp.sqrt(alpha_t) * x_t + x_0) ** 2) / (1 - abar_tm1),
        ),
        (x_t / alpha_t + x_0 / abar_tm1, (x_t * abar_tm1 + x_0 * alpha_t) / (alpha_t * abar_tm1)),
        ((x_t**2 - x_0**2) * alpha_t / (alpha_t * (1 + x_t**2)), sp.cancel((x_t**2 - x_0**2) / (1 + x_t**2))),
        ((sp.sqrt(abar_tm1) + x_t) * (sp.sqrt(abar_tm1) - x_t), abar_tm1 - x_t**2),
    ],
)
def test_examples_of_each_shape_are_proved(lhs: sp.Expr, rhs: sp.Expr) -> None:
    assert identically_zero(lhs - rhs)
    assert verdict(lhs, rhs).status is Status.PROVED
    for delta in (sp.Rational(1, 3), x_t * sp.sqrt(alpha_t)):
        found = verdict(lhs, rhs + delta)
        assert found.status is Status.REFUTED
        assert_counterexample(lhs, rhs + delta, found)


@settings(max_examples=60, deadline=None, derandomize=True, database=None, suppress_health_check=SLOW_STRATEGIES)
@given(expressions, expressions)
def test_a_claim_and_its_mirror_agree(a: sp.Expr, b: sp.Expr) -> None:
    """``a = b`` and ``b = a`` get the same status: the engine has no side it trusts more."""
    first, second = verdict(a, b), verdict(b, a)
    note(f"{a} == {b}: {first.status} {first.method} / {second.status} {second.method}")
    true = identically_zero(a - b)
    for found in (first, second):
        assert found.status is not (Status.REFUTED if true else Status.PROVED)
    if Status.UNDECIDED not in (first.status, second.status):
        assert first.status is second.status
    if first.status is Status.REFUTED:
        assert_counterexample(a, b, first)

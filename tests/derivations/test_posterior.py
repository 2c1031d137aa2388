"""The DDPM posterior derivation: every step checks, says what it uses, covers the seed, and breaks
where it should when corrupted.

The corruption tests decide independently (50-digit evaluation of each claim after the scope's
rewrite) whether a mutant is still true, so that equivalent mutants are not counted as missed and a
corrupted definition is expected to be caught by the first claim it actually breaks.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
import sympy as sp
from sympy.core.function import AppliedUndef

from derive.derivations.posterior import POSTERIOR
from derive.engine import Scope, advance, check_steps
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
    Status,
    Step,
    Verdict,
)
from derive.notation import DDPM
from tests.seed import seed_path

N = DDPM
alpha_t, abar_tm1, abar_t = N["alpha_t"], N["abar_tm1"], N["abar_t"]
STEPS = {s.id: s for s in POSTERIOR.steps}
ORDER = {s.id: n for n, s in enumerate(POSTERIOR.steps)}
STEP_IDS = list(STEPS)
CONFIG = CheckConfig(jobs=1)
T_AT_LEAST_2 = (r"t \geq 2",)


@pytest.fixture(scope="module")
def verdicts(posterior_verdicts: tuple[Verdict, ...]) -> dict[str, Verdict]:
    return {v.step_id: v for v in posterior_verdicts}


def is_claim(step: Step) -> bool:
    return not isinstance(step.relation, Definition)


# --- every step checks -------------------------------------------------------------------------------


def test_the_shared_fixture_is_this_derivation(posterior: Derivation, posterior_verdicts: tuple[Verdict, ...]) -> None:
    assert posterior == POSTERIOR
    assert [v.step_id for v in posterior_verdicts] == STEP_IDS


@pytest.mark.parametrize("step_id", STEP_IDS)
def test_every_step_is_proved_or_defined(verdicts: dict[str, Verdict], step_id: str) -> None:
    verdict = verdicts[step_id]
    expected = Status.PROVED if is_claim(STEPS[step_id]) else Status.DEFINED
    assert verdict.status is expected, verdict.reason
    assert verdict.method
    assert verdict.counterexample is None


# --- declared uses ------------------------------------------------------------------------------------

#: Names the engine used that the step does not declare. Each is a finding (see the reasons).
#: Every step declares exactly what the engine uses (this once listed 14 findings, since fixed).
UNDECLARED: dict[str, tuple[set[str], str]] = {}


def _uses_param(step_id: str) -> object:
    if step_id not in UNDECLARED:
        return pytest.param(step_id, id=step_id)
    names, why = UNDECLARED[step_id]
    reason = f"FINDING: {step_id} does not declare {sorted(names)} that the engine used ({why})"
    return pytest.param(step_id, id=step_id, marks=pytest.mark.xfail(strict=True, reason=reason))


@pytest.mark.parametrize("step_id", [_uses_param(s) for s in STEP_IDS])
def test_declared_uses_cover_what_the_engine_used(verdicts: dict[str, Verdict], step_id: str) -> None:
    verdict = verdicts[step_id]
    used = set(verdict.identities) | set(verdict.definitions)
    assert used == set(STEPS[step_id].uses)


@pytest.mark.parametrize("step_id", STEP_IDS)
def test_declared_uses_name_identities_or_earlier_steps(step_id: str) -> None:
    identities = {i.key for i in N.identities}
    earlier = set(STEP_IDS[: ORDER[step_id]])
    assert set(STEPS[step_id].uses) <= identities | earlier


# --- t = 1 -------------------------------------------------------------------------------------------

#: Steps that divide by 1 - abar_{t-1} (or take its root), in their own expressions or in a
#: definition they unfold: from the previous marginal q(x_{t-1} | x_0) on, up to the end-to-end check.
DIVIDE_BY_ONE_MINUS_ABAR_TM1 = STEP_IDS[ORDER["forward-marginal-previous"] : ORDER["end-to-end"] + 1]


@pytest.mark.parametrize("step_id", STEP_IDS)
def test_steps_that_divide_by_one_minus_abar_tm1_require_t_at_least_2(
    verdicts: dict[str, Verdict], step_id: str
) -> None:
    verdict = verdicts[step_id]
    if step_id in DIVIDE_BY_ONE_MINUS_ABAR_TM1:
        assert verdict.requires == T_AT_LEAST_2
        failing = [c for c in verdict.conditions if not c.guaranteed]
        assert failing
        assert all(c.boundary is not None and c.boundary.where == "t = 1" for c in failing)
    else:
        assert verdict.requires == ()


def test_the_conventions_before_the_previous_marginal_need_nothing() -> None:
    conventions = [s.id for s in POSTERIOR.steps if s.section == "conventions"]
    assert set(conventions) - set(DIVIDE_BY_ONE_MINUS_ABAR_TM1) == {
        "noise-schedule",
        "cumulative-product",
        "cumulative-recursion",
        "gaussian-log-density",
        "forward-step",
        "forward-marginal",
    }


@pytest.mark.parametrize("step_id", ["first-step-mean", "first-step-variance"])
def test_the_t_equals_1_limits_are_proved(verdicts: dict[str, Verdict], step_id: str) -> None:
    verdict = verdicts[step_id]
    assert verdict.status is Status.PROVED
    assert isinstance(STEPS[step_id].relation, LimitAt)
    assert verdict.requires == ()
    # the condition is still stated, and waived because the limit is taken exactly there
    assert any(c.waived and c.boundary is not None for c in verdict.conditions)


def test_the_t_equals_1_values_are_right() -> None:
    # independently of the engine: the closed forms near abar_{t-1} = 1 from below
    x_0, x_t = N["x_0"], N["x_t"]
    rhs = {s: STEPS[s].rhs.doit().xreplace({N["beta_t"]: 1 - alpha_t, abar_t: alpha_t * abar_tm1}) for s in STEPS}
    near = {
        abar_tm1: 1 - sp.Rational(1, 10**25),
        alpha_t: sp.Rational(3, 7),
        x_0: sp.Rational(2, 3),
        x_t: sp.Rational(-5, 4),
    }
    assert abs(sp.N(rhs["posterior-mean-closed"].xreplace(near) - near[x_0], 50)) < 1e-20
    assert abs(sp.N(rhs["posterior-variance-closed"].xreplace(near), 50)) < 1e-20


# --- conventions that establish identities ----------------------------------------------------------


@pytest.mark.parametrize("step_id", [s.id for s in POSTERIOR.steps if s.establishes is not None])
def test_a_convention_states_the_identity_it_establishes(step_id: str) -> None:
    # the engine uses the notation's identity, not the step: so the step had better say the same
    step = STEPS[step_id]
    assert step.lhs is not None
    assert step.establishes is not None
    rewrites = dict(N.identity(step.establishes).rewrites)
    difference = (step.lhs - step.rhs).doit().xreplace(rewrites)
    assert difference.xreplace({alpha_t: sp.Rational(2, 7), abar_tm1: sp.Rational(3, 5)}) == 0


# --- the seed ----------------------------------------------------------------------------------------

#: The seed's display equations, as it writes them, and the steps that cover each.
SEED_EQUATIONS: list[tuple[str, tuple[str, ...]]] = [
    (r"\beta_t \in (0,1), \quad \alpha_t = 1 - \beta_t", ("noise-schedule",)),
    (r"\bar{\alpha}_t = \prod_{i=1}^t \alpha_i", ("cumulative-product",)),
    (r"\bar{\alpha}_t = \alpha_t \cdot \bar{\alpha}_{t-1}", ("cumulative-recursion",)),
    (r"\log \mathcal{N}(z; \mu, \sigma^2 I) \propto -\frac{\|z - \mu\|^2}{2\sigma^2}", ("gaussian-log-density",)),
    (r"q(x_t|x_{t-1}) = \mathcal{N}(x_t; \sqrt{\alpha_t}x_{t-1}, \beta_t I)", ("forward-step",)),
    (r"q(x_t|x_0) = \mathcal{N}(x_t; \sqrt{\bar{\alpha}_t}x_0, (1-\bar{\alpha}_t) I)", ("forward-marginal",)),
    (
        r"q(x_{t-1}|x_0) = \mathcal{N}(x_{t-1}; \sqrt{\bar{\alpha}_{t-1}}x_0, (1-\bar{\alpha}_{t-1}) I)",
        ("forward-marginal-previous",),
    ),
    (r"q(x_{t-1}|x_t,x_0)", ("bayes",)),
    (r"q(x_{t-1}|x_t,x_0) = \frac{q(x_t|x_{t-1}) q(x_{t-1}|x_0)}{q(x_t|x_0)}", ("bayes",)),
    (
        r"\log q(x_{t-1}|x_t,x_0) \propto -\frac{1}{2} \left[ \frac{\|x_t - \sqrt{\alpha_t}x_{t-1}\|^2}{\beta_t}"
        r" + \frac{\|x_{t-1} - \sqrt{\bar{\alpha}_{t-1}}x_0\|^2}{1-\bar{\alpha}_{t-1}} \right]",
        ("log-posterior",),
    ),
    (r"\frac{(x_{t-1}-\tilde{\mu}_t)^2}{\tilde{\sigma}_t^2} + C", ("completed-square",)),
    (r"S", ("bracket",)),
    (
        r"S = \frac{(x_t - \sqrt{\alpha_t}x_{t-1})^2}{\beta_t}"
        r" + \frac{(x_{t-1} - \sqrt{\bar{\alpha}_{t-1}}x_0)^2}{1-\bar{\alpha}_{t-1}}",
        ("bracket-per-coordinate",),
    ),
    (
        r"S = \frac{x_t^2 - 2\sqrt{\alpha_t}x_t x_{t-1} + \alpha_t x_{t-1}^2}{\beta_t}"
        r" + \frac{x_{t-1}^2 - 2\sqrt{\bar{\alpha}_{t-1}}x_0 x_{t-1} + \bar{\alpha}_{t-1}x_0^2}{1-\bar{\alpha}_{t-1}}",
        ("bracket-expanded",),
    ),
    (r"A = \frac{\alpha_t}{\beta_t} + \frac{1}{1-\bar{\alpha}_{t-1}}", ("quadratic-coefficient",)),
    (
        r"\bar{\alpha}_t = \alpha_t \bar{\alpha}_{t-1}, \quad \beta_t = 1-\alpha_t",
        ("cumulative-recursion", "noise-schedule"),
    ),
    (r"A = \frac{1-\bar{\alpha}_t}{\beta_t(1-\bar{\alpha}_{t-1})}", ("quadratic-coefficient-closed",)),
    (
        r"\tilde{\sigma}_t^2 = \frac{1}{A} = \frac{\beta_t(1-\bar{\alpha}_{t-1})}{1-\bar{\alpha}_t}",
        ("posterior-variance", "posterior-variance-closed"),
    ),
    (
        r"B = \frac{\sqrt{\alpha_t}x_t}{\beta_t} + \frac{\sqrt{\bar{\alpha}_{t-1}}x_0}{1-\bar{\alpha}_{t-1}}",
        ("linear-coefficient",),
    ),
    (r"\frac{(x_{t-1}-\tilde{\mu}_t)^2}{\tilde{\sigma}_t^2}", ("standard-form",)),
    (r"-2\frac{\tilde{\mu}_t}{\tilde{\sigma}_t^2}", ("standard-form-linear",)),
    (r"\tilde{\mu}_t = B \cdot \tilde{\sigma}_t^2", ("posterior-mean",)),
    (
        r"\tilde{\mu}_t = \left( \frac{\sqrt{\alpha_t}x_t}{\beta_t}"
        r" + \frac{\sqrt{\bar{\alpha}_{t-1}}x_0}{1-\bar{\alpha}_{t-1}} \right)"
        r" \cdot \frac{\beta_t(1-\bar{\alpha}_{t-1})}{1-\bar{\alpha}_t}",
        ("posterior-mean-substituted",),
    ),
    (
        r"\tilde{\mu}_t = \frac{\sqrt{\bar{\alpha}_{t-1}}\beta_t}{1-\bar{\alpha}_t}x_0"
        r" + \frac{\sqrt{\alpha_t}(1-\bar{\alpha}_{t-1})}{1-\bar{\alpha}_t}x_t",
        ("posterior-mean-closed",),
    ),
]


def normalised(latex: str) -> str:
    return " ".join(latex.split())


@pytest.mark.parametrize(
    ("latex", "step_ids"),
    [pytest.param(latex, ids, id=f"seed-{n + 1:02d}") for n, (latex, ids) in enumerate(SEED_EQUATIONS)],
)
def test_every_seed_equation_has_its_steps(latex: str, step_ids: tuple[str, ...]) -> None:
    assert step_ids
    assert set(step_ids) <= set(STEP_IDS)


def test_every_step_beyond_the_seed_is_a_check() -> None:
    covered = {s for _, ids in SEED_EQUATIONS for s in ids}
    assert {s for s in STEP_IDS if s not in covered} == {s.id for s in POSTERIOR.steps if s.section == "checks"}


def test_the_table_lists_exactly_the_seeds_math_blocks() -> None:
    text = seed_path().read_text(encoding="utf-8")
    blocks = re.findall(r"^```math[ \t]*\n(.*?)^```", text, flags=re.S | re.M)
    assert [normalised(b) for b in blocks] == [normalised(latex) for latex, _ in SEED_EQUATIONS]


# --- corrupted steps are caught ----------------------------------------------------------------------

#: A mutator rewrites the ``site``-th place where it applies (in preorder); None when there is none.
Mutator = Callable[[sp.Basic, int], "sp.Basic | None"]


def _replace_nth(
    expr: sp.Basic, match: Callable[[sp.Basic], bool], change: Callable[[sp.Basic], sp.Basic], site: int
) -> sp.Basic | None:
    """``expr`` with its ``site``-th node in preorder that ``match``es changed; None if there are fewer.
    Rebuilt under evaluate(False), so the author's unevaluated tree stays unevaluated."""
    seen = 0
    done = False

    def walk(node: sp.Basic) -> sp.Basic:
        nonlocal seen, done
        if done:
            return node
        if match(node):
            if seen == site:
                done = True
                return change(node)
            seen += 1
        if not node.args:
            return node
        args = [walk(a) for a in node.args]
        return node if all(a is b for a, b in zip(args, node.args, strict=True)) else node.func(*args)

    with sp.evaluate(False):
        result = walk(expr)
    return result if done else None


def _is_sum(node: sp.Basic) -> bool:
    return isinstance(node, sp.Add)


def _has_negative_factor(node: sp.Basic) -> bool:
    return isinstance(node, sp.Mul) and node.args[0].is_Number and bool(node.args[0] < 0)


def flip_sign(expr: sp.Basic, site: int = 0) -> sp.Basic | None:
    """Negate the last term of a sum; past the sums, drop the sign of a negative factor."""
    sums = sum(1 for n in sp.preorder_traversal(expr) if _is_sum(n))
    if site < sums:
        return _replace_nth(expr, _is_sum, lambda n: sp.Add(*n.args[:-1], sp.Mul(sp.Integer(-1), n.args[-1])), site)
    return _replace_nth(expr, _has_negative_factor, lambda n: sp.Mul(-n.args[0], *n.args[1:]), site - sums)


def swap_abar(expr: sp.Basic, site: int = 0) -> sp.Basic | None:
    if site > 0 or not expr.has(abar_t, abar_tm1):
        return None
    with sp.evaluate(False):
        return expr.xreplace({abar_t: abar_tm1, abar_tm1: abar_t})


def drop_sqrt(expr: sp.Basic, site: int = 0) -> sp.Basic | None:
    return _replace_nth(expr, lambda n: isinstance(n, sp.Pow) and n.exp == sp.Rational(1, 2), lambda n: n.base, site)


def change_exponent(expr: sp.Basic, site: int = 0) -> sp.Basic | None:
    bumped = {sp.Integer(2): sp.Integer(3), sp.Integer(-1): sp.Integer(-2)}
    return _replace_nth(
        expr, lambda n: isinstance(n, sp.Pow) and n.exp in bumped, lambda n: sp.Pow(n.base, bumped[n.exp]), site
    )


def mutants(kind: str, expr: sp.Basic) -> Iterator[sp.Basic]:
    site = 0
    while (found := MUTATORS[kind](expr, site)) is not None:
        yield found
        site += 1


MUTATORS: dict[str, Mutator] = {
    "sign": flip_sign,
    "abar-swap": swap_abar,
    "drop-sqrt": drop_sqrt,
    "exponent": change_exponent,
}
APPLICABLE = [
    (step.id, kind) for step in POSTERIOR.steps for kind, mutate in MUTATORS.items() if mutate(step.rhs, 0) is not None
]


def test_the_mutators_change_what_they_say() -> None:
    x_t, x_0 = N["x_t"], N["x_0"]
    with sp.evaluate(False):
        written = sp.sqrt(alpha_t) * x_t / (1 - abar_t) + x_0**2
    evaluated = written.doit()
    found = {kind: [m.doit() for m in mutants(kind, written)] for kind in MUTATORS}
    # the last term of the sum, the sign inside 1 - abar_t (twice: as a term and as a factor -1)
    assert found["sign"] == [
        evaluated - 2 * x_0**2,
        sp.sqrt(alpha_t) * x_t / (1 + abar_t) + x_0**2,
        sp.sqrt(alpha_t) * x_t / (1 + abar_t) + x_0**2,
    ]
    assert found["drop-sqrt"] == [alpha_t * x_t / (1 - abar_t) + x_0**2]
    assert found["abar-swap"] == [sp.sqrt(alpha_t) * x_t / (1 - abar_tm1) + x_0**2]
    assert set(found["exponent"]) == {
        sp.sqrt(alpha_t) * x_t / (1 - abar_t) ** 2 + x_0**2,
        sp.sqrt(alpha_t) * x_t / (1 - abar_t) + x_0**3,
    }
    # the rebuilt trees stay unevaluated, as the author's are
    assert all(m != m.doit() for m in mutants("sign", written))
    assert (
        list(mutants("drop-sqrt", x_t + 1)) == list(mutants("abar-swap", x_t)) == list(mutants("exponent", x_t)) == []
    )


@pytest.mark.parametrize("kind", list(MUTATORS))
def test_every_mutation_kind_applies_to_several_steps(kind: str) -> None:
    assert len([s for s, k in APPLICABLE if k == kind]) >= 4


# independent evaluation of claims


def _sample(rng: random.Random, symbol: sp.Symbol) -> sp.Rational:
    interval = N.domains.get(symbol)
    lo = interval.lo if interval is not None and interval.lo is not None else (0 if symbol.is_positive else -3)
    hi = interval.hi if interval is not None and interval.hi is not None else 3
    # strictly inside: the boundary abar_{t-1} = 1 is where the derivation is not claimed to hold
    return sp.Rational(lo) + (sp.Rational(hi) - sp.Rational(lo)) * sp.Rational(rng.randint(1, 96), 97)


def _points(symbols: set[sp.Symbol], count: int, seed: int) -> Iterator[dict[sp.Symbol, sp.Expr]]:
    rng = random.Random(seed)
    ordered = sorted(symbols, key=lambda s: s.name)
    for _ in range(count):
        yield {s: _sample(rng, s) for s in ordered}


def _num(expr: sp.Expr, point: dict[sp.Symbol, sp.Expr]) -> sp.Expr:
    value = sp.N(expr.xreplace(point), 50)
    assert not value.free_symbols, value
    return value


def _apart(a: sp.Expr, b: sp.Expr) -> bool:
    if a.has(sp.nan, sp.zoo) or b.has(sp.nan, sp.zoo):
        raise AssertionError(f"undefined value inside the domain: {a}, {b}")
    return bool(abs(a - b) > sp.Float(10, 50) ** -30 * max(abs(a), abs(b), 1))


def same_expression(scope: Scope, a: sp.Expr, b: sp.Expr, seed: int = 1) -> bool:
    ea, eb = scope.expand(a).expr, scope.expand(b).expr
    symbols = ea.free_symbols | eb.free_symbols
    return not any(_apart(_num(ea, p), _num(eb, p)) for p in _points(symbols, 4, seed))


def claim_holds(step: Step, scope: Scope, derivation: Derivation, seed: int = 2) -> bool:
    """Whether the claim of ``step`` holds in ``scope``, by evaluation at 50 digits at a few points."""
    relation = step.relation
    if step.establishes is not None:
        # a convention is checked as an equality under the identity it establishes
        scope, relation = scope.establish(step.establishes), Equal()
    rhs = scope.expand(step.rhs).expr
    lhs = scope.expand(step.lhs).expr if step.lhs is not None else None
    if isinstance(relation, CoefficientOf):
        source = scope.expand(derivation.step(relation.source).rhs).expr
        assert source.is_polynomial(relation.var), "the corrupted source is no longer a polynomial"
        # by differentiation, not expand().coeff() as the engine does
        expected = sp.diff(source, relation.var, relation.power).subs(relation.var, 0) / math.factorial(relation.power)
        left = relation.factor * rhs
        symbols = left.free_symbols | expected.free_symbols
        return not any(_apart(_num(left, p), _num(expected, p)) for p in _points(symbols, 4, seed))
    assert lhs is not None
    if isinstance(relation, LimitAt):
        interval = N.domains[relation.var]
        direction = "-" if relation.value == interval.hi else "+"
        symbols = (lhs.free_symbols | rhs.free_symbols) - {relation.var}
        for p in _points(symbols, 3, seed):
            a = sp.limit(lhs.xreplace(p), relation.var, relation.value, direction)
            b = sp.limit(rhs.xreplace(p), relation.var, relation.value, direction)
            if _apart(sp.N(a, 50), sp.N(b, 50)):
                return False
        return True
    if isinstance(relation, Equal):
        symbols = lhs.free_symbols | rhs.free_symbols
        return not any(_apart(_num(lhs, p), _num(rhs, p)) for p in _points(symbols, 4, seed))
    if isinstance(relation, ProportionalIn):
        combined, moving = lhs / rhs, {relation.var}
    elif isinstance(relation, EqualUpToAdditive):
        combined, moving = lhs - rhs, {relation.var}
    elif isinstance(relation, EqualUpToTermIn):
        combined = (lhs - rhs).xreplace(dict.fromkeys((lhs - rhs).atoms(AppliedUndef), sp.Integer(0)))
        moving = combined.free_symbols - set(relation.arguments)
    else:
        raise AssertionError(f"no independent check for {relation}")
    symbols = combined.free_symbols | moving
    firsts, seconds = _points(symbols, 4, seed), _points(moving, 4, seed + 100)
    return not any(_apart(_num(combined, p), _num(combined, {**p, **q})) for p, q in zip(firsts, seconds, strict=True))


def assert_violated_at_counterexample(step: Step, scope: Scope, derivation: Derivation, cx: Counterexample) -> None:
    """The claim fails at the reported point, recomputed here by exact substitution, and the point
    lies inside the notation's domain."""
    point = dict(cx.point)
    for symbol, value in {**point, **dict(cx.other or ())}.items():
        assert value.is_Rational
        if symbol in N.domains:
            assert N.domains[symbol].contains(value), (symbol, value)
        else:
            assert symbol.is_positive is not True or value > 0
    relation = step.relation
    if step.establishes is not None:
        # a convention is checked as an equality under the identity it establishes
        scope, relation = scope.establish(step.establishes), Equal()
    rhs = scope.expand(step.rhs).expr
    lhs = scope.expand(step.lhs).expr if step.lhs is not None else None
    if isinstance(relation, CoefficientOf):
        source = scope.expand(derivation.step(relation.source).rhs).expr
        expected = sp.diff(source, relation.var, relation.power).subs(relation.var, 0) / math.factorial(relation.power)
        a, b = (relation.factor * rhs).xreplace(point), expected.xreplace(point)
    else:
        assert lhs is not None
        if isinstance(relation, Equal):
            a, b = lhs.xreplace(point), rhs.xreplace(point)
        else:
            assert cx.other, "a comparison at two points names the second one"
            combined = lhs / rhs if isinstance(relation, ProportionalIn) else lhs - rhs
            combined = combined.xreplace(dict.fromkeys(combined.atoms(AppliedUndef), sp.Integer(0)))
            a, b = combined.xreplace(point), combined.xreplace({**point, **dict(cx.other)})
    assert not (a.free_symbols)
    assert not (b.free_symbols)
    if a.is_Rational and b.is_Rational:
        assert a != b
    else:
        assert _apart(sp.N(a, 50), sp.N(b, 50)), (a, b)


def _scopes(derivation: Derivation) -> dict[str, Scope]:
    scopes, scope = {}, Scope(derivation.notation)
    for step in derivation.steps:
        scopes[step.id] = scope
        scope = advance(scope, step)
    return scopes


def test_the_oracle_agrees_that_the_derivation_holds() -> None:
    # the independent evaluation must not itself see errors in the uncorrupted derivation
    scopes = _scopes(POSTERIOR)
    for step in POSTERIOR.steps:
        if is_claim(step):
            assert claim_holds(step, scopes[step.id], POSTERIOR), step.id


def dependents(step_id: str, verdicts: dict[str, Verdict]) -> list[str]:
    """Later claims that rely on the definition ``step_id``: they unfold it, or take a coefficient of it."""
    return [
        s.id
        for s in POSTERIOR.steps[ORDER[step_id] + 1 :]
        if is_claim(s) and (step_id in verdicts[s.id].definitions or getattr(s.relation, "source", None) == step_id)
    ]


# a definition that establishes a notation identity is checked against that identity itself
@pytest.mark.parametrize("step_id", [s.id for s in POSTERIOR.steps if not is_claim(s) and s.establishes is None])
def test_every_definition_has_a_claim_that_depends_on_it(verdicts: dict[str, Verdict], step_id: str) -> None:
    assert dependents(step_id, verdicts)


#: Corruptions no claim can catch. Each is a finding (see the reasons).
UNCAUGHT: dict[tuple[str, str], str] = {}


def _mutation_param(step_id: str, kind: str) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=UNCAUGHT[step_id, kind])] if (step_id, kind) in UNCAUGHT else []
    return pytest.param(step_id, kind, id=f"{step_id}-{kind}", marks=marks)


@pytest.mark.parametrize(("step_id", "kind"), [_mutation_param(s, k) for s, k in APPLICABLE])
def test_a_corrupted_step_is_caught(verdicts: dict[str, Verdict], step_id: str, kind: str) -> None:
    step = STEPS[step_id]
    # the first place where this kind of corruption makes a difference; equivalent mutants do not count
    for mutant in mutants(kind, step.rhs):
        corrupted = replace(
            POSTERIOR, steps=tuple(replace(s, rhs=mutant) if s.id == step_id else s for s in POSTERIOR.steps)
        )
        scopes = _scopes(corrupted)
        if is_claim(step):
            if not claim_holds(corrupted.step(step_id), scopes[step_id], corrupted):
                break
        elif not same_expression(scopes[step_id], step.rhs, mutant):
            break
    else:
        pytest.skip(f"every {kind} mutant of {step_id} is equivalent to it")
    if is_claim(step) or step.establishes is not None:
        expected = step_id
    else:
        relying = dependents(step_id, verdicts)
        assert relying, f"no claim depends on the definition {step_id}: a corruption of it cannot be caught"
        broken = [d for d in relying if not claim_holds(corrupted.step(d), scopes[d], corrupted)]
        assert broken, f"the corruption of {step_id} leaves every claim that depends on it true: {relying}"
        expected = broken[0]
    first = next((v for v in check_steps(corrupted, CONFIG) if v.status is Status.REFUTED), None)
    assert first is not None, f"nothing was refuted; expected {expected}"
    assert first.step_id == expected
    assert first.counterexample is not None
    assert_violated_at_counterexample(corrupted.step(expected), scopes[expected], corrupted, first.counterexample)

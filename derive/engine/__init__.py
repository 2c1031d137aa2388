"""The check engine: walks a derivation in order and gives every step a verdict."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Collection, Iterator
from dataclasses import replace

import sympy as sp

from derive.engine import memory
from derive.engine.cases import Point, general, holds_at, special_points
from derive.engine.conditions import side_conditions
from derive.engine.decide import Outcome, comparison, free_values, refute
from derive.engine.decide import decide as decide_claim  # the package's attribute ``decide`` stays the module
from derive.engine.induction import by_induction
from derive.engine.scope import Expanded, Scope
from derive.engine.sums import linear
from derive.engine.timebound import Clock, TimeBoundError, time_bound
from derive.exceptions import DerivationError, UnknownNameError, UnsupportedExpressionError
from derive.model import (
    CheckConfig,
    Claims,
    CoefficientOf,
    Condition,
    Counterexample,
    Definition,
    Derivation,
    Equal,
    EqualUpToTermIn,
    LimitAt,
    Status,
    Step,
    Verdict,
    WithNotation,
)

__all__ = ["Scope", "check", "check_steps", "scopes_of"]


def check(derivation: Derivation, config: CheckConfig | None = None) -> tuple[Verdict, ...]:
    return tuple(check_steps(derivation, config or CheckConfig()))


def scopes_of(claims: Claims | Derivation) -> tuple[Scope, ...]:
    """The scope each step is checked in: what the steps before it defined and established."""
    scopes = []
    scope = Scope(claims.notation)
    for step in claims.steps:
        scopes.append(scope)
        scope = advance(scope, step)
    return tuple(scopes)


def check_steps(
    subject: Claims | Derivation,
    config: CheckConfig,
    scopes: tuple[Scope, ...] | None = None,
    select: Collection[str] | None = None,
) -> Iterator[Verdict]:
    """Yield each step's verdict, in order; each step sees only what came before it.

    ``scopes`` (from ``scopes_of``) may be passed when the claims are checked more than once;
    ``select`` limits the check to the steps with those ids. Scopes depend on the steps'
    definitions, not on their verdicts, so steps are independent and are checked in parallel
    worker processes when ``config.jobs`` allows.
    """
    claims = subject.claims if isinstance(subject, Derivation) else subject
    scopes = scopes if scopes is not None else scopes_of(claims)
    indices = [k for k, step in enumerate(claims.steps) if select is None or step.id in select]
    jobs = min(config.jobs, len(indices))
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for k in indices:
            yield check_step(claims.steps[k], scopes[k], claims, config)
        return
    # fork: workers inherit the imported SymPy and the claims instead of re-importing them
    global _JOB
    _JOB = (claims, scopes, config)
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        yield from pool.imap(_check_index, indices)


_JOB: tuple[Claims, tuple[Scope, ...], CheckConfig] | None = None


def _check_index(index: int) -> Verdict:
    assert _JOB is not None
    claims, scopes, config = _JOB
    return check_step(claims.steps[index], scopes[index], claims, config)


def advance(scope: Scope, step: Step) -> Scope:
    """The scope after ``step``: its identity established, or its name defined."""
    if step.establishes is not None:
        return scope.establish(step.establishes)
    if isinstance(step.relation, (Definition, CoefficientOf)) and step.lhs is not None:
        again = isinstance(step.relation, Definition) and step.relation.redefinition
        return scope.define(step.lhs, step.rhs, step.id, again=again)
    return scope


def check_step(step: Step, scope: Scope, subject: Claims | Derivation, config: CheckConfig) -> Verdict:
    claims = subject.claims if isinstance(subject, Derivation) else subject
    if isinstance(step.relation, WithNotation):
        scope, step = scope.completed(), replace(step, relation=step.relation.relation)
    phase = "rewrite"
    started = time.perf_counter()
    # read by verdict() when it is called, so a time-bound verdict keeps what was found by then
    conditions: tuple[Condition, ...] = ()
    identities: tuple[str, ...] = ()
    definitions: tuple[str, ...] = ()

    def verdict(status: Status, method: str, reason: str = "", counterexample: Counterexample | None = None) -> Verdict:
        return Verdict(
            step.id,
            status,
            method,
            reason,
            counterexample,
            conditions=conditions,
            identities=identities,
            definitions=definitions,
            seconds=time.perf_counter() - started,
        )

    def progress(name: str) -> None:
        nonlocal phase
        phase = name

    if config.bound() <= 0:
        return verdict(Status.UNDECIDED, "time-bound", "the file's time bound was used up before this step")
    try:
        with time_bound(config.remaining(), Clock.WALL):
            # 1. unfold definitions, rewrite into independent symbols: deterministic work, under the
            # search's bound, so that a refutation never depends on the machine's load
            with time_bound(config.search_bound):
                lhs = scope.expand(step.lhs) if step.lhs is not None else None
                rhs = scope.expand(step.rhs)
                source = None
                if isinstance(step.relation, CoefficientOf):
                    position = claims.index
                    if position.get(step.relation.source, len(position)) >= position[step.id]:
                        raise DerivationError(
                            f"step {step.id!r} takes a coefficient of {step.relation.source!r}: "
                            f"no step {step.relation.source!r} before it"
                        )
                    source = scope.expand(claims.step(step.relation.source).rhs)
            used = _union([e for e in (lhs, rhs, source) if e is not None])
            definitions = tuple(sorted(used.definitions, key=claims.index.__getitem__))
            identities = tuple(sorted(used.identities))
            # 2. side conditions: the step's own expressions, then the definitions it unfolds
            progress("side conditions")
            try:
                with time_bound(config.bound()):
                    conditions = side_conditions(
                        scope,
                        [(e, None) for e in (step.lhs, step.rhs) if e is not None]
                        + [(claims.step(d).rhs, d) for d in definitions],
                    )
                unbounded = ""
            except TimeBoundError as expired:
                if expired.clock is not Clock.CPU:
                    raise
                # a refutation needs no side conditions; a proof does
                unbounded = f"the time bound of {config.time_bound:g} s was hit during side conditions"
            if isinstance(step.relation, LimitAt):
                conditions = tuple(_waive(c, step.relation) for c in conditions)
            if any(c.never for c in conditions):
                return verdict(Status.UNDECIDED, "side-condition", "a side condition fails everywhere on the domain")
            if isinstance(step.relation, Definition) and step.establishes is not None and lhs is not None:
                # a convention must say what the identity the engine will use says
                established = scope.establish(step.establishes)
                with time_bound(config.search_bound):
                    sides = established.expand(step.lhs).expr, established.expand(step.rhs).expr
                outcome = decide_claim(comparison(Equal(), established, *sides, None), established, config, progress)
                if outcome.status is not Status.PROVED:
                    return verdict(outcome.status, outcome.method, outcome.reason, outcome.counterexample)
            if isinstance(step.relation, Definition):
                if unbounded:
                    return verdict(Status.UNDECIDED, "time-bound", unbounded)
                return verdict(Status.DEFINED, "definition" if lhs is not None else "expression")
            # 3. decide the relation
            progress("decision")
            keep = step.relation.function if isinstance(step.relation, EqualUpToTermIn) else ""
            left, right, within = (None if e is None else free_values(e.expr, keep) for e in (lhs, rhs, source))
            # sums SymPy could not evaluate, term by term: ∑ (x_i - m) is ∑ x_i - n m
            left, right, within = (e if e is None or not e.has(sp.Sum) else linear(e) for e in (left, right, within))
            assert right is not None
            # a closed form with special cases (a geometric sum at r = 1): decided where it is general,
            # then at each special point
            special = special_points((right,) if left is None else (left, right))
            if special and isinstance(step.relation, Equal):
                written = left, right
                left, right = (None if e is None else general(e) for e in written)
                assert right is not None
            claim = comparison(step.relation, scope, left, right, within)
            outcome = decide_claim(claim, scope, config, progress)
            if special and isinstance(step.relation, Equal) and outcome.status is Status.PROVED:
                outcome = _at_special_points(outcome, *written, special)
            if outcome.status is Status.UNDECIDED and isinstance(step.relation, Equal) and left is not None:
                # a sum SymPy could not sum: by induction on its bound
                progress("induction")
                with time_bound(config.bound()):
                    start = by_induction(left, right, scope.notation.domains)
                if start is not None:
                    outcome = Outcome(Status.PROVED, "induction", f"for every integer from {start} on")
            if outcome.status is not Status.PROVED:
                # 4. a counterexample must be a point where the symbols mean what the notation says
                progress("notation identities")
                outcome, added = _under_notation(outcome, step, scope, claims, config)
                identities = (*identities, *added)
            elif unbounded:
                return verdict(Status.UNDECIDED, "time-bound", unbounded)
            return verdict(outcome.status, outcome.method, outcome.reason, outcome.counterexample)
    except TimeBoundError as expired:
        if expired.clock is Clock.WALL:
            reason = f"the file's time bound was used up during {phase}"
        else:
            reason = f"the counterexample search's bound of {config.search_bound:g} s was hit during {phase}"
        return verdict(Status.UNDECIDED, "time-bound", reason)
    except (DerivationError, UnknownNameError):
        raise
    except UnsupportedExpressionError as error:
        # what the engine cannot compare (a claim in distribution that is not Gaussian): named, never guessed
        return verdict(Status.UNDECIDED, "unsupported", str(error))
    except MemoryError:
        return verdict(Status.UNDECIDED, "memory-bound", f"{memory.exhausted()} during {phase}")
    except Exception as error:
        # a failure inside SymPy decides nothing: undecided, never proved
        return verdict(Status.UNDECIDED, "engine-error", f"{phase} failed: {type(error).__name__}: {error}")


def _under_notation(
    outcome: Outcome,
    step: Step,
    scope: Scope,
    claims: Claims,
    config: CheckConfig,
) -> tuple[Outcome, tuple[str, ...]]:
    """Search again with every notation identity the scope lacks, for refutation only.

    Before ``β_t = 1 - α_t`` is stated, β_t and α_t are separate symbols, and a point where
    β_t ≠ 1 - α_t is no counterexample. So a refutation stands only if it survives with the
    identities in force; and a claim left undecided (a product without a value) may be refuted
    there. A proof still relies only on what was stated before the step.
    """
    full = scope.completed()
    if full.identities.keys() == scope.identities.keys():
        return outcome, ()
    expanded: list[Expanded | None] = []
    again: Outcome | None = None
    try:
        with time_bound(config.search_bound):
            expanded = [full.expand(e) if e is not None else None for e in (step.lhs, step.rhs)]
            source = None
            if isinstance(step.relation, CoefficientOf):
                source = full.expand(claims.step(step.relation.source).rhs).expr
        sides = [e.expr if e is not None else None for e in expanded]
        claim = comparison(step.relation, full, sides[0], sides[1], source)
        found = refute(claim, full, config)
        if found is not None:
            again = Outcome(Status.REFUTED, "numeric-probe", claim.only_refutes, found)
    except (UnsupportedExpressionError, ArithmeticError, ValueError, NotImplementedError, TypeError):
        pass
    stated = {i.key for i in scope.identities.values()}
    used = tuple(sorted(set().union(*(e.identities for e in expanded if e is not None)) - stated))
    keys = ", ".join(used)
    if again is not None and again.status is Status.REFUTED:
        if outcome.status is not Status.REFUTED:
            meaning = f"refuted by what the notation means: {keys}"
        else:
            # the values shown are those of the rewritten claim: say which identities rewrote it
            meaning = f"with what the notation means: {keys}" if used else ""
        return replace(again, reason="; ".join(r for r in (again.reason, meaning) if r)), used
    if outcome.status is Status.REFUTED and used:
        reason = (
            f"a counterexample treats symbols as unrelated that the notation relates ({keys}); "
            "with those identities none is found: state them before this step to decide it"
        )
        return Outcome(Status.UNDECIDED, "exhausted", reason), ()
    return outcome, ()


def _at_special_points(outcome: Outcome, lhs: sp.Expr | None, rhs: sp.Expr, special: tuple[Point, ...]) -> Outcome:
    """A claim proved where its closed forms are general must hold at their special points too, or have no
    value there (a side condition excludes them)."""
    missed = [p for p in special if not holds_at(lhs, rhs, p)]
    if not missed:
        return outcome
    where = "; ".join(", ".join(f"{s} = {v}" for s, v in point) for point in missed)
    return Outcome(Status.UNDECIDED, "exhausted", f"holds except at {where}, where the two sides differ")


def _waive(condition: Condition, limit: LimitAt) -> Condition:
    boundary = condition.boundary
    if boundary is not None and boundary.symbol == limit.var and boundary.value == limit.value:
        return replace(condition, waived=True)
    return condition


def _union(parts: list[Expanded]) -> Expanded:
    identities: frozenset[str] = frozenset().union(*(p.identities for p in parts))
    definitions: frozenset[str] = frozenset().union(*(p.definitions for p in parts))
    return Expanded(parts[0].expr, identities, definitions)

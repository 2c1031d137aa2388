"""The engine on one student line: the claim checked where the book's step stands, and named when it
is one of the gallery's mistakes.

The claim sees exactly what the book's step sees: the definitions and identities of the steps before
it (``Scope``), so "against the previous step" means what it means in the book. A refuted claim is
compared with each mistake the gallery records for that step; the same claim (its sides equal, its
relation the same) is that mistake, and the answer gives its hint.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass, replace
from functools import cache

from derive.derivations import load
from derive.derivations.mistakes import MISTAKES, Mistake
from derive.engine import Scope, advance, check_step
from derive.exceptions import DeriveError, ParseError, UnknownNameError
from derive.model import CheckConfig, Definition, Derivation, Equal, Status, Step, Verdict
from derive.practice.lines import Exercise, LineError, read_line


class Outcome(enum.Enum):
    PROVED = "proved"
    REFUTED = "refuted"
    #: refuted, and one of the gallery's mistakes
    MISTAKE = "mistake"
    UNDECIDED = "undecided"
    #: the line could not be read as a claim
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class Judgement:
    outcome: Outcome
    exercise: Exercise
    #: the student's claim and the engine's verdict on it; None when the line was unreadable
    claim: Step | None = None
    verdict: Verdict | None = None
    mistake: Mistake | None = None
    #: for an unreadable line: what is wrong, and where (a column of the line, from 1)
    message: str = ""
    column: int | None = None


def exercises(derivation: Derivation) -> tuple[int, ...]:
    """The numbers of the steps a student can write: those that claim something."""
    return tuple(n for n, step in enumerate(derivation.steps, start=1) if not isinstance(step.relation, Definition))


def exercise(name: str, number: int) -> Exercise:
    """Step ``number`` of derivation ``name``; an unknown name or a step that is no exercise is an error."""
    derivation = load(name)
    if number not in exercises(derivation):
        raise UnknownNameError(f"{name} has no exercise at step {number}: the exercises are steps that claim something")
    return Exercise(derivation, number)


@cache
def _scopes(name: str) -> tuple[Scope, ...]:
    """The scope before each step of a derivation; kept, so that expansions are computed once per process."""
    derivation = load(name)
    scopes, scope = [], Scope(derivation.notation)
    for step in derivation.steps:
        scopes.append(scope)
        scope = advance(scope, step)
    return tuple(scopes)


def judge(task: Exercise, latex: str, bound: float) -> Judgement:
    """The verdict on the student's ``latex`` as the exercise's step, within ``bound`` seconds of engine time."""
    try:
        claim = read_line(task, latex)
    except ParseError as error:
        return Judgement(Outcome.UNREADABLE, task, message=error.message, column=error.column)
    except LineError as error:
        return Judgement(Outcome.UNREADABLE, task, message=str(error))
    scope = _scopes(task.derivation.name)[task.number - 1]
    config = CheckConfig(time_bound=bound, jobs=1, deadline=time.monotonic() + bound)
    try:
        verdict = check_step(claim, scope, task.derivation, config)
    except DeriveError as error:
        return Judgement(Outcome.UNREADABLE, task, message=str(error))
    if verdict.status is Status.PROVED:
        return Judgement(Outcome.PROVED, task, claim, verdict)
    if verdict.status is not Status.REFUTED:
        return Judgement(Outcome.UNDECIDED, task, claim, verdict)
    for mistake in _mistakes(task):
        if _same_claim(claim, _mistaken(task.step, mistake), scope, task.derivation, config):
            return Judgement(Outcome.MISTAKE, task, claim, verdict, mistake)
    return Judgement(Outcome.REFUTED, task, claim, verdict)


def _mistakes(task: Exercise) -> tuple[Mistake, ...]:
    return tuple(m for m in MISTAKES if m.derivation == task.derivation.name and m.step_id == task.step.id)


def _mistaken(book: Step, mistake: Mistake) -> Step:
    """The book's step with the mistake in place, as the gallery shows it."""
    return replace(
        book,
        lhs=mistake.lhs if mistake.lhs is not None else book.lhs,
        rhs=mistake.rhs if mistake.rhs is not None else book.rhs,
        relation=mistake.relation if mistake.relation is not None else book.relation,
    )


def _same_claim(claim: Step, wrong: Step, scope: Scope, derivation: Derivation, config: CheckConfig) -> bool:
    """Whether the claim is the mistaken one: the same relation, each side equal to the mistake's
    (up to what the relation ignores, such as a term free of its variable)."""
    if claim.relation.kind != wrong.relation.kind:
        return False
    loose = wrong.relation if wrong.relation.kind in ("up-to-additive", "proportional", "up-to-term") else Equal()
    sides = [(claim.lhs, wrong.lhs, Equal()), (claim.rhs, wrong.rhs, loose)]
    for mine, theirs, relation in sides:
        if mine is None or theirs is None:
            if mine is not theirs:
                return False
            continue
        if mine == theirs:
            continue
        same = replace(claim, lhs=mine, rhs=theirs, relation=relation, establishes=None)
        if check_step(same, scope, derivation, config).status is not Status.PROVED:
            return False
    return True

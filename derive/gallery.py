"""The gallery of common mistakes: each mistaken step checked where the correct one stands.

Pipeline: load the derivation, put the mistake in place of its step, check that step in the scope
the steps before it make, and pair the verdict with the correct step's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from derive.derivations import load
from derive.derivations.mistakes import MISTAKES, Mistake
from derive.engine import Scope, advance, check_step
from derive.model import CheckConfig, Derivation, Step, Verdict


@dataclass(frozen=True)
class CheckedMistake:
    mistake: Mistake
    derivation: Derivation
    correct: Step
    wrong: Step
    verdict: Verdict


def check_mistakes(config: CheckConfig) -> tuple[CheckedMistake, ...]:
    return tuple(check_mistake(mistake, config) for mistake in MISTAKES)


def check_mistake(mistake: Mistake, config: CheckConfig) -> CheckedMistake:
    derivation = load(mistake.derivation)
    correct = derivation.step(mistake.step_id)
    wrong = replace(
        correct,
        lhs=mistake.lhs if mistake.lhs is not None else correct.lhs,
        rhs=mistake.rhs if mistake.rhs is not None else correct.rhs,
        relation=mistake.relation if mistake.relation is not None else correct.relation,
    )
    # the scope before the step: the mistake sees exactly what the correct step sees
    scope = Scope(derivation.notation)
    for step in derivation.steps[: derivation.index[correct.id]]:
        scope = advance(scope, step)
    return CheckedMistake(mistake, derivation, correct, wrong, check_step(wrong, scope, derivation, config))

"""What every derivation's tests ask: each step proved or defined, and a corrupted step refuted there."""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from derive.engine import Scope, advance, check, check_step
from derive.model import CheckConfig, Definition, Derivation, Status, Verdict

CONFIG = CheckConfig(jobs=1)


def verdicts(derivation: Derivation) -> dict[str, Verdict]:
    return {v.step_id: v for v in check(derivation, CONFIG)}


def corrupted(derivation: Derivation, step_id: str, rhs: sp.Expr) -> Verdict:
    """The verdict of ``step_id`` with ``rhs`` in place of its own, in the scope the steps before it make.

    A corrupted definition is judged by the first later claim that relies on it: that claim's verdict."""
    index = derivation.index[step_id]
    steps = list(derivation.steps)
    steps[index] = replace(steps[index], rhs=rhs)
    mutated = replace(derivation, steps=tuple(steps))
    scope = Scope(mutated.notation)
    for k, step in enumerate(mutated.steps):
        if k >= index and not isinstance(step.relation, Definition) and (k == index or step_id in step.uses):
            return check_step(step, scope, mutated, CONFIG)
        scope = advance(scope, step)
    raise AssertionError(f"no claim relies on {step_id!r}")


def assert_refuted_with_a_counterexample(verdict: Verdict) -> None:
    assert verdict.status is Status.REFUTED, (verdict.status, verdict.reason)
    assert verdict.counterexample is not None

"""The plain data of derive: a derivation refuses a step it could not show."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.exceptions import DerivationError
from derive.model import Definition, Derivation, Prose, Section, Step
from derive.notation import DDPM

PROSE = Prose("", "")
X = sp.Symbol("x", real=True)


def derivation_with_step_in(section: str) -> Derivation:
    step = Step("s1", section, X, sp.Integer(1), Definition(), PROSE)
    return Derivation("test", PROSE, PROSE, DDPM, (Section("setup", PROSE), Section("result", PROSE)), (step,))


def test_a_step_in_a_known_section_is_kept() -> None:
    assert derivation_with_step_in("result").steps[0].section == "result"


def test_a_step_in_a_mistyped_section_is_an_error_not_a_dropped_step() -> None:
    with pytest.raises(
        DerivationError, match=r"step 's1' is in section 'resutl', which it does not have \(sections: result, setup\)"
    ):
        derivation_with_step_in("resutl")


def test_a_result_that_is_no_step_is_an_error() -> None:
    step = Step("s1", "setup", X, sp.Integer(1), Definition(), PROSE)
    with pytest.raises(DerivationError, match="derivation 'test' boxes the result 's2', which is no step of it"):
        Derivation("test", PROSE, PROSE, DDPM, (Section("setup", PROSE),), (step,), results=("s2",))

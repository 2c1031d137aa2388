"""A student's line judged where the book's step stands: proved, refuted, a gallery mistake, undecided, unreadable."""

from __future__ import annotations

import pytest

from derive.derivations import load
from derive.exceptions import UnknownNameError
from derive.practice.judge import Outcome, exercise, exercises, judge

#: posterior (13): A is the coefficient of x_{t-1}^2; (14) its closed form; (16) the variance's
A_RIGHT = r"A = \frac{\alpha_t}{\beta_t} + \frac{1}{1 - \bar{\alpha}_{t-1}}"
CLOSED = r"A = \frac{1 - \bar{\alpha}_t}{\beta_t \left(1 - \bar{\alpha}_{t-1}\right)}"


@pytest.mark.parametrize(
    ("number", "line", "outcome", "mistake"),
    [
        pytest.param(13, A_RIGHT, Outcome.PROVED, None, id="coefficient-right"),
        pytest.param(14, CLOSED, Outcome.PROVED, None, id="closed-form-right"),
        pytest.param(
            14,
            CLOSED.replace("1 - \\bar{\\alpha}_{t-1}", "1 + \\bar{\\alpha}_{t-1}"),
            Outcome.REFUTED,
            None,
            id="sign-flipped",
        ),
        pytest.param(
            13,
            A_RIGHT.replace("\\alpha_t}{\\beta_t}", "\\bar{\\alpha}_t}{\\beta_t}"),
            Outcome.MISTAKE,
            "abar-for-alpha",
            id="gallery-abar-for-alpha",
        ),
        pytest.param(
            16, r"\tilde{\sigma}_t^2 = \beta_t", Outcome.MISTAKE, "t-for-t-minus-1", id="gallery-forward-variance"
        ),
        pytest.param(
            14,
            r"\frac{1 - \bar{\alpha}_t}{\beta_t \left(1 - \bar{\alpha}_{t-1}\right)}",
            Outcome.PROVED,
            None,
            id="right-side-alone",
        ),
    ],
)
def test_a_line_gets_the_engines_verdict(number: int, line: str, outcome: Outcome, mistake: str | None) -> None:
    judged = judge(exercise("posterior", number), line, 60.0)
    assert judged.outcome is outcome
    assert (judged.mistake.id if judged.mistake else None) == mistake
    if outcome in (Outcome.REFUTED, Outcome.MISTAKE):
        assert judged.verdict is not None
        assert judged.verdict.counterexample is not None


@pytest.mark.parametrize(
    ("line", "message", "column"),
    [
        pytest.param(r"A = \frac{1}{\beta_t", "unbalanced braces: this { is not closed", 13, id="unclosed-brace"),
        pytest.param(r"A = \foo{x}", "unknown macro", 5, id="unknown-macro"),
        pytest.param("", "the line is empty: write the next step in LaTeX, such as A = \\frac{1}{2}", None, id="empty"),
        pytest.param(
            "A = 1 = 2", "write one relation: a chain such as a = b = c is more than the next line", None, id="chain"
        ),
        pytest.param(
            "A " + "+ 1 " * 600, "the line is 2402 characters long; at most 2000 are read", None, id="too-long"
        ),
        pytest.param(
            r"A \propto 1",
            "this step is an equation: write = (\\propto would leave out a term the next steps need)",
            None,
            id="propto-for-equation",
        ),
    ],
)
def test_an_unreadable_line_says_what_is_wrong_and_where(line: str, message: str, column: int | None) -> None:
    judged = judge(exercise("posterior", 14), line, 60.0)
    assert judged.outcome is Outcome.UNREADABLE
    assert (judged.message, judged.column) == (message, column)


def test_the_time_bound_leaves_a_line_undecided() -> None:
    # a bound too short for any symbolic work: the engine stops and says so
    judged = judge(exercise("posterior", 24), r"\tilde{\mu}_t = x_0", 1e-6)
    assert judged.outcome is Outcome.UNDECIDED
    assert judged.verdict is not None
    assert judged.verdict.method == "time-bound"


def test_exercises_are_the_steps_that_claim_something() -> None:
    assert exercises(load("posterior")) == (3, 4, 9, 11, 12, 13, 14, 16, 17, 19, 21, 22, 23, 24, 25, 26)


@pytest.mark.parametrize(
    ("name", "number", "match"),
    [
        pytest.param("posterior", 15, "posterior has no exercise at step 15", id="a-definition"),
        pytest.param("nowhere", 3, "no derivation named 'nowhere'", id="unknown-derivation"),
    ],
)
def test_only_claims_of_known_derivations_are_exercises(name: str, number: int, match: str) -> None:
    with pytest.raises(UnknownNameError, match=match):
        exercise(name, number)

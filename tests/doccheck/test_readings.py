"""Reading conventions of real derivations (issue 12): what a claim may reasonably mean besides its letter.

Each fixture in ``fixtures/conventions/`` is written in our own words after one convention that authors
use, and is named after it. Every result of every fixture is listed here with its exact verdict and
message: a reading that proves what the letter does not, a refutation that survives every reading
(with the counterexample of the reading the author meant), and "not checked" with the reason where a
refutation would be no promise.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sympy as sp

from derive.doccheck.check import check_file
from derive.doccheck.readings import Reading, Settled, settle
from derive.model import CheckConfig, Counterexample, Status, Verdict

CONVENTIONS = Path(__file__).parent / "fixtures" / "conventions"
CONFIG = CheckConfig(jobs=1)

#: (fixture, line, verdict, message): every result, in the order check-doc reports them
RESULTS = [
    pytest.param("any_index_letter", 4, "definition", "establishes a notation identity", id="any_index_letter-4"),
    pytest.param("any_index_letter", 8, "proved", "proved (rational-function)", id="any_index_letter-8"),
    pytest.param(
        "any_index_letter",
        12,
        "refuted",
        "refuted at ᾱ_{t-1} = 34560/264331249, α_1 = 4/17, α_2 = 4/19, α_3 = 4/23, α_4 = 13/17, α_5 = 6/13, α_6 = 3/13, α_7 = 10/23, α_8 = 3/7, α_9 = 6/7, α_t = 6/7, t = 9: the left side is 207360/1850318743, the right side 69120/264331249",
        id="any_index_letter-12",
    ),
    pytest.param("aside_after_a_chain_row", 8, "definition", "definition", id="aside_after_a_chain_row-8"),
    pytest.param("aside_after_a_chain_row", 9, "proved", "proved (rational-function)", id="aside_after_a_chain_row-9"),
    pytest.param("aside_after_a_chain_row", 9, "definition", "definition", id="aside_after_a_chain_row-9-aside"),
    pytest.param(
        "aside_after_a_chain_row", 10, "proved", "proved (rational-function)", id="aside_after_a_chain_row-10"
    ),
    pytest.param("aside_after_a_chain_row", 10, "definition", "definition", id="aside_after_a_chain_row-10-aside"),
    pytest.param(
        "aside_after_a_chain_row", 11, "proved", "proved (rational-function)", id="aside_after_a_chain_row-11"
    ),
    pytest.param(
        "canonical_values",
        6,
        "refuted",
        "refuted at ᾱ_{t-1} = 81/121, α_t = 256/289, x_0 = 5/23, x_t = -52/17: the left side is -749105/327359, the right side -2982532/5565103; with the notation: ᾱ_t = ∏_{i=1}^t α_i, β_t = 1 - α_t",
        id="canonical_values-6",
    ),
    pytest.param("canonical_values", 12, "proved", "proved (rational-function)", id="canonical_values-12"),
    pytest.param(
        "canonical_values", 18, "proved", "proved with the notation's identities (simplify)", id="canonical_values-18"
    ),
    pytest.param(
        "canonical_values",
        24,
        "refuted",
        "refuted at ᾱ_{t-1} = 9/11, α_t = 256/289, ε = 5/23, x_t = -52/17: the left side is -3.30027226372061, the right side -3.19972773627939; with the notation: ᾱ_t = ∏_{i=1}^t α_i",
        id="canonical_values-24",
    ),
    pytest.param(
        "constant_absorbed_in_exp",
        4,
        "definition",
        "declares a density up to a factor; needs t ≥ 2",
        id="constant_absorbed_in_exp-4",
    ),
    pytest.param(
        "constant_absorbed_in_exp",
        10,
        "proved",
        "proved (rational-function+roots); needs t ≥ 2",
        id="constant_absorbed_in_exp-10",
    ),
    pytest.param(
        "constant_absorbed_in_exp",
        16,
        "refuted",
        "refuted at ᾱ_{t-1} = 81/121, α_t = 256/289, x_0 = 5/23, x_t = -52/17, x_{t-1} = -46/17: the left side minus the right is 8813/264 here, but 3745525/78936 at x_{t-1} = -50/13; with the notation: ᾱ_t = ∏_{i=1}^t α_i, β_t = 1 - α_t",
        id="constant_absorbed_in_exp-16",
    ),
    pytest.param(
        "definitions_solved_for", 6, "definition", "defines σ_q^2, solved for it", id="definitions_solved_for-6"
    ),
    pytest.param(
        "definitions_solved_for",
        12,
        "proved",
        "proved with the notation's identities (rational-function)",
        id="definitions_solved_for-12",
    ),
    pytest.param(
        "definitions_solved_for",
        18,
        "refuted",
        "refuted at ᾱ_{t-1} = 9/11, α_t = 16/17: the left side is 2/43, the right side 43/578; with the notation: ᾱ_t = ∏_{i=1}^t α_i, β_t = 1 - α_t",
        id="definitions_solved_for-18",
    ),
    pytest.param(
        "error_carried_along_a_chain",
        5,
        "refuted",
        "refuted at a = 23/11, b = 57/17: the left side is 1036324/34969, the right side 546010/34969",
        id="error_carried_along_a_chain-5",
    ),
    pytest.param(
        "error_carried_along_a_chain",
        6,
        "proved",
        "proved (rational-function); but the error of line 5 still holds here",
        id="error_carried_along_a_chain-6",
    ),
    pytest.param("function_notation", 6, "definition", "definition", id="function_notation-6"),
    pytest.param("function_notation", 12, "definition", "definition", id="function_notation-12"),
    pytest.param("function_notation", 16, "proved", "proved (rational-function)", id="function_notation-16"),
    pytest.param(
        "function_notation", 20, "refuted", "refuted: the left side is 10, the right side 9", id="function_notation-20"
    ),
    pytest.param("function_notation", 26, "definition", "definition", id="function_notation-26"),
    pytest.param(
        "function_notation", 30, "proved", "proved with the notation's identities (simplify)", id="function_notation-30"
    ),
    pytest.param("function_notation", 36, "definition", "definition", id="function_notation-36"),
    pytest.param(
        "identity_stated_later",
        4,
        "proved",
        "proved with the notation's identities (rational-function); needs t ≥ 2",
        id="identity_stated_later-4",
    ),
    pytest.param(
        "identity_stated_later", 7, "definition", "establishes a notation identity", id="identity_stated_later-7"
    ),
    pytest.param(
        "identity_stated_later", 7, "definition", "establishes a notation identity", id="identity_stated_later-7-2"
    ),
    pytest.param(
        "in_distribution_sampling_step", 6, "definition", "states a distribution", id="in_distribution_sampling_step-6"
    ),
    pytest.param("in_distribution_sampling_step", 9, "definition", "a choice", id="in_distribution_sampling_step-9"),
    pytest.param(
        "in_distribution_sampling_step",
        12,
        "proved",
        "proved (rational-function); in distribution",
        id="in_distribution_sampling_step-12",
    ),
    pytest.param(
        "in_distribution_two_noises_merged", 7, "definition", "definition", id="in_distribution_two_noises_merged-7"
    ),
    pytest.param(
        "in_distribution_two_noises_merged",
        8,
        "undecided",
        "not checked: false as written, but it may be meant in distribution: x_{t-1}, x_{t-2} on one side only: its distribution would be needed",
        id="in_distribution_two_noises_merged-8",
    ),
    pytest.param(
        "in_distribution_two_noises_merged", 9, "proved", "proved (simplify)", id="in_distribution_two_noises_merged-9"
    ),
    pytest.param(
        "in_distribution_two_noises_merged",
        10,
        "proved",
        "proved in distribution (rational-function)",
        id="in_distribution_two_noises_merged-10",
    ),
    pytest.param(
        "in_distribution_two_noises_merged", 17, "definition", "definition", id="in_distribution_two_noises_merged-17"
    ),
    pytest.param(
        "in_distribution_two_noises_merged",
        23,
        "proved",
        "proved in distribution (rational-function)",
        id="in_distribution_two_noises_merged-23",
    ),
    pytest.param(
        "in_distribution_two_noises_merged",
        29,
        "refuted",
        "refuted in distribution at α_1 = 4/17, α_2 = 4/19, x_0 = 23/11: the left side has variance 307/323, the right side variance 339/323",
        id="in_distribution_two_noises_merged-29",
    ),
    pytest.param(
        "in_distribution_two_noises_merged",
        35,
        "proved",
        "proved (rational-function)",
        id="in_distribution_two_noises_merged-35",
    ),
    pytest.param(
        "in_distribution_two_noises_merged",
        41,
        "refuted",
        "refuted at ε_{t-1} = 23/11: the left side is 23/11, the right side -23/11",
        id="in_distribution_two_noises_merged-41",
    ),
    pytest.param(
        "limit_in_the_index",
        6,
        "undecided",
        "not checked: a limit as t → ∞: how the notation's symbols behave as t grows is not stated",
        id="limit_in_the_index-6",
    ),
    pytest.param("new_name_in_a_chain", 3, "definition", "definition", id="new_name_in_a_chain-3"),
    pytest.param("new_name_in_a_chain", 7, "definition", "definition", id="new_name_in_a_chain-7"),
    pytest.param(
        "new_name_in_a_chain",
        7,
        "undecided",
        "not checked: b is not defined before this line and on one side only: read as defining",
        id="new_name_in_a_chain-7-2",
    ),
    pytest.param(
        "propto_chain_loose_equals",
        4,
        "definition",
        "declares a density up to a factor; needs t ≥ 2",
        id="propto_chain_loose_equals-4",
    ),
    pytest.param(
        "propto_chain_loose_equals",
        4,
        "proved",
        "proved as a link of its ∝ chain (rational-function); needs t ≥ 2",
        id="propto_chain_loose_equals-4-2",
    ),
    pytest.param(
        "propto_chain_loose_equals",
        11,
        "proved",
        "proved (rational-function); needs t ≥ 2",
        id="propto_chain_loose_equals-11",
    ),
    pytest.param(
        "propto_chain_loose_equals",
        11,
        "refuted",
        "refuted as a link of its ∝ chain at ᾱ_{t-1} = 81/121, x_0 = 57/17, x_{t-1} = 5/23: the left side over the right is 6.91858579202395e-5 here, but 1.56667217793781e-19 at x_{t-1} = -50/13; with the notation: ᾱ_t = ∏_{i=1}^t α_i",
        id="propto_chain_loose_equals-11-2",
    ),
    pytest.param("prose_cases", 3, "expression", "picks a value of t", id="prose_cases-3"),
    pytest.param("prose_cases", 3, "expression", "picks a value of η", id="prose_cases-3-2"),
    pytest.param("prose_cases", 4, "expression", "picks a value of T", id="prose_cases-4"),
    pytest.param("redefinition_of_a_choice", 6, "definition", "a choice", id="redefinition_of_a_choice-6"),
    pytest.param(
        "redefinition_of_a_choice", 12, "definition", "redefines σ_t (line 6)", id="redefinition_of_a_choice-12"
    ),
    pytest.param(
        "redefinition_of_a_choice", 15, "definition", "redefines σ_t (line 12)", id="redefinition_of_a_choice-15"
    ),
    pytest.param(
        "sign_left_open",
        7,
        "undecided",
        "not checked: the document gives s no sign, and the claim fails at s = -52/17 but holds at s = 52/17: declare the sign (<!-- derive: let … -->) to check it",
        id="sign_left_open-7",
    ),
    pytest.param("sign_left_open", 12, "definition", "declares h > 0", id="sign_left_open-12"),
    pytest.param("sign_left_open", 15, "proved", "proved (rational-function); needs k ≥ 0", id="sign_left_open-15"),
    pytest.param(
        "sign_left_open",
        21,
        "refuted",
        "refuted at s = 23/11: the left side is 2.31773614254217, the right side 34/11",
        id="sign_left_open-21",
    ),
]


@pytest.fixture(scope="module")
def reports() -> dict[str, list[tuple[int, str, str]]]:
    return {
        path.stem: [(r.line, r.verdict, r.message) for r in check_file(path, config=CONFIG).results]
        for path in sorted(CONVENTIONS.glob("*.md"))
    }


def test_every_result_of_every_fixture_is_listed(reports: dict[str, list[tuple[int, str, str]]]) -> None:
    listed = [(p.values[0], p.values[1], p.values[2], p.values[3]) for p in RESULTS]
    found = [(name, *result) for name, results in reports.items() for result in results]
    assert found == listed


@pytest.mark.parametrize(("fixture", "line", "verdict", "message"), RESULTS)
def test_a_convention_is_read_as_its_author_means_it(
    reports: dict[str, list[tuple[int, str, str]]], fixture: str, line: int, verdict: str, message: str
) -> None:
    assert (line, verdict, message) in reports[fixture]


# -- settle: the verdict over all readings --------------------------------------------------------------------

FOUND = Counterexample(((sp.Symbol("a"), sp.Integer(1)),), sp.Integer(1), sp.Integer(2), "values", exact=True)
PROVED = Verdict("c", Status.PROVED, "rational-function")
REFUTED = Verdict("c", Status.REFUTED, "numeric-probe", counterexample=FOUND)
UNDECIDED = Verdict("c", Status.UNDECIDED, "exhausted", "neither method reached zero")

SETTLED = [
    pytest.param(PROVED, [], "", Settled(PROVED), id="letter-proved"),
    pytest.param(
        REFUTED,
        [(Reading.IN_DISTRIBUTION, PROVED)],
        "",
        Settled(PROVED, Reading.IN_DISTRIBUTION),
        id="proved-by-a-reading",
    ),
    pytest.param(REFUTED, [], "", Settled(REFUTED), id="refuted-with-no-other-reading"),
    pytest.param(REFUTED, [], "b is new", Settled(REFUTED, not_checked="b is new"), id="objection"),
    pytest.param(
        REFUTED,
        [(Reading.WITH_NOTATION, UNDECIDED)],
        "",
        Settled(
            REFUTED,
            not_checked="false as written, but it may be meant with the notation's identities: neither method reached zero",
        ),
        id="a-reading-left-open",
    ),
    pytest.param(
        REFUTED, [(Reading.WITH_NOTATION, REFUTED)], "", Settled(REFUTED), id="refuted-every-way-letter-shown"
    ),
    pytest.param(
        REFUTED,
        [(Reading.IN_DISTRIBUTION, REFUTED)],
        "",
        Settled(REFUTED, Reading.IN_DISTRIBUTION),
        id="refuted-every-way-distribution-shown",
    ),
    pytest.param(
        UNDECIDED, [(Reading.PROPORTIONAL, REFUTED)], "", Settled(UNDECIDED), id="undecided-letter-stays-undecided"
    ),
]


@pytest.mark.parametrize(("letter", "others", "objected", "expected"), SETTLED)
def test_settle(letter: Verdict, others: list[tuple[Reading, Verdict]], objected: str, expected: Settled) -> None:
    assert settle(letter, others, objected) == expected

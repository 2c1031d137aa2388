"""Soundness by mutation: "proved" must never be said of a wrong step.

Every step of every derivation, and every math block of the rendered Markdown, is mutated (see
``mutants``); whether a mutant is still right is decided by an oracle that shares nothing with the
engine's decision procedure (a concrete model of the notation, evaluated with mpmath at 60 digits).
Then the engine (``check_step``) and ``check-doc`` (``check_source``) are run on it, and:

- no step the oracle finds wrong is ever proved (false proofs: 0);
- a wrong claim is refuted at that very step, a wrong definition at the first claim that depends on
  it, a wrong edit at its block or at the first claim that depends on it (missed: 0);
- a mutant that is still right is never refuted.

The tests run a deterministic sample, spread over every step and every block;
``bench/soundness.py`` runs every mutant. Run with ``-s`` to see the figures.

Mutants that no verdict can refute, because the mutated step has no value to compare anywhere in
the domain, are sorted out as "ill-posed" (see ``ILL_POSED``): they must be undecided, with a reason.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import sympy as sp

from derive.derivations import load, names
from derive.model import CheckConfig, Derivation, Status

from .mutants import (
    ABAR_T,
    ABAR_TM1,
    ALPHA_T,
    BETA_T,
    FAILURES,
    KINDS,
    MATH_BLOCK,
    SEED,
    X_0,
    X_T,
    X_TM1,
    Mutant,
    Outcome,
    Pair,
    Tally,
    Truth,
    claim_truth,
    decide_pair,
    doc_mutants,
    is_checked,
    run_doc_mutant,
    run_step_mutant,
    sample,
    step_mutants,
    tree_mutants,
    value_truth,
)

REPO = Path(__file__).resolve().parents[2]
DOCUMENT = REPO / "output" / "posterior.en.md"
CONFIG = CheckConfig(jobs=1, time_bound=5)
#: Engine checks in the sample (bench/soundness.py runs them all).
ENGINE_SAMPLE = 300
#: check-doc runs in the sample (each checks the whole document).
DOC_SAMPLE = 40
NAMES = names()

#: How an ill-posed mutant is wrong, and why no verdict can refute it: each must be undecided.
ILL_POSED = {
    Truth.UNDEFINED: (
        "a side condition fails everywhere on the domain (a Gaussian's variance 1 - ᾱ_t made ᾱ_t - 1): "
        "there is no point where the step has a value, so no counterexample can exist; the engine says "
        "undecided, as the README's verdicts require"
    ),
    Truth.UNSPECIFIED: (
        "a density's arguments were changed (q(x_t | x_{t-1}) made q(x_0 | x_{t-1})), so a density that "
        "a claim uses is defined nowhere: the claim holds for some densities and not for others, so "
        "it can be neither proved nor refuted"
    ),
    Truth.ILL_POSED: (
        "the expression a coefficient is taken from is no longer a polynomial in the variable "
        "(x² / σ̃² made σ̃² / x²): the claim 'the coefficient of x in …' has no meaning to refute; "
        "or a limit in ᾱ_{t-1} now holds the terms ᾱ_{t-1} is the product of (σ̃_t made σ̃_{t-1}): the "
        "limit moves the product and not its terms, so it says nothing"
    ),
}


@cache
def derivation(name: str) -> Derivation:
    return load(name)


@cache
def mutants_of(name: str) -> tuple[Mutant, ...]:
    return tuple(step_mutants(derivation(name)))


@cache
def engine_outcomes(name: str) -> tuple[Outcome, ...]:
    chosen = sample(mutants_of(name), ENGINE_SAMPLE, key=lambda m: m.step_id)
    return tuple(run_step_mutant(derivation(name), m, CONFIG) for m in chosen)


@cache
def doc_outcomes() -> tuple[Outcome, ...]:
    text = DOCUMENT.read_text(encoding="utf-8")
    chosen = sample(doc_mutants(text), DOC_SAMPLE, key=lambda m: m.block)
    return tuple(run_doc_mutant(text, m, CONFIG) for m in chosen)


def listed(outcomes: list[Outcome]) -> str:
    return "\n".join(o.describe() for o in outcomes)


def step_ids(name: str) -> list[str]:
    return [s.id for s in derivation(name).steps]


STEP_PARAMS = [pytest.param(name, step_id, id=f"{name}/{step_id}") for name in NAMES for step_id in step_ids(name)]


# --- the mutants ----------------------------------------------------------------------------------------


def test_the_mutators_change_one_node_of_the_unevaluated_tree() -> None:
    x_t = sp.Symbol("x_t", real=True)
    with sp.evaluate(False):
        written = (1 - ABAR_T) / sp.sqrt(ALPHA_T) + x_t**2
    found = {m.kind: [] for m in tree_mutants(written)}
    for m in tree_mutants(written):
        found[m.kind].append(m.expr.doit())
    assert set(found) == set(KINDS)
    assert sp.sqrt(ALPHA_T) / (1 - ABAR_T) + x_t**2 in found["swap"]
    assert (1 + ABAR_T) / sp.sqrt(ALPHA_T) + x_t**2 in found["sign"]
    assert (1 - ABAR_T) / sp.sqrt(ALPHA_T) - x_t**2 in found["sign"]
    assert (1 - ABAR_T) / sp.sqrt(ALPHA_T) + x_t**3 in found["exponent"]
    assert (1 - ABAR_TM1) / sp.sqrt(ALPHA_T) + x_t**2 in found["neighbour"]
    assert (1 - ABAR_T) / ALPHA_T + x_t**2 in found["drop-sqrt"]
    assert (2 - ABAR_T) / sp.sqrt(ALPHA_T) + x_t**2 in found["constant"]
    # every position, not only the first: x_t, ᾱ_t and α_t have two neighbours each
    assert len(found["neighbour"]) == 6
    # deduped, none equal to the original, and still unevaluated as the author's trees are
    trees = [sp.srepr(m.expr) for m in tree_mutants(written)]
    assert len(trees) == len(set(trees))
    assert sp.srepr(written) not in trees
    assert all(m.expr != m.expr.doit() for m in tree_mutants(written) if m.kind == "sign")


@pytest.mark.parametrize(("name", "step_id"), STEP_PARAMS)
def test_every_step_has_mutants(name: str, step_id: str) -> None:
    assert any(m.step_id == step_id for m in mutants_of(name))


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_applies(kind: str) -> None:
    assert any(m.kind == kind for name in NAMES for m in mutants_of(name))


def test_every_math_block_of_the_document_has_mutants() -> None:
    text = DOCUMENT.read_text(encoding="utf-8")
    blocks = [text.count("\n", 0, b.start(1)) + 1 for b in MATH_BLOCK.finditer(text)]
    assert blocks
    mutated = {m.block[0] for m in doc_mutants(text)}
    assert mutated == set(blocks)


# --- the oracle -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "step_id"), STEP_PARAMS)
def test_the_oracle_finds_every_step_right(name: str, step_id: str) -> None:
    d = derivation(name)
    index = d.index[step_id]
    truth = claim_truth(d, index, SEED) if is_checked(d.steps[index]) else value_truth(d, index, SEED)
    assert truth is Truth.TRUE


def test_the_oracle_tells_right_from_wrong() -> None:
    # ᾱ_t = α_t ᾱ_{t-1} holds in the model without being told; a near miss at 1e-25 does not
    with sp.evaluate(False):
        near = ALPHA_T * ABAR_TM1 + sp.Rational(1, 10**25)
    assert decide_pair(Pair(ABAR_T, ALPHA_T * ABAR_TM1), SEED) is Truth.TRUE
    assert decide_pair(Pair(ABAR_T, near), SEED) is Truth.FALSE
    # up to a term free of x_{t-1}; and a root of a negative number has no value anywhere
    assert decide_pair(Pair(X_TM1**2 + ALPHA_T, X_TM1**2, (X_TM1,)), SEED) is Truth.FALSE
    assert decide_pair(Pair(X_TM1 + ALPHA_T, X_TM1 + ALPHA_T, (X_TM1,)), SEED) is Truth.FALSE
    assert decide_pair(Pair(ALPHA_T + ABAR_T, ALPHA_T + ABAR_T, (X_TM1,)), SEED) is Truth.TRUE
    assert decide_pair(Pair(sp.sqrt(-ALPHA_T), sp.sqrt(-ALPHA_T)), SEED) is Truth.UNDEFINED


def test_the_oracle_takes_limits_from_inside_the_domain() -> None:
    # (1 - ᾱ_{t-1}) / (1 - ᾱ_t) -> 0 as ᾱ_{t-1} -> 1 from below; its square root too
    ratio = (1 - ABAR_TM1) / (1 - ABAR_T)
    assert decide_pair(Pair(ratio, sp.S.Zero, limit=(ABAR_TM1, sp.S.One)), SEED) is Truth.TRUE
    assert decide_pair(Pair(sp.sqrt(ratio), sp.S.Zero, limit=(ABAR_TM1, sp.S.One)), SEED) is Truth.TRUE
    assert decide_pair(Pair(ratio, sp.S.One, limit=(ABAR_TM1, sp.S.One)), SEED) is Truth.FALSE


def test_a_limit_in_abar_t_is_taken_along_paths_in_the_independent_symbols() -> None:
    # ᾱ_t -> 1 forces α_t -> 1 and ᾱ_{t-1} -> 1: the posterior variance goes to 0 on every path, the
    # posterior mean to a mix of x_0 and x_t that depends on the path, so it has no limit
    variance = BETA_T * (1 - ABAR_TM1) / (1 - ABAR_T)
    mean = (sp.sqrt(ABAR_TM1) * BETA_T * X_0 + sp.sqrt(ALPHA_T) * (1 - ABAR_TM1) * X_T) / (1 - ABAR_T)
    assert decide_pair(Pair(variance, sp.S.Zero, limit=(ABAR_T, sp.S.One)), SEED) is Truth.TRUE
    assert decide_pair(Pair(mean, X_0, limit=(ABAR_T, sp.S.One)), SEED) is Truth.FALSE
    assert decide_pair(Pair(mean, X_0, limit=(ABAR_TM1, sp.S.One)), SEED) is Truth.TRUE


def test_a_claim_in_a_dependent_symbol_of_the_model_is_not_moved() -> None:
    # ∝ in ᾱ_t: ᾱ_t cannot move alone, so the claim is ill-posed for the oracle, not decided
    assert decide_pair(Pair(ABAR_T, ABAR_T, (ABAR_T,)), SEED) is Truth.ILL_POSED


# --- the engine on mutants of every step -------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_engine_mutation_figures(name: str) -> None:
    tally = Tally(list(engine_outcomes(name)))
    print()
    print("\n".join(tally.lines(f"engine mutants of {name} (a sample of {len(mutants_of(name))})")))
    for category in ("missed", "misplaced", "false-proof", "equivalent-refuted", "ill-posed", "uncheckable"):
        for outcome in (o for o in tally.outcomes if o.category == category):
            print(f"  {outcome.describe()}")
    assert tally.outcomes


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_the_engine_never_proves_a_wrong_step(name: str) -> None:
    wrong = [o for o in engine_outcomes(name) if o.false_proofs or o.category == "false-proof"]
    assert not wrong, listed(wrong)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "step_id"), STEP_PARAMS)
def test_a_wrong_mutant_is_refuted_at_the_first_wrong_step(name: str, step_id: str) -> None:
    outcomes = [o for o in engine_outcomes(name) if o.step_id == step_id]
    missed = [o for o in outcomes if o.category in ("missed", "misplaced")]
    assert not missed, listed(missed)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_the_engine_never_refutes_an_equivalent_mutant(name: str) -> None:
    wrong = [o for o in engine_outcomes(name) if o.category == "equivalent-refuted"]
    assert not wrong, listed(wrong)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_a_wrong_definition_is_refuted_at_a_claim_that_depends_on_it(name: str) -> None:
    refuted = [o for o in engine_outcomes(name) if o.definition and o.category == "refuted"]
    assert refuted
    for outcome in refuted:
        assert outcome.decisive is not None
        decisive = outcome.decisive
        assert decisive.status is Status.REFUTED
        assert decisive.step_id == outcome.step_id or outcome.step_id in decisive.definitions, outcome.describe()


@pytest.mark.slow
@pytest.mark.parametrize("truth", list(ILL_POSED), ids=[t.value for t in ILL_POSED])
def test_an_ill_posed_mutant_is_undecided_with_a_reason(truth: Truth) -> None:
    # no point can refute it (see ILL_POSED), so the honest verdict is undecided, never proved
    outcomes = [o for name in NAMES for o in engine_outcomes(name) if o.category == "ill-posed" and o.truth is truth]
    assert outcomes, "none in the sample"
    for outcome in outcomes:
        assert outcome.decisive is not None, outcome.describe()
        assert outcome.decisive.status is Status.UNDECIDED, outcome.describe()
        assert outcome.decisive.reason, outcome.describe()


@pytest.mark.slow
def test_a_malformed_mutant_is_rejected_not_checked() -> None:
    # a mutated name that cannot be defined, or that is defined twice, stops the engine: no verdict
    rejected = [o for name in NAMES for o in engine_outcomes(name) if o.category == "rejected"]
    assert all(not o.checks and "DerivationError" in o.detail for o in rejected), listed(rejected)


# --- check-doc on edits of the rendered Markdown -------------------------------------------------------------


@pytest.mark.slow
def test_check_doc_mutation_figures() -> None:
    tally = Tally(list(doc_outcomes()))
    text = DOCUMENT.read_text(encoding="utf-8")
    print()
    print("\n".join(tally.lines(f"check-doc edits of {DOCUMENT.name} (a sample of {len(doc_mutants(text))})")))
    for outcome in (o for o in tally.outcomes if o.category not in ("refuted", "equivalent")):
        print(f"  {outcome.describe()}")
    assert tally.outcomes


@pytest.mark.slow
def test_check_doc_never_proves_a_wrong_edit() -> None:
    wrong = [o for o in doc_outcomes() if o.false_proofs or o.category == "false-proof"]
    assert not wrong, listed(wrong)


@pytest.mark.slow
def test_check_doc_refutes_a_wrong_edit_where_it_is_made() -> None:
    missed = [o for o in doc_outcomes() if o.category in ("missed", "misplaced")]
    assert not missed, listed(missed)


@pytest.mark.slow
def test_check_doc_never_refutes_an_equivalent_edit() -> None:
    wrong = [o for o in doc_outcomes() if o.category == "equivalent-refuted"]
    assert not wrong, listed(wrong)


#: Edits of the variable of a limit, which the sample may miss: one that stays true, one that does not.
LIMIT_EDITS = [
    # ᾱ_{t-1} -> ᾱ_t in the variable of a limit: ᾱ_t -> 1 forces α_t, ᾱ_{t-1} -> 1, and σ̃_t² -> 0 on every
    # path, so this edit is still true; the mean's limit depends on the path, so that one is false
    pytest.param(
        r"\lim_{\bar{\alpha}_{t-1} \to 1} \tilde{\sigma}_t^{2} = 0", "_{t-1}", "_t", id="limit-variance-in-abar-t"
    ),
    pytest.param(r"\lim_{\bar{\alpha}_{t-1} \to 1} \tilde{\mu}_t = x_0", "_{t-1}", "_t", id="limit-mean-in-abar-t"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("block", "old", "new"), LIMIT_EDITS)
def test_check_doc_on_a_limit_in_a_dependent_symbol(block: str, old: str, new: str) -> None:
    text = DOCUMENT.read_text(encoding="utf-8")
    assert block in text
    start = text.index(block) + block.index(old)
    (mutant,) = [m for m in doc_mutants(text) if m.text == text[:start] + new + text[start + len(old) :]]
    outcome = run_doc_mutant(text, mutant, CONFIG)
    assert outcome.category not in FAILURES, outcome.describe()


@pytest.mark.slow
def test_an_edit_that_does_not_parse_is_an_error_at_its_block() -> None:
    rejected = [o for o in doc_outcomes() if o.category == "rejected"]
    assert all(o.decisive is not None and o.decisive.method == "error" for o in rejected), listed(rejected)

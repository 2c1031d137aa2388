"""How sound is derive? Mutation figures for the engine and for ``check-doc``.

A verifier is worth exactly its false-proof rate. This runs every mutant that
``tests/soundness/test_mutation.py`` samples from:

a) Engine: every single-node mutant of the lhs and rhs of every step of every derivation (swapped
   operands, a flipped sign, an exponent ±1, a neighbouring symbol, a dropped root, a changed
   constant), decided independently by the oracle of ``tests/soundness/mutants.py`` (a concrete model
   of the notation, mpmath at 60 digits), then checked by the engine: a claim at its own step, a
   definition at itself and at every later step that depends on it, up to the first verdict that is
   not ok.

b) check-doc: every single textual edit of every ```` ```math ```` block of
   ``output/posterior.en.md`` (``+``/``-``, ``_t``/``_{t-1}``, a removed ``\\sqrt``, ``^{2}``→``^{3}``,
   ``\\frac{1}{2}``→``\\frac{1}{4}``), checked by ``check_source`` on the whole edited document.

Printed, one block each: mutants generated, and how many fall in each category (refuted where the
oracle says the first wrong step is; equivalent; missed; false proofs; misplaced refutations;
equivalent but refuted; uncheckable definition edits; ill-posed; rejected as malformed), how many
stopped at an undecided verdict, and the slowest check (for check-doc: the slowest document check).
Then every mutant that is not simply refuted or equivalent, with the oracle's and the engine's view.
Targets: 0 false proofs, 0 missed, 0 misplaced, 0 equivalent-refuted.

Run from anywhere: ``python bench/soundness.py [--limit N] [--brief]`` (``--limit`` samples N
mutants of each derivation and N document edits, as the tests do; a few minutes in full).
This is a benchmark, not a test: it prints numbers and always exits 0 unless it cannot run.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from derive.derivations import load, names  # noqa: E402
from derive.model import CheckConfig  # noqa: E402
from tests.soundness.mutants import (  # noqa: E402
    Tally,
    doc_mutants,
    run_doc_mutant,
    run_step_mutant,
    sample,
    step_mutants,
)

CONFIG = CheckConfig(jobs=1, time_bound=5)
DOCUMENT = ROOT / "output" / "posterior.en.md"
#: the categories whose mutants are listed one by one (all others too, unless --brief)
LISTED = ("false-proof", "missed", "misplaced", "equivalent-refuted", "uncheckable")


def _report(tally: Tally, title: str, seconds: float, brief: bool) -> None:
    print("\n".join(tally.lines(title)))
    print(f"  {'wall time':<18}  {seconds:8.1f} s")
    for outcome in tally.outcomes:
        if outcome.category in LISTED or (not brief and outcome.category not in ("refuted", "equivalent")):
            print(f"  - {outcome.describe()}")
    print()


def engine_mutation_figures(limit: int | None = None, brief: bool = False) -> Tally:
    """Every mutant of every step of every derivation (or ``limit`` of each), through the engine."""
    tally = Tally()
    started = time.perf_counter()
    generated = 0
    for name in names():
        derivation = load(name)
        mutants = step_mutants(derivation)
        generated += len(mutants)
        if limit is not None:
            mutants = sample(mutants, limit, key=lambda m: m.step_id)
        for mutant in mutants:
            tally.add(run_step_mutant(derivation, mutant, CONFIG))
    title = f"engine mutants ({', '.join(names())}; {generated} generated)"
    _report(tally, title, time.perf_counter() - started, brief)
    return tally


def doccheck_mutation_figures(limit: int | None = None, brief: bool = False) -> Tally:
    """Every single edit of every math block of the rendered Markdown (or ``limit``), through check-doc."""
    text = DOCUMENT.read_text(encoding="utf-8")
    tally = Tally()
    started = time.perf_counter()
    mutants = doc_mutants(text)
    generated = len(mutants)
    if limit is not None:
        mutants = sample(mutants, limit, key=lambda m: m.block)
    for mutant in mutants:
        tally.add(run_doc_mutant(text, mutant, CONFIG))
    title = f"check-doc edits of {DOCUMENT.relative_to(ROOT)} ({generated} generated)"
    _report(tally, title, time.perf_counter() - started, brief)
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="sample this many mutants of each kind of run")
    parser.add_argument("--brief", action="store_true", help="list only false proofs, misses and uncheckable edits")
    parser.add_argument("--only", choices=("engine", "check-doc"), default=None, help="run one half (default: both)")
    args = parser.parse_args()
    if args.only in (None, "engine"):
        engine_mutation_figures(args.limit, args.brief)
    if args.only in (None, "check-doc"):
        doccheck_mutation_figures(args.limit, args.brief)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Fuzzing ``derive check-doc`` at scale: the generator of tests/doccheck/test_fuzz.py on many inputs.

Each input is a small random Markdown document (1–6 blocks: math fences, ``$$`` blocks, inline math,
``<!-- derive: … -->`` annotations, prose, lists, quotes, broken and unclosed pieces) around LaTeX
from a vocabulary of real tokens and the seed's equations, some mutated. Input number ``k`` is
``Fuzz(random.Random(seed * 1_000_003 + k)).document()``, so any input can be regenerated from its
number. Each is checked with ``check_source(doc, "fuzz.md", DDPM, CheckConfig(jobs=1, time_bound=1))``
in a pool of worker processes (default 2).

Printed: inputs run; crashes (exceptions escaping ``check_source``) with the first few inputs that
crashed; errors without a valid location (a line outside 1..the document's lines); other problems;
the maximum time for one input and which input; the total time; the verdicts seen.

Run from anywhere: ``python bench/fuzz.py [--count 10000] [--seed N] [--processes 2]``.
``fuzz_figures(count)`` returns the same figures as a dict (bench/soundness.py uses it).
This is a benchmark, not a test: it prints numbers and always exits 0 unless it cannot run.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.doccheck.test_fuzz import FILE_BOUND, Fuzz, run_one  # noqa: E402

SEED = 20201219
#: how many crashing (or unlocated) inputs are kept, to show
EXAMPLES = 5


def document(k: int, seed: int = SEED) -> str:
    """Input number ``k``."""
    return Fuzz(random.Random(seed * 1_000_003 + k)).document()


def _check(k_seed: tuple[int, int]) -> dict[str, Any]:
    """In a worker: generate and check input ``k``; only small, picklable figures go back."""
    k, seed = k_seed
    outcome = run_one(document(k, seed))
    verdicts = Counter(r.verdict for r in outcome.report.results) if outcome.report is not None else Counter()
    return {
        "k": k,
        "seconds": outcome.seconds,
        "crash": outcome.crash,
        "unlocated": outcome.unlocated,
        "problems": outcome.problems,
        "verdicts": dict(verdicts),
    }


def fuzz_figures(count: int = 10_000, seed: int = SEED, processes: int = 2) -> dict[str, Any]:
    """Run ``count`` inputs; the figures, with the first few failing inputs in full.

    Keys: inputs, seed; crashes, crash_kinds {"Error at file:line": count}, crash_inputs [input
    number], crash_examples [(input number, exception, document)] (the first few), crash_first_of_kind
    {kind: (input number, exception, document)}; unlocated_errors, unlocated_examples [(input number,
    message, document)]; problems, problem_examples; max_seconds, slowest (input number),
    slowest_input (document); over_time_limit (inputs slower than test_fuzz.FILE_BOUND);
    total_seconds; verdicts {verdict: count}.
    """
    started = time.perf_counter()
    tasks = [(k, seed) for k in range(count)]
    if processes > 1 and "fork" in multiprocessing.get_all_start_methods():
        # fork: workers inherit SymPy, the grammar and the generator instead of importing them again
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            rows = list(pool.imap(_check, tasks, chunksize=16))
    else:
        rows = [_check(task) for task in tasks]
    total = time.perf_counter() - started

    crashes = [r for r in rows if r["crash"] is not None]
    kinds = Counter(_kind(r["crash"]) for r in crashes)
    first_of_kind: dict[str, dict[str, Any]] = {}
    for r in crashes:
        first_of_kind.setdefault(_kind(r["crash"]), r)
    unlocated = [r for r in rows if r["unlocated"]]
    problems = [r for r in rows if r["problems"]]
    slowest = max(rows, key=lambda r: r["seconds"]) if rows else None
    verdicts: Counter[str] = Counter()
    for r in rows:
        verdicts.update(r["verdicts"])
    return {
        "inputs": len(rows),
        "seed": seed,
        "crashes": len(crashes),
        "crash_kinds": dict(kinds.most_common()),
        "crash_inputs": [r["k"] for r in crashes],
        "crash_examples": [(r["k"], r["crash"], document(r["k"], seed)) for r in crashes[:EXAMPLES]],
        "crash_first_of_kind": {
            kind: (r["k"], r["crash"], document(r["k"], seed)) for kind, r in first_of_kind.items()
        },
        "unlocated_errors": sum(len(r["unlocated"]) for r in unlocated),
        "unlocated_examples": [(r["k"], r["unlocated"][0], document(r["k"], seed)) for r in unlocated[:EXAMPLES]],
        "problems": sum(len(r["problems"]) for r in problems),
        "problem_examples": [(r["k"], r["problems"][0], document(r["k"], seed)) for r in problems[:EXAMPLES]],
        "max_seconds": slowest["seconds"] if slowest else 0.0,
        "slowest": slowest["k"] if slowest else None,
        "slowest_input": document(slowest["k"], seed) if slowest else "",
        "over_time_limit": sum(r["seconds"] > FILE_BOUND for r in rows),
        "total_seconds": total,
        "verdicts": dict(verdicts.most_common()),
    }


def _kind(crash: str) -> str:
    """``IndexError at claims.py:108`` for ``IndexError: list index out of range (at claims.py:108)``."""
    return crash.split(":", 1)[0] + " at " + crash.rsplit("(at ", 1)[-1].rstrip(")")


def minimize(source: str, budget: int = 3000) -> str:
    """A smaller input that crashes the same way (the same exception at the same place): delta
    debugging over lines, then over characters, with at most ``budget`` checks."""
    kind = _kind(run_one(source).crash or "")
    checks = 0

    def same(candidate: str) -> bool:
        nonlocal checks
        checks += 1
        crash = run_one(candidate).crash
        return crash is not None and _kind(crash) == kind

    for split, join in ((lambda s: s.split("\n"), "\n".join), (list, "".join)):
        parts = split(source)
        n = 2
        while len(parts) >= 2 and checks < budget:
            chunk = max(1, len(parts) // n)
            for i in range(0, len(parts), chunk):
                candidate = parts[:i] + parts[i + chunk :]
                if same(join(candidate)):
                    parts, n = candidate, max(n - 1, 2)
                    break
            else:
                if n >= len(parts):
                    break
                n = min(len(parts), 2 * n)
        source = join(parts)
    return source


def _show(document: str, limit: int = 1500) -> str:
    shown = repr(document)
    return shown if len(shown) <= limit else shown[:limit] + f"… ({len(document)} characters)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--count", type=int, default=10_000, help="inputs to run (default 10000)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"generator seed (default {SEED})")
    parser.add_argument("--processes", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--minimize", action="store_true", help="also shrink the first input of each crash kind")
    args = parser.parse_args(argv)
    if args.count < 1 or args.processes < 1:
        parser.error("--count and --processes must be at least 1")

    f = fuzz_figures(args.count, args.seed, args.processes)
    print(f"inputs run:                     {f['inputs']} (seed {f['seed']}, {args.processes} processes)")
    print(f"crashes (escaped check_source): {f['crashes']}")
    for kind, n in f["crash_kinds"].items():
        print(f"  {n:6d} × {kind}")
    shown = set()
    for k, crash, source in f["crash_examples"]:
        shown.add(k)
        print(f"  input {k}: {crash}\n    {_show(source)}")
    for kind, (k, crash, source) in f["crash_first_of_kind"].items():
        if k not in shown:
            print(f"  input {k} (first {kind}): {crash}\n    {_show(source)}")
    if args.minimize:
        for kind, (k, _, source) in f["crash_first_of_kind"].items():
            print(f"  smallest found for {kind} (from input {k}): {_show(minimize(source))}")
    print(f"errors without a valid line:    {f['unlocated_errors']}")
    for k, message, source in f["unlocated_examples"]:
        print(f"  input {k}: {message}\n    {_show(source)}")
    if f["problems"]:
        print(f"other problems:                 {f['problems']}")
        for k, message, source in f["problem_examples"]:
            print(f"  input {k}: {message}\n    {_show(source)}")
    print(f"max time for one input:         {f['max_seconds']:.2f} s (input {f['slowest']})")
    print(f"    {_show(f['slowest_input'])}")
    print(f"inputs over {FILE_BOUND:g} s:              {f['over_time_limit']}")
    print(f"total time:                     {f['total_seconds']:.1f} s")
    print("verdicts:                       " + ", ".join(f"{n} {v}" for v, n in f["verdicts"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Do check-doc's verdicts depend on the machine's load? Quiet versus loaded, in one run.

Checks every document of ``../shared/corpus/real/`` (beside the checkout; skipped with the reason
where it is missing) and of ``tests/corpus/`` twice with ``derive check-doc --format json``: once on
a quiet machine, once with one CPU-bound process per core running beside it (started and stopped
by this script). Every result is keyed by file, line and the formula's text; the script prints
how many verdicts differ, and lists each difference. The only allowed difference is a proof that
needed the step's time bound becoming undecided; any difference that involves ``refuted`` breaks
the promise that a refutation does not depend on load.

Run from anywhere: ``python bench/load_stability.py [--jobs 2]``. This is a benchmark, not a test:
it prints figures and exits 0 unless it cannot run.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "corpus" / "real"
HOSTILE = ROOT / "tests" / "corpus"

Key = tuple[str, int, str]


def _documents() -> list[Path]:
    documents = []
    if REAL.is_dir():
        documents += sorted(p for p in REAL.glob("*.md") if p.name != "README.md")
    else:
        print(f"SKIPPED the real documents: {REAL} is missing (it lives beside the checkout, not in it)")
    documents += sorted(HOSTILE.glob("*.md"))
    return documents


def _verdicts(documents: list[Path], jobs: int) -> dict[Key, str]:
    """Each file checked on its own (an unreadable one must not hide the others)."""
    found: dict[Key, str] = {}
    for path in documents:
        command = [sys.executable, "-m", "derive", "check-doc", "--format", "json", "--jobs", str(jobs), str(path)]
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
        if not done.stdout.strip():
            found[(path.name, 0, "")] = f"exit {done.returncode}: {done.stderr.strip()[:80]}"
            continue
        for report in json.loads(done.stdout)["files"]:
            for r in report["results"]:
                key = (path.name, r["line"], r["latex"])
                found[key] = r["verdict"] if key not in found else f"{found[key]}+{r['verdict']}"
    return found


def _burn() -> None:
    while True:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="check-doc's worker processes (default 2)")
    args = parser.parse_args()
    documents = _documents()
    print(f"{len(documents)} documents; check-doc --jobs {args.jobs}")

    started = time.perf_counter()
    quiet = _verdicts(documents, args.jobs)
    print(f"quiet:  {len(quiet)} results in {time.perf_counter() - started:.0f} s")

    burners = [multiprocessing.Process(target=_burn, daemon=True) for _ in range(os.cpu_count() or 1)]
    for burner in burners:
        burner.start()
    try:
        started = time.perf_counter()
        loaded = _verdicts(documents, args.jobs)
        print(f"loaded: {len(loaded)} results in {time.perf_counter() - started:.0f} s ({len(burners)} busy processes)")
    finally:
        for burner in burners:
            burner.terminate()

    differing = sorted(k for k in quiet.keys() | loaded.keys() if quiet.get(k) != loaded.get(k))
    kinds = Counter(f"{quiet.get(k, 'absent')} -> {loaded.get(k, 'absent')}" for k in differing)
    involving_refuted = sum("refuted" in kind for kind in (f"{quiet.get(k)} {loaded.get(k)}" for k in differing))
    print(f"\nverdicts that differ: {len(differing)} of {len(quiet.keys() | loaded.keys())}")
    print(f"differences involving refuted: {involving_refuted}")
    for kind, count in kinds.most_common():
        print(f"  {count:4d}  {kind}")
    for name, line, latex in differing:
        print(f"  {name}:{line}: {quiet.get((name, line, latex))} -> {loaded.get((name, line, latex))}  {latex[:60]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Hostile input: every document of tests/corpus/ and the large or strange cases of issue 15, each checked by
``derive check-doc`` in a subprocess under a memory cap, with its wall time and peak memory.

Printed, one row per case: the exit status, the wall time, the peak resident memory of the process and its
workers, and the first located message. A case passes when it ends within the file's time bound plus
start-up, below 1 GB, with exit status 0, 1 or 2, no traceback, and every result at a line. The last line
counts the cases that did not.

Generated beside the corpus (in a temporary folder): 1,000, 10,000 and 14,000 one-line definitions, 80,000
inline relations on one line, a FIFO, a device, a missing file, UTF-16 without a byte-order mark, and file
names that try to forge GitHub annotations (checked with ``--format github``: one line per result, nothing
more).

Run from the checkout: ``python bench/hostile.py [--file-time-bound 60] [--only NAME]``. A benchmark, not a
test: it prints figures, and exits 1 only if a case failed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
#: the cap each case runs under, beyond derive's own --memory-bound (1 GB per process by default)
CAP = 2 * 1024 * 1024 * 1024
#: what the issue allows: below 1 GB
GIGABYTE = 1024 * 1024 * 1024
#: seconds of start-up allowed beyond the file's time bound (importing SymPy, forking the workers)
STARTUP = 15.0


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    #: the report format: github for the names that try to forge an annotation
    form: str = "json"


@dataclass(frozen=True)
class Outcome:
    case: Case
    code: int
    seconds: float
    peak: int
    said: str
    problems: tuple[str, ...]


def generated(folder: Path) -> list[Case]:
    """The cases of issue 15 that are too large, or too strange, to keep in the repository."""
    cases = []
    for count in (1_000, 10_000, 14_000):
        path = folder / f"{count}_one_line_definitions.md"
        path.write_text("# Definitions\n\n" + "".join(f"$$a_{{{k}}} = {k}$$\n\n" for k in range(count)), "utf-8")
        cases.append(Case(path.name, path))
    inline = folder / "80000_inline_relations_on_one_line.md"
    inline.write_text("# Relations\n\n" + " ".join("$a = b$" for _ in range(80_000)) + "\n", "utf-8")
    cases.append(Case(inline.name, inline))
    fifo = folder / "a_fifo.md"
    os.mkfifo(fifo)
    cases.append(Case(fifo.name, fifo))
    device = folder / "a_device.md"
    device.symlink_to(os.devnull)
    cases.append(Case(device.name, device))
    cases.append(Case("a_missing_file.md", folder / "a_missing_file.md"))
    wide = folder / "utf16_without_a_byte_order_mark.md"
    wide.write_bytes("# Notes\n\n$$x = 1$$\n".encode("utf-16-le"))
    cases.append(Case(wide.name, wide))
    for name in ("notes,line=999,title=x.md", "a\n::error file=x::forged.md"):
        path = folder / name
        path.write_text("# Notes\n\n$$y = 2$$\n\n$$y = 3$$\n", "utf-8")
        cases.append(Case(repr(name), path, "github"))
    return cases


def run(case: Case, bound: float, scratch: Path) -> Outcome:
    command = [sys.executable, "-m", "derive", "check-doc", "--format", case.form, "--file-time-bound", str(bound)]
    out_path, err_path = scratch / "out", scratch / "err"
    started = time.monotonic()
    with out_path.open("wb") as out, err_path.open("wb") as err:
        process = subprocess.Popen(
            [*command, str(case.path)],
            cwd=ROOT,
            stdout=out,
            stderr=err,
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP)),
        )
    # a case that outlives every bound is killed, and reported
    timer = threading.Timer(bound + STARTUP + 60, process.kill)
    timer.start()
    # reaped here, not by Popen: wait4 gives the rusage of the case and of the workers it waited for
    _, status, usage = os.wait4(process.pid, 0)
    timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    peak = usage.ru_maxrss * 1024  # kilobytes on Linux
    text = out_path.read_bytes().decode("utf-8", "replace")
    errors = err_path.read_bytes().decode("utf-8", "replace")
    said, problems = _judge(case, process.returncode, text, errors)
    if seconds > bound + STARTUP:
        problems.append(f"took {seconds:.1f} s, beyond the bound of {bound:g} s plus {STARTUP:g} s")
    if peak >= GIGABYTE:
        problems.append(f"peak memory {peak / 2**20:.0f} MB")
    return Outcome(case, process.returncode, seconds, peak, said, tuple(problems))


def _judge(case: Case, code: int, out: str, err: str) -> tuple[str, list[str]]:
    problems = []
    if code not in (0, 1, 2):
        problems.append(f"exit status {code}")
    if "Traceback" in err or "Traceback" in out:
        problems.append("a traceback")
    if case.form == "github":
        lines = out.splitlines()
        if any(not line.startswith(("::error file=", "::warning file=")) for line in lines):
            problems.append("a line that is not one annotation")
        return (lines[0] if lines else err.strip()), problems
    try:
        (found,) = json.loads(out)["files"]
    except (ValueError, KeyError):
        problems.append("no JSON report")
        return err.strip()[:200], problems
    results = found["results"]
    if not results:
        problems.append("no result")
    if any(not isinstance(r["line"], int) or r["line"] < 1 for r in results):
        problems.append("a result without a line")
    telling = [r for r in results if r["verdict"] in ("error", "refuted", "undecided")] or results
    first = telling[0] if telling else None
    said = f"{first['line']}: {first['verdict']}: {first['message']}" if first else err.strip()
    return said, problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file-time-bound", type=float, default=60.0, help="check-doc's bound per file (s)")
    parser.add_argument("--only", default="", help="run only the cases whose name contains this")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as scratch:
        cases = [Case(p.name, p) for p in sorted(CORPUS.iterdir())] + generated(Path(folder))
        cases = [c for c in cases if args.only in c.name]
        print(f"{len(cases)} cases, each under a {CAP // 2**30} GB cap, --file-time-bound {args.file_time_bound:g}")
        print(f"{'case':58} {'exit':>4} {'wall s':>7} {'peak MB':>8}  first located message")
        failed = 0
        worst_seconds, worst_peak = 0.0, 0
        for case in cases:
            outcome = run(case, args.file_time_bound, Path(scratch))
            worst_seconds = max(worst_seconds, outcome.seconds)
            worst_peak = max(worst_peak, outcome.peak)
            said = " ".join(outcome.said.split())
            print(
                f"{case.name[:58]:58} {outcome.code:>4} {outcome.seconds:>7.2f} {outcome.peak / 2**20:>8.0f}  "
                f"{said[:100]}"
            )
            for problem in outcome.problems:
                print(f"{'':58} FAILED: {problem}")
            failed += bool(outcome.problems)
        print(
            f"{len(cases) - failed} of {len(cases)} cases passed; slowest {worst_seconds:.2f} s, "
            f"largest {worst_peak / 2**20:.0f} MB"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""How fast is ``derive check-doc``? Throughput on long documents, and cold start on the seed.

a) Throughput: long generated Markdown derivations of N equations (default 1,000 and 10,000),
   checked in this process with ``check_source`` after one small warm-up call, so imports and the
   grammar load are not counted; SymPy's cache is cleared before each run, as in a fresh process.
   Each document repeats groups with fresh names, so nothing is redefined: a definition
   ``u_{k} = (x_t + k)^2 / β_t`` and its expansion over ``1 - α_t``, a square root
   ``v_{k} = √α_t (x_t + k)`` and its square, and a chain ``w_{k} = (x_t - k)(x_t + k) = x_t^2 - k^2``,
   each block in a ```math fence after a line of prose. The document opens with the conventions
   ``β_t ∈ (0,1), α_t = 1 - β_t``, so β_t is tied to α_t. Every claim is true: the report must have
   0 refuted/undecided/error, and proved + definition must equal the number of equations
   (relations) generated; otherwise a warning is printed, and the numbers are still shown.
   Printed: equations per second for each size, and the time per equation of the largest size
   divided by that of the smallest (near 1.0: time grows linearly). The smaller sizes are timed
   before and after the largest (1k, 10k, 1k) and their mean is used, so load that drifts during
   the long run hits both sides alike. The smallest document is also checked by the whole command,
   ``python -m derive check-doc FILE``, as a fresh subprocess. Target: >= 200 equations/s.

b) Cold start: wall time of ``python -m derive check-doc`` on the seed document
   (../shared/seed/ddpm_posterior_mean.zh.md beside the checkout) divided by the wall time of a fresh
   ``python -c "import sympy"``. Runs are interleaved (A, B, A, B, ...) and the medians compared,
   so load on a shared machine hits both alike. Target: <= 2.0x. Skipped, with the reason printed,
   when the seed document is missing.

Run from anywhere: ``python bench/check_doc_speed.py [--sizes 1000,10000] [--quick] [--runs N]``
(``--quick`` uses sizes 200,2000; default 5 runs; a few minutes by default).
This is a benchmark, not a test: it prints numbers and always exits 0 unless it cannot run.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sympy as sp  # noqa: E402
from sympy.core.cache import clear_cache  # noqa: E402

from derive.doccheck.check import VERDICTS, FileReport, check_source  # noqa: E402
from derive.model import CheckConfig  # noqa: E402
from derive.notation import DDPM  # noqa: E402

#: the seed lives outside the repository, in ../shared/seed/ beside the checkout
SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "ddpm_posterior_mean.zh.md"
CHECK_DOC = [sys.executable, "-m", "derive", "check-doc"]
IMPORT_SYMPY = [sys.executable, "-c", "import sympy"]
GOAL_RATE = 200.0
GOAL_COLD = 2.0
CONVENTIONS = r"\beta_t \in (0,1), \quad \alpha_t = 1 - \beta_t"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    return env


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, env=_env(), capture_output=True, text=True, check=False)


def _timed(command: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Wall time of a fresh subprocess; exit codes 0-2 are check-doc's verdicts, anything else a failure."""
    started = time.perf_counter()
    done = _run(command)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1, 2) or "Traceback" in done.stderr:
        raise RuntimeError(f"{command!r} failed with exit code {done.returncode}:\n{done.stderr}")
    return elapsed, done


# --- the generated documents ---------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    prose: str
    latex: str
    definitions: int
    claims: int


@dataclass(frozen=True)
class Document:
    text: str
    equations: int
    definitions: int
    claims: int


def _group(k: int) -> list[Block]:
    """One group of a derivation: three definitions and three true claims about them, names fresh per k."""
    return [
        Block(f"Group {k}. Define the scaled square:", rf"u_{{{k}}} = \frac{{(x_t + {k})^2}}{{\beta_t}}", 1, 0),
        Block(
            "Expanding the square, and writing the denominator with the conventions:",
            rf"u_{{{k}}} = \frac{{x_t^2 + {2 * k} x_t + {k * k}}}{{1 - \alpha_t}}",
            0,
            1,
        ),
        Block("Next, a term with a square root:", rf"v_{{{k}}} = \sqrt{{\alpha_t}} (x_t + {k})", 1, 0),
        Block("Squaring it removes the root:", rf"v_{{{k}}}^2 = \alpha_t (x_t + {k})^2", 0, 1),
        Block(
            "Finally a difference of squares, defined and expanded in one chain:",
            rf"w_{{{k}}} = (x_t - {k})(x_t + {k}) = x_t^2 - {k * k}",
            1,
            1,
        ),
    ]


def document(equations: int) -> Document:
    """A derivation of exactly ``equations`` relations (the conventions' two included), all true."""
    blocks = [Block("We use the usual conventions for the noise schedule:", CONVENTIONS, 2, 0)]
    total, k = 2, 0
    while total < equations:
        k += 1
        for block in _group(k):
            remaining = equations - total
            if remaining <= 0:
                break
            if block.definitions + block.claims > remaining:  # only the chain has two; keep its definition
                block = Block(block.prose, rf"w_{{{k}}} = (x_t - {k})(x_t + {k})", 1, 0)
            blocks.append(block)
            total += block.definitions + block.claims
    parts = ["# A long generated derivation", ""]
    for block in blocks:
        parts += [block.prose, "", "```math", block.latex, "```", ""]
    return Document(
        "\n".join(parts),
        total,
        sum(b.definitions for b in blocks),
        sum(b.claims for b in blocks),
    )


def _counts(report: FileReport) -> dict[str, int]:
    return {verdict: report.count(verdict) for verdict in VERDICTS}


def _verify(counts: dict[str, int], doc: Document, label: str) -> bool:
    """Loud when the report is not what an all-true document must give; the timing is shown regardless."""
    problems = []
    bad = {v: counts.get(v, 0) for v in ("refuted", "undecided", "error") if counts.get(v, 0)}
    if bad:
        problems.append(", ".join(f"{n} {v}" for v, n in bad.items()))
    decided = counts.get("proved", 0) + counts.get("definition", 0)
    if decided != doc.equations:
        problems.append(f"proved + definition = {decided}, but {doc.equations} equations were generated")
    if counts.get("proved", 0) != doc.claims:
        problems.append(f"{counts.get('proved', 0)} proved, but {doc.claims} claims were generated")
    for problem in problems:
        print(f"   !!! WARNING ({label}): {problem}: the rate below is NOT for a fully checked document !!!")
    return not problems


def _summary_counts(stdout: str, path: str) -> dict[str, int]:
    """The counts of check-doc's last text line, ``PATH: 3 proved, 0 refuted, ...``."""
    lines = [line for line in stdout.splitlines() if line.startswith(f"{path}: ")]
    if not lines:
        return {}
    return {verdict: int(n) for n, verdict in re.findall(r"(\d+) (\w+)", lines[-1][len(path) + 2 :])}


def _check_in_process(doc: Document, n: int, config: CheckConfig, label: str) -> float:
    """Seconds for one ``check_source`` of ``doc``, from an empty SymPy cache as in a fresh process."""
    clear_cache()
    started = time.perf_counter()
    report = check_source(doc.text, f"generated_{n}.md", DDPM, config)
    elapsed = time.perf_counter() - started
    counts = _counts(report)
    _verify(counts, doc, f"{n:,} in process")
    rate = doc.equations / elapsed
    verdict = "met" if rate >= GOAL_RATE else "NOT met"
    print(
        f"      {label:<12}{elapsed:8.2f} s  {rate:7.1f} equations/s   (goal >= {GOAL_RATE:.0f}/s: {verdict})"
        f"   [{', '.join(f'{c} {v}' for v, c in counts.items())}]"
    )
    return elapsed


def _check_subprocess(doc: Document, n: int, folder: str) -> None:
    path = Path(folder) / f"generated_{n}.md"
    path.write_text(doc.text, encoding="utf-8")
    seconds, done = _timed([*CHECK_DOC, str(path)])
    counts = _summary_counts(done.stdout, str(path))
    if not counts:
        print(f"   !!! WARNING: no summary line in the subprocess output (exit code {done.returncode}) !!!")
    else:
        _verify(counts, doc, f"{n:,} subprocess")
    rate = doc.equations / seconds
    verdict = "met" if rate >= GOAL_RATE else "NOT met"
    print(
        f"      {'subprocess':<12}{seconds:8.2f} s  {rate:7.1f} equations/s   (goal >= {GOAL_RATE:.0f}/s: {verdict})"
        f"   [python -m derive check-doc, exit code {done.returncode}; includes interpreter start, imports,"
        " grammar load]"
    )


def throughput(sizes: list[int], config: CheckConfig) -> None:
    print(f"a) throughput on generated documents of {', '.join(f'{n:,}' for n in sizes)} equations")
    print(
        f"   in process: check_source(...) with CheckConfig(jobs={config.jobs}), after one small warm-up call;"
        " SymPy's cache cleared before each run"
    )
    if len(sizes) > 1:
        # the load on a shared machine drifts over a long run: the smaller sizes are timed before and
        # after the largest (e.g. 1k, 10k, 1k), and their mean is compared with it
        print("   smaller sizes are run before and after the largest, so drifting load hits both alike")
    check_source(document(12).text, "warm-up.md", DDPM, config)
    documents = {n: document(n) for n in sizes}
    times: dict[int, list[float]] = {n: [] for n in sizes}
    with tempfile.TemporaryDirectory(prefix="check_doc_speed_") as folder:
        for n in [*sizes, *sizes[-2::-1]]:
            doc = documents[n]
            if not times[n]:
                print(
                    f"   {doc.equations:>6,} equations ({doc.definitions:,} definitions, {doc.claims:,} claims,"
                    f" {len(doc.text.splitlines()):,} lines):"
                )
            else:
                print(f"   {doc.equations:>6,} equations, again:")
            times[n].append(_check_in_process(doc, n, config, "in process"))
            if n == sizes[0] and len(times[n]) == 1:
                _check_subprocess(doc, n, folder)
    per_equation = {n: statistics.mean(times[n]) / documents[n].equations for n in sizes}
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        ratio = per_equation[large] / per_equation[small]
        shape = "about linear" if ratio <= 1.5 else "grows faster than linear"
        print(
            f"   time per equation, {large:,} vs {small:,} (mean of its {len(times[small])} runs):"
            f" {per_equation[large] * 1e3:.2f} ms / {per_equation[small] * 1e3:.2f} ms = {ratio:.2f}x"
            f"   (near 1.0 = linear; here: {shape})"
        )


# --- b) cold start on the seed document ----------------------------------------------------------


def cold_start(runs: int) -> None:
    print()
    if not SEED.is_file():
        print(f"b) cold start on the seed document: SKIPPED: {SEED} is missing")
        return
    command = [*CHECK_DOC, str(SEED)]
    print(f"b) cold start, {runs} interleaved runs each, fresh subprocesses (one warm-up of each discarded)")
    print(f"   timed: python -m derive check-doc {SEED}")
    # warm-ups, not counted: bytecode caches written, files in the OS page cache for both alike
    _, done = _timed(command)
    _timed(IMPORT_SYMPY)
    summary = _summary_counts(done.stdout, str(SEED))
    shown = ", ".join(f"{n} {v}" for v, n in summary.items()) or "no summary line"
    print(f"   seed report: {shown} (exit code {done.returncode})")
    checks: list[float] = []
    imports: list[float] = []
    for _ in range(runs):
        checks.append(_timed(command)[0])
        imports.append(_timed(IMPORT_SYMPY)[0])
    check_median, import_median = statistics.median(checks), statistics.median(imports)
    ratio = check_median / import_median
    print(f"   median derive check-doc: {check_median:6.3f} s   (runs: {', '.join(f'{t:.2f}' for t in checks)})")
    print(f"   median import sympy:     {import_median:6.3f} s   (runs: {', '.join(f'{t:.2f}' for t in imports)})")
    verdict = "met" if ratio <= GOAL_COLD else "NOT met"
    print(f"   ratio: {ratio:.2f}x   (target <= {GOAL_COLD:.1f}x: {verdict})")


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of numbers: {text!r}") from None
    if not sizes or sizes[0] < 10:
        raise argparse.ArgumentTypeError(f"sizes must be at least 10 equations: {text!r}")
    return sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--sizes", type=_sizes, default=_sizes("1000,10000"), help="equations per document (default: 1000,10000)"
    )
    parser.add_argument("--quick", action="store_true", help="sizes 200,2000 (overrides --sizes)")
    parser.add_argument("--runs", type=int, default=5, help="cold-start runs per command (default: 5)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    sizes: list[int] = [200, 2000] if args.quick else args.sizes
    print(f"python {sys.version.split()[0]}, sympy {sp.__version__}, {os.cpu_count()} CPUs")
    started = time.perf_counter()
    throughput(sizes, CheckConfig())
    cold_start(args.runs)
    print(f"\ntotal benchmark time: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

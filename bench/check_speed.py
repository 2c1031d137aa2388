"""How fast is ``derive check``? Two ratios, each measured side by side in one run.

a) Cold start: wall time of ``python -m derive check`` (a fresh process that imports SymPy, builds
   the posterior derivation and checks every step) divided by the wall time of a fresh
   ``python -c "import sympy"``. Runs are interleaved (A, B, A, B, ...) and the medians compared,
   so load on a shared machine hits both alike. Target: <= 2.0x.

b) The engine's decision against plain ``sympy.simplify(lhs - rhs) == 0``, per claim step of the
   posterior derivation, in this process. Both see the same input: each side is first expanded
   with the engine's ``Scope`` (definitions unfolded, identities applied), outside the timing.
   SymPy's cache is cleared before every measurement, so neither benefits from the other's work.
   Target: the engine is faster on the step set.

Run from anywhere: ``python bench/check_speed.py [--runs N]`` (default 5 runs; about a minute).
This is a benchmark, not a test: it prints numbers and always exits 0 unless it cannot run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sympy as sp  # noqa: E402
from sympy.core.cache import clear_cache  # noqa: E402

CLI = [sys.executable, "-m", "derive", "check"]
FALLBACK = [
    sys.executable,
    "-c",
    "from derive.derivations import load; from derive.engine import check; check(load('posterior'))",
]
IMPORT_SYMPY = [sys.executable, "-c", "import sympy"]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    return env


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, env=_env(), capture_output=True, text=True, check=False)


def _timed(command: list[str]) -> float:
    started = time.perf_counter()
    done = _run(command)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1) or "Traceback" in done.stderr:
        raise RuntimeError(f"{command!r} failed with exit code {done.returncode}:\n{done.stderr}")
    return elapsed


def _check_command() -> tuple[list[str], str]:
    """``python -m derive check`` if it runs (exit 1 only means a step is not proved), else the fallback."""
    done = _run(CLI)
    if done.returncode == 0 or (done.returncode == 1 and "Traceback" not in done.stderr and done.stdout.strip()):
        note = "" if done.returncode == 0 else " (exit code 1: some step is not proved)"
        return CLI, note
    reason = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
    return FALLBACK, f" (fallback: `python -m derive check` failed: {reason})"


def cold_start(runs: int) -> None:
    command, note = _check_command()
    shown = "python -m derive check" if command is CLI else f'python -c "{command[2]}"'
    print(f"a) cold start, {runs} interleaved runs each, fresh subprocesses (one warm-up of each discarded)")
    print(f"   timed: {shown}{note}")
    # warm-ups, not counted: bytecode caches written, files in the OS page cache for both alike
    if command is not CLI:
        _timed(command)
    _timed(IMPORT_SYMPY)
    checks: list[float] = []
    imports: list[float] = []
    for _ in range(runs):
        checks.append(_timed(command))
        imports.append(_timed(IMPORT_SYMPY))
    check_median, import_median = statistics.median(checks), statistics.median(imports)
    ratio = check_median / import_median
    print(f"   median derive check: {check_median:6.3f} s   (runs: {', '.join(f'{t:.2f}' for t in checks)})")
    print(f"   median import sympy: {import_median:6.3f} s   (runs: {', '.join(f'{t:.2f}' for t in imports)})")
    verdict = "met" if ratio <= 2.0 else "NOT met"
    print(f"   ratio: {ratio:.2f}x   (target <= 2.0x: {verdict})")


# --- b) the engine's decision against plain simplify ---------------------------------------------


from derive.engine import Scope, advance  # noqa: E402
from derive.engine.decide import comparison, decide  # noqa: E402
from derive.model import CheckConfig, CoefficientOf, Equal, EqualUpToAdditive, Relation  # noqa: E402

Case = tuple[str, Callable[[], bool], Callable[[], bool], str]


def _engine(relation: Relation, scope: Scope, lhs: sp.Expr | None, rhs: sp.Expr, source: sp.Expr | None) -> bool:
    """What ``derive check`` does after expanding: the comparison, then the decision."""
    claim = comparison(relation, scope, lhs, rhs, source)
    return decide(claim, scope, CheckConfig(jobs=1), lambda _phase: None).status.ok


def _simplify(relation: Relation, lhs: sp.Expr | None, rhs: sp.Expr, source: sp.Expr | None) -> bool:
    """The plain way: ``simplify`` of what must be zero."""
    if isinstance(relation, Equal):
        assert lhs is not None
        return bool(sp.simplify(lhs - rhs) == 0)
    if isinstance(relation, EqualUpToAdditive):
        assert lhs is not None
        return bool(sp.simplify(sp.diff(lhs - rhs, relation.var)) == 0)
    assert isinstance(relation, CoefficientOf)
    assert source is not None
    coefficient = sp.expand(source).coeff(relation.var, relation.power)
    return bool(sp.simplify(relation.factor * rhs - coefficient) == 0)


def _cases() -> list[Case]:
    """(step id, engine thunk, simplify thunk, relation name) for each claim step simplify can judge."""
    from derive.derivations import load

    derivation = load("posterior")
    cases: list[Case] = []
    scope = Scope(derivation.notation)
    for step in derivation.steps:
        before, scope = scope, advance(scope, step)
        relation = step.relation
        if not isinstance(relation, (Equal, EqualUpToAdditive, CoefficientOf)):
            continue  # definitions claim nothing; a limit is not a simplify comparison
        lhs = before.expand(step.lhs).expr if step.lhs is not None else None
        rhs = before.expand(step.rhs).expr
        source = None
        if isinstance(relation, CoefficientOf):
            source = before.expand(derivation.step(relation.source).rhs).expr
        engine = partial(_engine, relation, before, lhs, rhs, source)
        plain = partial(_simplify, relation, lhs, rhs, source)
        cases.append((step.id, engine, plain, type(relation).__name__))
    return cases


def _measure(thunk: Callable[[], bool]) -> tuple[float, bool]:
    clear_cache()
    started = time.perf_counter()
    answer = thunk()
    return time.perf_counter() - started, answer


def engine_vs_simplify(runs: int) -> None:
    cases = _cases()
    print()
    print(f"b) engine decision vs plain simplify, same expanded input, median of {runs} interleaved runs per step")
    print("   (SymPy's cache cleared before every measurement)")
    header = f"   {'step':<30} {'relation':<18} {'engine ms':>10} {'simplify ms':>12} {'ratio':>7}  simplify says"
    print(header)
    print("   " + "-" * (len(header) - 3))
    engine_total = simplify_total = 0.0
    engine_agreed = simplify_agreed = 0.0  # over the steps both prove
    missed: list[str] = []
    for step_id, engine, plain, relation in cases:
        engine_times: list[float] = []
        plain_times: list[float] = []
        engine_ok = plain_ok = True
        for _ in range(runs):
            elapsed, engine_ok = _measure(engine)
            engine_times.append(elapsed)
            elapsed, plain_ok = _measure(plain)
            plain_times.append(elapsed)
        e, s = statistics.median(engine_times), statistics.median(plain_times)
        engine_total += e
        simplify_total += s
        if engine_ok and plain_ok:
            engine_agreed += e
            simplify_agreed += s
        said = str(plain_ok)
        if engine_ok and not plain_ok:
            said += "  <- simplify fails to prove a true step"
            missed.append(step_id)
        elif not engine_ok:
            said += "  (engine did not prove it)"
        print(f"   {step_id:<30} {relation:<18} {e * 1e3:10.1f} {s * 1e3:12.1f} {s / e:6.1f}x  {said}")
    print("   " + "-" * (len(header) - 3))
    ratio = simplify_total / engine_total
    print(f"   {'total':<30} {'':<18} {engine_total * 1e3:10.1f} {simplify_total * 1e3:12.1f} {ratio:6.1f}x")
    verdict = "met" if ratio > 1.0 else "NOT met"
    print(f"   simplify / engine over {len(cases)} steps: {ratio:.2f}x   (target > 1: engine faster: {verdict})")
    if missed:
        print(f"   plain simplify failed to prove {len(missed)} true step(s): {', '.join(missed)}")
        print(
            f"   over the steps both prove: engine {engine_agreed * 1e3:.1f} ms,"
            f" simplify {simplify_agreed * 1e3:.1f} ms, {simplify_agreed / engine_agreed:.2f}x"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (default: 5)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    print(f"python {sys.version.split()[0]}, sympy {sp.__version__}, {os.cpu_count()} CPUs")
    cold_start(args.runs)
    engine_vs_simplify(args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())

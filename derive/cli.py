"""The command line: ``derive check``, ``build``, ``check-doc``, ``list`` and ``practice``.

Exit codes: 0 success; 1 a step is refuted or undecided, output/ is stale, or (check-doc) a claim is
refuted; 2 a usage or input error, printed as one line on stderr; 141 the reader of stdout went away.
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from derive import __version__
from derive.derivations import load, names
from derive.engine import check_steps
from derive.engine.memory import MEMORY_BOUND, exhausted, memory_bound
from derive.exceptions import DeriveError
from derive.model import CheckConfig, Derivation, Status, Verdict
from derive.terminal import printable

OK, FAILED, USAGE = 0, 1, 2
#: the status of a process ended by SIGPIPE, as a shell reports it
BROKEN_PIPE = 128 + signal.SIGPIPE
DEFAULT_OUT = Path("output")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
        return code
    except DeriveError as error:
        print(printable(f"derive: error: {error}"), file=sys.stderr)
        return USAGE
    except KeyboardInterrupt:
        print("derive: interrupted", file=sys.stderr)
        return 130
    except MemoryError:
        # what a step or a formula needs is reported where it is; this is memory gone outside any of them
        print(f"derive: error: {exhausted()}", file=sys.stderr)
        return USAGE
    except BrokenPipeError:
        # the reader went away (`derive list | head -1`): stop quietly, as Unix tools do; what is
        # still buffered for stdout goes nowhere instead of failing again at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return BROKEN_PIPE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="derive", description="Check every step of a derivation with SymPy, and render the verified chain."
    )
    parser.add_argument("--version", action="version", version=f"derive {__version__}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="check derivations and print one line per step")
    check.add_argument(
        "names", nargs="*", metavar="NAME", help=f"derivations to check (default: all of {', '.join(names())})"
    )
    _engine_options(check)
    check.set_defaults(run=_check)

    build = commands.add_parser("build", help="check every derivation, then render its documents")
    build.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: ./output)")
    build.add_argument("--check", action="store_true", help="render in memory and exit 1 if the output folder differs")
    build.add_argument("--pdf", action="store_true", help="also compile the LaTeX documents to PDF with xelatex")
    _engine_options(build)
    build.set_defaults(run=_build)

    doc = commands.add_parser("check-doc", help="check the math of documents, line by line")
    doc.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="Markdown (.md), notebook (.ipynb) or LaTeX (.tex) files"
    )
    doc.add_argument("--format", choices=("text", "json", "github", "sarif"), default="text", help="report format")
    doc.add_argument(
        "--strict", action="store_true", help="also fail when a claim is not decided or a formula is not read"
    )
    doc.add_argument(
        "--notation",
        default=None,
        metavar="NAME|FILE",
        help="read the documents in this notation: a shipped one (ddpm, general) or a .toml file "
        "(default: the one a document names, else the one its symbols show, else general)",
    )
    doc.add_argument(
        "--file-time-bound",
        type=_positive_float,
        default=None,
        metavar="SECONDS",
        help="time per file; steps not reached by then are undecided (default: 300)",
    )
    doc.add_argument(
        "--memory-bound",
        type=_positive_int,
        default=MEMORY_BOUND,
        metavar="MB",
        help="memory each process may add while checking; what needs more is undecided (default: %(default)s)",
    )
    _engine_options(doc)
    doc.set_defaults(run=_check_doc)

    listing = commands.add_parser("list", help="list the derivations and their steps")
    listing.set_defaults(run=_list)

    practice = commands.add_parser("practice", help="serve the derivations as exercises on 127.0.0.1")
    practice.add_argument("name", nargs="?", metavar="NAME", help="the derivation to practise (default: all)")
    practice.add_argument(
        "--port", type=int, default=8765, metavar="PORT", help="port on 127.0.0.1 (default: %(default)s; 0: any free)"
    )
    practice.add_argument(
        "--time-bound", type=_positive_float, default=5.0, metavar="SECONDS", help="time per check (default: 5)"
    )
    practice.add_argument("--workers", type=int, default=2, metavar="N", help="checking processes (default: 2)")
    practice.set_defaults(run=_practice)
    return parser


def _engine_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--time-bound",
        type=_positive_float,
        default=CheckConfig.time_bound,
        metavar="SECONDS",
        help="time per step before it is undecided (default: %(default)s)",
    )
    parser.add_argument(
        "--jobs", type=_positive_int, default=None, metavar="N", help="worker processes (default: up to 2)"
    )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


def _config(args: argparse.Namespace) -> CheckConfig:
    if args.jobs is None:
        return CheckConfig(time_bound=args.time_bound)
    return CheckConfig(time_bound=args.time_bound, jobs=args.jobs)


def _check_all(
    derivations: list[Derivation], config: CheckConfig, out: TextIO
) -> tuple[dict[str, tuple[Verdict, ...]], bool]:
    """Check and report each derivation; the verdicts, and whether every step is proved or defined."""
    results = {}
    for derivation in derivations:
        started = time.perf_counter()
        verdicts = []
        for verdict in check_steps(derivation, config):
            verdicts.append(verdict)
            _report(derivation.name, verdict, out)
        results[derivation.name] = tuple(verdicts)
        _summary(derivation.name, results[derivation.name], time.perf_counter() - started, out)
    return results, all(v.status.ok for vs in results.values() for v in vs)


def _check(args: argparse.Namespace) -> int:
    derivations = [load(name) for name in (args.names or names())]
    _, ok = _check_all(derivations, _config(args), sys.stdout)
    return OK if ok else FAILED


def _build(args: argparse.Namespace) -> int:
    from derive.derivations.figures import FIGURES
    from derive.gallery import check_mistakes
    from derive.output import drift, write_all
    from derive.render.documents import render, render_gallery, render_index

    if args.pdf:
        from derive.render.pdf import engine

        engine()  # no TeX engine: say so before any work
    derivations = [load(name) for name in names()]
    results, ok = _check_all(derivations, _config(args), sys.stdout)
    if not ok:
        print(f"derive: refusing to write {args.out}: not every step is proved", file=sys.stderr)
        return FAILED
    files: dict[str, str | bytes] = {}
    for derivation in derivations:
        files.update(render(derivation, results[derivation.name]))
    files.update(render_index([(d, results[d.name]) for d in derivations]))
    # the gallery states that each mistake is wrong: the engine must refute every one
    gallery = check_mistakes(_config(args))
    unrefuted = [c.mistake.id for c in gallery if c.verdict.status is not Status.REFUTED]
    if unrefuted:
        print(f"derive: refusing to write {args.out}: mistakes not refuted: {', '.join(unrefuted)}", file=sys.stderr)
        return FAILED
    files.update(render_gallery(gallery, results))
    # the figures the documents show, drawn from the proved coefficients
    for figure in {f for d in derivations for f in d.figures}:
        files[figure.path] = FIGURES[figure.path]()
    if args.check:
        differing = drift(args.out, files)
        for relative, how in differing.items():
            print(f"{how.value}: {args.out / relative}")
        if differing:
            fix = "derive build" if args.out == DEFAULT_OUT else shlex.join(["derive", "build", "--out", str(args.out)])
            print(f"derive: {args.out} is out of date; run `{fix}`", file=sys.stderr)
            return FAILED
        print(f"{args.out} is up to date ({len(files)} files)")
        return OK
    changed = write_all(args.out, files)
    for relative in sorted(files):
        print(f"{'wrote' if relative in changed else 'unchanged'}: {args.out / relative}")
    if args.pdf:
        from derive.render.pdf import build_pdfs

        for pdf in build_pdfs(args.out, sorted(p for p in files if p.endswith(".tex"))):
            print(f"compiled: {args.out / pdf}")
    return OK


def _check_doc(args: argparse.Namespace) -> int:
    from derive.doccheck import report
    from derive.doccheck.check import check_file
    from derive.doccheck.declarations import named

    notation = None if args.notation is None else named(args.notation, str(Path.cwd() / "command line"))
    reports = []
    with memory_bound(args.memory_bound):
        for path in args.files:
            config = _config(args)
            if args.file_time_bound is not None:
                config = replace(config, deadline=time.monotonic() + args.file_time_bound)
            reports.append(check_file(path, notation, config=config))
    sys.stdout.write(report.FORMATS[args.format](reports))
    if not all(r.read for r in reports):
        return USAGE  # a file that could not be read at all: the worst status, after every file's report
    # a formula check-doc cannot read is its own limitation, not the author's error: it fails only --strict
    failing = ("refuted", "undecided", "error") if args.strict else ("refuted",)
    return FAILED if any(r.count(v) for r in reports for v in failing) else OK


def _practice(args: argparse.Namespace) -> int:
    from derive.practice.app import Settings
    from derive.practice.server import serve

    only = (load(args.name).name,) if args.name else ()
    if not 0 <= args.port <= 65535:
        raise DeriveError(f"--port must be 0 to 65535, not {args.port}")
    serve(Settings(bound=args.time_bound, workers=max(1, args.workers), only=only), args.port)
    return OK


def _list(args: argparse.Namespace) -> int:
    for name in names():
        derivation = load(name)
        print(f"{name}: {derivation.title.en} ({len(derivation.steps)} steps)")
        for number, step in enumerate(derivation.steps, start=1):
            print(f"  {number:3d}  {step.id:32} {step.relation.kind}")
    return OK


def _report(name: str, verdict: Verdict, out: TextIO) -> None:
    needs = ", ".join(b.excluded_by_text for b in verdict.boundaries)
    line = f"{verdict.status.value:9} {name}/{verdict.step_id:32} {verdict.method:24} {verdict.seconds * 1000:6.0f} ms"
    print(line + (f"  needs {needs}" if needs else ""), file=out)
    if verdict.reason:
        print(f"          reason: {verdict.reason}", file=out)
    found = verdict.counterexample
    if found is not None:
        point = ", ".join(f"{symbol} = {value}" for symbol, value in found.point)
        moved = ", ".join(f"{symbol} = {value}" for symbol, value in found.other or ())
        other = f" (and at {moved})" if moved else ""
        values = found.values()
        print(f"          counterexample at {point}{other}: {values}", file=out)


def _summary(name: str, verdicts: tuple[Verdict, ...], seconds: float, out: TextIO) -> None:
    counts = {status: sum(v.status is status for v in verdicts) for status in Status}
    parts = ", ".join(
        f"{counts[s]} {s.value}" for s in (Status.PROVED, Status.DEFINED, Status.REFUTED, Status.UNDECIDED)
    )
    print(f"{name}: {parts} ({seconds:.2f} s)", file=out)

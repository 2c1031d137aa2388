"""check-doc's output formats: text for people, JSON for tools, GitHub workflow annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence

from derive.doccheck.check import VERDICTS, FileReport, Result
from derive.model import Counterexample


def text(reports: Sequence[FileReport]) -> str:
    lines = []
    for report in reports:
        for r in report.results:
            lines.append(_printable(f"{report.path}:{r.line}: {r.verdict}: {_short(r.latex)}  [{r.message}]"))
        counts = ", ".join(f"{report.count(v)} {v}" for v in VERDICTS)
        lines.append(f"{report.path}: {counts}")
    return "\n".join(lines) + "\n"


def as_json(reports: Sequence[FileReport]) -> str:
    return json.dumps({"files": [_file(r) for r in reports]}, ensure_ascii=False, indent=2) + "\n"


def github(reports: Sequence[FileReport]) -> str:
    levels = {"refuted": "error", "error": "error", "undecided": "warning"}
    lines = []
    for report in reports:
        for r in report.results:
            if r.verdict in levels:
                message = _escape(f"{r.verdict}: {r.message}")
                lines.append(f"::{levels[r.verdict]} file={report.path},line={r.line},endLine={r.end_line}::{message}")
    return "\n".join(lines) + ("\n" if lines else "")


def _file(report: FileReport) -> dict[str, object]:
    return {"path": report.path, "results": [_result(r) for r in report.results]}


def _result(r: Result) -> dict[str, object]:
    return {
        "line": r.line,
        "end_line": r.end_line,
        "latex": r.latex,
        "verdict": r.verdict,
        "message": r.message,
        "counterexample": _counterexample(r.counterexample),
    }


def _counterexample(found: Counterexample | None) -> dict[str, object] | None:
    if found is None:
        return None
    return {
        "point": {str(s): str(v) for s, v in found.point},
        "left": found.number(found.left, 30),
        "right": found.number(found.right, 30),
        "compared": found.compared,
        "exact": found.exact,
        "other": {str(s): str(v) for s, v in found.other} if found.other else None,
    }


def _short(latex: str, width: int = 70) -> str:
    flat = " ".join(latex.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _escape(message: str) -> str:
    # workflow commands end at a newline; % must be escaped first
    return message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _printable(line: str) -> str:
    """Control, format and bidi characters from a document shown as escapes, never sent to the terminal."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in line)

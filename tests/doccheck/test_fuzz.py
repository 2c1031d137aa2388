r"""Fuzzing check-doc: random Markdown documents with random LaTeX, read and checked end to end.

Documents are assembled by ``Fuzz`` (driven by hypothesis through ``st.randoms``, so they shrink)
from Markdown structure (```` ```math ```` fences, ``$$`` blocks, inline ``$``, HTML comments and
``<!-- derive: … -->`` annotations with random text, headings, lists, quotes, code, CRLF line ends,
closed or left open) around LaTeX from a vocabulary of real tokens: the seed's names and macros,
relations, fractions, roots, brackets, environments, densities, limits, colour, tags, and broken
pieces (unbalanced braces, stray ``\\``, ``&``, ``^``, unknown macros, huge numbers). Some blocks are
the seed's own equations, whole or with a few tokens inserted, deleted or replaced, so that many
documents get past the parser into the engine.

Properties of ``check_source`` on every input:
- it returns a ``FileReport`` (no exception escapes);
- every result has a known verdict, and every ``error`` a line inside the document (1..its lines);
- it answers within its file time bound (``FILE_BOUND``), with a generous margin.

``bench/fuzz.py`` runs the same generator on 10,000 inputs.
"""

from __future__ import annotations

import gc
import random
import re
import time
import traceback
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from derive.doccheck.check import VERDICTS, FileReport, check_source
from derive.model import CheckConfig
from derive.notation import DDPM

# When a @given test fails, hypothesis's pytest plugin imports hypothesis.extra._patching (and libcst)
# to suggest an @example patch; that import warns (a DeprecationWarning from mypy_extensions), and
# -W error turns it into an INTERNALERROR that hides the failure and ends the session. Imported here,
# with the warning ignored, it is already loaded when a failure is reported.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    with suppress(ImportError):
        import hypothesis.extra._patching  # noqa: F401

FIXTURE = Path(__file__).parent / "fixtures" / "posterior_mean.md"
CONFIG = CheckConfig(jobs=1, time_bound=1)
#: each input is checked under this file time bound (wall seconds): generous, so that a loaded machine
#: never cuts a small input short (which would change what the generator is seen to reach)
FILE_BOUND = 120.0
#: seconds beyond the file's bound before an input counts as a runaway: generous, so that only a bound
#: that does not hold fails, never a loaded machine
GENEROUS = 60.0
EXAMPLES = 500

# --- the LaTeX vocabulary ----------------------------------------------------------------------------

NAMES = (
    r"\alpha_t", r"\beta_t", r"\bar{\alpha}_t", r"\bar{\alpha}_{t-1}", r"\bar\alpha_t", r"\bar{\alpha_t}",
    "x_t", "x_{t-1}", "x_0", r"\tilde{\mu}_t", r"\tilde{\sigma}_t", r"\tilde{\sigma}_t^2", r"\tilde{\mu}_1",
    "z", r"\mu", r"\sigma", "A", "B", "C", "S", "I", "t", "i", "T", "n", r"\epsilon", r"\alpha_i", r"\alpha",
    r"\pi", "e", r"\mathrm{e}", r"\text{const}", r"\mathbf{x}_t", r"\boldsymbol{\epsilon}", r"\bm{x}_0",
    r"\theta", r"p_\theta", r"\mathcal{L}", r"\epsilon_\theta(x_t, t)", r"\alpha_{2t+1}", r"\hat{x}",
    r"\widetilde{\mu}_t", r"\overline{\alpha}_t", r"\Sigma", r"\infty",
)  # fmt: skip
NUMBERS = ("0", "1", "2", "3", "12", "0.5", "0.02", "1000", "99999999999999999999", "1" * 1200, "10^{1000}")
BINARY = ("+", "-", r"\cdot", r"\times", "/", " ", "")
RELATIONS = ("=", r"\propto", r"\approx", r"\in", r"\neq", r"\leq", r"\geq", "<", ">", "&=", r"\to")
SEPARATORS = (", ", r", \quad ", r"\qquad ", r" \text{where} ", r" \text{and} ", " & ", " && ", r" \\ ")
#: shapes with holes (``{}`` is an expression)
TEMPLATES = (
    r"\frac{{{}}}{{{}}}", r"\dfrac{{{}}}{{{}}}", r"\sqrt{{{}}}", r"\sqrt[3]{{{}}}", r"\left( {} \right)", "({})",
    "[{}]", r"\{{ {} \}}", r"\|{}\|", "|{}|", r"\|{}\|^2", r"\left\| {} \right\|^2", r"\log {}", r"\log({})",
    r"\ln({})", r"\exp({})", r"\exp\left[ {} \right]", r"\exp\{{ {} \}}", r"\sum_{{i=1}}^{{t}} {}",
    r"\prod_{{i=1}}^t {}", r"\lim_{{\bar{{\alpha}}_{{t-1}} \to 1}} {}", r"\lim_{{x \to 0^+}} {}",
    r"\color{{red}}{{{}}}", r"{{\color{{blue}} {}}}", r"\textcolor{{red}}{{{}}}", r"\underbrace{{{}}}_{{\text{{a}}}}",
    r"\overbrace{{{}}}^{{b}}", r"\big( {} \big)", r"\Bigg[ {} \Bigg]", r"\bigl| {} \bigr|", "{{{}}}", "{}^2",
    "{}^{{-1}}", "{}_{{t-1}}", "-{}", r"\displaystyle {}", r"\left. {} \right|", r"\lVert {} \rVert",
    r"\mathbb{{R}}^{{{}}}", "2{}", r"{}\,", r"{} \tag{{1}}", r"{} \label{{eq}}",
)  # fmt: skip
DENSITIES = (
    r"q(x_t|x_{t-1})", r"q(x_t|x_0)", r"q(x_{t-1}|x_0)", r"q(x_{t-1}|x_t,x_0)", r"q(x_{t-1} \mid x_t, x_0)",
    r"\mathcal{N}(x_t; \sqrt{\alpha_t}x_{t-1}, \beta_t I)", r"\mathcal{N}(z; \mu, \sigma^2 I)",
    r"\mathcal{N}(x_{t-1}; \tilde{\mu}_t, \tilde{\sigma}_t^2 \mathbf{I})", r"\mathcal{N}(0, I)",
    r"p_\theta(x_{t-1}|x_t)", r"C(x_t, x_0)", r"\tilde{\mu}_t(x_t, x_0)", r"q(x_t)", r"q(x_t|x_{t-1}, x_0)",
    r"\mathcal{N}(x; 0)",
)  # fmt: skip
INTERVALS = ("(0,1)", "[0,1]", "(0,1]", r"\mathbb{R}", r"\mathbb{R}^d", r"\{1, \dots, T\}", r"\mathbb{Z}")
#: pieces that are wrong on their own: unbalanced, unknown, dangling
BROKEN = (
    "{", "}", "(", ")", "[", "]", r"\frac", r"\frac{", r"\sqrt", r"\sqrt[", r"\left(", r"\right)", r"\left", r"\right",
    r"\begin{aligned}", r"\end{aligned}", r"\begin{cases}", r"\end{equation}", r"\begin{align*}", r"\\", "&", "&&",
    "^", "_", "^^", "__", "'", "\\", "%", "% comment\n", "$", "$$", r"\foo", r"\color", r"\color{red}", r"\text{",
    r"\text{where}", r"\tag{", r"\tag{2}", r"\mid", r"\middle|", "|", r"\|", r"\left.", r"\right|", r"\bar", r"\hat",
    r"\mathcal{N}", r"\log", r"\exp", r"\lim", r"\sum", r"\prod_{i=1}", r"\underbrace", r"\quad", ",", ";", ".",
    r"\,", r"\!", "~", r"\dots", "\t", "\n", "\n\n", "x^23", r"\frac123", r"\frac{d}{dx}", r"\frac{dy}{dt}",
    r"\log 2\pi\sigma^2", r"\mathbf{x}^T", "x^{100000}", "2^{2^{2^{2^{2}}}}", "((((((((", "))))))))", "é", "展开",
    "\u2028", "\x00", "\r",
)  # fmt: skip


def _tokens(latex: str) -> list[str]:
    return re.findall(r"\\[A-Za-z]+\*?|\\.|\s+|[A-Za-z]|\d+|.", latex, flags=re.DOTALL)


def _seed_blocks() -> tuple[str, ...]:
    """The math of the fixture (the seed's equations, with our prose): fences and display blocks."""
    text = FIXTURE.read_text(encoding="utf-8")
    return tuple(block.strip() for block in re.findall(r"```math\n(.*?)```", text, flags=re.DOTALL))


SEED_BLOCKS = _seed_blocks()
SEED_TOKENS = tuple(sorted({t for block in SEED_BLOCKS for t in _tokens(block) if not t.isspace()}))

# --- the Markdown structure --------------------------------------------------------------------------

WORDS = ("the", "mean", "so", "where", "Bayes", "展开得：", "因此", "ᾱ", "$", "\\$", "`code`", "*x*", "<b>", "&amp;")
ANNOTATIONS = (
    "ignore", "off", "on", "free of x_{t-1}", "free of x_t", "free of 2", "free of", "A = coeff(S, x_{t-1}^2)",
    "-2B = coeff(S, x_{t-1})", "A = coeff(S)", "A = coeff(, )", "= coeff(S, x^2", "coeff(S, x_{t-1}^{-2})",
    "B = coeff(S, x_{t-1}^{1/2})", "A = coeff(S, (x_{t-1}, x_t))", "",
)  # fmt: skip


# --- the generator -----------------------------------------------------------------------------------

BLOCKS = (
    "fence", "fence", "dollars", "dollars", "annotation", "annotation", "prose", "heading", "list", "quote",
    "comment", "code", "html", "unclosed-fence", "unclosed-dollars", "blank", "seed-run", "seed-run",
)  # fmt: skip


class Fuzz:
    """Draws a document from ``rng``: a seeded ``random.Random`` (``bench/fuzz.py``) or the one
    hypothesis gives (``st.randoms``), so that the same generator is fuzzed, and shrunk, by both."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, options: Sequence[str]) -> str:
        return options[self.rng.randrange(len(options))]

    def chance(self, p: float = 0.5) -> bool:
        return self.rng.random() < p

    # -- LaTeX --

    def expression(self, depth: int = 0) -> str:
        roll = self.rng.random()
        if depth >= 3 or roll < 0.4:
            return self.pick(self.rng.choices((NAMES, NUMBERS, DENSITIES), (6, 2, 2))[0])
        if roll < 0.7:
            return f"{self.expression(depth + 1)} {self.pick(BINARY)} {self.expression(depth + 1)}"
        template = self.pick(TEMPLATES)
        return template.format(*(self.expression(depth + 1) for _ in range(template.count("{}"))))

    def statement(self) -> str:
        items = [self.expression()]
        for _ in range(self.rng.randint(0, 3)):
            relation = self.pick(RELATIONS)
            items += [relation, self.pick(INTERVALS) if relation == r"\in" else self.expression()]
        return " ".join(items)

    def mutated(self, latex: str) -> str:
        """``latex`` with a few tokens inserted, deleted or replaced (by the seed's tokens or broken pieces)."""
        tokens = _tokens(latex)
        for _ in range(self.rng.randint(1, 3)):
            at = self.rng.randint(0, len(tokens))
            action = self.pick(("insert", "delete", "replace"))
            piece = self.pick(SEED_TOKENS if self.chance() else BROKEN)
            if action == "insert" or not tokens:
                tokens.insert(at, piece)
            elif action == "delete":
                del tokens[min(at, len(tokens) - 1)]
            else:
                tokens[min(at, len(tokens) - 1)] = piece
        return "".join(tokens)

    def math(self) -> str:
        """The body of one display block: the seed's, an environment of rows, or statements; maybe mutated."""
        kind = self.pick(("seed", "seed", "statements", "aligned", "tokens"))
        if kind == "seed":
            body = self.pick(SEED_BLOCKS)
        elif kind == "statements":
            body = self.pick(SEPARATORS).join(self.statement() for _ in range(self.rng.randint(1, 3)))
        elif kind == "aligned":
            environment = self.pick(("aligned", "align*", "split", "gathered", "equation", "cases"))
            rows = [self.statement().replace("=", "&=", 1) for _ in range(self.rng.randint(1, 4))]
            tag = self.pick(("", r" \tag{3}", " && (7)"))
            body = f"\\begin{{{environment}}}\n" + " \\\\\n".join(rows) + tag + f"\n\\end{{{environment}}}"
        else:
            pools = (SEED_TOKENS, BROKEN, NAMES, RELATIONS)
            body = " ".join(self.pick(pools[self.rng.randrange(len(pools))]) for _ in range(self.rng.randint(1, 12)))
        return self.mutated(body) if self.chance() else body

    # -- Markdown --

    def prose(self) -> str:
        words = [self.pick(WORDS) for _ in range(self.rng.randint(0, 6))]
        if self.chance():
            # inline math: a claim only when it states a relation
            words.insert(self.rng.randint(0, len(words)), "$" + self.statement() + "$")
        if self.chance(0.3):
            words.append("$$" + self.statement() + "$$")
        return " ".join(words)

    def annotation(self) -> str:
        kind = self.pick(("fixed", "fixed", "statement", "coeff", "free", "text"))
        if kind == "fixed":
            text = self.pick(ANNOTATIONS)
        elif kind == "statement":
            text = self.statement()
        elif kind == "coeff":
            text = f"{self.expression()} = coeff({self.expression()}, {self.expression()})"
        elif kind == "free":
            text = f"free of {self.expression()}"
        else:
            text = "".join(self.pick(r"ab =-(){},\_^<>!x-") for _ in range(self.rng.randint(0, 20)))
        prefix = self.pick(("derive:", "derive:", "derive: ", "derive", "DERIVE:", " derive:"))
        closing = self.pick((" -->", " -->", "-->", "", " --> trailing text", "\n-->"))
        return f"<!-- {prefix} {text}{closing}"

    def block(self) -> str:
        kind = self.pick(BLOCKS)
        if kind == "fence":
            ticks = self.pick(("```", "```", "~~~", "````"))
            return f"{ticks}math\n{self.math()}\n{ticks}"
        if kind == "dollars":
            return self.pick(("$$\n{}\n$$", "$$ {} $$", "$${}\n$$", "$$\n{}$$", "$$\n{}\n$$ (1)")).format(self.math())
        if kind == "annotation":
            return self.annotation()
        if kind == "seed-run":
            # consecutive equations of the seed, so that definitions come before the claims about them
            start = self.rng.randrange(len(SEED_BLOCKS))
            run = SEED_BLOCKS[start : start + self.rng.randint(2, 6)]
            return "\n\n".join(f"```math\n{self.mutated(m) if self.chance(0.2) else m}\n```" for m in run)
        if kind == "prose":
            return self.prose()
        if kind == "heading":
            return "#" * self.rng.randint(1, 7) + " " + self.prose()
        if kind == "list":
            marker = self.pick(("- ", "* ", "1. ", "2) ", "  - "))
            items = [marker + self.prose() for _ in range(self.rng.randint(1, 3))]
            if self.chance():
                items.append("  ```math\n  " + self.math().replace("\n", "\n  ") + "\n  ```")
            return "\n".join(items)
        if kind == "quote":
            inner = f"$$\n{self.math()}\n$$" if self.chance() else self.prose()
            return "\n".join("> " + line for line in inner.split("\n"))
        if kind == "comment":
            return self.pick(("<!-- a note -->", "<!--\nderive: ignore\n-->", "<!-- derive: off", "-->"))
        if kind == "code":
            return self.pick(("    $x = 1$", "```\n$$ x = 1 $$\n```", "`$a = b$`", "```python\nx = 1\n```"))
        if kind == "html":
            return f"<div>\n$$\n{self.math()}\n$$\n</div>"
        if kind == "unclosed-fence":
            return f"```math\n{self.math()}"
        if kind == "unclosed-dollars":
            return f"$$\n{self.math()}"
        return ""

    def document(self, min_blocks: int = 1, max_blocks: int = 6) -> str:
        parts = [self.block() for _ in range(self.rng.randint(min_blocks, max_blocks))]
        joints = [self.pick(("\n\n", "\n\n", "\n", "\n\n\n", "\r\n\r\n")) for _ in parts]
        document = "".join(part + joint for part, joint in zip(parts, joints, strict=True))
        return document.rstrip("\n") if self.chance() else document


def documents(min_blocks: int = 1, max_blocks: int = 6) -> st.SearchStrategy[str]:
    """Random documents, drawn through hypothesis (so that they shrink) by the same ``Fuzz`` generator."""
    return st.randoms(use_true_random=False).map(lambda rng: Fuzz(rng).document(min_blocks, max_blocks))


# --- the properties ----------------------------------------------------------------------------------


def line_count(source: str) -> int:
    """Lines as CommonMark counts them (\\r\\n, \\r and \\n end a line); a last line needs no ending."""
    lines = re.split(r"\r\n?|\n", source)
    if lines[-1] == "":
        lines.pop()
    return max(1, len(lines))


@dataclass
class Outcome:
    """What one input did: its report or the exception that escaped, its time, and what is wrong."""

    seconds: float
    report: FileReport | None = None
    #: the exception that escaped check_source, and where it was raised
    crash: str | None = None
    #: errors whose line is not a line of the document
    unlocated: list[str] = field(default_factory=list)
    #: anything else wrong with the report
    problems: list[str] = field(default_factory=list)


def run_one(source: str) -> Outcome:
    """Check one document and judge the answer. Used by the test and by ``bench/fuzz.py``."""
    started = time.perf_counter()
    try:
        report = check_source(source, "fuzz.md", DDPM, replace(CONFIG, deadline=time.monotonic() + FILE_BOUND))
    except Exception as error:
        frame = traceback.extract_tb(error.__traceback__)[-1]
        where = f"{Path(frame.filename).name}:{frame.lineno}"
        return Outcome(time.perf_counter() - started, crash=f"{type(error).__name__}: {error} (at {where})")
    outcome = Outcome(time.perf_counter() - started, report)
    if not isinstance(report, FileReport):
        outcome.problems.append(f"not a FileReport: {type(report).__name__}")
        return outcome
    internal = [r.message for r in report.results if r.message.startswith("internal error")]
    if internal:
        # check_source's last line of defence caught it: still a bug
        outcome.crash = internal[0]
    lines = line_count(source)
    for result in report.results:
        if result.verdict not in VERDICTS:
            outcome.problems.append(f"unknown verdict {result.verdict!r}")
        if result.verdict == "error" and not 1 <= result.line <= lines:
            outcome.unlocated.append(f"error at line {result.line} of {lines}: {result.message}")
    return outcome


@contextmanager
def no_gc() -> Iterator[None]:
    """Without automatic garbage collection for the duration of one check.

    Under ``@given`` hypothesis times every collection with a ``gc.callbacks`` hook; when the engine's
    timer signal (the time bound) fires while that hook runs, its ``TimeBoundError`` is raised inside the hook,
    where Python swallows it ("Exception ignored in: gc_callback", a PytestUnraisableExceptionWarning,
    an error under -W error). The bound fires again 50 ms later and the step still stops, but the
    swallowed first error is a warning that has nothing to do with what this test checks.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None)
@given(documents())
def test_check_source_answers_every_document(source: str) -> None:
    note(repr(source))
    with no_gc():
        outcome = run_one(source)
    assert outcome.crash is None, outcome.crash
    assert not outcome.unlocated, outcome.unlocated
    assert not outcome.problems, outcome.problems
    assert outcome.seconds <= FILE_BOUND + GENEROUS, f"took {outcome.seconds:.1f} s"


def test_the_generator_reaches_the_engine() -> None:
    """The fuzzing is worth something only if documents get past the parser: some are proved or refuted."""
    seen: set[str] = set()

    @settings(max_examples=40, deadline=None, derandomize=True, database=None)
    @given(documents(min_blocks=3))
    def run(source: str) -> None:
        with no_gc():
            outcome = run_one(source)
        if outcome.report is not None:
            seen.update(r.verdict for r in outcome.report.results)

    run()
    assert {"proved", "refuted", "definition", "error"} <= seen, seen


# --- what the fuzzing found ---------------------------------------------------------------------------
# The smallest inputs that once crashed check_source (bench/fuzz.py, 10,000 inputs), with the
# located answer each now gets: (source, verdict of its first result, a substring of its message).

KNOWN_CRASHES = [
    pytest.param("text $= x$\n", "error", "a relation without a left-hand side", id="block-starting-with-a-relation"),
    pytest.param(
        "$x \\in (0,1] = \\bar{\\alpha}_t$\n", "error", "a set on one side of a relation", id="set-in-an-equation-chain"
    ),
    pytest.param(
        "$y = \\lim_{\\bar{\\alpha}_{t-1} \\to 1} \\lim_{\\bar{\\alpha}_{t-1} \\to 1} \\beta_t$\n",
        "undecided",
        "NotImplementedError",
        id="nested-limit",
    ),
    pytest.param("$\\exp(10^{20}) = 1$\n", "refuted", "e+43429448190325182765", id="huge-float-in-a-counterexample"),
    pytest.param("$A = 2A$\n\n$A = 1$\n", "refuted", "the left side is", id="self-referential-definition"),
]


@pytest.mark.parametrize(("source", "verdict", "message"), KNOWN_CRASHES)
def test_known_crashes(source: str, verdict: str, message: str) -> None:
    report = check_source(source, "fuzz.md", DDPM, CONFIG)
    first = next(r for r in report.results if r.verdict != "definition")
    assert (first.verdict, message in first.message) == (verdict, True), first
    assert not [r for r in report.results if "internal error" in r.message]
    assert all(1 <= r.line <= line_count(source) for r in report.results)

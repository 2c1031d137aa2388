"""The notation a document is read in: named, detected or general, extended by what the document declares."""

from __future__ import annotations

from pathlib import Path

import pytest
import sympy as sp

from derive.doccheck.check import check_source
from derive.doccheck.declarations import choose, declared, intersect
from derive.doccheck.latex import parse_math
from derive.doccheck.sources.items import Annotation, Item, Math
from derive.exceptions import UnknownNameError
from derive.model import CheckConfig
from derive.notation import DDPM, REALS, Interval, Notation
from derive.notations import builtin

GENERAL = builtin("general")
UNIT = Interval(sp.Integer(0), sp.Integer(1))


def math(text: str, line: int = 1) -> Math:
    return Math(text, line, 1, line, True)


def statement_of(text: str) -> object:
    (row,) = parse_math(text, GENERAL)
    (statement,) = row.statements
    return statement


r, x, sigma = (sp.Symbol(name, real=True) for name in ("r", "x", r"\sigma"))
n = sp.Symbol("n", real=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("0 < r < 1", [(r, UNIT, False)], id="open-interval-as-a-chain"),
        pytest.param(r"\sigma > 0", [(sigma, Interval(sp.Integer(0), None), False)], id="positive"),
        pytest.param(r"1 \ge x", [(x, Interval(None, sp.Integer(1), hi_open=False), False)], id="bounded-above"),
        pytest.param(r"x \in (0, 1]", [(x, Interval(0, 1, hi_open=False), False)], id="half-open-set"),
        pytest.param(r"x \in \mathbb{R}", [(x, REALS, False)], id="the-reals"),
        pytest.param(r"n \in \mathbb{N}", [(n, Interval(1, None, lo_open=False), True)], id="naturals-from-one"),
        pytest.param(r"n \in \mathbb{Z}", [(n, None, True)], id="integers"),
        pytest.param(r"n \in \{1, \dots, T\}", [(n, Interval(1, None, lo_open=False), True)], id="a-range-to-a-symbol"),
        pytest.param(r"t \le T", [], id="a-bound-that-is-not-a-number"),
        pytest.param("r = 1", [], id="an-equation"),
        pytest.param(r"r + 1 < 2", [], id="not-a-bare-symbol"),
    ],
)
def test_what_a_statement_declares(text: str, expected: list[tuple[sp.Symbol, Interval | None, bool]]) -> None:
    assert declared(statement_of(text)) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        pytest.param(UNIT, Interval(sp.Rational(1, 2), None), Interval(sp.Rational(1, 2), 1), id="overlap"),
        pytest.param(Interval(0, 1, lo_open=False), UNIT, UNIT, id="open-end-wins"),
        pytest.param(None, UNIT, UNIT, id="none-is-the-reals"),
    ],
)
def test_intersect(a: Interval | None, b: Interval, expected: Interval) -> None:
    assert intersect(a, b) == expected


@pytest.mark.parametrize(
    ("items", "name", "how"),
    [
        pytest.param((math("a = b + 1"),), "general", "no notation: every letter a real variable", id="general"),
        pytest.param(
            (math(r"x_t = \sqrt{\bar{\alpha}_t} x_0"),),
            "ddpm",
            r"the notation ddpm: the document writes \bar{\alpha}_t, x_0, x_t",
            id="detected-by-its-signature",
        ),
        pytest.param(
            (math(r"x_t = 2 y"),), "general", "no notation: every letter a real variable", id="one-is-not-enough"
        ),
        pytest.param(
            (Annotation("notation general", 2, 1), math(r"x_t = \sqrt{\bar{\alpha}_t} x_0")),
            "general",
            "the notation general, named at line 2",
            id="named-in-an-annotation",
        ),
    ],
)
def test_which_notation(items: tuple[Item, ...], name: str, how: str) -> None:
    chosen = choose(items, None, "doc.md")
    assert (chosen.notation.name, chosen.how) == (name, how)


def test_a_notation_given_on_the_command_line_wins() -> None:
    chosen = choose((Annotation("notation general", 1, 1),), DDPM, "doc.md")
    assert (chosen.notation.name, chosen.how) == ("ddpm", "the notation ddpm")


def test_a_notation_file_beside_the_document(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text('name = "mine"\n[symbols]\nr = { latex = "r", assume = "positive" }\n')
    chosen = choose((Annotation("notation mine.toml", 1, 1),), None, str(tmp_path / "doc.md"))
    assert chosen.notation.name == "mine"
    assert chosen.notation.resolve("r") == sp.Symbol("r", positive=True)


def test_an_unknown_notation_is_reported_by_the_claims_pass_not_here() -> None:
    chosen = choose((Annotation("notation nonesuch", 1, 1),), None, "doc.md")
    assert chosen.notation.name == "general"
    with pytest.raises(UnknownNameError, match="no notation named 'nonesuch'"):
        builtin("nonesuch")


def test_a_declaration_anywhere_holds_for_the_whole_document() -> None:
    chosen = choose((math(r"\frac{1}{1 - r} = 2"), math("0 < r < 1", line=5)), None, "doc.md")
    declared_r = sp.Symbol("r", real=True, positive=True)
    assert chosen.notation.resolve("r") == declared_r
    assert chosen.notation.domains[declared_r] == UNIT
    assert chosen.notation.declarations == ((declared_r, "0 < r < 1, line 5"),)


def test_a_let_annotation_declares_several_domains() -> None:
    chosen = choose((Annotation(r"let 0 < r < 1; n \in \mathbb{N}; \sigma > 0", 3, 1),), None, "doc.md")
    assert chosen.notation.resolve("n") == sp.Symbol("n", integer=True, positive=True)
    assert chosen.notation.resolve(r"\sigma") == sp.Symbol(r"\sigma", real=True, positive=True)


def test_the_bound_of_a_sum_is_the_same_integer_everywhere() -> None:
    chosen = choose((math(r"\sum_{k=1}^{n} k = \frac{n(n+1)}{2}"),), None, "doc.md")
    assert chosen.notation.resolve("n") == sp.Symbol("n", integer=True)


def test_a_declaration_narrows_the_notations_own_domain() -> None:
    chosen = choose((math(r"x_t = \sqrt{\bar{\alpha}_t} x_0"), math(r"\bar{\alpha}_t \le \frac{1}{2}")), None, "d.md")
    assert chosen.notation.domains[DDPM["abar_t"]] == Interval(0, sp.Rational(1, 2), hi_open=False)


def test_declarations_in_a_part_that_is_not_checked_do_not_count() -> None:
    items = (Annotation("off", 1, 1), math("0 < r < 1", 2), Annotation("on", 3, 1))
    assert choose(items, None, "doc.md").notation.declarations == ()


# -- documents outside DDPM, end to end -------------------------------------------------------------------

CONFIG = CheckConfig(jobs=1)


def results(source: str, notation: Notation | None = None) -> list[tuple[int, str, str]]:
    report = check_source(source, "doc.md", notation, CONFIG)
    return [(r.line, r.verdict, r.message) for r in report.results]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "$$\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$$\n",
            [(1, "proved", "proved (rational-function)")],
            id="the-sum-of-the-first-n-integers",
        ),
        pytest.param(
            "$$\\sum_{k=0}^{n-1} r^k = \\frac{1-r^n}{1-r}$$\n",
            [(1, "proved", "proved (rational-function); needs 1 - r ≠ 0")],
            id="a-geometric-sum-needs-r-not-one",
        ),
        pytest.param(
            "$$\\sum_{k=1}^{n} \\log\\left(1 + \\frac{1}{k}\\right) = \\log(n + 1)$$\n",
            [(1, "proved", "proved (induction); needs n + 1 > 0")],
            id="a-sum-sympy-cannot-sum-by-induction",
        ),
        pytest.param(
            "$$\\sum_{k=1}^{n} k = \\frac{n^2}{2}$$\n",
            [(1, "refuted", "refuted at n = 2: the left side is 3, the right side 2")],
            id="a-wrong-sum-refuted-at-an-integer",
        ),
        pytest.param(
            "$$\\sqrt{a^2} = a$$\n",
            # a is real, not silently positive: false at a < 0, which the author may not mean, so not checked
            [
                (
                    1,
                    "undecided",
                    "not checked: the document gives a no sign, and the claim fails at a = -52/17 but holds at"
                    " a = 52/17: declare the sign (<!-- derive: let … -->) to check it",
                )
            ],
            id="a-letter-is-real-not-positive",
        ),
        pytest.param(
            "Here $a > 0$.\n\n$$\\sqrt{a^2} = a$$\n",
            [(1, "definition", "declares the domain of a"), (3, "proved", "proved (rational-function)")],
            id="unless-declared-positive",
        ),
        pytest.param(
            "$$\\frac{x^2 - 1}{x - 1} = x + 1$$\n",
            [(1, "proved", "proved (rational-function); needs x - 1 ≠ 0")],
            id="a-denominator-is-a-side-condition",
        ),
        pytest.param(
            "Let $\\gamma_t \\in (0, 1)$.\n\n$$\\frac{\\gamma_t}{1 - \\gamma_t} = \\frac{1}{\\gamma_t}$$\n",
            [
                (1, "definition", "states a domain"),
                (
                    3,
                    "refuted",
                    "refuted at γ_t = 9/11 (within γ_t \\in (0, 1), line 1): the left side is 9/2, the right side 11/9",
                ),
            ],
            id="a-counterexample-inside-the-declared-domain",
        ),
    ],
)
def test_a_document_outside_any_notation(source: str, expected: list[tuple[int, str, str]]) -> None:
    assert results(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "$$a x^2 + b x + c = a \\left(x + \\frac{b}{2a}\\right)^2 - \\frac{b^2 - 4ac}{4a}$$\n",
            [(1, "proved", "proved (rational-function); needs a ≠ 0")],
            id="a-letter-written-alone-is-a-quantity-so-a-bracket-after-it-multiplies",
        ),
        pytest.param(
            "$$\\frac{e^{z_1}}{e^{z_1} + e^{z_2}} = \\frac{1}{1 + e^{-(z_1 - z_2)}}$$\n",
            [(1, "proved", "proved (rational-function)")],
            id="softmax-of-two-classes-is-the-logistic-function",
        ),
        pytest.param(
            "$$\\log\\left(e^{u} + e^{v}\\right) = m + \\log\\left(e^{u - m} + e^{v - m}\\right)$$\n",
            [(1, "proved", "proved (rational-function)")],
            id="log-sum-exp-is-shift-invariant",
        ),
        pytest.param(
            "Here $|r| < 1$.\n\n$$\\frac{1}{1 - r} = \\frac{1}{1 + r}$$\n",
            [
                (1, "expression", "an inequality: read as a condition, not checked"),
                (
                    3,
                    "refuted",
                    "refuted at r = 9/11 (within |r| < 1, line 1): the left side is 11/2, the right side 11/20",
                ),
            ],
            id="an-absolute-value-bound-is-a-domain",
        ),
    ],
)
def test_what_documents_outside_ddpm_write(source: str, expected: list[tuple[int, str, str]]) -> None:
    assert results(source) == expected


def test_a_name_written_with_a_bar_is_a_density_throughout_the_document() -> None:
    source = (
        "$$p(w) = \\mathcal{N}(w; 0, 1)$$\n\n$$p(y \\mid w) = \\mathcal{N}(y; w, 1)$$\n\n"
        "<!-- derive: free of w -->\n$$\\log p(y \\mid w) + \\log p(w) = -\\frac{(y - w)^2}{2} - \\frac{w^2}{2} + C$$\n"
    )
    assert results(source) == [
        (1, "definition", "definition"),
        (3, "definition", "definition"),
        (6, "proved", "proved (rational-function)"),
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "$$\\sum_{k=1}^{n} (a_{k+1} - a_k) = a_{n+1} - a_1$$\n",
            [(1, "proved", "proved (rational-function)")],
            id="a-telescoping-sum",
        ),
        pytest.param(
            "$$\\sum_{k=1}^{n} a_k = n a_1$$\n",
            [
                (
                    1,
                    "refuted",
                    "refuted at a_1 = -9/11, a_2 = 37/11, n = 2: the left side is 28/11, the right side -18/11",
                )
            ],
            id="a-wrong-sum-refuted-with-the-terms-it-uses",
        ),
        pytest.param(
            "$$m = \\frac{1}{n} \\sum_{i=1}^{n} x_i$$\n\n$$\\sum_{i=1}^{n} (x_i - m) = 0$$\n",
            [(1, "definition", "needs n ≠ 0"), (3, "proved", "proved (rational-function); needs n ≠ 0")],
            id="deviations-from-the-mean-add-up-to-zero",
        ),
        pytest.param(
            "$$\\prod_{k=1}^{n} k (1 + b) = (1 + b) \\prod_{k=1}^{n} k$$\n",
            [(1, "undecided", "not checked: (b + 1) may stand inside or after the product over k")],
            id="a-bracket-after-a-products-term-may-close-it",
        ),
    ],
)
def test_a_name_under_a_sum_is_a_sequence_of_the_documents(source: str, expected: list[tuple[int, str, str]]) -> None:
    assert results(source) == expected


def test_a_let_that_declares_nothing_is_a_located_error() -> None:
    assert results("<!-- derive: let r = 1 -->\n") == [
        (
            1,
            "error",
            r"'let' declares domains: 0 < r < 1, \sigma > 0, x \in (0, 1], n \in \mathbb{N}",
        )
    ]


def test_an_unknown_notation_named_by_the_document_is_a_located_error() -> None:
    assert results("<!-- derive: notation nonesuch -->\n") == [
        (1, "error", "no notation named 'nonesuch' (known: ddpm, general)")
    ]


def test_the_notation_given_is_the_one_used() -> None:
    # in DDPM's notation a is positive: the same claim is proved
    assert results("$$\\sqrt{a^2} = a$$\n", DDPM) == [(1, "proved", "proved (rational-function)")]

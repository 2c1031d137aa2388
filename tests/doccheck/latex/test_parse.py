"""parse_math: whole blocks and documents, in bounded time, and nothing but rows or a ParseError."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from derive.doccheck.latex import Row, parse_math
from derive.exceptions import ParseError
from derive.notation import DDPM
from tests.doccheck.latex.support import case, rows
from tests.seed import seed_path

FIXTURE = Path(__file__).parent.parent / "fixtures" / "posterior_mean.md"
#: seconds: a bound on parsing that only a blow-up can reach, never a slow or loaded machine
GENEROUS = 60.0

# -- the documents ---------------------------------------------------------------------------------------


def _math_blocks(path: Path) -> list[tuple[int, str]]:
    """(line of the first math line, body) of each ```math fence: a minimal scan for this test."""
    lines = path.read_text(encoding="utf-8").split("\n")
    blocks, k = [], 0
    while k < len(lines):
        if lines[k].strip() == "```math":
            end = next(e for e in range(k + 1, len(lines)) if lines[e].strip() == "```")
            blocks.append((k + 2, "\n".join(lines[k + 1 : end])))
            k = end
        k += 1
    return blocks


@pytest.mark.parametrize("document", ["seed", "fixture"])
def test_every_math_block_of_the_documents_parses(document: str) -> None:
    path = seed_path() if document == "seed" else FIXTURE
    blocks = _math_blocks(path)
    assert len(blocks) >= 15
    for line, body in blocks:
        found = parse_math(body, DDPM, file=str(path), line=line)
        assert found
        assert all(s.line >= line for r in found for s in r.statements)


# -- refusals ------------------------------------------------------------------------------------

ERRORS = [
    case(r"x \quad y", "each must state a relation"),
    case(r"x = 1, y", "each must state a relation"),
    case("a = b, c", "each must state a relation"),
    case(r"\log" * 30 + " x", "nested too deeply"),
]


@pytest.mark.parametrize(("text", "match"), ERRORS)
def test_refusals(text: str, match: str) -> None:
    with pytest.raises(ParseError, match=match):
        rows(text)


# -- bounded time, and only ParseError ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(" + ".join([r"\frac{\sqrt{\alpha_t}x_t}{\beta_t}"] * 300), id="sum of fractions"),
        pytest.param(" ".join("abcdxyz" * 700), id="long product"),
        pytest.param(" = ".join(["x_{t-1}"] * 1300), id="long chain"),
        pytest.param(r"\begin{aligned}" + r" \\ ".join([r"a &= b + c"] * 600) + r"\end{aligned}", id="many rows"),
        pytest.param(" ".join([r"q(x_t|x_{t-1})"] * 700), id="many densities"),
    ],
)
def test_ten_thousand_characters_parse_quickly(text: str) -> None:
    assert len(text) >= 8_000
    parse_math("x", DDPM)  # the grammar is built once
    start = time.perf_counter()
    assert parse_math(text, DDPM)
    # linear-time parsing takes well under a second; the bound is generous, so that only a blow-up
    # (quadratic work, backtracking) fails, never a loaded machine; bench/check_doc_speed.py times it
    assert time.perf_counter() - start < GENEROUS


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(" + ".join(["x"] * 5000) + " +", id="error at the end"),
        pytest.param("(" * 5000 + "x" + ")" * 5000, id="deep brackets"),
        pytest.param(r"\sqrt" * 3000 + " x", id="deep unbraced macros"),
        pytest.param(r"\log" * 2500 + " x", id="deep functions"),
        pytest.param(r"\sum_{i=1}^{t} " * 700 + r"\alpha_i", id="deep sums"),
        pytest.param(r" \cdot ".join(["10^{1000}"] * 900), id="huge numbers"),
        pytest.param("0." + "1" * 9990, id="long decimal"),
    ],
)
def test_pathological_input_fails_quickly(text: str) -> None:
    parse_math("x", DDPM)
    start = time.perf_counter()
    with pytest.raises(ParseError):
        parse_math(text, DDPM)
    assert time.perf_counter() - start < GENEROUS


VOCABULARY = (
    r"x",
    r"y",
    r"t",
    r"i",
    r"e",
    r"I",
    r"A",
    r"a",
    r"0",
    r"1",
    r"2",
    r"12",
    r"0.5",
    r"+",
    r"-",
    r"=",
    r",",
    r";",
    r"|",
    r"&",
    r"^",
    r"_",
    r"(",
    r")",
    r"[",
    r"]",
    r"{",
    r"}",
    r"\{",
    r"\}",
    r"\|",
    r"/",
    r".",
    r"\alpha",
    r"\bar",
    r"\tilde",
    r"\hat",
    r"\mathbf",
    r"\frac",
    r"\sqrt",
    r"\log",
    r"\exp",
    r"\sum",
    r"\prod",
    r"\lim",
    r"\to",
    r"\left(",
    r"\right)",
    r"\left|",
    r"\right|",
    r"\left\|",
    r"\right\|",
    r"\big(",
    r"\big)",
    r"\bigl|",
    r"\bigr|",
    r"\middle|",
    r"\mid",
    r"\cdot",
    r"\times",
    r"\propto",
    r"\approx",
    r"\in",
    r"\neq",
    r"\leq",
    r"<",
    r">",
    r"\quad",
    r"\qquad",
    r"\,",
    r"\;",
    r"\!",
    r"\text{const}",
    r"\text{where}",
    r"\text{hello}",
    r"\mathrm{e}",
    r"\mathcal{N}",
    r"\mathcal{L}",
    r"\mathbb{R}",
    r"\color{red}",
    r"\textcolor{red}",
    r"\underbrace",
    r"\overbrace",
    r"\tag{1}",
    r"\\",
    r"\begin{aligned}",
    r"\end{aligned}",
    r"\begin{equation}",
    r"\end{equation}",
    r"\dots",
    r"\infty",
    r"\pi",
    r"\theta",
    r"\sigma",
    r"\mu",
    r"q",
    r"p_\theta",
    r"x_t",
    r"x_{t-1}",
    r"\bar{\alpha}_t",
    r"\label{x}",
    r"\displaystyle",
    r"\limits",
)


def test_random_input_gives_rows_or_a_parse_error_and_nothing_else() -> None:
    generator = random.Random(2024)
    misplaced: list[ParseError] = []
    for _ in range(1500):
        text = " ".join(generator.choice(VOCABULARY) for _ in range(generator.randint(1, 25)))
        try:
            found = parse_math(text, DDPM, file="fuzz.md", line=3, column=2)
        except ParseError as error:
            if error.file != "fuzz.md" or error.line < 3 or error.column < 1:
                misplaced.append(error)
        else:
            assert all(isinstance(r, Row) for r in found)
    assert misplaced == []


@pytest.mark.parametrize(
    ("text", "relations"),
    [
        pytest.param(r"a \text{ that predicts } b", [(), ()], id="both-only-mentioned"),
        pytest.param(r"a \text{ so that } b = c", [(), ("=",)], id="a-mention-then-a-claim"),
        pytest.param(r"a = b \Rightarrow c", [("=",), ()], id="a-claim-then-a-mention"),
    ],
)
def test_statements_beside_words_may_only_be_mentioned(text: str, relations: list[tuple[str, ...]]) -> None:
    (row,) = rows(text)
    assert [s.relations for s in row.statements] == relations


@pytest.mark.parametrize(
    ("text", "asides"),
    [
        pytest.param(
            r"\begin{aligned} a &= b \\ &\text{Let } c = d \\ &= e \end{aligned}", [False, True, False], id="let"
        ),
        pytest.param(r"\begin{aligned} a &= b \\ &\because c = d \end{aligned}", [False, True], id="because"),
        pytest.param(r"\begin{aligned} a &= b \\ &\therefore c = d \end{aligned}", [False, False], id="therefore"),
    ],
)
def test_rows_that_start_with_words_of_an_aside(text: str, asides: list[bool]) -> None:
    assert [row.aside for row in rows(text)] == asides

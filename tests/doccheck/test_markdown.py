"""Finding math in Markdown: fences, $$ blocks, inline relations, annotations, with their lines."""

from __future__ import annotations

import pytest

from derive.doccheck.sources.items import Annotation, Malformed, Math, Prose
from derive.doccheck.sources.markdown import extract, unescape

DOCUMENT = """# Title

Inline $a = b$ counts, $t$ does not,
and on the next line $c \\propto d$ counts.

$$
y = 2
$$

```math
z = 3
```

```python
not = math
```

<!-- derive: A = coeff(S, x^2) -->

<!-- an ordinary comment -->

    indented code $e = f$ is not math
"""


@pytest.fixture(scope="module")
def items() -> list[object]:
    return extract(DOCUMENT)


def maths(items: list[object]) -> list[tuple[str, int]]:
    return [(m.text.strip(), m.line) for m in items if isinstance(m, Math)]


def test_math_is_found_with_its_lines(items: list[object]) -> None:
    assert maths(items) == [("a = b", 3), ("c \\propto d", 4), ("y = 2", 6), ("z = 3", 11)]


def test_block_math_lines_count_from_the_block(items: list[object]) -> None:
    block = next(m for m in items if isinstance(m, Math) and "y = 2" in m.text)
    # the $$ content starts with a newline on the $$ line, so its second line is y = 2
    assert block.line + block.text[: block.text.index("y")].count("\n") == 7


def test_annotations_only_with_the_derive_prefix(items: list[object]) -> None:
    found = [(a.text, a.line) for a in items if isinstance(a, Annotation)]
    assert found == [("A = coeff(S, x^2)", 18)]


def test_prose_is_kept_for_context(items: list[object]) -> None:
    prose = [p.text for p in items if isinstance(p, Prose)]
    assert any("does not" in text for text in prose)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("", [], id="empty-document"),
        pytest.param("```math\n```\n", [("", 2)], id="empty-fence"),
        pytest.param("text $x$ only\n", [], id="inline-without-relation"),
        pytest.param("> quoted $a = b$\n", [("a = b", 1)], id="inline-in-quote"),
        pytest.param("- item\n\n  ```math\n  u = v\n  ```\n", [("u = v", 4)], id="fence-in-list"),
    ],
)
def test_edge_cases(source: str, expected: list[tuple[str, int]]) -> None:
    assert maths(extract(source)) == expected


# where inline math starts, found in the source: the tokens' contents lose emphasis marks,
# code-span newlines and escapes
LOCATIONS = [
    ("after-emphasis", "**bold** $y = 1$\n", 1, 11),
    ("after-a-code-span-over-two-lines", "Some `code\nspan` text $y = 1$\n", 2, 13),
    ("after-inline-math-over-two-lines", "a $b\n= c$ then $y = 1$\n", 2, 12),
    ("after-an-html-tag-over-two-lines", "<span\nclass='x'>s</span> $y = 1$\n", 2, 21),
    ("after-an-escaped-dollar", "costs \\$5 and $y = 1$\n", 1, 16),
    ("display-dollars-in-a-blockquote", "> $$ y = 1 $$\n", 1, 5),
    ("fence-in-a-list", "- item\n\n  ```math\n  y = 1\n  ```\n", 4, 3),
]


@pytest.mark.parametrize(("source", "line", "column"), [c[1:] for c in LOCATIONS], ids=[c[0] for c in LOCATIONS])
def test_math_is_located_in_the_source(source: str, line: int, column: int) -> None:
    found = [i for i in extract(source) if isinstance(i, Math) and "y" in i.text]
    assert [(m.line, m.column) for m in found] == [(line, column)]
    assert source.splitlines()[line - 1][column - 1 :].lstrip().startswith("y")


MALFORMED = [
    ("unclosed-display-dollars", "Prose.\n\n$$\ny = \\frac{1\n", 3, "an unclosed $$"),
    ("unclosed-annotation", "<!-- derive: A = coeff(S, x)\n\ntext\n", 1, "not closed with -->"),
    ("nested-too-deep", "> " * 40 + "$$ y = 1 $$\n", 1, "nested more than 32 levels"),
]


@pytest.mark.parametrize(("source", "line", "message"), [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED])
def test_markdown_that_hides_math_is_reported(source: str, line: int, message: str) -> None:
    (malformed,) = [i for i in extract(source) if isinstance(i, Malformed)]
    assert (malformed.line, message in malformed.message) == (line, True)


def test_a_dollar_sign_in_prose_is_not_malformed() -> None:
    assert not [i for i in extract("# Costs $$ and $5\n\nIt costs $5.\n") if isinstance(i, Malformed)]


# -- flavours that static-site generators impose


@pytest.mark.parametrize(
    ("math", "read"),
    [
        pytest.param(r"x\_t = y\_{t-1}", "x_t = y_{t-1}", id="escaped-underscores"),
        pytest.param(r"a = b \\\\ c = d", r"a = b \\ c = d", id="four-backslashes-break-a-row"),
        pytest.param(r"\\{ x \\} \\, y", r"\{ x \} \, y", id="escaped-backslash-before-a-brace"),
        pytest.param(r"a \* b", "a * b", id="escaped-star"),
        pytest.param(r"a = b \\ c = d", r"a = b \\ c = d", id="plain-math-untouched"),
        pytest.param(r"\{ x \} \, y_t", r"\{ x \} \, y_t", id="plain-braces-untouched"),
    ],
)
def test_math_escaped_for_markdown_is_read_as_the_engine_shows_it(math: str, read: str) -> None:
    assert unescape(math) == read


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("Here $$a = b$$ inline.\n", [("a = b", 1, 8, True)], id="kramdown-inline-double-dollars"),
        pytest.param("Let $x\\_t = 1$.\n", [("x_t = 1", 1, 6, False)], id="escaped-inline"),
        pytest.param(
            "Text.\n\n\\begin{align*}\nx_t &= a \\\\\n&= b\n\\end{align*}\n",
            [("\\begin{align*}\nx_t &= a \\\\\n&= b\n\\end{align*}", 3, 1, True)],
            id="align-without-dollars",
        ),
        pytest.param(
            "We get $c = d$ and\n\\begin{equation}\nx = y\n\\end{equation}\nthen $e = f$.\n",
            [("c = d", 1, 9, False), ("\\begin{equation}\nx = y\n\\end{equation}", 2, 1, True), ("e = f", 5, 7, False)],
            id="environment-in-the-middle-of-a-paragraph",
        ),
        pytest.param(
            "> \\begin{gather*} a = b \\end{gather*}\n",
            [("\\begin{gather*} a = b \\end{gather*}", 1, 3, True)],
            id="environment-in-a-quote",
        ),
        pytest.param("\\begin{itemize} a = b \\end{itemize}\n", [], id="other-environments-are-text"),
    ],
)
def test_flavours_are_found_where_they_are(source: str, expected: list[tuple[str, int, int, bool]]) -> None:
    found = [(m.text.strip(), m.line, m.column, m.display) for m in extract(source) if isinstance(m, Math)]
    assert found == expected


def test_an_environment_cut_by_a_blank_line_is_reported() -> None:
    (malformed,) = [m for m in extract("\\begin{align}\na &= b\n\n&= c\n\\end{align}\n") if isinstance(m, Malformed)]
    assert (malformed.line, malformed.column, malformed.text) == (1, 1, "\\begin{align}")
    assert malformed.message == "\\begin{align} is not closed in its paragraph (a blank line ends it): it is not read"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "---\ntitle: Notes\nnotation: ddpm\nlet: 0 < r < 1\n---\n\n$$a = b$$\n",
            [Annotation("notation ddpm", 3, 1), Annotation("let 0 < r < 1", 4, 1)],
            id="notation-and-let",
        ),
        pytest.param("---\nlet: '0 < r < 1'\n---\n", [Annotation("let 0 < r < 1", 2, 1)], id="a-quoted-value"),
        pytest.param("---\ntitle: Notes\ndate: 2026\n---\n", [], id="only-the-site-generators-keys"),
        pytest.param("text\n\n---\nnotation: ddpm\n---\n", [], id="not-at-the-top-is-not-front-matter"),
    ],
)
def test_front_matter_names_the_notation_and_declares_domains(source: str, expected: list[Annotation]) -> None:
    assert [item for item in extract(source) if isinstance(item, Annotation)] == expected

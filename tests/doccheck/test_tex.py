r"""Reading a LaTeX document: which math is found, as what text, on which line of the .tex file."""

from __future__ import annotations

import pytest

from derive.doccheck.check import check_source
from derive.doccheck.sources.items import Annotation, Malformed, Math, Prose
from derive.doccheck.sources.tex import read
from derive.model import CheckConfig
from derive.notation import DDPM


def maths(source: str) -> list[tuple[str, int, bool]]:
    return [(" ".join(m.text.split()), m.line, m.display) for m in read(source, "doc.tex").items if isinstance(m, Math)]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "\\begin{equation}\na = b\n\\end{equation}\n",
            [(r"\begin{equation} a = b \end{equation}", 1, True)],
            id="equation",
        ),
        pytest.param(
            "\\begin{equation*} a = b \\end{equation*}",
            [(r"\begin{equation*} a = b \end{equation*}", 1, True)],
            id="equation-starred",
        ),
        pytest.param(
            "x\n\\begin{align}\na &= b \\\\\n&= c\n\\end{align}",
            [(r"\begin{align} a &= b \\ &= c \end{align}", 2, True)],
            id="align",
        ),
        pytest.param(
            "\\begin{gather*} a = b \\\\ c = d \\end{gather*}",
            [(r"\begin{gather*} a = b \\ c = d \end{gather*}", 1, True)],
            id="gather-starred",
        ),
        pytest.param(
            "\\begin{multline} a = b \\\\ + c \\end{multline}", [("a = b + c", 1, True)], id="multline-joined"
        ),
        pytest.param(
            "\\begin{multline*} a \\\\[2pt] = b \\end{multline*}", [("a = b", 1, True)], id="multline-spacing"
        ),
        pytest.param(
            "\\begin{flalign*} a &= b \\end{flalign*}",
            [(r"\begin{align*} a &= b \end{align*}", 1, True)],
            id="flalign-as-align",
        ),
        pytest.param(
            "\\begin{alignat}{2} a &= b \\end{alignat}",
            [(r"\begin{align*} a &= b \end{align*}", 1, True)],
            id="alignat-as-align",
        ),
        pytest.param(
            "\\begin{eqnarray} a &=& b \\\\ c &=& d \\end{eqnarray}",
            [(r"\begin{align*} a &= b \\ c &= d \end{align*}", 1, True)],
            id="eqnarray-as-align",
        ),
        pytest.param("text\n\\[ a = b \\]", [("a = b", 2, True)], id="display-brackets"),
        pytest.param("$$\na = b\n$$", [("a = b", 1, True)], id="double-dollars"),
        pytest.param("\\begin{displaymath} a = b \\end{displaymath}", [("a = b", 1, True)], id="displaymath"),
        pytest.param("Let $a = b$ and $x_t$ be.", [("a = b", 1, False)], id="inline-only-relations"),
        pytest.param("so \\(a \\propto b\\) holds", [(r"a \propto b", 1, False)], id="inline-parentheses"),
        pytest.param("\\begin{math} a = b \\end{math}", [("a = b", 1, False)], id="math-environment"),
        pytest.param(
            "\\textbf{$a = b$}\n\\footnote{$c = d$}", [("a = b", 1, False), ("c = d", 2, False)], id="inside-arguments"
        ),
        pytest.param("% $a = b$\n\\[ c = d % e = f\n\\]", [("c = d", 2, True)], id="comments-dropped"),
        pytest.param("\\begin{verbatim}\n$a = b$\n\\end{verbatim}", [], id="verbatim-skipped"),
        pytest.param("\\input{chapter}\n\\include{appendix}", [], id="input-not-followed"),
        pytest.param("\\newcommand{\\e}{$a = b$}", [], id="definitions-are-not-math"),
        pytest.param("\\begin{itemize}\\item $a = b$\\end{itemize}", [("a = b", 1, False)], id="inside-environments"),
    ],
)
def test_math_is_found_with_its_line(source: str, expected: list[tuple[str, int, bool]]) -> None:
    assert maths(source) == expected


def test_align_rows_keep_their_lines_of_the_file() -> None:
    source = "\\begin{document}\n\\begin{align*}\n% the chain\na &= b \\\\ % first\n&= c \\label{x}\n\\end{align*}"
    (math,) = [m for m in read(source, "doc.tex").items if isinstance(m, Math)]
    assert math.line == 2
    assert math.text.splitlines() == ["\\begin{align*}", "", "a &= b \\\\ ", "&= c \\label{x}", "\\end{align*}"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("% derive: ignore\n\\[ a = b \\]", [Annotation("ignore", 1, 1)], id="annotation"),
        pytest.param("%derive:   free of x_{t-1}", [Annotation("free of x_{t-1}", 1, 1)], id="annotation-spacing"),
        pytest.param("% an ordinary comment", [], id="ordinary-comment"),
    ],
)
def test_derive_comments_are_annotations(source: str, expected: list[Annotation]) -> None:
    assert [a for a in read(source, "doc.tex").items if isinstance(a, Annotation)] == expected


def test_text_between_math_is_prose() -> None:
    items = read("We have\n$a = b$ so $x$ holds.", "doc.tex").items
    assert items == (
        Prose("We have\n", 1),
        Math("a = b", 2, 2, 2, False),
        Prose(" so $x$ holds.", 2),
    )


@pytest.mark.parametrize("name", ["IEEEeqnarray", "dmath*"])
def test_a_math_environment_that_is_not_read_is_reported(name: str) -> None:
    source = f"text\n\\begin{{{name}}}{{rCl}}\na &=& b\n\\end{{{name}}}"
    assert read(source, "doc.tex").items[1:] == (
        Malformed(f"the environment {name} is not read", f"\\begin{{{name}}}", 2, 1),
    )


def test_a_macro_that_cannot_be_expanded_is_a_located_error() -> None:
    source = "\\def\\loop{\\loop}\n\n\\[ a = \\loop \\]"
    (malformed,) = [m for m in read(source, "doc.tex").items if isinstance(m, Malformed)]
    assert (malformed.line, malformed.column) == (3, 3)
    assert malformed.message == r"\loop expands more than 32 levels deep (defined by itself?)"


@pytest.mark.parametrize(
    ("source", "verdicts"),
    [
        pytest.param(
            "\\[ \\alpha_t = 1 - \\beta_t \\]\n% derive: ignore\n\\[ \\alpha_t = 2 \\]",
            ["definition", "expression"],
            id="ignore-annotation",
        ),
        pytest.param(
            "\\newcommand{\\one}{1}\n\\[ \\alpha_t = \\one - \\beta_t \\]\n\\[ \\beta_t = 1 - \\alpha_t \\]",
            ["definition", "proved"],
            id="macro-in-definition",
        ),
        pytest.param("\\[ x = \\unknownmacro \\]", ["error"], id="unknown-macro-is-an-error"),
    ],
)
def test_a_document_is_checked_end_to_end(source: str, verdicts: list[str]) -> None:
    report = check_source(source, "doc.tex", DDPM, CheckConfig(jobs=1))
    assert [r.verdict for r in report.results] == verdicts


def test_latex_pylatexenc_cannot_read_is_a_located_error() -> None:
    # found by fuzzing: pylatexenc's tolerant parser fails on this \verb| (IndexError) inside the multline
    source = "\\begin{multline}\\renewcommand\\renewcommand\\verb|\\a=#%=\\\\\\)#]\\text{\\end{equation*}}$$"
    (malformed,) = read(f"\\newcommand{{\\a}}[1]{{#1}}\\text{{\\renewcommand{source}", "doc.tex").items
    assert isinstance(malformed, Malformed)
    assert (malformed.line, malformed.column) == (1, 42)
    assert malformed.message == "pylatexenc cannot read this LaTeX (IndexError: string index out of range)"

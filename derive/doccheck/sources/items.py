"""What every source (Markdown, notebook, LaTeX) yields, in reading order: math, annotations, prose,
and what hides math from the reader.

Lines and columns are those of the source's *reading*: the file's own for Markdown and LaTeX, the
notebook's Markdown cells one after the other for a notebook; ``Reading.locate`` turns them into
a ``Location`` in the file.
"""

from __future__ import annotations

from dataclasses import dataclass

#: inline math is a claim, or a declaration of a domain, only when one of these appears in it
RELATION_MARKS = ("=", r"\propto", r"\approx", r"\in ", r"\in{", "<", ">", "≤", "≥")
#: control words of an inequality; a mark only when no letter follows (``\le`` is not ``\left``)
INEQUALITY_WORDS = (r"\le", r"\ge", r"\leq", r"\geq", r"\lt", r"\gt", r"\leqslant", r"\geqslant")


@dataclass(frozen=True)
class Math:
    text: str
    #: 1-based line and column where ``text`` starts
    line: int
    column: int
    end_line: int
    display: bool


@dataclass(frozen=True)
class Annotation:
    text: str
    line: int
    column: int


@dataclass(frozen=True)
class Malformed:
    """Source that hides math from the reader: an unclosed ``$$`` or comment, nesting too deep."""

    message: str
    text: str
    line: int
    column: int


@dataclass(frozen=True)
class Prose:
    """Text between math, kept for the claims that name what a constant is free of."""

    text: str
    line: int


Item = Math | Annotation | Malformed | Prose


def states_relation(math: str) -> bool:
    """Whether inline math says something that can be checked or declares a domain (``$a = b$``, ``$0 < r
    < 1$``, not ``$x_t$``)."""
    return any(mark in math for mark in RELATION_MARKS) or any(_word(math, w) for w in INEQUALITY_WORDS)


def _word(math: str, word: str) -> bool:
    at = math.find(word)
    while at >= 0:
        after = math[at + len(word) : at + len(word) + 1]
        if not after.isalpha():
            return True
        at = math.find(word, at + 1)
    return False

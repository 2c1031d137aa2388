"""Find the math of a Markdown document, with line numbers, using a Markdown parser.

Display math is a ```math fence (GitHub) or a ``$$ … $$`` block; inline ``$ … $`` counts only
when it states a relation. ``<!-- derive: … -->`` comments, invisible on GitHub, carry claims that
the prose makes and the math does not show (see ``derive.doccheck.annotations``).
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin

ANNOTATION = "derive:"
#: inline math is a claim only when one of these appears in it
RELATION_MARKS = ("=", r"\propto", r"\approx", r"\in ", r"\in{")


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
class Prose:
    """Text between math, kept for the claims that name what a constant is free of."""

    text: str
    line: int


Item = Math | Annotation | Prose


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").use(dollarmath_plugin, double_inline=True)


def extract(source: str) -> list[Item]:
    """The document's math, annotations and prose, in reading order."""
    items: list[Item] = []
    for token in _parser().parse(source):
        start = token.map[0] + 1 if token.map else 0
        if token.type == "fence" and token.info.strip() == "math":
            items.append(Math(token.content, start + 1, 1, token.map[1] if token.map else start, True))
        elif token.type in ("math_block", "math_block_label"):
            # the content begins on the opening $$ line (with a newline when $$ stands alone)
            items.append(Math(token.content, start, 3, token.map[1] if token.map else start, True))
        elif token.type in ("html_block", "html_inline"):
            items.extend(_annotations(token.content, start))
        elif token.type == "inline":
            items.extend(_inline(token, start))
    return items


def _annotations(html: str, line: int) -> list[Annotation]:
    found = []
    rest, offset = html, 0
    while (opening := rest.find("<!--")) >= 0:
        closing = rest.find("-->", opening)
        if closing < 0:
            break
        body = rest[opening + 4 : closing]
        if body.strip().startswith(ANNOTATION):
            before = html[: offset + opening]
            found.append(Annotation(body.strip()[len(ANNOTATION) :].strip(), line + before.count("\n"), 1))
        offset += closing + 3
        rest = rest[closing + 3 :]
    return found


def _inline(token: Token, line: int) -> list[Item]:
    items: list[Item] = []
    column = 1
    prose: list[str] = []
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            line, column = line + 1, 1
            prose.append("\n")
            continue
        if child.type in ("math_inline", "math_inline_double"):
            width = len(child.content) + (4 if child.type == "math_inline_double" else 2)
            if any(mark in child.content for mark in RELATION_MARKS):
                items.append(Math(child.content, line, column + 1, line, child.type == "math_inline_double"))
            prose.append(f"${child.content}$")
            column += width
            continue
        if child.type == "html_inline":
            items.extend(_annotations(child.content, line))
        prose.append(child.content)
        column += len(child.content)
    if prose:
        items.insert(0, Prose("".join(prose), token.map[0] + 1 if token.map else line))
    return items

"""HTML pieces: LaTeX to MathML at build time (no script or network at view time), and inline Markdown.

The words of the documents are Markdown with ``$…$`` math (templates/words/*.j2); for HTML they are
read with markdown-it, raw HTML off, and each math span is converted to MathML by latex2mathml.
"""

from __future__ import annotations

from functools import cache

from latex2mathml.converter import convert
from markdown_it import MarkdownIt
from markupsafe import Markup
from mdit_py_plugins.dollarmath import dollarmath_plugin

from derive.exceptions import OutputError


def mathml(latex: str, display: bool = False) -> Markup:
    """``latex`` as a MathML element; a construct latex2mathml cannot read is an error, never dropped."""
    try:
        converted = convert(_supported(latex), display="block" if display else "inline")
    except Exception as error:  # latex2mathml raises bare exceptions of several kinds
        raise OutputError(f"cannot render {latex!r} as MathML: {type(error).__name__}: {error}") from None
    return Markup(converted)  # latex2mathml escapes the text it emits


def _supported(latex: str) -> str:
    """Rewrite what latex2mathml lacks into what it has: the same symbols."""
    for theirs, ours in _REWRITES:
        latex = latex.replace(theirs, ours)
    return latex


#: \middle\| and \, \middle\| have no latex2mathml rule; a stretchy bar reads the same
_REWRITES = (
    (r"\,\middle\|\,", r"\;\|\;"),
    (r"\middle\|", r"\|"),
)


def inline(markdown: str) -> Markup:
    """Inline Markdown (``**bold**``, links, ``$math$``) as HTML; raw HTML in it is escaped."""
    return Markup(_parser().renderInline(markdown))  # markdown-it escapes text; raw HTML is off


@cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False})
    dollarmath_plugin(
        parser,
        allow_space=True,
        allow_digits=True,
        renderer=lambda tex, options: str(mathml(tex, bool(options.get("display_mode", False)))),
    )
    return parser

"""HTML pieces: LaTeX to MathML at build time (no script or network at view time), and inline Markdown.

The words of the documents are Markdown with ``$…$`` math (templates/words/*.j2); for HTML they are
read with markdown-it, raw HTML off, and each math span is converted to MathML by latex2mathml.
"""

from __future__ import annotations

import re
from functools import cache
from xml.etree.ElementTree import Element, tostring

from latex2mathml.converter import Converter
from markdown_it import MarkdownIt
from markupsafe import Markup
from mdit_py_plugins.dollarmath import dollarmath_plugin

from derive.exceptions import MathMLError
from derive.render.printer import CHANGED_COLOUR

#: the CSS class of a part new since the previous step (the printer marks it with its colour)
CHANGED_CLASS = "changed"


def mathml(latex: str, display: bool = False) -> Markup:
    """``latex`` as a MathML element; a construct latex2mathml cannot read is an error, never dropped."""
    try:
        tree = Converter(display="block" if display else "inline").convert_to_element(_supported(latex))
    except Exception as error:  # latex2mathml raises bare exceptions of several kinds
        raise MathMLError(f"cannot render {latex!r} as MathML: {type(error).__name__}: {error}") from None
    for element in tree.iter():
        _settle(element, latex)
    # serialised here, not by latex2mathml's convert(): that un-escapes the text, so \text{<script>} would be markup
    return Markup(tostring(tree, encoding="unicode"))


#: latex2mathml writes symbols as character references into the element text (``&#x003B1;``)
_REFERENCE = re.compile(r"&#x([0-9A-Fa-f]+);")


def _settle(element: Element, latex: str) -> None:
    """Make one converted element final: characters instead of references, the change marker as a class."""
    if element.text is not None:
        # latex2mathml keeps a command it does not know as its name, in a token (a known \backslash is a reference)
        if "\\" in element.text:
            raise MathMLError(f"cannot render {latex!r} as MathML: unknown command {element.text!r}")
        element.text = _REFERENCE.sub(lambda m: chr(int(m.group(1), 16)), element.text)
    if element.tag == "mstyle" and element.attrib.get("mathcolor") == CHANGED_COLOUR:
        del element.attrib["mathcolor"]
        element.set("class", CHANGED_CLASS)


def _supported(latex: str) -> str:
    """Rewrite what latex2mathml lacks into what it has: the same symbols."""
    for theirs, ours in _REWRITES:
        latex = latex.replace(theirs, ours)
    return latex


#: \middle\| and \, \middle\| have no latex2mathml rule; a plain ‖ between thick spaces reads the same
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

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
    _typeset(tree)
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


#: what latex2mathml writes as an identifier that is an operator: \sim as "~", the ";" of N(z; m, v)
_OPERATORS = {"~": "\u223c", ";": ";"}
#: operator names TeX sets as \mathop: a thin space from an ordinary neighbour, limits under in display
_NAMES = frozenset({"log", "ln", "exp", "lim", "min", "max", "sup", "inf", "det", "KL"})
_LIMITS = frozenset({"lim", "min", "max", "sup", "inf"})
#: accents latex2mathml puts over a symbol: set as accents (close to it), the tilde as TeX's
_ACCENTS = {
    "\u00af": "\u00af",
    "~": "\u02dc",
    "^": "\u02c6",
    "\u02c6": "\u02c6",
    "\u02d9": "\u02d9",
    "\u2192": "\u2192",
}
#: TeX's thin space, between an operator name and an ordinary symbol
_THIN = "0.1667em"
#: elements whose second and later children are scripts, set small and without operator spacing
_SCRIPTS = frozenset({"msub", "msup", "msubsup", "munder", "mover", "munderover"})
#: what makes a bracketed group taller than a line, so that its brackets grow
_TALL = frozenset({"mfrac", "munderover", "munder", "mtable"})
#: elements whose children stand in a row (the others take a fixed number of arguments)
_ROWS = frozenset({"math", "mrow", "mstyle", "msqrt", "mtd", "mpadded"})


def _typeset(tree: Element) -> None:
    r"""Tune latex2mathml's MathML toward TeX's typesetting: operator names spaced and with limits
    under them, accents as accents, ``\sim`` a relation."""
    for element in tree.iter():
        tag = _tag(element)
        if tag == "mi" and element.text in _OPERATORS and not element.attrib:
            element.tag = "mo"
            element.text = _OPERATORS[element.text]
        elif tag == "mover" and len(element) == 2 and _tag(element[1]) == "mo" and element[1].text in _ACCENTS:
            element.set("accent", "true")
            element[1].text = _ACCENTS[element[1].text]
        elif tag == "msub" and len(element) == 2 and _tag(element[0]) == "mo" and element[0].text in _LIMITS:
            element.tag = "munder"
            element[0].attrib.update({"movablelimits": "true", "lspace": "0", "rspace": _THIN})
        elif tag == "mo" and element.get("stretchy") == "true" and element.get("fence") == "true":
            # Chromium pads a stretched bracket; TeX's \left( around a line of symbols is the plain one
            element.set("stretchy", "true" if _tall(element, tree) else "false")
        if tag in _SCRIPTS:
            # TeX sets no space around operators in sub- and superscripts: x_{t-1}, not x_{t − 1}
            for script in list(element)[1:]:
                for operator in script.iter("mo"):
                    if "lspace" not in operator.attrib:
                        operator.attrib.update({"lspace": "0", "rspace": "0"})
    for parent in [e for e in tree.iter() if _tag(e) in _ROWS]:
        children = list(parent)
        for k in range(len(children) - 1, -1, -1):
            if not _is_name(children[k]):
                continue
            after = children[k + 1] if k + 1 < len(children) else None
            before = children[k - 1] if k > 0 else None
            if after is not None and not _opens(after) and _tag(after) not in ("mo", "mspace"):
                parent.insert(k + 1, _space())
            if before is not None and _tag(before) not in ("mo", "mspace"):
                parent.insert(k, _space())


def _tall(fence: Element, tree: Element) -> bool:
    """Whether the bracket group ``fence`` opens or closes holds something taller than a line."""
    group = next((p for p in tree.iter() if any(child is fence for child in p)), None)
    if group is None:
        return False
    return any(_tag(e) in _TALL for child in group for e in child.iter())


def _tag(element: Element) -> str:
    """The element's name; latex2mathml's tree carries no namespace but the root's attribute."""
    return str(element.tag)


def _is_name(element: Element) -> bool:
    """An operator name set as an identifier (``log``): an ``mo`` (``lim``) has its own spacing."""
    if _tag(element) in ("msub", "munder") and len(element):
        element = element[0]
    return _tag(element) == "mi" and element.text in _NAMES


def _opens(element: Element) -> bool:
    r"""Whether ``element`` starts with an opening bracket: ``\log(x)`` takes no space."""
    while _tag(element) == "mrow" and len(element):
        element = element[0]
    return _tag(element) == "mo" and (element.get("form") == "prefix" or element.text in ("(", "[", "{"))


def _space() -> Element:
    return Element("mspace", {"width": _THIN})


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

r"""LaTeX read with pylatexenc's LatexWalker: the math environments, user macros and their expansion.

The walker finds environments, math delimiters, comments and macros with their arguments; this
module decides what each means for check-doc:

- ``MATH_ENVIRONMENTS`` says how each display environment is handed to the formula grammar
  (``derive.doccheck.latex``): whole (it knows ``equation``, ``align``, ``gather``, starred or
  not), renamed (``flalign``, ``alignat``, ``eqnarray`` read as ``align*``), or joined
  (``multline``: one formula broken over lines, its ``\\`` dropped);
- ``\newcommand``, ``\renewcommand``, ``\providecommand`` (with or without arguments, and with a
  default first argument), ``\def`` with undelimited parameters and ``\DeclareMathOperator`` are
  collected in document order (``definitions``) and expanded in a formula before the grammar
  sees it (``Expander``), so that ``\xt`` becomes ``\mathbf{x}_t``;
- comments are dropped, but not their line breaks: every line of the text the grammar reads is the
  same line of the file. (Columns after an expanded macro are those of the expanded text.)
"""

from __future__ import annotations

import enum
import logging
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from pylatexenc import latexwalker as lw
from pylatexenc import macrospec

from derive.exceptions import DeriveError


class Shape(enum.Enum):
    """How a display environment reaches the grammar."""

    #: as written: the grammar reads ``\begin{align*} … \end{align*}`` and splits its rows
    WHOLE = "whole"
    #: as ``align*``, whose rows and columns they share
    ALIGN = "align"
    #: as ``align*``, its rows ``a &=& b`` read as ``a &= b``
    EQNARRAY = "eqnarray"
    #: one formula over several lines: ``\\`` is a line break, not a new statement
    JOINED = "joined"


MATH_ENVIRONMENTS: dict[str, Shape] = {
    **dict.fromkeys(("equation", "align", "gather"), Shape.WHOLE),
    **dict.fromkeys(("flalign", "alignat"), Shape.ALIGN),
    "eqnarray": Shape.EQNARRAY,
    "multline": Shape.JOINED,
}
MATH_ENVIRONMENTS.update({f"{name}*": shape for name, shape in MATH_ENVIRONMENTS.items()})

#: commands that define a macro, read from their arguments as pylatexenc parses them (``*{[[{``)
NEWCOMMANDS = frozenset(("newcommand", "renewcommand", "providecommand"))
#: how deep expansions may nest, and how long an expanded formula may grow: a macro defined by
#: itself, or one that doubles at each level, is an error rather than a hang
MAX_EXPANSION_DEPTH = 32
MAX_EXPANSION_LENGTH = 100_000

# pylatexenc reports what tolerant parsing skips through logging; check-doc reports on its own
logging.getLogger("pylatexenc").setLevel(logging.CRITICAL)


class TexError(DeriveError):
    """LaTeX that could not be read."""


class ExpansionError(TexError):
    """A macro could not be expanded: it expands into itself, grows without bound, lacks arguments."""


@dataclass(frozen=True)
class Macro:
    name: str
    #: arguments, the optional one included
    arguments: int
    #: the default of an optional first argument (``\newcommand{\m}[2][t]{…}``), or None
    default: str | None
    body: str

    def spec(self) -> macrospec.MacroSpec:
        optional = "[" if self.default is not None else ""
        return macrospec.MacroSpec(self.name, optional + "{" * (self.arguments - len(optional)))

    def substitute(self, arguments: Sequence[str]) -> str:
        """The body with ``#1`` … ``#9`` replaced by the arguments and ``##`` by ``#``, as TeX does."""
        out: list[str] = []
        k, body = 0, self.body
        while k < len(body):
            if body[k] == "#" and k + 1 < len(body):
                following = body[k + 1]
                if following == "#":
                    out.append("#")
                elif following.isdigit() and 1 <= int(following) <= len(arguments):
                    out.append(arguments[int(following) - 1])
                else:
                    out.append(body[k : k + 2])
                k += 2
                continue
            out.append(body[k])
            k += 1
        return "".join(out)


@dataclass
class Definitions:
    r"""Macros by name, each with the offsets where its definitions take effect (``\renewcommand``
    changes a macro's meaning from there on)."""

    by_name: dict[str, list[tuple[int, Macro]]] = field(default_factory=dict)

    def add(self, offset: int, macro: Macro) -> None:
        self.by_name.setdefault(macro.name, []).append((offset, macro))

    def at(self, name: str, offset: int) -> Macro | None:
        """The definition in force at ``offset``: the last one before it."""
        found = self.by_name.get(name)
        if not found:
            return None
        index = bisect_right([where for where, _ in found], offset) - 1
        return found[index][1] if index >= 0 else None

    def context(self) -> macrospec.LatexContextDb:
        """pylatexenc's default context, with each user macro's arguments (its first definition's)."""
        db = lw.get_default_latex_context_db()
        if self.by_name:
            specs = [found[0][1].spec() for found in self.by_name.values()]
            db.add_context_category("derive-user-macros", macros=specs, prepend=True)
        return db


def walk(text: str, context: macrospec.LatexContextDb | None = None, *, math: bool = False) -> list[lw.LatexNode]:
    """The nodes of ``text``; tolerant, so that one odd construct does not hide the whole file."""
    walker = lw.LatexWalker(text, latex_context=context, tolerant_parsing=True)
    state = walker.make_parsing_state(in_math_mode=math)
    try:
        nodes, _, _ = walker.get_latex_nodes(pos=0, parsing_state=state)
    except (lw.LatexWalkerError, IndexError, RecursionError) as error:
        # tolerant parsing still fails on some input (\verb| at the end of the text: IndexError)
        raise TexError(f"pylatexenc cannot read this LaTeX ({type(error).__name__}: {str(error)[:200]})") from None
    return list(nodes)


def end(node: lw.LatexNode) -> int:
    return int(node.pos + node.len)


def inner(text: str, node: lw.LatexNode) -> str:
    """What an argument holds: the inside of ``{…}`` or ``[…]``, or the one token written bare."""
    if isinstance(node, lw.LatexGroupNode):
        return text[node.pos + 1 : end(node) - 1]
    return text[node.pos : end(node)].strip()


def definitions(text: str, nodes: Sequence[lw.LatexNode]) -> Definitions:
    """Every macro the document defines, in order, wherever it is (preamble, body, groups)."""
    found = Definitions()
    _collect(text, nodes, found)
    return found


def _collect(text: str, nodes: Sequence[lw.LatexNode], found: Definitions) -> None:
    for k, node in enumerate(nodes):
        if isinstance(node, lw.LatexMacroNode):
            macro = _defined(text, node, nodes[k + 1 : k + 4])
            if macro is not None:
                found.add(node.pos, macro)
                continue
        for inside in children(node):
            _collect(text, inside, found)


def _defined(text: str, node: lw.LatexMacroNode, following: Sequence[lw.LatexNode]) -> Macro | None:
    args = node.nodeargd.argnlist if node.nodeargd is not None else []
    if node.macroname in NEWCOMMANDS and len(args) == 5 and args[1] is not None and args[4] is not None:
        name = inner(text, args[1]).lstrip("\\").strip()
        arguments = inner(text, args[2]).strip() if args[2] is not None else "0"
        if not arguments.isdigit():
            return None
        default = inner(text, args[3]) if args[3] is not None else None
        return Macro(name, int(arguments), default, inner(text, args[4]))
    if node.macroname == "DeclareMathOperator" and len(args) == 3 and args[1] is not None and args[2] is not None:
        name = inner(text, args[1]).lstrip("\\").strip()
        return Macro(name, 0, None, rf"\operatorname{{{inner(text, args[2])}}}")
    if node.macroname == "def":
        # \def\name#1#2{body}: the walker gives the name, the parameter text and the body as siblings
        nodes = list(following)
        if not nodes or not isinstance(nodes[0], lw.LatexMacroNode):
            return None
        parameters = ""
        if len(nodes) > 1 and isinstance(nodes[1], lw.LatexCharsNode):
            parameters = nodes[1].chars
            nodes = [nodes[0], *nodes[2:]]
        count = len(parameters) // 2
        # only undelimited parameters #1#2…; \def\m#1.{…} is not expanded
        if parameters != "".join(f"#{k}" for k in range(1, count + 1)) or len(nodes) < 2:
            return None
        if not isinstance(nodes[1], lw.LatexGroupNode):
            return None
        return Macro(nodes[0].macroname, count, None, inner(text, nodes[1]))
    return None


def children(node: lw.LatexNode) -> Iterator[Sequence[lw.LatexNode]]:
    """The node lists inside a node: a group's or environment's body, a macro's arguments."""
    if isinstance(node, lw.LatexGroupNode | lw.LatexEnvironmentNode | lw.LatexMathNode):
        yield node.nodelist
    nodeargd = getattr(node, "nodeargd", None)
    if nodeargd is not None and nodeargd.argnlist:
        yield [arg for arg in nodeargd.argnlist if arg is not None]


class Expander:
    """Renders LaTeX nodes back to text, with user macros expanded, comments dropped (their line
    breaks kept) and the display environments of ``MATH_ENVIRONMENTS`` shaped for the grammar."""

    def __init__(self, found: Definitions) -> None:
        self.found = found
        self.context = found.context()
        #: characters the expansions of the current formula may still produce
        self._budget = MAX_EXPANSION_LENGTH

    def environment(self, text: str, node: lw.LatexEnvironmentNode) -> str:
        """A display environment as the grammar reads it."""
        shape = MATH_ENVIRONMENTS[node.environmentname]
        body = self._nodes(text, node.nodelist, shape)
        if shape is Shape.WHOLE:
            opening, closing = rf"\begin{{{node.environmentname}}}", rf"\end{{{node.environmentname}}}"
        elif shape in (Shape.ALIGN, Shape.EQNARRAY):
            opening, closing = r"\begin{align*}", r"\end{align*}"
        else:
            opening = closing = ""
        # the opening may have had arguments (alignat's column count) and spaces: keep its lines
        first = node.nodelist[0].pos if node.nodelist else end(node)
        last = end(node.nodelist[-1]) if node.nodelist else end(node)
        before = "\n" * text.count("\n", node.pos, first)
        after = "\n" * text.count("\n", last, end(node))
        return opening + before + body + after + closing

    def math(self, text: str, nodes: Sequence[lw.LatexNode]) -> str:
        """The inside of ``$…$``, ``\\(…\\)``, ``\\[…\\]`` or ``$$…$$``."""
        return self._nodes(text, nodes, Shape.WHOLE)

    def _nodes(self, text: str, nodes: Sequence[lw.LatexNode], shape: Shape) -> str:
        self._budget = MAX_EXPANSION_LENGTH
        out: list[str] = []
        #: the &s so far in the current row of an eqnarray, whose second one goes
        ampersands = 0
        for node in nodes:
            if isinstance(node, lw.LatexSpecialsNode) and node.specials_chars == "&" and shape is Shape.EQNARRAY:
                ampersands += 1
                out.append(" " if ampersands == 2 else "&")
                continue
            if isinstance(node, lw.LatexMacroNode) and node.macroname == "\\":
                ampersands = 0
                out.append(" " if shape is Shape.JOINED else r"\\")
                out.append(_spaces(text[node.pos + 2 : end(node)]))
                continue
            out.append(self._node(text, node, 0, node.pos))
        return "".join(out)

    def _node(self, text: str, node: lw.LatexNode, depth: int, at: int) -> str:
        """``at``: where in the file the formula is, for the definitions in force there."""
        if isinstance(node, lw.LatexCommentNode):
            return "\n" * text.count("\n", node.pos, end(node))
        if isinstance(node, lw.LatexMacroNode):
            macro = self.found.at(node.macroname, at)
            if macro is not None:
                # the space after a macro's name: kept after one without arguments (\a x is not \ax)
                space = _spaces(node.macro_post_space) if not macro.arguments else ""
                return self._expand(text, node, macro, depth, at) + space
        return self._splice(text, node, depth, at)

    def _splice(self, text: str, node: lw.LatexNode, depth: int, at: int) -> str:
        """The node's own text, with each child (argument, body) rendered in its place."""
        parts = sorted((child for group in children(node) for child in group), key=lambda child: int(child.pos))
        out, cursor = [], int(node.pos)
        for child in parts:
            if child.pos < cursor:  # a child the parser placed twice (tolerant parsing): keep the text
                continue
            out.append(text[cursor : child.pos])
            out.append(self._node(text, child, depth, at))
            cursor = end(child)
        out.append(text[cursor : end(node)])
        return "".join(out)

    def _expand(self, text: str, node: lw.LatexMacroNode, macro: Macro, depth: int, at: int) -> str:
        if depth >= MAX_EXPANSION_DEPTH:
            raise ExpansionError(
                f"\\{macro.name} expands more than {MAX_EXPANSION_DEPTH} levels deep (defined by itself?)"
            )
        args = list(node.nodeargd.argnlist) if node.nodeargd is not None else []
        values: list[str] = []
        for k, arg in enumerate(args):
            if arg is None and k == 0 and macro.default is not None:
                values.append(macro.default)
            elif arg is None:
                raise ExpansionError(f"\\{macro.name} needs {macro.arguments} arguments")
            else:
                values.append(inner(text, arg))
        if len(values) != macro.arguments:
            raise ExpansionError(f"\\{macro.name} needs {macro.arguments} arguments")
        expanded = macro.substitute(values)
        # counted as it is produced: a macro that doubles at each level stops here, not after 2^n steps
        self._budget -= len(expanded)
        if self._budget < 0:
            raise ExpansionError("the macros expand to more than 100,000 characters")
        nodes = walk(expanded, self.context, math=True)
        rendered = "".join(self._node(expanded, child, depth + 1, at) for child in nodes)
        # an expansion stays on the line of its macro; a control word at its end keeps its space
        return " ".join(rendered.splitlines()) if "\n" in rendered else rendered


def _spaces(text: str) -> str:
    """Whitespace as written, so that line breaks stay where they were."""
    return "".join(c if c.isspace() else " " for c in text)

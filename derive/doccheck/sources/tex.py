r"""A LaTeX document, read with pylatexenc's LatexWalker: its display environments and math.

Read: ``equation``, ``align``, ``gather``, ``multline`` (starred or not; also ``flalign``,
``alignat``, ``eqnarray``, see ``texwalk.MATH_ENVIRONMENTS``), ``\[ … \]``, ``$$ … $$``,
``displaymath``, and inline ``$ … $``, ``\( … \)`` and ``math`` when they state a relation. Each row
of an ``align`` is its own statement on its own line of the file. Macros the document defines
(``\newcommand``, ``\renewcommand``, ``\def``, ``\DeclareMathOperator``) are expanded first.
``%`` comments are dropped, except ``% derive: …``, the annotations that Markdown writes as
``<!-- derive: … -->``. ``\input`` and ``\include`` are not followed: a file names only itself.
Verbatim environments are skipped.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence

from pylatexenc import latexwalker as lw

from derive.doccheck.sources import Reading, texwalk
from derive.doccheck.sources.items import Annotation, Item, Malformed, Math, Prose, states_relation

ANNOTATION = "derive:"
#: environments that are math without being display environments of the grammar: their body is
#: read as the inside of \[ … \] (displaymath) or \( … \) (math)
BODIES = {"displaymath": True, "math": False}
#: math environments of packages (IEEEtrantools, breqn) that are not read: each is reported, not skipped unseen
UNREAD = frozenset(
    name + star
    for name in ("IEEEeqnarray", "IEEEeqnarraybox", "dmath", "dseries", "dgroup", "darray")
    for star in ("", "*")
)
#: environments whose content is not LaTeX to read
SKIPPED = frozenset(("verbatim", "verbatim*", "lstlisting", "minted", "comment", "Verbatim"))
#: macros whose arguments name other files or hold definitions: nothing in them is read as math
NOT_READ = frozenset(("input", "include", "includeonly", "bibliography", *texwalk.NEWCOMMANDS, "DeclareMathOperator"))


def read(text: str, file: str) -> Reading:
    try:
        nodes = texwalk.walk(text)
        found = texwalk.definitions(text, nodes)
        expander = texwalk.Expander(found)
        if found.by_name:  # again, now that the walker knows each user macro's arguments
            nodes = texwalk.walk(text, expander.context)
    except texwalk.TexError as error:
        raise texwalk.TexError(f"{file}: {error}") from None
    reader = _Reader(text, expander)
    reader.nodes(nodes)
    reader.flush()
    return Reading(tuple(reader.items))


class _Reader:
    def __init__(self, text: str, expander: texwalk.Expander) -> None:
        self.text = text
        self.expander = expander
        self.items: list[Item] = []
        self._newlines = [k for k, c in enumerate(text) if c == "\n"]
        #: text between math, and the line it starts on
        self._prose: list[str] = []
        self._prose_line = 1

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._newlines, offset - 1)
        start = self._newlines[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1

    def nodes(self, nodes: Sequence[lw.LatexNode]) -> None:
        skip = 0
        for k, node in enumerate(nodes):
            if skip:
                skip -= 1
                continue
            skip = self._definition(nodes, k)
            if skip:
                skip -= 1
                continue
            self.node(node)

    def _definition(self, nodes: Sequence[lw.LatexNode], k: int) -> int:
        r"""How many nodes the definition at ``k`` spans (``\def\m#1{…}`` is four), or 0."""
        node = nodes[k]
        if not isinstance(node, lw.LatexMacroNode):
            return 0
        if node.macroname in NOT_READ:
            return 1
        if node.macroname != "def":
            return 0
        spans = 1
        for following in nodes[k + 1 : k + 4]:
            spans += 1
            if isinstance(following, lw.LatexGroupNode):
                return spans
        return 1

    def node(self, node: lw.LatexNode) -> None:
        if isinstance(node, lw.LatexCharsNode):
            self._text(node.pos, node.chars)
        elif isinstance(node, lw.LatexCommentNode):
            self._comment(node)
        elif isinstance(node, lw.LatexMathNode):
            self._math(node)
        elif isinstance(node, lw.LatexEnvironmentNode):
            self._environment(node)
        else:  # a group, or a macro whose arguments may hold math (\textbf{$a = b$}, \footnote)
            for children in texwalk.children(node):
                self.nodes(children)

    def _text(self, offset: int, text: str) -> None:
        if not self._prose:
            self._prose_line = self.position(offset)[0]
        self._prose.append(text)

    def flush(self) -> None:
        prose = "".join(self._prose)
        if prose.strip():
            self.items.append(Prose(prose, self._prose_line))
        self._prose = []

    def _comment(self, node: lw.LatexCommentNode) -> None:
        comment = node.comment.strip()
        if comment.startswith(ANNOTATION):
            line, column = self.position(node.pos)
            self.flush()
            self.items.append(Annotation(comment[len(ANNOTATION) :].strip(), line, column))

    def _math(self, node: lw.LatexMathNode) -> None:
        opening = node.delimiters[0] if node.delimiters else ""
        display = node.displaytype == "display"
        self._formula(node, node.pos + len(opening), display, lambda: self.expander.math(self.text, node.nodelist))

    def _environment(self, node: lw.LatexEnvironmentNode) -> None:
        name = node.environmentname
        if name in SKIPPED:
            return
        if name in texwalk.MATH_ENVIRONMENTS:
            self._formula(node, node.pos, True, lambda: self.expander.environment(self.text, node))
        elif name in UNREAD:
            line, column = self.position(node.pos)
            self.flush()
            self.items.append(Malformed(f"the environment {name} is not read", f"\\begin{{{name}}}", line, column))
        elif name in BODIES:
            start = node.nodelist[0].pos if node.nodelist else texwalk.end(node)
            self._formula(node, start, BODIES[name], lambda: self.expander.math(self.text, node.nodelist))
        else:  # document, itemize, theorem, proof, …: math may be inside
            self.nodes(node.nodelist)

    def _formula(self, node: lw.LatexNode, start: int, display: bool, render: Callable[[], str]) -> None:
        line, column = self.position(start)
        end_line = self.position(texwalk.end(node) - 1)[0]
        source = self.text[node.pos : texwalk.end(node)]
        try:
            math = render()
        except texwalk.TexError as error:
            self.flush()
            self.items.append(Malformed(str(error), source.splitlines()[0] if source else "", line, column))
            return
        if not display and not states_relation(math):
            self._text(node.pos, source)
            return
        self.flush()
        self.items.append(Math(math, line, column, end_line, display))

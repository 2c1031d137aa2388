r"""Find the math of a Markdown document, with line numbers, using a Markdown parser.

Display math is a ```math fence (GitHub) or a ``$$ … $$`` block; inline ``$ … $`` counts only
when it states a relation, and so does kramdown's ``$$ … $$`` written inside a paragraph.
``<!-- derive: … -->`` comments, invisible on GitHub, carry claims that the prose makes and the
math does not show (see ``derive.doccheck.annotations``); so do the ``notation:`` and ``let:`` keys of
YAML front matter (``---`` lines at the top), which name the document's notation and declare domains.

Flavours that static-site generators impose:
- a display environment written straight into the text (``\begin{align*} … \end{align*}``
  without ``$$``, as Jupyter and MathJax read it) is display math, found by the LaTeX walker;
- math whose author escaped it for a Markdown engine that does not know math (Hugo, Jekyll
  without kramdown's math) is read as that engine shows it: ``x\_t`` is ``x_t`` and ``\\\\`` a
  row break. Such math is recognised by what only escaped math contains (``ESCAPED``).
"""

from __future__ import annotations

from dataclasses import replace

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from derive.doccheck.sources import texwalk
from derive.doccheck.sources.items import Annotation, Item, Malformed, Math, Prose, states_relation

ANNOTATION = "derive:"
#: what only math escaped for Markdown contains: ``\_`` and ``\*`` (a literal underscore or star
#: in TeX, never in a derivation), and ``\\`` before another backslash or a brace or space
ESCAPED = ("\\_", "\\*", *(f"\\\\{c}" for c in "\\{},;!"))
#: in escaped math, the characters whose ``\X`` Markdown shows as ``X``
UNESCAPED = frozenset("_*\\")


#: markdown-it's CommonMark preset stops at 20 levels and silently drops what is deeper; a list
#: ten deep is already 20 (list and item). Deeper than this is reported, not dropped unseen. Not
#: more: nested brackets cost parse time in proportion to it.
MAX_NESTING = 32


#: front matter keys that are annotations: ``notation: ddpm`` is ``<!-- derive: notation ddpm -->``
FRONT_MATTER = ("notation", "let")


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark").use(front_matter_plugin).use(dollarmath_plugin, double_inline=True)
    parser.options["maxNesting"] = MAX_NESTING
    return parser


def extract(source: str) -> list[Item]:
    """The document's math, annotations and prose, in reading order."""
    items: list[Item] = []
    lines = source.splitlines()
    deep = False
    for token in _parser().parse(source):
        start = token.map[0] + 1 if token.map else 0
        if token.level >= MAX_NESTING - 1:
            if not deep:
                message = f"nested more than {MAX_NESTING} levels deep: what is inside is not read"
                items.append(Malformed(message, lines[start - 1] if start else "", start, 1))
            deep = True
            continue
        deep = False
        if token.type == "fence" and token.info.strip() == "math":
            column = _column(lines, start + 1, token.content.split("\n", 1)[0], 0)
            items.append(Math(token.content, start + 1, column, token.map[1] if token.map else start, True))
        elif token.type in ("math_block", "math_block_label"):
            # the content begins on the opening $$ line (with a newline when $$ stands alone)
            column = _column(lines, start, "$$", 2)
            items.append(Math(token.content, start, column, token.map[1] if token.map else start, True))
        elif token.type in ("html_block", "html_inline"):
            items.extend(_annotations(token.content, start))
        elif token.type == "front_matter":
            items.extend(_front_matter(token.content, start))
        elif token.type == "inline":
            block = "\n".join(lines[token.map[0] : token.map[1]]) if token.map else token.content
            items.extend(_inline(token, start, block, lines))
    return [replace(item, text=unescape(item.text)) if isinstance(item, Math) else item for item in items]


def unescape(math: str) -> str:
    """Math as a Markdown engine that does not know math shows it, when it was escaped for one."""
    if not any(sign in math for sign in ESCAPED):
        return math
    out: list[str] = []
    k = 0
    while k < len(math):
        if math[k] == "\\" and k + 1 < len(math) and math[k + 1] in UNESCAPED:
            out.append(math[k + 1])
            k += 2
        else:
            out.append(math[k])
            k += 1
    return "".join(out)


def _column(lines: list[str], line: int, text: str, offset: int) -> int:
    """Where ``text`` starts on ``line``, after a container's prefix such as ``> `` or a list indent."""
    found = lines[line - 1].find(text) if 0 < line <= len(lines) and text else -1
    return found + offset + 1 if found >= 0 else 1 + offset


def _front_matter(text: str, line: int) -> list[Annotation]:
    """``notation: ddpm`` and ``let: 0 < r < 1`` lines of YAML front matter, as annotations; other keys (a
    title, a date) are the site generator's. A value may be quoted."""
    found = []
    for offset, row in enumerate(text.splitlines(), start=1):
        key, colon, value = row.partition(":")
        value = value.strip()
        if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        if colon and key.strip() in FRONT_MATTER and value:
            found.append(Annotation(f"{key.strip()} {value}", line + offset, 1))
    return found


def _annotations(html: str, line: int) -> list[Annotation | Malformed]:
    found: list[Annotation | Malformed] = []
    rest, offset = html, 0
    while (opening := rest.find("<!--")) >= 0:
        here = line + html[: offset + opening].count("\n")
        closing = rest.find("-->", opening)
        body = rest[opening + 4 : closing] if closing >= 0 else rest[opening + 4 :]
        if body.strip().startswith(ANNOTATION):
            if closing < 0:
                message = "an annotation's comment is not closed with -->: it hides the rest of the document"
                found.append(Malformed(message, body.strip().splitlines()[0], here, 1))
                break
            found.append(Annotation(body.strip()[len(ANNOTATION) :].strip(), here, 1))
        if closing < 0:
            break
        offset += closing + 3
        rest = rest[closing + 3 :]
    return found


def _environments(token: Token, line: int, lines: list[str]) -> list[tuple[int, int, Item]]:
    """Display environments written straight into a paragraph, with where they start and end in
    its content (``token.content``, the paragraph's text without a container's prefix)."""
    content = token.content
    if "\\begin{" not in content:
        return []
    found: list[tuple[int, int, Item]] = []
    expander = texwalk.Expander(texwalk.Definitions())
    try:
        nodes = texwalk.walk(content)
    except texwalk.TexError as error:
        first = content.split("\n", 1)[0]
        return [(0, len(content), Malformed(str(error), first, line, _column(lines, line, first, 0)))]
    for node in nodes:
        name = getattr(node, "environmentname", None)
        if name not in texwalk.MATH_ENVIRONMENTS:
            continue
        at = line + content.count("\n", 0, node.pos)
        first = content[node.pos : content.find("\n", node.pos) if "\n" in content[node.pos :] else None]
        column = _column(lines, at, first, 0)
        stop = texwalk.end(node)
        if not content[node.pos : stop].endswith(f"\\end{{{name}}}"):
            message = f"\\begin{{{name}}} is not closed in its paragraph (a blank line ends it): it is not read"
            found.append((node.pos, stop, Malformed(message, first, at, column)))
            continue
        try:
            text = expander.environment(content, node)
        except texwalk.TexError as error:
            found.append((node.pos, stop, Malformed(str(error), first, at, column)))
            continue
        found.append((node.pos, stop, Math(text, at, column, line + content.count("\n", 0, stop), True)))
    return found


def _inline(token: Token, line: int, block: str, lines: list[str]) -> list[Item]:
    """Inline math and annotations of one paragraph, located by finding them in its source lines
    (``block``, starting at ``line``): the tokens' contents have lost emphasis marks, code-span
    newlines and escapes, so counting their lengths would drift."""
    environments = _environments(token, line, lines)
    items: list[Item] = [item for _, _, item in environments]
    cursor = 0
    prose: list[str] = []
    # the lines before a position, counted on from the last one asked for: a paragraph of 80,000 inline
    # formulas is one line, and counting from its start each time took minutes
    counted, newlines, last_newline = 0, 0, -1

    def locate(needle: str, offset: int) -> tuple[int, int]:
        nonlocal cursor, counted, newlines, last_newline
        found = block.find(needle, cursor)
        if found < 0:  # a container's prefix (``> ``) inside the needle: the paragraph's start
            return line, 1
        cursor = found + len(needle)
        start = found + offset
        if start < counted:
            counted, newlines, last_newline = 0, 0, -1
        newlines += block.count("\n", counted, start)
        last_newline = max(last_newline, block.rfind("\n", counted, start))
        counted = start
        return line + newlines, start - (last_newline + 1) + 1

    children = token.children or []
    for k, child in enumerate(children):
        line_start = k == 0 or children[k - 1].type in ("softbreak", "hardbreak")
        if child.type in ("math_inline", "math_inline_double"):
            marks = "$$" if child.type == "math_inline_double" else "$"
            at, column = locate(f"{marks}{child.content}{marks}", len(marks))
            if environments and _inside(token.content, f"{marks}{child.content}{marks}", environments):
                continue
            if states_relation(child.content):
                end = at + child.content.count("\n")
                items.append(Math(child.content, at, column, end, child.type == "math_inline_double"))
            prose.append(f"${child.content}$")
            continue
        if child.type == "html_inline":
            at, _ = locate(child.content, 0)
            items.extend(_annotations(child.content, at))
        elif child.type == "text" and line_start and child.content.startswith("$$"):
            # $$ opening a line opens display math; never closed, markdown-it leaves it as text
            at, column = locate("$$", 0)
            message = "an unclosed $$: the math after it is read as prose, not checked"
            items.append(Malformed(message, child.content, at, column))
        prose.append("\n" if child.type in ("softbreak", "hardbreak") else child.content)
    if prose:
        items.insert(0, Prose("".join(prose), token.map[0] + 1 if token.map else line))
    # environments were found apart from the inline math: all in the order they are written
    return sorted(items, key=_position) if environments else items


def _position(item: Item) -> tuple[int, int]:
    return item.line, item.column if not isinstance(item, Prose) else 0


def _inside(content: str, math: str, environments: list[tuple[int, int, Item]]) -> bool:
    """Whether ``$…$`` markdown-it found is part of an environment read as a whole."""
    found = content.find(math)
    return any(start <= found < stop for start, stop, _ in environments)

"""Chinese typography of the rendered Markdown: full-width punctuation, and spacing around math.

The common practice (W3C's "Requirements for Chinese Text Layout", and the usual style guides):
- punctuation in a Chinese sentence is full-width (，。：；！？（）), not the ASCII marks;
- a space separates Chinese characters from inline math, Latin letters and digits;
- no space stands between full-width punctuation and what follows or precedes it.

The document is read by markdown-it (math spans by its dollarmath plugin); only text outside math,
code and links' targets is inspected, character by character, against the table ``RULES``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin

#: full-width punctuation, after or before which no space stands
FULL_WIDTH = frozenset("，。、：；！？（）「」『』《》")
#: ASCII marks that a Chinese sentence writes full-width
HALF_WIDTH = frozenset(",:;!?()")
#: what stands for a math span when text and math are read as one line
MATH = "\ue000"


def is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


@dataclass(frozen=True)
class Problem:
    line: int
    rule: str
    #: the text around the problem, math shown as $…$
    context: str


def _half_width(before: str, char: str, after: str) -> bool:
    return char in HALF_WIDTH and (is_han(before) or is_han(after))


def _chinese(text: str) -> bool:
    return any(is_han(c) for c in text)


def _unspaced(before: str, char: str, after: str) -> bool:
    """Chinese directly against math, a Latin letter or a digit (checked at the Chinese character)."""
    return is_han(char) and any(c == MATH or _latin(c) for c in (before, after))


def _space_at_full_width(before: str, char: str, after: str) -> bool:
    return char == " " and (before in FULL_WIDTH or after in FULL_WIDTH)


HALF_WIDTH_RULE = "half-width punctuation in Chinese"
#: rule name -> test of a character with its neighbours
RULES: dict[str, Callable[[str, str, str], bool]] = {
    HALF_WIDTH_RULE: _half_width,
    "no space between Chinese and math, Latin or digits": _unspaced,
    "space beside full-width punctuation": _space_at_full_width,
}


def problems(markdown: str) -> Iterator[Problem]:
    """Each place where the Chinese prose of ``markdown`` breaks a rule."""
    for line, text in _lines(markdown):
        padded = f" {text} "
        for k in range(1, len(padded) - 1):
            before, char, after = padded[k - 1], padded[k], padded[k + 1]
            # a bracket is judged by its neighbour past a space: "(1) 合并" is a Chinese phrase's bracket
            if char in "()" and _equation_number(padded, k):
                continue
            if char in "()":
                before, after = padded[:k].rstrip()[-1:] or " ", padded[k + 1 :].lstrip()[:1] or " "
            for rule, broken in RULES.items():
                # in a Chinese line, a comma or colon between numbers is a Chinese one too: 第 11、12 步
                chinese_mark = rule == HALF_WIDTH_RULE and char in ",:;" and _chinese(text)
                if broken(before, char, after) or chinese_mark:
                    context = padded[max(0, k - 12) : k + 12].replace(MATH, "$…$").strip()
                    yield Problem(line, rule, context)


def _equation_number(text: str, k: int) -> bool:
    r"""Whether the bracket at ``k`` closes or opens an equation number, ``(12)``: half-width, as \eqref prints it."""
    start = k if text[k] == "(" else text.rfind("(", 0, k)
    end = text.find(")", start)
    # at the start of a line it is a label, "(1) 合并…", which Chinese writes （1）
    labels = not text[:start].strip()
    return start >= 0 and end > start + 1 and text[start + 1 : end].isdigit() and k in (start, end) and not labels


def _lines(markdown: str) -> Iterator[tuple[int, str]]:
    """The prose of each inline block: text and math (as ``MATH``), line by line."""
    for token in _parser().parse(markdown):
        if token.type != "inline" or token.map is None:
            continue
        yield from _prose(token.children or [], token.map[0] + 1)


def _prose(children: list[Token], first: int) -> Iterator[tuple[int, str]]:
    line, text = first, ""
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            yield line, text
            line, text = line + 1, ""
        elif child.type == "math_inline":
            text += MATH
        elif child.type == "text":
            text += child.content
        elif child.type == "code_inline":
            text += "x"  # code reads as a Latin word
    yield line, text


@cache
def _parser() -> MarkdownIt:
    # HTML (the documents' comments and anchors) is read as HTML, so that it is not taken for prose
    parser = MarkdownIt("commonmark", {"html": True})
    dollarmath_plugin(parser, allow_space=True, allow_digits=True)
    return parser

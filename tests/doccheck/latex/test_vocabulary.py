"""The vocabulary: every token the lexer's tables make is one the grammar declares, or one the lexer resolves."""

from __future__ import annotations

import re
from importlib import resources

from derive.doccheck.latex.vocabulary import CHARS, SYMBOLS, WORDS

#: token types that never reach the grammar: the lexer turns them into others, or drops them
RESOLVED_BY_THE_LEXER = frozenset(
    (
        "DROP",
        "SPACE",
        "QUAD",
        "SIZE",
        "BAR",
        "DBAR",
        "AMP",
        "ROWSEP",
        "UNDERBRACE",
        "OVERBRACE",
        "WRAP",
        "STACK",
        "XARROW",
        "CANCELTO",
    )
)


def declared() -> set[str]:
    grammar = resources.files("derive.doccheck.latex").joinpath("latex.lark").read_text(encoding="utf-8")
    return {name for line in re.findall(r"^%declare (.*)$", grammar, re.MULTILINE) for name in line.split()}


def test_every_token_of_the_tables_is_declared_or_resolved() -> None:
    made = {kind for kind, _ in WORDS.values()} | {kind for kind, _ in SYMBOLS.values()} | set(CHARS.values())
    assert sorted(made - declared() - RESOLVED_BY_THE_LEXER) == []


def test_what_the_lexer_resolves_is_not_declared() -> None:
    assert sorted(RESOLVED_BY_THE_LEXER & declared()) == []

"""``parse_math``: one display-math block, through lexer, grammar and reader, to rows of statements."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp
from lark import Token, Tree
from lark.exceptions import VisitError

from derive.doccheck.latex.grammar import MAX_OPERATOR_NESTING, MAX_TREE_DEPTH, leaf, parse_row, tree_depth
from derive.doccheck.latex.lexer import Lexer, RowTokens
from derive.doccheck.latex.reader import Reader
from derive.doccheck.latex.vocabulary import ASIDE_WORDS, LAYOUT_SEPARATORS
from derive.exceptions import ParseError
from derive.notation import Notation

# -- the API ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    """``a = b = c`` or one expression. In a continuing row's first statement ``relations`` has one
    more entry than ``items``: the relation from the previous row's last item to ``items[0]``."""

    items: tuple[sp.Basic, ...]
    relations: tuple[str, ...]
    line: int
    column: int
    text: str


@dataclass(frozen=True)
class Row:
    statements: tuple[Statement, ...]
    line: int
    tag: str | None
    continues: bool
    #: the row starts with words that set it aside from a chain (\text{Let} …, \because …): a row
    #: after it that goes on with the chain goes on from the row before it
    aside: bool = False


def parse_math(
    text: str, notation: Notation, *, file: str = "<string>", line: int = 1, column: int = 1, written: bool = False
) -> tuple[Row, ...]:
    """Read the body of one display-math block; ``line``/``column`` are where ``text`` starts.
    ``written`` keeps sums and products unevaluated, in the order written.

    Raises ``ParseError`` (and nothing else) for anything it cannot read with certainty.
    """
    lexer = Lexer(text, file, line, column)
    try:
        parsed = [(row, parse_row(row, lexer)) for row in lexer.rows()]
        # a name written with a conditional bar is a density in the whole block: p(x, z) is then a
        # joint density, not a function; rows before the bar are read again knowing it
        densities: set[str] = set()
        read = tuple(_read_row(row, tree, lexer, Reader(notation, lexer, densities, written)) for row, tree in parsed)
        if densities:
            known = frozenset(densities)
            read = tuple(
                _read_row(row, tree, lexer, Reader(notation, lexer, set(known), written)) for row, tree in parsed
            )
        return read
    except ParseError:
        raise
    except RecursionError:
        raise lexer.error_at("expression nested too deeply", 0, len(text)) from None
    except Exception as e:  # a bug, or SymPy refusing something: still only a ParseError leaves
        raise lexer.error_at(f"cannot read this ({type(e).__name__}: {str(e)[:200]})", 0, len(text)) from None


def _read_row(row: RowTokens, tree: Tree[Token], lexer: Lexer, reader: Reader) -> Row:
    statements: list[Statement] = []
    #: the statements next to words (\text{ that predicts }, \Rightarrow): they may only be mentioned
    mentioned: set[int] = set()
    continues = False
    for k, child in enumerate(tree.children):
        if not isinstance(child, Tree):
            continue
        if _beside_words(tree.children, k):
            mentioned.add(len(statements))
        first, last = leaf(child, 0), leaf(child, -1)
        depth, operators = tree_depth(child)
        if depth > MAX_TREE_DEPTH or operators > MAX_OPERATOR_NESTING:
            raise lexer.error_at("expression nested too deeply", first.start_pos or 0, last.end_pos or 0)
        try:
            items, relations = reader.transform(child)
        except VisitError as e:
            if isinstance(e.orig_exc, ParseError):
                raise e.orig_exc from None
            raise lexer.error_at(
                f"cannot read this ({type(e.orig_exc).__name__}: {str(e.orig_exc)[:200]})",
                first.start_pos or 0,
                last.end_pos or 0,
            ) from None
        start, end = lexer.span(first.start_pos or 0, last.end_pos or 0)
        line, column = lexer.position(start)
        statements.append(Statement(items, relations, line, column, lexer.text[start:end].strip()))
        continues = continues or (child.data == "cont")
    if len(statements) > 1:
        for k, statement in enumerate(statements):
            if not statement.relations and k not in mentioned:
                raise ParseError(
                    "in a row of several statements each must state a relation",
                    file=lexer.file,
                    line=statement.line,
                    column=statement.column,
                    text=statement.text,
                )
    line, _ = lexer.position(row.tokens[0].start)
    opening = row.tokens[0]
    aside = opening.type == "SEP" and opening.value.lower().strip(" ,.:;") in ASIDE_WORDS
    return Row(tuple(statements), line, row.tag, continues, aside)


def _beside_words(children: list[Tree[Token] | Token], k: int) -> bool:
    """Whether the separator before or after statement ``k`` of a row says something in words."""
    around = [children[j] for j in (k - 1, k + 1) if 0 <= j < len(children)]
    return any(isinstance(c, Token) and c.type == "SEP" and c.value not in LAYOUT_SEPARATORS for c in around)

"""The LALR grammar of ``latex.lark``, fed with the lexer's tokens, and its errors in words.

The parser is built once per process, in memory: nothing is loaded from a file another user could
have written (lark's ``cache=True`` would keep a pickle in the shared temporary folder).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any, cast

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedInput, UnexpectedToken
from lark.lexer import Lexer as LarkLexer
from lark.lexer import LexerState

from derive.doccheck.latex.source import RowTokens, Source, shape
from derive.doccheck.latex.vocabulary import BREAKS, INTEGRAL_ENDS
from derive.exceptions import ParseError

#: nesting of the parse tree; a bracket costs about ten levels, \log or \sqrt without braces two or three
MAX_TREE_DEPTH = 800
#: functions and big operators inside each other: SymPy's assumptions grow fast with it
MAX_OPERATOR_NESTING = 24
OPERATORS = frozenset(
    ("bare", "func_closed", "fopen", "bigop", "limit", "grad", "partial", "derivative", "expect", "divergence")
)

# -- the grammar ---------------------------------------------------------------------------------------


class TokenFeed(LarkLexer):
    """Hands the grammar the tokens that ``Source`` made."""

    __future_interface__ = 2

    def __init__(self, lexer_conf: Any) -> None:
        pass

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        return iter(cast("list[Token]", lexer_state.text))


@cache
def _parser() -> Lark:
    # built once per process (a quarter of a second), never cached on disk: lark's cache is a
    # pickle, and loading a pickle runs whatever code its author put in it
    return Lark.open_from_package(
        "derive.doccheck.latex", "latex.lark", ("",), parser="lalr", lexer=TokenFeed, strict=True, start="row"
    )


#: what to call an unexpected token of these types
UNEXPECTED = {
    "TEXT": "text inside an expression",
    "GIVEN": "a conditional bar outside a density q(a | b)",
    "SEMI": r"';' outside \mathcal{N}(z; mean, variance I)",
    "DOTS": r"\dots outside a range \{1, \dots, T\}",
    "TO": r"\to outside \lim_{v \to a}",
    "BB": r"\mathbb outside a set after \in",
    "CAL_N": r"\mathcal{N} without (z; mean, variance I)",
    "SIM": r"\sim outside x \sim \mathcal{N}(mean, variance) or an expectation's \mathbb{E}_{x \sim …}",
    "MIDBAR": r"a \| between two arguments belongs in a divergence D_{\mathrm{KL}}(p \| q), once",
    "PARTIAL": r"\partial outside \frac{\partial}{\partial x} f or \frac{\partial f}{\partial x}",
}
#: what an expectation must look like, in errors
EXPECTATION = r"\mathbb{E}_{x \sim \mathcal{N}(\mu, \sigma^2)}[...]"


def parse_row(row: RowTokens, lexer: Source) -> Tree[Token]:
    """The parse tree of one row; a token the grammar does not expect is a located ``ParseError``."""
    try:
        return _parser().parse(lexer.lark_tokens(row))
    except UnexpectedToken as e:
        raise _unexpected(e, row, lexer) from None
    except UnexpectedInput:
        raise lexer.error("cannot parse this", row.tokens[0], row.tokens[-1]) from None


def _unexpected(error: UnexpectedToken, row: RowTokens, lexer: Source) -> ParseError:
    token = error.token
    toks = row.tokens
    at_end = token.type == "$END"
    k = len(toks) if at_end else next((j for j, t in enumerate(toks) if t.start == token.start_pos), None)
    if k is not None:
        unfinished = _unfinished_expectation(error, row, k)
        if unfinished is not None:
            message, first = unfinished
            return lexer.error(message, toks[first], toks[min(k, len(toks) - 1)])
        stack = error.interactive_parser.parser_state.value_stack
        integral = next((v for v in reversed(stack) if isinstance(v, Token) and v.type == "INT"), None)
        if integral is not None and token.type in ("$END", *INTEGRAL_ENDS):
            first = next(j for j, t in enumerate(toks) if t.start == integral.start_pos)
            return lexer.error(r"an integral needs its differential: \int f(x)\, dx", toks[first], toks[k - 1])
    if at_end:
        if toks[-1].type == "BB":  # \mathbb{R} alone
            return lexer.error(UNEXPECTED["BB"], toks[-1])
        return lexer.error("the statement ends too early, after", toks[-1])
    if k is not None:
        if k > 0 and toks[k - 1].type == "CAL_N":
            return lexer.error(UNEXPECTED["CAL_N"], toks[k - 1], toks[k])
        if k > 0 and toks[k - 1].type == "SIM":
            return lexer.error(r"after \sim, a distribution \mathcal{N}(mean, variance)", toks[k - 1], toks[k])
        if k > 0 and toks[k - 1].type == "NABLA":
            return lexer.error(r"\nabla needs its variable: \nabla_{x} f", toks[k - 1], toks[k])
        if k > 0 and toks[k - 1].type in ("BIGOP", "LIM"):
            return lexer.error(
                f"{lexer.source(toks[k - 1])} needs its limits: _{{i=1}}^{{n}}, _{{v \\to a}}", toks[k - 1]
            )
        for j in range(k - 1, -1, -1):  # what is it that cannot go on?
            if toks[j].depth > toks[k].depth:
                continue
            if toks[j].depth < toks[k].depth:
                break
            if toks[j].type == "SLASH":
                return lexer.error("ambiguous: a/b c; write \\frac{a}{b c} or \\frac{a}{b} c", toks[j], toks[k])
            if toks[j].type in BREAKS:
                break
            if toks[j].type == "FUNC" and toks[j + 1].type not in ("LPAR", "LBRACK", "LSET"):
                return lexer.error(
                    f"ambiguous: what follows the unbracketed argument of \\{toks[j].value}; use parentheses",
                    toks[j],
                    toks[k],
                )
    return lexer.error_at(UNEXPECTED.get(token.type, "unexpected"), token.start_pos or 0, token.end_pos or 0)


def _unfinished_expectation(error: UnexpectedToken, row: RowTokens, k: int) -> tuple[str, int] | None:
    """When the parser stopped at token ``k`` inside the Gaussian head of an expectation, what is
    missing, and where the expectation starts."""
    # a \mathbb{E} still on the parser's stack (not after \in) is an expectation not yet complete
    stack = error.interactive_parser.parser_state.value_stack
    opened = [
        s
        for s, v in enumerate(stack)
        if isinstance(v, Token)
        and v.type == "BB"
        and v.value == "E"
        and not (s > 0 and isinstance(stack[s - 1], Token) and stack[s - 1].type == "IN")
    ]
    if not opened:
        return None
    toks = row.tokens
    first = next(j for j, t in enumerate(toks) if t.start == stack[opened[-1]].start_pos)
    if shape(toks[first + 1 : first + 3])[:2] != (("SUB", "_"), ("LBRACE", "{")):
        return None  # any other expectation reads whatever its subscript: the error is where it is
    opening = toks[first + 2]
    close = next(j for j in range(first + 3, len(toks)) if toks[j].type == "RBRACE" and toks[j].depth == opening.depth)
    if k <= close:
        return f"an expectation needs its distribution: {EXPECTATION}", first
    return None


def leaf(tree: Tree[Token], end: int) -> Token:
    """The first (end=0) or last (end=-1) token under a node."""
    node: Tree[Token] | Token = tree
    while isinstance(node, Tree):
        node = node.children[end]
    return node


def tree_depth(tree: Tree[Token]) -> tuple[int, int]:
    """How deep the tree is, and how deeply functions and big operators nest in it."""
    deepest = deepest_operator = 0
    stack: list[tuple[Tree[Token] | Token, int, int]] = [(tree, 1, 0)]
    while stack:
        node, depth, operators = stack.pop()
        if not isinstance(node, Tree):
            continue
        operators += node.data in OPERATORS
        deepest, deepest_operator = max(deepest, depth), max(deepest_operator, operators)
        if deepest > MAX_TREE_DEPTH or deepest_operator > MAX_OPERATOR_NESTING:
            break
        # a juxtaposition x y z … is a left-leaning chain in the tree but a flat product in SymPy
        flat = node.data in ("jn", "jo")
        for child in node.children:
            chain = flat and isinstance(child, Tree) and child.data in ("jn", "jo")
            stack.append((child, depth if chain else depth + 1, operators))
    return deepest, deepest_operator

"""The text of one block of math, its tokens, and errors located in it: what every pass of the lexer shares."""

from __future__ import annotations

from dataclasses import dataclass

from lark import Token

from derive.exceptions import ParseError


@dataclass
class Tok:
    type: str
    value: str
    start: int
    end: int
    #: whitespace comes right before it
    space: bool = False
    #: how many brackets and braces are open around it
    depth: int = 0


@dataclass
class RowTokens:
    tokens: list[Tok]
    tag: str | None


class Source:
    """The text of one block of math: where each offset is, and errors located in it."""

    def __init__(self, text: str, file: str, line: int, column: int) -> None:
        self.text, self.file, self.line, self.column = text, file, line, column
        self._newlines = [k for k, c in enumerate(text) if c == "\n"]
        #: removed wrappers (colour, underbrace), by start and by end, to give statements their whole text
        self._hidden_from: dict[int, int] = {}
        self._hidden_to: dict[int, int] = {}

    def position(self, offset: int) -> tuple[int, int]:
        """Absolute line and column of an offset into the text."""
        lo, hi = 0, len(self._newlines)
        while lo < hi:  # count the newlines before offset
            mid = (lo + hi) // 2
            if self._newlines[mid] < offset:
                lo = mid + 1
            else:
                hi = mid
        if lo == 0:
            return self.line, self.column + offset
        return self.line + lo, offset - self._newlines[lo - 1]

    def error_at(self, message: str, start: int, end: int) -> ParseError:
        line, column = self.position(start)
        return ParseError(message, file=self.file, line=line, column=column, text=self.text[start:end])

    def error(self, message: str, first: Tok, last: Tok | None = None) -> ParseError:
        return self.error_at(message, first.start, (last or first).end)

    def source(self, first: Tok, last: Tok | None = None) -> str:
        return self.text[first.start : (last or first).end]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span widened over removed tokens around it: ``\\color{red}{x}`` rather than ``x``."""
        while True:
            before = start
            while before > 0 and self.text[before - 1] in " \t\r\n":
                before -= 1
            if before not in self._hidden_to:
                break
            start = self._hidden_to[before]
        while True:
            after = end
            while after < len(self.text) and self.text[after] in " \t\r\n":
                after += 1
            if after not in self._hidden_from:
                break
            end = self._hidden_from[after]
        return start, end

    def hide(self, tok: Tok) -> None:
        self._hidden_from[tok.start] = tok.end
        self._hidden_to[tok.end] = tok.start

    def braces(self, toks: list[Tok]) -> dict[int, int]:
        """Matching braces, both ways; unbalanced braces are an error."""
        match: dict[int, int] = {}
        stack: list[int] = []
        for k, tok in enumerate(toks):
            if tok.type == "LBRACE":
                stack.append(k)
            elif tok.type == "RBRACE":
                if not stack:
                    raise self.error("unbalanced braces: no { for this }", tok)
                opening = stack.pop()
                match[opening], match[k] = k, opening
        if stack:
            raise self.error("unbalanced braces: this { is not closed", toks[stack[-1]])
        return match

    def lark_tokens(self, row: RowTokens) -> list[Token]:
        out = []
        for tok in row.tokens:
            line, column = self.position(tok.start)
            end_line, end_column = self.position(tok.end)
            out.append(Token(tok.type, tok.value, tok.start, line, column, end_line, end_column, tok.end))
        return out


def shape(toks: list[Tok]) -> tuple[tuple[str, str], ...]:
    return tuple((t.type, t.value) for t in toks)

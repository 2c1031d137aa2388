"""Text to tokens, tokens to rows: everything before the grammar, as a pipeline of passes.

``scanner`` turns characters into tokens; ``constructs`` rewrites the tokens of each construct
(colour, expectations, divergences, the roles of ``|`` and ``\\|``, primes, labels, differentials …);
``rows`` splits environments into rows and decides what separates statements.
"""

from __future__ import annotations

from derive.doccheck.latex import constructs as c
from derive.doccheck.latex.rows import split_rows
from derive.doccheck.latex.scanner import scan
from derive.doccheck.latex.source import RowTokens, Source


class Lexer(Source):
    """Text to tokens, tokens to rows."""

    def rows(self) -> list[RowTokens]:
        toks = c.invisible(self, c.stacked(self, scan(self)))
        toks = c.inner_environments(self, toks)
        toks = c.divergences(self, c.expectations(self, c.normals(self, c.roots(self, toks))))
        toks = c.differentials(self, c.labels(self, c.postfix(self, c.delimiters(self, toks))))
        return split_rows(self, c.sides(self, c.arguments(self, toks)))


__all__ = ["Lexer", "RowTokens"]

"""The lexer: every pass, in order, from the text of a block to the rows the grammar reads."""

from __future__ import annotations

from derive.doccheck.latex.lexer import Lexer


def test_a_block_goes_through_every_pass_in_order() -> None:
    # colour (invisible), \mathbb{E}_q (expectations), D_{KL}( \| ) (divergences and bars), a prime
    # (postfix), a label (labels), \, dz (differentials), \frac12 (arguments), rows and a column (rows)
    text = (
        r"\begin{aligned} L_{VLB} &= \color{red}{\mathbb{E}_q[D_{KL}(q(x) \| p(x))]} \\"
        r" &= \int x' \, dz + \frac12 & a &= b \end{aligned}"
    )
    first, second = Lexer(text, "doc.md", 1, 1).rows()
    assert [t.type for t in first.tokens] == [
        "LETTER", "SUB", "LABEL", "EQ", "BB", "ESUB", "LBRACK", "KL", "LPAR", "LETTER", "LPAR", "LETTER", "RPAR",
        "MIDBAR", "LETTER", "LPAR", "LETTER", "RPAR", "RPAR", "RBRACK",
    ]  # fmt: skip
    assert [t.type for t in second.tokens] == [
        "EQ", "INT", "LETTER", "PRIME", "DIFF", "LETTER", "PLUS", "FRAC", "NUMBER", "NUMBER", "SEP", "LETTER", "EQ",
        "LETTER",
    ]  # fmt: skip


def test_the_grammar_gets_tokens_located_in_the_document() -> None:
    lexer = Lexer("a\n  = b", "doc.md", 10, 5)
    (row,) = lexer.rows()
    located = [(t.type, t.line, t.column) for t in lexer.lark_tokens(row)]
    assert located == [("LETTER", 10, 5), ("EQ", 11, 3), ("LETTER", 11, 5)]

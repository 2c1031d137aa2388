"""Tokens to rows: environments, row breaks, alignment, tags, and what separates statements in a row
(words, \\quad, columns), with labels, ranges and asides."""

from __future__ import annotations

from derive.doccheck.latex.source import RowTokens, Source, Tok
from derive.doccheck.latex.vocabulary import (
    ALIGNING,
    BINARY,
    CLOSERS,
    ENVIRONMENTS,
    OPERAND_END,
    OPERATORS_WITH_SCRIPTS,
    SEPARATOR_WORDS,
)


def split_rows(src: Source, toks: list[Tok]) -> list[RowTokens]:
    """The rows of a block's tokens: an environment's, rows broken by \\\\, or one row."""
    if not any(t.type != "TAG" for t in toks):
        raise src.error_at("empty math", 0, len(src.text))
    if next((t.type for t in toks if t.type not in ("TAG", "SEP")), None) == "BEGIN":  # \therefore \begin{…}
        rows = _environment(src, [t for t in toks if t.type != "SEP" or t.depth > 0 or t.start > _begin(toks)])
    else:
        for tok in toks:
            if tok.type in ("BEGIN", "END"):
                raise src.error("an environment must enclose the whole block", tok)
        # rows broken by \\ without an environment, as MathJax and KaTeX show them: a gather
        rows = _split(src, toks, "display") if any(t.type == "ROWSEP" for t in toks) else []
        rows = rows or [r for r in [_row(src, toks, aligning=False)] if r is not None]
    if not rows and not any(t.type in ("SEP", "DOTS") for t in toks):  # \Downarrow alone says nothing
        raise src.error_at("empty math", 0, len(src.text))
    return rows


def _environment(src: Source, toks: list[Tok]) -> list[RowTokens]:
    start = next(k for k, t in enumerate(toks) if t.type == "BEGIN")
    begin = toks[start]
    if begin.value not in ENVIRONMENTS:
        raise src.error(f"unsupported environment {begin.value!r}", begin)
    depth, end = 0, None
    for k in range(start, len(toks)):
        depth += {"BEGIN": 1, "END": -1}.get(toks[k].type, 0)
        if depth == 0:
            end = k
            break
    if end is None:
        raise src.error(rf"\begin{{{begin.value}}} without \end", begin)
    if toks[end].value != begin.value:
        raise src.error(rf"\begin{{{begin.value}}} ended by \end{{{toks[end].value}}}", toks[end])
    outside = toks[:start] + toks[end + 1 :]
    for tok in outside:
        if tok.type not in ("TAG", "PERIOD", "COMMA"):
            raise src.error(rf"something outside \begin{{{begin.value}}} … \end{{{begin.value}}}", tok)
    content = toks[start + 1 : end]
    if len(content) >= 3 and content[0].type == "LBRACK" and not content[0].space and content[2].type == "RBRACK":
        content = content[3:]  # \begin{aligned}[t]
    if begin.value.startswith("equation"):
        if any(t.type == "BEGIN" for t in content):
            rows = _environment(src, content)
        else:
            for tok in content:
                if tok.type in ("END", "ROWSEP", "AMP"):
                    raise src.error(f"{src.source(tok)} in {begin.value}", tok)
            rows = [r for r in [_row(src, content, aligning=False)] if r is not None]
    else:
        rows = _split(src, content, begin.value)
    tags = [t for t in outside if t.type == "TAG"]
    if tags:
        if len(tags) > 1 or not rows or rows[-1].tag is not None:
            raise src.error("more than one tag", tags[-1])
        rows[-1].tag = tags[0].value
    return rows


def _split(src: Source, content: list[Tok], environment: str) -> list[RowTokens]:
    lines: list[list[Tok]] = [[]]
    k = 0
    while k < len(content):
        tok = content[k]
        k += 1
        if tok.type in ("BEGIN", "END"):
            raise src.error(f"an environment inside {environment}", tok)
        if tok.type == "AMP" and environment not in ALIGNING:
            where = f"in {environment}" if environment != "display" else "outside an alignment environment"
            raise src.error(f"& {where}", tok)
        if tok.type == "ROWSEP":
            lines.append([])
            if k < len(content) and content[k].type == "LBRACK" and not content[k].space:
                k = _spacing(src, content, k)
            continue
        lines[-1].append(tok)
    rows: list[RowTokens] = []
    for line in lines:
        joins = _joins_previous(line)
        row = _row(src, line, aligning=True)
        if row is None:
            continue
        if not joins:
            rows.append(row)
            continue
        if not rows:
            raise src.error("this row goes on from nothing", line[0])
        previous = rows[-1]
        if row.tag is not None and previous.tag is not None:
            raise src.error("more than one tag", line[0])
        previous.tokens.extend(row.tokens)
        previous.tag = previous.tag or row.tag
    return rows


def _spacing(src: Source, content: list[Tok], k: int) -> int:
    r"""Skip the [2pt] of \\[2pt]; anything but a length there is an error, as in LaTeX."""
    close = next((j for j in range(k, len(content)) if content[j].type == "RBRACK"), None)
    inside = content[k + 1 : close] if close is not None else []
    if inside and inside[0].type == "MINUS":
        inside = inside[1:]
    if close is None or not inside or inside[0].type != "NUMBER" or any(t.type != "LETTER" for t in inside[1:]):
        raise src.error(r"\\[ reads a spacing such as \\[2pt]; put a space before a bracket", content[k])
    return close + 1


def _row(src: Source, line: list[Tok], *, aligning: bool) -> RowTokens | None:
    """A row's tokens for the grammar and its tag; None when nothing is in it."""
    tags = [t for t in line if t.type == "TAG"]
    if len(tags) > 1:
        raise src.error("more than one tag", tags[1])
    tag = tags[0].value if tags else None
    toks: list[Tok] = []
    ampersands = 0
    for tok in line:
        if tok.type == "AMP":
            if not aligning:
                raise src.error("& outside an alignment environment", tok)
            ampersands += 1
            if ampersands % 2 == 0:  # a column: & number 2, 4 …
                toks.append(Tok("SEP", "&", tok.start, tok.end, tok.space, tok.depth))
        elif tok.type != "TAG":
            toks.append(tok)
    toks, trailing = _trailing_tag(toks)
    if trailing is not None:
        if tag is not None:
            raise src.error("more than one tag", trailing[0], trailing[-1])
        tag = src.text[trailing[0].end : trailing[-1].start].strip()
    toks = _aside(_ranges(_separators(src, _colons(toks))))
    if all(t.type in ("SEP", "COMMA", "PERIOD", "DOTS") for t in toks):  # \Downarrow or \vdots alone
        if tags:
            raise src.error("a tag without math", tags[0])
        return None
    return RowTokens(toks, tag)


def _separators(src: Source, toks: list[Tok]) -> list[Tok]:
    r"""Decide what each \text and \quad is: a constant, a separator, a comment or a space."""
    kept: list[Tok] = []
    for k, tok in enumerate(toks):
        if tok.type == "TEXT":
            word = tok.value.strip(" ,:;").lower()
            if word in ("const", "const."):
                tok.type = "CONST"
            elif tok.depth == 0 and (word in SEPARATOR_WORDS or word.rstrip(".") in SEPARATOR_WORDS):
                tok.type = "SEP"
            elif tok.depth == 0 and _comment(toks, k, kept):
                continue
            elif tok.value.isascii() and tok.value.isalpha() and len(tok.value) > 1:
                tok.type = "WORD"  # \text{ELBO}, L_{\text{simple}}: a name
            elif tok.depth == 0 and _operand_expected(kept, toks[k + 1 : k + 2]):
                tok.type, tok.value = "OPAQUE", f"a term in words: {tok.value}"  # + \text{cross terms}
            elif tok.depth == 0:
                tok.type = "SEP"  # prose between formulas: \text{ that predicts }
        kept.append(tok)
    out: list[Tok] = []
    for k, tok in enumerate(kept):
        if tok.type != "QUAD":
            out.append(tok)
            continue
        following = next((t for t in kept[k + 1 :] if t.type != "QUAD"), None)
        separates = (
            tok.depth == 0
            and bool(out)
            and out[-1].type in OPERAND_END
            and not _operator_script(out)
            and following is not None
            and following.type not in BINARY | {"EQ", "REL", "IN", "SIM", "SEP", "COMMA", "PERIOD"}
            and following.type not in CLOSERS
        )
        if separates:
            out.append(Tok("SEP", tok.value, tok.start, tok.end, tok.space, 0))
    return out


def _joins_previous(line: list[Tok]) -> bool:
    """``&+ …``, ``&\\quad - …``: the row goes on with the previous row's expression."""
    if not line or line[0].type != "AMP":
        return False
    rest = [t for t in line[1:] if t.type not in ("QUAD", "TAG")]
    return bool(rest) and rest[0].type in ("PLUS", "MINUS", "CDOT", "TIMES")


def _trailing_tag(toks: list[Tok]) -> tuple[list[Tok], list[Tok] | None]:
    """``… && (71)`` or ``… \\qquad (71)``: the (71) is a tag. Returns the rest and the tag's tokens."""
    if len(toks) < 4 or toks[-1].type != "RPAR":
        return toks, None
    opening = max(k for k, t in enumerate(toks) if t.type == "LPAR") if any(t.type == "LPAR" for t in toks) else -1
    if opening < 1 or toks[opening].depth != 0:
        return toks, None
    inside = toks[opening + 1 : -1]
    if not inside or any(t.type not in ("NUMBER", "LETTER", "PERIOD", "MINUS") for t in inside):
        return toks, None
    if toks[opening - 1].type not in ("SEP", "QUAD") or toks[opening - 1].value not in ("&", "qquad", "quad"):
        return toks, None
    return toks[: opening - 1], toks[opening:]


def _operand_expected(before: list[Tok], after: list[Tok]) -> bool:
    """Whether a term goes here: after an operator or a relation, or first before a relation."""
    if before and before[-1].type in BINARY | {"EQ", "REL", "IN"}:
        return True
    return (not before or before[-1].type == "SEP") and bool(after) and after[0].type in ("EQ", "REL")


def _operator_script(before: list[Tok]) -> bool:
    """Whether ``before`` ends with the subscript of an operator still waiting for its operand: ``\\max_{\\theta}``."""
    k = len(before) - 1
    if before[k].type == "RBRACE":
        depth = 0
        while k >= 0:
            depth += {"RBRACE": 1, "LBRACE": -1}.get(before[k].type, 0)
            if depth == 0:
                break
            k -= 1
    return k >= 2 and before[k - 1].type == "SUB" and before[k - 2].type in OPERATORS_WITH_SCRIPTS


def _aside(toks: list[Tok]) -> list[Tok]:
    """A bracket at the end of a row that holds a statement of its own, aside: ``… \\quad (\\alpha_t =
    1 - \\beta_t)``, ``… \\epsilon\\ (\\epsilon \\sim \\mathcal{N}(0, I))``; or only words, a comment:
    ``\\quad (\\text{by the trick})``."""
    if len(toks) < 4 or toks[-1].type != "RPAR" or toks[-1].depth != 0:
        return toks
    opening = max((k for k, t in enumerate(toks) if t.type == "LPAR" and t.depth == 0), default=0)
    inside = toks[opening + 1 : -1]
    if opening == 0 or not inside:
        return toks
    after_separator = toks[opening - 1].type == "SEP"
    if after_separator and all(t.type in ("TEXT", "WORD") for t in inside):
        return toks[:opening]
    top = [t.type for t in inside if t.depth == 1]
    drawn = "SIM" in top and "GIVEN" not in top  # never a condition q(x | y = a)
    if not (drawn or (after_separator and ("EQ" in top or "REL" in top))):
        return toks
    lowered = [Tok(t.type, t.value, t.start, t.end, t.space, t.depth - 1) for t in inside]
    separator = [] if after_separator else [Tok("SEP", "quad", toks[opening].start, toks[opening].start)]
    return [*toks[:opening], *separator, *lowered]


def _colons(toks: list[Tok]) -> list[Tok]:
    """``:=`` is one relation; ``\\text{forward process}:`` before a statement is its label, dropped."""
    out: list[Tok] = []
    for tok in toks:
        if tok.type == "EQ" and out and out[-1].type == "COLON":
            colon = out.pop()
            out.append(Tok("REL", ":=", colon.start, tok.end, colon.space, tok.depth))
            continue
        if tok.type == "COLON" and out and out[-1].type == "EQ":  # b =: a names a
            equals = out.pop()
            out.append(Tok("REL", "=:", equals.start, tok.end, equals.space, tok.depth))
            continue
        if tok.type == "COLON" and tok.depth == 0:
            start = len(out)
            while start > 0 and out[start - 1].type in ("TEXT", "WORD"):
                start -= 1
            if start < len(out) and (start == 0 or out[start - 1].type == "SEP"):
                del out[start:]
                continue
        out.append(tok)
    return out


def _ranges(toks: list[Tok]) -> list[Tok]:
    """``t = 1, \\dots, T`` at the top level states the range ``t \\in \\{1, \\dots, T\\}``."""
    for k, tok in enumerate(toks):
        if not (tok.type == "DOTS" and tok.depth == 0 and 0 < k < len(toks) - 1):
            continue
        if toks[k - 1].type != "COMMA" or toks[k + 1].type != "COMMA":
            continue
        top = [j for j in range(k) if toks[j].depth == 0 and toks[j].type in ("EQ", "REL", "IN", "SEP", "COMMA")]
        commas = [j for j in top if toks[j].type == "COMMA"]
        relations = [j for j in top if toks[j].type != "COMMA"]
        if (
            not relations
            or toks[relations[-1]].type != "EQ"
            or not 1 <= len([c for c in commas if c > relations[-1]]) <= 2
        ):
            continue
        equals = relations[-1]
        end = next(
            (j for j in range(k + 2, len(toks)) if toks[j].depth == 0 and toks[j].type in ("COMMA", "SEP", "PERIOD")),
            len(toks),
        )
        eq = toks[equals]
        inside = [Tok(t.type, t.value, t.start, t.end, t.space, t.depth + 1) for t in toks[equals + 1 : end]]
        return [
            *toks[:equals],
            Tok("IN", "in", eq.start, eq.end, eq.space),
            Tok("LSET", "{", eq.end, eq.end),
            *inside,
            Tok("RSET", "}", toks[end - 1].end, toks[end - 1].end),
            *_ranges(toks[end:]),
        ]
    return toks


def _comment(toks: list[Tok], k: int, before: list[Tok]) -> bool:
    """A \\text after a separator that ends its row (``&& \\text{by (3)}``) is a comment on the math."""
    if before and before[-1].type not in ("SEP", "QUAD", "COMMA"):
        return False
    return all(t.type in ("TEXT", "QUAD", "PERIOD", "SEP", "COMMA") for t in toks[k + 1 :])


def _begin(toks: list[Tok]) -> int:
    """Where the first environment starts."""
    return next(t.start for t in toks if t.type == "BEGIN")

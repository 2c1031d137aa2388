"""What the tokens of each construct become before the grammar, one pass each: colour and boxes,
notes over relations, roots, normal distributions, expectations, matrices, divergences, brackets
and bars, primes, labels, differentials, one-token arguments, one-sided limits."""

from __future__ import annotations

from itertools import pairwise

from derive.doccheck.latex.source import Source, Tok, shape
from derive.doccheck.latex.vocabulary import (
    CLOSERS,
    DEFINING_NOTES,
    DIFFERENTIAL_RUN,
    DIVERGENCE_NAMES,
    INDEX_ATOMS,
    INNER_ENVIRONMENTS,
    INTEGRAL_ENDS,
    MAX_BRACKETS,
    OPENERS,
    OPERAND_END,
)


def invisible(src: Source, toks: list[Tok]) -> list[Tok]:
    r"""Remove \color and \textcolor with the braces of their group, \boxed and \cancel likewise,
    \underbrace and its label."""
    match = src.braces(toks)
    skip: set[int] = set()
    for k, tok in enumerate(toks):
        if k in skip:
            continue
        following = k + 1
        if tok.type in ("COLOR", "TEXTCOLOR", "WRAP"):
            skip.add(k)
            if following < len(toks) and toks[following].type == "LBRACE":
                skip.update((following, match[following]))
            elif tok.type != "COLOR":
                raise src.error(f"{src.source(tok)} needs {{…}}", tok)
        elif tok.type in ("UNDERBRACE", "OVERBRACE"):
            skip.add(k)
            if following >= len(toks) or toks[following].type != "LBRACE":
                raise src.error(f"{src.source(tok)} needs {{…}}", tok)
            label = match[following] + 1
            if label < len(toks) and toks[label].type == ("SUB" if tok.type == "UNDERBRACE" else "SUP"):
                argument = label + 1
                if argument >= len(toks):
                    raise src.error("a script without argument", toks[label])
                last = match.get(argument, argument) if toks[argument].type == "LBRACE" else argument
                skip.update(range(label, last + 1))
    for k in skip:
        src.hide(toks[k])
    return [tok for k, tok in enumerate(toks) if k not in skip]


def stacked(src: Source, toks: list[Tok]) -> list[Tok]:
    r"""``\overset{a}{=}`` and ``\stackrel{a}{=}`` are the relation with a note over it (a definition
    when the note says so); ``\underset{\theta}{\min}`` is ``\min_{\theta}``; ``\arg\max`` is one
    operator; ``\xrightarrow{a}`` leads from one statement to the next."""
    match = src.braces(toks)
    out: list[Tok] = []
    k = 0
    while k < len(toks):
        tok = toks[k]
        if tok.type == "ARG" and k + 1 < len(toks) and toks[k + 1].type == "OPT":
            tok = Tok("OPT", "arg" + toks[k + 1].value, tok.start, toks[k + 1].end, tok.space)
            k += 1
        if tok.type == "OPT" and k + 1 < len(toks) and toks[k + 1].type not in ("SUB", "LPAR", "SIZE", "STACK"):
            out.append(Tok("OPTOPEN", tok.value, tok.start, tok.end, tok.space))  # \min L
            k += 1
            continue
        if tok.type == "XARROW":
            k = _after_group(src, toks, _after_option(toks, k + 1), match, optional=True)
            out.append(Tok("SEP", tok.value, tok.start, toks[k - 1].end, tok.space))
            continue
        if tok.type == "CANCELTO":  # \cancelto{v}{x}: x, said to become v
            end = _after_group(src, toks, _after_group(src, toks, k + 1, match), match)
            for hidden in toks[k + 1 : end]:
                src.hide(hidden)
            out.append(Tok("OPAQUE", r"a term said to vanish (\cancelto)", tok.start, toks[end - 1].end, tok.space))
            k = end
            continue
        if tok.type != "STACK":
            out.append(tok)
            k += 1
            continue
        first = k + 1
        second = _after_group(src, toks, first, match)
        end = _after_group(src, toks, second, match)
        note, body = toks[first + 1 : second - 1], toks[second + 1 : end - 1]
        if len(body) == 1 and body[0].type in ("TO", "SEP"):  # x_0 \overset{q(x_1|x_0)}{\rightarrow} x_1
            out.append(Tok("SEP", "rightarrow", tok.start, toks[end - 1].end, tok.space))
        elif len(body) == 1 and body[0].type in ("EQ", "REL", "SIM"):
            written = "".join(t.value for t in note).strip()
            kind, value = body[0].type, body[0].value
            if kind == "EQ" and written in DEFINING_NOTES:
                kind, value = "REL", ":="
            out.append(Tok(kind, value, tok.start, toks[end - 1].end, tok.space))
        elif tok.value == "underset":
            out.extend(body)
            out.append(Tok("SUB", "_", toks[first].start, toks[first].start))
            out.extend(toks[first:second])
        else:
            raise src.error(f"{src.source(tok)} over something other than a relation", tok, toks[end - 1])
        k = end
    return out


def _after_group(src: Source, toks: list[Tok], k: int, match: dict[int, int], *, optional: bool = False) -> int:
    """Where the {…} argument starting at ``k`` ends (one past its brace); ``optional``: it may be missing."""
    if k < len(toks) and toks[k].type == "LBRACE":
        return match[k] + 1
    if optional:
        return k
    raise src.error("expected {…} here", toks[min(k, len(toks) - 1)])


def roots(src: Source, toks: list[Tok]) -> list[Tok]:
    r"""``\sqrt{\alpha}_t`` is ``\sqrt{\alpha_t}``: the subscript of a lone name under a root is the name's."""
    out = list(toks)
    k = 0
    while k + 5 < len(out):
        window = [t.type for t in out[k : k + 5]]
        if window[:2] == ["SQRT", "LBRACE"] and window[2] in ("GREEK", "LETTER") and window[3:] == ["RBRACE", "SUB"]:
            end = k + 6
            if out[k + 5].type == "LBRACE":
                end = src.braces(out)[k + 5] + 1
            closing = out[k + 3]
            out[k + 3 : end] = [*out[k + 4 : end], closing]
        k += 1
    return out


def normals(src: Source, toks: list[Tok]) -> list[Tok]:
    r"""``N(x; m, v)`` and ``\mathbb{N}(x; m, v)``, with the ``;`` of a density, or an ``N(m, v)`` after
    ``\sim``, are the normal distribution ``\mathcal{N}``, as authors write it without \mathcal."""
    out: list[Tok] = []
    for k, tok in enumerate(toks):
        named = tok.type in ("LETTER", "BB") and tok.value == "N"
        if named and _normal_follows(toks, k + 1) and not (out and out[-1].type in ("BOLD", "ACCENT", "SUB")):
            after_sim = bool(out) and out[-1].type == "SIM"
            if after_sim or _semicolon_inside(toks, k + 1):
                out.append(Tok("CAL_N", r"\mathcal{N}", tok.start, tok.end, tok.space))
                continue
        out.append(tok)
    return out


def expectations(src: Source, toks: list[Tok]) -> list[Tok]:
    r"""``\mathbb{E}``, or a plain ``E`` before ``[`` or before a subscript with ``\sim``, is an
    expectation. Its subscript is kept as tokens when it is the Gaussian ``x \sim \mathcal{N}(…)``,
    which the engine can use; any other subscript becomes one ESUB token with the text as written
    (a distribution the engine cannot use, only named in the report). Without a bracket after
    it, the head is EOPEN: the expectation of the rest of the product, as for ``\sum``."""
    match = src.braces(toks)
    out: list[Tok] = []
    k = 0
    while k < len(toks):
        tok = toks[k]
        plain = tok.type == "LETTER" and tok.value == "E" and _plain_expectation(toks, k, match)
        if not (plain or (tok.type == "BB" and tok.value == "E")):
            out.append(tok)
            k += 1
            continue
        head = Tok("BB", "E", tok.start, tok.end, tok.space)
        out.append(head)
        k += 1
        if k + 1 < len(toks) and toks[k].type == "SUB":
            script = toks[k + 1]
            braced = script.type == "LBRACE"
            end = match[k + 1] if braced else k + 1
            inner = toks[k + 2 : end] if braced else [script]
            gaussian = any(a.type == "SIM" and b.type == "CAL_N" for a, b in pairwise(inner))
            if gaussian and _bracket_follows(toks, end + 1):
                continue  # the Gaussian form, for the grammar
            start, stop = (script.end, toks[end].start) if braced else (script.start, script.end)
            written = " ".join(src.text[start:stop].split())
            out.append(Tok("ESUB", written, toks[k].start, toks[end].end, toks[k].space))
            k = end + 1
        if not _bracket_follows(toks, k):
            head.type = "EOPEN"
    return out


def inner_environments(src: Source, toks: list[Tok]) -> list[Tok]:
    r"""A matrix or ``cases`` inside a formula is one OPAQUE token: read, named, never decided."""
    out: list[Tok] = []
    k = 0
    while k < len(toks):
        tok = toks[k]
        if tok.type != "BEGIN" or tok.value not in INNER_ENVIRONMENTS:
            out.append(tok)
            k += 1
            continue
        depth, end = 0, None
        for j in range(k, len(toks)):
            depth += {"BEGIN": 1, "END": -1}.get(toks[j].type, 0)
            if depth == 0:
                end = j
                break
        if end is None:
            raise src.error(rf"\begin{{{tok.value}}} without \end", tok)
        for j in range(k + 1, end + 1):
            src.hide(toks[j])
        out.append(Tok("OPAQUE", INNER_ENVIRONMENTS[tok.value], tok.start, toks[end].end, tok.space))
        k = end + 1
    return out


def divergences(src: Source, toks: list[Tok]) -> list[Tok]:
    r"""The name of a divergence followed by ``(`` becomes one KL token: ``D_{\mathrm{KL}}``,
    ``D_{\text{KL}}``, ``D_\mathrm{KL}``, ``D_{KL}``, ``\mathrm{KL}``, ``\operatorname{KL}``."""
    out: list[Tok] = []
    k = 0
    while k < len(toks):
        length = next((len(name) for name in DIVERGENCE_NAMES if shape(toks[k : k + len(name)]) == name), 0)
        after = toks[k + length : k + length + 2]
        opens = bool(after) and (
            after[0].type == "LPAR" or (after[0].type == "SIZE" and len(after) == 2 and after[1].type == "LPAR")
        )
        if not (length and opens):
            out.append(toks[k])
            k += 1
            continue
        first, last = toks[k], toks[k + length - 1]
        out.append(Tok("KL", "KL", first.start, last.end, first.space))
        k += length
    return out


def delimiters(src: Source, toks: list[Tok]) -> list[Tok]:
    r"""Merge \left( into (, decide what each | and \| is, check that brackets balance."""
    out: list[Tok] = []
    #: open brackets, and whether each was written with \left
    stack: list[tuple[Tok, bool]] = []
    #: where the ( of each divergence D_KL(p \| q) starts
    divergences: set[int] = set()
    k = 0
    while k < len(toks):
        tok, size = toks[k], None
        if tok.type == "SIZE":
            if k + 1 >= len(toks):
                raise src.error(f"{src.source(tok)} without a delimiter", tok)
            size, tok = tok, _sized(src, tok, toks[k + 1])
            k += 1
        k += 1
        top = stack[-1][0].type if stack else None
        if size is None and tok.type == "BAR" and k < len(toks) and toks[k].type == "BAR" and top != "ABS_OPEN":
            tok = Tok("DBAR", "||", tok.start, toks[k].end, tok.space)  # || typed as two bars is \|
            k += 1
        if tok.type in ("BAR", "DBAR"):
            divergence = bool(stack) and stack[-1][0].start in divergences
            tok = _bar(tok, out, stack, divergence, size is None and _no_closing_bar(toks, k))
        left, right = size is not None and size.value == "left", size is not None and size.value == "right"
        tok.depth = len(stack)
        if tok.type in OPENERS:
            if right:
                raise src.error(r"\right before an opening delimiter", tok)
            if tok.type == "LPAR" and out and out[-1].type == "KL":
                divergences.add(tok.start)
            stack.append((tok, left))
            if len(stack) > MAX_BRACKETS:
                raise src.error("brackets nested too deeply", tok)
        elif tok.type in CLOSERS:
            if not stack or stack[-1][0].type not in CLOSERS[tok.type]:
                raise src.error("unbalanced brackets: nothing to close here", tok)
            opening, was_left = stack.pop()
            if was_left != right:
                culprit = tok if right else opening
                raise src.error(r"unbalanced brackets: \left without \right, or the reverse", culprit)
            if left:
                raise src.error(r"\left before a closing delimiter", tok)
            tok.depth = len(stack)
        elif left or right:
            raise src.error(r"not a delimiter for \left or \right", tok)
        out.append(tok)
    if stack:
        raise src.error("unbalanced brackets: this one is not closed", stack[-1][0])
    return out


def _sized(src: Source, size: Tok, delim: Tok) -> Tok:
    r"""One token for \left( \bigl| \middle| …"""
    merged = Tok(delim.type, delim.value, size.start, delim.end, size.space)
    if delim.type == "PERIOD":
        raise src.error(r"an invisible delimiter (\left. or \right.) is not supported", size, delim)
    # \middle\| separates the two densities of a divergence D_KL(p \| q)
    # \right\lVert is a closing \| like \right\|: the size says which side it is on
    bars, norms = ("ABS_OPEN", "ABS_CLOSE", "GIVEN"), ("NORM_OPEN", "NORM_CLOSE", "MIDBAR")
    roles = {
        "BAR": bars,
        "ABS_OPEN": bars,
        "ABS_CLOSE": bars,
        "DBAR": norms,
        "NORM_OPEN": norms,
        "NORM_CLOSE": norms,
    }
    if delim.type in roles:
        opening, closing, given = roles[delim.type]
        by_size = {"left": opening, "l": opening, "right": closing, "r": closing, "middle": given, "m": given}
        merged.type = by_size.get(size.value, delim.type) if size.value else delim.type
        return merged
    if size.value in ("middle", "m"):
        raise src.error(f"{src.source(size)} needs |", size, delim)
    if delim.type in ("LBRACE", "RBRACE"):
        raise src.error(r"a sized { : write \{ for a visible brace", size, delim)
    if delim.type not in OPENERS and delim.type not in CLOSERS:
        raise src.error(f"{src.source(size)} needs a delimiter", size, delim)
    return merged


def _bar(tok: Tok, out: list[Tok], stack: list[tuple[Tok, bool]], divergence: bool, unclosed: bool) -> Tok:
    """``|`` closes an open ``|`` after an operand, is a conditional bar inside ``( )`` after an
    operand, and otherwise opens an absolute value; ``\\|`` likewise for norms, except that
    after an operand directly inside a divergence's ``( )`` it separates the two densities, and
    after an operand inside ``( )`` with no ``\\|`` after it to close a norm it is a conditional
    bar (``q(x \\| y)``, a density written with a double bar)."""
    after_operand = bool(out) and out[-1].type in OPERAND_END
    top = stack[-1][0].type if stack else None
    if tok.type == "BAR":
        if top == "ABS_OPEN" and after_operand:
            tok.type = "ABS_CLOSE"
        elif top == "LPAR" and after_operand:
            tok.type = "GIVEN"
        else:
            tok.type = "ABS_OPEN"
    elif top == "NORM_OPEN" and after_operand:
        tok.type = "NORM_CLOSE"
    elif divergence and after_operand:
        tok.type = "MIDBAR"
    elif top == "LPAR" and after_operand and unclosed:
        tok.type = "GIVEN"
    else:
        tok.type = "NORM_OPEN"
    return tok


def arguments(src: Source, toks: list[Tok]) -> list[Tok]:
    r"""A number as a one-token argument is one digit, as in TeX; ``\frac12`` splits into two."""
    match = src.braces(toks)
    out: list[Tok] = []

    def check(j: int, owner: Tok) -> None:
        if j < len(toks) and toks[j].type == "NUMBER" and len(toks[j].value) > 1:
            raise src.error("ambiguous: TeX takes one digit here; use braces", owner, toks[j])

    k = 0
    while k < len(toks):
        tok = toks[k]
        if tok.type in ("SUP", "SUB", "BOLD"):
            check(k + 1, tok)
        elif tok.type == "SQRT":
            j = k + 1
            if j < len(toks) and toks[j].type == "LBRACK":
                while j < len(toks) and not (toks[j].type == "RBRACK" and toks[j].depth == tok.depth):
                    j += 1
                j += 1
            check(j, tok)
        elif tok.type == "FRAC" and k + 1 < len(toks):
            first = toks[k + 1]
            if first.type == "NUMBER" and len(first.value) == 2 and first.value.isdigit():
                out.append(tok)
                out.append(Tok("NUMBER", first.value[0], first.start, first.start + 1, first.space, first.depth))
                out.append(Tok("NUMBER", first.value[1], first.start + 1, first.end, False, first.depth))
                k += 2
                continue
            check(k + 1, tok)
            second = match[k + 1] + 1 if first.type == "LBRACE" else k + 2
            check(second, tok)
            _derivative(toks, k + 1, second)
        out.append(tok)
        k += 1
    return out


def _derivative(toks: list[Tok], first: int, second: int) -> None:
    r"""\frac{d}{dx}, \frac{dy}{dt}: a derivative, not d/(d x); its d's are read as \partial."""

    def d_at(j: int, then_name: bool) -> int | None:
        if j < len(toks) and toks[j].type == "LBRACE":
            j += 1
        if j >= len(toks) or toks[j].type != "LETTER" or toks[j].value != "d":
            return None
        named = j + 1 < len(toks) and toks[j + 1].type in ("LETTER", "GREEK", "BOLD", "ACCENT")
        return j if named or not then_name else None

    numerator, denominator = d_at(first, then_name=False), d_at(second, then_name=True)
    if numerator is not None and denominator is not None:
        for j in (numerator, denominator):
            toks[j].type, toks[j].value = "PARTIAL", "d"


def postfix(src: Source, toks: list[Tok]) -> list[Tok]:
    r"""A prime (``x'``, ``x^{\prime}``, ``x^{'}``) and a transpose (``x^\top``, ``x^{\intercal}``)
    become one token each after what they mark."""
    primes: list[Tok] = []
    for tok in toks:  # x'', ^{''}: one mark
        if tok.type == "PRIME" and primes and primes[-1].type == "PRIME" and primes[-1].end == tok.start:
            last = primes[-1]
            primes[-1] = Tok("PRIME", last.value + tok.value, last.start, tok.end, last.space, last.depth)
        else:
            primes.append(tok)
    toks = primes
    out: list[Tok] = []
    k = 0
    while k < len(toks):
        tok = toks[k]
        for pattern in (("SUP", "MARK"), ("SUP", "LBRACE", "MARK", "RBRACE"), ("MARK",)):
            window = toks[k : k + len(pattern)]
            kinds = tuple("MARK" if t.type in ("PRIME", "TOP") else t.type for t in window)
            if kinds == pattern:
                mark = next(t for t in window if t.type in ("PRIME", "TOP"))
                kind = "PRIME" if mark.type == "PRIME" else "TRANSPOSE"
                out.append(Tok(kind, mark.value, window[0].start, window[-1].end, tok.space, tok.depth))
                k += len(pattern)
                break
        else:
            out.append(tok)
            k += 1
    return out


def labels(src: Source, toks: list[Tok]) -> list[Tok]:
    r"""A subscript that is not an index expression is a label, kept whole as one LABEL token:
    ``L_{VLB}``, ``\mathcal{L}_{x_0}``, ``f_{\mathbf{\mu}}``, ``\delta_{-}``; so is what a sum, a
    product or an optimum runs over when it is not ``i = 1`` (``\sum_{t > 1}``, ``\max_{\theta, \phi}``)."""
    match = src.braces(toks)
    out: list[Tok] = []
    k = 0
    while k < len(toks):
        tok = toks[k]
        braced = k + 1 < len(toks) and toks[k + 1].type == "LBRACE"
        if tok.type != "SUB" or not braced or not out or not _labelled(out, toks, k, match):
            out.append(tok)
            k += 1
            continue
        close = match[k + 1]
        written = " ".join(src.text[toks[k + 1].end : toks[close].start].split())
        out.append(tok)
        out.append(Tok("LABEL", written, toks[k + 1].start, toks[close].end, toks[k + 1].space, toks[k + 1].depth))
        for hidden in toks[k + 1 : close + 1]:
            src.hide(hidden)
        k = close + 1
    return out


def _labelled(before: list[Tok], toks: list[Tok], sub: int, match: dict[int, int]) -> bool:
    """Whether the braced subscript at ``sub`` is a label: after a name, not an index expression;
    after a big operator, not ``i = a``; after an optimum, always."""
    owner = before[-1]
    inner = toks[sub + 2 : match[sub + 1]]
    if owner.type == "OPT":
        return True
    if owner.type == "BIGOP":
        return not (len(inner) >= 3 and inner[0].type == "LETTER" and inner[1].type == "EQ")
    named = owner.type in ("LETTER", "GREEK", "CALNAME", "TEXT") or (owner.type == "RBRACE" and _closes_a_name(before))
    return named and not _is_index(inner)


def differentials(src: Source, toks: list[Tok]) -> list[Tok]:
    r"""In the scope of ``\int`` (up to the next ``+``, ``-``, relation or separator at its level), a
    ``d`` before a name is the differential: ``\int p(x, z)\, dz``, ``\int_0^1 f\, \mathrm{d}x``.
    Several at the end (``dx\, dz``, ``d\mathbf{x}_1 \dots d\mathbf{x}_T``) are one DIFFS token."""
    out = list(toks)
    k = 0
    while k < len(out):
        tok = out[k]
        k += 1
        if tok.type != "INT":
            continue
        end = next(
            (
                j
                for j in range(k, len(out))
                if out[j].depth < tok.depth or (out[j].depth == tok.depth and out[j].type in INTEGRAL_ENDS)
            ),
            len(out),
        )
        marked = []
        for j in range(k, end - 1):
            here = out[j]
            named = out[j + 1].type in ("LETTER", "GREEK", "BOLD", "ACCENT")
            scripted = out[j - 1].type in ("SUB", "SUP")
            if here.depth == tok.depth and here.type == "LETTER" and here.value == "d" and named and not scripted:
                here.type = "DIFF"
                marked.append(j)
        tail = next((m for m in marked if all(t.type in DIFFERENTIAL_RUN for t in out[m:end])), None)
        if tail is None or not (
            sum(t.type == "DIFF" for t in out[tail:end]) > 1 or any(t.type == "DOTS" for t in out[tail:end])
        ):
            continue
        first, last = out[tail], out[end - 1]
        written = " ".join(src.text[first.start : last.end].split())
        out[tail:end] = [Tok("DIFFS", written, first.start, last.end, first.space, first.depth)]
    return out


def sides(src: Source, toks: list[Tok]) -> list[Tok]:
    r"""The ``^-`` of ``\lim_{v \to a^-}`` (or ``^{+}``) is one token, SIDE: from below or above."""
    match = src.braces(toks)
    #: where a side starts -> where it ends, and its token
    sides: dict[int, tuple[int, Tok]] = {}
    for k, tok in enumerate(toks):
        if tok.type != "LIM" or k + 2 >= len(toks) or (toks[k + 1].type, toks[k + 2].type) != ("SUB", "LBRACE"):
            continue
        close = match[k + 2]
        for pattern in (("SUP", "SIGN"), ("SUP", "LBRACE", "SIGN", "RBRACE")):
            window = toks[close - len(pattern) : close]
            if tuple("SIGN" if t.type in ("PLUS", "MINUS") else t.type for t in window) == pattern:
                sign = next(t for t in window if t.type in ("PLUS", "MINUS"))
                side = Tok("SIDE", sign.value, window[0].start, window[-1].end, window[0].space, window[0].depth)
                sides[close - len(pattern)] = (close, side)
                break
    out: list[Tok] = []
    k = 0
    while k < len(toks):
        if k in sides:
            k, side = sides[k]
            out.append(side)
            continue
        out.append(toks[k])
        k += 1
    return out


def _closes_a_name(before: list[Tok]) -> bool:
    """Whether the } that ends ``before`` closes the group of a bold or an accent: ``\\mathbf{x}``."""
    depth = 0
    for k in range(len(before) - 1, -1, -1):
        depth += {"RBRACE": 1, "LBRACE": -1}.get(before[k].type, 0)
        if depth == 0:
            return k > 0 and before[k - 1].type in ("BOLD", "ACCENT")
    return False


def _is_index(toks: list[Tok]) -> bool:
    """Whether ``toks`` read as an index expression: ``t``, ``t-1``, ``2t+1``, ``t-(k-1)``, ``1:T``."""
    n = len(toks)

    def term(k: int) -> int | None:
        if k >= n:
            return None
        kind = toks[k].type
        if kind == "LPAR":
            j = expression(k + 1)
            return j + 1 if j is not None and j < n and toks[j].type == "RPAR" else None
        if kind == "NUMBER":
            return k + 2 if k + 1 < n and toks[k + 1].type == "LETTER" else k + 1
        return k + 1 if kind in INDEX_ATOMS else None

    def expression(k: int) -> int | None:
        if k < n and toks[k].type == "MINUS":
            k += 1
        j = term(k)
        while j is not None and j < n and toks[j].type in ("PLUS", "MINUS"):
            j = term(j + 1)
        return j

    end = expression(0)
    if end is not None and end < n and toks[end].type == "COLON":
        end = expression(end + 1)
    return end == n


def _after_option(toks: list[Tok], k: int) -> int:
    """Past the optional ``[…]`` argument at ``k`` (``\\xrightarrow[t \\to \\infty]{}``), if there is one."""
    if k >= len(toks) or toks[k].type != "LBRACK":
        return k
    depth = 0
    for j in range(k, len(toks)):
        depth += {"LBRACK": 1, "RBRACK": -1}.get(toks[j].type, 0)
        if depth == 0:
            return j + 1
    return k


def _no_closing_bar(toks: list[Tok], k: int) -> bool:
    """Whether no \\| follows ``k`` before the bracket around it closes: one there could close a norm."""
    depth = 0
    for tok in toks[k:]:
        if tok.type in OPENERS:
            depth += 1
        elif tok.type in CLOSERS:
            depth -= 1
            if depth < 0:
                return True
        elif depth == 0 and tok.type in ("DBAR", "NORM_CLOSE"):
            return False
    return True


def _normal_follows(toks: list[Tok], k: int) -> bool:
    """Whether a ( starts at ``k``, plain or sized."""
    return (k < len(toks) and toks[k].type == "LPAR") or (
        k + 1 < len(toks) and toks[k].type == "SIZE" and toks[k + 1].type == "LPAR"
    )


def _semicolon_inside(toks: list[Tok], k: int) -> bool:
    """Whether the ( at ``k`` (or after its size) holds a ; at its own level before it closes."""
    depth = 0
    for tok in toks[k:]:
        if tok.type in ("LPAR", "LBRACK", "LBRACE", "LSET"):
            depth += 1
        elif tok.type in ("RPAR", "RBRACK", "RBRACE", "RSET"):
            depth -= 1
            if depth == 0:
                return False
        elif tok.type == "SEMI" and depth == 1:
            return True
    return False


def _bracket_follows(toks: list[Tok], k: int) -> bool:
    """Whether a [ starts at ``k``: plain, or sized (``\\left[``, ``\\big[``)."""
    if k < len(toks) and toks[k].type == "LBRACK":
        return True
    return k + 1 < len(toks) and toks[k].type == "SIZE" and toks[k + 1].type == "LBRACK"


def _plain_expectation(toks: list[Tok], k: int, match: dict[int, int]) -> bool:
    """Whether the letter E at ``k`` is an expectation: ``E[…]``, ``E_{q}[…]``, ``E_{x \\sim q} …``."""
    if k > 0 and toks[k - 1].type in ("BOLD", "ACCENT", "SUB", "SUP", "LETTER"):
        return False  # part of a name or a product of letters
    after = k + 1
    if _bracket_follows(toks, after):
        return True
    if after + 1 >= len(toks) or toks[after].type != "SUB":
        return False
    script = toks[after + 1]
    end = match[after + 1] if script.type == "LBRACE" else after + 1
    return _bracket_follows(toks, end + 1) or any(t.type == "SIM" for t in toks[after + 1 : end])

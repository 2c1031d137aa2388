"""Text to tokens, tokens to rows: everything before the grammar.

The lexer removes what is invisible (colour, spacing, sizes of ``\\left``/``\\right``), decides
the role of each ``|`` and ``\\|`` (absolute value, norm, conditional bar, divergence), checks that
brackets balance, and splits environments into rows of tokens for the grammar.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from lark import Token

from derive.doccheck.latex.vocabulary import (
    ALIGNING,
    BINARY,
    CHARS,
    CLOSERS,
    COLOURS,
    DEFINING_NOTES,
    DIVERGENCE_NAMES,
    ENVIRONMENTS,
    INNER_ENVIRONMENTS,
    INTEGRAL_ENDS,
    MAX_BRACKETS,
    MAX_LITERAL_DIGITS,
    OPENERS,
    OPERAND_END,
    RAW,
    SEPARATOR_WORDS,
    SPACES,
    SYMBOLS,
    TEXT_OPERATORS,
    UNICODE_CHARS,
    UNICODE_WORDS,
    WORDS,
)
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


class Lexer:
    """Text to tokens, tokens to rows: everything before the grammar."""

    def __init__(self, text: str, file: str, line: int, column: int) -> None:
        self.text, self.file, self.line, self.column = text, file, line, column
        self._newlines = [k for k, c in enumerate(text) if c == "\n"]
        #: removed wrappers (colour, underbrace), by start and by end, to give statements their whole text
        self._hidden_from: dict[int, int] = {}
        self._hidden_to: dict[int, int] = {}

    # -- positions and errors

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

    def _hide(self, tok: Tok) -> None:
        self._hidden_from[tok.start] = tok.end
        self._hidden_to[tok.end] = tok.start

    # -- pass 1: characters to tokens

    def scan(self) -> list[Tok]:
        text, n = self.text, len(self.text)
        out: list[Tok] = []
        k, space = 0, False
        while k < n:
            c = text[k]
            if c in " \t\r\n~":
                k, space = k + 1, True
                continue
            if c == "%":  # a comment, to the end of the line
                while k < n and text[k] != "\n":
                    k += 1
                continue
            start = k
            if c == "\\":
                tok, k = self._control(k)
            elif c.isascii() and c.isalpha():
                tok, k = Tok("LETTER", c, k, k + 1), k + 1
            elif c.isascii() and c.isdigit():
                k = _digits(text, k)
                if k + 1 < n and text[k] == "." and text[k + 1].isascii() and text[k + 1].isdigit():
                    k = _digits(text, k + 1)
                if k - start > MAX_LITERAL_DIGITS:
                    raise self.error_at("number too long", start, k)
                tok = Tok("NUMBER", text[start:k], start, k)
            elif c == "." and text.startswith("...", k):  # dots typed as three periods
                tok, k = Tok("DOTS", "dots", k, k + 3), k + 3
            elif c in CHARS or c in UNICODE_CHARS:
                char = UNICODE_CHARS.get(c, c)
                tok, k = Tok(CHARS[char], {"<": "lt", ">": "gt"}.get(char, char), k, k + 1), k + 1
            elif c in UNICODE_WORDS:
                kind, value = WORDS[UNICODE_WORDS[c]]
                tok, k = Tok(kind, value, k, k + 1), k + 1
            else:
                raise self.error_at("unexpected character", k, k + 1)
            tok.space, space = space, False
            if tok.type == "SPACE":
                space = True
            elif tok.type != "DROP":
                out.append(tok)
        return out

    def _control(self, k: int) -> tuple[Tok, int]:
        text = self.text
        if k + 1 >= len(text):
            raise self.error_at("a lone backslash", k, k + 1)
        c = text[k + 1]
        if not (c.isascii() and c.isalpha()):
            if c in SYMBOLS:
                kind, value = SYMBOLS[c]
                return Tok(kind, value, k, k + 2), k + 2
            if c in SPACES:
                return Tok("SPACE", c, k, k + 2), k + 2
            raise self.error_at("unknown macro", k, k + 2)
        end = k + 1
        while end < len(text) and text[end].isascii() and text[end].isalpha():
            end += 1
        name = text[k + 1 : end]
        if name in WORDS:
            kind, value = WORDS[name]
            return Tok(kind, value, k, end), end
        if name in RAW:
            return self._raw(name, k, end)
        if name in COLOURS:
            after = self._skip_spaces(end)
            if after < len(text) and text[after] == "[":  # \color[rgb]{0,0,1}
                close = text.find("]", after)
                if close < 0:
                    raise self.error_at("unbalanced brackets", after, after + 1)
                after = close + 1
            _, stop = self._group(after, k)
            return Tok("COLOR" if name == "color" else "TEXTCOLOR", name, k, stop), stop
        raise self.error_at("unknown macro", k, end)

    def _skip_spaces(self, k: int) -> int:
        while k < len(self.text) and self.text[k] in " \t\r\n":
            k += 1
        return k

    def _group(self, k: int, macro: int) -> tuple[str, int]:
        """The raw text of the {…} argument at k (after spaces), and where it ends."""
        text = self.text
        k = self._skip_spaces(k)
        if k >= len(text) or text[k] != "{":
            raise self.error_at("expected {…} after the macro", macro, k)
        depth, j = 0, k
        while j < len(text):
            if text[j] == "\\":
                j += 2
                continue
            if text[j] == "{":
                depth += 1
            elif text[j] == "}":
                depth -= 1
                if depth == 0:
                    return text[k + 1 : j], j + 1
            j += 1
        raise self.error_at("unbalanced braces: this { is not closed", k, k + 1)

    def _raw(self, name: str, k: int, end: int) -> tuple[Tok, int]:
        text = self.text
        after = self._skip_spaces(end)
        if name == "tag" and after < len(text) and text[after] == "*":
            after += 1
        if (
            name not in ("begin", "end", "tag", "label")
            and after < len(text)
            and text[after].isascii()
            and text[after].isalnum()
        ):
            content, stop = text[after], after + 1  # \mathbb R
        else:
            content, stop = self._group(after, k)
        stripped = content.strip()
        if name == "mathbb":
            if not (len(stripped) == 1 and stripped.isascii() and stripped.isalpha()):
                raise self.error_at(r"\mathbb of something other than one letter", k, stop)
            return Tok("BB", stripped, k, stop), stop
        if name in ("mathcal", "mathscr"):
            if not (len(stripped) == 1 and stripped.isascii() and stripped.isalpha()):
                raise self.error_at(rf"\{name} of something other than one letter", k, stop)
            if stripped == "N":
                return Tok("CAL_N", r"\mathcal{N}", k, stop), stop
            return Tok("CALNAME", rf"\mathcal{{{stripped}}}", k, stop), stop
        if name in ("begin", "end"):
            return Tok(name.upper(), stripped, k, stop), stop
        if name == "tag":
            return Tok("TAG", stripped, k, stop), stop
        if name == "label":
            return Tok("DROP", stripped, k, stop), stop
        if name == "mathrm" and stripped == "e":
            return Tok("ROMAN_E", "e", k, stop), stop
        if len(stripped) == 1 and stripped.isascii() and stripped.isalpha():
            return Tok("LETTER", stripped, k, stop), stop  # \mathrm{I}, \text{d}: an upright letter
        word = "".join(stripped.replace("\\,", "").replace("\\;", "").replace("\\ ", "").split())
        if word in TEXT_OPERATORS:
            kind, value = TEXT_OPERATORS[word]
            return Tok(kind, value, k, stop), stop
        return Tok("TEXT", " ".join(stripped.split()), k, stop), stop

    # -- pass 2: what is invisible

    def _braces(self, toks: list[Tok]) -> dict[int, int]:
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

    def invisible(self, toks: list[Tok]) -> list[Tok]:
        r"""Remove \color and \textcolor with the braces of their group, \boxed and \cancel likewise,
        \underbrace and its label."""
        match = self._braces(toks)
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
                    raise self.error(f"{self.source(tok)} needs {{…}}", tok)
            elif tok.type in ("UNDERBRACE", "OVERBRACE"):
                skip.add(k)
                if following >= len(toks) or toks[following].type != "LBRACE":
                    raise self.error(f"{self.source(tok)} needs {{…}}", tok)
                label = match[following] + 1
                if label < len(toks) and toks[label].type == ("SUB" if tok.type == "UNDERBRACE" else "SUP"):
                    argument = label + 1
                    if argument >= len(toks):
                        raise self.error("a script without argument", toks[label])
                    last = match.get(argument, argument) if toks[argument].type == "LBRACE" else argument
                    skip.update(range(label, last + 1))
        for k in skip:
            self._hide(toks[k])
        return [tok for k, tok in enumerate(toks) if k not in skip]

    def stacked(self, toks: list[Tok]) -> list[Tok]:
        r"""``\overset{a}{=}`` and ``\stackrel{a}{=}`` are the relation with a note over it (a definition
        when the note says so); ``\underset{\theta}{\min}`` is ``\min_{\theta}``; ``\arg\max`` is one
        operator; ``\xrightarrow{a}`` leads from one statement to the next."""
        match = self._braces(toks)
        out: list[Tok] = []
        k = 0
        while k < len(toks):
            tok = toks[k]
            if tok.type == "ARG" and k + 1 < len(toks) and toks[k + 1].type == "OPT":
                out.append(Tok("OPT", "arg" + toks[k + 1].value, tok.start, toks[k + 1].end, tok.space))
                k += 2
                continue
            if tok.type == "XARROW":
                k = self._after_group(toks, k + 1, match, optional=True)
                out.append(Tok("SEP", tok.value, tok.start, toks[k - 1].end, tok.space))
                continue
            if tok.type != "STACK":
                out.append(tok)
                k += 1
                continue
            first = k + 1
            second = self._after_group(toks, first, match)
            end = self._after_group(toks, second, match)
            note, body = toks[first + 1 : second - 1], toks[second + 1 : end - 1]
            if len(body) == 1 and body[0].type in ("EQ", "REL", "SIM"):
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
                raise self.error(f"{self.source(tok)} over something other than a relation", tok, toks[end - 1])
            k = end
        return out

    def _after_group(self, toks: list[Tok], k: int, match: dict[int, int], *, optional: bool = False) -> int:
        """Where the {…} argument starting at ``k`` ends (one past its brace); ``optional``: it may be missing."""
        if k < len(toks) and toks[k].type == "LBRACE":
            return match[k] + 1
        if optional:
            return k
        raise self.error("expected {…} here", toks[min(k, len(toks) - 1)])

    def expectations(self, toks: list[Tok]) -> list[Tok]:
        r"""``\mathbb{E}``, or a plain ``E`` before ``[`` or before a subscript with ``\sim``, is an
        expectation. Its subscript is kept as tokens when it is the Gaussian ``x \sim \mathcal{N}(…)``,
        which the engine can use; any other subscript becomes one ESUB token with the text as written
        (a distribution the engine cannot use, only named in the report). Without a bracket after
        it, the head is EOPEN: the expectation of the rest of the product, as for ``\sum``."""
        match = self._braces(toks)
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
                if any(a.type == "SIM" and b.type == "CAL_N" for a, b in pairwise(inner)):
                    continue  # the Gaussian form, for the grammar
                start, stop = (script.end, toks[end].start) if braced else (script.start, script.end)
                written = " ".join(self.text[start:stop].split())
                out.append(Tok("ESUB", written, toks[k].start, toks[end].end, toks[k].space))
                k = end + 1
            if not _bracket_follows(toks, k):
                head.type = "EOPEN"
        return out

    def inner_environments(self, toks: list[Tok]) -> list[Tok]:
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
                raise self.error(rf"\begin{{{tok.value}}} without \end", tok)
            for j in range(k + 1, end + 1):
                self._hide(toks[j])
            out.append(Tok("OPAQUE", INNER_ENVIRONMENTS[tok.value], tok.start, toks[end].end, tok.space))
            k = end + 1
        return out

    # -- pass 3: divergences

    def divergences(self, toks: list[Tok]) -> list[Tok]:
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

    # -- pass 4: delimiters

    def delimiters(self, toks: list[Tok]) -> list[Tok]:
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
                    raise self.error(f"{self.source(tok)} without a delimiter", tok)
                size, tok = tok, self._sized(tok, toks[k + 1])
                k += 1
            k += 1
            top = stack[-1][0].type if stack else None
            if size is None and tok.type == "BAR" and k < len(toks) and toks[k].type == "BAR" and top != "ABS_OPEN":
                tok = Tok("DBAR", "||", tok.start, toks[k].end, tok.space)  # || typed as two bars is \|
                k += 1
            if tok.type in ("BAR", "DBAR"):
                divergence = bool(stack) and stack[-1][0].start in divergences
                tok = self._bar(tok, out, stack, divergence, size is None and _no_closing_bar(toks, k))
            left, right = size is not None and size.value == "left", size is not None and size.value == "right"
            tok.depth = len(stack)
            if tok.type in OPENERS:
                if right:
                    raise self.error(r"\right before an opening delimiter", tok)
                if tok.type == "LPAR" and out and out[-1].type == "KL":
                    divergences.add(tok.start)
                stack.append((tok, left))
                if len(stack) > MAX_BRACKETS:
                    raise self.error("brackets nested too deeply", tok)
            elif tok.type in CLOSERS:
                if not stack or stack[-1][0].type not in CLOSERS[tok.type]:
                    raise self.error("unbalanced brackets: nothing to close here", tok)
                opening, was_left = stack.pop()
                if was_left != right:
                    culprit = tok if right else opening
                    raise self.error(r"unbalanced brackets: \left without \right, or the reverse", culprit)
                if left:
                    raise self.error(r"\left before a closing delimiter", tok)
                tok.depth = len(stack)
            elif left or right:
                raise self.error(r"not a delimiter for \left or \right", tok)
            out.append(tok)
        if stack:
            raise self.error("unbalanced brackets: this one is not closed", stack[-1][0])
        return out

    def _sized(self, size: Tok, delim: Tok) -> Tok:
        r"""One token for \left( \bigl| \middle| …"""
        merged = Tok(delim.type, delim.value, size.start, delim.end, size.space)
        if delim.type == "PERIOD":
            raise self.error(r"an invisible delimiter (\left. or \right.) is not supported", size, delim)
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
            raise self.error(f"{self.source(size)} needs |", size, delim)
        if delim.type in ("LBRACE", "RBRACE"):
            raise self.error(r"a sized { : write \{ for a visible brace", size, delim)
        if delim.type not in OPENERS and delim.type not in CLOSERS:
            raise self.error(f"{self.source(size)} needs a delimiter", size, delim)
        return merged

    @staticmethod
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

    # -- pass 5: one-token arguments

    def arguments(self, toks: list[Tok]) -> list[Tok]:
        r"""A number as a one-token argument is one digit, as in TeX; ``\frac12`` splits into two."""
        match = self._braces(toks)
        out: list[Tok] = []

        def check(j: int, owner: Tok) -> None:
            if j < len(toks) and toks[j].type == "NUMBER" and len(toks[j].value) > 1:
                raise self.error("ambiguous: TeX takes one digit here; use braces", owner, toks[j])

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
                self._derivative(toks, k + 1, second)
            out.append(tok)
            k += 1
        return out

    @staticmethod
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

    def postfix(self, toks: list[Tok]) -> list[Tok]:
        r"""A prime (``x'``, ``x^{\prime}``, ``x^{'}``) and a transpose (``x^\top``, ``x^{\intercal}``)
        become one token each after what they mark."""
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

    def differentials(self, toks: list[Tok]) -> list[Tok]:
        r"""In the scope of ``\int`` (up to the next ``+``, ``-``, relation or separator at its level), a
        ``d`` before a name is the differential: ``\int p(x, z)\, dz``, ``\int_0^1 f\, \mathrm{d}x``."""
        for k, tok in enumerate(toks):
            if tok.type != "INT":
                continue
            for j in range(k + 1, len(toks) - 1):
                here = toks[j]
                if here.depth < tok.depth or (here.depth == tok.depth and here.type in INTEGRAL_ENDS):
                    break
                named = toks[j + 1].type in ("LETTER", "GREEK", "BOLD", "ACCENT")
                scripted = toks[j - 1].type in ("SUB", "SUP")
                if here.depth == tok.depth and here.type == "LETTER" and here.value == "d" and named and not scripted:
                    here.type = "DIFF"
        return toks

    def sides(self, toks: list[Tok]) -> list[Tok]:
        r"""The ``^-`` of ``\lim_{v \to a^-}`` (or ``^{+}``) is one token, SIDE: from below or above."""
        match = self._braces(toks)
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

    # -- pass 6: rows

    def rows(self) -> list[RowTokens]:
        toks = self.invisible(self.stacked(self.scan()))
        toks = self.divergences(self.expectations(self.inner_environments(toks)))
        toks = self.differentials(self.postfix(self.delimiters(toks)))
        toks = self.sides(self.arguments(toks))
        if not any(t.type != "TAG" for t in toks):
            raise self.error_at("empty math", 0, len(self.text))
        if next(t for t in toks if t.type != "TAG").type == "BEGIN":
            rows = self._environment(toks)
        else:
            for tok in toks:
                if tok.type in ("BEGIN", "END"):
                    raise self.error("an environment must enclose the whole block", tok)
            # rows broken by \\ without an environment, as MathJax and KaTeX show them: a gather
            rows = self._split(toks, "display") if any(t.type == "ROWSEP" for t in toks) else []
            rows = rows or [r for r in [self._row(toks, aligning=False)] if r is not None]
        if not rows and not any(t.type in ("SEP", "DOTS") for t in toks):  # \Downarrow alone says nothing
            raise self.error_at("empty math", 0, len(self.text))
        return rows

    def _environment(self, toks: list[Tok]) -> list[RowTokens]:
        start = next(k for k, t in enumerate(toks) if t.type == "BEGIN")
        begin = toks[start]
        if begin.value not in ENVIRONMENTS:
            raise self.error(f"unsupported environment {begin.value!r}", begin)
        depth, end = 0, None
        for k in range(start, len(toks)):
            depth += {"BEGIN": 1, "END": -1}.get(toks[k].type, 0)
            if depth == 0:
                end = k
                break
        if end is None:
            raise self.error(rf"\begin{{{begin.value}}} without \end", begin)
        if toks[end].value != begin.value:
            raise self.error(rf"\begin{{{begin.value}}} ended by \end{{{toks[end].value}}}", toks[end])
        outside = toks[:start] + toks[end + 1 :]
        for tok in outside:
            if tok.type not in ("TAG", "PERIOD", "COMMA"):
                raise self.error(rf"something outside \begin{{{begin.value}}} … \end{{{begin.value}}}", tok)
        content = toks[start + 1 : end]
        if len(content) >= 3 and content[0].type == "LBRACK" and not content[0].space and content[2].type == "RBRACK":
            content = content[3:]  # \begin{aligned}[t]
        if begin.value.startswith("equation"):
            if any(t.type == "BEGIN" for t in content):
                rows = self._environment(content)
            else:
                for tok in content:
                    if tok.type in ("END", "ROWSEP", "AMP"):
                        raise self.error(f"{self.source(tok)} in {begin.value}", tok)
                rows = [r for r in [self._row(content, aligning=False)] if r is not None]
        else:
            rows = self._split(content, begin.value)
        tags = [t for t in outside if t.type == "TAG"]
        if tags:
            if len(tags) > 1 or not rows or rows[-1].tag is not None:
                raise self.error("more than one tag", tags[-1])
            rows[-1].tag = tags[0].value
        return rows

    def _split(self, content: list[Tok], environment: str) -> list[RowTokens]:
        lines: list[list[Tok]] = [[]]
        k = 0
        while k < len(content):
            tok = content[k]
            k += 1
            if tok.type in ("BEGIN", "END"):
                raise self.error(f"an environment inside {environment}", tok)
            if tok.type == "AMP" and environment not in ALIGNING:
                where = f"in {environment}" if environment != "display" else "outside an alignment environment"
                raise self.error(f"& {where}", tok)
            if tok.type == "ROWSEP":
                lines.append([])
                if k < len(content) and content[k].type == "LBRACK" and not content[k].space:
                    k = self._spacing(content, k)
                continue
            lines[-1].append(tok)
        rows: list[RowTokens] = []
        for line in lines:
            joins = _joins_previous(line)
            row = self._row(line, aligning=True)
            if row is None:
                continue
            if not joins:
                rows.append(row)
                continue
            if not rows:
                raise self.error("this row goes on from nothing", line[0])
            previous = rows[-1]
            if row.tag is not None and previous.tag is not None:
                raise self.error("more than one tag", line[0])
            previous.tokens.extend(row.tokens)
            previous.tag = previous.tag or row.tag
        return rows

    def _spacing(self, content: list[Tok], k: int) -> int:
        r"""Skip the [2pt] of \\[2pt]; anything but a length there is an error, as in LaTeX."""
        close = next((j for j in range(k, len(content)) if content[j].type == "RBRACK"), None)
        inside = content[k + 1 : close] if close is not None else []
        if inside and inside[0].type == "MINUS":
            inside = inside[1:]
        if close is None or not inside or inside[0].type != "NUMBER" or any(t.type != "LETTER" for t in inside[1:]):
            raise self.error(r"\\[ reads a spacing such as \\[2pt]; put a space before a bracket", content[k])
        return close + 1

    def _row(self, line: list[Tok], *, aligning: bool) -> RowTokens | None:
        """A row's tokens for the grammar and its tag; None when nothing is in it."""
        tags = [t for t in line if t.type == "TAG"]
        if len(tags) > 1:
            raise self.error("more than one tag", tags[1])
        tag = tags[0].value if tags else None
        toks: list[Tok] = []
        ampersands = 0
        for tok in line:
            if tok.type == "AMP":
                if not aligning:
                    raise self.error("& outside an alignment environment", tok)
                ampersands += 1
                if ampersands % 2 == 0:  # a column: & number 2, 4 …
                    toks.append(Tok("SEP", "&", tok.start, tok.end, tok.space, tok.depth))
            elif tok.type != "TAG":
                toks.append(tok)
        toks, trailing = _trailing_tag(toks)
        if trailing is not None:
            if tag is not None:
                raise self.error("more than one tag", trailing[0], trailing[-1])
            tag = self.text[trailing[0].end : trailing[-1].start].strip()
        toks = _ranges(_colons(self._separators(toks)))
        if all(t.type in ("SEP", "COMMA", "PERIOD", "DOTS") for t in toks):  # \Downarrow or \vdots alone
            if tags:
                raise self.error("a tag without math", tags[0])
            return None
        return RowTokens(toks, tag)

    def _separators(self, toks: list[Tok]) -> list[Tok]:
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
                elif tok.value.isalpha() and len(tok.value) > 1:
                    tok.type = "WORD"  # \text{ELBO}, L_{\text{simple}}: a name
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
                and following is not None
                and following.type not in BINARY | {"EQ", "REL", "IN", "SEP", "COMMA", "PERIOD"}
                and following.type not in CLOSERS
            )
            if separates:
                out.append(Tok("SEP", tok.value, tok.start, tok.end, tok.space, 0))
        return out

    def lark_tokens(self, row: RowTokens) -> list[Token]:
        out = []
        for tok in row.tokens:
            line, column = self.position(tok.start)
            end_line, end_column = self.position(tok.end)
            out.append(Token(tok.type, tok.value, tok.start, line, column, end_line, end_column, tok.end))
        return out


def _digits(text: str, k: int) -> int:
    while k < len(text) and text[k].isascii() and text[k].isdigit():
        k += 1
    return k


def shape(toks: list[Tok]) -> tuple[tuple[str, str], ...]:
    return tuple((t.type, t.value) for t in toks)


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


def _colons(toks: list[Tok]) -> list[Tok]:
    """``:=`` is one relation; ``\\text{forward process}:`` before a statement is its label, dropped."""
    out: list[Tok] = []
    for tok in toks:
        if tok.type == "EQ" and out and out[-1].type == "COLON":
            colon = out.pop()
            out.append(Tok("REL", ":=", colon.start, tok.end, colon.space, tok.depth))
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


def _comment(toks: list[Tok], k: int, before: list[Tok]) -> bool:
    """A \\text after a separator that ends its row (``&& \\text{by (3)}``) is a comment on the math."""
    if before and before[-1].type not in ("SEP", "QUAD", "COMMA"):
        return False
    return all(t.type in ("TEXT", "QUAD", "PERIOD", "SEP", "COMMA") for t in toks[k + 1 :])

r"""A strict reader of the LaTeX that derivations are written in, giving SymPy through a notation.

``parse_math`` reads the body of one display-math block (a ```` ```math ```` fence or ``$$ … $$``)
into rows of statements. It never guesses: what it does not know, or what reads two ways, is a
``ParseError`` with the file, line, column and the offending text.

How it works: a lexer of its own (``_Lexer``) turns the LaTeX into tokens, removes what is
invisible (colour, spacing, sizes of ``\left``/``\right``), tells apart the roles of ``|`` and
``\|``, and splits environments into rows; each row is then parsed by the LALR grammar in
``latex.lark`` and read into SymPy by ``_Reader``.

Structure
    ``\begin{aligned}`` (also ``align``, ``align*``, ``split``, ``gathered``, ``gather``,
    ``gather*``; ``equation``/``equation*`` around one of them or around one row) splits on
    ``\\`` into rows. In a row, ``&`` number 1, 3, 5 … marks alignment and is dropped, ``&`` number
    2, 4 … separates columns, hence statements. A block without environment is one row. A row
    that starts with ``&`` then ``+``, ``-``, ``\cdot`` or ``\times`` goes on with the previous
    row's last expression (a long expression broken over lines); a row that starts with a
    relation (``&= …``) goes on with its chain: ``Row.continues`` is set and the row's first
    statement has as many relations as items, the first joining it to the previous row's last
    item (a block without environment that starts with a relation is such a row too). Statements
    in a row are separated by a top-level ``,``, by ``\quad``/``\qquad``
    between a complete factor and the next statement, by a column ``&``, or by ``\text{where}``,
    ``\text{and}``, ``\text{for}`` and the like; when a row holds several statements, each must
    state a relation. ``\tag{71}``, and ``(71)`` alone in a last column (``&&(71)``) or after
    ``\qquad``, set ``Row.tag``. A ``\text{…}`` alone at the end of a row is a comment.

Names
    A letter, a Greek macro, or ``\mathcal{L}``; accents ``\bar`` (= ``\overline``), ``\tilde``
    (= ``\widetilde``), ``\hat`` (= ``\widehat``) give the canonical base ``\bar{\alpha}``;
    ``\mathbf``, ``\boldsymbol``, ``\bm`` are dropped (vectors are read per coordinate). A
    subscript is an index expression (integers, letters, Greek, ``\text{…}``, ``+``, ``-``):
    ``t`` and ``i`` are the notation's, other letters integer symbols, Greek letters plain symbols
    (``p_\theta``); ``notation.resolve(base, index)`` gives the symbol. ``\bar{\alpha_t}`` is
    ``\bar{\alpha}_t``. A superscript is a power (``\tilde{\sigma}_t^2``), except that a bold
    name's ``^T`` is refused as a transpose. ``\pi`` is π and ``e^{…}`` the exponential; a bare
    ``e`` is refused; ``\pi_\theta`` and ``e_1`` are names. ``I`` is the identity symbol ``I``. A
    sequence of the notation alone (``\alpha`` without subscript) is refused.

Numbers
    Integers and decimals (exactly: ``0.02`` is 1/50). A number may only start a juxtaposition
    (``2x``, not ``x 2``). A one-token argument is one digit, as in TeX: ``\frac12`` is 1/2,
    ``x^23`` and ``\frac123`` are refused as ambiguous. Exponents beyond ±1000, and numeric
    powers of more than 10000 digits, are refused.

Application or multiplication — a name directly followed by ``( … )``
    * with a conditional bar (``|``, ``\mid``, ``\middle|``) inside: a density,
      ``q(x_t|x_{t-1})`` is ``Density(q, [x_t], [x_{t-1}])``; a name the notation marks as a
      density needs no bar: ``q(x_t)`` is ``Density(q, [x_t])``;
    * with a comma at its top level: an undefined function, ``C(x_t, x_0)`` is
      ``Function("C")(x_t, x_0)`` (named by the notation's LaTeX, e.g. ``\tilde{\mu}_t``);
    * otherwise a product: ``\beta_t(1-\bar{\alpha}_{t-1})`` is β_t·(1-ᾱ_{t-1}), and ``y(x_t)`` is
      y·x_t; except for a calligraphic name, where it is refused as ambiguous. Such a product
      cannot be the bare argument of ``\log`` or a divisor (``\log x(a+b)``, ``a/x(b)`` are
      refused).
    A power after the bracket belongs to it: ``x(a+b)^2`` is x·(a+b)², ``q(x|y)^2`` the density squared.
    ``\mathcal{N}(z; \mu, \sigma^2 I)`` is ``Gaussian(z, mu, sigma**2)``: the ``;`` form is
    required and the variance must be written ``v I`` (or ``v \mathbf{I}``).

Functions and operators
    ``\log``/``\ln``/``\exp`` take a bracketed argument (``\log(x)``, ``\exp\left[…\right]``,
    ``\exp\{…\}``) or one factor (``\log x``, ``\log q(x|y)``, ``\log \log x``); nothing may be
    juxtaposed after an unbracketed argument (``\log 2\pi\sigma^2`` is refused).
    ``\sum_{i=1}^{t}``, ``\prod_{i=1}^{t}`` and ``\lim_{v \to a}`` take the rest of the product
    (up to the next ``+``, ``-``, relation or separator) and stay unevaluated; a limit is two-sided
    unless written ``\to a^-`` or ``\to a^+``. A summation index
    in a subscript must index a sequence of the notation (``\alpha_i``); ``x_j`` under
    ``\sum_j`` is refused, since ``x_j`` is one symbol. ``\frac``, ``\dfrac``, ``\tfrac``,
    ``\sqrt``, ``\sqrt[n]``, ``\cdot``, ``\times`` and one ``a/b`` (by a single factor; ``a/b c`` is
    refused). ``\frac{d}{dx}``, ``\frac{dy}{dt}`` are refused rather than read as quotients.

Derivatives, expectations, divergences
    ``\nabla_{x} E`` and ``\frac{\partial}{\partial x} E`` are ``Derivative(E, x)`` (read per
    coordinate), where E is the rest of the product, as for ``\sum``: ``\nabla_x a x + b`` is
    (∇ₓ a x) + b; ``\frac{\partial E}{\partial x}`` is one factor. ``\mathbb{E}_{x \sim
    \mathcal{N}(m, v)}[f]`` (the variance ``v`` or ``v I``) is ``Expectation(f, x, m, v)``; an
    expectation without that subscript, or over another distribution, is refused. ``D_{\mathrm{KL}}(p
    \| q)`` (also ``D_{KL}``, ``D_{\text{KL}}``, ``\mathrm{KL}``, ``\operatorname{KL}``, with
    ``\middle\|`` or ``\|``) is ``KL(p, q)`` of two densities or Gaussians ``\mathcal{N}(x; m, v I)``.

Brackets
    ``( )``, ``[ ]``, ``\{ \}``, with ``\left``/``\right`` or ``\big`` … ``\Bigg`` (``l``/``r``)
    sizes, group. ``|v|`` is ``Abs``, ``\|v\|`` (and ``\|v\|_2``) is ``Norm``. A ``|`` closes an open
    ``|`` after an operand, is a conditional bar inside ``( )`` after an operand, and otherwise
    opens an absolute value; a ``\|`` after an operand right inside a divergence's ``( )``
    separates its two densities. Braces ``{a+b}`` are invisible in TeX, so a braced sum next to
    anything else is refused as ambiguous.

Relations and sets
    ``=``, ``\propto``, ``\approx``, ``\in``, ``\neq``, ``\leq``, ``\geq``, ``<``, ``>`` (named
    "=", "propto", "approx", "in", "ne", "le", "ge", "lt", "gt"). After ``\in``: an interval
    ``(0,1)``, ``[0,1]``, ``(0,1]``; ``\mathbb{R}`` (also ``\mathbb{R}^d``, read per coordinate),
    ``\mathbb{Z}``, ``\mathbb{C}``; a range ``\{1, \dots, T\}``. ``x \sim \mathcal{N}(m, v)`` (or
    ``v I``) is a statement of its own, relation "sim", whose right item is ``Tuple(m, v)``.

Invisible
    ``\color{c}{…}``, ``{\color{c} …}``, ``\textcolor{c}{…}`` (removed with their braces, which may
    cross brackets: ``\color{red}{(a + b}) c`` is (a + b)·c, ``\color{red}{(a + b}c)`` is
    a + b·c, as shown), ``\underbrace{X}_{…}`` and ``\overbrace{X}^{…}`` (are X), ``\displaystyle``,
    ``\textstyle``, ``\nonumber``, ``\notag``, ``\label{…}``, ``\limits``, spaces ``\, \; \: \!
    ~``, and ``%`` comments. ``\text{const}``/``\mathrm{const}`` is the symbol ``const``;
    ``\mathrm{e}`` is e.

Bounds
    Brackets nest at most 64 deep, functions and big operators 24; literals have at most 1000
    digits. Input of 10,000 characters parses or fails in well under a second.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, NoReturn, cast

import sympy as sp
from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedInput, UnexpectedToken, VisitError
from lark.lexer import Lexer, LexerState
from lark.visitors import Transformer_NonRecursive

from derive.exceptions import ParseError, UnknownNameError
from derive.notation import Notation
from derive.objects import KL, Density, Expectation, Gaussian, Norm

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


def parse_math(
    text: str, notation: Notation, *, file: str = "<string>", line: int = 1, column: int = 1
) -> tuple[Row, ...]:
    """Read the body of one display-math block; ``line``/``column`` are where ``text`` starts.

    Raises ``ParseError`` (and nothing else) for anything it cannot read with certainty.
    """
    lexer = _Lexer(text, file, line, column)
    try:
        return tuple(_read_row(row, lexer, notation) for row in lexer.rows())
    except ParseError:
        raise
    except RecursionError:
        raise lexer.error_at("expression nested too deeply", 0, len(text)) from None
    except Exception as e:  # a bug, or SymPy refusing something: still only a ParseError leaves
        raise lexer.error_at(f"cannot read this ({type(e).__name__}: {str(e)[:200]})", 0, len(text)) from None


class UnhandledRuleError(ParseError):
    """The grammar produced a rule that the reader has no reading for: a bug, reported as a parse error."""


# -- tokens -----------------------------------------------------------------------------------------

GREEK = frozenset((
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "pi", "varpi", "rho", "varrho", "sigma", "varsigma", "tau", "upsilon", "phi", "varphi",
    "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
))  # fmt: skip
ACCENTS = {
    "bar": r"\bar",
    "overline": r"\bar",
    "tilde": r"\tilde",
    "widetilde": r"\tilde",
    "hat": r"\hat",
    "widehat": r"\hat",
}
RELATIONS = {
    "propto": "propto", "approx": "approx", "neq": "ne", "ne": "ne", "leq": "le", "le": "le", "leqslant": "le",
    "geq": "ge", "ge": "ge", "geqslant": "ge", "lt": "lt", "gt": "gt",
}  # fmt: skip
SIZES = ("big", "Big", "bigg", "Bigg")
#: control words that make one token: name -> (type, value)
WORDS: dict[str, tuple[str, str]] = {
    **{g: ("GREEK", "\\" + g) for g in GREEK},
    **{a: ("ACCENT", v) for a, v in ACCENTS.items()},
    **{r: ("REL", v) for r, v in RELATIONS.items()},
    **{b: ("BOLD", b) for b in ("mathbf", "boldsymbol", "bm")},
    **{f: ("FRAC", f) for f in ("frac", "dfrac", "tfrac")},
    **{f: ("FUNC", f) for f in ("log", "ln", "exp")},
    **{d: ("DOTS", d) for d in ("dots", "ldots", "cdots")},
    **{s: ("DROP", s) for s in ("displaystyle", "textstyle", "nonumber", "notag", "limits", "nolimits")},
    **{q: ("QUAD", q) for q in ("quad", "qquad")},
    **dict.fromkeys(SIZES, ("SIZE", "")),
    **{b + s: ("SIZE", s) for b in SIZES for s in ("l", "r", "m")},
    "left": ("SIZE", "left"), "right": ("SIZE", "right"), "middle": ("SIZE", "middle"),
    "sqrt": ("SQRT", "sqrt"), "sum": ("BIGOP", "sum"), "prod": ("BIGOP", "prod"), "lim": ("LIM", "lim"),
    "nabla": ("NABLA", "nabla"), "partial": ("PARTIAL", "partial"), "sim": ("SIM", "sim"),
    "to": ("TO", "to"), "rightarrow": ("TO", "to"), "in": ("IN", "in"), "infty": ("INFTY", "infty"),
    "cdot": ("CDOT", "cdot"), "times": ("TIMES", "times"),
    "vert": ("BAR", "|"), "lvert": ("ABS_OPEN", "|"), "rvert": ("ABS_CLOSE", "|"), "mid": ("GIVEN", "|"),
    "Vert": ("DBAR", "||"), "lVert": ("NORM_OPEN", "||"), "rVert": ("NORM_CLOSE", "||"),
    "underbrace": ("UNDERBRACE", "_"), "overbrace": ("OVERBRACE", "^"),
}  # fmt: skip
#: control words whose {argument} is read as raw text
RAW = frozenset(
    ("text", "textrm", "mathrm", "operatorname", "mbox", "mathbb", "mathcal", "begin", "end", "tag", "label")
)
COLOURS = frozenset(("color", "textcolor"))
#: control symbols: \\ \{ \} \|, and spaces
SYMBOLS = {"\\": ("ROWSEP", "\\\\"), "{": ("LSET", "{"), "}": ("RSET", "}"), "|": ("DBAR", "||")}
SPACES = frozenset(",;:!> ")
CHARS = {
    "(": "LPAR", ")": "RPAR", "[": "LBRACK", "]": "RBRACK", "{": "LBRACE", "}": "RBRACE", "+": "PLUS", "-": "MINUS",
    "=": "EQ", "<": "REL", ">": "REL", ",": "COMMA", ";": "SEMI", "|": "BAR", "&": "AMP", "^": "SUP", "_": "SUB",
    "/": "SLASH", ".": "PERIOD",
}  # fmt: skip
ENVIRONMENTS = frozenset(
    ("aligned", "align", "align*", "split", "gathered", "gather", "gather*", "equation", "equation*")
)
ALIGNING = frozenset(("aligned", "align", "align*", "split"))
#: \text{…} between statements that only joins them
SEPARATOR_WORDS = frozenset(
    ("where", "and", "for", "for all", "with", "since", "because", "so", "hence", "thus", "i.e.", "s.t.",
     "其中", "且", "并且", "和", "即")
)  # fmt: skip
OPENERS = frozenset(("LPAR", "LBRACK", "LSET", "LBRACE", "ABS_OPEN", "NORM_OPEN"))
#: what each closing delimiter may close: intervals mix ( and ]
CLOSERS = {"RPAR": ("LPAR", "LBRACK"), "RBRACK": ("LBRACK", "LPAR"), "RSET": ("LSET",), "RBRACE": ("LBRACE",),
           "ABS_CLOSE": ("ABS_OPEN",), "NORM_CLOSE": ("NORM_OPEN",)}  # fmt: skip
#: a token of these types can end an operand: a | or \| after it closes, or is a conditional bar
OPERAND_END = frozenset(
    ("LETTER", "GREEK", "NUMBER", "CALNAME", "INFTY", "RPAR", "RBRACK", "RBRACE", "RSET", "ABS_CLOSE", "NORM_CLOSE",
     "TEXT", "CONST", "ROMAN_E")
)  # fmt: skip
BINARY = frozenset(("PLUS", "MINUS", "CDOT", "TIMES", "SLASH"))
#: what ends the unbracketed argument of \log (for the error message about what follows it)
BREAKS = BINARY | {"EQ", "REL", "IN", "SEP", "COMMA", "GIVEN", "SEMI", "TO"}
MAX_BRACKETS = 64
#: nesting of the parse tree; a bracket costs about ten levels, \log or \sqrt without braces two or three
MAX_TREE_DEPTH = 800
#: functions and big operators inside each other: SymPy's assumptions grow fast with it
MAX_OPERATOR_NESTING = 24
OPERATORS = frozenset(
    ("bare", "func_closed", "fopen", "bigop", "limit", "grad", "partial", "derivative", "expect", "divergence")
)
MAX_LITERAL_DIGITS = 1000
_KL, _D = ("TEXT", "KL"), (("LETTER", "D"), ("SUB", "_"))
#: the token shapes of a divergence's name, longest first: D_{KL}, D_{\mathrm{KL}}, D_\mathrm{KL}, \mathrm{KL}
DIVERGENCE_NAMES = (
    (*_D, ("LBRACE", "{"), ("LETTER", "K"), ("LETTER", "L"), ("RBRACE", "}")),
    (*_D, ("LBRACE", "{"), _KL, ("RBRACE", "}")),
    (*_D, _KL),
    (_KL,),
)
MAX_EXPONENT = 1000
MAX_DIGITS = 10_000


@dataclass
class _Tok:
    type: str
    value: str
    start: int
    end: int
    #: whitespace comes right before it
    space: bool = False
    #: how many brackets and braces are open around it
    depth: int = 0


@dataclass
class _RowTokens:
    tokens: list[_Tok]
    tag: str | None


class _Lexer:
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

    def error(self, message: str, first: _Tok, last: _Tok | None = None) -> ParseError:
        return self.error_at(message, first.start, (last or first).end)

    def source(self, first: _Tok, last: _Tok | None = None) -> str:
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

    def _hide(self, tok: _Tok) -> None:
        self._hidden_from[tok.start] = tok.end
        self._hidden_to[tok.end] = tok.start

    # -- pass 1: characters to tokens

    def scan(self) -> list[_Tok]:
        text, n = self.text, len(self.text)
        out: list[_Tok] = []
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
                tok, k = _Tok("LETTER", c, k, k + 1), k + 1
            elif c.isascii() and c.isdigit():
                k = _digits(text, k)
                if k + 1 < n and text[k] == "." and text[k + 1].isascii() and text[k + 1].isdigit():
                    k = _digits(text, k + 1)
                if k - start > MAX_LITERAL_DIGITS:
                    raise self.error_at("number too long", start, k)
                tok = _Tok("NUMBER", text[start:k], start, k)
            elif c in CHARS:
                tok, k = _Tok(CHARS[c], {"<": "lt", ">": "gt"}.get(c, c), k, k + 1), k + 1
            else:
                raise self.error_at("unexpected character", k, k + 1)
            tok.space, space = space, False
            if tok.type == "SPACE":
                space = True
            elif tok.type != "DROP":
                out.append(tok)
        return out

    def _control(self, k: int) -> tuple[_Tok, int]:
        text = self.text
        if k + 1 >= len(text):
            raise self.error_at("a lone backslash", k, k + 1)
        c = text[k + 1]
        if not (c.isascii() and c.isalpha()):
            if c in SYMBOLS:
                kind, value = SYMBOLS[c]
                return _Tok(kind, value, k, k + 2), k + 2
            if c in SPACES:
                return _Tok("SPACE", c, k, k + 2), k + 2
            raise self.error_at("unknown macro", k, k + 2)
        end = k + 1
        while end < len(text) and text[end].isascii() and text[end].isalpha():
            end += 1
        name = text[k + 1 : end]
        if name in WORDS:
            kind, value = WORDS[name]
            return _Tok(kind, value, k, end), end
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
            return _Tok("COLOR" if name == "color" else "TEXTCOLOR", name, k, stop), stop
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

    def _raw(self, name: str, k: int, end: int) -> tuple[_Tok, int]:
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
            return _Tok("BB", stripped, k, stop), stop
        if name == "mathcal":
            if not (len(stripped) == 1 and stripped.isascii() and stripped.isalpha()):
                raise self.error_at(r"\mathcal of something other than one letter", k, stop)
            if stripped == "N":
                return _Tok("CAL_N", r"\mathcal{N}", k, stop), stop
            return _Tok("CALNAME", rf"\mathcal{{{stripped}}}", k, stop), stop
        if name in ("begin", "end"):
            return _Tok(name.upper(), stripped, k, stop), stop
        if name == "tag":
            return _Tok("TAG", stripped, k, stop), stop
        if name == "label":
            return _Tok("DROP", stripped, k, stop), stop
        if name == "mathrm" and stripped == "e":
            return _Tok("ROMAN_E", "e", k, stop), stop
        return _Tok("TEXT", " ".join(stripped.split()), k, stop), stop

    # -- pass 2: what is invisible

    def _braces(self, toks: list[_Tok]) -> dict[int, int]:
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

    def invisible(self, toks: list[_Tok]) -> list[_Tok]:
        r"""Remove \color and \textcolor with the braces of their group, \underbrace and its label."""
        match = self._braces(toks)
        skip: set[int] = set()
        for k, tok in enumerate(toks):
            if k in skip:
                continue
            following = k + 1
            if tok.type in ("COLOR", "TEXTCOLOR"):
                skip.add(k)
                if following < len(toks) and toks[following].type == "LBRACE":
                    skip.update((following, match[following]))
                elif tok.type == "TEXTCOLOR":
                    raise self.error(r"\textcolor needs {…} to colour", tok)
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

    # -- pass 3: divergences

    def divergences(self, toks: list[_Tok]) -> list[_Tok]:
        r"""The name of a divergence followed by ``(`` becomes one KL token: ``D_{\mathrm{KL}}``,
        ``D_{\text{KL}}``, ``D_\mathrm{KL}``, ``D_{KL}``, ``\mathrm{KL}``, ``\operatorname{KL}``."""
        out: list[_Tok] = []
        k = 0
        while k < len(toks):
            length = next((len(name) for name in DIVERGENCE_NAMES if _shape(toks[k : k + len(name)]) == name), 0)
            after = toks[k + length : k + length + 2]
            opens = bool(after) and (
                after[0].type == "LPAR" or (after[0].type == "SIZE" and len(after) == 2 and after[1].type == "LPAR")
            )
            if not (length and opens):
                out.append(toks[k])
                k += 1
                continue
            first, last = toks[k], toks[k + length - 1]
            out.append(_Tok("KL", "KL", first.start, last.end, first.space))
            k += length
        return out

    # -- pass 4: delimiters

    def delimiters(self, toks: list[_Tok]) -> list[_Tok]:
        r"""Merge \left( into (, decide what each | and \| is, check that brackets balance."""
        out: list[_Tok] = []
        #: open brackets, and whether each was written with \left
        stack: list[tuple[_Tok, bool]] = []
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
            if tok.type in ("BAR", "DBAR"):
                tok = self._bar(tok, out, stack, bool(stack) and stack[-1][0].start in divergences)
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

    def _sized(self, size: _Tok, delim: _Tok) -> _Tok:
        r"""One token for \left( \bigl| \middle| …"""
        merged = _Tok(delim.type, delim.value, size.start, delim.end, size.space)
        if delim.type == "PERIOD":
            raise self.error(r"an invisible delimiter (\left. or \right.) is not supported", size, delim)
        # \middle\| separates the two densities of a divergence D_KL(p \| q)
        roles = {"BAR": ("ABS_OPEN", "ABS_CLOSE", "GIVEN"), "DBAR": ("NORM_OPEN", "NORM_CLOSE", "MIDBAR")}
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
    def _bar(tok: _Tok, out: list[_Tok], stack: list[tuple[_Tok, bool]], divergence: bool) -> _Tok:
        """``|`` closes an open ``|`` after an operand, is a conditional bar inside ``( )`` after an
        operand, and otherwise opens an absolute value; ``\\|`` likewise for norms, except that
        after an operand directly inside a divergence's ``( )`` it separates the two densities."""
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
        else:
            tok.type = "MIDBAR" if divergence and after_operand else "NORM_OPEN"
        return tok

    # -- pass 5: one-token arguments

    def arguments(self, toks: list[_Tok]) -> list[_Tok]:
        r"""A number as a one-token argument is one digit, as in TeX; ``\frac12`` splits into two."""
        match = self._braces(toks)
        out: list[_Tok] = []

        def check(j: int, owner: _Tok) -> None:
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
                    out.append(_Tok("NUMBER", first.value[0], first.start, first.start + 1, first.space, first.depth))
                    out.append(_Tok("NUMBER", first.value[1], first.start + 1, first.end, False, first.depth))
                    k += 2
                    continue
                check(k + 1, tok)
                second = match[k + 1] + 1 if first.type == "LBRACE" else k + 2
                check(second, tok)
                self._derivative(toks, k + 1, second, match)
            out.append(tok)
            k += 1
        return out

    def _derivative(self, toks: list[_Tok], first: int, second: int, match: dict[int, int]) -> None:
        r"""\frac{d}{dx}, \frac{dy}{dt}: a derivative, not d/(d x). Refused rather than misread."""

        def starts_with_d(j: int, then_name: bool) -> bool:
            if j < len(toks) and toks[j].type == "LBRACE":
                j += 1
            if j >= len(toks) or toks[j].type != "LETTER" or toks[j].value != "d":
                return False
            return not then_name or (j + 1 < len(toks) and toks[j + 1].type in ("LETTER", "GREEK", "BOLD", "ACCENT"))

        if starts_with_d(first, then_name=False) and starts_with_d(second, then_name=True):
            last = match.get(second, second)
            raise self.error(r"a derivative d/dx is not supported", toks[first - 1], toks[last])

    def sides(self, toks: list[_Tok]) -> list[_Tok]:
        r"""The ``^-`` of ``\lim_{v \to a^-}`` (or ``^{+}``) is one token, SIDE: from below or above."""
        match = self._braces(toks)
        #: where a side starts -> where it ends, and its token
        sides: dict[int, tuple[int, _Tok]] = {}
        for k, tok in enumerate(toks):
            if tok.type != "LIM" or k + 2 >= len(toks) or (toks[k + 1].type, toks[k + 2].type) != ("SUB", "LBRACE"):
                continue
            close = match[k + 2]
            for pattern in (("SUP", "SIGN"), ("SUP", "LBRACE", "SIGN", "RBRACE")):
                window = toks[close - len(pattern) : close]
                if tuple("SIGN" if t.type in ("PLUS", "MINUS") else t.type for t in window) == pattern:
                    sign = next(t for t in window if t.type in ("PLUS", "MINUS"))
                    side = _Tok("SIDE", sign.value, window[0].start, window[-1].end, window[0].space, window[0].depth)
                    sides[close - len(pattern)] = (close, side)
                    break
        out: list[_Tok] = []
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

    def rows(self) -> list[_RowTokens]:
        toks = self.sides(self.arguments(self.delimiters(self.divergences(self.invisible(self.scan())))))
        if not any(t.type != "TAG" for t in toks):
            raise self.error_at("empty math", 0, len(self.text))
        if next(t for t in toks if t.type != "TAG").type == "BEGIN":
            rows = self._environment(toks)
        else:
            for tok in toks:
                if tok.type in ("BEGIN", "END"):
                    raise self.error("an environment must enclose the whole block", tok)
                if tok.type == "ROWSEP":
                    raise self.error(r"\\ outside an environment", tok)
            rows = [r for r in [self._row(toks, aligning=False)] if r is not None]
        if not rows:
            raise self.error_at("empty math", 0, len(self.text))
        return rows

    def _environment(self, toks: list[_Tok]) -> list[_RowTokens]:
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

    def _split(self, content: list[_Tok], environment: str) -> list[_RowTokens]:
        lines: list[list[_Tok]] = [[]]
        k = 0
        while k < len(content):
            tok = content[k]
            k += 1
            if tok.type in ("BEGIN", "END"):
                raise self.error(f"an environment inside {environment}", tok)
            if tok.type == "AMP" and environment not in ALIGNING:
                raise self.error(f"& in {environment}", tok)
            if tok.type == "ROWSEP":
                lines.append([])
                if k < len(content) and content[k].type == "LBRACK" and not content[k].space:
                    k = self._spacing(content, k)
                continue
            lines[-1].append(tok)
        rows: list[_RowTokens] = []
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

    def _spacing(self, content: list[_Tok], k: int) -> int:
        r"""Skip the [2pt] of \\[2pt]; anything but a length there is an error, as in LaTeX."""
        close = next((j for j in range(k, len(content)) if content[j].type == "RBRACK"), None)
        inside = content[k + 1 : close] if close is not None else []
        if inside and inside[0].type == "MINUS":
            inside = inside[1:]
        if close is None or not inside or inside[0].type != "NUMBER" or any(t.type != "LETTER" for t in inside[1:]):
            raise self.error(r"\\[ reads a spacing such as \\[2pt]; put a space before a bracket", content[k])
        return close + 1

    def _row(self, line: list[_Tok], *, aligning: bool) -> _RowTokens | None:
        """A row's tokens for the grammar and its tag; None when nothing is in it."""
        tags = [t for t in line if t.type == "TAG"]
        if len(tags) > 1:
            raise self.error("more than one tag", tags[1])
        tag = tags[0].value if tags else None
        toks: list[_Tok] = []
        ampersands = 0
        for tok in line:
            if tok.type == "AMP":
                if not aligning:
                    raise self.error("& outside an alignment environment", tok)
                ampersands += 1
                if ampersands % 2 == 0:  # a column: & number 2, 4 …
                    toks.append(_Tok("SEP", "&", tok.start, tok.end, tok.space, tok.depth))
            elif tok.type != "TAG":
                toks.append(tok)
        toks, trailing = _trailing_tag(toks)
        if trailing is not None:
            if tag is not None:
                raise self.error("more than one tag", trailing[0], trailing[-1])
            tag = self.text[trailing[0].end : trailing[-1].start].strip()
        toks = self._separators(toks)
        if not toks:
            if tags:
                raise self.error("a tag without math", tags[0])
            return None
        return _RowTokens(toks, tag)

    def _separators(self, toks: list[_Tok]) -> list[_Tok]:
        r"""Decide what each \text and \quad is: a constant, a separator, a comment or a space."""
        kept: list[_Tok] = []
        for k, tok in enumerate(toks):
            if tok.type == "TEXT":
                word = tok.value.strip(" ,:;").lower()
                if word in ("const", "const."):
                    tok.type = "CONST"
                elif tok.depth == 0 and (word in SEPARATOR_WORDS or word.rstrip(".") in SEPARATOR_WORDS):
                    tok.type = "SEP"
                elif tok.depth == 0 and _comment(toks, k, kept):
                    continue
            kept.append(tok)
        out: list[_Tok] = []
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
                out.append(_Tok("SEP", tok.value, tok.start, tok.end, tok.space, 0))
        return out

    def lark_tokens(self, row: _RowTokens) -> list[Token]:
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


def _shape(toks: list[_Tok]) -> tuple[tuple[str, str], ...]:
    return tuple((t.type, t.value) for t in toks)


def _joins_previous(line: list[_Tok]) -> bool:
    """``&+ …``, ``&\\quad - …``: the row goes on with the previous row's expression."""
    if not line or line[0].type != "AMP":
        return False
    rest = [t for t in line[1:] if t.type not in ("QUAD", "TAG")]
    return bool(rest) and rest[0].type in ("PLUS", "MINUS", "CDOT", "TIMES")


def _trailing_tag(toks: list[_Tok]) -> tuple[list[_Tok], list[_Tok] | None]:
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


def _comment(toks: list[_Tok], k: int, before: list[_Tok]) -> bool:
    """A \\text after a separator that ends its row (``&& \\text{by (3)}``) is a comment on the math."""
    if before and before[-1].type not in ("SEP", "QUAD", "COMMA"):
        return False
    return all(t.type in ("TEXT", "QUAD", "PERIOD", "SEP", "COMMA") for t in toks[k + 1 :])


# -- the grammar ---------------------------------------------------------------------------------------


class _TokenLexer(Lexer):
    """Hands the grammar the tokens that ``_Lexer`` made."""

    __future_interface__ = 2

    def __init__(self, lexer_conf: Any) -> None:
        pass

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        return iter(cast("list[Token]", lexer_state.text))


@cache
def _grammar() -> Lark:
    # cache=True keeps the analysed grammar in the temporary folder, keyed by the grammar's hash:
    # building it costs half a second, loading it a hundredth
    return Lark.open_from_package(
        "derive.doccheck", "latex.lark", ("",), parser="lalr", lexer=_TokenLexer, strict=True, start="row", cache=True
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


def _read_row(row: _RowTokens, lexer: _Lexer, notation: Notation) -> Row:
    try:
        tree = _grammar().parse(lexer.lark_tokens(row))
    except UnexpectedToken as e:
        raise _unexpected(e, row, lexer) from None
    except UnexpectedInput:
        raise lexer.error("cannot parse this", row.tokens[0], row.tokens[-1]) from None
    reader = _Reader(notation, lexer)
    statements: list[Statement] = []
    continues = False
    for child in tree.children:
        if not isinstance(child, Tree):
            continue
        first, last = _leaf(child, 0), _leaf(child, -1)
        depth, operators = _depth(child)
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
        for statement in statements:
            if not statement.relations:
                raise ParseError(
                    "in a row of several statements each must state a relation",
                    file=lexer.file,
                    line=statement.line,
                    column=statement.column,
                    text=statement.text,
                )
    line, _ = lexer.position(row.tokens[0].start)
    return Row(tuple(statements), line, row.tag, continues)


def _unexpected(error: UnexpectedToken, row: _RowTokens, lexer: _Lexer) -> ParseError:
    token = error.token
    toks = row.tokens
    at_end = token.type == "$END"
    k = len(toks) if at_end else next((j for j, t in enumerate(toks) if t.start == token.start_pos), None)
    if k is not None:
        unfinished = _unfinished_expectation(error, row, k)
        if unfinished is not None:
            message, first = unfinished
            return lexer.error(message, toks[first], toks[min(k, len(toks) - 1)])
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


def _unfinished_expectation(error: UnexpectedToken, row: _RowTokens, k: int) -> tuple[str, int] | None:
    """When the parser stopped at token ``k`` inside the head of an expectation, or right after it,
    what is missing, and where the expectation starts."""
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
    if _shape(toks[first + 1 : first + 3])[:2] != (("SUB", "_"), ("LBRACE", "{")):
        return f"an expectation needs its distribution: {EXPECTATION}", first
    opening = toks[first + 2]
    close = next(j for j in range(first + 3, len(toks)) if toks[j].type == "RBRACE" and toks[j].depth == opening.depth)
    if k <= close:
        return f"an expectation needs its distribution: {EXPECTATION}", first
    if k == close + 1:
        return f"an expectation takes its argument in brackets: {EXPECTATION}", first
    return None


def _leaf(tree: Tree[Token], end: int) -> Token:
    """The first (end=0) or last (end=-1) token under a node."""
    node: Tree[Token] | Token = tree
    while isinstance(node, Tree):
        node = node.children[end]
    return node


def _depth(tree: Tree[Token]) -> tuple[int, int]:
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


# -- the reading -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Name:
    base: str
    index: sp.Expr | None
    tok: Token
    end: int
    bold: bool = False


@dataclass(frozen=True)
class _F:
    """A factor, with what matters to juxtapose it."""

    expr: sp.Expr
    #: name, number, braced (a {a+b} group), product (x(a+b) read as a product), bare (\log x), other
    kind: str
    tok: Token
    end: int


@dataclass(frozen=True)
class _E:
    """An expression (or a set, or an index); ``compound`` when it is a sum or starts with a minus."""

    expr: Any
    compound: bool
    tok: Token
    end: int


FUNCTIONS: dict[str, Callable[[sp.Expr], sp.Expr]] = {"log": sp.log, "ln": sp.log, "exp": sp.exp}
SETS = {"R": sp.Reals, "Z": sp.Integers, "C": sp.Complexes}
_Value = _Name | _F | _E


def _signed_sum(c: list[Any]) -> _E:
    """Terms joined by + and - tokens, as one sum."""
    terms: list[sp.Expr] = []
    negative = False
    for x in c:
        if isinstance(x, Token):
            negative = x.type == "MINUS"
        else:
            terms.append(-x.expr if negative else x.expr)
            negative = False
    first = c[0] if isinstance(c[0], Token) else c[0].tok
    return _E(sp.Add(*terms), len(c) > 1, first, _end(c[-1]))


def _end(x: Token | _Value) -> int:
    if isinstance(x, Token):
        return x.end_pos or 0
    return x.end


class _Reader(Transformer_NonRecursive[Token, Any]):
    """The SymPy reading of each grammar rule. A rule without a method here is an error, not a tree."""

    def __init__(self, notation: Notation, lexer: _Lexer) -> None:
        super().__init__(visit_tokens=False)
        self._notation = notation
        self._lexer = lexer
        #: symbols read from subscripted names, with their base, index and token: for summation indices
        self._indexed: dict[sp.Basic, tuple[str, sp.Expr, Token, int]] = {}

    def __default__(self, data: Any, children: Any, meta: Any) -> NoReturn:
        first = next((c for c in children if isinstance(c, Token)), None)
        raise UnhandledRuleError(
            f"no reading for the grammar rule {data!r}",
            file=self._lexer.file,
            line=first.line if first is not None and first.line else self._lexer.line,
            column=first.column if first is not None and first.column else self._lexer.column,
            text=str(data),
        )

    def _fail(self, message: str, first: Token, end: Token | _Value | int | None = None) -> NoReturn:
        start = first.start_pos or 0
        stop = (first.end_pos or start) if end is None else end if isinstance(end, int) else _end(end)
        raise self._lexer.error_at(message, start, stop)

    # -- statements

    def stmt(self, c: list[Any]) -> tuple[tuple[sp.Basic, ...], tuple[str, ...]]:
        items, relations = self._chain(c[1:])
        return (self._checked(c[0]), *items), relations

    def cont(self, c: list[Any]) -> tuple[tuple[sp.Basic, ...], tuple[str, ...]]:
        return self._chain(c)

    def _chain(self, c: list[Any]) -> tuple[tuple[sp.Basic, ...], tuple[str, ...]]:
        relations = tuple({"EQ": "=", "IN": "in"}.get(r.type, str(r.value)) for r in c[::2])
        return tuple(self._checked(item) for item in c[1::2]), relations

    def _checked(self, item: _E) -> sp.Basic:
        value: sp.Basic = item.expr
        if value.has(sp.zoo, sp.nan):
            self._fail("an undefined value (a division by zero?)", item.tok, item)
        return value

    # -- sets

    def interval(self, c: list[Any]) -> _E:
        opening, lo, _, hi, closing = c
        try:
            value = sp.Interval(lo.expr, hi.expr, opening.type == "LPAR", closing.type == "RPAR")
        except (ValueError, TypeError) as e:
            self._fail(f"not an interval: {e}", opening, closing)
        return _E(value, False, opening, _end(closing))

    def realset(self, c: list[Any]) -> _E:
        letter: Token = c[0]
        if letter.value not in SETS:
            self._fail(f"unsupported set \\mathbb{{{letter.value}}}", letter)
        return _E(SETS[letter.value], False, letter, _end(c[-1]))

    def intrange(self, c: list[Any]) -> _E:
        ends = [x.expr for x in c if isinstance(x, _E)]
        first, last = ends[0], ends[-1]
        step = ends[1] - first if len(ends) == 3 else sp.Integer(1)
        try:
            value = sp.Range(first, last + step, step)
        except (ValueError, TypeError) as e:
            self._fail(f"not a range: {e}", c[0], c[-1])
        return _E(value, False, c[0], _end(c[-1]))

    # -- sums and products

    def expr(self, c: list[Any]) -> _E:
        return _signed_sum(c)

    def prod(self, c: list[Any]) -> _F:
        items: list[_F] = [x for x in c if isinstance(x, _F)]
        if len(items) > 1:
            for item in items:
                if item.kind == "braced":
                    self._fail("ambiguous: a braced sum {…} next to another factor; use ( )", item.tok, item)
        return _F(self._product([f.expr for f in items], items[0].tok, items[-1]), "other", items[0].tok, items[-1].end)

    def _product(self, values: list[sp.Expr], first: Token, last: _Value) -> sp.Expr:
        coefficients = (v.as_coeff_Mul()[0] if isinstance(v, sp.Mul) else v for v in values)
        if sum(_digits_of(v) for v in coefficients if v.is_Rational) > MAX_DIGITS:
            self._fail("number too large", first, last)
        return sp.Mul(*values)

    def opened(self, c: list[Any]) -> _F:
        factors = self._juxtaposed(c[0]) if len(c) == 2 else []
        factors.append(c[-1])
        return _F(self._product([f.expr for f in factors], factors[0].tok, c[-1]), "other", factors[0].tok, c[-1].end)

    def bigop(self, c: list[Any]) -> _F:
        op, (var, lo, hi, letter), body = c
        plain = self._notation.resolve(letter)
        value = body.expr.xreplace({plain: var}) if plain != var else body.expr
        kind = sp.Sum if op.value == "sum" else sp.Product
        return _F(kind(self._bind(value, var), (var, lo, hi)), "other", op, body.end)

    def _bind(self, body: sp.Expr, var: sp.Symbol) -> sp.Expr:
        """Subscripted names that depend on the index ``var`` become terms of the notation's sequence."""
        replacements = {}
        for symbol in body.free_symbols:
            found = self._indexed.get(symbol)
            if found is None or var not in found[1].free_symbols:
                continue
            base, index, tok, end = found
            family = next(
                (e.symbol for e in self._notation if e.name == (base, None) and isinstance(e.symbol, sp.IndexedBase)),
                None,
            )
            if family is None:
                self._fail(f"this depends on the index {var}, but the notation has no sequence {base}", tok, end)
            replacements[symbol] = family[index]
        return body.xreplace(replacements) if replacements else body

    def limit(self, c: list[Any]) -> _F:
        op, name, value, body = c[0], c[3], c[5], c[-1]
        side = c[6].value if len(c) == 9 else "+-"  # no side written: the two-sided limit
        var = self._symbol(name)
        if not isinstance(var, sp.Symbol):
            self._fail("the variable of a limit must be a symbol", name.tok, name)
        return _F(sp.Limit(body.expr, var, value.expr, side), "other", op, body.end)

    def grad(self, c: list[Any]) -> _F:
        # \nabla_{x} E: the gradient in x of the rest of the product, read per coordinate
        op, name, body = c[0], c[3] if len(c) == 6 else c[2], c[-1]
        return _F(sp.Derivative(body.expr, self._variable(name, r"\nabla", op, body)), "other", op, body.end)

    def partial(self, c: list[Any]) -> _F:
        # \frac{\partial}{\partial x} E: as \nabla_x E
        op, name, body = c[0], c[6], c[-1]
        return _F(sp.Derivative(body.expr, self._variable(name, r"\partial", op, body)), "other", op, body.end)

    def derivative(self, c: list[Any]) -> _F:
        # \frac{\partial E}{\partial x}
        op, body, name, closing = c[0], c[3], c[7], c[8]
        return _F(sp.Derivative(body.expr, self._variable(name, r"\partial", op, closing)), "other", op, _end(closing))

    def _variable(self, name: _Name, what: str, first: Token, last: Token | _Value) -> sp.Symbol:
        var = self._symbol(name)
        if not isinstance(var, sp.Symbol):
            self._fail(f"the variable of {what} must be a symbol", first, last)
        return var

    def expect(self, c: list[Any]) -> _F:
        # \mathbb{E}_{x \sim \mathcal{N}(m, v)}[f]
        op, name, dist, body = c[0], c[3], c[5], c[8]
        if op.value != "E":
            self._fail(r"an expectation is written \mathbb{E}", op, _end(c[-1]))
        mean, variance = dist.expr.args
        var = self._variable(name, "an expectation", op, c[-1])
        return _F(Expectation(body.expr, var, mean, variance), "other", op, _end(c[-1]))

    def dist(self, c: list[Any]) -> _E:
        # \mathcal{N}(m, v) or \mathcal{N}(m, v I): a distribution, the pair (mean, variance)
        variance: _E = c[4]
        scale = self._isotropic(variance.expr)
        if scale is None and variance.expr.has(self._identity()):
            self._fail(
                r"the variance of \mathcal{N} must be v or v I (an isotropic covariance)", variance.tok, variance
            )
        return _E(sp.Tuple(c[2].expr, variance.expr if scale is None else scale), False, c[0], _end(c[-1]))

    def divergence(self, c: list[Any]) -> _F:
        # D_{\mathrm{KL}}(p \| q) of two densities, which the engine expands once they are Gaussians
        op, p, q, closing = c[0], c[2], c[4], c[5]
        for density in (p, q):
            if not isinstance(density.expr, (Density, Gaussian)):
                self._fail(
                    r"a divergence is of two densities: q(x | y) or \mathcal{N}(x; m, v I)", density.tok, density
                )
        return _F(KL(p.expr, q.expr), "other", op, _end(closing))

    def fopen(self, c: list[Any]) -> _F:
        func, inner = c
        return _F(FUNCTIONS[func.value](inner.expr), "other", func, inner.end)

    def pitem(self, c: list[Any]) -> _F:
        if len(c) == 3:  # juxt / divisor
            numerator, slash, divisor = c
            factors = self._juxtaposed(numerator)
            if len(factors) == 1 and factors[0].kind == "braced":
                self._fail("ambiguous: a braced sum {…} divided; use ( )", factors[0].tok, factors[0])
            if divisor.kind in ("braced", "product"):
                self._fail("ambiguous divisor: use \\frac or parentheses", divisor.tok, divisor)
            if divisor.expr.is_zero is True:
                self._fail("division by zero", slash, divisor)
            value = self._product([*(f.expr for f in factors), 1 / divisor.expr], factors[0].tok, divisor)
            return _F(value, "other", factors[0].tok, divisor.end)
        factors = self._juxtaposed(c[0]) if isinstance(c[0], list) else []
        if isinstance(c[-1], _F):  # a function with an unbracketed argument comes last
            factors.append(c[-1])
        if len(factors) == 1:
            return factors[0]
        value = self._product([f.expr for f in factors], factors[0].tok, factors[-1])
        return _F(value, "other", factors[0].tok, factors[-1].end)

    def _juxtaposed(self, factors: list[_F]) -> list[_F]:
        for k, factor in enumerate(factors):
            if factor.kind == "number" and k > 0:
                self._fail("ambiguous: a number after a factor; write it first or use \\cdot", factor.tok, factor)
            if factor.kind == "braced" and len(factors) > 1:
                self._fail("ambiguous: a braced sum {…} next to another factor; use ( )", factor.tok, factor)
        return factors

    def jn(self, c: list[Any]) -> list[_F]:
        return _append(c)

    def jo(self, c: list[Any]) -> list[_F]:
        return _append(c)

    # -- names

    def name_base(self, c: list[Any]) -> _Name:
        first: Token = c[0]
        if first.type in ("LETTER", "GREEK", "CALNAME"):
            return _Name(str(first.value), None, first, _end(first))
        inner = _inner_name(c[1:])
        if first.type == "BOLD":
            return _Name(inner.base, None, first, _end(c[-1]), bold=True)
        return _Name(f"{first.value}{{{inner.base}}}", None, first, _end(c[-1]), inner.bold)

    def sub_name(self, c: list[Any]) -> _Name:
        first = c[0]
        if isinstance(first, _Name):  # name_base _ index
            index: _E = c[2]
            return _Name(first.base, index.expr, first.tok, index.end, first.bold)
        inner = _inner_name(c[1:])
        if first.type == "BOLD":
            return _Name(inner.base, inner.index, first, _end(c[-1]), bold=True)
        return _Name(f"{first.value}{{{inner.base}}}", inner.index, first, _end(c[-1]), inner.bold)

    def name_atom(self, c: list[Any]) -> _F:
        name: _Name = c[0]
        return _F(self._symbol(name), "name", name.tok, name.end)

    def _symbol(self, name: _Name) -> sp.Expr:
        if name.index is None:
            if name.base == "e":
                self._fail("ambiguous e: write e^{…} or \\exp(…) for the exponential", name.tok, name)
            if name.base == r"\pi":
                return sp.pi
            if name.base == "I":
                return self._identity()
        return self._resolve(name)

    def _resolve(self, name: _Name) -> sp.Expr:
        value: sp.Expr = self._notation.resolve(name.base, name.index)
        if isinstance(value, sp.IndexedBase):
            self._fail(f"{name.base} is a sequence in the notation: write it with a subscript", name.tok, name)
        if name.index is not None and not isinstance(value, sp.Indexed):
            self._indexed[value] = (name.base, name.index, name.tok, name.end)
        return value

    def _identity(self) -> sp.Expr:
        if any(e.name == ("I", None) for e in self._notation):
            identity: sp.Expr = self._notation.resolve("I")
            return identity
        return sp.Symbol("I")

    def _function_name(self, name: _Name) -> str:
        value = self._resolve(name)
        entry = self._notation.entry_of(value)
        if entry is not None:
            return entry.latex
        if isinstance(value, sp.Symbol):
            return str(value.name)
        return f"{name.base}_{{{sp.latex(name.index)}}}"

    def call(self, c: list[Any]) -> _F:
        name, _, (variables, given) = c[:3]
        end = _end(c[-1])

        def powered(value: sp.Expr) -> sp.Expr:  # x(a+b)^2: the power is the bracket's
            return self._power(value, c[5], c[4]) if len(c) == 6 else value

        value = self._resolve(name)
        entry = self._notation.entry_of(value)
        if given is None and entry is not None and entry.density:
            given = []  # q(x_t): a density the notation names, without a condition
        if given is not None:
            density = self._resolve(name)
            if not isinstance(density, sp.Symbol):
                self._fail("a density must be named by a symbol", name.tok, name)
            return _F(powered(Density(density, variables, given)), "other", name.tok, end)
        if len(variables) > 1:
            return _F(powered(sp.Function(self._function_name(name))(*variables)), "other", name.tok, end)
        if name.base.startswith(r"\mathcal"):
            self._fail("ambiguous: a function of one argument, or a product? write \\cdot for a product", name.tok, end)
        return _F(self._symbol(name) * powered(variables[0]), "product", name.tok, end)

    def args(self, c: list[Any]) -> tuple[list[sp.Expr], list[sp.Expr] | None]:
        variables: list[sp.Expr] = []
        given: list[sp.Expr] | None = None
        for x in c:
            if isinstance(x, Token):
                if x.type == "GIVEN":
                    given = []
            else:
                (variables if given is None else given).append(x.expr)
        return variables, given

    def power(self, c: list[Any]) -> _F:
        name: _Name = c[0]
        exponent: _E = c[2]
        if len(c) == 5:  # x^2_t
            index: _E = c[4]
            name = _Name(name.base, index.expr, name.tok, index.end, name.bold)
        end = _end(c[-1])
        if name.index is None and name.base == "e":
            return _F(sp.exp(exponent.expr), "other", name.tok, end)
        if name.bold and exponent.expr == self._notation.resolve("T"):
            self._fail("^T of a vector reads as a transpose, which is not supported", name.tok, exponent)
        return _F(self._power(self._symbol(name), exponent, c[1]), "other", name.tok, end)

    def _power(self, base: sp.Expr, exponent: _E, sup: Token) -> sp.Expr:
        e = exponent.expr
        if e.is_Number:
            if abs(e) > MAX_EXPONENT:
                self._fail("exponent too large", sup, exponent)
            if base.is_Rational and e > 0 and _digits_of(base) * e > MAX_DIGITS:
                self._fail("number too large", sup, exponent)
        if base.is_zero is True and e.is_negative is True:
            self._fail("division by zero", sup, exponent)
        return sp.Pow(base, e)

    def _scripted(self, c: list[Any], value: sp.Expr, kind: str, close: int) -> _F:
        """``value``, raised to the optional ``^{…}`` at ``c[close + 1:]``."""
        first: Token = c[0]
        if len(c) == close + 1:
            return _F(value, kind, first, _end(c[close]))
        if kind == "braced":
            self._fail("ambiguous: a braced sum {…} raised to a power; use ( )", first, c[-1])
        powered = self._power(value, c[close + 2], c[close + 1])
        return _F(powered, "number" if kind == "number" else "other", first, _end(c[-1]))

    # -- factors

    def number(self, c: list[Any]) -> _F:
        digits: Token = next(x for x in c if isinstance(x, Token) and x.type == "NUMBER")
        value = sp.Rational(str(digits.value)) if "." in digits.value else sp.Integer(str(digits.value))
        if c[0].type == "BOLD":
            return _F(value, "number", c[0], _end(c[-1]))
        return self._scripted(c, value, "number", 0)

    def paren(self, c: list[Any]) -> _F:
        return self._scripted(c, c[1].expr, "other", 2)

    def bracket(self, c: list[Any]) -> _F:
        return self._scripted(c, c[1].expr, "other", 2)

    def setgroup(self, c: list[Any]) -> _F:
        return self._scripted(c, c[1].expr, "other", 2)

    def absval(self, c: list[Any]) -> _F:
        return self._scripted(c, sp.Abs(c[1].expr), "other", 2)

    def norm(self, c: list[Any]) -> _F:
        if len(c) > 3 and isinstance(c[3], Token) and c[3].type == "SUB":  # \|v\|_2
            if c[4].expr != 2:
                self._fail("only the Euclidean norm \\|v\\|_2 is supported", c[3], c[4])
            c = [*c[:3], *c[5:]]
        return self._scripted(c, Norm(c[1].expr), "other", 2)

    def brace(self, c: list[Any]) -> _F:
        inner: _E = c[1]
        return self._scripted(c, inner.expr, "braced" if inner.compound else "other", 2)

    def const(self, c: list[Any]) -> _F:
        return _F(sp.Symbol("const"), "other", c[0], _end(c[0]))

    def infty(self, c: list[Any]) -> _F:
        return _F(sp.oo, "other", c[0], _end(c[0]))

    def euler(self, c: list[Any]) -> _F:
        if len(c) == 1:
            return _F(sp.E, "other", c[0], _end(c[0]))
        return _F(sp.exp(c[2].expr), "other", c[0], _end(c[2]))

    def frac(self, c: list[Any]) -> _F:
        op, numerator, denominator = c
        if denominator.expr.is_zero is True:
            self._fail("division by zero", op, denominator)
        digits = sum(_digits_of(x.expr.as_coeff_Mul()[0]) for x in (numerator, denominator))
        if digits > MAX_DIGITS:
            self._fail("number too large", op, denominator)
        return _F(numerator.expr / denominator.expr, "other", op, denominator.end)

    def sqrt(self, c: list[Any]) -> _F:
        if len(c) == 2:
            return _F(sp.sqrt(c[1].expr), "other", c[0], c[1].end)
        degree: sp.Expr = c[2].expr
        if degree.is_zero is True:
            self._fail("a root of degree zero", c[0], c[3])
        return _F(sp.root(c[4].expr, degree), "other", c[0], c[4].end)

    def gauss(self, c: list[Any]) -> _F:
        if len(c) == 6:
            self._fail(r"write \mathcal{N}(z; mean, variance I): the variable and ';' are required", c[0], c[-1])
        z, mean, variance, closing = c[2], c[4], c[6], c[7]
        scale = self._isotropic(variance.expr)
        if scale is None:
            self._fail(
                r"the variance of \mathcal{N} must be written v I (an isotropic covariance)", variance.tok, variance
            )
        return _F(Gaussian(z.expr, mean.expr, scale), "other", c[0], _end(closing))

    def _isotropic(self, variance: sp.Expr) -> sp.Expr | None:
        """v of a covariance written v I (or I), else None."""
        identity = self._identity()
        scale: sp.Expr | None = None
        if variance == identity:
            scale = sp.Integer(1)
        elif isinstance(variance, sp.Mul) and identity in variance.args:
            scale = sp.Mul(*(a for a in variance.args if a != identity))
        return None if scale is None or scale.has(identity) else scale

    def func_closed(self, c: list[Any]) -> _F:
        return _F(FUNCTIONS[c[0].value](c[2].expr), "other", c[0], _end(c[3]))

    def bare(self, c: list[Any]) -> _F:
        func: Token = c[0]
        argument: _F = c[1]
        if argument.kind in ("braced", "product"):
            self._fail(f"ambiguous argument of \\{func.value}: use parentheses", func, argument)
        return _F(FUNCTIONS[func.value](argument.expr), "bare", func, argument.end)

    def sarg(self, c: list[Any]) -> _E:
        if len(c) == 3:
            inner: _E = c[1]
            return _E(inner.expr, inner.compound, c[0], _end(c[2]))
        tok: Token = c[0]
        if tok.type == "NUMBER":
            return _E(sp.Integer(str(tok.value)), False, tok, _end(tok))
        return _E(self._symbol(_Name(str(tok.value), None, tok, _end(tok))), False, tok, _end(tok))

    # -- subscripts and limits

    def limits(self, c: list[Any]) -> tuple[sp.Symbol, sp.Expr, sp.Expr, str]:
        if c[0].type == "SUB":
            letter, lo, hi = c[2], c[4], c[7]
        else:
            hi, letter, lo = c[1], c[4], c[6]
        return self._index_letter(str(letter.value)), lo.expr, hi.expr, str(letter.value)

    def idx_arg(self, c: list[Any]) -> _E:
        if len(c) == 3:
            inner: _E = c[1]
            return _E(inner.expr, False, c[0], _end(c[2]))
        return self._index_term(c)

    def idx(self, c: list[Any]) -> _E:
        # an index expression (t - 1) is a sum like any other
        return _signed_sum(c)

    def iterm(self, c: list[Any]) -> _E:
        return self._index_term(c)

    def _index_term(self, c: list[Any]) -> _E:
        tok: Token = c[0]
        value: sp.Expr
        if tok.type == "NUMBER":
            if "." in tok.value:
                self._fail("an index must be an integer", tok)
            value = sp.Integer(str(tok.value))
            if len(c) == 2:
                value = value * self._index_letter(str(c[1].value))
        elif tok.type == "LETTER":
            value = self._index_letter(str(tok.value))
        elif tok.type == "GREEK":
            value = sp.Symbol(str(tok.value))
        elif tok.type == "TEXT":
            value = sp.Symbol(rf"\text{{{tok.value}}}")
        else:
            value = sp.oo
        return _E(value, False, tok, _end(c[-1]))

    def _index_letter(self, letter: str) -> sp.Symbol:
        if letter in ("t", "i"):
            try:
                return self._notation[letter]
            except UnknownNameError:
                pass
        return sp.Symbol(letter, integer=True)


def _append(c: list[Any]) -> list[_F]:
    """A juxtaposition grows left to right: the list so far, then one factor."""
    if len(c) == 1:
        return [c[0]]
    factors: list[_F] = c[0]
    factors.append(c[1])
    return factors


def _inner_name(c: list[Any]) -> _Name:
    """The name under an accent or a bold: ``{name}`` or one token."""
    if isinstance(c[0], Token) and c[0].type == "LBRACE":
        inner: _Name = c[1]
        return inner
    tok: Token = c[0]
    return _Name(str(tok.value), None, tok, _end(tok))


def _digits_of(number: sp.Rational) -> int:
    """About how many decimal digits the larger of numerator and denominator has."""
    size = max(abs(int(number.p)), int(number.q))
    return int(size.bit_length() * math.log10(2)) + 1


__all__ = ["Row", "Statement", "UnhandledRuleError", "parse_math"]

"""The vocabulary of the lexer, as data: what each control word, symbol and character is."""

from __future__ import annotations

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
MAX_LITERAL_DIGITS = 1000
_KL, _D = ("TEXT", "KL"), (("LETTER", "D"), ("SUB", "_"))
#: the token shapes of a divergence's name, longest first: D_{KL}, D_{\mathrm{KL}}, D_\mathrm{KL}, \mathrm{KL}
DIVERGENCE_NAMES = (
    (*_D, ("LBRACE", "{"), ("LETTER", "K"), ("LETTER", "L"), ("RBRACE", "}")),
    (*_D, ("LBRACE", "{"), _KL, ("RBRACE", "}")),
    (*_D, _KL),
    (_KL,),
)

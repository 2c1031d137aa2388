"""The vocabulary of the lexer, as data: what each control word, symbol and character is."""

from __future__ import annotations

# -- tokens -----------------------------------------------------------------------------------------

GREEK = frozenset((
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "pi", "varpi", "rho", "varrho", "sigma", "varsigma", "tau", "upsilon", "phi", "varphi",
    "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
    # not Greek, but a letter all the same: ℓ
    "ell",
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
#: words between statements: "therefore", and arrows from one statement to the next
SEPARATING = (
    "therefore", "because", "Rightarrow", "Longrightarrow", "implies", "iff", "Leftrightarrow", "Longleftrightarrow",
    "Downarrow", "Uparrow", "Leftarrow", "impliedby", "mapsto", "longmapsto",
    # MathJax's and KaTeX's short names of arrows
    "rarr", "rArr", "Rarr", "larr", "lArr", "Larr", "harr", "hArr", "Harr", "darr", "dArr", "Darr", "uarr", "uArr",
)  # fmt: skip
#: functions of one argument; the reader knows which SymPy function (or opaque construct) each is
FUNCTION_WORDS = ("log", "ln", "exp", "cos", "sin", "tan", "cosh", "sinh", "tanh", "det")
#: functions whose unbracketed argument may run on over \cdot: ``\log a \cdot b`` is written for log(ab) as
#: often as for (log a) b, so it reads two ways; ``\sin x \cdot \cos x`` is always a product
RUNS_ON_OVER_CDOT = frozenset(("log", "ln", "exp"))
#: a box or a strike-through around a part of a formula: the part is still there
WRAPPERS = ("boxed", "cancel", "bcancel", "xcancel")
#: control words that make one token: name -> (type, value)
WORDS: dict[str, tuple[str, str]] = {
    **{g: ("GREEK", "\\" + g) for g in GREEK},
    **{a: ("ACCENT", v) for a, v in ACCENTS.items()},
    **{r: ("REL", v) for r, v in RELATIONS.items()},
    **{b: ("BOLD", b) for b in ("mathbf", "boldsymbol", "bm")},
    **{f: ("FRAC", f) for f in ("frac", "dfrac", "tfrac")},
    **{f: ("FUNC", f) for f in FUNCTION_WORDS},
    **{d: ("DOTS", d) for d in ("dots", "ldots", "cdots", "vdots", "ddots")},
    **{s: ("SEP", s) for s in SEPARATING},
    **{w: ("WRAP", w) for w in WRAPPERS},
    **dict.fromkeys(("coloneqq", "triangleq", "equiv", "eqqcolon"), ("REL", ":=")),
    **{o: ("OPT", o) for o in ("max", "min", "argmax", "argmin", "sup", "inf")},
    **{i: ("INT", i) for i in ("int", "iint", "iiint", "oint")},
    **dict.fromkeys(("top", "intercal"), ("TOP", "top")),
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
    "arg": ("ARG", "arg"), "prime": ("PRIME", "'"), "langle": ("LANGLE", "<"), "rangle": ("RANGLE", ">"),
    "odot": ("CDOT", "odot"), "space": ("SPACE", " "), "triangle": ("TEXT", "def"),
    "ell": ("GREEK", r"\ell"), "div": ("SLASH", "div"), "ast": ("TIMES", "ast"), "cancelto": ("CANCELTO", "cancelto"),
    **dict.fromkeys(("cap", "cup", "setminus"), ("OPAQUE", "an operation on sets")),
    **{a: ("STACK", a) for a in ("overset", "underset", "stackrel")},
    **{a: ("XARROW", a) for a in ("xrightarrow", "xleftarrow", "xRightarrow", "xLeftarrow", "xleftrightarrow")},
}  # fmt: skip
#: what a note over = says when it makes the equation a definition: \overset{\text{def}}{=}
DEFINING_NOTES = frozenset(("def", "def.", "defn", "d", "Δ", ":"))
#: Unicode characters that stand for a control word (α is \alpha) or for an ASCII character (− is -)
UNICODE_WORDS = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ϵ": "epsilon", "ε": "varepsilon", "ζ": "zeta", "η": "eta",
    "θ": "theta", "ϑ": "vartheta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi",
    "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "υ": "upsilon", "ϕ": "phi", "φ": "varphi", "χ": "chi", "ψ": "psi",
    "ℓ": "ell", "ω": "omega", "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Π": "Pi",
    "Σ": "Sigma", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega", "∣": "mid", "·": "cdot", "⋅": "cdot", "×": "times", "≤": "leq",
    "≥": "geq", "≠": "neq", "≈": "approx", "∝": "propto", "∈": "in", "∞": "infty", "∑": "sum", "∏": "prod",
    "√": "sqrt", "∇": "nabla", "∂": "partial", "→": "to", "∼": "sim", "‖": "Vert", "⟨": "langle", "⟩": "rangle",
    "…": "dots", "⋯": "cdots", "∫": "int", "⇒": "Rightarrow", "⟹": "implies", "∴": "therefore", "∵": "because",
    "≜": "triangleq", "≔": "coloneqq", "≡": "equiv", "⊤": "top", "′": "prime", "⊙": "odot",
}  # fmt: skip
UNICODE_CHARS = {"−": "-", "–": "-", "＝": "=", "（": "(", "）": ")", "，": ","}
#: control words whose {argument} is read as raw text
RAW = frozenset(
    ("text", "textrm", "mathrm", "operatorname", "mbox", "mathbb", "mathcal", "begin", "end", "tag", "label",
     "mathsf", "mathit", "textit", "textbf", "mathscr")
)  # fmt: skip
#: words in \text{…} or \operatorname{…} that name an operator: the token each makes
TEXT_OPERATORS = {
    "argmax": ("OPT", "argmax"), "argmin": ("OPT", "argmin"), "max": ("OPT", "max"), "min": ("OPT", "min"),
    "tr": ("FUNC", "tr"), "Tr": ("FUNC", "tr"), "trace": ("FUNC", "tr"), "det": ("FUNC", "det"),
    "diag": ("FUNC", "diag"), "Var": ("FUNC", "Var"), "Cov": ("FUNC", "Cov"), "exp": ("FUNC", "exp"),
    "log": ("FUNC", "log"),
}  # fmt: skip
COLOURS = frozenset(("color", "textcolor"))
#: control symbols: \\ \{ \} \|, and spaces
SYMBOLS = {"\\": ("ROWSEP", "\\\\"), "{": ("LSET", "{"), "}": ("RSET", "}"), "|": ("DBAR", "||"), "&": ("SEP", "and")}
SPACES = frozenset(",;:!> \t\r\n")
CHARS = {
    "(": "LPAR", ")": "RPAR", "[": "LBRACK", "]": "RBRACK", "{": "LBRACE", "}": "RBRACE", "+": "PLUS", "-": "MINUS",
    "=": "EQ", "<": "REL", ">": "REL", ",": "COMMA", ";": "SEMI", "|": "BAR", "&": "AMP", "^": "SUP", "_": "SUB",
    "/": "SLASH", ".": "PERIOD", ":": "COLON", "'": "PRIME", "*": "TIMES",
}  # fmt: skip
ENVIRONMENTS = frozenset(
    ("aligned", "align", "align*", "split", "gathered", "gather", "gather*", "equation", "equation*")
)
ALIGNING = frozenset(("aligned", "align", "align*", "split"))
#: environments inside a formula, read as one opaque part: what each is, in words
INNER_ENVIRONMENTS = {
    **dict.fromkeys(
        ("matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "smallmatrix", "array"), "a matrix"
    ),
    **dict.fromkeys(("cases", "dcases"), "a definition by cases"),
}
#: \text{…} between statements that only joins them
SEPARATOR_WORDS = frozenset(
    ("where", "and", "for", "for all", "with", "since", "because", "so", "hence", "thus", "i.e.", "s.t.", "if",
     "otherwise", "or", "then", "as", "when", "given", "e.g.", "so that", "such that", "therefore", "we have",
     "we get", "which gives", "gives", "yields", "let", "then we have",
     "其中", "且", "并且", "和", "即", "所以", "因此", "则", "由于", "因为", "可得", "得到", "令", "设")
)  # fmt: skip
OPENERS = frozenset(("LPAR", "LBRACK", "LSET", "LBRACE", "ABS_OPEN", "NORM_OPEN", "LANGLE"))
#: what each closing delimiter may close: intervals mix ( and ]
CLOSERS = {"RPAR": ("LPAR", "LBRACK"), "RBRACK": ("LBRACK", "LPAR"), "RSET": ("LSET",), "RBRACE": ("LBRACE",),
           "ABS_CLOSE": ("ABS_OPEN",), "NORM_CLOSE": ("NORM_OPEN",), "RANGLE": ("LANGLE",)}  # fmt: skip
#: a token of these types can end an operand: a | or \| after it closes, or is a conditional bar
OPERAND_END = frozenset(
    ("LETTER", "GREEK", "NUMBER", "CALNAME", "INFTY", "RPAR", "RBRACK", "RBRACE", "RSET", "ABS_CLOSE", "NORM_CLOSE",
     "TEXT", "CONST", "ROMAN_E", "RANGLE", "PRIME", "TRANSPOSE", "DOTS")
)  # fmt: skip
BINARY = frozenset(("PLUS", "MINUS", "CDOT", "TIMES", "SLASH"))
#: operators whose subscript says what they run over; a \quad after it is a space, not a separator
OPERATORS_WITH_SCRIPTS = frozenset(("OPT", "BIGOP", "LIM", "INT", "NABLA", "EOPEN", "BB"))
#: words that start a row set aside from a chain: "let", "where", "because"; the next row that goes on
#: with the chain goes on from the row before
ASIDE_WORDS = frozenset(
    ("let", "where", "because", "since", "given", "with", "for", "for all", "if", "assume", "note", "set", "define",
     "设", "令", "其中", "由于", "因为")
)  # fmt: skip
#: separators that only lay out a row; any other (\text{where}, \Rightarrow) says something in words
LAYOUT_SEPARATORS = frozenset(("&", "quad", "qquad"))
#: what ends the unbracketed argument of \log (for the error message about what follows it)
BREAKS = BINARY | {"EQ", "REL", "IN", "SEP", "COMMA", "GIVEN", "SEMI", "TO"}
#: what ends the scope of an integral at its own level: its dx comes before
INTEGRAL_ENDS = frozenset(
    ("PLUS", "MINUS", "EQ", "REL", "IN", "SEP", "COMMA", "SEMI", "GIVEN", "TO", "MIDBAR", "ROWSEP", "AMP", "SIM")
)
#: what an index expression is made of, besides + - ( ) and the : of a range
INDEX_ATOMS = frozenset(("NUMBER", "LETTER", "GREEK", "TEXT", "INFTY"))
#: what differentials at the end of an integral are made of: dx\, dz, d\mathbf{x}_1 \dots d\mathbf{x}_T
DIFFERENTIAL_RUN = frozenset(
    ("DIFF", "LETTER", "GREEK", "BOLD", "ACCENT", "LBRACE", "RBRACE", "SUB", "SUP", "NUMBER", "DOTS", "COMMA", "LABEL")
)
MAX_BRACKETS = 64
MAX_LITERAL_DIGITS = 1000
_KL, _D = ("TEXT", "KL"), (("LETTER", "D"), ("SUB", "_"))
#: the token shapes of a divergence's name, longest first: D_{KL}, D_{\mathrm{KL}}, D_\mathrm{KL}, \mathrm{KL}, KL
DIVERGENCE_NAMES = (
    (*_D, ("LBRACE", "{"), ("LETTER", "K"), ("LETTER", "L"), ("RBRACE", "}")),
    (*_D, ("LBRACE", "{"), _KL, ("RBRACE", "}")),
    (*_D, _KL),
    (_KL,),
    (("LETTER", "K"), ("LETTER", "L")),
)

"""How check-doc words a counterexample: in the document's notation, saying which side has which value.

Symbols are named as the document writes them, in the Unicode a terminal shows (``ᾱ_{t-1}``, not the
engine's ``abar_tm1``); what each pair of values is comes from ``COMPARED``, a catalogue keyed by what
the engine compared.
"""

from __future__ import annotations

import sympy as sp

from derive.model import Condition, ConditionKind, Counterexample
from derive.notation import Notation

#: what the engine compared -> the sentence that says which side has which value
COMPARED = {
    "values": "the left side is {left}, the right side {right}",
    "differences": "the left side minus the right is {left} here, but {right} at {other}",
    "ratios": "the left side over the right is {left} here, but {right} at {other}",
    "coefficient": "the claim gives {left}, the coefficient is {right}",
    "means": "the left side has mean {left}, the right side mean {right}",
    "variances": "the left side has variance {left}, the right side variance {right}",
}

#: LaTeX macros of letters -> the letter
LETTERS = {
    **{
        f"\\{name}": letter
        for name, letter in zip(
            [
                "alpha",
                "beta",
                "gamma",
                "delta",
                "epsilon",
                "varepsilon",
                "zeta",
                "eta",
                "theta",
                "vartheta",
                "iota",
                "kappa",
                "lambda",
                "mu",
                "nu",
                "xi",
                "pi",
                "varpi",
                "rho",
                "varrho",
                "sigma",
                "varsigma",
                "tau",
                "upsilon",
                "phi",
                "varphi",
                "chi",
                "psi",
                "omega",
                "ell",
            ],
            "αβγδεεζηθϑικλμνξπϖρϱσςτυφφχψωℓ",
            strict=True,
        )
    },
    **{
        f"\\{name}": letter
        for name, letter in zip(
            ["Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"],
            "ΓΔΘΛΞΠΣΥΦΨΩ",
            strict=True,
        )
    },
}
#: operators -> their sign
OPERATORS = {"\\prod": "∏", "\\sum": "∑", "\\cdot": "·"}
#: accents -> the combining mark that follows the letter
ACCENTS = {"\\bar": "\u0304", "\\tilde": "\u0303", "\\hat": "\u0302"}


def name(symbol: sp.Basic, notation: Notation) -> str:
    """A symbol as the document writes it, in Unicode where that is plain: ``ᾱ_{t-1}``, ``α_3``."""
    if isinstance(symbol, sp.Indexed):
        return f"{name(symbol.base, notation)}_{_subscript(symbol.indices[0])}"
    entry = notation.entry_of(symbol)
    latex = entry.latex if entry is not None else str(symbol)
    return unicode(latex).replace(" ", "")


def _subscript(index: sp.Basic) -> str:
    text = str(index).replace(" ", "")
    return text if len(text) == 1 else f"{{{text}}}"


def unicode(latex: str) -> str:
    r"""``\bar{\alpha}_{t-1}`` -> ``ᾱ_{t-1}``: letters and accents only; anything else stays LaTeX."""
    text = latex
    for accent, mark in ACCENTS.items():
        for macro, letter in sorted(LETTERS.items(), key=lambda kv: -len(kv[0])):
            text = text.replace(f"{accent}{{{macro}}}", letter + mark)
    for macro, letter in sorted(LETTERS.items(), key=lambda kv: -len(kv[0])):
        # a macro name ends where letters end: \eta must not take the start of \etaX
        parts = text.split(macro)
        text = parts[0] + "".join(letter + p if not p[:1].isalpha() else macro + p for p in parts[1:])
    for accent, mark in ACCENTS.items():
        for letter in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
            text = text.replace(f"{accent}{{{letter}}}", letter + mark)
    for operator, sign in OPERATORS.items():
        text = text.replace(operator, sign)
    # braces around one letter group nothing: {α}_{i} is α_i
    return "".join(_unbraced(text))


def _unbraced(text: str) -> list[str]:
    out: list[str] = []
    k = 0
    while k < len(text):
        if text[k] == "{" and k + 2 < len(text) and text[k + 2] == "}" and text[k + 1] not in "{}\\":
            out.append(text[k + 1])
            k += 3
        else:
            out.append(text[k])
            k += 1
    return out


def refutation(found: Counterexample, notation: Notation, reading: str = "") -> str:
    """``refuted at ᾱ_{t-1} = 81/121, α_t = 256/289: the left side is 13/17, the right side -12/11``;
    ``reading`` says how the claim was read, when not as written (``in distribution``)."""
    head = " ".join(part for part in ("refuted", reading) if part)
    point = _point(found.point, found, notation)
    # the domains the document declared for the point's symbols: the point lies inside them
    symbols = {s for s, _ in (*found.point, *(found.other or ()))}
    within = "; ".join(unicode(text) for s, text in notation.declarations if s in symbols)
    point += f" (within {within})" if within else ""
    return f"{head} at {point}: {sentence(found, notation)}" if point else f"{head}: {sentence(found, notation)}"


def sentence(found: Counterexample, notation: Notation) -> str:
    """Which side has which value, as the catalogue words what was compared."""
    other = _point(found.other or (), found, notation)
    template = COMPARED.get(found.compared, found.compared + " {left} vs {right}")
    return template.format(left=found.number(found.left), right=found.number(found.right), other=other)


def _point(pairs: tuple[tuple[sp.Symbol, sp.Expr], ...], found: Counterexample, notation: Notation) -> str:
    return ", ".join(f"{name(s, notation)} = {found.number(v)}" for s, v in pairs)


#: how the engine names the identities it used, in a reason: replaced by what the identities say
NOTATION_MEANS = ("refuted by what the notation means: ", "with what the notation means: ")


def reason(text: str, notation: Notation) -> str:
    """An engine's reason with identity keys (``abar-product, beta``) written as the identities
    (``ᾱ_t = ∏_{i=1}^{t} α_i, β_t = 1 - α_t``)."""
    for lead in NOTATION_MEANS:
        start = text.find(lead)
        if start < 0:
            continue
        end = text.find(";", start)
        end = len(text) if end < 0 else end
        keys = text[start + len(lead) : end].split(", ")
        known = {identity.key for identity in notation.identities}
        if not all(key in known for key in keys):
            continue
        said = ", ".join(identity(key, notation) for key in keys)
        text = f"{text[:start]}{lead.replace('what the notation means', 'the notation')}{said}{text[end:]}"
    return text


def identity(key: str, notation: Notation) -> str:
    """The first equation of a notation identity, as SymPy prints it in the notation's names."""
    lhs, rhs = notation.identity(key).written[0]
    latex = sp.latex(sp.Eq(lhs, rhs, evaluate=False), symbol_names=notation.latex_names)
    return unicode(latex)


#: what a condition asks of its expression
REQUIRES = {ConditionKind.NONZERO: "≠ 0", ConditionKind.POSITIVE: "> 0", ConditionKind.NONNEGATIVE: "≥ 0"}


def conditions(found: tuple[Condition, ...], notation: Notation) -> list[str]:
    """What a step needs that the domain does not guarantee, and no named boundary says (``1 - r ≠ 0``)."""
    said = []
    for condition in found:
        if condition.guaranteed or condition.boundary is not None or condition.waived:
            continue
        latex = sp.latex(condition.expr, symbol_names=notation.latex_names)
        text = f"{unicode(latex)} {REQUIRES[condition.kind]}"
        if text not in said:
            said.append(text)
    return said

"""The LaTeX printer: SymPy's, with the notation's symbol names and the author's term order.

Expressions reach it unevaluated (built under ``sympy.evaluate(False)``), and ``order='none'``
prints their arguments as written. The overrides below only keep that order where SymPy's own
methods would re-evaluate (negating a term re-sorts its factors) and print derive's own objects.
"""

from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter

from derive.notation import Notation
from derive.objects import KL, Bracket, Density, Expectation, Gaussian, Norm


class Changed(sp.Function):
    """Marks a term that is new since the previous step, for the HTML pages to highlight."""

    nargs = 1


#: the colour of a changed term (an accessible dark orange on white)
CHANGED_COLOUR = "#b45309"


class DerivePrinter(LatexPrinter):
    def __init__(self, notation: Notation, **settings: Any) -> None:
        names = {**notation.latex_names, **settings.pop("symbol_names", {})}
        super().__init__({"order": "none", "symbol_names": names, **settings})
        self.notation = notation

    # -- term order ---------------------------------------------------------------------------

    def _print_Add(self, expr: sp.Add, order: str | None = None) -> str:
        tex = ""
        for i, term in enumerate(_flat_terms(expr)):
            negated = _negate(term)
            if i > 0:
                tex += " - " if negated is not None else " + "
            elif negated is not None:
                tex += "-"
            shown = negated if negated is not None else term
            term_tex = self._print(shown)
            if self._needs_add_brackets(shown) or (negated is not None and isinstance(shown, sp.Add)):
                term_tex = rf"\left({term_tex}\right)"
            tex += term_tex
        return tex

    def _print_Mul(self, expr: sp.Mul) -> str:
        negated = _negate(expr)
        if negated is not None:
            inner = self._print(negated)
            wrap = isinstance(negated, sp.Add) or inner.startswith("-")
            return "-" + (rf"\left({inner}\right)" if wrap else inner)
        head, *rest = expr.args
        if head.is_Rational and not head.is_Integer and rest:
            # ½ [ ... ] as written, not [ ... ] / 2
            tail = rest[0] if len(rest) == 1 else sp.Mul(*rest, evaluate=False)
            inner = self._print(tail)
            if isinstance(tail, sp.Add):
                inner = rf"\left({inner}\right)"
            return f"{self._print(head)} {inner}"
        return str(super()._print_Mul(expr))

    # -- derive's objects ---------------------------------------------------------------------

    def _print_Norm(self, expr: Norm, exp: str | None = None) -> str:
        tex = rf"\left\|{self._print(expr.args[0])}\right\|"
        return f"{tex}^{{{exp}}}" if exp else tex

    def _print_Indexed(self, expr: sp.Indexed) -> str:
        # α_i as the notation names α, not SymPy's {\alpha}_{i}
        base = self._print(expr.base.label)
        index = ", ".join(self._print(i) for i in expr.indices)
        return f"{base}_{index}" if len(index) == 1 else f"{base}_{{{index}}}"

    def _print_Limit(self, expr: sp.Limit) -> str:
        # one-sided from inside the domain, which the relation states; 1^- would not read back
        body, var, value, _ = expr.args
        inner = self._print(body)
        if isinstance(body, sp.Add):
            inner = rf"\left({inner}\right)"
        return rf"\lim_{{{self._print(var)} \to {self._print(value)}}} {inner}"

    def _print_Bracket(self, expr: Bracket) -> str:
        return rf"\left[{self._print(expr.args[0])}\right]"

    def _print_Gaussian(self, expr: Gaussian, exp: str | None = None) -> str:
        z, mean, variance = expr.args
        variance_tex = self._print(variance)
        if isinstance(variance, sp.Add):
            variance_tex = rf"\left({variance_tex}\right)"
        tex = rf"\mathcal{{N}}({self._print(z)}; {self._print(mean)}, {variance_tex} I)"
        return f"{tex}^{{{exp}}}" if exp else tex

    def _print_KL(self, expr: KL, exp: str | None = None) -> str:
        p, q = (self._print(arg) for arg in expr.args)
        tex = rf"D_{{\mathrm{{KL}}}}\left({p} \,\middle\|\, {q}\right)"
        return rf"\left({tex}\right)^{{{exp}}}" if exp else tex

    def _print_Expectation(self, expr: Expectation, exp: str | None = None) -> str:
        body, x, mean, variance = expr.args
        variance_tex = self._print(variance)
        if isinstance(variance, sp.Add):
            variance_tex = rf"\left({variance_tex}\right)"
        under = rf"{self._print(x)} \sim \mathcal{{N}}({self._print(mean)}, {variance_tex})"
        tex = rf"\mathbb{{E}}_{{{under}}}\left[{self._print(body)}\right]"
        return rf"\left({tex}\right)^{{{exp}}}" if exp else tex

    def _print_Changed(self, expr: Changed) -> str:
        return rf"{{\color{{{CHANGED_COLOUR}}} {self._print(expr.args[0])}}}"

    def _print_AppliedUndef(self, expr: AppliedUndef, exp: str | None = None) -> str:
        # an unspecified term C(σ_1, σ_2) as the author writes it, not SymPy's C{\left(...\right)}
        name = self._print(sp.Symbol(expr.func.__name__))
        tex = f"{name}({', '.join(self._print(a) for a in expr.args)})"
        return f"{tex}^{{{exp}}}" if exp else tex

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        # the score as the author writes it: ∇_{x_t} log q(x_t | x_0), read per coordinate
        (variable, count), *rest = expr.variable_count
        if not rest and count == 1 and isinstance(expr.expr, sp.log):
            return rf"\nabla_{{{self._print(variable)}}} {self._print(expr.expr)}"
        return str(super()._print_Derivative(expr))

    def _print_log(self, expr: sp.log, exp: str | None = None) -> str:
        # log q(x|y) as written, without parentheses around an application
        (arg,) = expr.args
        if isinstance(arg, (Density, Gaussian)):
            tex = rf"\log {self._print(arg)}"
            return rf"\left({tex}\right)^{{{exp}}}" if exp else tex
        return str(super()._print_log(expr, exp))

    def _print_Density(self, expr: Density, exp: str | None = None) -> str:
        variables = ", ".join(self._print(v) for v in expr.variables)
        given = ", ".join(self._print(v) for v in expr.given)
        inside = f"{variables} | {given}" if given else variables
        tex = f"{self._print(expr.name)}({inside})"
        return f"{tex}^{{{exp}}}" if exp else tex


def _flat_terms(expr: sp.Add) -> list[sp.Expr]:
    """``(a + b) + c`` built by Python's binary ``+`` reads as ``a + b + c``."""
    terms: list[sp.Expr] = []
    for arg in expr.args:
        terms.extend(_flat_terms(arg) if isinstance(arg, sp.Add) else [arg])
    return terms


def _negate(term: sp.Expr) -> sp.Expr | None:
    """``-term`` without re-evaluating it, if ``term`` is written with a leading minus; else None."""
    if not isinstance(term, sp.Mul):
        return -term if term.is_Number and term < 0 else None
    head, *rest = term.args
    if isinstance(head, sp.Mul):
        # (-2 μ) / σ² is built as Mul(Mul(-2, μ), 1/σ²)
        inner = _negate(head)
        return None if inner is None else sp.Mul(inner, *rest, evaluate=False)
    if not (head.is_Number and head < 0):
        return None
    if head == -1:
        return rest[0] if len(rest) == 1 else sp.Mul(*rest, evaluate=False)
    return sp.Mul(-head, *rest, evaluate=False)


def latex(expr: sp.Basic, notation: Notation, **settings: Any) -> str:
    return str(DerivePrinter(notation, **settings).doprint(expr))

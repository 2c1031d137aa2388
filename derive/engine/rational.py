"""Turn an expression in independent symbols into a rational function, so that cancel() decides it.

- ``b**(p/q)`` of a symbol ``b`` becomes ``s**p`` with ``b = s**q`` and a fresh positive ``s``: the
  substitution is a bijection on ``b > 0``, so nothing is lost.
- ``log`` of a rational function becomes a sum of ``log|f|`` over its irreducible factors and of
  ``log p`` over the primes of its constant (sound where the argument is positive, a side condition).
- Any other non-rational subterm becomes an opaque generator. That only generalises: a zero found
  with opaque generators is a zero of the original, but a non-zero may still be an identity.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

import sympy as sp


@dataclass(frozen=True)
class RationalForm:
    expr: sp.Expr
    #: True when no opaque generator was introduced: then "not zero" is a real refutation.
    faithful: bool
    #: symbol b -> (s, q): b = s**q
    roots: tuple[tuple[sp.Symbol, sp.Symbol, int], ...]


def root_degrees(expr: sp.Expr) -> dict[sp.Symbol, int]:
    """For each symbol under a fractional power, the least common multiple of the root degrees."""
    degrees: dict[sp.Symbol, int] = {}
    for power in expr.atoms(sp.Pow):
        if isinstance(power.base, sp.Symbol) and power.exp.is_Rational and power.exp.q != 1:
            degrees[power.base] = int(sp.ilcm(degrees.get(power.base, 1), power.exp.q))
    return degrees


def to_rational(expr: sp.Expr) -> RationalForm:
    degrees = root_degrees(expr)
    roots = tuple(
        (b, sp.Dummy(f"root_{b}", positive=True), q) for b, q in sorted(degrees.items(), key=lambda kv: kv[0].name)
    )
    state = _Generators({b: (s, q) for b, s, q in roots})
    return RationalForm(state.visit(expr), state.faithful, roots)


def is_zero(form: RationalForm) -> bool:
    """Decide ``form == 0`` in the field of rational functions over QQ (faster than cancel())."""
    generators = sorted(form.expr.free_symbols, key=sp.default_sort_key)
    if not generators:
        return bool(form.expr == 0)
    field, *_ = sp.field(generators, sp.QQ)
    return bool(field.from_expr(form.expr) == 0)


class _Generators:
    """Rebuilds an expression over generators without assumptions.

    A rational identity does not depend on assumptions, and without them SymPy does not ask for
    the sign of every intermediate term while rebuilding, which is most of the cost.
    """

    def __init__(self, roots: dict[sp.Symbol, tuple[sp.Dummy, int]]) -> None:
        self.faithful = True
        self.opaque: dict[sp.Basic, sp.Dummy] = {}
        self.plain: dict[sp.Basic, sp.Expr] = {b: sp.Dummy(f"root_{b}") ** q for b, (_, q) in roots.items()}
        self.roots = {b: (self.plain[b].base, q) for b, (_, q) in roots.items()}

    def visit(self, expr: sp.Basic) -> sp.Expr:
        if expr.is_Rational:
            return expr
        if expr.is_Symbol:
            if expr not in self.plain:
                self.plain[expr] = sp.Dummy(expr.name)
            return self.plain[expr]
        if expr.is_Atom:
            return self._opaque(expr)
        if isinstance(expr, (sp.Add, sp.Mul)):
            return expr.func(*(self.visit(a) for a in expr.args))
        if isinstance(expr, sp.Pow):
            if expr.base in self.roots and expr.exp.is_Rational:
                root, degree = self.roots[expr.base]
                return root ** int(expr.exp * degree)
            if expr.exp.is_Integer:
                return self.visit(expr.base) ** expr.exp
            return self._opaque(expr)
        if isinstance(expr, sp.log):
            return self._log(self.visit(expr.args[0]))
        return self._opaque(expr)

    def _opaque(self, expr: sp.Basic) -> sp.Dummy:
        self.faithful = False
        if expr not in self.opaque:
            self.opaque[expr] = sp.Dummy(f"g{len(self.opaque)}")
        return self.opaque[expr]

    def _log(self, argument: sp.Expr) -> sp.Expr:
        if argument.has(sp.Dummy) and any(argument.has(d) for d in self.opaque.values()):
            return self._opaque(sp.log(argument))
        numer, denom = sp.fraction(sp.cancel(sp.together(argument)))
        return self._log_poly(numer) - self._log_poly(denom)

    def _log_poly(self, poly: sp.Expr) -> sp.Expr:
        constant, factors = sp.factor_list(poly)
        terms: list[sp.Expr] = []
        for factor, multiplicity in factors:
            # log|f| = log|-f|: one generator for both signs of the factor
            key = factor if sp.Poly(factor).LC() > 0 else sp.expand(-factor)
            terms.append(multiplicity * self._opaque_log(key))
        constant = abs(sp.Rational(constant))
        for prime, multiplicity in sp.factorint(constant.p).items():
            terms.append(multiplicity * self._opaque_log(sp.Integer(prime)))
        for prime, multiplicity in sp.factorint(constant.q).items():
            terms.append(-multiplicity * self._opaque_log(sp.Integer(prime)))
        return reduce(lambda a, b: a + b, terms, sp.Integer(0))

    def _opaque_log(self, key: sp.Expr) -> sp.Dummy:
        # logs of distinct irreducible factors and primes are independent generators, and they
        # do not make the form unfaithful: a non-zero combination of them is a real non-zero.
        faithful = self.faithful
        symbol = self._opaque(sp.log(sp.Abs(key, evaluate=False), evaluate=False))
        self.faithful = faithful
        return symbol

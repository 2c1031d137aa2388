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
from functools import lru_cache, reduce

import sympy as sp
from sympy.polys.rings import PolyElement, PolyRing

from derive.exceptions import UnsupportedExpressionError

#: the prefix of the numbered generators of a rational form; not a name LaTeX can produce
GENERATOR = "_gen_"


@dataclass(frozen=True)
class RationalForm:
    expr: sp.Expr
    #: True when no opaque generator was introduced: then "not zero" is a real refutation.
    faithful: bool
    #: symbol b -> (s, q): b = s**q, with s the generator that stands for the root
    roots: tuple[tuple[sp.Symbol, sp.Symbol, int], ...]
    #: how many numbered generators the form may use
    generators: int = 0
    #: each original symbol and the generator that stands for it (roots: the generator's power)
    symbols: tuple[tuple[sp.Basic, sp.Expr], ...] = ()


def root_degrees(expr: sp.Expr) -> dict[sp.Symbol, int]:
    """For each symbol under a fractional power, the least common multiple of the root degrees."""
    degrees: dict[sp.Symbol, int] = {}
    for power in expr.atoms(sp.Pow):
        if isinstance(power.base, sp.Symbol) and power.exp.is_Rational and power.exp.q != 1:
            degrees[power.base] = int(sp.ilcm(degrees.get(power.base, 1), power.exp.q))
    return degrees


def to_rational(expr: sp.Expr) -> RationalForm:
    degrees = root_degrees(expr)
    state = _Generators(dict(sorted(degrees.items(), key=lambda kv: kv[0].name)))
    rational = state.visit(expr)
    roots = tuple((b, root, q) for b, (root, q) in state.roots.items())
    return RationalForm(rational, state.faithful, roots, state.count, tuple(state.plain.items()))


def is_zero(form: RationalForm) -> bool:
    """Decide ``form == 0`` exactly: carry every subterm as numerator and denominator polynomials
    over QQ and test the final numerator. No gcds are taken on the way, which makes it several
    times faster than cancel() or a fraction field on the expressions derivations produce."""
    if not form.expr.free_symbols:
        return bool(form.expr == 0)
    ring, generators = _ring(form.generators)
    numerator, _ = _fraction(form.expr, ring, generators)
    return bool(numerator == 0)


Fraction = tuple[PolyElement, PolyElement]


def _fraction(expr: sp.Expr, ring: PolyRing, generators: dict[sp.Basic, PolyElement]) -> Fraction:
    if expr.is_Symbol:
        return generators[expr], ring.one
    if expr.is_Rational:
        return ring(sp.QQ(expr.p, expr.q)), ring.one
    if expr.is_Add:
        numerator, denominator = ring.zero, ring.one
        for arg in expr.args:
            n, d = _fraction(arg, ring, generators)
            numerator, denominator = numerator * d + n * denominator, denominator * d
        return numerator, denominator
    if expr.is_Mul:
        numerator, denominator = ring.one, ring.one
        for arg in expr.args:
            n, d = _fraction(arg, ring, generators)
            numerator, denominator = numerator * n, denominator * d
        return numerator, denominator
    if expr.is_Pow and expr.exp.is_Integer:
        n, d = _fraction(expr.base, ring, generators)
        k = int(expr.exp)
        return (n**k, d**k) if k >= 0 else (d**-k, n**-k)
    raise UnsupportedExpressionError(f"unsupported term in a rational form: {expr}")


@lru_cache(maxsize=32)
def _ring(count: int) -> tuple[PolyRing, dict[sp.Basic, PolyElement]]:
    """QQ[g0, ..., g{count-1}]: generators are numbered, so claims of the same size share a ring."""
    ring = PolyRing([sp.Symbol(f"{GENERATOR}{k}") for k in range(count)], sp.QQ)
    return ring, {symbol.as_expr(): gen for symbol, gen in zip(ring.symbols, ring.gens, strict=True)}


class _Generators:
    """Rebuilds an expression over generators without assumptions.

    A rational identity does not depend on assumptions, and without them SymPy does not ask for
    the sign of every intermediate term while rebuilding, which is most of the cost.
    """

    def __init__(self, degrees: dict[sp.Symbol, int]) -> None:
        self.faithful = True
        self.count = 0
        self.opaque: dict[sp.Basic, sp.Symbol] = {}
        self.plain: dict[sp.Basic, sp.Expr] = {b: self._new() ** q for b, q in degrees.items()}
        self.roots = {b: (self.plain[b].base, q) for b, q in degrees.items()}
        #: generator -> u, for the generators that stand for e^u
        self.exponentials: dict[sp.Symbol, sp.Expr] = {}

    def _new(self) -> sp.Symbol:
        """A generator numbered g0, g1, …, in the order met; is_zero's fields are keyed by the count."""
        symbol = sp.Symbol(f"{GENERATOR}{self.count}")
        self.count += 1
        return symbol

    def visit(self, expr: sp.Basic) -> sp.Expr:
        if expr.is_Rational:
            return expr
        if expr.is_Symbol:
            if expr not in self.plain:
                self.plain[expr] = self._new()
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
            return self._symbolic_power(expr)
        if isinstance(expr, sp.log):
            return self._log(self.visit(expr.args[0]))
        if isinstance(expr, sp.exp):
            return self._exponential(expr)
        return self._opaque(expr)

    def _exponential(self, expr: sp.exp) -> sp.Expr:
        """``e^{k u + j v}`` with integers k and j: ``(e^u)^k (e^v)^j``, one generator for each ``e^u``, so that
        ``e^{-(z_1 - z_2)}`` is ``e^{z_2} / e^{z_1}`` (softmax of two classes is the logistic function)."""
        constant, terms = expr.args[0].as_coeff_add()
        split = [term.as_coeff_Mul() for term in terms]
        if not split or not all(k.is_Integer for k, _ in split):
            return self._opaque(expr)
        parts = [self._exp_generator(unit) ** k for k, unit in split]
        return sp.Mul(*parts, self._opaque(sp.exp(constant)) if constant != 0 else sp.S.One)

    def _exp_generator(self, unit: sp.Expr) -> sp.Symbol:
        """One generator for ``e^u``: positive, and its log is ``u`` again (what logs of it give back)."""
        for generator, known in self.exponentials.items():
            if known == unit:
                return generator
        generator = self._new()
        self.exponentials[generator] = unit
        self.faithful = False
        return generator

    def _symbolic_power(self, expr: sp.Pow) -> sp.Expr:
        """``b^{c + k t}`` with integers c and k: ``b^c (b^t)^k``, one generator for ``b^t``, so that
        ``β^{-t-1} = β^{-1} / β^t`` cancels against ``β^t`` (a geometric sum's closed form)."""
        constant, terms = expr.exp.as_coeff_add()
        split = [term.as_coeff_Mul() for term in terms]
        if not constant.is_Integer or not all(k.is_Integer for k, _ in split):
            return self._opaque(expr)
        base = self.visit(expr.base) ** constant
        return sp.Mul(base, *(self._opaque(sp.Pow(expr.base, unit)) ** k for k, unit in split))

    def _opaque(self, expr: sp.Basic) -> sp.Symbol:
        self.faithful = False
        if expr not in self.opaque:
            self.opaque[expr] = self._new()
        return self.opaque[expr]

    def _log(self, argument: sp.Expr) -> sp.Expr:
        if any(argument.has(d) for d in self.opaque.values()):
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

    def _opaque_log(self, key: sp.Expr) -> sp.Expr:
        if key in self.exponentials:
            return self.visit(self.exponentials[key])  # log e^u = u
        # logs of distinct irreducible factors and primes are independent generators, and they
        # do not make the form unfaithful: a non-zero combination of them is a real non-zero.
        faithful = self.faithful
        symbol = self._opaque(sp.log(sp.Abs(key, evaluate=False), evaluate=False))
        self.faithful = faithful
        return symbol

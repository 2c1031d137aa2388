"""Numeric refutation: evaluate at rational points inside the domain, exactly where possible.

Symbols under a root are sampled as perfect powers (``α_t = (3/7)²``) so that ``√α_t`` stays
rational. Values that are still irrational are compared at 60 digits, and only a difference far
above the working precision counts.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import sympy as sp
from sympy.core.function import AppliedUndef

from derive.notation import REALS, Interval, Notation

DIGITS = 60
#: a model draws this many terms past the furthest index a point names (α_{t+1}, ᾱ_{t+2})
REACH = 2
#: Relative difference below which two 60-digit values are not called different.
MARGIN = sp.Float(10, DIGITS) ** -40


@dataclass(frozen=True)
class Value:
    value: sp.Expr
    exact: bool


def domain_of(symbol: sp.Symbol, domains: Mapping[sp.Symbol, Interval]) -> Interval:
    if symbol in domains:
        return domains[symbol]
    if symbol.is_positive:
        return Interval(sp.Integer(0), None)
    return REALS


def points(
    symbols: list[sp.Symbol],
    domains: Mapping[sp.Symbol, Interval],
    roots: Mapping[sp.Symbol, int],
    seed: int,
) -> Iterator[dict[sp.Symbol, sp.Expr]]:
    """An endless, reproducible stream of points inside the domain."""
    rng = random.Random(seed)
    while True:
        yield {
            s: _integer(rng, domains.get(s)) if s.is_integer else _sample(rng, domain_of(s, domains), roots.get(s, 1))
            for s in symbols
        }


#: integers are sampled among this many values from the least their domain allows (1 without a domain)
INTEGERS = 9


def _integer(rng: random.Random, interval: Interval | None) -> sp.Integer:
    """An integer inside ``interval``: 1 to 9 without one, else the nine from its least value (or up to
    its greatest, where it has no least)."""
    if interval is None:
        return sp.Integer(rng.randint(1, INTEGERS))
    lo = None if interval.lo is None else sp.floor(interval.lo) + 1 if interval.lo_open else sp.ceiling(interval.lo)
    hi = None if interval.hi is None else sp.ceiling(interval.hi) - 1 if interval.hi_open else sp.floor(interval.hi)
    if lo is None:
        lo = sp.Integer(1) if hi is None else hi - (INTEGERS - 1)
    first = lo
    last = hi if hi is not None and hi - lo < INTEGERS else first + INTEGERS - 1
    if last < first:
        raise ValueError(f"no integer inside {interval}")
    return sp.Integer(rng.randint(int(first), int(last)))


#: What a point cannot give a value to: a sequence known only by name, a function left unspecified.
#: (A limit can: at a point it is a limit in one variable, taken by ``evaluate``.)
UNEVALUABLE = (sp.Product, sp.Indexed, sp.Derivative, sp.Integral, AppliedUndef)
#: a sum is evaluated term by term at a point where its bounds are integers, up to this many terms
MAX_TERMS = 1000


def evaluable(expr: sp.Expr) -> bool:
    return not expr.has(*UNEVALUABLE)


def evaluable_in_a_model(expr: sp.Expr) -> bool:
    """Evaluable once a ``Model`` gives the sequences terms: nothing unevaluable but products of them."""
    return not expr.has(*(kind for kind in UNEVALUABLE if kind not in (sp.Product, sp.Indexed)))


def _sample(rng: random.Random, interval: Interval, degree: int) -> sp.Rational:
    """A rational ``r**degree`` strictly inside ``interval`` with a small, unremarkable ``r``."""
    lo, hi = interval.lo, interval.hi
    root_lo = None if lo is None else (sp.Rational(0) if lo <= 0 else _root_bound(lo, degree))
    root_hi = None if hi is None else _root_bound(hi, degree)
    for _ in range(100):
        denominator = rng.choice((7, 11, 13, 17, 19, 23, 29, 31))
        if root_lo is not None and root_hi is not None:
            r = root_lo + (root_hi - root_lo) * sp.Rational(rng.randint(1, denominator - 1), denominator)
        elif root_lo is not None:
            r = root_lo + sp.Rational(rng.randint(1, 5 * denominator), denominator)
        elif root_hi is not None:
            r = root_hi - sp.Rational(rng.randint(1, 5 * denominator), denominator)
        else:
            r = sp.Rational(rng.randint(-4 * denominator, 4 * denominator), denominator)
        value = r**degree
        if interval.contains(value) and (degree % 2 == 1 or r > 0 or lo is None or lo >= 0):
            return sp.Rational(value)
    raise ValueError(f"could not sample inside {interval}")


def _root_bound(bound: sp.Expr, degree: int) -> sp.Rational:
    root = sp.root(bound, degree)
    return sp.Rational(root) if root.is_Rational else sp.nsimplify(sp.N(root, 20), rational=True)


@dataclass(frozen=True)
class Sequence:
    """A sequence known by name (α_1, α_2, …) and the symbols the notation defines from it."""

    base: sp.IndexedBase
    domain: Interval
    #: ``α_t`` is the term at t
    terms: tuple[tuple[sp.Symbol, sp.Indexed], ...]
    #: ``ᾱ_t = ∏_{i=1}^{t} α_i``
    products: tuple[tuple[sp.Symbol, sp.Product], ...]
    #: the index of its first term: 1 for the notation's, 0 for a document's own (a_0, a_1, …)
    first: int = 1


@dataclass(frozen=True)
class Model:
    """Concrete terms for the notation's sequences, so that a product over an index has a value.

    A point of the domain gives ``t`` an integer; the model draws α_1 … α_n inside the terms'
    domain and sets every symbol the notation ties to them (α_t, ᾱ_t, ᾱ_{t-1}, then β_t = 1 - α_t),
    so the point means what the notation says and a difference found there is a counterexample.
    """

    sequences: tuple[Sequence, ...]
    #: the other identities, in order; each sets its symbol from values already fixed
    derived: tuple[tuple[sp.Symbol, sp.Expr], ...]
    #: the integer index symbols (t), drawn where a claim does not mention them
    indices: tuple[sp.Symbol, ...]

    def complete(self, point: Mapping[sp.Basic, sp.Expr], rng: random.Random) -> dict[sp.Basic, sp.Expr] | None:
        """The point with the sequences' terms and everything defined from them; None if a product
        there runs backwards (``∏_{i=2}^{0}``, whose value depends on a convention)."""
        done: dict[sp.Basic, sp.Expr] = dict(point)
        for index in self.indices:
            done.setdefault(index, sp.Integer(rng.randint(1, 9)))
        fixed: set[sp.Basic] = set()
        for sequence in self.sequences:
            positions = [term.indices[0].xreplace(done) for _, term in sequence.terms]
            ranges = [(p.limits[0][1].xreplace(done), p.limits[0][2].xreplace(done)) for _, p in sequence.products]
            bounds = [*positions, *(b for _, b in ranges)]
            if not all(b.is_Integer for b in bounds) or any(p < 1 for p in positions):
                return None
            if any(hi < lo - 1 or lo < 1 for lo, hi in ranges):
                return None
            # terms up to the furthest index the point or a claim may reach: t + 1, or another index s
            reach = [int(v) for v in done.values() if v.is_Integer] + [int(b) for b in bounds]
            last = max([1, *reach]) + REACH
            terms = {k: _sample(rng, sequence.domain, 1) for k in range(sequence.first, last + 1)}
            done.update({sequence.base[k]: v for k, v in terms.items()})
            for (symbol, _), position in zip(sequence.terms, positions, strict=True):
                done[symbol] = terms[int(position)]
            for (symbol, _), (lo, hi) in zip(sequence.products, ranges, strict=True):
                done[symbol] = sp.Mul(*(terms[k] for k in range(int(lo), int(hi) + 1)))
            fixed.update(s for s, _ in (*sequence.terms, *sequence.products))
        for symbol, rhs in self.derived:
            if symbol not in fixed:
                value = rhs.xreplace(done)
                if value.is_Rational:
                    done[symbol] = value
                    fixed.add(symbol)
        return done


def model_of(notation: Notation) -> Model | None:
    """The notation's sequences, if its identities define symbols as products over one."""
    sequences: list[Sequence] = []
    for identity in notation.identities:
        products = tuple((lhs, rhs) for lhs, rhs in identity.written if isinstance(rhs, sp.Product))
        bases = {p.function.base for _, p in products if isinstance(p.function, sp.Indexed)}
        for base in bases:
            terms = tuple((symbol, term) for term, symbol in identity.peels if term.base == base)
            domains = [notation.domains.get(symbol) for symbol, _ in terms]
            domain = next((d for d in domains if d is not None), domain_of(base.label, notation.domains))
            mine = tuple((lhs, p) for lhs, p in products if p.function.base == base)
            sequences.append(Sequence(base, domain, terms, mine))
    # a document's own sequences (a_k under a sum), which no identity ties to anything: any real terms
    covered = {sequence.base for sequence in sequences}
    sequences += [Sequence(base, REALS, (), (), first=0) for _, base in notation.sequences if base not in covered]
    if not sequences:
        return None
    modelled = {s for sequence in sequences for s, _ in (*sequence.terms, *sequence.products)}
    derived = tuple(
        (lhs, rhs)
        for identity in notation.identities
        for lhs, rhs in identity.rewrites
        if isinstance(lhs, sp.Symbol) and lhs not in modelled and evaluable(rhs)
    )
    indices = {
        s
        for sequence in sequences
        for _, e in (*sequence.terms, *sequence.products)
        for s in e.free_symbols
        if isinstance(s, sp.Symbol) and s.is_integer
    }
    return Model(tuple(sequences), derived, tuple(sorted(indices, key=lambda s: s.name)))


def _concrete_products(expr: sp.Expr) -> sp.Expr:
    """Multiply out products whose limits are integers; a product that runs backwards stays."""

    def expand(product: sp.Product) -> sp.Expr:
        ((_, lo, hi),) = product.limits
        if lo.is_Integer and hi.is_Integer and hi >= lo - 1:
            return product.doit()
        return product

    return expr.replace(lambda e: isinstance(e, sp.Product), expand)


def _concrete_sums(expr: sp.Expr, point: Mapping[sp.Basic, sp.Expr]) -> sp.Expr:
    """Add up the sums whose bounds the point made integers (a bound sampled at n = 4: four terms), with the
    terms of a sequence the point gives (a_1, …, a_4)."""

    def add_up(found: sp.Sum) -> sp.Expr:
        ((_, lo, hi),) = found.limits
        if lo.is_Integer and hi.is_Integer and hi - lo < MAX_TERMS:
            return found.doit().xreplace(dict(point))
        return found

    return expr.replace(lambda e: isinstance(e, sp.Sum) and len(e.limits) == 1, add_up)


def _univariate_limits(expr: sp.Expr) -> sp.Expr:
    """Take the limits that the point left with one variable; one SymPy cannot take stays, and has no value."""

    def take(limit: sp.Limit) -> sp.Expr:
        if limit.free_symbols:
            return limit
        try:
            return limit.doit()
        except (NotImplementedError, ValueError, TypeError, ArithmeticError):
            return limit

    return expr.replace(lambda e: isinstance(e, sp.Limit), take)


def terms_used(exprs: list[sp.Expr], point: Mapping[sp.Basic, sp.Expr]) -> set[sp.Basic]:
    """The terms of a sequence (α_3) that ``exprs`` use at ``point``, products multiplied out."""
    plain = {k: v for k, v in point.items() if not isinstance(k, sp.Indexed)}
    return {a for e in exprs for a in _concrete_sums(_concrete_products(e.xreplace(plain)), {}).atoms(sp.Indexed)}


def evaluate(expr: sp.Expr, point: Mapping[sp.Basic, sp.Expr], infinite: bool = False) -> Value | None:
    """The value at ``point``, or None where it is undefined (a zero denominator, a log of zero).

    A point completed by a ``Model`` also gives the terms of a sequence, and so products a value.
    With ``infinite`` (the value of a limit), +∞ and -∞ are values: a limit that diverges is not
    one that tends to a number."""
    value = expr.xreplace(dict(point))
    if any(isinstance(k, sp.Indexed) for k in point):
        # α_{t-1} is α_n once t = n + 1: a term of the sequence the point gives
        value = _concrete_products(value).xreplace(dict(point))
    if value.has(sp.Limit):
        value = _univariate_limits(value)
    if value.has(sp.Sum):
        value = _concrete_sums(value, point)
    if infinite and value in (sp.oo, -sp.oo):
        return Value(value, True)
    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.Limit) or value.free_symbols or not evaluable(value):
        return None
    if value.is_Rational:
        return Value(value, True)
    number = value.evalf(DIGITS)
    if not number.is_number or number.has(sp.zoo, sp.nan) or not number.is_finite:
        return None
    if number.as_real_imag()[1] != 0:
        return None
    return Value(number, False)


def differ(a: Value, b: Value) -> bool:
    if a.exact and b.exact:
        return bool(a.value != b.value)
    x, y = sp.Float(a.value, DIGITS), sp.Float(b.value, DIGITS)
    scale = max(abs(x), abs(y), sp.Float(1, DIGITS))
    return bool(abs(x - y) > MARGIN * scale)

"""Mutation testing of the engine and of check-doc: mutants, an oracle that decides them without the
engine, and the harness that runs the engine on them and sorts the outcomes.

Mutants of a derivation
    ``tree_mutants(expr)`` rewrites one node of an author's unevaluated SymPy tree, at every node
    where a kind applies (not only the first): ``swap`` (numerator and denominator of a quotient, base
    and exponent of a power, the two sides of a subtraction), ``sign`` (negate one term of a sum, or
    drop the sign of a negative factor), ``exponent`` (a numeric exponent ±1), ``neighbour`` (α_t↔ᾱ_t,
    ᾱ_t↔ᾱ_{t-1}, x_0↔x_t, x_t↔x_{t-1}, β_t↔α_t), ``drop-sqrt`` and ``constant`` (2→3, 1/2→1/3, 1→2,
    and their negatives). Trees are rebuilt under ``evaluate(False)``, as the derivations build them.
    ``step_mutants(derivation)`` does this to the lhs and rhs of every step and dedupes.

Mutants of a document
    ``doc_mutants(text)`` makes single textual edits in each ```` ```math ```` block: flip a ``+``/``-``,
    ``_t``↔``_{t-1}``, remove a ``\\sqrt``, ``^{2}``→``^{3}``, ``\\frac{1}{2}``→``\\frac{1}{4}``.

The oracle
    Independent of the engine's decision procedure (``derive.engine.decide``, ``rational``,
    ``probe``, ``conditions``, ``intervals``) and even of its ``Scope``: definitions are collected and
    unfolded here, norms and Gaussians expanded here, and the notation's identities are not applied
    as rewrites at all. Instead every expression is evaluated in a concrete model of the DDPM notation:
    an integer t in 2..5, α_t and ᾱ_{t-1} uniform in (0, 1), factors α_1 … α_{t-1} whose product is
    ᾱ_{t-1}, ᾱ_t = α_t ᾱ_{t-1}, β_t = 1 - α_t; other real symbols uniform in (-3, 3), positive ones in
    (0, 3). ``∏ α_i`` is then a finite product. A density or function the document leaves unspecified
    is a random smooth positive function, drawn afresh at every point. Values are computed with mpmath
    at 60 digits at >= 8 points; two values agree when they are within 1e-30 relative (absolute below
    1). A claim is ``TRUE`` when every point agrees; a limit is evaluated at 10^-100 from the boundary,
    from inside the domain, at 240 digits; a coefficient is the Taylor coefficient, by differentiation.

The harness
    ``run_step_mutant`` checks a mutant of a claim with ``check_step`` at that step; a mutant of a
    definition at the definition and then at every later step that depends on it, in order, stopping
    at the first verdict that is not ok (the engine's ``check_steps`` would do the same at jobs=1; the
    steps that do not depend on the definition see identical input). ``run_doc_mutant`` runs
    ``check_source`` on the edited document. Each outcome gets one ``category`` (see ``CATEGORIES``).
"""

from __future__ import annotations

import enum
import math
import random
import re
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.integrals.quadrature import gauss_hermite

from derive.doccheck.annotations import apply as apply_annotation
from derive.doccheck.check import check_source
from derive.doccheck.claims import Origin, Reader
from derive.doccheck.latex import parse_math
from derive.doccheck.sources.items import Annotation, Math
from derive.doccheck.sources.markdown import extract
from derive.engine import Scope, advance, check_step
from derive.exceptions import DerivationError, DeriveError, ParseError
from derive.model import (
    CheckConfig,
    Claims,
    CoefficientOf,
    Definition,
    Derivation,
    Equal,
    EqualUpToAdditive,
    EqualUpToTermIn,
    LimitAt,
    ProportionalIn,
    Relation,
    Status,
    Step,
    Verdict,
)
from derive.notation import DDPM, Notation
from derive.objects import KL, Density, Expectation, Gaussian, Norm

N = DDPM
ALPHA_T, ABAR_T, ABAR_TM1, BETA_T = N["alpha_t"], N["abar_t"], N["abar_tm1"], N["beta_t"]
X_0, X_T, X_TM1 = N["x_0"], N["x_t"], N["x_tm1"]
T, ALPHA = N["t"], N["alpha"]

#: The symbol swaps of the ``neighbour`` kind, both ways.
NEIGHBOURS: dict[sp.Basic, tuple[sp.Symbol, ...]] = {
    ALPHA_T: (ABAR_T, BETA_T),
    ABAR_T: (ALPHA_T, ABAR_TM1),
    ABAR_TM1: (ABAR_T,),
    X_0: (X_T,),
    X_T: (X_0, X_TM1),
    X_TM1: (X_T,),
    BETA_T: (ALPHA_T,),
}
#: The numbers of the ``constant`` kind, wherever they occur (as an exponent too).
CONSTANTS: dict[sp.Basic, sp.Rational] = {
    sp.Integer(2): sp.Integer(3),
    sp.Integer(-2): sp.Integer(-3),
    sp.Rational(1, 2): sp.Rational(1, 3),
    sp.Rational(-1, 2): sp.Rational(-1, 3),
    sp.Integer(1): sp.Integer(2),
    sp.Integer(-1): sp.Integer(-2),
}
KINDS = ("swap", "sign", "exponent", "neighbour", "drop-sqrt", "constant")
DOC_KINDS = ("sign", "index", "drop-sqrt", "power", "half")

# --- mutating a tree ----------------------------------------------------------------------------------

TreePath = tuple[int, ...]


def _nodes(
    expr: sp.Basic, path: TreePath = (), parent: sp.Basic | None = None
) -> Iterator[tuple[TreePath, sp.Basic, Any]]:
    """Every node in preorder, with its path from the root and its parent."""
    yield path, expr, parent
    for k, arg in enumerate(expr.args):
        yield from _nodes(arg, (*path, k), expr)


def _replace_at(expr: sp.Basic, path: TreePath, new: sp.Basic) -> sp.Basic:
    """``expr`` with the node at ``path`` replaced; only the nodes above it are rebuilt. Call under
    ``evaluate(False)``."""
    if not path:
        return new
    args = list(expr.args)
    args[path[0]] = _replace_at(args[path[0]], path[1:], new)
    return expr.func(*args)


def _negative_number(node: sp.Basic) -> bool:
    return bool(node.is_Number and node < 0)


def _is_negative_term(term: sp.Basic) -> bool:
    return _negative_number(term) or (isinstance(term, sp.Mul) and _negative_number(term.args[0]))


def _negated(term: sp.Basic) -> sp.Basic:
    """``-term`` without a double sign: a leading negative factor loses its sign. Call under
    ``evaluate(False)``; the numbers are negated exactly, outside of it."""
    if term.is_Number:
        return _number(-_value(term))
    if isinstance(term, sp.Mul) and _negative_number(term.args[0]):
        coefficient, rest = _value(term.args[0]), term.args[1:]
        if coefficient == -1:
            return rest[0] if len(rest) == 1 else sp.Mul(*rest)
        return sp.Mul(_number(-coefficient), *rest)
    return sp.Mul(sp.S.NegativeOne, term)


def _value(number: sp.Basic) -> Any:
    from fractions import Fraction

    return Fraction(int(number.p), int(number.q))


def _number(value: Any) -> sp.Rational:
    return sp.Rational(value.numerator, value.denominator)


def _product(factors: Sequence[sp.Basic]) -> sp.Basic:
    return factors[0] if len(factors) == 1 else sp.Mul(*factors)


def _short(expr: sp.Basic, width: int = 48) -> str:
    text = str(expr)
    return text if len(text) <= width else text[: width - 1] + "…"


def _node_mutations(node: sp.Basic, parent: sp.Basic | None) -> Iterator[tuple[str, sp.Basic]]:
    """The replacements of one node, by kind. Call under ``evaluate(False)``."""
    if isinstance(node, sp.Mul):
        inverse = [a for a in node.args if isinstance(a, sp.Pow) and a.exp == -1]
        others = [a for a in node.args if not (isinstance(a, sp.Pow) and a.exp == -1)]
        if inverse and others:
            yield "swap", sp.Mul(*[a.base for a in inverse], sp.Pow(_product(others), -1))
        if _negative_number(node.args[0]):
            yield "sign", _negated(node)
    if isinstance(node, sp.Pow) and node.exp.is_Rational:
        if node.exp == -1:
            if not isinstance(parent, sp.Mul):
                yield "swap", node.base
        elif node.exp > 0:
            yield "swap", sp.Pow(node.exp, node.base)
        exponent = _value(node.exp)
        yield "exponent", sp.Pow(node.base, _number(exponent + 1))
        yield "exponent", sp.Pow(node.base, _number(exponent - 1))
        if node.exp == sp.S.Half:
            yield "drop-sqrt", node.base
    if isinstance(node, sp.Add):
        negative = [a for a in node.args if _is_negative_term(a)]
        if len(node.args) == 2 and len(negative) == 1:
            (positive,) = (a for a in node.args if not _is_negative_term(a))
            yield "swap", sp.Add(_negated(negative[0]), _negated(positive))
        for k in range(len(node.args)):
            yield "sign", sp.Add(*node.args[:k], _negated(node.args[k]), *node.args[k + 1 :])
    if isinstance(node, sp.Symbol) and node in NEIGHBOURS:
        for neighbour in NEIGHBOURS[node]:
            yield "neighbour", neighbour
    if node.is_Rational and node in CONSTANTS:
        yield "constant", CONSTANTS[node]


@dataclass(frozen=True)
class TreeMutation:
    kind: str
    #: preorder position of the changed node, and which of its mutations of this kind
    site: int
    variant: int
    expr: sp.Basic
    change: str


def tree_mutants(expr: sp.Basic) -> list[TreeMutation]:
    """Every single-node mutation of ``expr``, deduped (the first kind to produce a tree keeps it), and
    none that leaves the tree as it was."""
    found: list[TreeMutation] = []
    seen = {sp.srepr(expr)}
    with sp.evaluate(False):
        for site, (path, node, parent) in enumerate(_nodes(expr)):
            variants: dict[str, int] = {}
            for kind, new in _node_mutations(node, parent):
                mutated = _replace_at(expr, path, new)
                key = sp.srepr(mutated)
                variant = variants.get(kind, 0)
                variants[kind] = variant + 1
                if key in seen:
                    continue
                seen.add(key)
                found.append(TreeMutation(kind, site, variant, mutated, f"{_short(node)} -> {_short(new)}"))
    return found


@dataclass(frozen=True)
class Mutant:
    """One step of a derivation with one side mutated."""

    step_id: str
    side: str
    kind: str
    site: int
    variant: int
    expr: sp.Basic
    change: str

    @property
    def name(self) -> str:
        suffix = f".{self.variant}" if self.variant else ""
        return f"{self.step_id}/{self.side}/{self.kind}@{self.site}{suffix}"

    def apply(self, derivation: Derivation) -> Derivation:
        steps = tuple(replace(s, **{self.side: self.expr}) if s.id == self.step_id else s for s in derivation.steps)
        return replace(derivation, steps=steps)


def step_mutants(derivation: Derivation) -> list[Mutant]:
    """Mutants of the rhs, and of the lhs where there is one, of every step."""
    found = []
    for step in derivation.steps:
        for side in ("lhs", "rhs"):
            expr = getattr(step, side)
            if expr is None:
                continue
            for m in tree_mutants(expr):
                found.append(Mutant(step.id, side, m.kind, m.site, m.variant, m.expr, m.change))
    return found


def is_checked(step: Step) -> bool:
    """Whether the engine decides something at this step: a claim, or a convention that must say what
    the identity it establishes says."""
    return not isinstance(step.relation, Definition) or step.establishes is not None


# --- the oracle ---------------------------------------------------------------------------------------


class Truth(enum.Enum):
    #: holds at every point (for a definition: means the same, or has a value somewhere)
    TRUE = "true"
    #: fails at a point inside the domain
    FALSE = "false"
    #: fails for some choice of a density or function that nothing defines
    UNSPECIFIED = "unspecified"
    #: no point of the domain where it has a value: a side condition fails everywhere
    UNDEFINED = "undefined"
    #: the relation does not apply: a coefficient of a non-polynomial, a limit in a dependent symbol
    ILL_POSED = "ill-posed"


DIGITS = 60
LIMIT_DIGITS = 240
LIMIT_GAP_EXPONENT = 100
POINTS = 8
ATTEMPTS = 64
TOLERANCE_EXPONENT = 30
#: One seed for every mutant: a claim left unchanged by a mutant is then decided once, from the cache.
SEED = 20250101


class MalformedError(Exception):
    """The derivation cannot be read: a name defined twice, a name that cannot be defined."""


@dataclass(frozen=True)
class Defined:
    """``atom ** degree = value`` (a function: ``atom(*parameters) = value``), from step ``step_id``."""

    value: sp.Expr
    degree: int
    step_id: str
    parameters: tuple[sp.Symbol, ...] = ()


def definition_key(name: sp.Basic) -> tuple[sp.Basic, int, tuple[sp.Symbol, ...]]:
    """The atom a definition ``name = …`` names, the power it is defined by, and its parameters."""
    name = name.doit()
    if isinstance(name, (sp.Symbol, Density)):
        return name, 1, ()
    if isinstance(name, sp.Pow) and isinstance(name.base, sp.Symbol) and name.exp.is_Integer and name.exp > 0:
        return name.base, int(name.exp), ()
    if isinstance(name, AppliedUndef) and all(a.is_Symbol for a in name.args) and len(set(name.args)) == len(name.args):
        return name.func, 1, tuple(name.args)
    raise MalformedError(f"cannot define {name}")


def defines(step: Step) -> bool:
    """Whether the step names something (as the notation's semantics say: a definition, or a
    coefficient that also names its lhs), rather than establishing an identity."""
    return step.establishes is None and isinstance(step.relation, (Definition, CoefficientOf)) and step.lhs is not None


def definitions(derivation: Derivation, upto: int) -> dict[sp.Basic, Defined]:
    """The definitions made by the steps before ``upto``."""
    found: dict[sp.Basic, Defined] = {}
    for step in derivation.steps[:upto]:
        if defines(step):
            assert step.lhs is not None
            atom, degree, parameters = definition_key(step.lhs)
            if atom in found:
                raise MalformedError(f"{step.id} defines {atom} again")
            found[atom] = Defined(step.rhs.doit(), degree, step.id, parameters)
    return found


#: Gauss-Hermite nodes: exact for an expectation of a polynomial of degree < 2 * 12 under a Gaussian
HERMITE_NODES = 12


def _divergence(p: sp.Basic, q: sp.Basic) -> sp.Basic:
    if not (isinstance(p, Gaussian) and isinstance(q, Gaussian) and p.args[0] == q.args[0]):
        return KL(p, q)  # no formula: the claim is ill-posed (claim_pair)
    z, mean, variance = p.args
    return Expectation(sp.log(p) - sp.log(q), z, mean, variance)


def _quadrature(body: sp.Basic, z: sp.Basic, mean: sp.Basic, variance: sp.Basic) -> sp.Basic:
    """E over N(mean, variance) by Gauss-Hermite quadrature: another method than the engine's moments."""
    nodes, weights = gauss_hermite(HERMITE_NODES, MODEL_DIGITS)
    scale = sp.sqrt(2 * variance)
    return sp.Add(
        *(w / sp.sqrt(sp.pi) * body.xreplace({z: mean + scale * x}) for x, w in zip(nodes, weights, strict=True))
    )


def _plain(expr: sp.Basic) -> sp.Basic:
    """Norms and Gaussians as formulas: a norm of a scalar is its absolute value, an even power of it
    the power of the scalar; a Gaussian is the normal density; a divergence and an expectation are
    integrals, taken by quadrature; a derivative is taken."""
    expr = expr.replace(KL, _divergence).replace(Expectation, _quadrature)
    even = {p: p.base.args[0] ** p.exp for p in expr.atoms(sp.Pow) if isinstance(p.base, Norm) and p.exp.is_even}
    expr = expr.xreplace(even)
    expr = expr.replace(Norm, lambda v: sp.Abs(v))
    expr = expr.replace(
        Gaussian, lambda z, m, v: sp.exp(-((z - m) ** 2) / (2 * v)) / sp.sqrt(2 * sp.pi * v), exact=False
    )
    return expr.doit() if expr.has(sp.Derivative) else expr


def unfold(expr: sp.Basic, defs: dict[sp.Basic, Defined]) -> tuple[sp.Basic, frozenset[str]]:
    """Substitute the definitions, recursively, and expand norms and Gaussians; with the ids of the
    definitions that were used."""
    expr = expr.doit()
    used: set[str] = set()
    for _ in range(len(defs) + 2):
        mapping: dict[sp.Basic, sp.Basic] = {}
        for call in expr.atoms(AppliedUndef):
            d = defs.get(call.func)
            if d is not None:
                used.add(d.step_id)
                mapping[call] = d.value.xreplace(dict(zip(d.parameters, call.args, strict=True)))
        for atom in expr.free_symbols | expr.atoms(Density):
            d = defs.get(atom)
            if d is None:
                continue
            used.add(d.step_id)
            for power in expr.atoms(sp.Pow):
                if power.base == atom and (power.exp / d.degree).is_Integer:
                    mapping[power] = d.value ** (power.exp / d.degree)
            mapping[atom] = d.value ** sp.Rational(1, d.degree)
        if not mapping:
            return _plain(expr), frozenset(used)
        expr = expr.xreplace(mapping).doit()
    raise MalformedError("definitions refer to each other in a cycle")


#: Digits of the model's values: enough for a limit's point 10^-100 from a boundary.
MODEL_DIGITS = LIMIT_DIGITS + 20


def _uniform(rng: random.Random, lo: float, hi: float) -> mpmath.mpf:
    """A 40-digit number strictly inside (lo, hi)."""
    with mpmath.workdps(MODEL_DIGITS):
        fraction = mpmath.mpf(rng.randrange(1, 10**40)) / mpmath.mpf(10) ** 40
        return mpmath.mpf(lo) + (mpmath.mpf(hi) - mpmath.mpf(lo)) * fraction


class Point:
    """A point of the model: values of the notation's symbols that satisfy its identities, and of any
    other symbol on demand; random coefficients for unspecified functions."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.t = rng.randint(2, 5)
        # how ᾱ_{t-1} splits into the factors α_1 … α_{t-1}
        weights = [rng.random() + 0.1 for _ in range(self.t - 1)]
        self.weights = [w / sum(weights) for w in weights]
        self.values: dict[sp.Basic, mpmath.mpf] = {
            ALPHA_T: _uniform(rng, 0, 1),
            ABAR_TM1: _uniform(rng, 0, 1),
        }
        self.factors: dict[int, mpmath.mpf] = {}
        #: the point this one was moved from: it gives the symbols neither has drawn yet
        self.parent: Point | None = None
        self._derive()

    def _derive(self) -> None:
        alpha_t, abar_tm1 = self.values[ALPHA_T], self.values[ABAR_TM1]
        with mpmath.workdps(MODEL_DIGITS):
            self.values[ABAR_T] = alpha_t * abar_tm1
            self.values[BETA_T] = 1 - alpha_t
            earlier = [abar_tm1 ** mpmath.mpf(w) for w in self.weights[:-1]]
            # the last factor makes the product exactly ᾱ_{t-1}
            earlier.append(abar_tm1 / mpmath.fprod(earlier))
            self.factors.update({k + 1: f for k, f in enumerate(earlier)})
        self.factors[self.t] = alpha_t

    def value(self, symbol: sp.Basic) -> mpmath.mpf:
        if symbol not in self.values:
            self.values[symbol] = self.parent.value(symbol) if self.parent is not None else self._sample(symbol)
        return self.values[symbol]

    def factor(self, k: int) -> mpmath.mpf:
        if k not in self.factors:
            # a factor past t is not tied to anything
            self.factors[k] = self.parent.factor(k) if self.parent is not None else _uniform(self.rng, 0, 1)
        return self.factors[k]

    def _sample(self, symbol: sp.Basic) -> Any:
        if getattr(symbol, "is_integer", False):
            return mpmath.mpf(self.rng.randint(1, 6))
        interval = N.domains.get(symbol)
        if interval is not None and interval.lo is not None and interval.hi is not None:
            return _uniform(self.rng, float(interval.lo), float(interval.hi))
        if getattr(symbol, "is_positive", False) or (interval is not None and interval.lo is not None):
            low = 0.0 if interval is None or interval.lo is None else float(interval.lo)
            return _uniform(self.rng, low, low + 3)
        if getattr(symbol, "is_Symbol", False) and symbol.name.startswith("_c_"):
            return _uniform(self.rng, -1, 1)
        return _uniform(self.rng, -3, 3)

    def moved(self, variables: Iterable[sp.Basic]) -> Point | None:
        """The same point with ``variables`` drawn again; None when one is not free to move."""
        other = object.__new__(Point)
        other.rng, other.t, other.weights = self.rng, self.t, self.weights
        other.values = dict(self.values)
        other.factors = dict(self.factors)
        other.parent = self
        for v in variables:
            if v in (ABAR_T, BETA_T, T) or isinstance(v, (sp.Indexed, sp.IndexedBase)):
                return None
            if v in (ALPHA_T, ABAR_TM1):
                other.values[v] = _uniform(self.rng, 0, 1)
            else:
                other.values[v] = other._sample(v)
        other._derive()
        return other

    def at_boundary(self, var: sp.Basic, value: sp.Expr, side: int) -> Point | None:
        """The same point with ``var`` 10^-100 from ``value`` (below for side -1, above for +1)."""
        if var in (ABAR_T, BETA_T, T) or not var.is_Symbol or not value.is_Rational:
            return None
        other = self.moved(())
        assert other is not None
        with mpmath.workdps(MODEL_DIGITS):
            gap = mpmath.mpf(10) ** -LIMIT_GAP_EXPONENT
            other.values[var] = mpmath.mpf(int(value.p)) / int(value.q) + side * gap
        other._derive()
        return other

    def towards_abar_t(self, value: sp.Expr) -> Point | None:
        """This point moved 10^-100 of the way from a random point where ᾱ_t = α_t ᾱ_{t-1} = ``value``,
        on the straight line from it (inside the domain, which is convex). ᾱ_t cannot move alone: a
        limit in it is taken along a path of (α_t, ᾱ_{t-1}), different at every point, so that a
        limit that depends on the path is seen to."""
        if not value.is_Rational or not 0 <= value <= 1:
            return None
        v = mpmath.mpf(int(value.p)) / int(value.q)
        with mpmath.workdps(MODEL_DIGITS):
            if value == 1:
                target = (mpmath.mpf(1), mpmath.mpf(1))
            elif value == 0:
                u = _uniform(self.rng, 0, 1)
                target = (mpmath.mpf(0), u) if self.rng.random() < 0.5 else (u, mpmath.mpf(0))
            else:
                a = _uniform(self.rng, float(value), 1)
                target = (a, v / a)
            other = self.moved(())
            assert other is not None
            gap = mpmath.mpf(10) ** -LIMIT_GAP_EXPONENT
            for symbol, end in zip((ALPHA_T, ABAR_TM1), target, strict=True):
                other.values[symbol] = end + gap * (self.values[symbol] - end)
        other._derive()
        return other


class Compiled:
    """An expression prepared for one value of t: products expanded, unspecified functions made
    random, and lambdified for mpmath."""

    def __init__(self, expr: sp.Basic, t: int) -> None:
        expr = expr.xreplace({T: sp.Integer(t)}).doit()
        self.unspecified = False
        randoms: dict[sp.Basic, sp.Basic] = {}
        unknown = expr.atoms(Density, AppliedUndef)
        for call in unknown:
            # named by the call itself, so that the same density is the same function on both sides
            n = zlib.crc32(sp.srepr(call).encode())
            arguments = [*call.args[1], *call.args[2]] if isinstance(call, Density) else list(call.args)
            exponent = sp.Symbol(f"_c_{n}_0")
            for j, a in enumerate(arguments):
                exponent += sp.Symbol(f"_c_{n}_{j + 1}") * a + sp.Symbol(f"_c_{n}_{j + 1}q") * a**2 / 4
            randoms[call] = sp.exp(exponent)
            self.unspecified = True
        expr = expr.xreplace(randoms)
        indexed = {a: sp.Symbol(f"_factor_{a.indices[0]}") for a in expr.atoms(sp.Indexed) if a.indices[0].is_Integer}
        self.factors = {s: int(a.indices[0]) for a, s in indexed.items()}
        expr = expr.xreplace(indexed)
        self.symbols = sorted(expr.free_symbols, key=lambda s: s.name)
        self.evaluable = not expr.has(sp.Indexed, sp.Product, sp.Sum, sp.Limit, sp.Derivative, sp.Integral)
        self.function: Callable[..., Any] | None = (
            sp.lambdify(self.symbols, expr, modules="mpmath") if self.evaluable else None
        )

    def __call__(self, point: Point, digits: int) -> Any:
        """The real value at ``point``, or None where it has none (a zero denominator, a root or log of a
        negative number)."""
        if self.function is None:
            return None
        args = [point.factor(self.factors[s]) if s in self.factors else point.value(s) for s in self.symbols]
        try:
            with mpmath.workdps(digits):
                value = mpmath.mpmathify(self.function(*args))
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):
            return None
        if isinstance(value, mpmath.mpc):
            if abs(value.imag) > mpmath.mpf(10) ** (10 - digits) * max(abs(value.real), 1):
                return None
            value = value.real
        if not mpmath.isfinite(value):
            return None
        return value


_COMPILED: dict[tuple[sp.Basic, int], Compiled] = {}


def _compiled(expr: sp.Basic, t: int) -> Compiled:
    key = (expr, t)
    if key not in _COMPILED:
        if len(_COMPILED) > 20000:
            _COMPILED.clear()
        _COMPILED[key] = Compiled(expr, t)
    return _COMPILED[key]


def agree(a: Any, b: Any) -> bool:
    scale = max(abs(a), abs(b), mpmath.mpf(1))
    return bool(abs(a - b) <= mpmath.mpf(10) ** -TOLERANCE_EXPONENT * scale)


@dataclass(frozen=True)
class Pair:
    """Two quantities that must agree at every point: ``left`` at a point, ``right`` at the same point
    with ``moving`` drawn again (when ``moving`` is set), or both at a boundary (``limit``)."""

    left: sp.Basic
    right: sp.Basic
    moving: tuple[sp.Basic, ...] = ()
    limit: tuple[sp.Basic, sp.Expr] | None = None


def _sides(var: sp.Basic, value: sp.Expr) -> tuple[int, ...]:
    """Approach a boundary from inside the domain; an inner point from both sides."""
    interval = N.domains.get(var)
    if interval is not None and interval.hi is not None and value == interval.hi:
        return (-1,)
    if interval is not None and interval.lo is not None and value == interval.lo:
        return (1,)
    return (-1, 1)


_DECIDED: dict[tuple[Pair, int], Truth] = {}


def decide_pair(pair: Pair, seed: int) -> Truth:
    """Compare the two quantities at random points of the model."""
    key = (pair, seed)
    if key not in _DECIDED:
        if len(_DECIDED) > 50000:
            _DECIDED.clear()
        _DECIDED[key] = _decide_pair(pair, seed)
    return _DECIDED[key]


def _decide_pair(pair: Pair, seed: int) -> Truth:
    if pair.left.has(KL) or pair.right.has(KL):
        return Truth.ILL_POSED  # a divergence of densities that are not both Gaussian
    rng = random.Random(seed)
    valid = 0
    unspecified = False
    for _ in range(ATTEMPTS):
        first = Point(rng)
        left, right = _compiled(pair.left, first.t), _compiled(pair.right, first.t)
        unspecified = unspecified or left.unspecified or right.unspecified
        if pair.limit is not None:
            var, value = pair.limit
            digits = LIMIT_DIGITS
            if var == BETA_T:
                # β_t = 1 - α_t
                var, value = ALPHA_T, 1 - value
            if var == ABAR_T:
                points = [first.towards_abar_t(value)]
            else:
                points = [first.at_boundary(var, value, side) for side in _sides(var, value)]
            if any(p is None for p in points):
                return Truth.ILL_POSED
            pairs = [(p, p) for p in points if p is not None]
        else:
            digits = DIGITS
            second = first.moved(pair.moving) if pair.moving else first
            if second is None:
                return Truth.ILL_POSED
            pairs = [(first, second)]
        for p, q in pairs:
            a, b = left(p, digits), right(q, digits)
            if a is None or b is None:
                break
            if not agree(a, b):
                return Truth.UNSPECIFIED if unspecified else Truth.FALSE
        else:
            valid += 1
            if valid >= POINTS:
                return Truth.TRUE
    return Truth.TRUE if valid else Truth.UNDEFINED


def _coefficient(source: sp.Basic, var: sp.Symbol, power: int) -> sp.Basic:
    return sp.diff(source, var, power).subs(var, 0) / math.factorial(power)


def claim_pair(relation: Relation, lhs: sp.Basic | None, rhs: sp.Basic, source: sp.Basic | None) -> Pair | Truth:
    """What must agree for ``lhs REL rhs`` to hold, from unfolded sides; a ``Truth`` when the claim
    cannot be stated as such (it is ill-posed)."""
    if any(side is not None and side.has(KL) for side in (lhs, rhs, source)):
        return Truth.ILL_POSED  # a divergence of densities that are not both Gaussian
    if isinstance(relation, CoefficientOf):
        assert source is not None
        if not source.is_polynomial(relation.var):
            return Truth.ILL_POSED
        return Pair(relation.factor * rhs, _coefficient(source, relation.var, relation.power))
    if lhs is None:
        return Truth.ILL_POSED
    if isinstance(relation, Equal):
        return Pair(lhs, rhs)
    if isinstance(relation, EqualUpToAdditive):
        return Pair(lhs - rhs, lhs - rhs, (relation.var,))
    if isinstance(relation, ProportionalIn):
        return Pair(lhs / rhs, lhs / rhs, (relation.var,))
    if isinstance(relation, EqualUpToTermIn):
        difference = lhs - rhs
        difference = difference.xreplace(dict.fromkeys(difference.atoms(AppliedUndef), sp.S.Zero))
        moving = sorted(difference.free_symbols - set(relation.arguments), key=lambda s: s.name)
        return Pair(difference, difference, tuple(moving)) if moving else Truth.TRUE
    if isinstance(relation, LimitAt):
        if not relation.var.is_integer and any(side.has(sp.Product, sp.Indexed) for side in (lhs, rhs)):
            # ᾱ_{t-1} -> 1 of σ̃_{t-1}^2, which holds ᾱ_{t-2} and α_{t-1}: the limit moves a coordinate and
            # not the terms it is the product of, so it says nothing (the engine: not checked, with why)
            return Truth.ILL_POSED
        return Pair(lhs, rhs, limit=(relation.var, relation.value))
    raise AssertionError(f"no claim in {relation}")


def claim_truth(derivation: Derivation, index: int, seed: int = 1) -> Truth:
    """Whether the claim of step ``index`` holds, decided in the model."""
    step = derivation.steps[index]
    defs = definitions(derivation, index)
    relation = step.relation
    if step.establishes is not None:
        # a convention must say what the identity says: in the model, identities hold
        relation = Equal()
    lhs = unfold(step.lhs, defs)[0] if step.lhs is not None else None
    rhs = unfold(step.rhs, defs)[0]
    source = None
    if isinstance(relation, CoefficientOf):
        source = unfold(derivation.step(relation.source).rhs, defs)[0]
    pair = claim_pair(relation, lhs, rhs, source)
    return pair if isinstance(pair, Truth) else decide_pair(pair, seed)


def _unfolds_a_cycle(derivation: Derivation, index: int) -> bool:
    try:
        uses(derivation, index)
    except MalformedError:
        return True
    return False


def value_truth(derivation: Derivation, index: int, seed: int = 1) -> Truth:
    """For a definition: TRUE when its value is defined somewhere in the domain, UNDEFINED otherwise."""
    step = derivation.steps[index]
    defs = definitions(derivation, index)
    sides = [unfold(e, defs)[0] for e in (step.lhs, step.rhs) if e is not None and not _is_name(e)]
    if not sides:
        return Truth.TRUE
    value = sp.Tuple(*sides)
    # every side has a value at the same point: compare the tuple with itself
    return decide_pair(Pair(sp.Add(*value.args), sp.Add(*value.args)), seed)


def _is_name(expr: sp.Basic) -> bool:
    try:
        definition_key(expr)
    except MalformedError:
        return False
    return True


def uses(derivation: Derivation, index: int) -> frozenset[str]:
    """The definitions step ``index`` unfolds (and the step it takes a coefficient of), transitively."""
    step = derivation.steps[index]
    defs = definitions(derivation, index)
    found: set[str] = set()
    for e in (step.lhs, step.rhs):
        if e is not None:
            found |= unfold(e, defs)[1]
    if isinstance(step.relation, CoefficientOf):
        found.add(step.relation.source)
        found |= unfold(derivation.step(step.relation.source).rhs, defs)[1]
    return frozenset(found)


def definition_truth(original: Derivation, mutated: Derivation, index: int, seed: int = 1) -> Truth:
    """TRUE when the mutated definition at ``index`` means what the original means."""
    before, after = original.steps[index], mutated.steps[index]
    defs = definitions(original, index)
    if after.lhs is None or before.lhs is None:
        return decide_pair(Pair(unfold(before.rhs, defs)[0], unfold(after.rhs, defs)[0]), seed)
    atom, _, parameters = definition_key(before.lhs)
    if definition_key(after.lhs)[0] != atom:
        return Truth.FALSE
    name = atom(*parameters) if parameters else atom
    values = []
    for derivation in (original, mutated):
        values.append(unfold(name, definitions(derivation, index + 1))[0])
    return decide_pair(Pair(*values), seed)


# --- running the engine on a mutant of a derivation -------------------------------------------------------

#: Each outcome falls in exactly one category.
CATEGORIES = (
    # not equivalent, and refuted where the oracle says the first wrong step is
    "refuted",
    # equivalent (the claim still holds; the definition means the same), and not refuted
    "equivalent",
    # not equivalent, but the step the oracle says is wrong is undecided
    "missed",
    # a step the oracle says is wrong was proved: the number that must be 0
    "false-proof",
    # refuted, but at another step than the first wrong one: a true claim refuted
    "misplaced",
    # equivalent, and yet refuted
    "equivalent-refuted",
    # a definition changed, but no claim that depends on it changes: nothing can catch it
    "uncheckable",
    # the first wrong step is ill-posed (no value anywhere, not a polynomial, an unspecified density);
    # it was not proved
    "ill-posed",
    # the engine refuses the mutated derivation as malformed (DerivationError)
    "rejected",
)
#: The categories that fail the soundness test.
FAILURES = ("missed", "false-proof", "misplaced", "equivalent-refuted")


@dataclass(frozen=True)
class Check:
    """One engine verdict on a step of a mutant, next to the oracle's truth of that step."""

    step_id: str
    truth: Truth
    status: Status
    method: str
    reason: str
    seconds: float
    #: the definitions the engine unfolded for it (and the step it takes a coefficient of)
    definitions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    name: str
    kind: str
    category: str
    #: the step (or line) where the oracle says the first wrong step is; None when there is none
    expected: str | None
    checks: tuple[Check, ...] = ()
    change: str = ""
    detail: str = ""
    #: the check that decides the category: where the engine stopped (for check-doc: the first
    #: refuted, else the expected step); None when every check was ok
    decisive: Check | None = None
    #: the mutated step, and whether it is a definition the engine does not check at its own step
    step_id: str = ""
    definition: bool = False

    @property
    def false_proofs(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.status is Status.PROVED and c.truth is not Truth.TRUE)

    @property
    def seconds(self) -> float:
        return max((c.seconds for c in self.checks), default=0.0)

    @property
    def truth(self) -> Truth | None:
        """How the first wrong step is wrong, per the oracle."""
        return next((c.truth for c in self.checks if c.step_id == self.expected), None)

    def describe(self) -> str:
        shown = self.decisive
        if shown is None or (self.expected is not None and shown.step_id != self.expected):
            shown = next((c for c in self.checks if c.step_id == self.expected), shown)
        if shown is None:
            got = "every step ok"
        else:
            reason = f": {shown.reason}" if shown.reason else ""
            got = f"{shown.status.value} at {shown.step_id} ({shown.method}{reason})"
        proofs = ", ".join(c.step_id for c in self.false_proofs)
        return (
            f"{self.name} [{self.change}]: {self.category}; oracle: first wrong step {self.expected}"
            f"{f' ({self.truth.value})' if self.truth else ''}; engine: {got}"
            f"{f'; proved although wrong: {proofs}' if proofs else ''}{'; ' + self.detail if self.detail else ''}"
        )


def engine_scopes(derivation: Derivation) -> list[Scope]:
    """The scope of every step, as the engine builds them; raises DerivationError as it would."""
    scopes, scope = [], Scope(derivation.notation)
    for step in derivation.steps:
        scopes.append(scope)
        scope = advance(scope, step)
    return scopes


def run_step_mutant(derivation: Derivation, mutant: Mutant, config: CheckConfig) -> Outcome:
    """Decide the mutant with the oracle, run the engine on it, and sort the outcome."""
    index = derivation.index[mutant.step_id]
    mutated = mutant.apply(derivation)
    step = mutated.steps[index]
    outcome = Outcome(
        mutant.name,
        mutant.kind,
        "rejected",
        None,
        change=mutant.change,
        step_id=step.id,
        definition=not is_checked(step),
    )
    try:
        scopes = engine_scopes(mutated)
    except DerivationError as error:
        return replace(outcome, detail=f"DerivationError: {error}")
    try:
        definitions(mutated, len(mutated.steps))
    except MalformedError as error:
        return replace(outcome, category="false-proof", detail=f"the oracle finds it malformed ({error})")

    def engine(k: int) -> tuple[Verdict, float]:
        started = time.perf_counter()
        try:
            verdict = check_step(mutated.steps[k], scopes[k], mutated, config)
        except DeriveError as error:
            verdict = Verdict(mutated.steps[k].id, Status.UNDECIDED, "derive-error", str(error))
        return verdict, time.perf_counter() - started

    cyclic = [k for k in range(index, len(mutated.steps)) if _unfolds_a_cycle(mutated, k)]
    if cyclic:
        # definitions that refer to each other: every step that unfolds them must be refused, never decided
        verdicts = [engine(k)[0] for k in cyclic]
        decided = [v for v in verdicts if v.method != "derive-error" or "cycle" not in v.reason]
        if decided:
            return replace(outcome, category="false-proof", detail=f"a cycle decided: {decided[0]}")
        refused = ", ".join(v.step_id for v in verdicts)
        return replace(outcome, detail=f"DerivationError: definitions in a cycle, refused at {refused}")

    if is_checked(step):
        sequence = [index]
        truths: dict[int, Truth] = {index: claim_truth(mutated, index, SEED)}
        equivalent = truths[index] is Truth.TRUE
    else:
        equivalent = definition_truth(derivation, mutated, index, SEED) is Truth.TRUE
        later = range(index + 1, len(mutated.steps))
        sequence = [index] + [
            k for k in later if mutant.step_id in uses(mutated, k) or mutant.step_id in uses(derivation, k)
        ]
        truths = {}
    checks: list[Check] = []
    expected: int | None = None
    stop: int | None = None
    for k in sequence:
        if k not in truths:
            truths[k] = claim_truth(mutated, k, SEED) if is_checked(mutated.steps[k]) else value_truth(mutated, k, SEED)
        if expected is None and truths[k] is not Truth.TRUE:
            expected = k
        if stop is None:
            verdict, seconds = engine(k)
            relation = mutated.steps[k].relation
            used = (*verdict.definitions, *([relation.source] if isinstance(relation, CoefficientOf) else []))
            checks.append(
                Check(mutated.steps[k].id, truths[k], verdict.status, verdict.method, verdict.reason, seconds, used)
            )
            if not verdict.status.ok:
                stop = k
        if stop is not None and expected is not None:
            break
    outcome = replace(
        outcome,
        expected=mutated.steps[expected].id if expected is not None else None,
        checks=tuple(checks),
        decisive=checks[-1] if stop is not None else None,
    )
    last = checks[-1].status if checks else None
    category = classify(
        bool(outcome.false_proofs),
        equivalent,
        expected,
        truths.get(expected) if expected is not None else None,
        stop,
        last is Status.REFUTED,
    )
    return replace(outcome, category=category)


def classify(
    false_proof: bool, equivalent: bool, expected: int | None, truth: Truth | None, stop: int | None, refuted: bool
) -> str:
    """The category of an outcome: ``expected`` is the position of the first step the oracle finds
    wrong (``truth`` says how), ``stop`` that of the first step the engine did not find ok (for
    check-doc: the first refuted), ``refuted`` whether it refuted it."""
    if false_proof:
        return "false-proof"
    if expected is None:
        if stop is not None and refuted:
            return "equivalent-refuted" if equivalent else "misplaced"
        return "equivalent" if equivalent else "uncheckable"
    if stop is not None and stop < expected:
        # the engine stopped at a step the oracle finds right
        return "misplaced" if refuted else "missed"
    if truth is Truth.FALSE:
        if stop == expected and refuted:
            return "refuted"
        return "misplaced" if stop is not None and refuted else "missed"
    return "ill-posed"


# --- check-doc ------------------------------------------------------------------------------------------

MATH_BLOCK = re.compile(r"^```math[ \t]*\n(.*?)^```", flags=re.S | re.M)
DOC_EDITS: tuple[tuple[str, str, Callable[[str], str]], ...] = (
    ("sign", r"[+-]", lambda s: "-" if s == "+" else "+"),
    ("index", r"_t(?![A-Za-z0-9])|_\{t-1\}", lambda s: "_{t-1}" if s == "_t" else "_t"),
    ("drop-sqrt", r"\\sqrt(?![A-Za-z])", lambda s: ""),
    ("power", r"\^\{2\}", lambda s: "^{3}"),
    ("half", r"\\frac\{1\}\{2\}", lambda s: r"\frac{1}{4}"),
)


@dataclass(frozen=True)
class DocMutant:
    """A document with one textual edit in one math block."""

    kind: str
    #: the block's first and last line of content (1-based), and the edit's line
    block: tuple[int, int]
    line: int
    column: int
    old: str
    new: str
    text: str

    @property
    def name(self) -> str:
        return f"L{self.line}:{self.column}/{self.kind}"

    @property
    def change(self) -> str:
        return f"{self.old!r} -> {self.new!r}"


def doc_mutants(text: str) -> list[DocMutant]:
    found, seen = [], {text}
    for block in MATH_BLOCK.finditer(text):
        first = text.count("\n", 0, block.start(1)) + 1
        last = first + block.group(1).count("\n") - 1
        for kind, pattern, edit in DOC_EDITS:
            for match in re.finditer(pattern, block.group(1)):
                start, end = block.start(1) + match.start(), block.start(1) + match.end()
                new = edit(match.group())
                mutated = text[:start] + new + text[end:]
                if mutated in seen:
                    continue
                seen.add(mutated)
                line = text.count("\n", 0, start) + 1
                column = start - (text.rfind("\n", 0, start) + 1) + 1
                found.append(DocMutant(kind, (first, last), line, column, match.group(), new, mutated))
    return found


def document_derivation(source: str, notation: Notation, config: CheckConfig) -> tuple[Claims, dict[str, Origin]]:
    """The steps ``check_source`` reads from a document, with where each is written. The same reading
    as ``derive.doccheck.check.check_source`` (markdown -> blocks and annotations -> reader), without
    deciding anything; blocks that do not parse are left out, as there."""
    reader = Reader(notation, config)
    skip_next, checking = False, True
    for item in extract(source):
        try:
            if isinstance(item, Annotation) and item.text in ("off", "on"):
                checking = item.text == "on"
            elif isinstance(item, Annotation) and checking:
                skip_next = apply_annotation(reader, item, "doc.md")
            elif isinstance(item, Math) and checking:
                if skip_next:
                    skip_next = False
                    continue
                rows = parse_math(item.text, notation, file="doc.md", line=item.line, column=item.column)
                reader.block(rows, item.end_line, item.display)
        except DeriveError:
            continue
    return reader.claims(), dict(reader.origins)


def _block_values(text: str, line: int) -> list[sp.Basic] | None:
    """The items of the math block that starts at ``line``, or None when it does not parse."""
    block = next((b for b in MATH_BLOCK.finditer(text) if text.count("\n", 0, b.start(1)) + 1 == line), None)
    assert block is not None
    try:
        rows = parse_math(block.group(1), N)
    except ParseError:
        return None
    return [item for row in rows for statement in row.statements for item in statement.items]


def block_unchanged(original: str, mutated: str, line: int, seed: int) -> bool:
    """Whether every item of the edited block has the same value as before (definitions unfolded as
    in the original document: a name stands for itself)."""
    before, after = _block_values(original, line), _block_values(mutated, line)
    if before is None or after is None or len(before) != len(after):
        return False
    for a, b in zip(before, after, strict=True):
        if sp.srepr(a) == sp.srepr(b):
            continue
        if decide_pair(Pair(unfold(a, {})[0], unfold(b, {})[0]), seed) is not Truth.TRUE:
            return False
    return True


def run_doc_mutant(original: str, mutant: DocMutant, config: CheckConfig) -> Outcome:
    """Run check-doc on the edited document, and sort the outcome against the oracle."""
    outcome = Outcome(mutant.name, mutant.kind, "rejected", None, change=mutant.change, step_id=f"L{mutant.block[0]}")
    first, last = mutant.block
    started = time.perf_counter()
    report = check_source(mutant.text, "doc.md", N, config)
    seconds = time.perf_counter() - started
    at_block = [r for r in report.results if first <= r.line <= last]
    if any(r.verdict == "error" for r in at_block):
        message = next(r.message for r in at_block if r.verdict == "error")
        check = Check(f"L{first}", Truth.ILL_POSED, Status.UNDECIDED, "error", message, seconds)
        return replace(outcome, checks=(check,), decisive=check, detail="the edited block does not parse")
    derivation, origins = document_derivation(mutant.text, N, config)
    # the results of the steps that have a line, in order: a chain's links share line and text
    by_origin: dict[tuple[int, str], list[Any]] = {}
    for r in report.results:
        by_origin.setdefault((r.line, r.latex), []).append(r)
    results: dict[str, Any] = {}
    for step in derivation.steps:
        origin = origins.get(step.id)
        if origin is not None and by_origin.get((origin.line, origin.latex)):
            results[step.id] = by_origin[(origin.line, origin.latex)].pop(0)
    checks: list[Check] = []
    expected: int | None = None
    truth_expected: Truth | None = None
    refuted: int | None = None
    at: dict[int, Check] = {}
    in_block: list[Step] = []
    for k, step in enumerate(derivation.steps):
        origin = origins.get(step.id)
        if origin is None or origin.line < first or step.id not in results:
            continue
        if origin.line <= last:
            in_block.append(step)
        result = results[step.id]
        status = DOC_STATUS.get(result.verdict, Status.UNDECIDED)
        if expected is not None and refuted is not None and status is not Status.PROVED:
            continue
        truth = claim_truth(derivation, k, SEED) if is_checked(step) else value_truth(derivation, k, SEED)
        if expected is None and truth is not Truth.TRUE:
            expected, truth_expected = k, truth
        if refuted is None and status is Status.REFUTED:
            refuted = k
        at[k] = Check(f"L{origin.line}", truth, status, result.verdict, result.message, seconds)
        checks.append(at[k])
    decisive = at[refuted] if refuted is not None else at.get(expected) if expected is not None else None
    outcome = replace(
        outcome,
        expected=f"L{origins[derivation.steps[expected].id].line}" if expected is not None else None,
        checks=tuple(checks),
        decisive=decisive,
    )
    # equivalent: the block means the same, or it only claims, and its claims still hold
    equivalent = expected is None and (
        (bool(in_block) and all(is_checked(s) for s in in_block)) or block_unchanged(original, mutant.text, first, SEED)
    )
    category = classify(bool(outcome.false_proofs), equivalent, expected, truth_expected, refuted, True)
    return replace(outcome, category=category)


DOC_STATUS = {
    "proved": Status.PROVED,
    "refuted": Status.REFUTED,
    "definition": Status.DEFINED,
    "expression": Status.DEFINED,
}


# --- figures --------------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Counts of outcomes by category, and the slowest check."""

    outcomes: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)

    def count(self, category: str) -> int:
        return sum(o.category == category for o in self.outcomes)

    @property
    def false_proofs(self) -> int:
        return sum(bool(o.false_proofs) for o in self.outcomes)

    @property
    def max_seconds(self) -> float:
        return max((o.seconds for o in self.outcomes), default=0.0)

    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.category in FAILURES]

    def lines(self, title: str) -> list[str]:
        """The figures, one per line: generated, then each category, then the slowest check."""
        rows = [f"{title}: {len(self.outcomes)} mutants"]
        width = max(len(c) for c in CATEGORIES)
        rows += [f"  {c:<{width}}  {self.count(c):5d}" for c in CATEGORIES]
        rows.append(f"  {'undecided':<{width}}  {self.undecided:5d}  (where the engine stopped, any category)")
        rows.append(f"  {'false proofs':<{width}}  {self.false_proofs:5d}")
        rows.append(f"  {'max s / check':<{width}}  {self.max_seconds:8.2f}")
        return rows

    @property
    def undecided(self) -> int:
        return sum(o.decisive is not None and o.decisive.status is Status.UNDECIDED for o in self.outcomes)


def sample(items: Sequence[Any], limit: int, key: Callable[[Any], object] = lambda item: None) -> list[Any]:
    """A deterministic sample of about ``limit`` items, in their order: from each group of equal
    ``key`` its share, evenly spread, and at least one."""
    if len(items) <= limit:
        return list(items)
    groups: dict[object, list[Any]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    chosen: set[int] = set()
    for group in groups.values():
        count = max(1, round(len(group) * limit / len(items)))
        chosen.update(id(group[int(k * len(group) / count)]) for k in range(count))
    return [item for item in items if id(item) in chosen]

"""Growth checked before it happens.

SymPy evaluates what it builds: ``3^(2^30)`` is computed the moment it is written, a sum from 1 to 10^9
is added up term by term, and thirty definitions that each square the one before unfold into a number
of a billion digits. Time bounds stop such work only between bytecodes, and memory may be gone before
then. So an expression is measured before SymPy evaluates it, on its unevaluated tree: how large its
numbers, exponents, sums and products, degree and size would become. What exceeds ``LIMITS`` raises
``GrowthError``, which names the limit; a step that meets one is undecided, never an internal error.

The measures are upper bounds, computed bottom-up over the tree once per distinct subexpression, so a
tree whose parts are shared (a definition used twice in the one before it) costs its distinct parts,
while its size is counted as the tree SymPy will walk.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from derive.exceptions import UnsupportedExpressionError


@dataclass(frozen=True)
class Limits:
    #: decimal digits of a number, numerator or denominator: below Python's 4,300-digit limit on printing one
    digits: int = 4_000
    #: a whole-number exponent: the grammar's own limit
    exponent: int = 1_000
    #: the terms of a sum or factors of a product with numeric bounds, which SymPy writes out one by one
    terms: int = 1_000
    #: total degree in the symbols: (x^1000)^1000 is x^1000000
    degree: int = 10_000
    #: terms once multiplied out: (a + b + c)^1000 has half a million
    expanded: int = 100_000
    #: nodes of the tree, counted as SymPy walks it (shared parts once per use)
    nodes: int = 100_000


LIMITS = Limits()


class GrowthError(UnsupportedExpressionError, OverflowError):
    """An expression would grow beyond a limit if SymPy evaluated it. An ``OverflowError`` too: the callers
    that treat a failed evaluation as "not shown" treat this one alike."""


@dataclass(frozen=True)
class Size:
    """Upper bounds on what an expression becomes once evaluated."""

    nodes: int = 1
    #: log10 of the sum of its coefficients' absolute values once multiplied out: of its value, for a number.
    #: It bounds every number it holds, and every coefficient it gets when multiplied out
    magnitude: float = 0.0
    #: total degree in its variables (0 for a number)
    degree: int = 0
    #: terms once multiplied out
    expanded: int = 1
    #: what it is a polynomial in (symbols, and functions of them taken whole); None when too many to track
    variables: frozenset[sp.Basic] | None = frozenset()

    @property
    def numeric(self) -> bool:
        """Free of variables: it evaluates to a number."""
        return self.variables == frozenset()

    @property
    def digits(self) -> int:
        return int(self.magnitude) + 1


#: a polynomial in more variables than this is not tracked: its terms are bounded by products alone
TRACKED = 1_000


def check(expr: sp.Basic, limits: Limits = LIMITS) -> Size:
    """The size ``expr`` will have once evaluated; ``GrowthError`` if any part of it exceeds ``limits``."""
    sizes: dict[sp.Basic, Size] = {}
    # iterative post-order: unfolded definitions nest deeper than Python's recursion limit
    stack: list[tuple[sp.Basic, bool]] = [(expr, False)]
    while stack:
        node, ready = stack.pop()
        if node in sizes:
            continue
        if not ready:
            stack.append((node, True))
            stack.extend((arg, False) for arg in node.args if arg not in sizes)
            continue
        size = _size(node, [sizes[arg] for arg in node.args], limits)
        _within(size, limits)
        sizes[node] = size
    return sizes[expr]


def substituted(expr: sp.Basic, mapping: Mapping[sp.Basic, sp.Basic]) -> sp.Basic:
    """``expr.xreplace(mapping)`` with sums, products and powers left unevaluated, to be measured before
    it is built for good. Not ``with sympy.evaluate(False)``: changing that flag empties SymPy's cache."""
    done: dict[sp.Basic, sp.Basic] = {}

    def rebuild(node: sp.Basic) -> sp.Basic:
        if node in mapping:
            return mapping[node]
        if not node.args:
            return node
        if node not in done:
            args = [rebuild(arg) for arg in node.args]
            if all(new is old for new, old in zip(args, node.args, strict=True)):
                done[node] = node
            elif isinstance(node, (sp.Add, sp.Mul, sp.Pow)):
                done[node] = node.func(*args, evaluate=False)
            else:
                done[node] = node.func(*args)
        return done[node]

    return rebuild(expr)


def _within(size: Size, limits: Limits) -> None:
    if size.degree > limits.degree:
        raise GrowthError(f"a degree of {size.degree:,}: beyond the limit of {limits.degree:,}")
    if size.expanded > limits.expanded:
        raise GrowthError(
            f"about {size.expanded:,} terms once multiplied out: beyond the limit of {limits.expanded:,} terms"
        )
    if size.digits > limits.digits:
        raise GrowthError(f"a number of about {size.digits:,} digits: beyond the limit of {limits.digits:,} digits")
    if size.nodes > limits.nodes:
        raise GrowthError(
            f"an expression of {size.nodes:,} parts once definitions are unfolded: beyond the limit of {limits.nodes:,}"
        )


def _size(node: sp.Basic, args: list[Size], limits: Limits) -> Size:
    nodes = 1 + sum(a.nodes for a in args)
    if isinstance(node, sp.Rational):
        return Size(magnitude=max(_log10(int(node.p)), _log10(int(node.q))))
    if isinstance(node, sp.Add):
        magnitude = max(a.magnitude for a in args) + math.log10(len(args))
        return _polynomial(nodes, magnitude, max(a.degree for a in args), sum(a.expanded for a in args), args)
    if isinstance(node, sp.Mul):
        magnitude = sum(a.magnitude for a in args)
        return _polynomial(nodes, magnitude, sum(a.degree for a in args), math.prod(a.expanded for a in args), args)
    if isinstance(node, sp.Pow):
        return _power(node, args, nodes, limits)
    if isinstance(node, (sp.Sum, sp.Product)):
        return _big_operator(node, args, nodes, limits)
    if not node.args:
        # a number that is not rational (a float, π) is not computed exactly; a symbol is a variable
        return Size() if node.is_number else Size(degree=1, variables=frozenset({node}))
    # a function (exp, log, a density): taken whole, one term, a variable of its own when it has symbols
    magnitude = max((a.magnitude for a in args), default=0.0)
    if all(a.numeric for a in args):
        return Size(nodes, magnitude)
    return Size(nodes, magnitude, 1, 1, frozenset({node}))


def _polynomial(nodes: int, magnitude: float, degree: int, expanded: int, args: list[Size]) -> Size:
    """A sum or product of ``args``: at most as many terms as there are monomials of its degree in its
    variables (``(x + y)^{16}`` multiplied out has 17 terms, not 2^16)."""
    variables = _union(args)
    if variables is not None:
        expanded = min(expanded, math.comb(len(variables) + degree, degree))
    return Size(nodes, magnitude, degree, expanded, variables)


def _union(args: list[Size]) -> frozenset[sp.Basic] | None:
    found: frozenset[sp.Basic] = frozenset()
    for a in args:
        if a.variables is None:
            return None
        found |= a.variables
        if len(found) > TRACKED:
            return None
    return found


def _power(node: sp.Pow, args: list[Size], nodes: int, limits: Limits) -> Size:
    base, exponent = args
    if not exponent.numeric:
        # x^t: no power is computed until t has a value
        variables = frozenset() if base.numeric and exponent.numeric else frozenset({node})
        return Size(nodes, base.magnitude, 1, 1, variables)
    if exponent.digits > 20:
        raise GrowthError(f"an exponent of about {exponent.digits:,} digits: beyond the limit of {limits.exponent:,}")
    value = node.exp.doit()  # small: its magnitude is bounded
    if not isinstance(value, sp.Rational):
        # 2^√2 stays as it is
        return Size(nodes, base.magnitude, 0 if base.numeric else 1, 1, base.variables)
    times = abs(Fraction(int(value.p), int(value.q)))
    if times > limits.exponent and not node.base.is_Symbol:
        # x^5000 is harmless as it is; (x + 1)^5000 and 3^5000 are computed, multiplied out or probed
        raise GrowthError(f"an exponent of {_number(times)}: beyond the limit of {limits.exponent:,}")
    whole = math.ceil(times)
    expanded = math.comb(base.expanded + whole - 1, whole) if times.denominator == 1 and whole else 1
    magnitude = base.magnitude * max(float(times), 1.0)
    return _polynomial(nodes, magnitude, math.ceil(base.degree * times), expanded, [base])


def _big_operator(node: sp.Sum | sp.Product, args: list[Size], nodes: int, limits: Limits) -> Size:
    """A sum or product: with numeric bounds SymPy writes out every term, so their number is limited."""
    function = args[0]
    symbolic = Size(nodes, function.magnitude, function.degree + 1, 1, frozenset({node}))
    if len(node.limits) != 1:
        return symbolic
    _, low, high = node.limits[0]
    if low.free_symbols or high.free_symbols:
        # a bound with a symbol: the sum stays a sum until the bound has a value
        return symbolic
    low, high = low.doit(), high.doit()  # small: their magnitude is bounded
    if not (low.is_Integer and high.is_Integer):
        return symbolic
    count = max(int(high) - int(low) + 1, 0)
    kind, parts = ("sum", "terms") if isinstance(node, sp.Sum) else ("product", "factors")
    if count > limits.terms:
        raise GrowthError(f"a {kind} of {count:,} {parts}: beyond the limit of {limits.terms:,} {parts}")
    if isinstance(node, sp.Sum):
        magnitude, degree, expanded = function.magnitude + _log10(count), function.degree, function.expanded * count
    else:
        magnitude, degree, expanded = function.magnitude * count, function.degree * count, function.expanded**count
    # its terms are the function at each index: variables of their own, not tracked
    variables: frozenset[sp.Basic] | None = frozenset() if function.numeric else None
    return Size(nodes + count * function.nodes, magnitude, degree, expanded, variables)


def _number(value: Fraction) -> str:
    return f"{value.numerator:,}" + (f"/{value.denominator:,}" if value.denominator != 1 else "")


def _log10(n: int) -> float:
    """log10 of ``|n|`` (0 for 0), from its bits when it is beyond a float: ``str`` of a large integer is slow,
    and beyond 4,300 digits refused."""
    n = abs(n)
    if n < 2**1000:
        return math.log10(n) if n else 0.0
    return n.bit_length() * math.log10(2)

"""Side conditions: what a step divides by, and what must be positive under a root or a log.

Each condition is stated in the author's symbols and decided over the stated domain: guaranteed,
or failing at a named boundary (``ᾱ_{t-1} = 1`` is ``t = 1``), or failing at a point found.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

import sympy as sp

from derive.engine.intervals import Bounds, bound
from derive.engine.probe import model_of, points
from derive.engine.scope import Scope
from derive.exceptions import UnsupportedExpressionError
from derive.model import Condition, ConditionKind
from derive.notation import Interval, Notation
from derive.objects import Gaussian


def requirements(expr: sp.Expr) -> list[tuple[sp.Expr, ConditionKind]]:
    """Denominators (non-zero), radicands, log arguments and variances (positive), outermost first."""
    found: list[tuple[sp.Expr, ConditionKind]] = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, Gaussian):
            found.append((node.args[2], ConditionKind.POSITIVE))
        elif isinstance(node, sp.Pow) and node.exp.is_Rational and not node.base.is_Number:
            if node.exp.q != 1:
                kind = ConditionKind.POSITIVE if node.exp < 0 else ConditionKind.NONNEGATIVE
                found.append((node.base, kind))
            elif node.exp < 0:
                # the author divides by σ̃², not by σ̃: state it so (and σ̃² unfolds without a root)
                found.append((node.base ** (-node.exp), ConditionKind.NONZERO))
        elif isinstance(node, sp.log):
            found.append((node.args[0], ConditionKind.POSITIVE))
    return found


def side_conditions(scope: Scope, written: Iterable[tuple[sp.Expr, str | None]]) -> tuple[Condition, ...]:
    """The conditions of each ``(expression, via)``: a step's own expressions (``via`` None), then
    the values of the definitions it relies on (``via`` the defining step), without repeats.

    Conditions are read off the expressions as written, so they name what the author divided by
    (``A \neq 0``), and decided after unfolding definitions into independent symbols.
    """
    seen: set[tuple[sp.Expr, ConditionKind]] = set()
    conditions: list[Condition] = []
    for expr, via in written:
        ranges = _index_ranges(expr)
        for base, kind in requirements(expr):
            expanded = scope.expand(base).expr
            if (expanded, kind) in seen:
                continue
            seen.add((expanded, kind))
            decided = _decide(scope.notation, expanded, kind, ranges)
            # "α_t > 0" restates the domain; only conditions on compound terms are worth a line
            if not (decided.guaranteed and expanded.is_Atom):
                conditions.append(replace(decided, expr=base, via=via))
    return tuple(conditions)


def _index_ranges(expr: sp.Expr) -> tuple[tuple[sp.Symbol, Interval], ...]:
    """The index of each sum or product with a numeric lower bound, from that bound on: a condition on the
    summand (1/k ≠ 0 needs k ≠ 0) holds or fails over the values the index takes."""
    ranges = {}
    for node in expr.atoms(sp.Sum, sp.Product):
        for index, lower, _ in node.limits:
            if lower.is_Integer:
                ranges[index] = Interval(lower, None, lo_open=False)
    return tuple(sorted(ranges.items(), key=lambda kv: kv[0].name))


@lru_cache(maxsize=1024)
def _decide(
    notation: Notation, rewritten: sp.Expr, kind: ConditionKind, ranges: tuple[tuple[sp.Symbol, Interval], ...] = ()
) -> Condition:
    """Conditions repeat from step to step; deciding one depends only on its rewritten form."""
    domains = {s: Bounds.of(i) for s, i in (*notation.domains.items(), *ranges)}
    model = model_of(notation)
    # the terms of a sequence (α_{t-1}) lie where its named terms do
    domains.update({sequence.base: Bounds.of(sequence.domain) for sequence in model.sequences} if model else {})
    try:
        bounds = bound(rewritten, domains)
    except UnsupportedExpressionError:
        # nothing is known about its range: stated, not guaranteed, and no point claimed
        return Condition(rewritten, kind, False)
    holds = {
        ConditionKind.NONZERO: bounds.excludes_zero,
        ConditionKind.POSITIVE: bounds.positive,
        ConditionKind.NONNEGATIVE: bounds.nonnegative,
    }[kind]()
    if holds or _holds_rearranged(rewritten, kind, domains):
        return Condition(rewritten, kind, True)
    never = {
        ConditionKind.NONZERO: bounds.lo == bounds.hi == 0,
        ConditionKind.POSITIVE: bool(bounds.hi <= 0),
        ConditionKind.NONNEGATIVE: bool(bounds.hi < 0 or (bounds.hi == 0 and bounds.hi_open)),
    }[kind]
    if never:
        return Condition(rewritten, kind, False, never=True)
    # where can it fail? where one of its factors vanishes: at a named boundary, or somewhere else
    found_boundary, found_point = None, None
    for factor in _numerator_factors(rewritten):
        try:
            if bound(factor, domains).excludes_zero():
                continue
        except UnsupportedExpressionError:
            continue
        boundary = next((b for b in notation.boundaries if _vanishes_at(factor, b.symbol, b.value)), None)
        if boundary is not None:
            found_boundary = found_boundary or boundary
        elif found_point is None:
            found_point = _zero_in_domain(notation, factor)
    return Condition(rewritten, kind, False, boundary=found_boundary, point=found_point)


#: rearranging is tried on conditions of at most this many operations
REARRANGED_OPS = 40


def _holds_rearranged(expr: sp.Expr, kind: ConditionKind, domains: dict[sp.Basic, Bounds]) -> bool:
    """Whether the condition holds on the bounds of the same expression factored, or collected in one of its
    symbols: interval arithmetic loses that α_t - α_t α_{t-1} is α_t (1 - α_{t-1}), which is positive."""
    if sp.count_ops(expr) > REARRANGED_OPS or not isinstance(expr, sp.Add):
        return False
    expanded = sp.expand(expr)
    forms = [sp.factor(expr)] + [sp.collect(expanded, s) for s in sorted(expr.free_symbols, key=str)]
    for form in forms:
        try:
            bounds = bound(form, domains)
        except UnsupportedExpressionError:
            continue
        if {
            ConditionKind.NONZERO: bounds.excludes_zero,
            ConditionKind.POSITIVE: bounds.positive,
            ConditionKind.NONNEGATIVE: bounds.nonnegative,
        }[kind]():
            return True
    return False


def _numerator_factors(expr: sp.Expr) -> list[sp.Expr]:
    numer = sp.fraction(sp.cancel(sp.together(expr)))[0]
    try:
        return [f for f, _ in sp.factor_list(numer)[1]] or [numer]
    except sp.PolynomialError:
        return [numer]


def _vanishes_at(expr: sp.Expr, symbol: sp.Symbol, value: sp.Expr) -> bool:
    return bool(expr.has(symbol) and sp.cancel(expr.subs(symbol, value)) == 0)


def _zero_in_domain(notation: Notation, expr: sp.Expr) -> tuple[tuple[sp.Symbol, sp.Expr], ...] | None:
    """A point of the domain where ``expr`` vanishes, if a simple solve finds one."""
    numer = sp.fraction(sp.cancel(sp.together(expr)))[0]
    symbols = sorted(numer.free_symbols, key=lambda s: s.name)
    domains = notation.domains
    if not symbols:
        return None
    target, others = symbols[0], symbols[1:]
    point = next(points(others, domains, {}, seed=1)) if others else {}
    reduced = numer.xreplace(point)
    # solve only what has closed-form roots quickly; a radical or a high degree can take minutes
    if not reduced.is_polynomial(target) or sp.degree(reduced, target) > 4:
        return None
    for solution in sp.solve(reduced, target):
        if solution.is_Rational and (target not in domains or domains[target].contains(solution)):
            return ((target, solution), *point.items())
    return None

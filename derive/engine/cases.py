"""Special cases of a closed form: SymPy's ``∑_{k=0}^{n-1} r^k`` is n at r = 1 and (1 - rⁿ)/(1 - r) elsewhere.

A claim is decided on the general branch, and then checked at each special point separately: there it
holds, or one side has no value (a side condition of the step excludes the point), or the claim is not
proved.
"""

from __future__ import annotations

from collections.abc import Iterable

import sympy as sp

Point = tuple[tuple[sp.Symbol, sp.Expr], ...]


def general(expr: sp.Expr) -> sp.Expr:
    """``expr`` with each piecewise value whose special branches hold only at points replaced by its last
    branch, the general one."""
    return expr.replace(lambda e: isinstance(e, sp.Piecewise) and _points(e) is not None, lambda e: e.args[-1][0])


def special_points(exprs: Iterable[sp.Expr]) -> tuple[Point, ...]:
    """The points where a piecewise value of ``exprs`` takes a special branch (r = 1)."""
    found: list[Point] = []
    for expr in exprs:
        for piecewise in expr.atoms(sp.Piecewise):
            for point in _points(piecewise) or ():
                if point not in found:
                    found.append(point)
    return tuple(found)


def _points(piecewise: sp.Piecewise) -> list[Point] | None:
    """The points of the special branches when each is a conjunction of ``symbol = value`` and the last
    branch holds otherwise; None for any other piecewise value."""
    *special, (_, last) = piecewise.args
    if last is not sp.true or not special:
        return None
    points = []
    for _, condition in special:
        equations = condition.args if isinstance(condition, sp.And) else (condition,)
        point = []
        for equation in equations:
            solved = _solved(equation)
            if solved is None:
                return None
            point.append(solved)
        points.append(tuple(sorted(point, key=lambda kv: kv[0].name)))
    return points


def _solved(equation: sp.Basic) -> tuple[sp.Symbol, sp.Expr] | None:
    """``Eq(1/β, 1)`` as ``β = 1``: an equation in one symbol with one solution; else None."""
    if not isinstance(equation, sp.Eq) or len(equation.free_symbols) != 1:
        return None
    (symbol,) = equation.free_symbols
    if isinstance(equation.lhs, sp.Symbol) and not equation.rhs.has(symbol):
        return equation.lhs, equation.rhs
    try:
        solutions = sp.solve(equation.lhs - equation.rhs, symbol)
    except (NotImplementedError, ValueError, TypeError):
        return None
    return (symbol, solutions[0]) if len(solutions) == 1 else None


def holds_at(lhs: sp.Expr | None, rhs: sp.Expr, point: Point) -> bool:
    """Whether ``lhs = rhs`` holds at ``point``, or one side has no value there (a side condition excludes it)."""
    values = []
    for side in (lhs, rhs):
        if side is None:
            continue
        value = sp.simplify(side.xreplace(dict(point)))
        if value.has(sp.zoo, sp.nan) or value in (sp.oo, -sp.oo):
            return True
        values.append(value)
    return len(values) < 2 or sp.simplify(values[0] - values[1]) == 0

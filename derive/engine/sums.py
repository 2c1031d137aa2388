"""Sums SymPy leaves unevaluated, made linear: ``∑ (x_i - m) = ∑ x_i - n m``.

A sum of terms is the sum of their sums, and a factor free of the index comes out; what is then free of
the index is summed (``∑_{i=1}^{n} m = n m``). Each sum left is of one term of a sequence, so that sums of
the same terms cancel in the rational-function test.
"""

from __future__ import annotations

import sympy as sp


def linear(expr: sp.Expr) -> sp.Expr:
    """``expr`` with every unevaluated sum of one index split into sums of single terms."""
    return expr.replace(lambda e: isinstance(e, sp.Sum) and len(e.limits) == 1, _split)


def _split(found: sp.Sum) -> sp.Expr:
    (index, lower, upper) = found.limits[0]
    parts = []
    for term in sp.Add.make_args(sp.expand(found.function)):
        free, bound = term.as_independent(index, as_Add=False)
        if bound == 1:
            parts.append(free * (upper - lower + 1))
        else:
            parts.append(free * sp.Sum(bound, (index, lower, upper)))
    return sp.Add(*parts)

"""Decide one claim: numeric refutation first, then the rational-function test, then simplify.

Each relation kind becomes a ``Comparison`` (one singledispatch rule per kind): two quantities that
must agree at every point, and one expression that must be identically zero.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import singledispatch
from itertools import islice

import sympy as sp
from sympy.core.function import AppliedUndef

from derive.engine import probe
from derive.engine.intervals import Bounds, bound
from derive.engine.rational import is_zero, root_degrees, to_rational
from derive.engine.scope import Scope
from derive.engine.timebound import Clock, TimeBoundError, time_bound
from derive.exceptions import DerivationError, UnsupportedExpressionError
from derive.model import (
    CheckConfig,
    CoefficientOf,
    Counterexample,
    Equal,
    EqualInDistribution,
    EqualUpToAdditive,
    EqualUpToConstant,
    EqualUpToTermIn,
    LimitAt,
    ProportionalIn,
    Relation,
    Status,
    Where,
)

#: Points tried after a rational-function test says "not zero", to exhibit the counterexample.
SEARCH_POINTS = 200


@dataclass(frozen=True)
class Comparison:
    left: sp.Expr
    right: sp.Expr
    #: Identically zero exactly when the claim holds.
    target: sp.Expr
    compared: str = "values"
    #: For "differences" and "ratios": the variables whose second values are compared.
    vars: tuple[sp.Symbol, ...] = ()
    #: Set when agreement would not prove the claim (a limit along one path): only a refutation
    #: counts, and this says under what it was found.
    only_refutes: str = ""
    #: The sides are limits, which may diverge: +∞ and -∞ are values, unequal to any number.
    infinite: bool = False
    #: Further pairs that must agree at every point too, each with what it compares (the variances,
    #: beside the means of a claim in distribution)
    extra: tuple[tuple[str, sp.Expr, sp.Expr], ...] = ()


@dataclass(frozen=True)
class Outcome:
    status: Status
    method: str
    reason: str = ""
    counterexample: Counterexample | None = None


@singledispatch
def comparison(
    relation: Relation, scope: Scope, lhs: sp.Expr | None, rhs: sp.Expr, source: sp.Expr | None
) -> Comparison:
    raise UnsupportedExpressionError(f"unsupported relation: {type(relation).__name__}")


@comparison.register
def _(relation: Equal, scope: Scope, lhs: sp.Expr | None, rhs: sp.Expr, source: sp.Expr | None) -> Comparison:
    lhs = _required(lhs, relation)
    target = lhs - rhs
    if (lhs.has(sp.exp) or rhs.has(sp.exp)) and _positive(scope, lhs) and _positive(scope, rhs):
        # positive sides equal iff their logs are: turns products of exponentials into sums
        target = sp.expand_log(sp.log(lhs), force=True) - sp.expand_log(sp.log(rhs), force=True)
    return Comparison(lhs, rhs, target)


@comparison.register
def _(
    relation: EqualUpToAdditive, scope: Scope, lhs: sp.Expr | None, rhs: sp.Expr, source: sp.Expr | None
) -> Comparison:
    lhs = _required(lhs, relation)
    difference = lhs - rhs
    return Comparison(difference, difference, sp.diff(difference, relation.var), "differences", (relation.var,))


@comparison.register
def _(relation: EqualUpToTermIn, scope: Scope, lhs: sp.Expr | None, rhs: sp.Expr, source: sp.Expr | None) -> Comparison:
    lhs = _required(lhs, relation)
    # C(args) may be any function of its arguments: the function itself decides what it may depend on
    applied = {f for f in (lhs - rhs).atoms(AppliedUndef) if relation.function in (None, f.func.__name__)}
    if len({f.func for f in applied}) > 1:
        raise UnsupportedExpressionError("more than one unspecified function in one claim")
    arguments = set(relation.arguments)
    for f in applied:
        # an argument that a definition unfolded (x_t, defined through the noise) lends its symbols
        arguments = (arguments & set(f.args)) | {s for a in f.args if not a.is_Symbol for s in a.free_symbols}
    unknown = sp.Dummy(str(next(iter(applied)).func) if applied else "C")
    lhs, rhs = (side.xreplace(dict.fromkeys(applied, unknown)) for side in (lhs, rhs))
    others = (lhs - rhs).free_symbols - arguments - {unknown}
    if relation.free_of is not None:
        others &= set(relation.free_of)
    return _for_some(scope, lhs, rhs, unknown, tuple(sorted(others, key=lambda v: v.name)))


@comparison.register
def _(
    relation: EqualUpToConstant, scope: Scope, lhs: sp.Expr | None, rhs: sp.Expr, source: sp.Expr | None
) -> Comparison:
    return _for_some(scope, _required(lhs, relation), rhs, relation.constant, (relation.var,))


def _for_some(
    scope: Scope, lhs: sp.Expr, rhs: sp.Expr, unknown: sp.Symbol, free_of: tuple[sp.Symbol, ...]
) -> Comparison:
    """``lhs = rhs`` for some value of ``unknown`` that does not depend on ``free_of``.

    Where the unknown sits inside exponentials of positive sides, their logs are compared. The
    difference is then linear in it, ``D + k·unknown``, and the value that solves it, ``-D/k``, must be
    free of ``free_of``: the sum of the squares of its derivatives must vanish.
    """
    difference = lhs - rhs
    if (lhs.has(sp.exp) or rhs.has(sp.exp)) and _positive_for_all(scope, lhs, rhs, unknown):
        difference = sp.expand_log(sp.log(lhs), force=True) - sp.expand_log(sp.log(rhs), force=True)
    # not written at all, the term is implied: as if ``+ unknown`` ended the right side
    slope = sp.diff(difference, unknown) if difference.has(unknown) else sp.S.NegativeOne
    if slope.has(unknown) or slope == 0:
        raise UnsupportedExpressionError(f"the unspecified {unknown} does not enter the claim linearly")
    # the value the unknown must take: for ``lhs = rhs + C``, the difference lhs - rhs
    solved = -difference.xreplace({unknown: sp.S.Zero}) / slope
    target = sp.Add(*(sp.diff(solved, v) ** 2 for v in free_of))
    return Comparison(solved, solved, target, "differences", free_of)


def _positive_for_all(scope: Scope, lhs: sp.Expr, rhs: sp.Expr, unknown: sp.Symbol) -> bool:
    """Both sides positive, whatever real value the unknown takes (it may only sit inside exponentials)."""
    zero = {unknown: sp.S.Zero}
    return all(
        _positive(scope, side.xreplace(zero)) and all(a.args[0].has(unknown) for a in side.atoms(sp.exp) | {side})
        if side.has(unknown)
        else _positive(scope, side)
        for side in (lhs, rhs)
    )


@comparison.register
def _(relation: Where, scope: Scope, lhs: sp.Expr | None, rhs: sp.Expr, source: sp.Expr | None) -> Comparison:
    where = {relation.var: scope.expand(relation.value).expr}
    lhs, rhs, source = (None if e is None else e.xreplace(where) for e in (lhs, rhs, source))
    assert rhs is not None
    return comparison(relation.relation, scope, lhs, rhs, source)


@comparison.register
def _(
    relation: EqualInDistribution, scope: Scope, lhs: sp.Expr | None, rhs: sp.Expr, source: sp.Expr | None
) -> Comparison:
    lhs = _required(lhs, relation)
    free = (lhs - rhs).free_symbols
    noise = sorted((s for s in free if scope.notation.is_noise(s) or s in relation.noise), key=lambda v: v.name)
    if not noise:
        raise UnsupportedExpressionError("no noise symbol on either side: nothing is random")
    (mean_l, var_l), (mean_r, var_r) = (_moments(side, noise) for side in (lhs, rhs))
    given_l, given_r = (mean.free_symbols | var.free_symbols for mean, var in ((mean_l, var_l), (mean_r, var_r)))
    if given_l != given_r:
        # x_{t-1} on one side only: the claim puts a distribution in its place, which is not stated
        labels = {base.label for base in (lhs - rhs).atoms(sp.IndexedBase)}
        names = ", ".join(sorted(_latex(v, scope) for v in (given_l ^ given_r) - labels if _named(v)))
        raise UnsupportedExpressionError(f"{names} on one side only: its distribution would be needed")
    target = (mean_l - mean_r) ** 2 + (var_l - var_r) ** 2
    return Comparison(mean_l, mean_r, target, "means", extra=(("variances", var_l, var_r),))


def _named(symbol: sp.Basic) -> bool:
    """A quantity a reader knows by name: not a sequence's label (α of α_i), not an index (t)."""
    return isinstance(symbol, sp.Symbol) and not symbol.is_integer and not isinstance(symbol, sp.Dummy)


def _latex(symbol: sp.Basic, scope: Scope) -> str:
    return scope.notation.latex_names.get(symbol, str(symbol).replace(" ", ""))


def _moments(side: sp.Expr, noise: list[sp.Symbol]) -> tuple[sp.Expr, sp.Expr]:
    """The mean and variance of ``side``, affine in independent standard Gaussian ``noise``."""
    slopes = [sp.diff(side, n) for n in noise]
    if any(slope.has(*noise) for slope in slopes):
        raise UnsupportedExpressionError("not a Gaussian: not affine in the noise")
    return side.xreplace(dict.fromkeys(noise, sp.S.Zero)), sp.Add(*(slope**2 for slope in slopes))


@comparison.register
def _(relation: ProportionalIn, scope: Scope, lhs: sp.Expr | None, rhs: sp.Expr, source: sp.Expr | None) -> Comparison:
    lhs = _required(lhs, relation)
    ratio = lhs / rhs
    log_ratio = sp.expand_log(sp.log(lhs), force=True) - sp.expand_log(sp.log(rhs), force=True)
    return Comparison(ratio, ratio, sp.diff(log_ratio, relation.var), "ratios", (relation.var,))


@comparison.register
def _(relation: CoefficientOf, scope: Scope, lhs: sp.Expr | None, rhs: sp.Expr, source: sp.Expr | None) -> Comparison:
    if source is None:
        raise UnsupportedExpressionError("a coefficient relation needs the expression it is a coefficient of")
    expanded = sp.expand(source)
    if not expanded.is_polynomial(relation.var):
        raise UnsupportedExpressionError(f"not a polynomial in {relation.var}: {source}")
    coefficient = expanded.coeff(relation.var, relation.power)
    left = relation.factor * rhs
    return Comparison(left, coefficient, left - coefficient, "coefficient")


@comparison.register
def _(relation: LimitAt, scope: Scope, lhs: sp.Expr | None, rhs: sp.Expr, source: sp.Expr | None) -> Comparison:
    lhs = _required(lhs, relation)
    rewritten, _ = scope.rewrite(relation.var)
    if rewritten == relation.var:
        try:
            left, right = _limit(lhs, relation, scope), _limit(rhs, relation, scope)
        except NotImplementedError:
            # SymPy cannot take it with the other symbols free; at a point it is a limit in one variable
            direction = _direction(relation, scope)
            left, right = (sp.Limit(e, relation.var, relation.value, direction) for e in (lhs, rhs))
            return Comparison(left, right, left - right, only_refutes="at single points, limit by limit", infinite=True)
        return Comparison(left, right, left - right, infinite=True)
    # ᾱ_t -> 1 moves α_t and ᾱ_{t-1} together: the limit, if it exists, is the limit along every
    # path that takes ᾱ_t there; one path where it differs refutes the claim, none proves it
    path, s = _path(rewritten, relation.value, scope)
    along = LimitAt(s, sp.Integer(0))
    left = _limit(lhs.xreplace(path), along, scope, "+")
    right = _limit(rhs.xreplace(path), along, scope, "+")
    shown = {s: sp.Symbol("s")}  # the dummy prints as _s
    described = ", ".join(f"{k} = {v.xreplace(shown)}" for k, v in path.items())
    return Comparison(left, right, left - right, only_refutes=f"along the path {described}, s -> 0+", infinite=True)


def _path(rewritten: sp.Expr, value: sp.Expr, scope: Scope) -> tuple[dict[sp.Symbol, sp.Expr], sp.Symbol]:
    """Each independent symbol moves linearly from the end of its domain, at its own speed, so
    that ``rewritten`` tends to ``value``; unequal speeds keep the path from being special."""
    s = sp.Dummy("s", positive=True)
    path: dict[sp.Symbol, sp.Expr] = {}
    for speed, symbol in enumerate(sorted(rewritten.free_symbols, key=lambda x: x.name), start=1):
        interval = scope.notation.domains.get(symbol)
        if interval is None or interval.hi is None:
            raise UnsupportedExpressionError(f"unsupported limit: {symbol} has no upper end to approach")
        path[symbol] = interval.hi - speed * s
    if sp.limit(rewritten.xreplace(path), s, 0, "+") != value:
        raise UnsupportedExpressionError(f"unsupported limit: no straight path takes {rewritten} to {value}")
    return path, s


def free_values(expr: sp.Expr, keep: str | None) -> sp.Expr:
    """Each call of an unspecified function (μ_θ(x_t, t)) as a value of its own, free like a symbol: a
    claim about it holds for every function. ``keep`` names the one whose existence a claim asserts
    (``+ C(x_t, x_0)``), which stays a function; None keeps them all."""
    calls = {f for f in expr.atoms(AppliedUndef) if keep is not None and f.func.__name__ != keep}
    return expr.xreplace({f: sp.Symbol(str(f), real=True) for f in calls}) if calls else expr


def _required(lhs: sp.Expr | None, relation: Relation) -> sp.Expr:
    if lhs is None:
        raise DerivationError(f"a {relation.kind} relation needs a left-hand side")
    return lhs


def _limit(expr: sp.Expr, relation: LimitAt, scope: Scope, direction: str | None = None) -> sp.Expr:
    reduced = sp.cancel(sp.together(expr))
    numer, denom = sp.fraction(reduced)
    at_numer, at_denom = numer.subs(relation.var, relation.value), denom.subs(relation.var, relation.value)
    if not (at_numer.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or sp.cancel(at_denom) == 0):
        return at_numer / at_denom
    return sp.limit(expr, relation.var, relation.value, direction or _direction(relation, scope))


def _direction(relation: LimitAt, scope: Scope) -> str:
    """Approach from inside the domain: from below at its upper end, from above at its lower end."""
    interval = scope.notation.domains.get(relation.var)
    if interval is not None and interval.hi is not None and relation.value == interval.hi:
        return "-"
    if interval is not None and interval.lo is not None and relation.value == interval.lo:
        return "+"
    return "+-"


def _positive(scope: Scope, expr: sp.Expr) -> bool:
    domains = {s: Bounds.of(i) for s, i in scope.notation.domains.items()}
    try:
        return bound(expr, domains).positive()
    except UnsupportedExpressionError:
        return False


class _Proof(enum.Enum):
    """How far the proof methods got, when they did not prove the claim."""

    NONZERO = "the rational-function test found a non-zero difference"
    EXHAUSTED = "neither the rational-function test nor simplify reached zero"
    TIMED_OUT = "the time bound was hit"


def decide(claim: Comparison, scope: Scope, config: CheckConfig, progress: Callable[[str], None]) -> Outcome:
    """Refute, prove, or give up with a reason. ``progress`` names the phase, for time-bound reports.

    The counterexample search is deterministic (seeded rational points) and runs under its own
    generous bound, before and after the proof methods, never cut short by them: whether a claim is
    refuted does not depend on how fast the machine is. Only a proof can need the step's time bound.
    """
    stream = _Probe(claim, scope, config.seed)
    progress("numeric probe")
    with time_bound(config.search_bound):
        found = stream.search(config.probes)
    if found:
        return Outcome(Status.REFUTED, "numeric-probe", claim.only_refutes, found)

    phase = "rational-function test"
    try:
        with time_bound(config.bound()):
            progress(phase)
            form = to_rational(claim.target)
            if is_zero(form):
                return _proved(claim, "rational-function+roots" if form.roots else "rational-function")
            if form.faithful:
                proof = _Proof.NONZERO
            else:
                progress(phase := "simplify")
                if sp.simplify(claim.target) == 0:
                    return _proved(claim, "simplify")
                proof = _Proof.EXHAUSTED
    except TimeBoundError as expired:
        if expired.clock is not Clock.CPU:
            raise  # the file's deadline: nothing more is done for this step
        proof = _Proof.TIMED_OUT

    progress("counterexample search")
    with time_bound(config.search_bound):
        found = stream.search(SEARCH_POINTS)
    if found:
        method = "rational-function" if proof is _Proof.NONZERO else "numeric-probe"
        return Outcome(Status.REFUTED, method, claim.only_refutes, found)
    if proof is _Proof.TIMED_OUT:
        reason = f"the time bound of {config.time_bound:g} s was hit during {phase}"
        return Outcome(Status.UNDECIDED, "time-bound", reason)
    if proof is _Proof.NONZERO:
        return Outcome(
            Status.UNDECIDED,
            "rational-function",
            f"the difference is a non-zero rational function, but none of {stream.agreed} points showed it",
        )
    probed = f"{stream.agreed} points agree" if stream.agreed else "no point of the domain gives both sides a value"
    return Outcome(Status.UNDECIDED, "exhausted", f"{proof.value}; {probed}")


def refute(claim: Comparison, scope: Scope, config: CheckConfig) -> Counterexample | None:
    """The counterexample search alone, as far as ``decide`` takes it: for refutation only."""
    stream = _Probe(claim, scope, config.seed)
    with time_bound(config.search_bound):
        return stream.search(config.probes + SEARCH_POINTS)


def _proved(claim: Comparison, method: str) -> Outcome:
    if claim.only_refutes:
        return Outcome(Status.UNDECIDED, "exhausted", f"the claim holds {claim.only_refutes}, which proves nothing")
    return Outcome(Status.PROVED, method)


def _order(item: tuple[sp.Basic, sp.Expr]) -> str:
    return str(item[0])


class _Probe:
    """Evaluates a comparison at successive domain points, remembering how far it has searched."""

    def __init__(self, claim: Comparison, scope: Scope, seed: int) -> None:
        self.claim = claim
        exprs = (claim.left, claim.right, *(e for _, left, right in claim.extra for e in (left, right)))
        self.evaluable = all(probe.evaluable(e) for e in exprs)
        # a product over a sequence has a value once the sequence has terms: complete each point
        modelled = not self.evaluable and all(probe.evaluable_in_a_model(e) for e in exprs)
        self.model = probe.model_of(scope.notation) if modelled else None
        self.rng = random.Random(seed + 2)
        # a point gives values to symbols, not to a sequence's name (α of α_i) or its terms
        labels = {base.label for e in exprs for base in e.atoms(sp.IndexedBase)}
        free = set().union(*(e.free_symbols for e in exprs))
        symbols = sorted((s for s in free if isinstance(s, sp.Symbol) and s not in labels), key=lambda s: s.name)
        roots: dict[sp.Symbol, int] = {}
        for expr in exprs:
            roots.update(root_degrees(expr))
        domains = scope.notation.domains
        self.points = probe.points(symbols, domains, roots, seed)
        self.others = probe.points(list(claim.vars), domains, roots, seed + 1)
        #: points where both sides had a value and agreed
        self.agreed = 0

    def search(self, count: int) -> Counterexample | None:
        if not self.evaluable and self.model is None:
            return None
        for point in islice(self.points, count):
            found = self._at(point)
            if found:
                return found
        return None

    def _at(self, sampled: dict[sp.Symbol, sp.Expr]) -> Counterexample | None:
        claim = self.claim
        point: dict[sp.Basic, sp.Expr] = dict(sampled)
        if self.model is not None:
            completed = self.model.complete(sampled, self.rng)
            if completed is None:
                return None
            point = completed
        first, second, other = point, point, None
        if claim.vars:
            moved = {v: value for v, value in next(self.others).items() if value != point.get(v)}
            if not moved:
                return None
            second, other = {**point, **moved}, tuple(sorted(moved.items(), key=lambda kv: kv[0].name))
        differing = self._difference(first, second)
        if differing is None:
            return None
        compared, left, right = differing
        used = probe.terms_used([claim.left, claim.right, *(e for _, a, b in claim.extra for e in (a, b))], point)
        # and the terms that give the point's symbols their values (ᾱ_{t-1} = α_1 ⋯ α_{t-1})
        reach = max((int(v) for k, v in sampled.items() if k.is_integer and v.is_Integer), default=0)
        defining = {s.base for s in self.model.sequences if s.products} if self.model is not None else set()
        used |= {
            k
            for k in point
            if isinstance(k, sp.Indexed) and k.base in defining and k.indices[0].is_Integer and k.indices[0] <= reach
        }
        return Counterexample(
            # the claim's symbols, and the terms that gave its products their values
            point=tuple(sorted(((k, v) for k, v in point.items() if k in sampled or k in used), key=_order)),
            left=left.value,
            right=right.value,
            compared=compared,
            exact=left.exact and right.exact,
            other=other,
        )

    def _difference(
        self, first: dict[sp.Basic, sp.Expr], second: dict[sp.Basic, sp.Expr]
    ) -> tuple[str, probe.Value, probe.Value] | None:
        """The first compared pair whose values differ, with them; None where all agree or one has no value."""
        claim = self.claim
        for compared, left_expr, right_expr in ((claim.compared, claim.left, claim.right), *claim.extra):
            left = probe.evaluate(left_expr, first, claim.infinite)
            right = probe.evaluate(right_expr, second, claim.infinite)
            if left is None or right is None:
                return None
            if probe.differ(left, right):
                return compared, left, right
        self.agreed += 1
        return None

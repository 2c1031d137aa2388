"""Readings: the ways an author's relation may reasonably be meant, and what a refutation must survive.

A refutation is a promise: a claim is refuted only when it is false under every reasonable reading
of what the author wrote. The letter of a claim (pointwise equality, as the reader builds it) is
its first reading; the table ``READINGS`` says when another is open to the author, and how to check
it; ``OBJECTIONS`` lists what makes a refutation no promise at all (a name the text never defines,
used on one side only). ``settle`` combines the verdicts:

- proved under some reading: proved, saying which reading;
- refuted under every reading, with no objection: refuted, with the letter's counterexample;
- otherwise: not checked, with the reason.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sympy as sp
from sympy.core.function import AppliedUndef

from derive.doccheck import wording
from derive.engine.scope import Scope
from derive.exceptions import DeriveError
from derive.model import (
    Counterexample,
    Equal,
    EqualInDistribution,
    EqualUpToAdditive,
    ProportionalIn,
    Relation,
    Status,
    Verdict,
    Where,
    WithNotation,
)
from derive.notation import Notation

#: names of an unspecified constant: a bare ``C`` or ``\\text{const}`` is free of the current variable,
#: ``C(x_t, x_0)`` any function of its arguments
UNSPECIFIED = ("C", "const")


class Reading(enum.Enum):
    """A reading of ``=`` besides the letter, named as the report says it."""

    IN_DISTRIBUTION = "in distribution"
    PROPORTIONAL = "as a link of its ∝ chain"
    REPARAMETERISED = "with the state written through the noise"
    WITH_NOTATION = "with the notation's identities"


#: readings whose counterexample is shown when every reading refutes a claim, instead of the letter's
#: (a sampling equation is meant in distribution, a link of a ∝ chain as ∝; an unstated identity only
#: widens the letter)
SHOWN = frozenset((Reading.IN_DISTRIBUTION, Reading.PROPORTIONAL))


@dataclass(frozen=True)
class Context:
    """What the reader knows where a link ``left = right`` is written."""

    scope: Scope
    #: the first item of the link's chain: ``x_t`` in ``x_t = … = …``
    head: sp.Basic
    #: the variable of a ``∝`` earlier in the chain, if there was one
    propto: sp.Symbol | None
    #: whether the chain's ``∝`` was between logarithms (``log p ∝ …``)
    logarithmic: bool
    #: how the letter of the claim is checked
    relation: Relation


@dataclass(frozen=True)
class Rule:
    """When a reading is open to the author, and the relation that checks it."""

    reading: Reading
    applies: Callable[[sp.Basic, sp.Basic, Context], bool]
    relation: Callable[[sp.Basic, sp.Basic, Context], Relation]
    #: whether it reads an ``=`` only, or any relation the letter is checked by (up to a term, ∝)
    equality_only: bool = True


def _sampling(left: sp.Basic, right: sp.Basic, context: Context) -> bool:
    """A chain about a random state (x_t) whose sides, unfolded, hold noise: a sampling equation.
    A formula for anything else (μ̃_t in terms of ε) stays pointwise."""
    notation = context.scope.notation
    if not (isinstance(context.head, sp.Symbol) and notation.is_random(context.head)):
        return False
    unfolded = context.scope.unfold(sp.Tuple(left, right)).expr
    return any(notation.is_noise(s) for s in unfolded.free_symbols)


def _reparameterised(left: sp.Basic, right: sp.Basic, context: Context) -> bool:
    """A claim that holds both a state and the noise it is written through (x_0 and ε, in ``μ(x_t, x_0) =
    … (x_t - √(1-ᾱ_t) ε) …``): it may mean the state as written through the noise."""
    return _reparameterisation(left, right, context) is not None


def _reparameterisation(left: sp.Basic, right: sp.Basic, context: Context) -> tuple[sp.Symbol, sp.Expr] | None:
    notation = context.scope.notation
    present = context.scope.unfold(sp.Tuple(left, right)).expr.free_symbols
    noises = {s for s in present if notation.is_noise(s)}
    for var, value in notation.reparameterisations:
        written = {s for s in value.free_symbols if notation.is_noise(s)}
        if var not in present or not noises:
            continue
        if written <= noises:
            return var, value
        if len(noises) == 1 and len(written) == 1:
            # the noise under another name (ε_t for ε): the one noise the claim holds
            return var, value.xreplace({written.pop(): noises.pop()})
    return None


def _reparameterised_relation(left: sp.Basic, right: sp.Basic, context: Context) -> Relation:
    found = _reparameterisation(left, right, context)
    assert found is not None
    return Where(*found, context.relation)


def _unstated_identity(left: sp.Basic, right: sp.Basic, context: Context) -> bool:
    """The claim uses a symbol an identity of the notation governs (β_t), and the document has not stated
    that identity yet: readers take it as known."""
    scope = context.scope
    missing = [i for i in scope.notation.identities if i.family not in scope.identities]
    governed = {s for identity in missing for lhs, _ in identity.rewrites for s in lhs.free_symbols}
    return bool(governed & scope.unfold(sp.Tuple(left, right)).expr.free_symbols)


def _in_propto_chain(left: sp.Basic, right: sp.Basic, context: Context) -> bool:
    return context.propto is not None


def _propto_relation(left: sp.Basic, right: sp.Basic, context: Context) -> Relation:
    assert context.propto is not None
    return EqualUpToAdditive(context.propto) if context.logarithmic else ProportionalIn(context.propto)


READINGS = (
    Rule(Reading.IN_DISTRIBUTION, _sampling, lambda left, right, context: EqualInDistribution()),
    Rule(Reading.REPARAMETERISED, _reparameterised, _reparameterised_relation, equality_only=False),
    Rule(Reading.PROPORTIONAL, _in_propto_chain, _propto_relation),
    Rule(
        Reading.WITH_NOTATION,
        _unstated_identity,
        lambda left, right, context: WithNotation(context.relation),
        equality_only=False,
    ),
)


@dataclass(frozen=True)
class Alternative:
    """A reading open to the author, and the id of the step that checks the claim under it."""

    reading: Reading
    step_id: str


def alternatives(left: sp.Basic, right: sp.Basic, context: Context) -> list[tuple[Reading, Relation]]:
    """The readings besides the letter that are open to the author of ``left = right``."""
    found = []
    for rule in READINGS:
        if rule.equality_only and not isinstance(context.relation, Equal):
            continue
        try:
            applies = rule.applies(left, right, context)
        except (ArithmeticError, TypeError, ValueError, NotImplementedError):
            applies = False  # unfolding failed: the engine reports it at the step itself
        if applies:
            found.append((rule.reading, rule.relation(left, right, context)))
    return found


# -- objections: what makes a refutation no promise -----------------------------------------------------


def _undefined_on_one_side(left: sp.Basic, right: sp.Basic, scope: Scope) -> str:
    """A name the document never defined, the notation does not know, and that one side lacks: the
    line defines it in passing (``d = b/(2a) = …`` with ``b`` new), it does not claim an identity in it."""
    known = _meaningful(scope.notation)
    sides = []
    for side in (left, right):
        try:
            sides.append(scope.unfold(side).expr.free_symbols)
        except (ArithmeticError, TypeError, ValueError, NotImplementedError):
            return ""
    variables = _variables(sp.Tuple(left, right))
    one_sided = {
        s for s in (sides[0] ^ sides[1]) - variables - set(scope.definitions) if not _known(s, scope.notation, known)
    }
    # a sequence's name (α of α_i) is no quantity, whether the claim or a definition it unfolds wrote it
    labels = {e.symbol.label for e in scope.notation if isinstance(e.symbol, sp.IndexedBase)}
    names = sorted(
        wording.name(s, scope.notation)
        for s in one_sided - labels
        if isinstance(s, sp.Symbol)
        and not s.is_integer
        and not scope.notation.is_noise(s)
        and s.name not in UNSPECIFIED
    )
    if not names:
        return ""
    verb = "is" if len(names) == 1 else "are"
    return f"{', '.join(names)} {verb} not defined before this line and on one side only: read as defining"


def _meaningful(notation: Notation) -> set[sp.Basic]:
    """The notation's symbols that mean something whatever the document says: those with a domain, a
    canonical value, or an identity; not the placeholders a document defines itself (A, B, C)."""
    governed = {s for identity in notation.identities for lhs, _ in identity.rewrites for s in lhs.free_symbols}
    canonical = {s for name, _ in notation.canonical for s in name.free_symbols}
    return {e.symbol for e in notation if e.domain is not None} | governed | canonical


def _known(symbol: sp.Basic, notation: Notation, meaningful: set[sp.Basic]) -> bool:
    """Meaningful, or of a family of states or noises under another index (x_{t+1}, ε_3)."""
    return symbol in meaningful or notation.is_random(symbol) or notation.is_noise(symbol)


def limit_objection(expr: sp.Basic, var: sp.Symbol, value: sp.Basic, scope: Scope) -> str:
    """Why a limit claim's refutation would be no promise, or "".

    ``lim_{t→∞} ᾱ_t``: a limit in an index, of an expression that depends on the index only through the
    notation's symbols (ᾱ_t), whose behaviour as the index moves the notation does not give. And
    ``lim_{ᾱ_{t-1}→1} σ̃_{t-1}^2``: a limit in one of the notation's coordinates, of an expression that also
    holds the terms of the sequence that coordinate is made of (ᾱ_{t-2}, α_{t-1}), which it does not move."""
    try:
        unfolded = scope.unfold(expr).expr
    except (ArithmeticError, TypeError, ValueError, NotImplementedError):
        return ""
    if not var.is_integer and unfolded.has(sp.Product, sp.Indexed):
        name = wording.name(var, scope.notation)
        return f"a limit in {name} of terms of the sequence it is made of, which it does not move"
    if not (var.is_integer and value.is_infinite):
        return ""
    # the index only as a bound of products and sums over the notation's sequences: their behaviour decides
    if var in unfolded.xreplace({node: sp.Dummy() for node in unfolded.atoms(sp.Product, sp.Sum)}).free_symbols:
        return ""
    end = "∞" if value == sp.oo else "-∞" if value == -sp.oo else str(value)
    return f"a limit as {var} → {end}: how the notation's symbols behave as {var} grows is not stated"


def _variables(expr: sp.Basic) -> set[sp.Basic]:
    """Symbols the author made variables: of a derivative, a sum, a product, a limit, an integral."""
    found: set[sp.Basic] = set()
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Derivative):
            found |= {v for v, _ in node.variable_count}
        elif isinstance(node, (sp.Sum, sp.Product, sp.Integral)):
            found |= {limit[0] for limit in node.limits}
        elif isinstance(node, sp.Limit):
            found.add(node.args[1])
    return found


def _other_arguments(left: sp.Basic, right: sp.Basic, scope: Scope) -> str:
    """``f(x_t, ε)`` or ``f(x_t, t)`` after ``f(x_t, x_0) = …``: an argument that holds no state where the
    function was defined of a state is a reparameterisation the text names in words (x_0 written through
    ε), not the function's value at x_0 = ε. The notation's own reparameterisations are read before."""
    for call in sorted(sp.Tuple(left, right).atoms(AppliedUndef), key=str):
        defined = scope.definitions.get(call.func)
        if defined is None or len(defined.parameters) != len(call.args):
            continue
        for parameter, argument in zip(defined.parameters, call.args, strict=True):
            holds_a_state = any(scope.notation.is_random(s) for s in argument.free_symbols)
            if scope.notation.is_random(parameter) and not holds_a_state and not argument.is_number:
                state, other = wording.name(parameter, scope.notation), wording.unicode(sp.latex(argument))
                return f"{call.func} is applied to {other} where it was defined of {state}: a reparameterisation"
    return ""


def _where_an_operator_ends(left: sp.Basic, right: sp.Basic, scope: Scope) -> str:
    """``\\prod_{i=k}^{t} \alpha_i (1 - \alpha_{k-1})``: a bracket free of the index after the term may close the
    product or stand inside it; the grammar reads it inside, the author may mean outside."""
    for node in sp.preorder_traversal(sp.Tuple(left, right)):
        if isinstance(node, (sp.Sum, sp.Product)) and isinstance(node.function, sp.Mul):
            index = node.limits[0][0]
            outside = [f for f in node.function.args if isinstance(f, sp.Add) and not f.has(index)]
            if outside and len(node.function.args) > len(outside):
                bracket = wording.unicode(sp.latex(outside[0]))
                return f"({bracket}) may stand inside or after the {type(node).__name__.lower()} over {index}"
    return ""


OBJECTIONS: tuple[Callable[[sp.Basic, sp.Basic, Scope], str], ...] = (
    _undefined_on_one_side,
    _other_arguments,
    _where_an_operator_ends,
)


def objection(left: sp.Basic, right: sp.Basic, scope: Scope) -> str:
    """Why a refutation of ``left = right`` would be no promise, or "" if nothing stands against it."""
    for rule in OBJECTIONS:
        reason = rule(left, right, scope)
        if reason:
            return reason
    return ""


def sign_objection(left: sp.Basic, right: sp.Basic, scope: Scope, found: Counterexample | None) -> str:
    """Why a refutation at ``found`` would be no promise, or "": it rests on the sign of a symbol the
    document never gives a sign (``\\sqrt{\\sigma^2} = \\sigma`` at σ < 0), and the claim holds at the same
    point with those symbols positive, which is what its author may well take them to be. States and
    noises are signed quantities by nature; a symbol with a declared domain has the sign it was given."""
    if found is None or found.compared != "values":
        return ""
    notation = scope.notation
    domains = notation.domains
    flipped = {
        s: -v
        for s, v in found.point
        if isinstance(s, sp.Symbol)
        and s not in domains
        and not s.is_integer
        and not notation.is_random(s)
        and not notation.is_noise(s)
        and v.is_negative
    }
    if not flipped:
        return ""
    point = {**dict(found.point), **flipped}
    try:
        sides = [sp.N(scope.expand(side).expr.xreplace(point), 30) for side in (left, right)]
    except (DeriveError, ArithmeticError, TypeError, ValueError, NotImplementedError, MemoryError):
        return ""  # the refutation stands: nothing shows that a sign is all it rests on
    if not all(side.is_number and side.is_finite for side in sides):
        return ""
    if abs(sides[0] - sides[1]) > sp.Float("1e-20") * max(1, abs(sides[0]), abs(sides[1])):
        return ""
    names = ", ".join(sorted(wording.name(symbol, notation) for symbol in flipped))
    written = sorted(((wording.name(s, notation), v) for s, v in flipped.items()), key=str)
    failing = ", ".join(f"{name} = {-value}" for name, value in written)
    holding = ", ".join(f"{name} = {value}" for name, value in written)
    return (
        f"the document gives {names} no sign, and the claim fails at {failing} but holds at {holding}:"
        " declare the sign (<!-- derive: let … -->) to check it"
    )


# -- settling -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settled:
    """The verdict of a claim over all its readings."""

    verdict: Verdict
    #: the reading that proved it, or whose counterexample refutes it, when not the letter
    reading: Reading | None = None
    #: why it is not checked, when the letter is refuted but that is no promise
    not_checked: str = ""


def settle(letter: Verdict, others: Sequence[tuple[Reading, Verdict]], objected: str) -> Settled:
    if letter.status is Status.PROVED:
        return Settled(letter)
    for reading, verdict in others:
        if verdict.status is Status.PROVED:
            return Settled(verdict, reading)
    if letter.status is not Status.REFUTED:
        return Settled(letter)
    if objected:
        return Settled(letter, not_checked=objected)
    open_readings = [(r, v) for r, v in others if v.status is not Status.REFUTED]
    if open_readings:
        reading, verdict = open_readings[0]
        why = verdict.reason or verdict.method
        return Settled(letter, not_checked=f"false as written, but it may be meant {reading.value}: {why}")
    for reading, verdict in others:
        # false every way it may be meant: a sampling equation's counterexample is in distribution
        if reading in SHOWN:
            return Settled(verdict, reading)
    return Settled(letter)

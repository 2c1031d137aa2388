"""The plain data of derive: relations, steps, derivations, verdicts. All frozen."""

from __future__ import annotations

import enum
import os
import time
from dataclasses import dataclass, field
from functools import cached_property

import sympy as sp

from derive import numbers
from derive.exceptions import DerivationError, UnknownNameError
from derive.notation import Boundary, Notation

# --- relations: how a step's claim ``lhs REL rhs`` is to be decided -------------------------------


@dataclass(frozen=True)
class Equal:
    """``lhs = rhs`` everywhere in the domain."""

    kind: str = field(default="equal", init=False)


@dataclass(frozen=True)
class EqualUpToAdditive:
    """``lhs - rhs`` does not depend on ``var``: the seed's ``log q ∝ ...``."""

    var: sp.Symbol
    kind: str = field(default="up-to-additive", init=False)


@dataclass(frozen=True)
class EqualUpToTermIn:
    """``lhs - rhs`` depends on nothing but ``arguments``: a claim with an unspecified ``C(x_t, x_0)``."""

    arguments: tuple[sp.Symbol, ...]
    #: the name of the unspecified function; None: whichever one the claim holds
    function: str | None = None
    #: what the term must be free of; None: every symbol but its arguments. A document's C(x_t, x_0)
    #: is free of the other variables (x_{t-1}), not of the notation's constants (α_t)
    free_of: tuple[sp.Symbol, ...] | None = None
    kind: str = field(default="up-to-term", init=False)


@dataclass(frozen=True)
class EqualUpToConstant:
    """``lhs = rhs`` for some value of ``constant`` free of ``var``: a bare ``C`` or ``\\text{const}``,
    wherever it sits (``+ C``, or inside an exponential)."""

    constant: sp.Symbol
    var: sp.Symbol
    kind: str = field(default="up-to-constant", init=False)


@dataclass(frozen=True)
class EqualInDistribution:
    """``lhs`` and ``rhs`` have the same distribution: the same mean and variance, where the notation's
    noise symbols (ε, ε_{t-1}, z) are independent standard Gaussians and everything else is given.
    A sampling equation ``x_t = √ᾱ_t x_0 + √(1 - ᾱ_t) ε`` is meant this way."""

    #: standard Gaussians beside the notation's noise symbols (the one behind ``x \sim N(m, v)``)
    noise: tuple[sp.Symbol, ...] = ()
    kind: str = field(default="in-distribution", init=False)


@dataclass(frozen=True)
class Where:
    """``relation`` holds once ``var`` is ``value`` on both sides: a relation the notation gives among
    symbols a claim treats as free (x_0 written through x_t and the noise ε)."""

    var: sp.Symbol
    value: sp.Expr
    relation: Relation
    kind: str = field(default="where", init=False)


@dataclass(frozen=True)
class WithNotation:
    """``relation``, with every identity of the notation in force, stated before the step or not
    (β_t = 1 - α_t used by a document that states it only later)."""

    relation: Relation
    kind: str = field(default="with-notation", init=False)


@dataclass(frozen=True)
class ProportionalIn:
    """``lhs / rhs`` does not depend on ``var``: densities known up to normalisation."""

    var: sp.Symbol
    kind: str = field(default="proportional", init=False)


@dataclass(frozen=True)
class CoefficientOf:
    """``factor * lhs`` is the coefficient of ``var**power`` in the right-hand side of step ``source``."""

    source: str
    var: sp.Symbol
    power: int
    factor: sp.Expr = sp.S.One
    kind: str = field(default="coefficient", init=False)


@dataclass(frozen=True)
class Definition:
    """``lhs`` is a new name for ``rhs``; nothing to prove, but later steps may use it."""

    #: the name had a meaning before, and this replaces it from here on (a new choice of σ_t)
    redefinition: bool = False
    kind: str = field(default="definition", init=False)


@dataclass(frozen=True)
class LimitAt:
    """``lhs = rhs`` in the limit ``var -> value`` from inside the domain (a boundary such as t = 1)."""

    var: sp.Symbol
    value: sp.Expr
    kind: str = field(default="limit", init=False)


Relation = (
    Equal
    | EqualUpToAdditive
    | EqualUpToTermIn
    | EqualUpToConstant
    | EqualInDistribution
    | Where
    | WithNotation
    | ProportionalIn
    | CoefficientOf
    | Definition
    | LimitAt
)

# --- derivations ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prose:
    """The same text in the languages derive renders."""

    en: str
    zh: str


@dataclass(frozen=True)
class Step:
    """One line of a derivation: the claim ``lhs REL rhs`` (``lhs`` is None for a bare expression).

    ``lhs`` and ``rhs`` are kept unevaluated in the author's term order; the engine evaluates them.
    """

    id: str
    section: str
    lhs: sp.Expr | None
    rhs: sp.Expr
    relation: Relation
    prose: Prose
    #: Notation identities and earlier steps (by id) that this step relies on.
    uses: tuple[str, ...] = ()
    #: For definitions and conventions: the notation identity this step establishes.
    establishes: str | None = None
    #: The relation symbol as the author writes it (LaTeX), when not the kind's usual one:
    #: ``S = (x - μ)^2 + C`` is written with "=" though it holds up to a term free of x.
    written: str | None = None


@dataclass(frozen=True)
class Section:
    id: str
    title: Prose
    intro: Prose | None = None


@dataclass(frozen=True)
class Figure:
    """A figure the documents show: a file ``derive build`` writes into the output folder."""

    path: str
    caption: Prose


@dataclass(frozen=True)
class Claims:
    """What the engine checks: a notation and ordered steps, each checked in the scope of those before it.

    A derivation's steps, or the claims check-doc reads from a document; nothing else (titles, prose,
    sections) concerns the engine."""

    notation: Notation
    steps: tuple[Step, ...]

    @cached_property
    def index(self) -> dict[str, int]:
        """Each step's position; documents have thousands of steps, so look-ups must not scan."""
        return {step.id: n for n, step in enumerate(self.steps)}

    def step(self, step_id: str) -> Step:
        if step_id not in self.index:
            raise UnknownNameError(f"no step {step_id!r}")
        return self.steps[self.index[step_id]]


@dataclass(frozen=True)
class Derivation:
    name: str
    title: Prose
    summary: Prose
    notation: Notation
    sections: tuple[Section, ...]
    steps: tuple[Step, ...]
    #: Closing remarks, rendered after the steps.
    notes: tuple[Prose, ...] = ()
    #: Figures, rendered after the notes.
    figures: tuple[Figure, ...] = ()
    #: The steps the documents box as its results, what its summary announces; none: its last claim.
    results: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # the renderer groups steps by section: a step in a section the derivation does not have would
        # be checked and then left out of every document
        known = {section.id for section in self.sections}
        for result in self.results:
            if result not in self.index:
                raise DerivationError(f"derivation {self.name!r} boxes the result {result!r}, which is no step of it")
        for step in self.steps:
            if step.section not in known:
                raise DerivationError(
                    f"derivation {self.name!r}: step {step.id!r} is in section {step.section!r}, which it does not "
                    f"have (sections: {', '.join(sorted(known)) or 'none'})"
                )

    @cached_property
    def claims(self) -> Claims:
        return Claims(self.notation, self.steps)

    @property
    def index(self) -> dict[str, int]:
        return self.claims.index

    def step(self, step_id: str) -> Step:
        if step_id not in self.index:
            raise UnknownNameError(f"derivation {self.name!r} has no step {step_id!r}")
        return self.steps[self.index[step_id]]


# --- verdicts ---------------------------------------------------------------------------------------


class Status(enum.Enum):
    PROVED = "proved"
    REFUTED = "refuted"
    UNDECIDED = "undecided"
    #: A definition: nothing was claimed, so nothing was proved.
    DEFINED = "defined"

    @property
    def ok(self) -> bool:
        return self in (Status.PROVED, Status.DEFINED)


@dataclass(frozen=True)
class Counterexample:
    """A point inside the domain where the claim fails, with the two values that differ there.

    ``compared`` says what the values are: ``values`` (lhs and rhs), ``differences`` (lhs - rhs at
    two values of the variable), ``ratios`` (lhs / rhs at two values), or ``coefficient``.
    """

    point: tuple[tuple[sp.Symbol, sp.Expr], ...]
    left: sp.Expr
    right: sp.Expr
    compared: str
    exact: bool
    #: For ``differences`` and ``ratios``: the second point's values of the variables that change.
    other: tuple[tuple[sp.Symbol, sp.Expr], ...] | None = None

    def number(self, value: sp.Expr, digits: int = 15) -> str:
        """A value as text: exact when rational and short, else its leading digits and exponent (``str``,
        because ``format`` of a Float goes through ``decimal``, which refuses exponents as large as
        ``e^{10^{20}}``)."""
        return numbers.number(value, digits)

    def values(self, digits: int = 15) -> str:
        return f"{self.compared} {self.number(self.left, digits)} vs {self.number(self.right, digits)}"


class ConditionKind(enum.Enum):
    NONZERO = "nonzero"
    POSITIVE = "positive"
    NONNEGATIVE = "nonnegative"


@dataclass(frozen=True)
class Condition:
    """A requirement of a step: a denominator is non-zero, a radicand or log argument is positive."""

    expr: sp.Expr
    kind: ConditionKind
    guaranteed: bool
    #: The named boundary of the domain where it fails, such as ``t = 1``.
    boundary: Boundary | None = None
    #: Otherwise a point of the domain where it fails, if one was found.
    point: tuple[tuple[sp.Symbol, sp.Expr], ...] | None = None
    #: The id of the definition this condition comes from; None for the step's own expressions.
    via: str | None = None
    #: The step is a limit taken exactly where this condition fails.
    waived: bool = False
    #: It fails everywhere on the domain: the step says nothing there.
    never: bool = False


@dataclass(frozen=True)
class Verdict:
    """``method`` is a key: rational-function, rational-function+roots, simplify, numeric-probe,
    definition, expression, time-bound, exhausted, engine-error or side-condition."""

    step_id: str
    status: Status
    method: str
    reason: str = ""
    counterexample: Counterexample | None = None
    conditions: tuple[Condition, ...] = ()
    identities: tuple[str, ...] = ()
    definitions: tuple[str, ...] = ()
    seconds: float = 0.0

    @property
    def boundaries(self) -> tuple[Boundary, ...]:
        """The boundaries of the domain this step must exclude, such as ``t = 1``."""
        found = {c.boundary for c in self.conditions if c.boundary is not None and not c.waived}
        return tuple(sorted(found, key=lambda b: b.excluded_by))

    @property
    def requires(self) -> tuple[str, ...]:
        """What the step needs beyond the stated domain, in LaTeX, such as ``t \\geq 2``."""
        return tuple(b.excluded_by for b in self.boundaries)


@dataclass(frozen=True)
class CheckConfig:
    #: CPU seconds per step for the proof methods (rational-function test, simplify) before the step
    #: is undecided. CPU time, not wall time: a loaded machine gives the same work the same allowance.
    time_bound: float = 5.0
    #: Random points tried before any symbolic work.
    probes: int = 2
    seed: int = 20201219
    #: Worker processes; steps are independent once their scopes are known.
    jobs: int = field(default_factory=lambda: min(2, os.cpu_count() or 1))
    #: ``time.monotonic()`` after which no step starts work: a bound for a whole file
    deadline: float | None = None

    def bound(self) -> float:
        """Seconds this step may take: its own bound, cut short by the deadline."""
        if self.deadline is None:
            return self.time_bound
        return min(self.time_bound, self.deadline - time.monotonic())

    def remaining(self) -> float | None:
        """Wall seconds left before the deadline, if there is one."""
        return None if self.deadline is None else self.deadline - time.monotonic()

    @property
    def search_bound(self) -> float:
        """CPU seconds for rewriting a step and searching for a counterexample. That work is
        deterministic and normally takes milliseconds; the bound is generous so that it runs to
        completion before any proof method, loaded machine or not, and still ends on hostile input."""
        return SEARCH_FACTOR * self.time_bound


#: The counterexample search may take this many times a step's proof bound.
SEARCH_FACTOR = 4

"""What the templates see: a derivation and its verdicts, with every formula already printed to LaTeX.

Only math is produced here, always by SymPy's printer; every word of the documents is in templates/.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp

from derive.model import (
    CoefficientOf,
    Condition,
    ConditionKind,
    Counterexample,
    Definition,
    Derivation,
    EqualUpToAdditive,
    Figure,
    LimitAt,
    ProportionalIn,
    Prose,
    Status,
    Step,
    Verdict,
)
from derive.notation import Interval, Notation
from derive.render.printer import Changed, DerivePrinter


@dataclass(frozen=True)
class ConditionView:
    tex: str
    guaranteed: bool
    #: LaTeX of the named boundary where it fails (``t = 1``) and of what excludes it (``t \geq 2``).
    where: str | None
    excluded_by: str | None
    #: LaTeX equations of a point where it fails, when no named boundary explains it.
    point: tuple[str, ...]
    #: the number of the definition it comes from, None for the step's own expressions
    via: int | None
    #: the step takes a limit exactly where this condition fails
    waived: bool
    #: it fails everywhere on the domain
    never: bool


@dataclass(frozen=True)
class CounterexampleView:
    point: tuple[str, ...]
    left: str
    right: str
    compared: str
    exact: bool
    other: str | None


@dataclass(frozen=True)
class StepView:
    number: int
    id: str
    section: str
    lhs: str | None
    rhs: str
    #: relation kind: equal, up-to-additive, up-to-term, proportional, coefficient, definition, limit
    relation: str
    #: the relation symbol between lhs and rhs, LaTeX
    symbol: str
    #: the variable of up-to-additive, proportional, coefficient and limit relations
    var: str | None
    #: coefficient: the power of ``var``, what is the coefficient (``-2B``), and of which step
    power: int | None
    coefficient: str | None
    source: int | None
    #: what the coefficient is taken of: the source step's name if it has one, else its expression
    source_tex: str | None
    status: str
    method: str
    reason: str
    counterexample: CounterexampleView | None
    identities: tuple[str, ...]
    steps_used: tuple[int, ...]
    conditions: tuple[ConditionView, ...]
    requires: tuple[str, ...]
    prose: Prose
    #: the right side with the terms new since the previous step marked (for HTML); None if nothing stands out
    rhs_changed: str | None = None
    #: one of the result steps of its derivation, shown boxed
    result: bool = False

    @property
    def verdict(self) -> str:
        """The verdict's word, the same key in every format: proved, definition, expression, refuted, undecided."""
        if self.status == Status.DEFINED.value:
            return "expression" if self.method == "expression" else "definition"
        return self.status

    @property
    def equation(self) -> str:
        """The step as one display formula: ``lhs symbol rhs``, or the bare expression."""
        return self._equation(self.rhs)

    @property
    def equation_changed(self) -> str:
        """The formula with what is new since the previous step marked."""
        return self._equation(self.rhs_changed if self.rhs_changed is not None else self.rhs)

    def _equation(self, rhs: str) -> str:
        return rhs if self.lhs is None else f"{self.lhs} {self.symbol} {rhs}"

    @property
    def folded(self) -> FoldedConditions:
        return FoldedConditions.of(self.conditions)


@dataclass(frozen=True)
class FoldedConditions:
    """A step's conditions in one line: what it needs beyond the domain, or that they all hold."""

    count: int
    #: what the step needs beyond the domain (``t \geq 2``), each once
    needs: tuple[str, ...]
    #: boundaries where the step takes its limit (``t = 1``)
    limits: tuple[str, ...]
    #: conditions that fail at a point of the domain no boundary explains, or everywhere
    failing: int
    #: conditions not shown to hold, and not shown to fail
    unknown: int

    @classmethod
    def of(cls, conditions: tuple[ConditionView, ...]) -> FoldedConditions:
        def once(items: list[str]) -> tuple[str, ...]:
            return tuple(dict.fromkeys(items))

        return cls(
            count=len(conditions),
            needs=once([c.excluded_by for c in conditions if c.excluded_by and not c.waived]),
            limits=once([c.where for c in conditions if c.where and c.waived]),
            failing=sum(1 for c in conditions if c.never or (not c.guaranteed and not c.where and c.point)),
            unknown=sum(1 for c in conditions if not (c.guaranteed or c.never or c.where or c.point)),
        )

    @property
    def all_hold(self) -> bool:
        return not (self.needs or self.limits or self.failing or self.unknown)


@dataclass(frozen=True)
class SectionView:
    id: str
    title: Prose
    intro: Prose | None
    steps: tuple[StepView, ...]


@dataclass(frozen=True)
class DocumentView:
    name: str
    title: Prose
    summary: Prose
    domain: tuple[str, ...]
    sections: tuple[SectionView, ...]
    notes: tuple[Prose, ...]
    figures: tuple[Figure, ...]
    proved: int
    defined: int
    total: int
    #: what some steps need beyond the domain (``t \geq 2``) -> those steps' numbers
    requirements: tuple[tuple[str, tuple[int, ...]], ...]
    all_ok: bool
    #: the derivations before and after this one in teaching order, if any
    previous: Neighbour | None = None
    next: Neighbour | None = None

    @property
    def steps(self) -> tuple[StepView, ...]:
        return tuple(step for section in self.sections for step in section.steps)

    @property
    def conditions(self) -> tuple[StepView, ...]:
        """The steps with conditions, for the appendix that lists them in full."""
        return tuple(step for step in self.steps if step.conditions)


@dataclass(frozen=True)
class Neighbour:
    """Another derivation, linked from this one's page."""

    name: str
    title: Prose


def results(derivation: Derivation) -> tuple[str, ...]:
    """The ids of the steps shown boxed: those the derivation names, or the last step that claims something."""
    if derivation.results:
        return derivation.results
    claims = [step.id for step in derivation.steps if not isinstance(step.relation, Definition)]
    return tuple(claims[-1:])


def document(
    derivation: Derivation,
    verdicts: tuple[Verdict, ...],
    neighbours: tuple[Neighbour | None, Neighbour | None] = (None, None),
) -> DocumentView:
    printer = _Printers(derivation.notation)
    numbers = {step.id: n for n, step in enumerate(derivation.steps, start=1)}
    by_step = {v.step_id: v for v in verdicts}
    boxed = set(results(derivation))
    steps = [
        replace(_step(step, by_step[step.id], numbers, printer, derivation.steps), result=step.id in boxed)
        for step in derivation.steps
    ]
    requirements: dict[str, list[int]] = {}
    for view in steps:
        for requirement in view.requires:
            requirements.setdefault(requirement, []).append(view.number)
    sections = tuple(
        SectionView(s.id, s.title, s.intro, tuple(v for v in steps if v.section == s.id)) for s in derivation.sections
    )
    # the notation serves every derivation: list only the symbols this one writes
    used = set().union(*(e.free_symbols for step in derivation.steps for e in (step.lhs, step.rhs) if e is not None))
    return DocumentView(
        name=derivation.name,
        title=derivation.title,
        summary=derivation.summary,
        domain=tuple(
            printer.computed(_membership(e.symbol, e.domain))
            for e in derivation.notation
            if _bounded(e.domain) and e.symbol not in derivation.notation.dependent and e.symbol in used
        ),
        sections=sections,
        notes=derivation.notes,
        figures=derivation.figures,
        proved=sum(v.status is Status.PROVED for v in verdicts),
        defined=sum(v.status is Status.DEFINED for v in verdicts),
        total=len(verdicts),
        requirements=tuple((k, tuple(v)) for k, v in sorted(requirements.items())),
        all_ok=all(v.status.ok for v in verdicts),
        previous=neighbours[0],
        next=neighbours[1],
    )


@dataclass(frozen=True)
class MistakeView:
    """A mistake of the gallery: the correct step and the mistaken one, each with its verdict."""

    id: str
    title: Prose
    why: Prose
    derivation: str
    derivation_title: Prose
    correct: StepView
    wrong: StepView


def mistake(
    derivation: Derivation,
    correct: tuple[Step, Verdict],
    wrong: tuple[Step, Verdict],
    text: tuple[str, Prose, Prose],
) -> MistakeView:
    """``text``: the mistake's id, title and explanation."""
    printer = _Printers(derivation.notation)
    numbers = {step.id: n for n, step in enumerate(derivation.steps, start=1)}
    views = [_step(step, verdict, numbers, printer, derivation.steps) for step, verdict in (correct, wrong)]
    identifier, title, why = text
    return MistakeView(identifier, title, why, derivation.name, derivation.title, views[0], views[1])


def step_view(derivation: Derivation, step: Step, verdict: Verdict) -> StepView:
    """One step as the engine judged it, numbered where a step of ``derivation`` with its id stands:
    a student's line in place of the book's."""
    numbers = {s.id: n for n, s in enumerate(derivation.steps, start=1)}
    steps = tuple(step if s.id == step.id else s for s in derivation.steps)
    return _step(step, verdict, numbers, _Printers(derivation.notation), steps)


@dataclass(frozen=True)
class GivenStep:
    """A step shown as the book writes it, without a verdict: what a student starts from."""

    number: int
    id: str
    section: str
    prose: Prose
    equation: str
    #: it claims something (a definition claims nothing)
    claim: bool


def given(derivation: Derivation) -> tuple[GivenStep, ...]:
    printer = _Printers(derivation.notation)
    shown = []
    for number, step in enumerate(derivation.steps, start=1):
        lhs, symbol = _left(step, printer)
        rhs = printer.written(step.rhs)
        equation = rhs if lhs is None else f"{lhs} {symbol} {rhs}"
        claim = not isinstance(step.relation, Definition)
        shown.append(GivenStep(number, step.id, step.section, step.prose, equation, claim))
    return tuple(shown)


def _left(step: Step, printer: _Printers) -> tuple[str | None, str]:
    r"""The left side as written (a limit as ``\lim``), and the relation symbol."""
    relation = step.relation
    lhs = None if step.lhs is None else printer.written(step.lhs)
    if isinstance(relation, LimitAt) and step.lhs is not None:
        lhs = printer.written(sp.Limit(step.lhs, relation.var, relation.value, "-"))
    symbol = step.written or (r"\propto" if relation.kind in ("up-to-additive", "proportional") else "=")
    return lhs, symbol


class _Printers:
    """Display trees keep the author's order; computed expressions print in SymPy's canonical order."""

    def __init__(self, notation: Notation) -> None:
        self.author = DerivePrinter(notation)
        self.canonical = DerivePrinter(notation, order=None)

    def written(self, expr: sp.Basic) -> str:
        return str(self.author.doprint(expr))

    def computed(self, expr: sp.Basic) -> str:
        return str(self.canonical.doprint(expr))


def _bounded(interval: Interval | None) -> bool:
    return interval is not None and interval.lo is not None and interval.hi is not None


def _membership(symbol: sp.Symbol, interval: Interval | None) -> sp.Basic:
    assert interval is not None
    lo = -sp.oo if interval.lo is None else interval.lo
    hi = sp.oo if interval.hi is None else interval.hi
    return sp.Contains(symbol, sp.Interval(lo, hi, interval.lo_open, interval.hi_open), evaluate=False)


def _step(
    step: Step, verdict: Verdict, numbers: dict[str, int], printer: _Printers, steps: tuple[Step, ...]
) -> StepView:
    relation = step.relation
    lhs, symbol = _left(step, printer)
    var = power = coefficient = source = source_tex = None
    if isinstance(relation, (EqualUpToAdditive, ProportionalIn, CoefficientOf, LimitAt)):
        var = printer.written(relation.var)
    if isinstance(relation, CoefficientOf):
        power = relation.power
        shown = step.lhs if step.lhs is not None else step.rhs
        with sp.evaluate(False):
            coefficient = printer.written(relation.factor * shown if relation.factor != 1 else shown)
        source = numbers[relation.source]
        of = next(s for s in steps if s.id == relation.source)
        source_tex = printer.written(of.lhs if of.lhs is not None else of.rhs)
    return StepView(
        number=numbers[step.id],
        id=step.id,
        section=step.section,
        lhs=lhs,
        rhs=printer.written(step.rhs),
        relation=relation.kind,
        symbol=symbol,
        var=var,
        power=power,
        coefficient=coefficient,
        source=source,
        source_tex=source_tex,
        status=verdict.status.value,
        method=verdict.method,
        reason=verdict.reason,
        counterexample=_counterexample(verdict.counterexample, printer),
        identities=tuple(_identity(step, key, printer) for key in verdict.identities),
        steps_used=tuple(sorted(numbers[s] for s in verdict.definitions)),
        conditions=tuple(_condition(c, numbers, printer) for c in verdict.conditions),
        requires=verdict.requires,
        prose=step.prose,
        rhs_changed=_changed(step, steps, printer),
    )


def _subtrees(expr: sp.Basic | None) -> set[sp.Basic]:
    return set() if expr is None else set(sp.preorder_traversal(expr))


def _changed(step: Step, steps: tuple[Step, ...], printer: _Printers) -> str | None:
    """The right side with what the previous step does not contain marked as changed: the largest
    parts that are new, inside parts that are not; None when nothing or everything is new."""
    position = next((k for k, s in enumerate(steps) if s.id == step.id), 0)
    if position == 0:
        return None
    previous = steps[position - 1]
    before = _subtrees(previous.lhs) | _subtrees(previous.rhs)

    def mark(node: sp.Basic) -> sp.Basic:
        if node in before or node.is_Number:
            return node
        if isinstance(node, sp.Pow) and shares(node):
            # the exponent is the form of the power, not a part that changed
            return sp.Pow(mark(node.base), node.exp)
        # only arithmetic is looked into; a Gaussian, a density or a limit is new or not as a whole
        if not isinstance(node, (sp.Add, sp.Mul, sp.Pow)) or not shares(node):
            return Changed(node)
        return node.func(*(mark(a) for a in node.args))

    def shares(node: sp.Basic) -> bool:
        """Whether some compound part of ``node`` (not a bare symbol) is in the previous step."""
        return any(part in before for part in sp.preorder_traversal(node) if part is not node and part.args)

    if step.rhs in before:
        return None
    with sp.evaluate(False):
        marked = mark(step.rhs)
    if isinstance(marked, Changed) or not marked.has(Changed):
        return None
    return printer.written(marked)


def _identity(step: Step, key: str, printer: _Printers) -> str:
    notation = printer.author.notation
    lhs, rhs = notation.identity(key).written[0]
    return printer.written(sp.Eq(lhs, rhs, evaluate=False))


_RELATIONS = {
    ConditionKind.NONZERO: sp.Ne,
    ConditionKind.POSITIVE: sp.StrictGreaterThan,
    ConditionKind.NONNEGATIVE: sp.GreaterThan,
}


def _condition(condition: Condition, numbers: dict[str, int], printer: _Printers) -> ConditionView:
    relation = _RELATIONS[condition.kind](condition.expr, 0, evaluate=False)
    boundary = condition.boundary
    return ConditionView(
        tex=printer.computed(relation),
        guaranteed=condition.guaranteed,
        where=boundary.where if boundary else None,
        excluded_by=boundary.excluded_by if boundary else None,
        point=_point(condition.point or (), printer),
        via=None if condition.via is None else numbers[condition.via],
        waived=condition.waived,
        never=condition.never,
    )


def _point(point: tuple[tuple[sp.Symbol, sp.Expr], ...], printer: _Printers) -> tuple[str, ...]:
    return tuple(printer.computed(sp.Eq(s, v, evaluate=False)) for s, v in point)


def _counterexample(found: Counterexample | None, printer: _Printers) -> CounterexampleView | None:
    if found is None:
        return None
    return CounterexampleView(
        point=_point(found.point, printer),
        left=printer.computed(found.left),
        right=printer.computed(found.right),
        compared=found.compared,
        exact=found.exact,
        other=", ".join(_point(found.other, printer)) if found.other else None,
    )

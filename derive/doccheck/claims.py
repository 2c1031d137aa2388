"""What a document claims: turns parsed statements into derivation steps, in reading order.

The rules, applied to each link ``left REL right`` of a chain:
- ``q(x|y) = \\mathcal{N}(...)`` declares a density; ``q(a|b,c) = q(b|a) q(a|c) / q(b|c)`` is
  Bayes' rule over declared densities (with the Markov property dropping a condition).
- A statement that a notation identity makes true establishes that identity: ``α_t = 1 - β_t``,
  ``ᾱ_t = ∏ α_i``; from then on it rewrites later claims (``ᾱ_t = α_t ᾱ_{t-1}`` follows).
- The first ``X = …`` of a name (a symbol, its power ``σ̃_t^2``, a function ``μ̃_t(x_t, x_0)``)
  defines it; later ones are claims checked against the definition. A substitution such as
  ``x_0 = …`` is such a definition and applies to every claim after it.
- ``log p ∝ E`` is equality up to a term free of p's variable, ``p ∝ E`` proportionality in it.
- A claim with an unspecified ``C(x_t, x_0)`` holds if some function of those arguments makes it
  true; a bare ``C`` or ``\\text{const}`` is free of the current variable (the last ``∝``'s, or the
  one an annotation names).
- ``\\lim_{v \\to a} E = F`` is checked as a limit from inside the domain.
- ``x \\in (0, 1)`` states a domain and ``x \\sim \\mathcal{N}(m, v)`` a distribution: declarations,
  not claims.
Annotations (``<!-- derive: ... -->``) state what prose says in words; see ``annotations``.
"""

from __future__ import annotations

import math
from contextlib import suppress
from dataclasses import dataclass, field, replace

import sympy as sp
from sympy.core.function import AppliedUndef

from derive.doccheck import wording
from derive.doccheck.latex import Row, Statement
from derive.doccheck.readings import UNSPECIFIED, Alternative, Context, alternatives, limit_objection, objection
from derive.engine import advance
from derive.engine.rational import is_zero, to_rational
from derive.engine.scope import Scope
from derive.engine.timebound import Clock, TimeBoundError, time_bound
from derive.exceptions import DeriveError, ParseError
from derive.model import (
    CheckConfig,
    Claims,
    CoefficientOf,
    Definition,
    Equal,
    EqualInDistribution,
    EqualUpToAdditive,
    EqualUpToConstant,
    EqualUpToTermIn,
    LimitAt,
    ProportionalIn,
    Prose,
    Relation,
    Step,
)
from derive.notation import Notation
from derive.objects import Density, Gaussian, opaque_parts


@dataclass(frozen=True)
class Origin:
    """Where a claim is written: the lines of its equation or block, its LaTeX, and its column."""

    line: int
    end_line: int
    latex: str
    column: int = 1


@dataclass(frozen=True)
class Note:
    """A verdict the reader reaches itself, without the engine: expressions, domains, errors."""

    origin: Origin
    verdict: str
    message: str


@dataclass
class Reader:
    """Reads statements in order, keeping the scope (definitions, identities) of what was read."""

    notation: Notation
    config: CheckConfig
    #: the document, for located errors
    file: str = ""
    steps: list[Step] = field(default_factory=list)
    origins: dict[str, Origin] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    #: messages that qualify a step's verdict, such as "Bayes' rule with the Markov property"
    remarks: dict[str, str] = field(default_factory=dict)
    scope: Scope = field(init=False)
    #: the variable a bare C is free of
    variable: sp.Symbol | None = None
    #: set by an annotation for the next block only
    pending_relation: Relation | None = None
    #: claim id -> the other readings open to its author, each checked by a step of its own
    alternatives: dict[str, tuple[Alternative, ...]] = field(default_factory=dict)
    #: claim id -> why refuting it would be no promise
    objections: dict[str, str] = field(default_factory=dict)
    #: the ids of the steps that check a claim under another reading: checked only when needed
    alternative_ids: set[str] = field(default_factory=set)
    #: link id -> the check from its chain's start to it, and the links before it
    chains: dict[str, Carried] = field(default_factory=dict)
    #: densities declared with ∝: known only up to a factor free of their variable
    up_to_a_factor: set[Density] = field(default_factory=set)
    #: x -> (mean, variance), from ``x \sim \mathcal{N}(m, v)``
    distributions: dict[sp.Symbol, tuple[sp.Expr, sp.Expr]] = field(default_factory=dict)

    #: the scope each step is checked in, built once as the steps are read
    scopes: list[Scope] = field(default_factory=list)
    #: the last item of the last display block, and its chain
    _last: tuple[sp.Basic, _Chain] | None = None

    def __post_init__(self) -> None:
        self.scope = Scope(self.notation)
        # what the notation says a symbol is, whatever the document says: a first definition is a claim
        for k, (name, value) in enumerate(self.notation.canonical):
            self.add(self._step(f"canonical.{k}", name, value, Definition()), None)

    # -- input ----------------------------------------------------------------------------------

    def block(self, rows: tuple[Row, ...], end_line: int, display: bool = True) -> None:
        relation, self.pending_relation = self.pending_relation, None
        # a block that starts with a relation ("$$= …$$") goes on with the chain the block before it ended
        previous, chain = self._last if self._last is not None else (None, _Chain(None))
        for row in rows:
            kept = (previous, chain)
            principal: tuple[sp.Basic, _Chain] | None = None
            for index, statement in enumerate(row.statements):
                origin = Origin(
                    statement.line,
                    max(statement.line, end_line if len(rows) == 1 else row.line),
                    statement.text,
                    statement.column,
                )
                items, relations = list(statement.items), list(statement.relations)
                # only a row's first statement goes on with the chain: what follows it (`\quad (b = 1 - a)`,
                # `&& c := 3`) is a statement of its own
                if row.continues and index == 0 and previous is not None:
                    items.insert(0, previous)
                else:
                    chain = _Chain(items[0] if items else None)
                if len(items) != len(relations) + 1:
                    raise ParseError(
                        "a relation without a left-hand side (nothing before it to continue)",
                        file=self.file,
                        line=statement.line,
                        column=1,
                        text=statement.text,
                    )
                if not relations:
                    self.notes.append(Note(origin, "expression", "an expression: nothing is claimed"))
                for k, rel in enumerate(relations):
                    first = k == 0 and not row.continues
                    self.link(items[k], rel, items[k + 1], origin, relation, first, chain, display)
                previous = items[-1]
                if principal is None:
                    principal = (previous, chain)
            if row.aside:  # "Let α_t = 1 - β_t" inside a chain: the chain goes on from before it
                previous, chain = kept
            elif principal is not None:
                # "… \quad \because x_t = …": what follows a row's first statement is said aside, and the
                # next row goes on from the first
                previous, chain = principal
        if display:  # inline math in the prose between two display blocks does not break their chain
            self._last = (previous, chain) if previous is not None else None

    def add(self, step: Step, origin: Origin | None, remark: str = "") -> None:
        self.steps.append(step)
        self.scopes.append(self.scope)
        if origin is not None:
            self.origins[step.id] = origin
        if remark:
            self.remarks[step.id] = remark
        self.scope = advance(self.scope, step)

    def note(self, origin: Origin, verdict: str, message: str) -> None:
        self.notes.append(Note(origin, verdict, message))

    # -- one link ---------------------------------------------------------------------------------

    def link(
        self,
        left: sp.Basic,
        rel: str,
        right: sp.Basic,
        origin: Origin,
        forced: Relation | None,
        first: bool,
        chain: _Chain | None = None,
        display: bool = True,
    ) -> None:
        chain = chain if chain is not None else _Chain(left)
        step_id = f"L{origin.line}.{len(self.steps)}"
        left, right = self._canonical_calls(left), self._canonical_calls(right)
        if rel == "in":
            if right == sp.S.EmptySet:
                raise ParseError(
                    "an empty interval: no value is in it",
                    file=self.file,
                    line=origin.line,
                    column=1,
                    text=origin.latex,
                )
            self.note(origin, "definition", "states a domain")
            return
        if rel == "sim":  # x \sim \mathcal{N}(m, v): what x is drawn from, a declaration like \in
            self.note(origin, "definition", "states a distribution")
            if isinstance(left, sp.Symbol) and isinstance(right, sp.Tuple) and len(right) == 2:
                self.distributions[left] = (right[0], right[1])
            return
        if rel == "=" and first and left in self.distributions and not self._defined(left):
            # x ~ N(m, v) stated, then x = m + √v z: the same distribution, with a noise of its own behind x
            mean, variance = self.distributions[left]
            behind = sp.Symbol(f"noise of {left}", real=True)
            drawn = mean + sp.sqrt(variance) * behind
            self.add(self._step(step_id, drawn, right, EqualInDistribution((behind,))), origin, "in distribution")
            return
        opaque = opaque_parts(sp.Tuple(left, right))
        if opaque:  # read, but nothing decides it: an integral, an expectation under an unspecified density …
            self.note(origin, "undecided", f"not checked: {'; '.join(opaque)}")
            return
        if not (isinstance(left, sp.Expr) and isinstance(right, sp.Expr)):
            message = f"a set on one side of a relation ({rel})"
            raise ParseError(message, file=self.file, line=origin.line, column=1, text=origin.latex)
        if (
            rel == "="
            and left in self.notation.integers  # `t = 1` in prose picks a case, it claims nothing
            and (right.is_Integer or (isinstance(right, sp.Symbol) and right.is_integer))
        ):
            self.note(origin, "expression", f"names a case of the index {left}")
            return
        if rel == "=" and not display and _picks_a_value(left, right) and not self._defined(left):
            # "for $t = T$", "with $\\eta = 1$": a sentence picks a case or a value, it claims nothing
            self.note(origin, "expression", f"picks a value of {wording.name(left, self.notation)}")
            return
        if rel == "=" and first and self._chosen(left):
            self._choose(step_id, left, right, origin)
            return
        if rel == ":=" and _is_name(left) and self._defined(left) and not self._canonical(left):
            # := defines, whatever came before: from here on the name has this meaning
            self._choose(step_id, left, right, origin)
            return
        if rel in ("ne", "lt", "le", "gt", "ge"):
            # one note for a chain 0 < r < 1; a domain the document declares holds for all of it
            declared = [wording.name(s, self.notation) for s in (left, right) if s in dict(self.notation.declarations)]
            if declared and first:
                self.note(origin, "definition", f"declares the domain of {declared[0]}")
            elif first:
                self.note(origin, "expression", "an inequality: read as a condition, not checked")
            return
        if rel == "approx":
            self.note(origin, "undecided", "an approximation: not checked")
            return
        if isinstance(left, sp.Limit):
            expr, var, value, _ = left.args
            self.add(self._step(step_id, expr, right, LimitAt(var, value)), origin)
            objected = limit_objection(expr, var, value, self.scope)
            if objected:
                self.objections[step_id] = objected
            return
        if forced is not None:
            self._claim(self._step(step_id, left, right, forced), origin, chain)
            return
        if rel == "propto" and isinstance(left, Density) and not self._defined(left):
            # a density met first with ∝ is declared by it: up to a factor free of its variable
            self.add(self._step(step_id, left, right, Definition()), origin, "declares a density up to a factor")
            self.up_to_a_factor.add(left)
            self._propto(left, origin)
            chain.propto, chain.logarithmic = left.variables[0], False
            return
        if rel == "propto":
            relation = self._propto(left, origin)
            chain.propto = relation.var if isinstance(relation, (EqualUpToAdditive, ProportionalIn)) else None
            chain.logarithmic = isinstance(relation, EqualUpToAdditive)
            self.add(self._step(step_id, left, right, relation), origin)
            return
        self._equation(step_id, left, right, origin, chain, display)

    def _equation(
        self, step_id: str, left: sp.Basic, right: sp.Basic, origin: Origin, chain: _Chain, display: bool
    ) -> None:
        if isinstance(left, Density) and not self._defined(left):
            remark = _markov(left, right) or (_bayes(left, right) if _only_densities(right) else "")
            self.add(self._step(step_id, left, right, Definition()), origin, remark)
            return
        if isinstance(left, Density) and left in self.up_to_a_factor:
            # known only up to a factor: "= E" can only mean "∝ E"
            self._claim(self._step(step_id, left, right, ProportionalIn(left.variables[0])), origin, chain)
            return
        established = self._identity(step_id, left, right)
        if established is not None:
            step, proved = established
            self.add(step, origin, "" if proved else "establishes a notation identity")
            return
        if self._definable(left) and not self._circular(left, right):
            self.add(self._step(step_id, left, right, Definition()), origin)
            if isinstance(left, AppliedUndef):
                self._name_the_function(left, right, origin)
            return
        solved = self._solved_for(left, right)
        if solved is not None:
            name, value = solved
            base, exponent = name.as_base_exp()
            written = wording.name(base, self.notation) + (f"^{exponent}" if exponent != 1 else "")
            self.add(self._step(step_id, name, value, Definition()), origin, f"defines {written}, solved for it")
            return
        self._claim(self._step(step_id, left, right, self._equality(left, right)), origin, chain)
        if not display and _is_name(left) and self._defined(left):
            # "from the other prediction, $s_\theta = …$": a sentence may state a name anew
            key = left.base if isinstance(left, sp.Pow) else left
            self.objections.setdefault(
                step_id, f"a sentence states {wording.name(key, self.notation)} again, which may define it anew"
            )

    def _claim(self, step: Step, origin: Origin, chain: _Chain) -> None:
        """A claim, with the readings besides its letter that are open to its author."""
        assert step.lhs is not None
        self.add(step, origin)
        objected = objection(step.lhs, step.rhs, self.scope)
        if objected:
            self.objections[step.id] = objected
        head = chain.head if chain.head is not None else step.lhs
        context = Context(self.scope, head, chain.propto, chain.logarithmic, step.relation)
        found = []
        for reading, relation in alternatives(step.lhs, step.rhs, context):
            other = replace(step, id=f"{step.id}~{reading.name.lower()}", relation=relation)
            self.add(other, None)
            self.alternative_ids.add(other.id)
            found.append(Alternative(reading, other.id))
        if found:
            self.alternatives[step.id] = tuple(found)
        if isinstance(step.relation, Equal) and isinstance(chain.head, sp.Expr):
            if chain.links and chain.head != step.lhs:
                # from the chain's start to here: whether an earlier error still holds at this line
                whole = replace(step, id=f"{step.id}~chain", lhs=chain.head)
                self.add(whole, None)
                self.alternative_ids.add(whole.id)
                self.chains[step.id] = Carried(whole.id, tuple(chain.links))
            chain.links.append(step.id)

    def _canonical_calls(self, expr: sp.Basic) -> sp.Basic:
        """``μ̃_t(x_t, x_0)`` is the notation's μ̃_t; ``μ̃_t(x_t, ε)`` the same, with x_0 written through ε."""
        mapping = {}
        for call in expr.atoms(AppliedUndef):
            value = self._canonical_call(call)
            if value is not None:
                mapping[call] = value
        return expr.xreplace(mapping) if mapping else expr

    def _canonical_call(self, call: AppliedUndef) -> sp.Expr | None:
        defined = self.scope.definitions.get(call.func)
        if defined is not None and defined.parameters:
            return self._reparameterised_call(call, defined.parameters, defined.value)
        plain = next((e.symbol for e in self.notation if e.latex == call.func.__name__), None)
        canonical = dict(self.notation.canonical).get(plain)
        if canonical is None:
            return None
        parameters = {s for s in canonical.free_symbols if self.notation.is_random(s)}
        arguments = set(call.args)
        if arguments == parameters:
            return plain
        for var, value in self.notation.reparameterisations:
            noise = {s for s in value.free_symbols if self.notation.is_noise(s)}
            if var in parameters and arguments == (parameters - {var}) | noise:
                with sp.evaluate(False):
                    return canonical.xreplace({var: value})
        return None

    def _reparameterised_call(
        self, call: AppliedUndef, parameters: tuple[sp.Symbol, ...], body: sp.Expr
    ) -> sp.Expr | None:
        """``f(x_t, ε)`` after ``f(x_t, x_0) = …``: the noise takes the place of the state it writes
        (x_0 = (x_t - √(1-ᾱ_t) ε)/√ᾱ_t), not the value of the parameter. Other calls stay."""
        if len(call.args) != len(parameters):
            return None
        through = dict(self.notation.reparameterisations)
        mapping: dict[sp.Basic, sp.Expr] = {}
        for parameter, argument in zip(parameters, call.args, strict=True):
            if (
                parameter in through
                and self.notation.is_noise(argument)
                and argument in through[parameter].free_symbols
            ):
                mapping[parameter] = through[parameter]
            elif argument == parameter:
                continue
            else:
                return None
        if not mapping:
            return None
        with sp.evaluate(False):
            return body.xreplace(mapping)

    def _solved_for(self, left: sp.Basic, right: sp.Basic) -> tuple[sp.Expr, sp.Expr] | None:
        """``1/σ^2 = 1/a + 1/b``: the one new name on the left, as written there (σ^2), and the value
        that solves the equation for it, when there is exactly one. Otherwise None."""
        if not isinstance(left, sp.Expr) or _is_name(left):
            return None
        new = [s for s in left.free_symbols if isinstance(s, sp.Symbol) and self._definable(s)]
        if len(new) != 1 or right.has(new[0]):
            return None
        (symbol,) = new
        # σ only as σ^2 or σ^{-2}: solved for σ^2, which then defines σ by its square
        powers = [p for p in left.atoms(sp.Pow) if p.base == symbol and p.exp.is_Integer]
        hidden = left.xreplace(dict.fromkeys(powers, sp.S.One)).has(symbol)
        degree = 1 if hidden or not powers else math.gcd(*(abs(int(p.exp)) for p in powers))
        unit: sp.Expr = symbol**degree
        unknown = sp.Dummy("unknown", positive=True) if degree % 2 == 0 else sp.Dummy("unknown")
        try:
            solutions = sp.solve(left.xreplace({symbol: unknown ** sp.Rational(1, degree)}) - right, unknown)
        except (NotImplementedError, ValueError, TypeError, ArithmeticError):
            return None
        if len(solutions) != 1 or solutions[0].has(unknown) or self._circular(unit, solutions[0]):
            return None
        value: sp.Expr = solutions[0]
        return unit, value

    def _canonical(self, name: sp.Basic) -> bool:
        key = name.base if isinstance(name, sp.Pow) else name
        return any(key == (n.base if isinstance(n, sp.Pow) else n) for n, _ in self.notation.canonical)

    def _chosen(self, name: sp.Basic) -> bool:
        """A symbol the notation leaves to the author's choice (σ_t), or its power."""
        key = name.base if isinstance(name, sp.Pow) and name.exp.is_Integer else name
        return key in self.notation.choices

    def _choose(self, step_id: str, left: sp.Basic, right: sp.Basic, origin: Origin) -> None:
        """``σ_t^2 = β_t``: the author chooses; a later ``σ_t^2 = β̃_t`` chooses again. So does ``X := …``."""
        key = left.base if isinstance(left, sp.Pow) else left
        before = self.scope.definitions.get(key)
        remark = "a choice"
        if before is not None:
            line = self.origins[before.step_id].line if before.step_id in self.origins else None
            remark = f"redefines {wording.name(key, self.notation)}" + (f" (line {line})" if line is not None else "")
        self.add(self._step(step_id, left, right, Definition(redefinition=True)), origin, remark)

    def _equality(self, left: sp.Basic, right: sp.Basic) -> Relation:
        both = sp.Tuple(left, right)
        # C(x_t, x_0) is some function of its arguments; μ_θ(x_t, t) any function (its values are free)
        unspecified = [f for f in both.atoms(AppliedUndef) if not self._defined(f) and _unspecified(f.func.__name__)]
        if unspecified:
            arguments = sorted({a for f in unspecified for a in f.args if a.is_Symbol}, key=lambda s: s.name)
            # free of the variables that are not its arguments: the states and noises, and ∝'s variable
            variables = {
                s
                for s in self.scope.unfold(both).expr.free_symbols
                if self.notation.is_random(s) or self.notation.is_noise(s) or s == self.variable
            }
            free_of = tuple(sorted(variables - set(arguments), key=lambda s: s.name))
            return EqualUpToTermIn(tuple(arguments), unspecified[0].func.__name__, free_of)
        if self.variable is not None:
            bare = sorted((s for s in both.free_symbols if _unspecified(s.name) and not self._defined(s)), key=str)
            if len(bare) == 1:
                return EqualUpToConstant(bare[0], self.variable)
            if bare:
                return EqualUpToAdditive(self.variable)
        return Equal()

    def _propto(self, left: sp.Basic, origin: Origin) -> Relation:
        found = next((e for e in sp.preorder_traversal(left) if isinstance(e, (Density, Gaussian))), None)
        if found is None:
            if self.variable is None:
                raise DeriveError(
                    f"line {origin.line}: '∝' without a density; say what it is in: <!-- derive: free of x -->"
                )
            return EqualUpToAdditive(self.variable)
        variable = found.variables[0] if isinstance(found, Density) else found.args[0]
        self.variable = variable
        return EqualUpToAdditive(variable) if left.has(sp.log) else ProportionalIn(variable)

    def _identity(self, step_id: str, left: sp.Basic, right: sp.Basic) -> tuple[Step, bool] | None:
        """A notation identity the statement states: the step that establishes it, and whether it was
        already provable (a claim) or is taken as given (a definition)."""
        mentioned = sp.Tuple(left, right).free_symbols
        candidates = [
            identity
            for identity in self.notation.identities
            if identity.family not in self.scope.identities and any(lhs in mentioned for lhs, _ in identity.rewrites)
        ]
        if not candidates:
            return None
        claim = self._step(step_id, left, right, Equal())
        proved = self._holds(claim, self.scope)
        for identity in candidates:
            if self._holds(claim, self.scope.establish(identity.key)):
                relation = claim.relation if proved else Definition()
                return replace(claim, relation=relation, establishes=identity.key), proved
        return None

    def _name_the_function(self, call: AppliedUndef, body: sp.Basic, origin: Origin) -> None:
        """``μ̃_t(x_t, x_0) = …`` also defines the plain ``μ̃_t`` that later lines write without arguments."""
        plain = next((e.symbol for e in self.notation if e.latex == call.func.__name__), None)
        if plain is not None and self._definable(plain):
            self.add(self._step(f"L{origin.line}.{len(self.steps)}", plain, body, Definition()), None)

    def _holds(self, step: Step, scope: Scope) -> bool:
        """Whether an equation is an identity in ``scope``, by the rational-function test alone.

        This only chooses what the statement establishes; the step's verdict comes from the engine
        afterwards, with probes, side conditions and every method."""
        assert step.lhs is not None
        bound = self.config.bound()
        if bound <= 0:
            return False
        try:
            with time_bound(bound):
                difference = scope.expand(step.lhs).expr - scope.expand(step.rhs).expr
                return is_zero(to_rational(difference))
        except TimeBoundError as expired:
            if expired.clock is Clock.WALL:
                raise  # the file's deadline ends the reading, not just this test
            return False
        except (DeriveError, ArithmeticError, TypeError, ValueError, NotImplementedError):
            # SymPy's failures mean "not shown to hold": the engine still gives the step its verdict
            return False

    # -- helpers ------------------------------------------------------------------------------------

    def _circular(self, name: sp.Basic, value: sp.Basic) -> bool:
        """Whether ``value`` uses ``name``, directly or through definitions: ``A = 2A`` is a claim
        about A, not a definition of it."""
        # when SymPy cannot evaluate it, the engine will say so at the step itself
        with suppress(DeriveError, ArithmeticError, TypeError, ValueError, NotImplementedError):
            value = self.scope.unfold(value).expr
        return _mentions(value, name)

    def _definable(self, name: sp.Basic) -> bool:
        """A name not yet defined, and not one the notation's identities govern (β_t, ᾱ_t, α_t)."""
        key = name.base if isinstance(name, sp.Pow) else name
        return _is_name(name) and not self._defined(name) and key not in self.notation.governed

    def _defined(self, name: sp.Basic) -> bool:
        key = name.base if isinstance(name, sp.Pow) else name.func if isinstance(name, AppliedUndef) else name
        return key in self.scope.definitions

    @staticmethod
    def _step(step_id: str, left: sp.Basic, right: sp.Basic, relation: Relation) -> Step:
        return Step(step_id, "document", left, right, relation, Prose("", ""))

    def claims(self) -> Claims:
        """What the engine checks: the notation and the steps read, in order (``scopes`` holds their scopes)."""
        return Claims(self.notation, tuple(self.steps))

    def coefficient(
        self, name: sp.Basic, factor: sp.Expr, expr: sp.Basic, var: sp.Symbol, power: int, origin: Origin
    ) -> None:
        """``factor · name`` is the coefficient of ``var**power`` in ``expr`` (from an annotation).

        A new name is defined as that coefficient; anything else is a claim that it is one.
        """
        if not self.scope.unfold(expr).expr.has(var):
            message = f"{expr} does not contain {var} (is it defined?), so every coefficient is 0"
            raise ParseError(message, file=self.file, line=origin.line, column=1, text=origin.latex)
        source_id = f"L{origin.line}.{len(self.steps)}"
        # the expression the coefficient is taken from: a step without a line of its own
        self.add(Step(source_id, "document", None, expr, Definition(), Prose("", "")), None)
        step_id = f"L{origin.line}.{len(self.steps)}"
        if self._definable(name) and not self._circular(name, expr):
            expanded = sp.expand(self.scope.unfold(expr).expr)
            if not expanded.is_polynomial(var):
                raise DeriveError(f"line {origin.line}: not a polynomial in {var}, so it has no coefficients")
            value = expanded.coeff(var, power) / factor
            self.add(Step(step_id, "document", name, value, Definition(), Prose("", "")), origin, "the coefficient")
        else:
            relation = CoefficientOf(source_id, var, power, factor)
            self.add(Step(step_id, "document", None, name, relation, Prose("", "")), origin)


@dataclass(frozen=True)
class Carried:
    """A link of a chain ``a = b = … = z``, seen from the chain's start: the step that checks ``a = z``,
    and the links before it, so that an error made earlier can be said to still hold here."""

    whole: str
    before: tuple[str, ...]


@dataclass
class _Chain:
    """What a chain ``a = b ∝ c = d`` carries from link to link."""

    head: sp.Basic | None
    #: the variable of the last ``∝``, once there was one
    propto: sp.Symbol | None = None
    logarithmic: bool = False
    #: the ids of its claims of equality so far
    links: list[str] = field(default_factory=list)


def _unspecified(name: str) -> bool:
    """``C``, ``C'``, ``C_1``, ``\\text{const}``: a term the author leaves unspecified."""
    return name.split("_", 1)[0].rstrip("'") in UNSPECIFIED


def _picks_a_value(left: sp.Basic, right: sp.Basic) -> bool:
    """``t = T``, ``\\eta = 1``, ``T = 1000``: a bare symbol set to a number or another bare symbol."""
    return isinstance(left, sp.Symbol) and (right.is_Number or isinstance(right, sp.Symbol))


def _is_name(expr: sp.Basic) -> bool:
    if isinstance(expr, (sp.Symbol, Density)):
        return True
    if isinstance(expr, sp.Pow):
        return isinstance(expr.base, sp.Symbol) and expr.exp.is_Integer and expr.exp > 0
    return (
        isinstance(expr, AppliedUndef) and all(a.is_Symbol for a in expr.args) and len(set(expr.args)) == len(expr.args)
    )


def _mentions(expr: sp.Basic, name: sp.Basic) -> bool:
    """Whether ``expr`` uses ``name``: ``A = 2A`` is a claim about A, not a definition of it."""
    key = name.base if isinstance(name, sp.Pow) else name
    if isinstance(key, AppliedUndef):
        return any(f.func == key.func for f in expr.atoms(AppliedUndef))
    return bool(expr.has(key))


def _only_densities(expr: sp.Basic) -> bool:
    factors = sp.Mul.make_args(expr)
    return all(
        isinstance(f, Density) or (isinstance(f, sp.Pow) and isinstance(f.base, Density) and f.exp in (1, -1))
        for f in factors
    )


def _markov(left: Density, right: sp.Basic) -> str:
    """``q(x_t | x_{t-1}, x_0) = q(x_t | x_{t-1})``: a condition dropped, as a Markov chain allows."""
    if isinstance(right, Density) and right.variables == left.variables and set(right.given) < set(left.given):
        return "the Markov property: a condition is dropped"
    return ""


def _bayes(posterior: Density, ratio: sp.Basic) -> str:
    """Recognise ``p(X | Y, G) = p(Y | X, G') p(X | G) / p(Y | G)`` with ``G' ⊆ G`` (Markov)."""
    numerator = [f for f in sp.Mul.make_args(ratio) if isinstance(f, Density)]
    denominator = [f.base for f in sp.Mul.make_args(ratio) if isinstance(f, sp.Pow) and f.exp == -1]
    if len(numerator) != 2 or len(denominator) != 1:
        return "not recognised as Bayes' rule: expected two densities over one"
    (evidence,) = denominator
    x, condition = set(posterior.variables), set(posterior.given)
    y, g = set(evidence.variables), set(evidence.given)
    if condition != y | g:
        return "not recognised as Bayes' rule: the posterior's condition is not the evidence's variables and condition"
    for likelihood, prior in (numerator, numerator[::-1]):
        if (
            set(likelihood.variables) == y
            and set(prior.variables) == x
            and set(prior.given) == g
            and set(likelihood.given) <= x | g
            and x <= set(likelihood.given)
        ):
            dropped = (x | g) - set(likelihood.given)
            return "Bayes' rule" + (", with the Markov property" if dropped else "")
    return "not recognised as Bayes' rule: the numerator is not likelihood times prior"


__all__ = ["Note", "Origin", "Reader", "Statement"]

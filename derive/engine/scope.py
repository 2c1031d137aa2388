"""What a step may rely on: the definitions made before it and the identities established before it,
and the rewrite that turns an expression into independent symbols with them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import sympy as sp
from sympy.core.function import AppliedUndef

from derive.engine import growth
from derive.engine.persistent import PersistentMap
from derive.exceptions import DerivationError
from derive.notation import Identity, Notation
from derive.objects import Density, expand_objects


@dataclass(frozen=True)
class Expanded:
    """An expression rewritten, with the names of what the rewrite used."""

    expr: sp.Expr
    identities: frozenset[str] = frozenset()
    definitions: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Scope:
    notation: Notation
    #: defined atom -> what its ``degree``-th power equals, and the id of the step that defined it; shared
    #: with the scopes before and after this one, not copied (a document defines thousands of names)
    definitions: PersistentMap[sp.Basic, Defined] = field(default_factory=PersistentMap)
    #: identity family -> the identity currently in force for it
    identities: Mapping[str, Identity] = field(default_factory=dict)
    #: expand() results; a scope never changes, so neither do they
    _memo: dict[sp.Basic, Expanded] = field(default_factory=dict, compare=False, repr=False)

    def define(self, name: sp.Expr, value: sp.Expr, step_id: str, again: bool = False) -> Scope:
        """The scope with ``name`` defined; ``again`` replaces an earlier definition."""
        key, defined = _definition(name, value, step_id)
        if key in self.definitions and not again:
            raise DerivationError(
                f"step {step_id!r} defines {name} again (first defined by {self.definitions[key].step_id!r})"
            )
        return Scope(self.notation, self.definitions.set(key, defined), self.identities)

    def completed(self) -> Scope:
        """This scope with every identity family of the notation in force: those the document has not
        stated yet by their definition (the first identity of the family, ᾱ_t = ∏ α_i)."""
        missing = [i for i in self.notation.identities if i.family not in self.identities]
        families = {i.family: i for i in reversed(missing)}
        return Scope(self.notation, self.definitions, {**self.identities, **families})

    def establish(self, key: str) -> Scope:
        identity = self.notation.identity(key)
        return Scope(self.notation, self.definitions, {**self.identities, identity.family: identity})

    def unfold(self, expr: sp.Expr) -> Expanded:
        """Evaluate the author's tree and substitute definitions, recursively; identities untouched.

        Each tree is measured before SymPy evaluates it: what would grow beyond ``growth.LIMITS`` raises
        ``GrowthError`` instead of being computed."""
        growth.check(expr)
        expr = expr.doit()
        used: set[str] = set()
        for _ in range(len(self.definitions) + 1):
            # look up what occurs, rather than search for every definition: documents define hundreds
            present = expr.free_symbols | expr.atoms(Density, AppliedUndef)
            hits = {k: self.definitions[k] for k in present if k in self.definitions}
            calls = {f: self.definitions[f.func] for f in expr.atoms(AppliedUndef) if f.func in self.definitions}
            if not hits and not calls:
                expanded = expand_objects(expr)
                # a derivative of a Gaussian is taken once the Gaussian is a formula
                if expanded.has(sp.Derivative):
                    expanded = expanded.doit()
                return Expanded(expanded, definitions=frozenset(used))
            used.update(d.step_id for d in (*hits.values(), *calls.values()))
            # a defined function applied to other arguments: its body with the parameters replaced
            mapping: dict[sp.Basic, tuple[sp.Expr, sp.Rational]] = {
                f: (growth.substituted(d.value, dict(zip(d.parameters, f.args, strict=True))), sp.Integer(1))
                for f, d in calls.items()
            }
            for atom, defined in hits.items():
                # σ̃^{2k} -> v^k directly: going through σ̃ = √v makes SymPy reason about signs
                for power in expr.atoms(sp.Pow):
                    if power.base == atom and power.exp.is_Integer and (power.exp / defined.degree).is_Integer:
                        mapping[power] = (defined.value, power.exp / defined.degree)
                mapping[atom] = (defined.value, sp.Rational(1, defined.degree))
            # measured on the tree as it would be built, unevaluated; only then built and evaluated
            growth.check(growth.substituted(expr, {k: _power(v, e) for k, (v, e) in mapping.items()}))
            expr = expr.xreplace({k: v if e == 1 else v**e for k, (v, e) in mapping.items()}).doit()
        raise DerivationError(f"definitions refer to each other in a cycle: {sorted(map(str, self.definitions))}")

    def expand(self, expr: sp.Expr) -> Expanded:
        """Unfold definitions, then rewrite into the notation's independent symbols."""
        if expr not in self._memo:
            self._memo[expr] = self.rewritten(self.unfold(expr))
        return self._memo[expr]

    def rewritten(self, unfolded: Expanded) -> Expanded:
        result, identities = self.rewrite(unfolded.expr)
        return Expanded(result, identities | unfolded.identities, unfolded.definitions)

    def rewrite(self, expr: sp.Expr) -> tuple[sp.Expr, frozenset[str]]:
        expr = _rename_bound(expr, self.notation.bound_index)
        used: set[str] = set()
        for _ in range(len(self.identities) + 1):
            changed = False
            for identity in self.identities.values():
                mapping = {lhs: rhs for lhs, rhs in identity.rewrites if _occurs(lhs, expr)}
                if mapping:
                    expr = expr.xreplace(mapping)
                    used.add(identity.key)
                    changed = True
            if not changed:
                break
        peels = {k: v for identity in self.identities.values() for k, v in identity.peels}
        if peels and expr.has(sp.Product):
            # what is left of a product after peeling is the shorter product's own name again
            names = {v: k for identity in self.identities.values() for k, v in identity.rewrites if v.has(sp.Product)}
            expr = _peel_products(expr, peels).xreplace(names)
        return sp.expand_log(expr, force=True) if expr.has(sp.log) else expr, frozenset(used)


@dataclass(frozen=True)
class Defined:
    """``atom ** degree = value``, defined by step ``step_id``."""

    value: sp.Expr
    degree: int
    step_id: str
    #: for a function ``f(x, y) = …``: its parameters
    parameters: tuple[sp.Symbol, ...] = ()


def _definition(name: sp.Expr, value: sp.Expr, step_id: str) -> tuple[sp.Basic, Defined]:
    """Definitions are keyed by an atom: a symbol, a density, or a function of symbols (keyed by the
    function, so that it applies to any arguments). ``σ̃² = v`` defines ``σ̃`` by its square (the
    non-negative root where ``σ̃`` appears alone)."""
    # the value is evaluated where it is used, inside that step's time bound and error handling
    name = name.doit()
    if isinstance(name, (sp.Symbol, Density)):
        return name, Defined(value, 1, step_id)
    if isinstance(name, sp.Pow) and isinstance(name.base, sp.Symbol) and name.exp.is_Integer and name.exp > 0:
        return name.base, Defined(value, int(name.exp), step_id)
    if isinstance(name, AppliedUndef) and all(a.is_Symbol for a in name.args) and len(set(name.args)) == len(name.args):
        return name.func, Defined(value, 1, step_id, tuple(name.args))
    raise DerivationError(
        f"cannot define {name}: a definition names a symbol, a symbol's power, a density or a function of symbols"
    )


def _rename_bound(expr: sp.Expr, index: sp.Symbol | None) -> sp.Expr:
    """``∏_{s=1}^{t} α_s`` is ``∏_{i=1}^{t} α_i``: a bound index named as the notation's identities name it,
    so that they apply whatever letter the author chose; not where ``i`` occurs inside already (it would be
    captured)."""
    if index is None:
        return expr
    mapping: dict[sp.Basic, sp.Basic] = {}
    for node in expr.atoms(sp.Product, sp.Sum):
        ((var, lower, upper),) = node.limits if len(node.limits) == 1 else ((None, None, None),)
        if var is None or var == index or node.has(index):
            continue
        mapping[node] = node.func(node.function.xreplace({var: index}), (index, lower, upper))
    return expr.xreplace(mapping) if mapping else expr


def _power(base: sp.Expr, exponent: sp.Rational) -> sp.Expr:
    return base if exponent == 1 else sp.Pow(base, exponent, evaluate=False)


def _occurs(atom: sp.Basic, expr: sp.Basic) -> bool:
    return bool(expr.has(atom))


def _peel_products(expr: sp.Expr, named: Mapping[sp.Expr, sp.Expr]) -> sp.Expr:
    """Split off a product's last factor while that factor has a name of its own.

    ``∏_{i=1}^{t} α_i = α_t ∏_{i=1}^{t-1} α_i`` (for t ≥ 1; the empty product is 1). Peeling only
    named factors gives each product one canonical form, whichever side of a claim it is on.
    """
    mapping: dict[sp.Basic, sp.Expr] = {}
    for product in expr.atoms(sp.Product):
        ((index, lower, upper),) = product.limits
        factor, peeled = sp.Integer(1), product
        while (last := product.function.subs(index, upper)) in named:
            factor, upper = factor * named[last], upper - 1
            peeled = sp.Product(product.function, (index, lower, upper))
        mapping[product] = factor * peeled
    return expr.xreplace(mapping)

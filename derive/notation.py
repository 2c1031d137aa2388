"""The notation registry: every symbol's SymPy object and assumptions, its LaTeX, its domain, and the
identities that tie dependent symbols to independent ones.

The printer takes LaTeX names from here, the engine takes identities and domains from here, and the
LaTeX reader of ``check-doc`` will map LaTeX back to symbols through the same table.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import sympy as sp

from derive.exceptions import UnknownNameError


@dataclass(frozen=True)
class Interval:
    """A real interval; ``None`` for an unbounded end."""

    lo: sp.Expr | None
    hi: sp.Expr | None
    lo_open: bool = True
    hi_open: bool = True

    def contains(self, value: sp.Expr) -> bool:
        if self.lo is not None and (value < self.lo or (self.lo_open and value == self.lo)):
            return False
        return not (self.hi is not None and (value > self.hi or (self.hi_open and value == self.hi)))


REALS = Interval(None, None)


@dataclass(frozen=True)
class Entry:
    """One symbol. ``domain`` is where the engine samples and bounds it."""

    key: str
    symbol: sp.Symbol
    latex: str
    domain: Interval | None = None
    #: how a LaTeX reader finds it: the name without its subscript (``\\bar{\\alpha}``) and the
    #: subscript as an index expression (``t - 1``), None when it has none
    base: str | None = None
    index: sp.Expr | None = None
    #: a density's name: ``q(x_t)`` is the density of x_t, not q times x_t
    density: bool = False

    @property
    def name(self) -> tuple[str, sp.Expr | None]:
        return (self.base if self.base is not None else self.latex, self.index)


@dataclass(frozen=True)
class Identity:
    """``symbol = expression`` rewrites, valid throughout the domain.

    Identities about the same ``family`` supersede each other: once ``ᾱ_t = α_t ᾱ_{t-1}`` is
    established it is used instead of the product that defines ``ᾱ_t``.
    """

    key: str
    family: str
    #: as the author writes them (unevaluated, for printing)
    written: tuple[tuple[sp.Expr, sp.Expr], ...]
    #: Products over this index family are peeled into their last factor times the shorter product.
    peels: tuple[tuple[sp.Expr, sp.Symbol], ...] = ()

    @cached_property
    def rewrites(self) -> tuple[tuple[sp.Expr, sp.Expr], ...]:
        return tuple((lhs, rhs.doit()) for lhs, rhs in self.written)


@dataclass(frozen=True)
class Boundary:
    """A point of the domain with a meaning in the time index, e.g. ``ᾱ_{t-1} = 1`` exactly at ``t = 1``."""

    symbol: sp.Symbol
    value: sp.Expr
    #: LaTeX of where this happens (``t = 1``) and of what excludes it (``t \\geq 2``).
    where: str
    excluded_by: str
    #: the same, for a terminal
    where_text: str
    excluded_by_text: str


@dataclass(frozen=True)
class Notation:
    entries: tuple[Entry, ...]
    identities: tuple[Identity, ...] = ()
    boundaries: tuple[Boundary, ...] = ()
    #: LaTeX bases of noise variables, under any index: independent standard Gaussians (ε, ε_{t-1}, z)
    noise: frozenset[str] = frozenset()
    #: LaTeX bases of random states (x_t, x_0): ``x_t = … + σ z`` is a sampling equation, read in distribution
    random: frozenset[str] = frozenset()
    #: symbols that stand for a choice the author makes (the reverse variance σ_t): a later ``σ_t^2 = …``
    #: chooses again, it does not claim
    choices: frozenset[sp.Symbol] = frozenset()
    #: values the notation gives a symbol whatever the document says (the posterior's μ̃_t and β̃_t): a
    #: document's first definition is checked against it
    canonical: tuple[tuple[sp.Expr, sp.Expr], ...] = ()
    #: ``x_0 = (x_t - √(1 - ᾱ_t) ε) / √ᾱ_t``: a state written through a noise, so that a formula in ε
    #: (μ̃_t(x_t, ε)) is the same formula in x_0
    reparameterisations: tuple[tuple[sp.Symbol, sp.Expr], ...] = ()
    #: what a symbol of a family means under any index the entries do not register, as a template in
    #: ``INDEX``: ``\\bar{\\alpha}_s`` is ∏_{i=1}^{s} α_i, ``\\beta_i`` is 1 - α_i
    families: tuple[tuple[str, sp.Expr], ...] = ()
    _by_key: Mapping[str, Entry] = field(init=False, repr=False, compare=False)
    _by_name: Mapping[tuple[str, sp.Expr | None], Entry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {e.key: e for e in self.entries})
        object.__setattr__(self, "_by_name", {e.name: e for e in self.entries})

    def __getitem__(self, key: str) -> sp.Symbol:
        try:
            return self._by_key[key].symbol
        except KeyError:
            raise UnknownNameError(f"unknown symbol {key!r} in the notation") from None

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def identity(self, key: str) -> Identity:
        for identity in self.identities:
            if identity.key == key:
                return identity
        raise UnknownNameError(f"unknown identity {key!r} in the notation")

    @property
    def latex_names(self) -> dict[sp.Symbol, str]:
        return {e.symbol: e.latex for e in self.entries}

    @cached_property
    def dependent(self) -> frozenset[sp.Basic]:
        """What the identities finally in force rewrite (β_t, ᾱ_t): not a coordinate of the domain.

        The last identity of a family supersedes the others, so ᾱ_{t-1}, rewritten only by the
        product that defines it, stays a coordinate."""
        final = {identity.family: identity for identity in self.identities}
        return frozenset(lhs for identity in final.values() for lhs, _ in identity.written)

    @cached_property
    def bound_index(self) -> sp.Symbol | None:
        """The index the identities' products run over (i in ᾱ_t = ∏_{i=1}^t α_i): a product over s is renamed to it."""
        for identity in self.identities:
            for _, rhs in identity.written:
                for node in sp.preorder_traversal(rhs):
                    if isinstance(node, (sp.Product, sp.Sum)):
                        index: sp.Symbol = node.limits[0][0]
                        return index
        return None

    @property
    def domains(self) -> dict[sp.Symbol, Interval]:
        return {e.symbol: e.domain for e in self.entries if e.domain is not None}

    def resolve(self, base: str, index: sp.Expr | None = None) -> sp.Expr:
        """The symbol a LaTeX reader means by ``base`` with subscript ``index``.

        ``base`` is canonical LaTeX (``\\bar{\\alpha}``, ``x``), ``index`` an expression in the
        index symbols (``t - 1``). A registered name gives its symbol; a registered sequence
        (``\\alpha`` with an unregistered index) an indexed term; anything else a real symbol
        named by its LaTeX, so that the same name always gives the same symbol.
        """
        found = self._by_name.get((base, index))
        if found is not None:
            return found.symbol
        template = dict(self.families).get(base)
        if index is not None and template is not None:
            with sp.evaluate(False):
                return template.xreplace({INDEX: index})
        shifted = self._canonical_at(base, index)
        if shifted is not None:
            return shifted
        family = self._by_name.get((base, None))
        if index is not None and family is not None and isinstance(family.symbol, sp.IndexedBase):
            return family.symbol[index]
        if index is None:
            return sp.Symbol(base, real=True)
        subscript = sp.latex(index)
        written = f"{base}_{{{subscript}}}" if len(subscript) > 1 else f"{base}_{subscript}"
        # an entry whose subscript is part of its name (\mu_{\theta}, the network's mean)
        whole = self._by_name.get((written, None))
        return whole.symbol if whole is not None else sp.Symbol(written, real=True)

    def _canonical_at(self, base: str, index: sp.Expr | None) -> sp.Expr | None:
        """``\\tilde{\\mu}_{t-1}``: a symbol with a canonical value at ``t``, at another index, is that value
        with every indexed symbol in it moved along (α_t -> α_{t-1}, ᾱ_{t-1} -> ᾱ_{t-2}, x_t -> x_{t-1})."""
        if index is None:
            return None
        for name, value in self.canonical:
            symbol, power = name.as_base_exp()
            entry = self.entry_of(symbol)
            if entry is None or entry.base != base or entry.index is None or not power.is_Integer:
                continue
            (moving,) = entry.index.free_symbols or (None,)
            if moving is None:
                continue
            shift = {moving: index - entry.index + moving}
            moved: dict[sp.Basic, sp.Expr] = {}
            for s in value.free_symbols:
                inner = self.entry_of(s)
                if inner is not None and inner.base is not None and inner.index is not None:
                    moved[s] = self.resolve(inner.base, inner.index.xreplace(shift))
            with sp.evaluate(False):
                at: sp.Expr = value.xreplace(moved)
                return at if power == 1 else at ** sp.Rational(1, int(power))
        return None

    def base_of(self, symbol: sp.Basic) -> str | None:
        """The LaTeX base a symbol was read from: ``\\epsilon`` for ε_{t-1}, None for anything else."""
        entry = self.entry_of(symbol)
        if entry is not None:
            return entry.base if entry.base is not None else entry.latex
        if not isinstance(symbol, sp.Symbol):
            return None
        # resolve() names a symbol of an unregistered subscript "{base}_{subscript}"
        name: str = symbol.name
        return name.split("_", 1)[0]

    def is_noise(self, symbol: sp.Basic) -> bool:
        return self.base_of(symbol) in self.noise

    def is_random(self, symbol: sp.Basic) -> bool:
        return self.base_of(symbol) in self.random

    def entry_of(self, symbol: sp.Basic) -> Entry | None:
        for entry in self.entries:
            if entry.symbol == symbol:
                return entry
        return None


#: the index a family's template is written in
INDEX = sp.Dummy("k", integer=True)


def _real(name: str) -> sp.Symbol:
    return sp.Symbol(name, real=True)


def _positive(name: str) -> sp.Symbol:
    return sp.Symbol(name, positive=True)


def _indexed(
    key: str, symbol: sp.Symbol, base: str, index: sp.Expr, subscript: str, domain: Interval | None = None
) -> Entry:
    latex = f"{base}_{subscript}" if len(subscript) == 1 else f"{base}_{{{subscript}}}"
    return Entry(key, symbol, latex, domain, base, index)


def _ddpm() -> Notation:
    alpha_t, abar_tm1 = _positive("alpha_t"), _positive("abar_tm1")
    beta_t, abar_t = _positive("beta_t"), _positive("abar_t")
    t, i = sp.Symbol("t", integer=True, positive=True), sp.Symbol("i", integer=True, positive=True)
    alpha = sp.IndexedBase("alpha", positive=True)
    unit = Interval(sp.Integer(0), sp.Integer(1))
    unit_closed_above = Interval(sp.Integer(0), sp.Integer(1), hi_open=False)
    entries = (
        Entry("t", t, "t"),
        Entry("i", i, "i"),
        Entry("alpha", alpha, r"\alpha"),
        _indexed("alpha_t", alpha_t, r"\alpha", t, "t", unit),
        _indexed("abar_tm1", abar_tm1, r"\bar{\alpha}", t - 1, "t-1", unit_closed_above),
        # dependent (identities rewrite them), but bounded all the same: where a step reads them
        # before their identity is stated, probes and side conditions stay inside (0, 1)
        _indexed("beta_t", beta_t, r"\beta", t, "t", unit),
        _indexed("abar_t", abar_t, r"\bar{\alpha}", t, "t", unit),
        _indexed("x_t", _real("x_t"), "x", t, "t", REALS),
        _indexed("x_tm1", _real("x_tm1"), "x", t - 1, "t-1", REALS),
        _indexed("x_0", _real("x_0"), "x", sp.Integer(0), "0", REALS),
        Entry("z", _real("z"), "z", REALS),
        Entry("mu", _real("mu"), r"\mu", REALS),
        Entry("sigma", _positive("sigma"), r"\sigma", Interval(sp.Integer(0), None)),
        _indexed("mu_tilde", _real("mu_tilde"), r"\tilde{\mu}", t, "t"),
        _indexed("sigma_tilde", _positive("sigma_tilde"), r"\tilde{\sigma}", t, "t"),
        _indexed("mu_tilde_1", _real("mu_tilde_1"), r"\tilde{\mu}", sp.Integer(1), "1"),
        _indexed("sigma_tilde_1", _positive("sigma_tilde_1"), r"\tilde{\sigma}", sp.Integer(1), "1"),
        Entry("q", sp.Symbol("q"), "q", density=True),
        Entry("p", sp.Symbol("p"), "p", density=True),
        # the identity matrix: derivations are read per coordinate, where it is 1
        Entry("I", sp.Symbol("I"), "I"),
        Entry("p_theta", sp.Symbol("p_theta"), r"p_{\theta}", density=True),
        # the noise of the reparameterisation, the network's estimate of it, the reverse process
        Entry("epsilon", _real("epsilon"), r"\epsilon", REALS),
        Entry("epsilon_theta", _real("epsilon_theta"), r"\epsilon_{\theta}", REALS),
        Entry("mu_theta", _real("mu_theta"), r"\mu_{\theta}", REALS),
        _indexed("sigma_t", _positive("sigma_t"), r"\sigma", t, "t", Interval(sp.Integer(0), None)),
        _indexed("beta_tilde", _positive("beta_tilde"), r"\tilde{\beta}", t, "t", unit),
        _indexed("w_t", _positive("w_t"), "w", t, "t", Interval(sp.Integer(0), None)),
        _indexed("L_tm1", _real("L_tm1"), "L", t - 1, "t-1", REALS),
        Entry("L_simple", _real("L_simple"), r"L_{\mathrm{simple}}", REALS),
        # the general lemmas: two Gaussians N(μ_1, σ_1²), N(μ_2, σ_2²), a variable x, a scale a
        Entry("x", _real("x"), "x", REALS),
        Entry("u", _real("u"), "u", REALS),
        Entry("a", _positive("a"), "a", Interval(sp.Integer(0), None)),
        _indexed("mu_1", _real("mu_1"), r"\mu", sp.Integer(1), "1", REALS),
        _indexed("mu_2", _real("mu_2"), r"\mu", sp.Integer(2), "2", REALS),
        _indexed("sigma_1", _positive("sigma_1"), r"\sigma", sp.Integer(1), "1", Interval(sp.Integer(0), None)),
        _indexed("sigma_2", _positive("sigma_2"), r"\sigma", sp.Integer(2), "2", Interval(sp.Integer(0), None)),
        Entry("S", _real("S"), "S"),
        Entry("A", _real("A"), "A"),
        Entry("B", _real("B"), "B"),
        Entry("C", _real("C"), "C"),
    )
    with sp.evaluate(False):
        beta_rewrite = 1 - alpha_t
        recursion = alpha_t * abar_tm1
    identities = (
        Identity("beta", "beta", ((beta_t, beta_rewrite),)),
        Identity(
            "abar-product",
            "abar",
            (
                (abar_t, sp.Product(alpha[i], (i, 1, t))),
                (abar_tm1, sp.Product(alpha[i], (i, 1, t - 1))),
            ),
            peels=((alpha[t], alpha_t),),
        ),
        Identity("abar-recursion", "abar", ((abar_t, recursion),)),
    )
    boundaries = (Boundary(abar_tm1, sp.Integer(1), "t = 1", r"t \geq 2", "t = 1", "t ≥ 2"),)
    x_t, x_0 = entries[7].symbol, entries[9].symbol
    with sp.evaluate(False):
        posterior_variance = (1 - abar_tm1) / (1 - abar_t) * beta_t
        posterior_mean = (
            sp.sqrt(abar_tm1) * beta_t / (1 - abar_t) * x_0 + sp.sqrt(alpha_t) * (1 - abar_tm1) / (1 - abar_t) * x_t
        )
    by_key = {e.key: e.symbol for e in entries}
    with sp.evaluate(False):
        x_0_through_noise = (x_t - sp.sqrt(1 - abar_t) * by_key["epsilon"]) / sp.sqrt(abar_t)
    canonical = (
        (by_key["I"], sp.Integer(1)),
        (by_key["mu_tilde"], posterior_mean),
        (by_key["beta_tilde"], posterior_variance),
        (by_key["sigma_tilde"] ** 2, posterior_variance),
    )
    return Notation(
        entries,
        identities,
        boundaries,
        noise=frozenset((r"\epsilon", r"\bar{\epsilon}", "z")),
        random=frozenset(("x",)),
        # the reverse process is the author's to parameterise: its variance, its mean, the noise it predicts
        choices=frozenset((by_key["sigma_t"], by_key["mu_theta"], by_key["epsilon_theta"])),
        canonical=canonical,
        reparameterisations=((x_0, x_0_through_noise),),
        families=(
            (r"\bar{\alpha}", sp.Product(alpha[i], (i, 1, INDEX))),
            (r"\beta", 1 - alpha[INDEX]),
        ),
    )


#: The notation of the DDPM derivations (Ho et al. 2020), as the seed document writes it.
DDPM = _ddpm()

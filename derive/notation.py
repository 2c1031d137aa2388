"""The notation registry: every symbol's SymPy object and assumptions, its LaTeX, its domain, and the
identities that tie dependent symbols to independent ones.

The printer takes LaTeX names from here, the engine takes identities and domains from here, and the
LaTeX reader of ``check-doc`` will map LaTeX back to symbols through the same table.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

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
    #: what ``--notation`` calls it, and its title
    name: str = ""
    title: str = ""
    #: symbols whose presence in a document that names no notation selects this one
    signature: tuple[sp.Basic, ...] = ()
    #: a subscripted name that depends on a sum's index (a_k under a sum over k) is a term of a sequence of
    #: reals the document introduces, not an error: the general notation's convention
    free_sequences: bool = False
    #: the sequences a document introduces (a_k under a sum), by base: ``a_1`` is their term, plain ``a`` still a
    #: symbol of its own
    sequences: tuple[tuple[str, sp.IndexedBase], ...] = ()
    #: symbol -> where a document declared its domain (``0 < r < 1 (line 3)``), for counterexamples
    declarations: tuple[tuple[sp.Basic, str], ...] = ()
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
    def governed(self) -> frozenset[sp.Basic]:
        """What the identities speak of (β_t, ᾱ_t, α_t): a document cannot define it afresh."""
        return frozenset(
            s for identity in self.identities for pair in identity.rewrites for s in sp.Tuple(*pair).free_symbols
        )

    @cached_property
    def integers(self) -> frozenset[sp.Symbol]:
        """The integer symbols (t, i), once: a document with thousands of names asks for them at each line."""
        return frozenset(e.symbol for e in self.entries if isinstance(e.symbol, sp.Symbol) and e.symbol.is_integer)

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
        sequence = dict(self.sequences).get(base)
        if index is not None and sequence is not None:
            return sequence[index]
        if index is None:
            return sp.Symbol(base, real=True)
        subscript = sp.latex(index)
        written = f"{base}_{{{subscript}}}" if len(subscript) > 1 else f"{base}_{subscript}"
        # an entry whose subscript is part of its name (\mu_{\theta}, the network's mean)
        whole = self._by_name.get((written, None))
        return whole.symbol if whole is not None else sp.Symbol(written, real=True)

    def index_symbol(self, letter: str) -> sp.Symbol | None:
        """The integer symbol the notation names ``letter`` (t), if it has one: a subscript's letter."""
        entry = self._by_name.get((letter, None))
        if entry is not None and isinstance(entry.symbol, sp.Symbol) and entry.symbol.is_integer:
            return entry.symbol
        return None

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


#: the notations derive ships, one TOML file each
NOTATIONS = Path(__file__).resolve().parent / "notations"


def shipped() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in NOTATIONS.glob("*.toml")))


@cache
def builtin(name: str) -> Notation:
    """A notation shipped with derive (``derive/notations/NAME.toml``), read once per process."""
    # imported here: the files are read by check-doc's LaTeX grammar, which itself reads through a Notation
    from derive.notations.files import load

    path = NOTATIONS / f"{name}.toml"
    if not path.is_file():
        raise UnknownNameError(f"no notation named {name!r} (known: {', '.join(shipped())})")
    return load(path)


def __getattr__(name: str) -> Notation:
    """``DDPM``: the notation of the DDPM derivations (Ho et al. 2020), as the seed document writes it,
    read from ``ddpm.toml`` when first asked for (the grammar that reads it imports this module)."""
    if name == "DDPM":
        return builtin("ddpm")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

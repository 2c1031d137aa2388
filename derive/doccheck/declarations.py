r"""The notation a document is read in: the one it names, or the one its symbols show, extended by what it
declares.

Before any claim is read, the whole document is looked through once:

- **which notation**: ``--notation`` on the command line; else the one the document names, in its front
  matter (``notation: ddpm``) or in ``<!-- derive: notation ddpm -->`` (a name or a ``.toml`` file beside
  the document); else the first shipped notation of which the document writes at least
  ``SIGNATURE_MINIMUM`` signature symbols (DDPM's ``\bar{\alpha}_t``, ``\alpha_t``, ``\beta_t``, ``x_t``,
  ``x_0``, …); else ``general``, where every letter is a real variable;
- **domains**: ``0 < r < 1``, ``\sigma > 0``, ``x \in (0, 1)``, ``n \in \mathbb{N}``, in the math
  (display or inline, so "where $0 < r < 1$" in a sentence counts) or in ``<!-- derive: let 0 < r < 1;
  n \in \mathbb{N} -->`` and front matter ``let:``. A declaration holds for the whole document, wherever it
  is written; on a symbol the notation already bounds, it narrows its domain. Bounds that are not numbers
  (``t \le T``) say nothing about a domain;
- **integers**: the bounds and indices of sums and products (``n`` and ``k`` in ``\sum_{k=1}^{n}``), and
  what ``\mathbb{N}`` or ``\mathbb{Z}`` declares. The same letter elsewhere in the document is then the
  same integer;
- **in a notation of free sequences** (``general``): the document's own sequences (``a_k`` under a sum
  over k), the letters it writes alone (a quantity: ``a (x + 1)`` multiplies), and the names it writes with
  a conditional bar (a density throughout).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import sympy as sp

from derive.doccheck.latex import Statement, parse_math
from derive.doccheck.sources.items import Annotation, Item, Math
from derive.exceptions import DeriveError, ParseError
from derive.notation import Entry, Interval, Notation
from derive.notations import builtin, load, names
from derive.objects import Density

#: a notation is chosen for a document that names none when it writes this many of its signature symbols
SIGNATURE_MINIMUM = 2
#: the notation of documents outside any other
GENERAL = "general"
#: the relations of an inequality, as the reader names them, and which side they bound
BELOW = frozenset(("lt", "le"))
ABOVE = frozenset(("gt", "ge"))


@dataclass(frozen=True)
class Declaration:
    """What one statement says of one symbol's domain, and where."""

    symbol: sp.Symbol
    interval: Interval | None
    integer: bool
    line: int
    text: str


@dataclass(frozen=True)
class Chosen:
    """The notation a document is read in, and why that one (``named``, ``detected`` from which symbols,
    ``given`` on the command line, or ``general``)."""

    notation: Notation
    how: str


@dataclass
class _Found:
    declarations: list[Declaration] = field(default_factory=list)
    integers: dict[str, int] = field(default_factory=dict)
    #: sequences the document introduces (a_k under a sum), by their base
    sequences: dict[str, sp.IndexedBase] = field(default_factory=dict)
    #: names the document writes as plain real symbols (a in a x^2): then a (x + 1) is a product
    plain: set[str] = field(default_factory=set)
    #: names the document writes with a conditional bar (p(y | w)): densities wherever they are applied
    densities: set[str] = field(default_factory=set)


def choose(items: Iterable[Item], given: Notation | None, file: str) -> Chosen:
    """The notation ``items`` are read in: ``given``, the one the document names, or the one its symbols show,
    then extended by the document's declarations. Nothing here reports an error: the claims pass reads the same
    math and annotations again and says what is wrong where it is."""
    items = tuple(items)
    base, how = _base(items, given, file)
    found = _Found()
    for item in _checked(items):
        for statement, line in _statements(item, base, file):
            try:
                _declare(statement, line, found)
                _conventions(statement, found)
            except (ValueError, TypeError, ArithmeticError):
                continue  # SymPy cannot say what this set or bound is: it declares nothing
    extended = extend(base, found.declarations, found.integers, found.sequences, found.plain, found.densities)
    return Chosen(extended, how)


def _checked(items: tuple[Item, ...]) -> list[Item]:
    """The items check-doc checks: not those between ``off`` and ``on``, nor a block after ``ignore``."""
    kept: list[Item] = []
    checking, skip = True, False
    for item in items:
        if isinstance(item, Annotation) and item.text in ("off", "on"):
            checking = item.text == "on"
        elif isinstance(item, Annotation) and checking:
            skip = item.text == "ignore"
            kept.append(item)
        elif isinstance(item, Math) and checking:
            if not skip:
                kept.append(item)
            skip = False
    return kept


def named(text: str, file: str) -> Notation:
    """A notation by name (``ddpm``) or by file (``notation.toml``, relative to the document ``file``)."""
    if text.endswith(".toml"):
        path = Path(text)
        return load(path if path.is_absolute() else Path(file).resolve().parent / path)
    return builtin(text)


def _base(items: tuple[Item, ...], given: Notation | None, file: str) -> tuple[Notation, str]:
    if given is not None:
        return given, f"the notation {given.name or 'given'}"
    for item in items:
        if isinstance(item, Annotation) and item.text.startswith("notation "):
            try:
                chosen = named(item.text.removeprefix("notation ").strip(), file)
            except DeriveError:
                break  # reported where the annotation is
            return chosen, f"the notation {chosen.name}, named at line {item.line}"
    for name in names():
        candidate = builtin(name)
        if not candidate.signature:
            continue
        seen = {
            symbol
            for item in items
            if isinstance(item, Math)
            for statement, _ in _statements(item, candidate, file)
            for symbol in sp.Tuple(*statement.items).free_symbols
            if symbol in candidate.signature
        }
        if len(seen) >= SIGNATURE_MINIMUM:
            written = ", ".join(sorted(candidate.latex_names.get(s, str(s)) for s in seen))
            return candidate, f"the notation {candidate.name}: the document writes {written}"
    return builtin(GENERAL), "no notation: every letter a real variable"


def _statements(item: Item, notation: Notation, file: str) -> list[tuple[Statement, int]]:
    """The statements of a math item or of a ``let`` annotation; what does not parse, none."""
    if isinstance(item, Math):
        texts = [(item.text, item.line, item.column)]
    elif isinstance(item, Annotation) and item.text.startswith("let "):
        texts = [(part, item.line, 1) for part in item.text.removeprefix("let ").split(";") if part.strip()]
    else:
        return []
    found = []
    for text, line, column in texts:
        try:
            rows = parse_math(text, notation, file=file, line=line, column=column)
        except ParseError:
            continue
        found += [(statement, statement.line) for row in rows for statement in row.statements]
    return found


def declared(statement: Statement) -> list[tuple[sp.Symbol, Interval | None, bool]]:
    """What a statement declares: each bare symbol bounded by a number (``0 < r < 1``, ``\\sigma > 0``) or
    said to be in a set (``x \\in (0, 1)``, ``n \\in \\mathbb{N}``), with its interval and whether it is an
    integer. Relations between symbols (``t \\le T``), and anything else, declare nothing."""
    items, relations = statement.items, statement.relations
    if len(items) != len(relations) + 1 or not relations:
        return []
    if relations == ("in",):
        symbol, where = items
        if not isinstance(symbol, sp.Symbol):
            return []
        return [(symbol, *bound)] if (bound := _set(where)) is not None else []
    if not all(r in BELOW | ABOVE for r in relations):
        return []
    bounds: dict[sp.Symbol, Interval] = {}
    absolute = [(left, relation, right) for left, relation, right in zip(items, relations, items[1:], strict=False)]
    for left, relation, right in absolute:
        # |r| < 1: -1 < r < 1
        for inside, number, below in ((left, right, relation in BELOW), (right, left, relation in ABOVE)):
            if below and isinstance(inside, sp.Abs) and isinstance(inside.args[0], sp.Symbol) and number.is_Rational:
                strict = relation in ("lt", "gt")
                symbol = inside.args[0]
                bounds[symbol] = intersect(bounds.get(symbol), Interval(-number, number, strict, strict))
    for left, relation, right in zip(items, relations, items[1:], strict=False):
        for symbol, number, lower in ((right, left, relation in BELOW), (left, right, relation in ABOVE)):
            if isinstance(symbol, sp.Symbol) and isinstance(number, sp.Expr) and number.is_Rational:
                strict = relation in ("lt", "gt")
                side = Interval(number, None, lo_open=strict) if lower else Interval(None, number, hi_open=strict)
                bounds[symbol] = intersect(bounds.get(symbol), side)
    return [(symbol, interval, False) for symbol, interval in bounds.items()]


def _set(value: sp.Basic) -> tuple[Interval | None, bool] | None:
    """A set as a domain: an interval of the reals, or integers (with their least element)."""
    if value == sp.Reals:
        return Interval(None, None), False
    if isinstance(value, sp.Interval):
        ends = [None if e in (sp.oo, -sp.oo) else e for e in (value.start, value.end)]
        return Interval(ends[0], ends[1], bool(value.left_open), bool(value.right_open)), False
    if value == sp.Integers:
        return None, True
    if value in (sp.Naturals, sp.Naturals0):
        return Interval(value.inf, None, lo_open=False), True
    if isinstance(value, sp.Range):
        start, stop, step = value.args  # {1, \dots, T}: Range(1, T + 1, 1), whose end may be a symbol
        if step != 1 or not start.is_Integer:
            return None, True
        top = stop - 1 if stop.is_Integer else None
        return Interval(start, top, lo_open=False, hi_open=top is None), True
    return None


def _declare(statement: Statement, line: int, found: _Found) -> None:
    for symbol, interval, integer in declared(statement):
        found.declarations.append(Declaration(symbol, interval, integer, line, statement.text))


def _conventions(statement: Statement, found: _Found) -> None:
    r"""What a statement shows of the document's conventions: the letters bounding a sum or a product, and
    its index, are integers throughout the document (so that ``k (k + 1)`` under ``\sum_k`` is a product, not
    a function k applied); the terms of sequences, the letters written alone, the names of densities."""
    for item in statement.items:
        for node in sp.preorder_traversal(item):
            if isinstance(node, (sp.Sum, sp.Product)):
                for index, lower, upper in node.limits:
                    for symbol in sp.Tuple(index, lower, upper).free_symbols:
                        if isinstance(symbol, sp.Symbol) and symbol.is_integer:
                            found.integers.setdefault(symbol.name, statement.line)
            if isinstance(node, sp.Indexed):
                found.sequences.setdefault(str(node.base.label), node.base)
            if isinstance(node, Density) and node.given:
                found.densities.add(str(node.name.name))
        found.plain.update(s.name for s in item.free_symbols if isinstance(s, sp.Symbol) and s.is_real)


def intersect(a: Interval | None, b: Interval | None) -> Interval:
    """The intersection of two intervals (None: the reals)."""
    if a is None or b is None:
        found = a if a is not None else b
        return found if found is not None else Interval(None, None)
    lo, lo_open = _tighter(a.lo, a.lo_open, b.lo, b.lo_open, higher=True)
    hi, hi_open = _tighter(a.hi, a.hi_open, b.hi, b.hi_open, higher=False)
    return Interval(lo, hi, lo_open, hi_open)


def _tighter(
    x: sp.Expr | None, x_open: bool, y: sp.Expr | None, y_open: bool, *, higher: bool
) -> tuple[sp.Expr | None, bool]:
    """Of two ends of the same side, the one that excludes more (None: unbounded)."""
    if x is None or y is None:
        return (y, y_open) if x is None else (x, x_open)
    if x == y:
        return x, x_open or y_open
    return (x, x_open) if bool(x > y) == higher else (y, y_open)


def extend(
    base: Notation,
    declarations: Iterable[Declaration],
    integers: dict[str, int],
    sequences: dict[str, sp.IndexedBase] | None = None,
    plain: set[str] | None = None,
    densities: set[str] | None = None,
) -> Notation:
    """``base`` with the document's declarations: the notation's own symbols narrowed, new ones added
    (positive where their domain is, integer where declared or where they bound a sum)."""
    by_symbol: dict[sp.Symbol, tuple[Interval | None, bool, list[Declaration]]] = {}
    for d in declarations:
        interval, integer, said = by_symbol.get(d.symbol, (None, False, []))
        merged = d.interval if interval is None else intersect(interval, d.interval)
        by_symbol[d.symbol] = (merged, integer or d.integer, [*said, d])
    entries = list(base.entries)
    added: dict[str, Entry] = {}
    said_of: list[tuple[sp.Symbol, str]] = []
    for symbol, (interval, integer, said) in by_symbol.items():
        where = "; ".join(f"{d.text}, line {d.line}" for d in said)
        entry = base.entry_of(symbol)
        if entry is not None:
            # a positive symbol without a domain lies in (0, ∞) all the same
            implicit = Interval(sp.Integer(0), None) if entry.symbol.is_positive else None
            domain = intersect(entry.domain if entry.domain is not None else implicit, interval)
            entries[entries.index(entry)] = replace(entry, domain=domain)
            said_of.append((symbol, where))
            continue
        new = sp.Symbol(symbol.name, **_assumptions(interval, integer or symbol.name in integers))
        added[symbol.name] = Entry(symbol.name, new, symbol.name, interval)
        said_of.append((new, where))
    for name in integers:
        if name not in added and base.entry_of(base.resolve(name)) is None:
            added[name] = Entry(name, sp.Symbol(name, integer=True), name)
    # a_1 outside the sum is then the first term of the same sequence
    own = tuple((name, seq) for name, seq in (sequences or {}).items() if base.free_sequences)
    if base.free_sequences:
        # a name the document writes with a bar is a density throughout it: p(w) beside p(y | w)
        for name in sorted(densities or ()):
            if base.entry_of(base.resolve(name)) is None:
                added[name] = Entry(name, sp.Symbol(name), name, density=True)
        # a letter the document writes alone is a quantity: a (x + 1) next to a x^2 is a product, not a applied
        for name in sorted(plain or ()):
            if name not in added and base.entry_of(base.resolve(name)) is None:
                added[name] = Entry(name, sp.Symbol(name, real=True), name)
    if not added and not said_of and not own:
        return base
    return replace(
        base,
        entries=(*entries, *added.values()),
        declarations=(*base.declarations, *said_of),
        sequences=(*base.sequences, *own),
    )


def _assumptions(interval: Interval | None, integer: bool) -> dict[str, bool]:
    lo = None if interval is None else interval.lo
    positive = lo is not None and (lo > 0 or (lo == 0 and interval is not None and interval.lo_open))
    nonnegative = lo is not None and lo >= 0
    kind = {"integer": True} if integer else {"real": True}
    if positive:
        return {**kind, "positive": True}
    if nonnegative:
        return {**kind, "nonnegative": True}
    return kind

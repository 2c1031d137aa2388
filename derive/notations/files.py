"""A notation file (TOML) read into a ``Notation``: symbols with their LaTeX, assumptions and domains, and
identities, boundaries, families and the document conventions written in LaTeX, read by check-doc's
grammar.

The format, table by table (``ddpm.toml`` is the example; README.md, "Notations", describes it):

``name``, ``title``, ``signature``
    the notation's name (``--notation ddpm``), its title, and the symbols (in LaTeX) whose presence in
    a document that names no notation selects it.
``[symbols]``
    one entry per symbol, keyed by the name the engine gives it, in order: ``latex`` (or ``base`` and
    ``index``, an index expression such as ``t-1``), ``assume`` (``real``, ``positive``, ``integer
    positive``; none for a bare name such as a density's), ``domain`` (a set in LaTeX: ``(0, 1]``,
    ``(0, \\infty)``, ``\\mathbb{R}``), ``density`` and ``sequence`` (α of α_1, α_2, …).
``[[identities]]``
    ``key``, ``family``, ``equations`` (LaTeX, ``symbol = expression``, kept as written for printing)
    and ``peels`` (the named terms a product over the sequence is peeled into).
``[[boundaries]]``
    ``at`` (``\\bar{\\alpha}_{t-1} = 1``), and where that is and what excludes it, in LaTeX and as text.
``[families]``
    ``index`` (a letter) and ``equations`` giving a symbol's meaning under any index.
``[documents]``
    ``noise`` and ``random`` (LaTeX bases), ``choices`` (symbols), ``canonical`` and
    ``reparameterisations`` (equations), ``free_sequences`` (a_k under a sum is a sequence of the document's).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sympy as sp

from derive.doccheck.latex import parse_math
from derive.exceptions import DeriveError, ParseError
from derive.notation import INDEX, REALS, Boundary, Entry, Identity, Interval, Notation

if sys.version_info >= (3, 11):
    import tomllib
else:  # the project supports 3.10, where TOML is read by tomli
    import tomli as tomllib


class NotationError(DeriveError):
    """A notation file that cannot be read: its path, and where in it when that is known."""


#: the words of ``assume`` -> SymPy's assumptions
ASSUMPTIONS = {"real": "real", "positive": "positive", "integer": "integer", "nonnegative": "nonnegative"}
TOP = frozenset(("name", "title", "signature", "symbols", "identities", "boundaries", "families", "documents"))
SYMBOL_KEYS = frozenset(("latex", "base", "index", "assume", "domain", "density", "sequence"))
IDENTITY_KEYS = frozenset(("key", "family", "equations", "peels"))
BOUNDARY_KEYS = frozenset(("at", "where", "excluded_by", "where_text", "excluded_by_text"))
FAMILY_KEYS = frozenset(("index", "equations"))
DOCUMENT_KEYS = frozenset(("noise", "random", "choices", "canonical", "reparameterisations", "free_sequences"))


def load(path: Path) -> Notation:
    """The notation a file declares; ``NotationError`` names the file and what is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise NotationError(f"cannot read the notation {path}: {getattr(error, 'strerror', None) or error}") from None
    return read(text, str(path))


def read(text: str, file: str) -> Notation:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise NotationError(f"{file}: not TOML: {error}") from None
    return _Reader(text, file).notation(data)


@dataclass
class _Reader:
    """Reads one file's tables; each formula is located in the file by its text, for errors."""

    text: str
    file: str

    def notation(self, data: Mapping[str, Any]) -> Notation:
        self._keys(data, TOP, "the file")
        entries = self._entries(self._table(data, "symbols"))
        named = Notation(entries)
        documents = self._table(data, "documents")
        self._keys(documents, DOCUMENT_KEYS, "[documents]")
        families = self._table(data, "families")
        self._keys(families, FAMILY_KEYS, "[families]")
        return Notation(
            entries,
            identities=tuple(self._identity(named, item) for item in self._tables(data, "identities")),
            boundaries=tuple(self._boundary(named, item) for item in self._tables(data, "boundaries")),
            noise=frozenset(self._base(named, b) for b in self._strings(documents, "noise")),
            random=frozenset(self._base(named, b) for b in self._strings(documents, "random")),
            choices=frozenset(self._expression(named, c) for c in self._strings(documents, "choices")),
            canonical=tuple(self._equation(named, e, written=True) for e in self._strings(documents, "canonical")),
            reparameterisations=tuple(
                self._substitution(named, e) for e in self._strings(documents, "reparameterisations")
            ),
            families=self._families(named, families),
            free_sequences=self._flag(documents, "free_sequences", "[documents]"),
            name=self._string(data, "name", ""),
            title=self._string(data, "title", ""),
            signature=tuple(self._expression(named, s) for s in self._strings(data, "signature")),
        )

    # -- symbols ------------------------------------------------------------------------------------

    def _entries(self, symbols: Mapping[str, Any]) -> tuple[Entry, ...]:
        # the index letters first: the other entries' subscripts are written in them
        indices = Notation(
            tuple(
                Entry(key, self._symbol(key, spec), spec.get("latex", key))
                for key, spec in symbols.items()
                if isinstance(spec, dict) and "integer" in str(spec.get("assume", "")).split()
            )
        )
        return tuple(self._entry(key, spec, indices) for key, spec in symbols.items())

    def _entry(self, key: str, spec: Any, indices: Notation) -> Entry:
        where = f"[symbols] {key}"
        if not isinstance(spec, dict):
            raise NotationError(f"{self.file}: {where}: expected a table such as {{ latex = 'x', assume = 'real' }}")
        self._keys(spec, SYMBOL_KEYS, where)
        domain = self._domain(spec["domain"], where) if "domain" in spec else None
        symbol = self._symbol(key, spec)
        density = self._flag(spec, "density", where)
        if "base" in spec:
            if "latex" in spec or "index" not in spec:
                raise NotationError(f"{self.file}: {where}: give either latex, or base and index")
            base, subscript = self._string(spec, "base", ""), self._string(spec, "index", "")
            index = self._expression(indices, subscript)
            latex = f"{base}_{subscript}" if len(subscript) == 1 else f"{base}_{{{subscript}}}"
            return Entry(key, symbol, latex, domain, base, index, density)
        if "latex" not in spec:
            raise NotationError(f"{self.file}: {where}: no latex (or base and index)")
        return Entry(key, symbol, self._string(spec, "latex", ""), domain, density=density)

    def _symbol(self, key: str, spec: Mapping[str, Any]) -> sp.Symbol:
        words = str(spec.get("assume", "")).split()
        unknown = [w for w in words if w not in ASSUMPTIONS]
        if unknown:
            known = ", ".join(ASSUMPTIONS)
            raise NotationError(f"{self.file}: [symbols] {key}: unknown assumption {unknown[0]!r} (known: {known})")
        assumptions = {ASSUMPTIONS[w]: True for w in words}
        if self._flag(spec, "sequence", f"[symbols] {key}"):
            return sp.IndexedBase(key, **assumptions)
        return sp.Symbol(key, **assumptions)

    def _domain(self, text: Any, where: str) -> Interval:
        if not isinstance(text, str):
            raise NotationError(f"{self.file}: {where}: a domain is a set in LaTeX, such as '(0, 1]'")
        found = self._formula(Notation(()), rf"x \in {text}", text)
        value = found[1]
        interval = as_interval(value)
        if interval is None:
            raise NotationError(f"{self.file}: {where}: {text!r} is not an interval of the reals")
        return interval

    # -- formulas -------------------------------------------------------------------------------------

    def _identity(self, named: Notation, item: Mapping[str, Any]) -> Identity:
        self._keys(item, IDENTITY_KEYS, "[[identities]]")
        key = self._string(item, "key", "")
        written = tuple(self._equation(named, e, written=True) for e in self._strings(item, "equations"))
        if not written:
            raise NotationError(f"{self.file}: identity {key!r} has no equations")
        peels = tuple(self._peel(named, p) for p in self._strings(item, "peels"))
        return Identity(key, self._string(item, "family", key), written, peels)

    def _peel(self, named: Notation, text: str) -> tuple[sp.Expr, sp.Symbol]:
        """``\\alpha_t``: the term α[t] of the sequence α is the symbol α_t."""
        symbol = self._expression(named, text)
        entry = named.entry_of(symbol)
        sequence = None if entry is None else named.entry_of(named.resolve(entry.name[0]))
        if entry is None or entry.index is None or sequence is None or not isinstance(sequence.symbol, sp.IndexedBase):
            raise self._error(f"{text!r} is not a term of a sequence of the notation", text)
        return sequence.symbol[entry.index], symbol

    def _boundary(self, named: Notation, item: Mapping[str, Any]) -> Boundary:
        self._keys(item, BOUNDARY_KEYS, "[[boundaries]]")
        symbol, value = self._equation(named, self._string(item, "at", ""))
        if not isinstance(symbol, sp.Symbol):
            raise self._error("a boundary is a symbol at a value", self._string(item, "at", ""))
        words = [self._string(item, k, "") for k in ("where", "excluded_by", "where_text", "excluded_by_text")]
        return Boundary(symbol, value, *words)

    def _families(self, named: Notation, families: Mapping[str, Any]) -> tuple[tuple[str, sp.Expr], ...]:
        if not families:
            return ()
        letter = sp.Symbol(self._string(families, "index", ""), integer=True)
        found = []
        for text in self._strings(families, "equations"):
            name, template = self._equation(named, text)
            base = named.base_of(name)
            if base is None:
                raise self._error("a family is named by a symbol with the index", text)
            found.append((base, template.xreplace({letter: INDEX})))
        return tuple(found)

    def _substitution(self, named: Notation, text: str) -> tuple[sp.Symbol, sp.Expr]:
        symbol, value = self._equation(named, text, written=True)
        if not isinstance(symbol, sp.Symbol):
            raise self._error("a reparameterisation writes a symbol through others", text)
        return symbol, value

    def _base(self, named: Notation, text: str) -> str:
        """The canonical LaTeX base of a name as written (``\\overline{\\epsilon}`` is ``\\bar{\\epsilon}``)."""
        base = named.base_of(self._expression(named, text))
        if base is None:
            raise self._error("expected a name", text)
        return base

    def _expression(self, named: Notation, text: str) -> sp.Expr:
        (value,) = self._formula(named, text, text, items=1)
        return value

    def _equation(self, named: Notation, text: str, written: bool = False) -> tuple[sp.Expr, sp.Expr]:
        lhs, rhs = self._formula(named, text, text, items=2, relation="=", written=written)
        return lhs, rhs

    def _formula(
        self,
        named: Notation,
        latex: str,
        located: str,
        items: int = 2,
        relation: str | None = None,
        written: bool = False,
    ) -> tuple[sp.Basic, ...]:
        line, column = self._where(located)
        # a domain is read as "x \in {set}": columns count from the set as written
        column -= max(latex.find(located), 0)
        try:
            rows = parse_math(latex, named, file=self.file, line=line, column=column, written=written)
        except ParseError as error:
            raise NotationError(str(error)) from None
        statements = [s for row in rows for s in row.statements]
        if len(statements) != 1 or len(statements[0].items) != items:
            expected = "one expression" if items == 1 else "one relation"
            raise self._error(f"expected {expected}", located)
        statement = statements[0]
        if relation is not None and statement.relations != (relation,):
            raise self._error(f"expected an equation ({relation})", located)
        return statement.items

    # -- TOML values ----------------------------------------------------------------------------------

    def _where(self, text: str) -> tuple[int, int]:
        """Where a formula is written in the file (a literal string holds it verbatim); else 1, 1."""
        at = self.text.find(text)
        if at < 0:
            return 1, 1
        return self.text.count("\n", 0, at) + 1, at - self.text.rfind("\n", 0, at)

    def _error(self, message: str, text: str) -> NotationError:
        line, column = self._where(text)
        return NotationError(f"{self.file}:{line}:{column}: {message}: {text!r}")

    def _keys(self, table: Mapping[str, Any], known: frozenset[str], where: str) -> None:
        unknown = sorted(set(table) - known)
        if unknown:
            raise NotationError(f"{self.file}: {where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})")

    def _table(self, data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise NotationError(f"{self.file}: {key} must be a table")
        return value

    def _tables(self, data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise NotationError(f"{self.file}: {key} must be an array of tables ([[{key}]])")
        return value

    def _strings(self, data: Mapping[str, Any], key: str) -> list[str]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise NotationError(f"{self.file}: {key} must be a list of strings")
        return value

    def _string(self, data: Mapping[str, Any], key: str, default: str) -> str:
        value = data.get(key, default)
        if not isinstance(value, str):
            raise NotationError(f"{self.file}: {key} must be a string")
        return value

    def _flag(self, data: Mapping[str, Any], key: str, where: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            raise NotationError(f"{self.file}: {where}: {key} must be true or false")
        return value


def as_interval(value: sp.Basic) -> Interval | None:
    """A SymPy set of reals as the notation's ``Interval``; None for anything else."""
    if value == sp.Reals:
        return REALS
    if not isinstance(value, sp.Interval):
        return None

    def end(x: sp.Expr) -> sp.Expr | None:
        return None if x in (sp.oo, -sp.oo) else x

    return Interval(end(value.start), end(value.end), bool(value.left_open), bool(value.right_open))

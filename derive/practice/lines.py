"""A student's line, read into the claim of the step it stands for.

The line is LaTeX, read by check-doc's grammar through the derivation's notation. It is one statement:
``lhs REL rhs``, or an expression alone, which takes the book's left side and relation. Which relation
the claim is checked by follows the table ``RELATIONS``: the book's, when the student writes the
book's symbol; an equation as written, when the student writes ``=`` where the book has ``\\propto``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import sympy as sp

from derive.doccheck.latex import parse_math
from derive.exceptions import DeriveError
from derive.model import Derivation, Equal, LimitAt, Relation, Step

#: the longest line read: a step of the derivations is at most a few hundred characters
MAX_CHARACTERS = 2000


class LineError(DeriveError):
    """A line that is read, but is not one claim practice can check: the message says what to write."""


@dataclass(frozen=True)
class Exercise:
    """Step ``number`` (counted from 1) of a derivation, whose line the student writes."""

    derivation: Derivation
    number: int

    @property
    def step(self) -> Step:
        return self.derivation.steps[self.number - 1]

    @property
    def shown_symbol(self) -> str:
        """The relation as the book writes it: ``=`` or ``propto``."""
        step = self.step
        if step.written is not None:
            return "=" if step.written == "=" else "propto"
        return "propto" if step.relation.kind in ("up-to-additive", "proportional") else "="


def _book(exercise: Exercise) -> Relation:
    return exercise.step.relation


def _as_written(exercise: Exercise) -> Relation:
    return Equal()


def _refuse_propto(exercise: Exercise) -> Relation:
    raise LineError(r"this step is an equation: write = (\propto would leave out a term the next steps need)")


#: (the book's symbol, the student's symbol) -> the relation the claim is checked by
RELATIONS: dict[tuple[str, str], Callable[[Exercise], Relation]] = {
    ("=", "="): _book,
    ("propto", "propto"): _book,
    ("propto", "="): _as_written,
    ("=", "propto"): _refuse_propto,
}


def read_line(exercise: Exercise, latex: str) -> Step:
    """The claim of the student's ``latex`` in place of the exercise's step.

    Raises ``ParseError`` (with the column) for LaTeX the grammar cannot read, ``LineError`` for a
    line that is not one claim.
    """
    if not latex.strip():
        raise LineError("the line is empty: write the next step in LaTeX, such as A = \\frac{1}{2}")
    if len(latex) > MAX_CHARACTERS:
        raise LineError(f"the line is {len(latex)} characters long; at most {MAX_CHARACTERS} are read")
    book = exercise.step
    rows = parse_math(latex, exercise.derivation.notation, file="your line")
    statements = [statement for row in rows for statement in row.statements]
    if len(statements) != 1 or len(rows) != 1 or rows[0].continues:
        raise LineError(f"write one statement, the next line only: this has {len(statements)}")
    (statement,) = statements
    if len(statement.items) == 1:
        return replace(book, rhs=statement.items[0])
    if len(statement.items) > 2:
        raise LineError("write one relation: a chain such as a = b = c is more than the next line")
    symbol = statement.relations[0]
    rule = RELATIONS.get((exercise.shown_symbol, symbol))
    if rule is None:
        raise LineError(f"practice checks lines with = or \\propto, not {symbol!r}")
    lhs, rhs = statement.items
    relation = rule(exercise)
    if isinstance(relation, LimitAt) and isinstance(lhs, sp.Limit):
        lhs = _inside_limit(lhs, relation)
    written = book.written if relation is book.relation else None
    return replace(book, lhs=lhs, rhs=rhs, relation=relation, written=written)


def _inside_limit(limit: sp.Limit, relation: LimitAt) -> sp.Expr:
    """The book takes the limit from inside the domain: the student's must be at the same point."""
    body, var, value, _ = limit.args
    if var != relation.var or value != relation.value:
        raise LineError(f"this step takes the limit as {relation.var} \u2192 {relation.value}")
    return body

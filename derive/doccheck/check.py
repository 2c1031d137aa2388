"""check-doc: read a document's math (Markdown, notebook or LaTeX), decide every claim, and report each with
its location."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from derive.doccheck import wording
from derive.doccheck.annotations import apply as apply_annotation
from derive.doccheck.claims import Note, Origin, Reader
from derive.doccheck.declarations import choose
from derive.doccheck.latex import parse_math
from derive.doccheck.readings import Settled, settle, sign_objection
from derive.doccheck.sources import Reading, read
from derive.doccheck.sources.files import read_document
from derive.doccheck.sources.items import Annotation, Item, Malformed, Math
from derive.doccheck.sources.location import Location
from derive.engine import check_steps, memory
from derive.engine.growth import GrowthError
from derive.engine.timebound import Clock, TimeBoundError, time_bound
from derive.exceptions import DeriveError, ParseError, UnreadableError
from derive.model import CheckConfig, Counterexample, Status, Verdict
from derive.notation import Notation

VERDICTS = ("proved", "refuted", "undecided", "definition", "expression", "error")


@dataclass(frozen=True)
class Result:
    location: Location
    latex: str
    verdict: str
    message: str
    counterexample: Counterexample | None = None

    @property
    def line(self) -> int:
        return self.location.line

    @property
    def end_line(self) -> int:
        return self.location.end_line


@dataclass(frozen=True)
class FileReport:
    path: str
    results: tuple[Result, ...]
    #: the notation the document was read in, and why that one
    notation: str = ""
    #: False when the file could not be read at all (missing, a FIFO, not UTF-8): an input error, exit 2
    read: bool = True

    def count(self, verdict: str) -> int:
        return sum(r.verdict == verdict for r in self.results)


def check_file(path: Path, notation: Notation | None = None, config: CheckConfig | None = None) -> FileReport:
    """``notation`` None: the one the document names or its symbols show (``declarations.choose``). A file
    that cannot be read (missing, a FIFO, not UTF-8) is one located error."""
    try:
        source = read_document(path)
    except UnreadableError as error:
        return _unreadable(str(path), error)
    return check_source(source, str(path), notation, config or CheckConfig())


def _unreadable(file: str, error: UnreadableError) -> FileReport:
    at = Location(file, error.line, error.column, error.line, error.cell)
    return FileReport(file, (Result(at, "", "error", error.message),), read=False)


#: Seconds for a whole file unless the caller says otherwise; each step still has its own bound.
FILE_TIME_BOUND = 300.0


def check_source(source: str, file: str, notation: Notation | None, config: CheckConfig) -> FileReport:
    if config.deadline is None:
        config = replace(config, deadline=time.monotonic() + FILE_TIME_BOUND)
    # 1. the source (chosen by the file's suffix) -> math blocks, annotations; 2. the notation it is read in;
    # 3. LaTeX -> statements -> steps
    skip_next, checking = False, True
    unread = False
    try:
        with time_bound(config.remaining(), Clock.WALL):
            reading = read(source, file)
            chosen = choose(reading.items, notation, file)
    except TimeBoundError:
        unread, reading, chosen = True, Reading(()), choose((), notation, file)
    except UnreadableError as error:  # a format check-doc does not read, a notebook that is not JSON
        return _unreadable(file, error)
    notation = chosen.notation
    reader = Reader(notation, config, file)
    if unread:
        reader.note(Origin(1, 1, ""), "error", "the document could not be read within the file's time bound")
    for item in reading.items:
        if isinstance(item, Math) and config.bound() <= 0:
            reader.note(Origin(item.line, item.end_line, item.text), "undecided", "the file's time bound was used up")
            continue
        try:
            with time_bound(config.remaining(), Clock.WALL):
                skip_next, checking = _read(reader, item, skip_next, checking, notation, file)
        except TimeBoundError:
            reader.note(Origin(item.line, item.line, _text(item)), "undecided", "the file's time bound was used up")
        except GrowthError as error:  # what unfolding would grow beyond a limit, such as a coefficient's source
            reader.note(Origin(item.line, item.line, _text(item)), "undecided", str(error))
        except MemoryError:
            reader.note(Origin(item.line, item.line, _text(item)), "undecided", f"{memory.exhausted()} while reading")
        except ParseError as error:
            origin = Origin(error.line, error.line, error.text, error.column)
            reader.note(origin, "error", error.message)
        except DeriveError as error:
            reader.note(Origin(item.line, item.line, _text(item)), "error", str(error))
        except Exception as error:
            # a bug in reading one block must not hide the rest of the file, nor show a traceback
            message = f"internal error while reading this math (please report it): {type(error).__name__}: {error}"
            reader.note(Origin(item.line, item.line, _text(item)), "error", message)
    # 3. decide every claim in its scope; the other readings of a claim only where its letter is not proved
    claims, scopes = reader.claims(), tuple(reader.scopes)
    verdicts: dict[str, Verdict] = {}
    try:
        letters = [s.id for s in claims.steps if s.id not in reader.alternative_ids]
        verdicts.update((v.step_id, v) for v in check_steps(claims, config, scopes, letters))
        others = [
            a.step_id
            for claim, found in reader.alternatives.items()
            if verdicts[claim].status is not Status.PROVED
            for a in found
        ]
        others += [reader.chains[link].whole for link in _carrying(reader, verdicts)]
        verdicts.update((v.step_id, v) for v in check_steps(claims, config, scopes, others))
    except DeriveError as error:
        reader.note(Origin(1, 1, ""), "error", f"the document's steps could not be checked: {error}")
        verdicts = {}
    except MemoryError:
        reader.note(Origin(1, 1, ""), "undecided", f"{memory.exhausted()} while checking the document's steps")
        verdicts = {}

    def place(origin: Origin) -> Location:
        return reading.locate(file, origin.line, origin.column, origin.end_line)

    results = [_result(reader, v, verdicts, place) for v in verdicts.values() if v.step_id in reader.origins]
    results += [_note(n, place(n.origin)) for n in reader.notes]
    # stable: links of one chain keep their order
    return FileReport(file, tuple(sorted(results, key=lambda r: (r.location.cell or 0, r.line))), chosen.how)


def _carrying(reader: Reader, verdicts: dict[str, Verdict]) -> list[str]:
    """The last links of chains that hold as links, after an earlier link was refuted."""
    earlier = {link for carried in reader.chains.values() for link in carried.before}
    return [
        link
        for link, carried in reader.chains.items()
        if link not in earlier
        and verdicts[link].status is Status.PROVED
        and any(verdicts[b].status is Status.REFUTED for b in carried.before)
    ]


def _read(
    reader: Reader, item: Item, skip_next: bool, checking: bool, notation: Notation, file: str
) -> tuple[bool, bool]:
    """Read one item into ``reader``; gives the new (skip the next block, checking) state."""
    if isinstance(item, Malformed):
        reader.note(Origin(item.line, item.line, item.text, item.column), "error", item.message)
    elif isinstance(item, Annotation) and item.text in ("off", "on"):
        checking = item.text == "on"
    elif isinstance(item, Annotation) and checking:
        skip_next = apply_annotation(reader, item, file)
    elif isinstance(item, Math) and checking:
        if skip_next:
            return False, checking
        rows = parse_math(item.text, notation, file=file, line=item.line, column=item.column)
        reader.block(rows, item.end_line, item.display)
    return skip_next, checking


def _text(item: Item) -> str:
    return item.text if isinstance(item, (Math, Annotation, Malformed)) else ""


def _settled(reader: Reader, claim: str, verdicts: dict[str, Verdict]) -> Settled:
    """The verdict of a claim over all its readings."""
    readings = reader.alternatives.get(claim, ())
    others = [(a.reading, verdicts[a.step_id]) for a in readings if a.step_id in verdicts]
    settled = settle(verdicts[claim], others, reader.objections.get(claim, ""))
    if _refuted(settled) and settled.reading is None:
        k = next(k for k, step in enumerate(reader.steps) if step.id == claim)
        step = reader.steps[k]
        assert step.lhs is not None
        signed = sign_objection(step.lhs, step.rhs, reader.scopes[k], settled.verdict.counterexample)
        if signed:
            return Settled(settled.verdict, not_checked=signed)
    return settled


def _refuted(settled: Settled) -> bool:
    return settled.verdict.status is Status.REFUTED and not settled.not_checked


def _result(
    reader: Reader, letter: Verdict, verdicts: dict[str, Verdict], place: Callable[[Origin], Location]
) -> Result:
    origin = reader.origins[letter.step_id]
    location = place(origin)
    settled = _settled(reader, letter.step_id, verdicts)
    verdict = settled.verdict
    remark = reader.remarks.get(letter.step_id, "")
    needs = [b.excluded_by_text for b in verdict.boundaries] + wording.conditions(verdict.conditions, reader.notation)
    requires = ", ".join(needs)
    details = "; ".join(part for part in (remark, f"needs {requires}" if requires else "") if part)
    if verdict.status is Status.DEFINED:
        name = "expression" if verdict.method == "expression" else "definition"
        kind = "undecided" if remark.startswith("not recognised") else name
        return Result(location, origin.latex, kind, details or name)
    if verdict.status is Status.PROVED:
        how = f" {settled.reading.value}" if settled.reading is not None else ""
        carried = reader.chains.get(letter.step_id)
        whole = verdicts.get(carried.whole) if carried is not None else None
        if carried is not None and whole is not None and whole.status is Status.REFUTED:
            # an earlier link refuted under every reading (not merely false as written)
            wrong = next((b for b in carried.before if _refuted(_settled(reader, b, verdicts))), None)
            if wrong is not None:
                still = f"but the error of line {reader.origins[wrong].line} still holds here"
                details = "; ".join(d for d in (details, still) if d)
        message = f"proved{how} ({verdict.method})" + (f"; {details}" if details else "")
        return Result(location, origin.latex, "proved", message)
    if settled.not_checked:
        return Result(location, origin.latex, "undecided", f"not checked: {settled.not_checked}")
    if verdict.status is Status.REFUTED:
        found = verdict.counterexample
        assert found is not None
        message = wording.refutation(found, reader.notation, settled.reading.value if settled.reading else "")
        message += f"; {wording.reason(verdict.reason, reader.notation)}" if verdict.reason else ""
        return Result(location, origin.latex, "refuted", message, found)
    return Result(location, origin.latex, "undecided", wording.unicode(verdict.reason) or verdict.method)


def _note(note: Note, location: Location) -> Result:
    return Result(location, note.origin.latex, note.verdict, note.message)

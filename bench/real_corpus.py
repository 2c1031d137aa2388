"""check-doc on real documents written by other people: how much it reads, and whether its refutations hold.

Runs ``derive check-doc`` (in process, ``check_file``) over every document of ``../shared/corpus/real/``
(beside the checkout, not part of it; skipped, with the reason, where it is missing) and compares the
refutations with ``labels.json``, which lists the lines that hold a real mistake of the author's. A
refutation at a labelled line is a real mistake found; so is one at a line of ``real_corpus_mistakes.py``
(mistakes the labels do not list, each with its own proof in SymPy, counted only while that proof holds);
any other refutation is a false alarm: a broken promise.

Printed per document and in total: formulas (every statement check-doc located), formulas read (not
``error``), claims proved, refuted and not decided, false alarms, real mistakes found of those labelled, and
mistakes found beyond the labels; then every false alarm and every formula not read, with its line and
message.

Run from anywhere: ``python bench/real_corpus.py [--jobs 2] [--quiet]``. A benchmark, not a test: it
prints figures and exits 0 unless it cannot run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from real_corpus_mistakes import MISTAKES  # noqa: E402

from derive.doccheck.check import FileReport, Result, check_file  # noqa: E402
from derive.exceptions import DeriveError  # noqa: E402
from derive.model import CheckConfig  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "real"


@dataclass
class Tally:
    formulas: int = 0
    read: int = 0
    proved: int = 0
    refuted: int = 0
    undecided: int = 0
    false_alarms: list[Result] = field(default_factory=list)
    found: int = 0
    labelled: int = 0
    beyond: list[Result] = field(default_factory=list)
    unread: list[Result] = field(default_factory=list)
    exit_2: bool = False
    seconds: float = 0.0

    def add(self, other: Tally) -> None:
        for name in ("formulas", "read", "proved", "refuted", "undecided", "found", "labelled", "seconds"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.false_alarms += other.false_alarms
        self.beyond += other.beyond
        self.unread += other.unread
        self.exit_2 = self.exit_2 or other.exit_2


def tally(report: FileReport, mistakes: set[int], proved_by_hand: set[int], seconds: float) -> Tally:
    t = Tally(labelled=len(mistakes), seconds=seconds)
    found_lines = set()
    for r in report.results:
        t.formulas += 1
        if r.verdict == "error":
            t.unread.append(r)
            continue
        t.read += 1
        if r.verdict in ("proved", "refuted", "undecided"):
            setattr(t, r.verdict, getattr(t, r.verdict) + 1)
        if r.verdict == "refuted":
            hit = {line for line in mistakes if r.line <= line <= r.end_line}
            if hit:
                found_lines |= hit
            elif any(r.line <= line <= r.end_line for line in proved_by_hand):
                t.beyond.append(r)
            else:
                t.false_alarms.append(r)
    t.found = len(found_lines)
    return t


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="worker processes per document (default 2)")
    parser.add_argument("--quiet", action="store_true", help="only the table, not every false alarm and unread formula")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"SKIPPED: {CORPUS} is missing (the real documents live beside the checkout, not in it)")
        return 0
    labels = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))["mistakes"]
    documents = sorted(p for p in CORPUS.glob("*.md") if p.name != "README.md")
    config = CheckConfig(jobs=args.jobs)
    # a mistake beyond the labels counts only while its proof by hand holds
    by_hand = {(m.document, m.line) for m in MISTAKES if m.proof() is not None}
    columns = ("formulas", "read", "proved", "refuted", "not dec.", "false", "  found", "beyond")
    print(f"{'document':48} " + " ".join(f"{c:>{max(5, len(c))}}" for c in columns))
    total = Tally()
    per_document: list[tuple[str, Tally]] = []
    for path in documents:
        mistakes = {m["line"] for m in labels.get(path.name, [])}
        started = time.perf_counter()
        try:
            report = check_file(path, config=config)
        except DeriveError as error:
            print(f"{path.name:48} cannot be read: {error}")
            t = Tally(exit_2=True, labelled=len(mistakes))
        else:
            proved_by_hand = {line for document, line in by_hand if document == path.name}
            t = tally(report, mistakes, proved_by_hand, time.perf_counter() - started)
        total.add(t)
        per_document.append((path.name, t))
        print(
            f"{path.name[:48]:48} {t.formulas:8d} {t.read:5d} {t.proved:6d} {t.refuted:7d} {t.undecided:8d}"
            f" {len(t.false_alarms):5d} {t.found:3d} of {t.labelled} {len(t.beyond):6d}"
        )
    unread_share = 1 - total.read / total.formulas if total.formulas else 0.0
    print(
        f"{'total':48} {total.formulas:8d} {total.read:5d} {total.proved:6d} {total.refuted:7d} {total.undecided:8d}"
        f" {len(total.false_alarms):5d} {total.found:3d} of {total.labelled} {len(total.beyond):6d}"
    )
    print(
        f"\n{len(documents)} documents in {total.seconds:.0f} s; formulas not read: {total.formulas - total.read}"
        f" ({unread_share:.1%}); false alarms: {len(total.false_alarms)}; real mistakes found: {total.found} of"
        f" {total.labelled}; mistakes found beyond the labels, proved by hand: {len(total.beyond)};"
        f" documents that cannot be read: {sum(t.exit_2 for _, t in per_document)}"
    )
    if args.quiet:
        return 0
    print("\nmistakes found beyond the labels (proofs in bench/real_corpus_mistakes.py):")
    why = {(m.document, m.line): m.why for m in MISTAKES}
    for name, t in per_document:
        for r in t.beyond:
            line = next(line for document, line in why if document == name and r.line <= line <= r.end_line)
            print(f"  {name}:{r.line}: {why[name, line]}")
    print("\nfalse alarms:")
    for name, t in per_document:
        for r in t.false_alarms:
            print(f"  {name}:{r.line}: {r.message[:160]}")
    print("\nformulas not read, by message:")
    reasons = Counter(_reason(r.message) for _, t in per_document for r in t.unread)
    for reason, count in reasons.most_common():
        print(f"  {count:4d}  {reason}")
    return 0


def _reason(message: str) -> str:
    """The message without its column and quoted text: what kind of thing was not read."""
    text = message.split(": ", 1)[1] if message[:1].isdigit() and ": " in message else message
    return text.split(" (", 1)[0][:100]


if __name__ == "__main__":
    sys.exit(main())

"""How much of the math in Markdown documents the check-doc grammar reads.

    python bench/grammar_coverage.py FILE…            per file, and the parse errors by message
    python bench/grammar_coverage.py --show 3 FILE…   also up to 3 offending texts per message

Every math item check-doc would read from the files (Markdown, notebooks, LaTeX: display blocks,
inline relations) is parsed with the DDPM notation; a formula is unread when parsing it raises a
ParseError. Nothing is decided, so this measures the grammar alone, in a second; bench/real_corpus.py
measures check-doc as a whole. Prints figures only; it does not keep the documents' text.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from derive.doccheck.latex import parse_math
from derive.doccheck.sources import read
from derive.doccheck.sources.items import Math
from derive.exceptions import DeriveError, ParseError
from derive.notation import DDPM


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--show", type=int, default=0, help="offending texts to print per message")
    args = parser.parse_args()
    messages: Counter[str] = Counter()
    blocked: dict[str, set[str]] = defaultdict(set)
    examples: dict[str, list[str]] = defaultdict(list)
    total = unread = 0
    for path in args.files:
        if path.name == "README.md":
            continue
        try:
            items = [i for i in read(path.read_text(encoding="utf-8"), str(path)).items if isinstance(i, Math)]
        except DeriveError:
            continue  # a file check-doc does not read
        failed = 0
        for item in items:
            try:
                parse_math(item.text, DDPM, file=str(path), line=item.line, column=item.column)
            except ParseError as error:
                failed += 1
                message = re.sub(r"\d+", "N", error.message) if "TeX takes" not in error.message else error.message
                messages[message] += 1
                blocked[message].add(path.name)
                if len(examples[message]) < args.show:
                    examples[message].append(f"{path.name}:{error.line}:{error.column}: {error.text[:80]!r}")
        total, unread = total + len(items), unread + failed
        print(f"{path.name:50} {len(items) - failed:4} of {len(items):4} read")
    share = 100 * unread / total if total else 0.0
    print(f"{'total':50} {total - unread:4} of {total:4} read; {unread} unread ({share:.1f} %)")
    print()
    for message, count in messages.most_common():
        print(f"{count:4} in {len(blocked[message]):2} documents  {message}")
        for example in examples[message]:
            print(f"        {example}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

r"""The annotation language: claims that prose makes in words, written in an HTML comment.

    <!-- derive: A = coeff(S, x_{t-1}^2) -->    A is the coefficient of x_{t-1}^2 in S
    <!-- derive: -2B = coeff(S, x_{t-1}) -->    -2B is the coefficient of x_{t-1} in S
    <!-- derive: free of x_{t-1} -->            in the next block, ∝ and a bare C are up to a
                                                term free of x_{t-1}
    <!-- derive: ignore -->                     the next block is not checked
    <!-- derive: off --> … <!-- derive: on -->  nothing between them is checked
    <!-- derive: notation ddpm -->              the document is read in this notation (a name, or a
                                                .toml file beside the document)
    <!-- derive: let 0 < r < 1; n \in \mathbb{N} -->
                                                domains, for the whole document (see ``declarations``)

Each LaTeX piece is read by the same parser as the document's math.
"""

from __future__ import annotations

import sympy as sp

from derive.doccheck.claims import Origin, Reader
from derive.doccheck.declarations import declared, named
from derive.doccheck.latex import parse_math
from derive.doccheck.sources.items import Annotation
from derive.exceptions import ParseError
from derive.model import EqualUpToAdditive


def apply(reader: Reader, annotation: Annotation, file: str) -> bool:
    """Apply one annotation; returns True when the next block is to be skipped."""
    text = annotation.text
    origin = Origin(annotation.line, annotation.line, text)
    if text == "ignore":
        reader.note(origin, "expression", "the next block is not checked (annotation)")
        return True
    if text.startswith("notation "):
        chosen = named(text.removeprefix("notation ").strip(), file)
        reader.note(origin, "definition", f"the document is read in the notation {chosen.name or 'named'}")
        return False
    if text.startswith("let "):
        _let(reader, annotation, file)
        return False
    if text.startswith("free of "):
        variable = _expression(reader, text[len("free of ") :], annotation, file)
        if not isinstance(variable, sp.Symbol):
            raise ParseError("'free of' names a variable", file=file, line=annotation.line, column=1, text=text)
        reader.pending_relation = EqualUpToAdditive(variable)
        reader.variable = variable
        return False
    head, separator, tail = text.partition("= coeff(")
    if separator and tail.endswith(")"):
        expr_text, var_text = _split_top_level_comma(tail[:-1], annotation, file)
        left = _expression(reader, head, annotation, file)
        expr = _expression(reader, expr_text, annotation, file)
        power_of = _expression(reader, var_text, annotation, file)
        var, exponent = power_of.as_base_exp()
        if not (isinstance(var, sp.Symbol) and exponent.is_Integer and exponent > 0):
            raise ParseError(
                "coeff(E, v^k) needs a variable v to a positive whole power k",
                file=file,
                line=annotation.line,
                column=1,
                text=text,
            )
        power = int(exponent)
        factor, name = left.as_coeff_Mul() if isinstance(left, sp.Mul) else (sp.S.One, left)
        reader.coefficient(name, factor, expr, var, power, origin)
        return False
    raise ParseError(
        "unknown annotation (expected 'X = coeff(E, v^k)', 'free of v', 'ignore', 'let …' or 'notation …')",
        file=file,
        line=annotation.line,
        column=1,
        text=text,
    )


def _let(reader: Reader, annotation: Annotation, file: str) -> None:
    r"""``let 0 < r < 1; n \in \mathbb{N}``: each part must declare a domain (the document's notation already
    holds them: ``declarations.choose`` read them before any claim)."""
    said = []
    for part in annotation.text.removeprefix("let ").split(";"):
        if not part.strip():
            continue
        rows = parse_math(part, reader.notation, file=file, line=annotation.line, column=1)
        statements = [s for row in rows for s in row.statements]
        found = [d for s in statements for d in declared(s)]
        if not found:
            raise ParseError(
                r"'let' declares domains: 0 < r < 1, \sigma > 0, x \in (0, 1], n \in \mathbb{N}",
                file=file,
                line=annotation.line,
                column=1,
                text=part.strip(),
            )
        said.append(part.strip())
    origin = Origin(annotation.line, annotation.line, annotation.text)
    reader.note(origin, "definition", f"declares {'; '.join(said)}")


def _expression(reader: Reader, text: str, annotation: Annotation, file: str) -> sp.Basic:
    rows = parse_math(text, reader.notation, file=file, line=annotation.line, column=1)
    if len(rows) != 1 or len(rows[0].statements) != 1 or rows[0].statements[0].relations:
        raise ParseError("expected one expression", file=file, line=annotation.line, column=1, text=text)
    return rows[0].statements[0].items[0]


def _split_top_level_comma(text: str, annotation: Annotation, file: str) -> tuple[str, str]:
    depth = 0
    for index, char in enumerate(text):
        if char in "({[":
            depth += 1
        elif char in ")}]":
            depth -= 1
        elif char == "," and depth == 0:
            return text[:index], text[index + 1 :]
    raise ParseError("coeff(E, v) needs two arguments", file=file, line=annotation.line, column=1, text=text)

"""The annotation language: claims that prose makes in words, written in an HTML comment.

    <!-- derive: A = coeff(S, x_{t-1}^2) -->    A is the coefficient of x_{t-1}^2 in S
    <!-- derive: -2B = coeff(S, x_{t-1}) -->    -2B is the coefficient of x_{t-1} in S
    <!-- derive: free of x_{t-1} -->            in the next block, ∝ and a bare C are up to a
                                                term free of x_{t-1}
    <!-- derive: ignore -->                     the next block is not checked
    <!-- derive: off --> … <!-- derive: on -->  nothing between them is checked

Each LaTeX piece is read by the same parser as the document's math.
"""

from __future__ import annotations

import sympy as sp

from derive.doccheck.claims import Origin, Reader
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
        "unknown annotation (expected 'X = coeff(E, v^k)', 'free of v' or 'ignore')",
        file=file,
        line=annotation.line,
        column=1,
        text=text,
    )


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

"""Numbers as text (derive/numbers.py): exact while short, else leading digits, exponent and digit count,
never through Python's ``str`` of a long integer (refused beyond 4,300 digits)."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.numbers import EXACT_DIGITS, digits, number


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(sp.Rational(13, 17), "13/17", id="short-fraction"),
        pytest.param(sp.Integer(-4), "-4", id="short-integer"),
        pytest.param(sp.Integer(10) ** (EXACT_DIGITS - 1), "1" + "0" * (EXACT_DIGITS - 1), id="longest-exact"),
        pytest.param(sp.Integer(10) ** EXACT_DIGITS, "1.0e+60 (an integer of 61 digits)", id="one-digit-too-many"),
        pytest.param(sp.Integer(9) ** 5000, "1.63135018534263e+4771 (an integer of 4,772 digits)", id="beyond-4300"),
        pytest.param(-(sp.Integer(9) ** 5000), "-1.63135018534263e+4771 (an integer of 4,772 digits)", id="negative"),
        pytest.param(
            sp.Rational(3, 7) ** 3000, "1.17393517633869e-1104 (a fraction of 1,432 over 2,536 digits)", id="fraction"
        ),
        pytest.param(sp.Integer(3) ** 100_000, "1.3349714142304e+47712 (an integer of 47,713 digits)", id="huge"),
        pytest.param(sp.Float(2.5), "2.50000000000000", id="float"),
        pytest.param(sp.sqrt(2), "1.41421356237310", id="irrational"),
    ],
)
def test_a_number_prints_exactly_or_shortened(value: sp.Expr, expected: str) -> None:
    assert number(value) == expected


def test_the_significant_digits_are_the_callers() -> None:
    assert number(sp.Integer(7) ** 2000, 5) == "1.5707e+1690 (an integer of 1,691 digits)"


@pytest.mark.parametrize(
    "n", [0, 1, 9, 10, 99, 100, 10**100 - 1, 10**100, 2**4000, -(10**50)], ids=lambda n: f"{len(str(abs(n)))}-digits"
)
def test_digits_are_counted_without_printing(n: int) -> None:
    assert digits(n) == len(str(abs(n)))

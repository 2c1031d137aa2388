"""Numbers as text, of any size: exact while they are short, and otherwise their leading digits, their
exponent and how many digits they have. Python refuses ``str`` of an integer beyond 4,300 digits, and
takes quadratic time below that."""

from __future__ import annotations

import math

import mpmath
import sympy as sp

#: a rational whose numerator and denominator have at most this many digits together prints exactly
EXACT_DIGITS = 60


def digits(n: int) -> int:
    """How many decimal digits ``n`` has, counted from its bits, never by printing it."""
    n = abs(n)
    if n < 10:
        return 1
    # floor(log10 n) is k or k + 1 for this k; one comparison with a power of ten says which
    k = math.floor((n.bit_length() - 1) * math.log10(2))
    return k + 2 if n >= 10 ** (k + 1) else k + 1


def number(value: sp.Expr, significant: int = 15) -> str:
    """``13/17`` exactly; ``1.23456789012346e+4771 (an integer of 4,772 digits)`` when it is long; a number
    that is not rational to ``significant`` digits."""
    if not value.is_Rational:
        return str(sp.N(value, significant))
    p, q = int(value.p), int(value.q)
    if digits(p) + (digits(q) if q != 1 else 0) <= EXACT_DIGITS:
        return str(value)
    # the leading digits and the exponent, from a binary float: no decimal conversion of the whole number
    with mpmath.workdps(significant + 5):
        leading = mpmath.nstr(mpmath.mpf(p) / q, significant)
    if q == 1:
        return f"{leading} (an integer of {digits(p):,} digits)"
    return f"{leading} (a fraction of {digits(p):,} over {digits(q):,} digits)"

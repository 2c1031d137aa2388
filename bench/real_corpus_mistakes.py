"""Mistakes in ``../shared/corpus/real/`` that its ``labels.json`` does not list, each proved by hand.

The corpus's README asks that a new real mistake be proved by hand before it is counted as one. Each entry
below names the line, says what is wrong, and carries its own proof: the author's two sides rebuilt here in
SymPy, independently of derive's reader and engine, and shown to differ (their difference simplified is not
zero, and a point where they differ is printed). ``bench/real_corpus.py`` counts a refutation at one of
these lines as a mistake found only when its proof holds; every other unlabelled refutation is a false alarm.

Run alone, ``python bench/real_corpus_mistakes.py`` prints each proof.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp


@dataclass(frozen=True)
class Mistake:
    document: str
    line: int
    why: str
    sides: Callable[[], tuple[sp.Expr, sp.Expr]]

    def proof(self) -> str | None:
        """Where the author's two sides differ, or None when they are the same (the mistake is not one)."""
        left, right = self.sides()
        if sp.simplify(left - right) == 0:
            return None
        symbols = sorted(left.free_symbols | right.free_symbols, key=str)
        # a point inside every domain here: each symbol a fraction strictly between 0 and 1
        point = {s: sp.Rational(k + 2, k + 5) for k, s in enumerate(symbols)}
        return f"at {point}: {sp.nsimplify(left.subs(point))} ≠ {sp.nsimplify(right.subs(point))}"


def _completing_the_square() -> tuple[sp.Expr, sp.Expr]:
    # a(x + d)^2 + e = a x^2 + b x + c gives d = b/(2a) and e = c - a d^2 = c - b^2/(4a); the author writes c - d^2
    a, b, c = sp.symbols("a b c", positive=True)
    d = b / (2 * a)
    return c - b**2 / (4 * a), c - d**2


def _score_of_a_gaussian() -> tuple[sp.Expr, sp.Expr]:
    # the derivative in x̃ of log N(x̃ | x, σ^2) against the author's (x̃ - x)/σ^2
    xt, x, s = sp.symbols("xtilde x sigma", positive=True)
    log_density = -((xt - x) ** 2) / (2 * s**2) - sp.log(sp.sqrt(2 * sp.pi) * s)
    return sp.diff(log_density, xt), (xt - x) / s**2


def _posterior_mean_coefficient() -> tuple[sp.Expr, sp.Expr]:
    # μ̃_t from completing the square in x_{t-1} (the same algebra the seed derives), against the author's
    # x_t coefficient √ᾱ_t (1 - ᾱ_{t-1})/(1 - ᾱ_t), where it is √α_t (1 - ᾱ_{t-1})/(1 - ᾱ_t)
    alpha, abar_prev, x0, xt, y = sp.symbols("alpha_t abar_tm1 x_0 x_t x_tm1", positive=True)
    beta, abar = 1 - alpha, alpha * abar_prev
    exponent = (xt - sp.sqrt(alpha) * y) ** 2 / beta + (y - sp.sqrt(abar_prev) * x0) ** 2 / (1 - abar_prev)
    quadratic = sp.Poly(sp.expand(exponent), y)
    mean = -quadratic.coeff_monomial(y) / (2 * quadratic.coeff_monomial(y**2))
    author = sp.sqrt(abar_prev) * beta / (1 - abar) * x0 + sp.sqrt(abar) * (1 - abar_prev) / (1 - abar) * xt
    return sp.simplify(mean), author


def _epsilon_coefficient() -> tuple[sp.Expr, sp.Expr]:
    # the line before: μ̃ = k_0 (x_t - √(1-ᾱ_t) ε)/√ᾱ_t + k_t x_t with k_0 = √ᾱ_{t-1} β_t/(1-ᾱ_t); its ε term is
    # -k_0 √(1-ᾱ_t)/√ᾱ_t ε, and √ᾱ_{t-1}/√ᾱ_t = 1/√α_t. The author's ε term has one √(1-ᾱ_t) too many below.
    alpha, abar_prev, eps = sp.symbols("alpha_t abar_tm1 epsilon", positive=True)
    beta, abar = 1 - alpha, alpha * abar_prev
    k0 = sp.sqrt(abar_prev) * beta / (1 - abar)
    before = -k0 * sp.sqrt(1 - abar) / sp.sqrt(abar) * eps
    author = -beta / ((1 - abar) * sp.sqrt(alpha) * sp.sqrt(1 - abar)) * sp.sqrt(1 - abar) * eps
    return before, author


MISTAKES = (
    Mistake(
        "03_andycheung_ddpm_bayes.md",
        34,
        "with d = b/(2a), c - b²/(4a) is c - a·d², not c - d²",
        _completing_the_square,
    ),
    Mistake(
        "14_acids_ircam_diffusion_02_model_notebook.md",
        43,
        "the score of N(x̃; x, σ²I) is -(x̃ - x)/σ², not (x̃ - x)/σ²",
        _score_of_a_gaussian,
    ),
    Mistake(
        "14_acids_ircam_diffusion_02_model_notebook.md",
        210,
        "the x_t coefficient of μ̃_t has √ᾱ_t where it is √α_t",
        _posterior_mean_coefficient,
    ),
    Mistake(
        "18_gaurav_genai_reverse_diffusion.md",
        204,
        "the ε coefficient carries an extra 1/√(1 - ᾱ_t): the lines around it agree with each other, not with it",
        _epsilon_coefficient,
    ),
)


def main() -> int:
    for mistake in MISTAKES:
        proof = mistake.proof()
        print(f"{mistake.document}:{mistake.line}: {mistake.why}")
        print(f"  {'NOT A MISTAKE: the two sides are equal' if proof is None else proof}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

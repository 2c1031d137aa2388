"""SymPy classes for the vocabulary of derivations that SymPy lacks: norms, Gaussians, densities.

They stay unevaluated so that a document prints them the way its author wrote them; the engine
expands them (``expand_objects``) into plain SymPy before deciding anything. ``Opaque`` is what a
reader reads but nothing decides (an integral, an expectation under an unspecified density): the
engine refuses it by name.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import sympy as sp
from sympy.core.symbol import Str

from derive.exceptions import UnsupportedExpressionError


class Bracket(sp.Function):
    """Square brackets the author wrote for grouping; built unevaluated, gone on evaluation."""

    nargs = 1

    @classmethod
    def eval(cls, arg: sp.Expr) -> sp.Expr:
        return arg


class Norm(sp.Function):
    """The Euclidean norm ``\\|v\\|``. Derivations are checked per coordinate, where it is ``|v|``."""

    nargs = 1

    @property
    def scalar(self) -> sp.Expr:
        return sp.Abs(self.args[0].doit())


class Identity(sp.Expr):
    """The identity matrix ``I``: per coordinate, 1."""

    is_commutative = True

    def __new__(cls) -> Identity:
        obj: Identity = sp.Expr.__new__(cls)
        return obj

    @property
    def scalar(self) -> sp.Expr:
        return sp.Integer(1)

    def _eval_is_positive(self) -> bool:
        return True

    def _eval_is_extended_real(self) -> bool:
        return True

    def _sympystr(self, printer: sp.printing.str.StrPrinter) -> str:
        return "I"

    def _latex(self, printer: sp.printing.latex.LatexPrinter) -> str:
        return "I"


class Transposed(sp.Function):
    """``v^\\top``. Read per coordinate, as norms are, it is ``v`` itself."""

    nargs = 1

    @property
    def scalar(self) -> sp.Expr:
        return self.args[0].doit()

    def _latex(self, printer: sp.printing.latex.LatexPrinter) -> str:
        return rf"\left({printer._print(self.args[0])}\right)^\top"


class Inner(sp.Function):
    """The inner product ``\\langle a, b \\rangle``: per coordinate, ``a b``."""

    nargs = 2

    @property
    def scalar(self) -> sp.Expr:
        a, b = (arg.doit() for arg in self.args)
        return a * b

    def _latex(self, printer: sp.printing.latex.LatexPrinter) -> str:
        a, b = (printer._print(arg) for arg in self.args)
        return rf"\left\langle {a}, {b} \right\rangle"


class Opaque(sp.Expr):
    """A construct that is read but that nothing here decides: an integral, an expectation under an
    unspecified density, terms left out with ``\\dots``, a Gaussian with a full covariance. ``what``
    names it in words (for "not checked: …"); the other arguments are its parts as written."""

    is_commutative = True

    def __new__(cls, what: str | Str, *parts: sp.Basic | int) -> Opaque:
        # SymPy rebuilds an expression from its arguments, where ``what`` is already a Str
        named = what if isinstance(what, Str) else Str(what)
        obj: Opaque = sp.Expr.__new__(cls, named, *(p if isinstance(p, sp.Basic) else sp.Integer(p) for p in parts))
        return obj

    @property
    def what(self) -> str:
        return str(self.args[0].name)

    @property
    def parts(self) -> tuple[sp.Basic, ...]:
        return tuple(self.args[1:])

    def _sympystr(self, printer: sp.printing.str.StrPrinter) -> str:
        return f"<{self.what}>"

    def _latex(self, printer: sp.printing.latex.LatexPrinter) -> str:
        return rf"\langle\text{{{self.what}}}\rangle"


def opaque_parts(expr: sp.Basic) -> tuple[str, ...]:
    """What in ``expr`` is opaque, each named once, in order of appearance."""
    found: list[str] = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, Opaque) and node.what not in found:
            found.append(node.what)
    return tuple(found)


class Normal(sp.Function):
    """The distribution ``N(mean, variance)`` named without its variable: what ``x \\sim`` or
    ``q(x) =`` say of it. Only a reader holds it, until it knows the variable (``Gaussian``)."""

    nargs = 2


class Gaussian(sp.Function):
    """``N(z; mean, variance I)``: an isotropic Gaussian density, read per coordinate."""

    nargs = 3

    @property
    def scalar(self) -> sp.Expr:
        return _gaussian_density(*(arg.doit() for arg in self.args))


class Expectation(sp.Function):
    """``E_{x ~ N(mean, variance)}[f]`` for ``f`` polynomial in ``x`` once logs of Gaussians are
    expanded: the Gaussian's moments give its value."""

    nargs = 4

    @property
    def scalar(self) -> sp.Expr:
        body, x, mean, variance = (arg.doit() for arg in self.args)
        return _gaussian_expectation(expand_objects(body), x, mean, variance)


class KL(sp.Function):
    """The Kullback-Leibler divergence ``D_KL(p || q)`` of two Gaussian densities in the same variable:
    ``E_{x ~ p}[log p(x) - log q(x)]``."""

    nargs = 2

    @property
    def expectation(self) -> Expectation:
        p, q = (arg.doit() for arg in self.args)
        if not (isinstance(p, Gaussian) and isinstance(q, Gaussian) and p.args[0] == q.args[0]):
            raise UnsupportedExpressionError(f"a divergence of Gaussians in the same variable, not of {p} and {q}")
        x, mean, variance = p.args
        return Expectation(sp.log(p) - sp.log(q), x, mean, variance)

    @property
    def scalar(self) -> sp.Expr:
        return self.expectation.scalar


class Density(sp.Expr):
    """A density applied to its variables, ``q(x_t | x_{t-1})``. What it equals is a definition."""

    def __new__(cls, name: sp.Symbol, variables: Iterable[sp.Expr], given: Iterable[sp.Expr] = ()) -> Density:
        obj: Density = sp.Expr.__new__(cls, name, sp.Tuple(*variables), sp.Tuple(*given))
        return obj

    @property
    def name(self) -> sp.Symbol:
        name: sp.Symbol = self.args[0]
        return name

    @property
    def variables(self) -> tuple[sp.Expr, ...]:
        return tuple(self.args[1])

    @property
    def given(self) -> tuple[sp.Expr, ...]:
        return tuple(self.args[2])

    def _eval_is_positive(self) -> bool:
        return True

    def _eval_is_extended_real(self) -> bool:
        return True


@lru_cache(maxsize=256)
def _gaussian_density(z: sp.Expr, mean: sp.Expr, variance: sp.Expr) -> sp.Expr:
    # building it asks SymPy for the sign of the variance, which is slow; the same densities recur
    return sp.exp(-((z - mean) ** 2) / (2 * variance)) / sp.sqrt(2 * sp.pi * variance)


def _gaussian_expectation(body: sp.Expr, x: sp.Expr, mean: sp.Expr, variance: sp.Expr) -> sp.Expr:
    if not isinstance(x, sp.Symbol):
        raise UnsupportedExpressionError(f"an expectation over {x}, which is not a symbol")
    expanded = sp.expand(sp.expand_log(body, force=True))
    # E[c e^{a x + b}] = c e^{a m + b + a^2 v / 2}: the moment-generating function
    exponential = sp.Integer(0)
    polynomial = []
    for term in sp.Add.make_args(expanded):
        if term.is_polynomial(x):
            polynomial.append(term)
            continue
        coefficient, rest = sp.powsimp(term.rewrite(sp.exp)).as_independent(x, as_Add=False)
        power = sp.expand(rest.exp) if isinstance(rest, sp.exp) else None
        if power is None or not power.is_polynomial(x) or sp.degree(power, x) != 1:
            raise UnsupportedExpressionError(
                f"an expectation of {body}, which is not polynomial in {x}, nor an exponential of a linear term"
            )
        a, b = power.coeff(x, 1), power.coeff(x, 0)
        exponential += coefficient * sp.exp(a * mean + b + a**2 * variance / 2)
    try:
        poly = sp.Poly(sp.Add(*polynomial), x)
    except sp.PolynomialError:
        raise UnsupportedExpressionError(f"an expectation of {body}, which is not polynomial in {x}") from None
    if any(x in c.free_symbols for c in poly.coeffs()):
        raise UnsupportedExpressionError(f"an expectation of {body}, which is not polynomial in {x}")
    # E[x^k] for x ~ N(m, v): sum over even j of C(k, j) m^(k-j) v^(j/2) (j-1)!!
    total = sp.Integer(0)
    for (k,), coefficient in poly.terms():
        moment = sum(
            (
                sp.binomial(k, j) * mean ** (k - j) * variance ** (j // 2) * sp.factorial2(j - 1)
                for j in range(0, k + 1, 2)
            ),
            sp.Integer(0),
        )
        total += coefficient * moment
    return total + exponential


@lru_cache(maxsize=1024)
def expand_objects(expr: sp.Expr) -> sp.Expr:
    """Replace divergences, expectations, norms, transposes, inner products, the identity and Gaussians
    by their scalar formulas; what is opaque is refused, by name."""
    if expr.has(Opaque):
        raise UnsupportedExpressionError(f"not checked: {'; '.join(opaque_parts(expr))}")
    # outermost first: a divergence needs its Gaussians' parameters, not their formulas
    for kind in (KL, Expectation):
        if expr.has(kind):
            expr = expr.xreplace({e: e.scalar for e in expr.atoms(kind)})
    if expr.has(Identity):
        expr = expr.xreplace({Identity(): sp.Integer(1)})
    if expr.has(Transposed, Inner):  # bottom-up: a transpose inside an inner product inside a norm
        expr = expr.replace(lambda e: isinstance(e, (Transposed, Inner)), lambda e: e.scalar)
    found = expr.atoms(Norm, Gaussian)
    if not found:
        return expr
    # ‖v‖^{2k} = v^{2k} for a real scalar: skips Abs, whose evaluation is slow on large arguments
    even = {p: p.base.args[0].doit() ** p.exp for p in expr.atoms(sp.Pow) if isinstance(p.base, Norm) and p.exp.is_even}
    return expr.xreplace(even).xreplace({e: e.scalar for e in found})

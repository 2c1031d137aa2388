"""The SymPy reading of each grammar rule, through a notation."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, NoReturn

import sympy as sp
from lark import Token
from lark.visitors import Transformer_NonRecursive
from sympy.core.function import AppliedUndef

from derive.doccheck.latex.source import Source
from derive.doccheck.latex.vocabulary import RUNS_ON_OVER_CDOT
from derive.exceptions import ParseError
from derive.notation import Notation
from derive.objects import KL, Density, Expectation, Gaussian, Identity, Inner, Norm, Normal, Opaque, Transposed

MAX_EXPONENT = 1000
MAX_DIGITS = 10_000


class UnhandledRuleError(ParseError):
    """The grammar produced a rule that the reader has no reading for: a bug, reported as a parse error."""


# -- the reading -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Name:
    base: str
    index: sp.Expr | None
    tok: Token
    end: int
    bold: bool = False


@dataclass(frozen=True)
class _F:
    """A factor, with what matters to juxtapose it."""

    expr: sp.Expr
    #: name, number, braced (a {a+b} group), product (x(a+b) read as a product), bare (\log x), other
    kind: str
    tok: Token
    end: int


@dataclass(frozen=True)
class _E:
    """An expression (or a set, or an index); ``compound`` when it is a sum or starts with a minus."""

    expr: Any
    compound: bool
    tok: Token
    end: int


FUNCTIONS: dict[str, Callable[[sp.Expr], sp.Expr]] = {
    "log": sp.log, "ln": sp.log, "exp": sp.exp, "cos": sp.cos, "sin": sp.sin, "tan": sp.tan, "cosh": sp.cosh,
    "sinh": sp.sinh, "tanh": sp.tanh,
}  # fmt: skip
#: functions read but not decided, and what to call them in "not checked: …"
OPAQUE_FUNCTIONS = {
    "det": "a determinant", "tr": "a trace", "diag": "a diagonal matrix", "Var": "a variance", "Cov": "a covariance",
}  # fmt: skip
DENSITY_WITH_PARAMETERS = "a density with parameters after ';'"
MATRIX_COVARIANCE = r"a Gaussian with a covariance matrix \Sigma (not isotropic)"
NORMAL = r"a distribution \mathcal{N}(m, v) not said of a variable"
UNNAMED = "a divergence of distributions not written as densities of a variable"
#: \max_\theta and the like, in words
OPTIMA = {
    "max": "a maximum", "min": "a minimum", "argmax": "an argmax", "argmin": "an argmin", "sup": "a supremum",
    "inf": "an infimum", "argsup": "an argsup", "arginf": "an arginf",
}  # fmt: skip
EXTREMA: dict[str, Callable[..., sp.Expr]] = {"max": sp.Max, "min": sp.Min}
SETS = {"R": sp.Reals, "Z": sp.Integers, "N": sp.Naturals, "C": sp.Complexes}
_Value = _Name | _F | _E


def _signed_sum(c: list[Any], evaluate: bool = True) -> _E:
    """Terms joined by + and - tokens, as one sum (in the order written, unless ``evaluate``)."""
    terms: list[sp.Expr] = []
    negative = False
    for x in c:
        if isinstance(x, Token):
            negative = x.type == "MINUS"
        else:
            terms.append(-x.expr if negative else x.expr)
            negative = False
    first = c[0] if isinstance(c[0], Token) else c[0].tok
    return _E(sp.Add(*terms, evaluate=evaluate), len(c) > 1, first, _end(c[-1]))


def _end(x: Token | _Value) -> int:
    if isinstance(x, Token):
        return x.end_pos or 0
    return x.end


class Reader(Transformer_NonRecursive[Token, Any]):
    """The SymPy reading of each grammar rule. A rule without a method here is an error, not a tree."""

    def __init__(
        self, notation: Notation, lexer: Source, densities: set[str] | None = None, written: bool = False
    ) -> None:
        super().__init__(visit_tokens=False)
        self._notation = notation
        self._lexer = lexer
        #: the names written with a conditional bar in the block: densities wherever they are applied
        self._densities = densities if densities is not None else set()
        #: sums and products kept in the order written, unevaluated (a notation file's identities,
        #: which documents print as their author wrote them); index expressions are evaluated all the same
        self._evaluate = not written
        #: symbols read from subscripted names, with their base, index and token: for summation indices
        self._indexed: dict[sp.Basic, tuple[str, sp.Expr, Token, int]] = {}

    def __default__(self, data: Any, children: Any, meta: Any) -> NoReturn:
        first = next((c for c in children if isinstance(c, Token)), None)
        raise UnhandledRuleError(
            f"no reading for the grammar rule {data!r}",
            file=self._lexer.file,
            line=first.line if first is not None and first.line else self._lexer.line,
            column=first.column if first is not None and first.column else self._lexer.column,
            text=str(data),
        )

    def _fail(self, message: str, first: Token, end: Token | _Value | int | None = None) -> NoReturn:
        start = first.start_pos or 0
        stop = (first.end_pos or start) if end is None else end if isinstance(end, int) else _end(end)
        raise self._lexer.error_at(message, start, stop)

    # -- statements

    def stmt(self, c: list[Any]) -> tuple[tuple[sp.Basic, ...], tuple[str, ...]]:
        return self._chain([c[0], *c[2::2]], c[1::2], joined=True)

    def cont(self, c: list[Any]) -> tuple[tuple[sp.Basic, ...], tuple[str, ...]]:
        return self._chain(c[1::2], c[::2], joined=False)

    def _chain(
        self, items: list[_E], tokens: list[Token], *, joined: bool
    ) -> tuple[tuple[sp.Basic, ...], tuple[str, ...]]:
        """The items and relations of a chain; ``joined``: the first relation joins the first two items
        (otherwise it joins the previous row's last item to the first)."""
        relations = [{"EQ": "=", "IN": "in"}.get(r.type, str(r.value)) for r in tokens]
        offset = 0 if joined else 1
        named = list(_densities_named(tuple(item.expr for item in items), tuple(relations[offset:])))
        for k in range(offset, len(relations)):
            left_item = named[k - offset] if k >= offset else None
            if (
                relations[k] == "="
                and isinstance(left_item, sp.Symbol)
                and _variable_of(named[k - offset + 1]) == left_item
            ):
                relations[k] = "sim"  # x_t = q(x_t | x_{t-1}): x_t is drawn from it; it cannot equal its density
            if relations[k] == "sim" and isinstance(named[k - offset + 1], Normal):
                left = k - offset
                normal = named[left + 1]
                density = applied_density(named[left]) if left >= 0 else None
                if density is not None:  # q(x | y) \sim \mathcal{N}(m, v): what the density is, an equation
                    relations[k], named[left], named[left + 1] = (
                        "=",
                        density,
                        Gaussian(density.variables[0], *normal.args),
                    )
                else:  # x \sim \mathcal{N}(m, v): the items x and (m, v)
                    named[left + 1] = sp.Tuple(*normal.args)
        checked = tuple(
            value if isinstance(value, sp.Tuple) else self._checked(_E(value, item.compound, item.tok, item.end))
            for value, item in zip(named, items, strict=True)
        )
        return checked, tuple(relations)

    def _checked(self, item: _E) -> sp.Basic:
        value: sp.Basic = item.expr
        if value.has(sp.zoo, sp.nan):
            self._fail("an undefined value (a division by zero?)", item.tok, item)
        if value.has(Normal):  # not said of a density: nothing says whose distribution it is
            value = value.replace(
                lambda e: isinstance(e, Normal),
                lambda e: Opaque(NORMAL, *e.args),
            )
        return value

    # -- sets

    def interval(self, c: list[Any]) -> _E:
        opening, lo, _, hi, closing = c
        try:
            value = sp.Interval(lo.expr, hi.expr, opening.type == "LPAR", closing.type == "RPAR")
        except (ValueError, TypeError) as e:
            self._fail(f"not an interval: {e}", opening, closing)
        return _E(value, False, opening, _end(closing))

    def realset(self, c: list[Any]) -> _E:
        letter: Token = c[0]
        if letter.value not in SETS:
            self._fail(f"unsupported set \\mathbb{{{letter.value}}}", letter)
        return _E(SETS[letter.value], False, letter, _end(c[-1]))

    def intrange(self, c: list[Any]) -> _E:
        ends = [x.expr for x in c if isinstance(x, _E)]
        first, last = ends[0], ends[-1]
        step = ends[1] - first if len(ends) == 3 else sp.Integer(1)
        try:
            value = sp.Range(first, last + step, step)
        except (ValueError, TypeError) as e:
            self._fail(f"not a range: {e}", c[0], c[-1])
        return _E(value, False, c[0], _end(c[-1]))

    # -- sums and products

    def expr(self, c: list[Any]) -> _E:
        return _signed_sum(c, self._evaluate)

    def prod(self, c: list[Any]) -> _F:
        items: list[_F] = [x for x in c if isinstance(x, _F)]
        for item, after in pairwise(c):
            if (
                isinstance(item, _F)
                and item.kind == "bare"
                and item.tok.value in RUNS_ON_OVER_CDOT
                and isinstance(after, Token)
                and after.type in ("CDOT", "TIMES")
            ):
                # log(ab) or (log a) b: authors write both, so the product reads two ways
                f = item.tok.value
                what = f"\\{f} a \\cdot b, which reads as \\{f}(a \\cdot b) or as (\\{f} a) \\cdot b"
                return _F(Opaque(what, *(x.expr for x in items)), "other", items[0].tok, items[-1].end)
        if len(items) > 1:
            for item in items:
                if item.kind == "braced":
                    self._fail("ambiguous: a braced sum {…} next to another factor; use ( )", item.tok, item)
        return _F(self._product([f.expr for f in items], items[0].tok, items[-1]), "other", items[0].tok, items[-1].end)

    def _product(self, values: list[sp.Expr], first: Token, last: _Value) -> sp.Expr:
        coefficients = (v.as_coeff_Mul()[0] if isinstance(v, sp.Mul) else v for v in values)
        if sum(_digits_of(v) for v in coefficients if v.is_Rational) > MAX_DIGITS:
            self._fail("number too large", first, last)
        return sp.Mul(*values, evaluate=self._evaluate)

    def opened(self, c: list[Any]) -> _F:
        factors = self._juxtaposed(c[0]) if len(c) == 2 else []
        factors.append(c[-1])
        return _F(self._product([f.expr for f in factors], factors[0].tok, c[-1]), "other", factors[0].tok, c[-1].end)

    def bigop(self, c: list[Any]) -> _F:
        op, body = c[0], c[-1]
        kind, word = (sp.Sum, "a sum") if op.value == "sum" else (sp.Product, "a product")
        if isinstance(c[1], Token):  # \sum_{t > 1}, \sum_t: over what the subscript says
            return _F(Opaque(f"{word} over {c[2].value}", body.expr), "other", op, body.end)
        var, lo, hi, letter = c[1]
        plain = self._notation.resolve(letter)
        value = body.expr.xreplace({plain: var}) if plain != var else body.expr
        bound, unknown = self._bind(value, var)
        if unknown is not None:  # \prod_t q(x_t | x_{t-1}): its terms are not a sequence the notation has
            what = f"{word} over {letter} of terms in {unknown}_{letter}, which the notation has no sequence for"
            return _F(Opaque(what, body.expr, var, lo, hi), "other", op, body.end)
        return _F(kind(bound, (var, lo, hi)), "other", op, body.end)

    def _bind(self, body: sp.Expr, var: sp.Symbol) -> tuple[sp.Expr, str | None]:
        """Subscripted names that depend on the index ``var`` become terms of the notation's sequence;
        with the base of the first that is no sequence of the notation, if there is one."""
        replacements = {}
        for symbol in sorted(body.free_symbols, key=str):
            found = self._indexed.get(symbol)
            if found is None or var not in found[1].free_symbols:
                continue
            base, index, _, _ = found
            family = next(
                (e.symbol for e in self._notation if e.name == (base, None) and isinstance(e.symbol, sp.IndexedBase)),
                None,
            )
            if family is None and self._notation.free_sequences:
                # a_k under a sum over k: a sequence of the document's own
                # no assumptions: its label is not the real symbol a plain ``a`` is, and SymPy drops them from
                # the terms of a sum it adds up
                family = sp.IndexedBase(sp.Symbol(base))
            if family is None:
                return body, base
            replacements[symbol] = family[index]
        return (body.xreplace(replacements) if replacements else body), None

    def limit(self, c: list[Any]) -> _F:
        op, name, value, body = c[0], c[3], c[5], c[-1]
        side = c[6].value if len(c) == 9 else "+-"  # no side written: the two-sided limit
        var = self._symbol(name)
        if not isinstance(var, sp.Symbol):
            self._fail("the variable of a limit must be a symbol", name.tok, name)
        return _F(sp.Limit(body.expr, var, value.expr, side), "other", op, body.end)

    def grad(self, c: list[Any]) -> _F:
        # \nabla_{x} E: the gradient in x of the rest of the product, read per coordinate
        op, name, body = c[0], c[3] if len(c) == 6 else c[2], c[-1]
        return _F(sp.Derivative(body.expr, self._variable(name, r"\nabla", op, body)), "other", op, body.end)

    def partial(self, c: list[Any]) -> _F:
        # \frac{\partial}{\partial x} E: as \nabla_x E
        op, name, body = c[0], c[6], c[-1]
        return _F(sp.Derivative(body.expr, self._variable(name, r"\partial", op, body)), "other", op, body.end)

    def derivative(self, c: list[Any]) -> _F:
        # \frac{\partial E}{\partial x}
        op, body, name, closing = c[0], c[3], c[7], c[8]
        return _F(sp.Derivative(body.expr, self._variable(name, r"\partial", op, closing)), "other", op, _end(closing))

    def _variable(self, name: _Name, what: str, first: Token, last: Token | _Value) -> sp.Symbol:
        var = self._symbol(name)
        if not isinstance(var, sp.Symbol):
            self._fail(f"the variable of {what} must be a symbol", first, last)
        return var

    def expect(self, c: list[Any]) -> _F:
        if not (len(c) > 1 and isinstance(c[1], Token) and c[1].type == "SUB"):  # \mathbb{E}_q[f], \mathbb{E}[f]
            subscript = c[1] if isinstance(c[1], Token) and c[1].type == "ESUB" else None
            body: _E = c[3] if subscript is not None else c[2]
            value = self._expectation(subscript, body.expr)
            close = 4 if subscript is not None else 3
            if len(c) > close + 1:
                value = self._power(value, c[close + 2], c[close + 1])
            return _F(value, "other", c[0], _end(c[-1]))
        # \mathbb{E}_{x \sim \mathcal{N}(m, v)}[f]
        op, name, dist, body = c[0], c[3], c[5], c[8]
        if op.value != "E":
            self._fail(r"an expectation is written \mathbb{E}", op, _end(c[-1]))
        mean, variance = dist.expr.args
        var = self._variable(name, "an expectation", op, c[-1])
        return _F(Expectation(body.expr, var, mean, variance), "other", op, _end(c[-1]))

    @staticmethod
    def _expectation(subscript: Token | None, body: sp.Expr) -> Opaque:
        if subscript is None:
            return Opaque("an expectation under a distribution it does not name", body)
        return Opaque(f"an expectation over {subscript.value}", body)

    def eopen(self, c: list[Any]) -> _F:
        # \mathbb{E}_{q} \log p: the expectation of the rest of the product
        subscript = c[1] if len(c) == 3 else None
        return _F(self._expectation(subscript, c[-1].expr), "other", c[0], c[-1].end)

    def integral(self, c: list[Any]) -> _F:
        # \int_a^b f\, dx: read, never decided (over what, for a vector x, is not written)
        body = next((x.expr for x in c if isinstance(x, _F)), sp.Integer(1))
        named = next((x for x in c if isinstance(x, _Name)), None)
        variables = c[-1].value if named is None else self._symbol(named)  # dx_1 \dots dx_T: as written
        variable = sp.Symbol(str(variables)) if isinstance(variables, str) else variables
        limits = {c[k - 1].type: x.expr for k, x in enumerate(c) if isinstance(x, _E)}
        ends = [limits[script] for script in ("SUB", "SUP") if script in limits]
        return _F(Opaque("an integral", body, variable, *ends), "other", c[0], _end(c[-1]))

    def optimum(self, c: list[Any]) -> _F:
        op, body = c[0], c[-1]
        if len(c) == 2:  # \min L
            return _F(Opaque(OPTIMA[op.value], body.expr), "other", op, body.end)
        over = c[2]
        written = str(over.value) if isinstance(over, Token) else sp.latex(over.expr)
        return _F(Opaque(f"{OPTIMA[op.value]} over {written}", body.expr), "other", op, body.end)

    def sequence(self, c: list[Any]) -> _F:
        # \{\beta_t\}_{t=1}^T
        term, letter, first, last = c[1], c[5], c[7], c[-1]
        what = f"a sequence over {letter.value} = {sp.latex(first.expr)}, …, {sp.latex(last.expr)}"
        return _F(Opaque(what, term.expr), "other", c[0], _end(c[-1]))

    def extremum(self, c: list[Any]) -> _F:
        op = c[0]
        values = [x.expr for x in c if isinstance(x, _E)]
        if op.value not in EXTREMA:
            return _F(Opaque(f"{OPTIMA[op.value]} of {len(values)} values", *values), "other", op, _end(c[-1]))
        return _F(EXTREMA[op.value](*values), "other", op, _end(c[-1]))

    def dots(self, c: list[Any]) -> _F:
        return _F(Opaque(r"terms left out (\dots)"), "other", c[0], _end(c[0]))

    def opaque(self, c: list[Any]) -> _F:
        value: sp.Expr = Opaque(str(c[0].value))
        return self._scripted(c, value, "other", 0)

    def inner(self, c: list[Any]) -> _F:
        return self._scripted(c[:2] + c[4:], Inner(c[1].expr, c[3].expr), "other", 2)

    def marked(self, c: list[Any]) -> _F:
        name: _Name = c[0]
        value = self._mark(self._symbol(name), c[1], name.tok)
        return self._scripted([name.tok, *c[1:]], value, "other", 1)

    def primed(self, c: list[Any]) -> _F:
        name: _Name = c[0]
        if len(c) < 4 or not (isinstance(c[2], Token) and c[2].type == "LPAR"):  # x', x'^2
            return self._scripted([name.tok, *c[1:]], self._mark(self._symbol(name), c[1], name.tok), "other", 1)
        variables, given, parameters = c[3]
        if given is None and not parameters and len(variables) > 1:  # C'(x_t, x_0): another function
            value: sp.Expr = sp.Function(self._function_name(name) + str(c[1].value))(*variables)
        else:  # f'(x): a derivative, or another function of x
            value = self._mark(sp.Function(self._function_name(name))(*variables, *(given or [])), c[1], name.tok)
        return self._scripted([name.tok, *c[4:]], value, "other", 1)

    def _mark(self, value: sp.Expr, mark: Token, first: Token) -> sp.Expr:
        """A transpose, read per coordinate; a prime, which reads as a transpose, a derivative or a new name."""
        if mark.type == "TRANSPOSE":
            return Transposed(value)
        written = self._lexer.text[(first.start_pos or 0) : (mark.end_pos or 0)]
        return Opaque(f"a prime, {written}: a transpose, a derivative or another name", value)

    def dist(self, c: list[Any]) -> _E:
        # \mathcal{N}(m, v) or \mathcal{N}(m, v I): a distribution, the pair (mean, variance)
        variance: _E = c[4]
        scale = self._isotropic(variance.expr)
        if scale is None and variance.expr.has(self._identity()):
            self._fail(
                r"the variance of \mathcal{N} must be v or v I (an isotropic covariance)", variance.tok, variance
            )
        return _E(sp.Tuple(c[2].expr, variance.expr if scale is None else scale), False, c[0], _end(c[-1]))

    def divergence(self, c: list[Any]) -> _F:
        # D_{\mathrm{KL}}(p \| q) of two densities, which the engine expands once they are Gaussians;
        # inside it, p(x) is a density whatever the notation says of p
        op, closing = c[0], c[5]
        p, q = (self._as_density(arg) for arg in (c[2], c[4]))
        for density, arg in ((p, c[2]), (q, c[4])):
            if density is None:
                self._fail(r"a divergence is of two densities: q(x | y) or \mathcal{N}(x; m, v I)", arg.tok, arg)
        if isinstance(p, (Density, Gaussian)) and isinstance(q, (Density, Gaussian)):
            return _F(KL(p, q), "other", op, _end(closing))
        return _F(Opaque(UNNAMED, p, q), "other", op, _end(closing))

    def _as_density(self, arg: _E) -> sp.Basic | None:
        """What a divergence's argument is: a density, a Gaussian, something only named (``p``,
        ``\\mathcal{N}(m, v)``, an opaque part), or None when it cannot be a distribution at all."""
        value = arg.expr
        if isinstance(value, AppliedUndef):  # p(x): here, a density
            return Density(sp.Symbol(value.func.__name__, real=True), value.args)
        if isinstance(value, (Density, Gaussian, Normal, Opaque)):
            return value
        entry = self._notation.entry_of(value)
        if isinstance(value, sp.Symbol) and (entry is None or entry.density):  # KL(p \| q)
            return value
        return None

    def fopen(self, c: list[Any]) -> _F:
        func, inner = c
        return _F(_apply(func.value, inner.expr), "other", func, inner.end)

    def pitem(self, c: list[Any]) -> _F:
        if len(c) == 3:  # juxt / divisor
            numerator, slash, divisor = c
            factors = self._juxtaposed(numerator)
            if len(factors) == 1 and factors[0].kind == "braced":
                self._fail("ambiguous: a braced sum {…} divided; use ( )", factors[0].tok, factors[0])
            if divisor.kind in ("braced", "product"):
                self._fail("ambiguous divisor: use \\frac or parentheses", divisor.tok, divisor)
            if divisor.expr.is_zero is True:
                self._fail("division by zero", slash, divisor)
            value = self._product([*(f.expr for f in factors), 1 / divisor.expr], factors[0].tok, divisor)
            return _F(value, "other", factors[0].tok, divisor.end)
        factors = self._juxtaposed(c[0]) if isinstance(c[0], list) else []
        if isinstance(c[-1], _F):  # a function with an unbracketed argument comes last
            factors.append(c[-1])
        if len(factors) == 1:
            return factors[0]
        value = self._product([f.expr for f in factors], factors[0].tok, factors[-1])
        return _F(value, "other", factors[0].tok, factors[-1].end)

    def _juxtaposed(self, factors: list[_F]) -> list[_F]:
        for k, factor in enumerate(factors):
            if factor.kind == "number" and k > 0:
                self._fail("ambiguous: a number after a factor; write it first or use \\cdot", factor.tok, factor)
            if factor.kind == "braced" and len(factors) > 1:
                self._fail("ambiguous: a braced sum {…} next to another factor; use ( )", factor.tok, factor)
        return factors

    def jn(self, c: list[Any]) -> list[_F]:
        return _append(c)

    def jo(self, c: list[Any]) -> list[_F]:
        return _append(c)

    # -- names

    def name_base(self, c: list[Any]) -> _Name:
        first: Token = c[0]
        if first.type in ("LETTER", "GREEK", "CALNAME"):
            return _Name(str(first.value), None, first, _end(first))
        if first.type == "WORD":  # \text{ELBO}
            return _Name(rf"\text{{{first.value}}}", None, first, _end(first))
        inner = _inner_name(c[1:])
        if first.type == "BOLD":
            return _Name(inner.base, None, first, _end(c[-1]), bold=True)
        return _Name(f"{first.value}{{{inner.base}}}", None, first, _end(c[-1]), inner.bold)

    def sub_name(self, c: list[Any]) -> _Name:
        first = c[0]
        if isinstance(first, _Name):  # name_base _ index
            index: _E = c[2]
            return _Name(first.base, index.expr, first.tok, index.end, first.bold)
        inner = _inner_name(c[1:])
        if first.type == "BOLD":
            return _Name(inner.base, inner.index, first, _end(c[-1]), bold=True)
        return _Name(f"{first.value}{{{inner.base}}}", inner.index, first, _end(c[-1]), inner.bold)

    def name_atom(self, c: list[Any]) -> _F:
        name: _Name = c[0]
        return _F(self._symbol(name), "name", name.tok, name.end)

    def _symbol(self, name: _Name) -> sp.Expr:
        if name.index is None:
            if name.base == "e":  # read, but whether it is Euler's number or a name is not said
                return Opaque("e: Euler's number or a name? (write e^{…} or \\exp(…) for the exponential)")
            if name.base == r"\pi":
                return sp.pi
            if name.base == "I":
                return self._identity()
        return self._resolve(name)

    def _resolve(self, name: _Name) -> sp.Expr:
        value: sp.Expr = self._notation.resolve(name.base, name.index)
        if isinstance(value, sp.IndexedBase):
            self._fail(f"{name.base} is a sequence in the notation: write it with a subscript", name.tok, name)
        if name.index is not None and not isinstance(value, sp.Indexed):
            self._indexed[value] = (name.base, name.index, name.tok, name.end)
        return value

    def _identity(self) -> sp.Expr:
        if any(e.name == ("I", None) for e in self._notation):
            identity: sp.Expr = self._notation.resolve("I")
            return identity
        return Identity()

    def _function_name(self, name: _Name) -> str:
        value = self._resolve(name)
        entry = self._notation.entry_of(value)
        if entry is not None:
            return entry.latex
        if isinstance(value, sp.Symbol):
            return str(value.name)
        return f"{name.base}_{{{sp.latex(name.index)}}}"

    def call(self, c: list[Any]) -> _F:
        name, _, (variables, given, parameters) = c[:3]
        end = _end(c[-1])

        def powered(value: sp.Expr) -> sp.Expr:  # x(a+b)^2: the power is the bracket's
            return self._power(value, c[5], c[4]) if len(c) == 6 else value

        value = self._resolve(name)
        if given is None and (self._is_density(name, value) or self._function_name(name) in self._densities):
            given = []  # q(x_t), q_\phi(z), p(x, z): a density, of the notation or of the block, without a condition
        if given is not None:
            self._densities.add(self._function_name(name))
            density = self._resolve(name)
            if not isinstance(density, sp.Symbol):
                self._fail("a density must be named by a symbol", name.tok, name)
            found = Density(density, variables, given)
            if parameters:  # T_\pi(x_t | x_{t-1}; \beta_t): a family of densities, not one the engine knows
                return _F(powered(Opaque(DENSITY_WITH_PARAMETERS, found, *parameters)), "other", name.tok, end)
            return _F(powered(found), "other", name.tok, end)
        if parameters:  # \mu(x_t, t; \theta): a function of its variables, with parameters
            return _F(powered(sp.Function(self._function_name(name))(*variables, *parameters)), "other", name.tok, end)
        if len(variables) > 1 or not self._known(name, value):
            # C(x_t, x_0); f(x), \mathcal{L}(\theta), \text{SNR}(t): a name the notation does not know
            return _F(powered(sp.Function(self._function_name(name))(*variables)), "other", name.tok, end)
        # \beta_t(1 - \bar{\alpha}_{t-1}): a quantity of the notation times a bracket
        return _F(self._symbol(name) * powered(variables[0]), "product", name.tok, end)

    def _known(self, name: _Name, value: sp.Expr) -> bool:
        """Whether the notation knows the name, or its base: \\beta_{t-1} is a quantity like \\beta_t."""
        return self._notation.entry_of(value) is not None or any(e.name[0] == name.base for e in self._notation)

    def _is_density(self, name: _Name, value: sp.Expr) -> bool:
        r"""Whether the notation names this a density, itself or by its base (q, and so q_\phi)."""
        entry = self._notation.entry_of(value)
        if entry is not None:
            return entry.density
        base = self._notation.entry_of(self._notation.resolve(name.base))
        return base is not None and base.density

    def args(self, c: list[Any]) -> tuple[list[sp.Expr], list[sp.Basic] | None, list[sp.Expr]]:
        """The variables, the condition after a bar (None without one: ``x_0 = a`` in it is
        ``Eq(x_0, a)``), and the parameters after a semicolon."""
        variables: list[sp.Expr] = []
        given: list[sp.Basic] | None = None
        parameters: list[sp.Expr] = []
        part: list[Any] = variables
        valued = False
        for x in c:
            if isinstance(x, Token):
                if x.type == "GIVEN":
                    given = part = []
                elif x.type == "SEMI":
                    part = parameters
                valued = x.type == "EQ"
            elif valued:
                part[-1] = sp.Eq(part[-1], x.expr)
            else:
                part.append(x.expr)
        return variables, given, parameters

    def power(self, c: list[Any]) -> _F:
        name: _Name = c[0]
        exponent: _E = c[2]
        if len(c) == 5:  # x^2_t
            index: _E = c[4]
            name = _Name(name.base, index.expr, name.tok, index.end, name.bold)
        end = _end(c[-1])
        if name.index is None and name.base == "e":
            return _F(sp.exp(exponent.expr), "other", name.tok, end)
        if name.bold and exponent.expr == self._notation.resolve("T"):  # \mathbf{x}^T: of a vector, a transpose
            return _F(Transposed(self._symbol(name)), "other", name.tok, end)
        return _F(self._power(self._symbol(name), exponent, c[1]), "other", name.tok, end)

    def _power(self, base: sp.Expr, exponent: _E, sup: Token) -> sp.Expr:
        e = exponent.expr
        if e == self._notation.resolve("T") and not base.is_number:
            return Opaque("^T: a transpose or the power T?", base)
        if e.is_Number:
            if abs(e) > MAX_EXPONENT:
                self._fail("exponent too large", sup, exponent)
            if base.is_Rational and e > 0 and _digits_of(base) * e > MAX_DIGITS:
                self._fail("number too large", sup, exponent)
        if base.is_zero is True and e.is_negative is True:
            self._fail("division by zero", sup, exponent)
        return sp.Pow(base, e)

    def _scripted(self, c: list[Any], value: sp.Expr, kind: str, close: int) -> _F:
        """``value``, raised to the optional ``^{…}`` at ``c[close + 1:]``."""
        first: Token = c[0]
        if len(c) == close + 1:
            return _F(value, kind, first, _end(c[close]))
        if kind == "braced":
            self._fail("ambiguous: a braced sum {…} raised to a power; use ( )", first, c[-1])
        powered = self._power(value, c[close + 2], c[close + 1])
        return _F(powered, "number" if kind == "number" else "other", first, _end(c[-1]))

    # -- factors

    def number(self, c: list[Any]) -> _F:
        digits: Token = next(x for x in c if isinstance(x, Token) and x.type == "NUMBER")
        value = sp.Rational(str(digits.value)) if "." in digits.value else sp.Integer(str(digits.value))
        if c[0].type == "BOLD":
            return _F(value, "number", c[0], _end(c[-1]))
        return self._scripted(c, value, "number", 0)

    def paren(self, c: list[Any]) -> _F:
        return self._marked_group(c)

    def bracket(self, c: list[Any]) -> _F:
        return self._marked_group(c)

    def _marked_group(self, c: list[Any]) -> _F:
        """``(a)``, ``(a)^2``, ``(a)^\\top``, ``(a)'``."""
        if len(c) > 3 and c[3].type in ("PRIME", "TRANSPOSE"):
            return self._scripted([*c[:3], *c[4:]], self._mark(c[1].expr, c[3], c[0]), "other", 2)
        return self._scripted(c, c[1].expr, "other", 2)

    def setgroup(self, c: list[Any]) -> _F:
        return self._scripted(c, c[1].expr, "other", 2)

    def absval(self, c: list[Any]) -> _F:
        return self._scripted(c, sp.Abs(c[1].expr), "other", 2)

    def norm(self, c: list[Any]) -> _F:
        if len(c) > 3 and isinstance(c[3], Token) and c[3].type == "SUB":  # \|v\|_2
            if c[4].expr != 2:
                self._fail("only the Euclidean norm \\|v\\|_2 is supported", c[3], c[4])
            c = [*c[:3], *c[5:]]
        return self._scripted(c, Norm(c[1].expr), "other", 2)

    def brace(self, c: list[Any]) -> _F:
        inner: _E = c[1]
        return self._scripted(c, inner.expr, "braced" if inner.compound else "other", 2)

    def const(self, c: list[Any]) -> _F:
        return _F(sp.Symbol("const"), "other", c[0], _end(c[0]))

    def infty(self, c: list[Any]) -> _F:
        return _F(sp.oo, "other", c[0], _end(c[0]))

    def euler(self, c: list[Any]) -> _F:
        if len(c) == 1:
            return _F(sp.E, "other", c[0], _end(c[0]))
        return _F(sp.exp(c[2].expr), "other", c[0], _end(c[2]))

    def frac(self, c: list[Any]) -> _F:
        op, numerator, denominator = c
        if denominator.expr.is_zero is True:
            self._fail("division by zero", op, denominator)
        digits = sum(_digits_of(x.expr.as_coeff_Mul()[0]) for x in (numerator, denominator))
        if digits > MAX_DIGITS:
            self._fail("number too large", op, denominator)
        return _F(numerator.expr / denominator.expr, "other", op, denominator.end)

    def sqrt(self, c: list[Any]) -> _F:
        if len(c) == 2:
            return _F(sp.sqrt(c[1].expr), "other", c[0], c[1].end)
        degree: sp.Expr = c[2].expr
        if degree.is_zero is True:
            self._fail("a root of degree zero", c[0], c[3])
        return _F(sp.root(c[4].expr, degree), "other", c[0], c[4].end)

    def gauss(self, c: list[Any]) -> _F:
        if len(c) == 6:  # \mathcal{N}(m, v): a distribution, whose variable the statement may name
            mean, variance, closing = c[2], c[4], c[5]
            scale = self._covariance(variance)
            if scale is None:
                return _F(Opaque(MATRIX_COVARIANCE, mean.expr, variance.expr), "other", c[0], _end(closing))
            return _F(Normal(mean.expr, scale), "other", c[0], _end(closing))
        z, mean, variance, closing = c[2], c[4], c[6], c[7]
        scale = self._covariance(variance)
        if scale is None:
            return _F(Opaque(MATRIX_COVARIANCE, z.expr, mean.expr, variance.expr), "other", c[0], _end(closing))
        return _F(Gaussian(z.expr, mean.expr, scale), "other", c[0], _end(closing))

    def _covariance(self, variance: _E) -> sp.Expr | None:
        """The variance v of a covariance written v I, I or v (read per coordinate); None for a covariance
        matrix \\Sigma, which is not isotropic."""
        value = variance.expr
        scale = self._isotropic(value)
        if scale is not None:
            return scale
        names = [str(s.name) for s in value.free_symbols if isinstance(s, sp.Symbol)]
        names += [f.func.__name__ for f in value.atoms(AppliedUndef)]
        if any(n.startswith(r"\Sigma") for n in names):
            return None
        if value.has(self._identity()):
            self._fail(
                r"the variance of \mathcal{N} must be v or v I (an isotropic covariance)",
                variance.tok,
                variance,
            )
        return value

    def _isotropic(self, variance: sp.Expr) -> sp.Expr | None:
        """v of a covariance written v I (or I), else None."""
        identity = self._identity()
        scale: sp.Expr | None = None
        if variance == identity:
            scale = sp.Integer(1)
        elif isinstance(variance, sp.Mul) and identity in variance.args:
            scale = sp.Mul(*(a for a in variance.args if a != identity))
        return None if scale is None or scale.has(identity) else scale

    def ntuple(self, c: list[Any]) -> _F:
        items = [x.expr for x in c if isinstance(x, _E)]
        return _F(Opaque(f"a tuple of {len(items)}", *items), "other", c[0], _end(c[-1]))

    def func_closed(self, c: list[Any]) -> _F:
        return _F(_apply(c[0].value, c[2].expr), "other", c[0], _end(c[3]))

    def bare(self, c: list[Any]) -> _F:
        func: Token = c[0]
        argument: _F = c[1]
        if argument.kind in ("braced", "product"):
            self._fail(f"ambiguous argument of \\{func.value}: use parentheses", func, argument)
        return _F(_apply(func.value, argument.expr), "bare", func, argument.end)

    def sarg(self, c: list[Any]) -> _E:
        if len(c) == 3:
            inner: _E = c[1]
            return _E(inner.expr, inner.compound, c[0], _end(c[2]))
        tok: Token = c[0]
        if tok.type == "NUMBER":
            return _E(sp.Integer(str(tok.value)), False, tok, _end(tok))
        return _E(self._symbol(_Name(str(tok.value), None, tok, _end(tok))), False, tok, _end(tok))

    # -- subscripts and limits

    def limits(self, c: list[Any]) -> tuple[sp.Symbol, sp.Expr, sp.Expr, str]:
        if c[0].type == "SUB":
            letter, lo, hi = c[2], c[4], c[7]
        else:
            hi, letter, lo = c[1], c[4], c[6]
        return self._index_letter(str(letter.value)), lo.expr, hi.expr, str(letter.value)

    def idx_arg(self, c: list[Any]) -> _E:
        if len(c) == 5:  # x_{1:T}: the variables x_1 to x_T, named together
            first, last = c[1].expr, c[3].expr
            return _E(sp.Symbol(f"{sp.latex(first)}:{sp.latex(last)}"), False, c[0], _end(c[4]))
        if len(c) == 3:
            inner: _E = c[1]
            return _E(inner.expr, False, c[0], _end(c[2]))
        return self._index_term(c)

    def idx(self, c: list[Any]) -> _E:
        # an index expression (t - 1) is a sum like any other
        return _signed_sum(c)

    def iterm(self, c: list[Any]) -> _E:
        return self._index_term(c)

    def _index_term(self, c: list[Any]) -> _E:
        tok: Token = c[0]
        value: sp.Expr
        if tok.type == "NUMBER":
            if "." in tok.value:
                self._fail("an index must be an integer", tok)
            value = sp.Integer(str(tok.value))
            if len(c) == 2:
                value = value * self._index_letter(str(c[1].value))
        elif tok.type == "LETTER":
            value = self._index_letter(str(tok.value))
        elif tok.type == "GREEK":
            value = sp.Symbol(str(tok.value))
        elif tok.type in ("TEXT", "WORD"):
            value = sp.Symbol(rf"\text{{{tok.value}}}")
        elif tok.type == "LABEL":  # L_{VLB}: a label, kept as written
            value = sp.Symbol(str(tok.value))
        elif tok.type == "LPAR":  # t-(k-1)
            value = c[1].expr
        else:
            value = sp.oo
        return _E(value, False, tok, _end(c[-1]))

    def _index_letter(self, letter: str) -> sp.Symbol:
        """A letter in a subscript or a bound: the notation's index of that name, else an integer symbol."""
        found = self._notation.index_symbol(letter)
        return found if found is not None else sp.Symbol(letter, integer=True)


def _apply(function: str, argument: sp.Expr) -> sp.Expr:
    if function in OPAQUE_FUNCTIONS:
        return Opaque(OPAQUE_FUNCTIONS[function], argument)
    return FUNCTIONS[function](argument)


def _densities_named(items: tuple[sp.Basic, ...], relations: tuple[str, ...]) -> tuple[sp.Basic, ...]:
    """``q(x | y) = \\mathcal{N}(m, v)``: the Gaussian is of the density's variable, N(x; m, v)."""
    named = list(items)
    for k, relation in enumerate(relations):
        if relation not in ("=", ":="):
            continue
        for density, other in ((k, k + 1), (k + 1, k)):
            found, normal = applied_density(named[density]), named[other]
            if found is not None and isinstance(normal, Normal):
                named[density], named[other] = found, Gaussian(found.variables[0], *normal.args)
    return tuple(named)


def _variable_of(value: sp.Basic) -> sp.Basic | None:
    """The variable of a density of one variable, or of a Gaussian; else None."""
    if isinstance(value, Gaussian):
        return value.args[0]
    found = applied_density(value)
    return found.variables[0] if found is not None else None


def applied_density(value: sp.Basic) -> Density | None:
    """``q(x | y)``, or ``p(x)`` read as a function, as the density of one variable; else None."""
    if isinstance(value, Density) and len(value.variables) == 1:
        return value
    if isinstance(value, AppliedUndef) and len(value.args) == 1:
        return Density(sp.Symbol(value.func.__name__, real=True), value.args)
    return None


def _append(c: list[Any]) -> list[_F]:
    """A juxtaposition grows left to right: the list so far, then one factor."""
    if len(c) == 1:
        return [c[0]]
    factors: list[_F] = c[0]
    factors.append(c[1])
    return factors


def _inner_name(c: list[Any]) -> _Name:
    """The name under an accent or a bold: ``{name}`` or one token."""
    if isinstance(c[0], Token) and c[0].type == "LBRACE":
        inner: _Name = c[1]
        return inner
    tok: Token = c[0]
    return _Name(str(tok.value), None, tok, _end(tok))


def _digits_of(number: sp.Rational) -> int:
    """About how many decimal digits the larger of numerator and denominator has."""
    size = max(abs(int(number.p)), int(number.q))
    return int(size.bit_length() * math.log10(2)) + 1

"""The LaTeX printer: the author's term order, the seed's notation, derive's objects, and that what is
printed is the object the engine checked."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
import sympy as sp

from derive.derivations import load, names
from derive.engine import Scope, advance
from derive.model import Step
from derive.notation import DDPM
from derive.objects import KL, Bracket, Density, Expectation, Gaussian, Norm, expand_objects
from derive.render.printer import DerivePrinter, latex

POSTERIOR = load("posterior")
STEP_IDS = [step.id for step in POSTERIOR.steps]

x_t, x_tm1, x_0 = DDPM["x_t"], DDPM["x_tm1"], DDPM["x_0"]
z, mu, sigma, q = DDPM["z"], DDPM["mu"], DDPM["sigma"], DDPM["q"]
alpha_t, abar_t, beta_t = DDPM["alpha_t"], DDPM["abar_t"], DDPM["beta_t"]


def tex(expr: sp.Basic) -> str:
    return latex(expr, DDPM)


def side(step_id: str, which: str) -> sp.Expr:
    expr: sp.Expr | None = getattr(POSTERIOR.step(step_id), which)
    assert expr is not None, f"{step_id} has no {which}"
    return expr


def sides(step: Step) -> Iterator[tuple[str, sp.Expr]]:
    if step.lhs is not None:
        yield "lhs", step.lhs
    yield "rhs", step.rhs


def in_order(text: str, fragments: list[str]) -> None:
    """Each fragment occurs in ``text``, each after the end of the one before."""
    position = 0
    for fragment in fragments:
        found = text.find(fragment, position)
        assert found >= 0, f"{fragment!r} not found after position {position} in {text!r}"
        position = found + len(fragment)


# --- the author's term order ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step_id", "which", "fragments"),
    [
        pytest.param(
            "posterior-mean-closed",
            "rhs",
            [r"\frac{\sqrt{\bar{\alpha}_{t-1}} \beta_t}{1 - \bar{\alpha}_t} x_0", " + ", r"\sqrt{\alpha_t}", "x_t"],
            id="mean-closed-x0-term-before-xt-term",
        ),
        pytest.param(
            "log-posterior",
            "rhs",
            [
                r"-\frac{1}{2} \left[",
                r"\frac{\left\|x_t - \sqrt{\alpha_t} x_{t-1}\right\|^{2}}{\beta_t}",
                " + ",
                r"\frac{\left\|x_{t-1} - \sqrt{\bar{\alpha}_{t-1}} x_0\right\|^{2}}{1 - \bar{\alpha}_{t-1}}",
                r"\right]",
            ],
            id="log-posterior-half-times-bracket",
        ),
        pytest.param(
            "bracket-expanded",
            "rhs",
            [
                r"x_t^{2} - 2 \sqrt{\alpha_t} x_t x_{t-1} + \alpha_t x_{t-1}^{2}",
                r"x_{t-1}^{2} - 2 \sqrt{\bar{\alpha}_{t-1}} x_0 x_{t-1} + \bar{\alpha}_{t-1} x_0^{2}",
            ],
            id="bracket-expanded-squares-as-written",
        ),
        pytest.param(
            "bracket-per-coordinate",
            "rhs",
            [
                r"\left(x_t - \sqrt{\alpha_t} x_{t-1}\right)^{2}",
                r"\left(x_{t-1} - \sqrt{\bar{\alpha}_{t-1}} x_0\right)^{2}",
            ],
            id="per-coordinate-differences-as-written",
        ),
        pytest.param(
            "quadratic-coefficient",
            "rhs",
            [r"\frac{\alpha_t}{\beta_t}", " + ", r"\frac{1}{1 - \bar{\alpha}_{t-1}}"],
            id="quadratic-coefficient-terms",
        ),
        pytest.param(
            "linear-coefficient",
            "rhs",
            [
                r"\frac{\sqrt{\alpha_t} x_t}{\beta_t}",
                " + ",
                r"\frac{\sqrt{\bar{\alpha}_{t-1}} x_0}{1 - \bar{\alpha}_{t-1}}",
            ],
            id="linear-coefficient-xt-term-first",
        ),
        pytest.param(
            "posterior-mean-substituted",
            "rhs",
            [
                r"\left(\frac{\sqrt{\alpha_t} x_t}{\beta_t} + ",
                r"\right) \frac{\beta_t \left(1 - \bar{\alpha}_{t-1}\right)}{1 - \bar{\alpha}_t}",
            ],
            id="substituted-B-times-variance",
        ),
        pytest.param(
            "completed-square",
            "rhs",
            [r"\frac{\left(x_{t-1} - \tilde{\mu}_t\right)^{2}}{\tilde{\sigma}_t^{2}}", " + C"],
            id="completed-square-C-last",
        ),
        pytest.param(
            "bayes",
            "rhs",
            [r"\frac{q(x_t | x_{t-1}) q(x_{t-1} | x_0)}{q(x_t | x_0)}"],
            id="bayes-ratio-factor-order",
        ),
        pytest.param("noise-schedule", "rhs", ["1 - \\beta_t"], id="one-minus-beta"),
        pytest.param("cumulative-recursion", "rhs", [r"\alpha_t \bar{\alpha}_{t-1}"], id="recursion-factor-order"),
        pytest.param(
            "quadratic-coefficient-closed",
            "rhs",
            [r"\frac{1 - \bar{\alpha}_t}{\beta_t \left(1 - \bar{\alpha}_{t-1}\right)}"],
            id="closed-A-one-minus-first",
        ),
    ],
)
def test_author_term_order(step_id: str, which: str, fragments: list[str]) -> None:
    in_order(tex(side(step_id, which)), fragments)


@pytest.mark.parametrize(
    ("step_id", "start"),
    [
        pytest.param("log-posterior", r"-\frac{1}{2} \left[", id="log-posterior"),
        pytest.param("gaussian-log-density", r"-\frac{\left\|z - \mu\right\|^{2}}{2 \sigma^{2}}", id="gaussian-log"),
        pytest.param("standard-form-linear", r"-2 \frac{\tilde{\mu}_t}{\tilde{\sigma}_t^{2}}", id="standard-linear"),
    ],
)
def test_leading_minus_is_written_before_the_fraction(step_id: str, start: str) -> None:
    assert tex(side(step_id, "rhs")).startswith(start)


@pytest.mark.parametrize("step_id", STEP_IDS)
def test_no_minus_one_factors_or_parenthesised_negatives(step_id: str) -> None:
    for _, expr in sides(POSTERIOR.step(step_id)):
        printed = tex(expr)
        for bad in (r"\left(-1\right)", "(-1)", r"\left(-2\right)", r"\frac{-", "{- ", "(- ", "+ -", "--"):
            assert bad not in printed, f"{bad!r} in {printed!r}"
        # SymPy's own sign reads "- \frac{1}{2}"; the author's is "-\frac{1}{2}"
        assert not printed.startswith("- "), printed


# --- the seed's notation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step_id", "which", "pieces"),
    [
        pytest.param("cumulative-recursion", "rhs", [r"\bar{\alpha}_{t-1}"], id="abar-t-minus-1"),
        pytest.param("cumulative-recursion", "lhs", [r"\bar{\alpha}_t"], id="abar-t"),
        pytest.param("posterior-mean", "lhs", [r"\tilde{\mu}_t"], id="mu-tilde"),
        pytest.param("posterior-variance", "lhs", [r"\tilde{\sigma}_t^{2}"], id="sigma-tilde-squared"),
        pytest.param("noise-schedule", "rhs", [r"\beta_t"], id="beta-t"),
        pytest.param("noise-schedule", "lhs", [r"\alpha_t"], id="alpha-t"),
        pytest.param("forward-step", "lhs", ["q(x_t | x_{t-1})"], id="forward-density"),
        pytest.param(
            "forward-step", "rhs", [r"\mathcal{N}", "(x_t; ", r"\sqrt{\alpha_t} x_{t-1}", r"\beta_t I"], id="gaussian"
        ),
        pytest.param("forward-marginal-previous", "lhs", ["x_{t-1}", "x_0"], id="x-t-minus-1-and-x-0"),
        pytest.param("bayes", "lhs", ["q(x_{t-1} | x_t, x_0)"], id="posterior-density"),
        pytest.param("log-posterior", "lhs", [r"\log q(x_{t-1} | x_t, x_0)"], id="log-density-without-parens"),
        pytest.param("bracket", "rhs", [r"\left\|x_t - \sqrt{\alpha_t} x_{t-1}\right\|^{2}"], id="norm-squared"),
        pytest.param("cumulative-product", "rhs", [r"\prod_{i=1}^{t}", r"\alpha_i"], id="product"),
    ],
)
def test_seed_notation(step_id: str, which: str, pieces: list[str]) -> None:
    in_order(tex(side(step_id, which)), pieces)


EVERY_STEP = [pytest.param(name, step.id, id=f"{name}/{step.id}") for name in names() for step in load(name).steps]


@pytest.mark.parametrize(("name", "step_id"), EVERY_STEP)
def test_no_sympy_names_leak_into_any_derivation(name: str, step_id: str) -> None:
    for _, expr in sides(load(name).step(step_id)):
        printed = tex(expr)
        for raw in ("abar", "tm1", "_tilde", "operatorname", "Norm", "Gaussian", "Density", "Expectation", "KL{"):
            assert raw not in printed, f"{raw!r} in {printed!r}"


@pytest.mark.parametrize("step_id", STEP_IDS)
def test_no_sympy_names_leak_into_the_latex(step_id: str) -> None:
    for _, expr in sides(POSTERIOR.step(step_id)):
        printed = tex(expr)
        for raw in ("abar", "tm1", "_tilde", "operatorname", "mathrm", "Norm", "Gaussian", "Density", "Bracket"):
            assert raw not in printed, f"{raw!r} in {printed!r}"


def test_symbol_names_setting_overrides_the_notation() -> None:
    with sp.evaluate(False):
        expr = x_t + x_0
    assert latex(expr, DDPM, symbol_names={x_0: r"\mathbf{x}_0"}) == r"x_t + \mathbf{x}_0"
    assert DerivePrinter(DDPM).doprint(x_tm1) == "x_{t-1}"


# --- the printed form is the checked object ---------------------------------------------------------


def _scopes() -> dict[str, Scope]:
    """The scope after each step: a definition's name then has its value."""
    after: dict[str, Scope] = {}
    scope = Scope(POSTERIOR.notation)
    for step in POSTERIOR.steps:
        scope = advance(scope, step)
        after[step.id] = scope
    return after


SCOPES = _scopes()
LEAVES = (sp.Symbol, sp.Indexed, Density, sp.Product)


def as_written(expr: sp.Basic, scope: Scope, point: dict[sp.Symbol, sp.Expr]) -> sp.Expr:
    """The display tree's value computed leaves first: each name replaced by its value at ``point``,
    then every node of the tree evaluated in the order the author wrote it."""
    if isinstance(expr, LEAVES):
        return scope.expand(expr).expr.xreplace(point)
    if not expr.args:
        return expr
    return expr.func(*(as_written(arg, scope, point) for arg in expr.args))


def leaves(expr: sp.Basic) -> Iterator[sp.Basic]:
    if isinstance(expr, LEAVES):
        yield expr
        return
    for arg in expr.args:
        yield from leaves(arg)


def sample(symbols: set[sp.Symbol], rng: random.Random) -> dict[sp.Symbol, sp.Expr]:
    point: dict[sp.Symbol, sp.Expr] = {}
    for symbol in sorted(symbols, key=str):
        domain = DDPM.domains.get(symbol)
        if domain is not None and domain.lo is not None and domain.hi is not None:
            point[symbol] = domain.lo + (domain.hi - domain.lo) * sp.Rational(rng.randint(1, 99), 100)
        elif symbol.is_positive:
            point[symbol] = sp.Rational(rng.randint(1, 300), 100)
        else:
            point[symbol] = sp.Rational(rng.randint(-300, 300), 100)
    return point


@pytest.mark.parametrize("step_id", STEP_IDS)
def test_display_tree_equals_its_evaluated_form(step_id: str) -> None:
    """Numerically, at random rational points: the tree as written (leaves first) against the
    engine's input, ``Scope.expand`` of the evaluated ``.doit()`` form (symbolic first)."""
    step, scope = POSTERIOR.step(step_id), SCOPES[step_id]
    rng = random.Random(step_id)
    for which, expr in sides(step):
        evaluated = scope.expand(sp.sympify(expr).doit()).expr
        symbols = set(evaluated.free_symbols).union(*(scope.expand(leaf).expr.free_symbols for leaf in leaves(expr)))
        for _ in range(3):
            point = sample(symbols, rng)
            written = expand_objects(as_written(expr, scope, point)).evalf(50)
            checked = evaluated.xreplace(point).evalf(50)
            assert written.is_number, f"{step_id} {which}: not a number as written: {written}"
            assert checked.is_number, f"{step_id} {which}: not a number evaluated: {checked}"
            assert abs(written - checked) <= sp.Float("1e-30") * (1 + abs(checked)), (
                f"{step_id} {which} at {point}: as written {written}, evaluated {checked}"
            )


def _flat_terms(expr: sp.Add) -> list[sp.Expr]:
    terms: list[sp.Expr] = []
    for arg in expr.args:
        terms.extend(_flat_terms(arg) if isinstance(arg, sp.Add) else [arg])
    return terms


def _is_reciprocal(factor: sp.Expr) -> bool:
    return isinstance(factor, sp.Pow) and factor.exp.is_Number and factor.exp < 0


def top_level_terms(expr: sp.Expr) -> list[sp.Expr]:
    """The root's arguments in the order the tree holds them, as the reader should meet them.

    A sum's terms (nested binary sums flattened); a product's factors, the denominator's after the
    numerator's, as a fraction shows them; a power's base; a function's or density's arguments.
    """
    if isinstance(expr, sp.Add):
        return _flat_terms(expr)
    if isinstance(expr, Bracket):
        return top_level_terms(expr.args[0])
    if isinstance(expr, sp.Mul):
        numerator = [f for f in expr.args if not _is_reciprocal(f) and f not in (sp.S.One, sp.S.NegativeOne)]
        denominator = [f.base if f.exp == -1 else f.base ** (-f.exp) for f in expr.args if _is_reciprocal(f)]
        return numerator + denominator
    if isinstance(expr, sp.Pow):
        return [expr.base]
    if isinstance(expr, Density):
        return [expr.name, *expr.variables, *expr.given]
    if isinstance(expr, sp.Function):
        return list(expr.args)
    return []


def shown(term: sp.Expr) -> str:
    """A term's LaTeX as it appears inside a larger expression: a leading minus becomes the operator."""
    printed = tex(term)
    return printed[1:].lstrip() if printed.startswith("-") else printed


# every side that is not a single symbol or number has terms to check, except the product
WITHOUT_TERMS = {("cumulative-product", "rhs")}


@pytest.mark.parametrize("step_id", STEP_IDS)
def test_printing_keeps_the_top_level_terms_in_tree_order(step_id: str) -> None:
    for which, expr in sides(POSTERIOR.step(step_id)):
        terms = top_level_terms(expr)
        if not terms:
            assert expr.is_Atom or (step_id, which) in WITHOUT_TERMS, f"{step_id} {which}: no terms in {expr}"
            continue
        in_order(tex(expr), [shown(term) for term in terms])


# --- derive's objects -----------------------------------------------------------------------------

with sp.evaluate(False):
    OBJECTS = [
        pytest.param(Norm(z - mu), r"\left\|z - \mu\right\|", id="norm"),
        pytest.param(Norm(z - mu) ** 2, r"\left\|z - \mu\right\|^{2}", id="norm-squared"),
        pytest.param(Gaussian(z, mu, sigma**2), r"\mathcal{N}(z; \mu, \sigma^{2} I)", id="gaussian"),
        pytest.param(
            Gaussian(x_t, sp.sqrt(abar_t) * x_0, 1 - abar_t),
            r"\mathcal{N}(x_t; \sqrt{\bar{\alpha}_t} x_0, \left(1 - \bar{\alpha}_t\right) I)",
            id="gaussian-sum-variance-in-parentheses",
        ),
        pytest.param(Gaussian(z, mu, beta_t) ** 2, r"\mathcal{N}(z; \mu, \beta_t I)^{2}", id="gaussian-squared"),
        pytest.param(Density(q, [x_0]), "q(x_0)", id="density-unconditional"),
        pytest.param(Density(q, [x_t], [x_tm1]), "q(x_t | x_{t-1})", id="density-conditional"),
        pytest.param(Density(q, [x_tm1], [x_t, x_0]), "q(x_{t-1} | x_t, x_0)", id="density-two-givens"),
        pytest.param(Density(q, [x_t, x_0]), "q(x_t, x_0)", id="density-joint"),
        pytest.param(Density(q, [x_0]) ** 2, "q(x_0)^{2}", id="density-squared"),
        pytest.param(Bracket(x_t + x_0), r"\left[x_t + x_0\right]", id="bracket"),
        pytest.param(
            -sp.Rational(1, 2) * Bracket(x_t + x_0), r"-\frac{1}{2} \left[x_t + x_0\right]", id="half-bracket"
        ),
        pytest.param(sp.log(Density(q, [x_t], [x_0])), r"\log q(x_t | x_0)", id="log-density"),
        pytest.param(sp.log(Density(q, [x_0])), r"\log q(x_0)", id="log-density-unconditional"),
        pytest.param(sp.log(Gaussian(z, mu, sigma**2)), r"\log \mathcal{N}(z; \mu, \sigma^{2} I)", id="log-gaussian"),
        pytest.param(sp.log(Density(q, [x_0])) ** 2, r"\left(\log q(x_0)\right)^{2}", id="log-density-squared"),
        pytest.param(sp.log(sigma), r"\log{\left(\sigma \right)}", id="log-of-a-symbol-as-sympy-prints-it"),
        pytest.param(-(x_t + x_0), r"-\left(x_t + x_0\right)", id="negated-sum-in-parentheses"),
        pytest.param(x_t - (x_0 - mu), r"x_t - \left(x_0 - \mu\right)", id="subtracted-sum-in-parentheses"),
        pytest.param(x_t + sp.Rational(-1, 2) * x_0, r"x_t - \frac{1}{2} x_0", id="negative-rational-term"),
        pytest.param(-2 * mu / sigma**2, r"-\frac{2 \mu}{\sigma^{2}}", id="negative-fraction"),
        pytest.param(
            KL(Density(q, [x_tm1], [x_t, x_0]), Gaussian(x_tm1, mu, sigma**2)),
            r"D_{\mathrm{KL}}\left(q(x_{t-1} | x_t, x_0) \,\middle\|\, \mathcal{N}(x_{t-1}; \mu, \sigma^{2} I)\right)",
            id="kl",
        ),
        pytest.param(
            Expectation(z**2, z, mu, 1 - abar_t),
            r"\mathbb{E}_{z \sim \mathcal{N}(\mu, \left(1 - \bar{\alpha}_t\right))}\left[z^{2}\right]",
            id="expectation-sum-variance-in-parentheses",
        ),
        pytest.param(
            sp.Derivative(sp.log(Density(q, [x_t], [x_0])), x_t), r"\nabla_{x_t} \log q(x_t | x_0)", id="score-as-nabla"
        ),
        pytest.param(sp.Derivative(x_t**2, x_t), r"\frac{d}{d x_t} x_t^{2}", id="other-derivatives-as-sympy-prints"),
    ]


@pytest.mark.parametrize(("expr", "expected"), OBJECTS)
def test_objects(expr: sp.Basic, expected: str) -> None:
    assert tex(expr) == expected


# --- known printer bugs: the printed form reads as a different expression ------------------------

with sp.evaluate(False):
    MISREAD = [
        pytest.param(
            sp.Rational(1, 2) * (x_t + x_0),
            r"\frac{1}{2} \left(x_t + x_0\right)",
            id="half-times-sum-loses-parentheses",
        ),
        pytest.param(
            sp.Rational(1, 2) * (x_t + x_0) * mu,
            r"\frac{1}{2} \left(x_t + x_0\right) \mu",
            id="half-times-sum-times-symbol-loses-parentheses",
        ),
        pytest.param(sp.Mul(-1, -1), r"-\left(-1\right)", id="minus-minus-one-prints-double-minus"),
    ]


@pytest.mark.parametrize(("expr", "expected"), MISREAD)
def test_printed_form_reads_as_the_tree(expr: sp.Basic, expected: str) -> None:
    assert tex(expr) == expected

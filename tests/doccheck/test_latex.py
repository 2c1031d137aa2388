"""The strict LaTeX reader of check-doc: what each construct means, and what it refuses to guess."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
import sympy as sp
from lark import Tree

from derive.doccheck.latex import Row, Statement, UnhandledRuleError, _Lexer, _Reader, parse_math
from derive.exceptions import ParseError
from derive.notation import DDPM
from derive.objects import KL, Density, Expectation, Gaussian, Norm
from tests.seed import seed_path

FIXTURE = Path(__file__).parent / "fixtures" / "posterior_mean.md"
#: seconds: a bound on parsing that only a blow-up can reach, never a slow or loaded machine
GENEROUS = 60.0

t, i = DDPM["t"], DDPM["i"]
x_t, x_tm1, x_0 = DDPM["x_t"], DDPM["x_tm1"], DDPM["x_0"]
alpha, alpha_t, beta_t = DDPM["alpha"], DDPM["alpha_t"], DDPM["beta_t"]
abar_t, abar_tm1 = DDPM["abar_t"], DDPM["abar_tm1"]
mu_tilde, sigma_tilde = DDPM["mu_tilde"], DDPM["sigma_tilde"]
z, mu, sigma, q = DDPM["z"], DDPM["mu"], DDPM["sigma"], DDPM["q"]
A, B, C = DDPM["A"], DDPM["B"], DDPM["C"]
a, b, c, d, x, y, D = (DDPM.resolve(n) for n in "abcdxyD")
j, T = sp.Symbol("j", integer=True), sp.Symbol("T", integer=True)
IDENTITY = sp.Symbol("I")


def rows(text: str, **where: int) -> tuple[Row, ...]:
    return parse_math(text, DDPM, file="doc.md", **where)


def statement(text: str) -> Statement:
    (row,) = rows(text)
    (only,) = row.statements
    return only


def read(text: str) -> sp.Basic:
    """The one expression a block holds."""
    found = statement(text)
    assert found.relations == ()
    (item,) = found.items
    return item


def case(text: str, expected: object, name: str | None = None) -> object:
    return pytest.param(text, expected, id=name or text)


# -- names ------------------------------------------------------------------------------------------

NAMES = [
    case("x", x),
    case("A", A, "capital A is the notation's A"),
    case("a", a, "small a is another symbol"),
    case("x_t", x_t),
    case("x_{t}", x_t),
    case("x_{t-1}", x_tm1),
    case("x_{t - 1}", x_tm1, "spaces in a subscript"),
    case("x_0", x_0),
    case(r"\bar{\alpha}_t", abar_t),
    case(r"\bar\alpha_t", abar_t),
    case(r"\overline{\alpha}_t", abar_t),
    case(r"\bar{\alpha_t}", abar_t, "subscript under the bar"),
    case(r"\bar{\alpha}_{t-1}", abar_tm1),
    case(r"\tilde{\mu}_t", mu_tilde),
    case(r"\widetilde{\mu}_t", mu_tilde),
    case(r"\tilde\mu_t", mu_tilde),
    case(r"\hat{x}", sp.Symbol(r"\hat{x}", real=True)),
    case(r"\hat x", sp.Symbol(r"\hat{x}", real=True)),
    case(r"\widehat{x}", sp.Symbol(r"\hat{x}", real=True)),
    case(r"\hat{\bar{x}}", sp.Symbol(r"\hat{\bar{x}}", real=True), "two accents"),
    case(r"\mathbf{x}_t", x_t, "bold is the same symbol"),
    case(r"\boldsymbol{x}_t", x_t),
    case(r"\bm{x}_t", x_t),
    case(r"\mathbf{x_t}", x_t),
    case(r"\bar{\mathbf{x}}", sp.Symbol(r"\bar{x}", real=True)),
    case(r"\boldsymbol{\epsilon}", DDPM["epsilon"], "the notation's noise, in bold"),
    case(r"\varepsilon", sp.Symbol(r"\varepsilon", real=True)),
    case(r"\Sigma", sp.Symbol(r"\Sigma", real=True)),
    case(r"\mathcal{L}", sp.Symbol(r"\mathcal{L}", real=True)),
    case(r"\alpha_t", alpha_t),
    case(r"\alpha_i", alpha[i], "a term of the notation's sequence"),
    case(r"\alpha_{2t+1}", alpha[2 * t + 1]),
    case("x_j", DDPM.resolve("x", j), "other index letters are integers"),
    case("x_T", DDPM.resolve("x", T)),
    # the notation's entry, whose subscript is part of its name
    case(r"p_\theta", DDPM["p_theta"]),
    case(r"p_{\theta}", DDPM["p_theta"]),
    case(r"p_{\text{data}}", DDPM.resolve("p", sp.Symbol(r"\text{data}"))),
    case(r"\tilde{\sigma}_t^2", sigma_tilde**2),
    case("x_{t-1}^2", x_tm1**2),
    case("x^2_t", x_t**2, "superscript before subscript"),
    case(r"\pi", sp.pi),
    case(r"\pi_\theta", sp.Symbol(r"\pi_{\theta}", real=True), "a subscripted pi is a name"),
    case("e_1", sp.Symbol("e_1", real=True), "a subscripted e is a name"),
    case("I", IDENTITY),
    case("e^{x}", sp.exp(x)),
    case("e^x", sp.exp(x)),
    case(r"\mathrm{e}^{x}", sp.exp(x)),
    case(r"\mathrm{e}", sp.E),
    case(r"\text{const}", sp.Symbol("const")),
    case(r"\mathrm{const}", sp.Symbol("const")),
    case(r"\infty", sp.oo),
]


@pytest.mark.parametrize(("text", "expected"), NAMES)
def test_names(text: str, expected: sp.Basic) -> None:
    assert read(text) == expected


def test_names_keep_their_case() -> None:
    assert read("A a") == A * a
    assert read("A") != read("a")
    assert read("S s") == DDPM["S"] * DDPM.resolve("s")


# -- numbers and arithmetic -------------------------------------------------------------------------

ARITHMETIC = [
    case("0.02", sp.Rational(1, 50), "decimals are exact"),
    case("1.5x", sp.Rational(3, 2) * x),
    case("2x", 2 * x),
    case("10^{-3}", sp.Rational(1, 1000)),
    case(r"\mathbf{0}", sp.Integer(0)),
    case(r"\frac12", sp.Rational(1, 2), "frac of two digits"),
    case(r"\frac{1}{2}x", x / 2),
    case(r"\frac a b c", a * c / b, "one-token arguments, as in TeX"),
    case(r"\dfrac{a}{b}", a / b),
    case(r"\tfrac{a}{b}", a / b),
    case(r"\frac{a}{b}\frac{c}{d}", a * c / (b * d)),
    case(r"\sqrt{x}", sp.sqrt(x)),
    case(r"\sqrt2", sp.sqrt(2)),
    case(r"\sqrt x y", sp.sqrt(x) * y),
    case(r"\sqrt[3]{x}", sp.root(x, 3)),
    case("x^{1/2}", sp.sqrt(x)),
    case("x^{-1}", 1 / x),
    case(r"a \cdot b", a * b),
    case(r"a \times b", a * b),
    case("a b c", a * b * c),
    case("a/b", a / b),
    case(r"a/b \cdot c", a * c / b),
    case("-a", -a),
    case("-a b", -a * b),
    case("a - b + c", a - b + c),
    case("a - (b + c)", a - b - c),
    case("-x^2", -(x**2)),
    case(r"-\frac{1}{2} x", -x / 2),
    case(r"2\sqrt{\alpha_t}x_t x_{t-1}", 2 * sp.sqrt(alpha_t) * x_t * x_tm1),
    case("(a+b)^2", (a + b) ** 2),
    case("(a+b)(c+d)", (a + b) * (c + d)),
    case("2(a+b)", 2 * (a + b)),
    case(r"\frac{1}{2}(a+b)", (a + b) / 2),
    case(r"x^{10^{2}}", x**100, "a nested power within bounds"),
    case(r"\frac{1}{\sqrt{2\pi\sigma^2}}", 1 / sp.sqrt(2 * sp.pi * sigma**2)),
]


@pytest.mark.parametrize(("text", "expected"), ARITHMETIC)
def test_arithmetic(text: str, expected: sp.Basic) -> None:
    assert read(text) == expected


# -- brackets ---------------------------------------------------------------------------------------

BRACKETS = [
    case(r"\left( a + b \right) c", (a + b) * c),
    case(r"[a + b] c", (a + b) * c),
    case(r"\left[ a + b \right]^2", (a + b) ** 2),
    case(r"\{ a + b \} c", (a + b) * c),
    case(r"\left\{ a + b \right\} c", (a + b) * c),
    case(r"\big( a + b \big) c", (a + b) * c),
    case(r"\Big( a + b \Big) c", (a + b) * c),
    case(r"\bigg( a + b \bigg) c", (a + b) * c),
    case(r"\Bigg[ a + b \Bigg] c", (a + b) * c),
    case(r"\bigl( a + b \bigr) c", (a + b) * c),
    case(r"\Bigl[ a + b \Bigr] c", (a + b) * c),
    case("{a + b} + c", a + b + c, "a braced sum alone is transparent"),
    case("{a} b", a * b),
    case("|x|", sp.Abs(x)),
    case(r"\vert x \vert", sp.Abs(x)),
    case(r"\left| x \right|", sp.Abs(x)),
    case(r"\lvert x \rvert", sp.Abs(x)),
    case(r"\big| x \big|", sp.Abs(x)),
    case("|x| |y|", sp.Abs(x) * sp.Abs(y)),
    case(r"\|v\|", Norm(DDPM.resolve("v"))),
    case(r"\left\| v \right\|", Norm(DDPM.resolve("v"))),
    case(r"\Vert v \Vert", Norm(DDPM.resolve("v"))),
    case(r"\lVert v \rVert", Norm(DDPM.resolve("v"))),
    case(r"\|z - \mu\|^2", Norm(z - mu) ** 2),
    case(r"\|v\|_2^2", Norm(DDPM.resolve("v")) ** 2, "the Euclidean norm's subscript"),
    case(r"\| |x| \|", Norm(sp.Abs(x)), "an absolute value inside a norm"),
]


@pytest.mark.parametrize(("text", "expected"), BRACKETS)
def test_brackets(text: str, expected: sp.Basic) -> None:
    assert read(text) == expected


# -- functions and big operators ----------------------------------------------------------------------

OPERATORS = [
    case(r"\log x", sp.log(x)),
    case(r"\log(x)", sp.log(x)),
    case(r"\ln x", sp.log(x)),
    case(r"\log \log x", sp.log(sp.log(x))),
    case(r"\log x^2", sp.log(x**2), "the argument is the whole power"),
    case(r"2\log x + 1", 2 * sp.log(x) + 1),
    case(r"\log x \cdot y", sp.log(x) * y),
    case(r"\log(x) y", sp.log(x) * y),
    case(r"\log q(x_t|x_0)", sp.log(Density(q, [x_t], [x_0]))),
    case(r"\log \left( a + b \right)", sp.log(a + b)),
    case(r"\exp(x)", sp.exp(x)),
    case(r"\exp x", sp.exp(x)),
    case(r"\exp\left[ -\frac{x^2}{2} \right]", sp.exp(-(x**2) / 2)),
    case(r"\exp\{x\}", sp.exp(x)),
    case(r"\prod_{i=1}^t \alpha_i", sp.Product(alpha[i], (i, 1, t))),
    case(r"\prod^{t}_{i=1} \alpha_i", sp.Product(alpha[i], (i, 1, t)), "limits in the other order"),
    case(r"\sum_{i=1}^{t} \alpha_i x", sp.Sum(alpha[i] * x, (i, 1, t)), "the summand is the product"),
    case(r"\sum_{i=1}^{t} \alpha_i \cdot x + 1", sp.Sum(alpha[i] * x, (i, 1, t)) + 1, "up to the next +"),
    case(r"2 \sum_{i=1}^{t} \alpha_i", 2 * sp.Sum(alpha[i], (i, 1, t))),
    case(r"\sum_{j=1}^{T} j", sp.Sum(j, (j, 1, T)), "the index letter in the summand is the index"),
    case(r"\prod_{t=1}^{T} \alpha_t", sp.Product(alpha[t], (t, 1, T)), "alpha_t under a product over t"),
    case(r"\sum_{i=1}^{\infty} x", sp.Sum(x, (i, 1, sp.oo))),
    case(r"\log \prod_{i=1}^t \alpha_i", sp.log(sp.Product(alpha[i], (i, 1, t)))),
    case(r"\lim_{x \to 0} x", sp.Limit(x, x, 0, "+-"), "a limit is two-sided"),
    case(r"\lim_{\bar{\alpha}_{t-1} \to 1} \tilde{\mu}_t", sp.Limit(mu_tilde, abar_tm1, 1, "+-")),
    case(r"\lim_{\bar{\alpha}_{t-1} \to 1^-} \tilde{\mu}_t", sp.Limit(mu_tilde, abar_tm1, 1, "-"), "from below"),
    case(r"\lim_{x \to 0^{+}} x", sp.Limit(x, x, 0, "+"), "from above"),
]


@pytest.mark.parametrize(("text", "expected"), OPERATORS)
def test_operators(text: str, expected: sp.Basic) -> None:
    assert read(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        case(r"\sum_{j=1}^{3} j^2", 14),
        case(r"\prod_{i=1}^{3} \alpha_i", alpha[1] * alpha[2] * alpha[3]),
        case(r"\sum_{i=1}^{t} 1", t),
    ],
)
def test_big_operators_stay_unevaluated_until_doit(text: str, expected: sp.Basic) -> None:
    found = read(text)
    assert isinstance(found, (sp.Sum, sp.Product))
    assert found.doit() == expected


# -- derivatives, expectations, divergences ------------------------------------------------------------

score = sp.log(Density(q, [x_t], [x_0]))
q_posterior, p_theta = Density(q, [x_tm1], [x_t, x_0]), Density(DDPM["p_theta"], [x_tm1], [x_t])
m, v, s2 = DDPM.resolve("m"), DDPM.resolve("v"), DDPM.resolve(r"\sigma") ** 2
epsilon = DDPM["epsilon"]

CALCULUS = [
    # \nabla_x applies to the rest of the product term, up to the next + or -, as \sum does
    case(r"\nabla_{x_t} \log q(x_t | x_0)", sp.Derivative(score, x_t), "score"),
    case(r"\nabla_{\mathbf{x}_t} \log q(x_t | x_0)", sp.Derivative(score, x_t), "score-bold-variable"),
    case(r"\nabla_x x^2", sp.Derivative(x**2, x), "gradient-one-letter-subscript"),
    case(r"\nabla_x a x + b", sp.Derivative(a * x, x) + b, "gradient-takes-the-product-not-the-sum"),
    case(r"\nabla_x a x \cdot b", sp.Derivative(a * x * b, x), "gradient-takes-cdot-factors-too"),
    case(r"\nabla_x (a x + b)", sp.Derivative(a * x + b, x), "gradient-of-a-bracketed-sum"),
    case(r"-2 \nabla_x x^2", -2 * sp.Derivative(x**2, x), "factors-before-the-gradient-stay-outside"),
    case(r"\nabla_x \nabla_x x^3", sp.Derivative(sp.Derivative(x**3, x), x), "second-gradient"),
    case(r"\frac{\partial}{\partial x_t} \log q(x_t | x_0)", sp.Derivative(score, x_t), "partial-operator"),
    case(r"\frac{\partial}{\partial x} a x + b", sp.Derivative(a * x, x) + b, "partial-operator-takes-the-product"),
    case(r"\frac{\partial \log q(x_t | x_0)}{\partial x_t}", sp.Derivative(score, x_t), "partial-quotient"),
    case(r"\frac{\partial x^2}{\partial x} y", sp.Derivative(x**2, x) * y, "partial-quotient-is-one-factor"),
    case(r"\frac{\partial (a + x)}{\partial x}", sp.Derivative(a + x, x), "partial-quotient-of-a-sum"),
]


@pytest.mark.parametrize(("text", "expected"), CALCULUS)
def test_derivatives(text: str, expected: sp.Basic) -> None:
    assert read(text) == expected


EXPECTATIONS = [
    case(r"\mathbb{E}_{x \sim \mathcal{N}(\mu, \sigma^2)}\left[x^2\right]", Expectation(x**2, x, mu, s2), "left-right"),
    case(r"\mathbb{E}_{z \sim \mathcal{N}(0, 1)}[z]", Expectation(z, z, 0, 1), "plain-brackets"),
    case(r"\mathbb{E}_{x \sim \mathcal{N}(m, v I)}[x]", Expectation(x, x, m, v), "variance-v-I"),
    case(r"\mathbb{E}_{x \sim \mathcal{N}(m, v \mathbf{I})}[x]", Expectation(x, x, m, v), "variance-v-bold-I"),
    case(r"\mathbb{E}_{\epsilon \sim \mathcal{N}(0, I)}[\epsilon^2]", Expectation(epsilon**2, epsilon, 0, 1), "unit"),
    case(
        r"\mathbb{E}_{x \sim \mathcal{N}(m, v)}\big[(x - a)^2\big] + 1",
        Expectation((x - a) ** 2, x, m, v) + 1,
        "sized-brackets-and-what-follows",
    ),
    case(r"2\mathbb{E}_{x \sim \mathcal{N}(m, v)}[x] y", 2 * Expectation(x, x, m, v) * y, "a-factor-among-others"),
]


@pytest.mark.parametrize(("text", "expected"), EXPECTATIONS)
def test_expectations(text: str, expected: sp.Basic) -> None:
    assert read(text) == expected


DIVERGENCES = [
    case(
        r"D_{\mathrm{KL}}\left(q(x_{t-1} | x_t, x_0) \,\middle\|\, p_\theta(x_{t-1} | x_t)\right)",
        KL(q_posterior, p_theta),
        "mathrm-middle",
    ),
    case(r"D_{KL}(q(x_{t-1} | x_t, x_0) \| p_\theta(x_{t-1} | x_t))", KL(q_posterior, p_theta), "letters-KL"),
    case(r"D_{\text{KL}}(q(x_{t-1}|x_t, x_0) \,\|\, p_\theta(x_{t-1}|x_t))", KL(q_posterior, p_theta), "text-KL"),
    case(r"D_\mathrm{KL}(q(x_{t-1}|x_t, x_0) \| p_\theta(x_{t-1}|x_t))", KL(q_posterior, p_theta), "unbraced"),
    case(r"\mathrm{KL}(q(x_{t-1}|x_t, x_0) \| p_\theta(x_{t-1}|x_t))", KL(q_posterior, p_theta), "mathrm-KL"),
    case(r"\operatorname{KL}(q(x_{t-1}|x_t,x_0)\|p_\theta(x_{t-1}|x_t))", KL(q_posterior, p_theta), "operatorname"),
    case(r"D_{KL}\big(q(x_{t-1}|x_t, x_0) \big\| p_\theta(x_{t-1}|x_t)\big)", KL(q_posterior, p_theta), "big"),
    case(
        r"D_{\mathrm{KL}}\left(\mathcal{N}(x; \mu_1, \sigma_1^2 I) \,\middle\|\, "
        r"\mathcal{N}(x; \mu_2, \sigma_2^2 I)\right)",
        KL(
            Gaussian(x, DDPM.resolve(r"\mu", 1), DDPM.resolve(r"\sigma", 1) ** 2),
            Gaussian(x, DDPM.resolve(r"\mu", 2), DDPM.resolve(r"\sigma", 2) ** 2),
        ),
        "two-gaussians",
    ),
    case(
        r"D_{KL}(q(x_{t-1}|x_t, x_0) \| \mathcal{N}(x_{t-1}; \|a\| \mu, \sigma^2 I))",
        KL(q_posterior, Gaussian(x_tm1, Norm(a) * mu, s2)),
        "a-norm-inside-is-still-a-norm",
    ),
]


@pytest.mark.parametrize(("text", "expected"), DIVERGENCES)
def test_divergences(text: str, expected: sp.Basic) -> None:
    assert read(text) == expected


DISTRIBUTIONS = [
    case(r"x \sim \mathcal{N}(m, v)", [(("sim",), (x, sp.Tuple(m, v)))], "gaussian"),
    case(r"\epsilon \sim \mathcal{N}(0, I)", [(("sim",), (epsilon, sp.Tuple(0, 1)))], "standard-normal"),
    case(r"x_0 \sim \mathcal{N}(\mu, \sigma^2 I)", [(("sim",), (x_0, sp.Tuple(mu, s2)))], "variance-v-I"),
    case(
        r"x = a + b \epsilon, \quad \epsilon \sim \mathcal{N}(0, I)",
        [(("=",), (x, a + b * epsilon)), (("sim",), (epsilon, sp.Tuple(0, 1)))],
        "after-an-equation",
    ),
]


@pytest.mark.parametrize(("text", "expected"), DISTRIBUTIONS)
def test_distributions_are_statements(text: str, expected: list[tuple[tuple[str, ...], tuple[sp.Basic, ...]]]) -> None:
    (row,) = rows(text)
    assert [(s.relations, s.items) for s in row.statements] == expected


EXPECTATION_FORM = r"an expectation needs its distribution: \\mathbb\{E\}_\{x \\sim \\mathcal\{N\}"
#: (text, message, column, the text the error names)
OPERATOR_ERRORS = [
    pytest.param(r"y = \mathbb{E}[x]", EXPECTATION_FORM, 5, r"\mathbb{E}[", id="expectation-without-subscript"),
    pytest.param(r"\mathbb{E}", EXPECTATION_FORM, 1, r"\mathbb{E}", id="expectation-alone"),
    pytest.param(r"\mathbb{E}_x[x]", EXPECTATION_FORM, 1, r"\mathbb{E}_x", id="expectation-over-a-name"),
    pytest.param(r"\mathbb{E}_{x}[x]", EXPECTATION_FORM, 1, r"\mathbb{E}_{x}", id="expectation-without-sim"),
    pytest.param(
        r"\mathbb{E}_{x \sim q(x)}[x]", EXPECTATION_FORM, 1, r"\mathbb{E}_{x \sim q", id="expectation-not-gaussian"
    ),
    pytest.param(
        r"\mathbb{E}_{x \sim \mathcal{N}(x; m, v I)}[x]",
        EXPECTATION_FORM,
        1,
        r"\mathbb{E}_{x \sim \mathcal{N}(x;",
        id="expectation-over-a-density",
    ),
    pytest.param(
        r"a + \mathbb{E}_{x \sim \mathcal{N}(m, v)} x",
        "an expectation takes its argument in brackets",
        5,
        r"\mathbb{E}_{x \sim \mathcal{N}(m, v)} x",
        id="expectation-without-brackets",
    ),
    pytest.param(
        r"\mathbb{E}_{x \sim \mathcal{N}(m, v)}[a + + b]", "unexpected", 43, "+", id="error-inside-an-expectation"
    ),
    pytest.param(
        r"\mathbb{E}_{x \sim \mathcal{N}(m, v I + I)}[x]", "must be v or v I", 35, "v I + I", id="not-isotropic"
    ),
    pytest.param(
        r"\mathbb{P}_{x \sim \mathcal{N}(0, 1)}[x]",
        "an expectation is written",
        1,
        r"\mathbb{P}_{x \sim \mathcal{N}(0, 1)}[x]",
        id="P-is-not-an-expectation",
    ),
    pytest.param(
        r"\mathbb{E}_{x^2 \sim \mathcal{N}(0, 1)}[x]", EXPECTATION_FORM, 1, r"\mathbb{E}_{x^", id="variable-a-power"
    ),
    pytest.param(r"\nabla x", r"\\nabla needs its variable", 1, r"\nabla x", id="gradient-without-variable"),
    pytest.param(r"\nabla_{2} x", "unexpected", 9, "2", id="gradient-in-a-number"),
    pytest.param(r"\partial x", r"\\partial outside", 1, r"\partial", id="partial-alone"),
    pytest.param(r"\frac{\partial}{x} y", "unexpected", 17, "x", id="partial-over-no-partial"),
    pytest.param(r"\frac{\partial^2 f}{\partial x^2}", "unexpected", 15, "^", id="second-partial"),
    pytest.param(r"f\left(a \middle\| b\right)", "belongs in a divergence", 10, r"\middle\|", id="middle-outside"),
    pytest.param(r"D_{\mathrm{KLX}}(q(x|y) \middle\| q(y))", "belongs in a divergence", 25, r"\middle\|", id="not-KL"),
    pytest.param(r"D_{KL}(a \| b)", "a divergence is of two densities", 8, "a", id="divergence-of-symbols"),
    pytest.param(r"\mathrm{KL}(q(x|y), q(y))", "unexpected", 19, ",", id="divergence-with-a-comma"),
    pytest.param(r"x \sim q(x)", r"after \\sim, a distribution", 3, r"\sim q", id="sim-not-gaussian"),
    pytest.param(r"a = x \sim \mathcal{N}(0, 1)", r"\\sim outside", 7, r"\sim", id="sim-in-a-chain"),
    pytest.param(r"x \sim \mathcal{N}(m, v I + I)", "must be v or v I", 23, "v I + I", id="sim-not-isotropic"),
]


@pytest.mark.parametrize(("text", "match", "column", "offending"), OPERATOR_ERRORS)
def test_operator_refusals_are_located(text: str, match: str, column: int, offending: str) -> None:
    with pytest.raises(ParseError, match=match) as caught:
        parse_math(text, DDPM, file="doc.md", line=7)
    assert (caught.value.file, caught.value.line, caught.value.column, caught.value.text) == (
        "doc.md",
        7,
        column,
        offending,
    )


# -- application or multiplication ------------------------------------------------------------------

APPLICATIONS = [
    case("q(x_t|x_{t-1})", Density(q, [x_t], [x_tm1]), "a bar inside: a density"),
    case("q(x_{t-1}|x_t,x_0)", Density(q, [x_tm1], [x_t, x_0])),
    case("q(x_t, x_{t-1} | x_0)", Density(q, [x_t, x_tm1], [x_0])),
    case(r"q(x_t \mid x_0)", Density(q, [x_t], [x_0])),
    case(r"q(x_t \,|\, x_0)", Density(q, [x_t], [x_0])),
    case(r"q\left(x_t \middle| x_0\right)", Density(q, [x_t], [x_0])),
    case(r"q(x_t \big| x_0)", Density(q, [x_t], [x_0])),
    case(r"p_\theta(x_{t-1}|x_t)", Density(DDPM["p_theta"], [x_tm1], [x_t])),
    case(r"q(|x| \mid y)", Density(q, [sp.Abs(x)], [y]), "an absolute value inside a density"),
    case("C(x_t, x_0)", sp.Function("C")(x_t, x_0), "a comma inside: a function"),
    case(r"\tilde\mu_t(x_t, x_0)", sp.Function(r"\tilde{\mu}_t")(x_t, x_0)),
    case(r"\epsilon_\theta(x_t, t)", sp.Function(r"\epsilon_{\theta}")(x_t, t)),
    case(r"\beta_t(1-\bar{\alpha}_{t-1})", beta_t * (1 - abar_tm1), "otherwise a product"),
    case("q(x_t)", Density(q, [x_t], []), "a density the notation names: no bar needed"),
    case("y(x_t)", sp.Symbol("y", real=True) * x_t, "no bar, no comma, not a density: a product"),
    case("x(a+b)^2", x * (a + b) ** 2, "the power is the bracket's"),
    case("q(x|y)^2", Density(q, [x], [y]) ** 2),
    case(r"\mathcal{N}(z; \mu, \sigma^2 I)", Gaussian(z, mu, sigma**2)),
    case(r"\mathcal{N}(z; \mu, \sigma^2\mathbf{I})", Gaussian(z, mu, sigma**2)),
    case(r"\mathcal{N}(x_t; \sqrt{\alpha_t}x_{t-1}, \beta_t I)", Gaussian(x_t, sp.sqrt(alpha_t) * x_tm1, beta_t)),
    case(
        r"\mathcal{N}(x_t; \sqrt{\bar{\alpha}_t}x_0, (1-\bar{\alpha}_t) I)",
        Gaussian(x_t, sp.sqrt(abar_t) * x_0, 1 - abar_t),
    ),
    case(r"\mathcal{N}(x; 0, I)", Gaussian(x, 0, 1), "unit variance"),
]


@pytest.mark.parametrize(("text", "expected"), APPLICATIONS)
def test_applications(text: str, expected: sp.Basic) -> None:
    assert read(text) == expected


# -- relations and sets -----------------------------------------------------------------------------

RELATIONS = [
    case("a = b", (("=",), (a, b))),
    case(r"a \propto b", (("propto",), (a, b))),
    case(r"a \approx b", (("approx",), (a, b))),
    case(r"a \neq b", (("ne",), (a, b))),
    case(r"a \ne b", (("ne",), (a, b))),
    case(r"a \leq b \le c", (("le", "le"), (a, b, c))),
    case(r"a \geq b \ge c", (("ge", "ge"), (a, b, c))),
    case("a < b > c", (("lt", "gt"), (a, b, c))),
    case(r"a = b = c \propto d", (("=", "=", "propto"), (a, b, c, d)), "a chain"),
    case(r"\beta_t \in (0,1)", (("in",), (beta_t, sp.Interval.open(0, 1)))),
    case(r"x \in [0,1]", (("in",), (x, sp.Interval(0, 1)))),
    case(r"x \in (0,1]", (("in",), (x, sp.Interval.Lopen(0, 1)))),
    case(r"x \in [0,1)", (("in",), (x, sp.Interval.Ropen(0, 1)))),
    case(r"x \in \left(0, 1\right)", (("in",), (x, sp.Interval.open(0, 1)))),
    case(r"x \in \mathbb{R}", (("in",), (x, sp.Reals))),
    case(r"x \in \mathbb R", (("in",), (x, sp.Reals))),
    case(r"x_t \in \mathbb{R}^d", (("in",), (x_t, sp.Reals)), "read per coordinate"),
    case(r"t \in \{1, \dots, T\}", (("in",), (t, sp.Range(1, T + 1)))),
    case(r"t \in \{1, 2, \ldots, T\}", (("in",), (t, sp.Range(1, T + 1)))),
]


@pytest.mark.parametrize(("text", "expected"), RELATIONS)
def test_relations(text: str, expected: tuple[tuple[str, ...], tuple[sp.Basic, ...]]) -> None:
    found = statement(text)
    assert (found.relations, found.items) == expected


# -- statements in a row -----------------------------------------------------------------------------

SEPARATED = [
    case(r"\beta_t \in (0,1), \quad \alpha_t = 1 - \beta_t", [("in",), ("=",)]),
    case(r"a = b, c = d", [("=",), ("=",)]),
    case(r"a = b \quad c = d", [("=",), ("=",)]),
    case(r"a = b \qquad c = d", [("=",), ("=",)]),
    case(r"a = b \text{ where } c = d", [("=",), ("=",)]),
    case(r"a = b, \text{and} \; c = d", [("=",), ("=",)]),
    case(r"a = b \text{ for } t \geq 2", [("=",), ("ge",)]),
    case(r"a = b,", [("=",)], "a trailing comma"),
    case(r"a = b.", [("=",)], "a trailing period"),
    case(r"a = b \quad \text{(Bayes' rule)}", [("=",)], "a comment at the end"),
    case(r"a = f(b, c)", [("=",)], "a comma inside brackets does not separate"),
    case(r"a = b \quad + c", [("=",)], "a quad before + is a space"),
]


@pytest.mark.parametrize(("text", "relations"), SEPARATED)
def test_separators(text: str, relations: list[tuple[str, ...]]) -> None:
    (row,) = rows(text)
    assert [s.relations for s in row.statements] == relations


def test_separated_statements_keep_their_own_text_and_column() -> None:
    (row,) = rows(r"\beta_t \in (0,1), \quad \alpha_t = 1 - \beta_t", line=15)
    first, second = row.statements
    assert (first.text, first.line, first.column) == (r"\beta_t \in (0,1)", 15, 1)
    assert (second.text, second.line, second.column) == (r"\alpha_t = 1 - \beta_t", 15, 26)
    assert second.items == (alpha_t, 1 - beta_t)


# -- what is invisible ---------------------------------------------------------------------------------

INVISIBLE = [
    case(r"\color{red}{(a + b}) c", (a + b) * c, "colour braces crossing brackets"),
    case(r"\color{red}{(a + b}c)", a + b * c, "crossing brackets: what is shown is (a + bc)"),
    case(r"{\color{red} a + b} + c", a + b + c),
    case(r"\textcolor{red}{a} b", a * b),
    case(r"\color[rgb]{1,0,0}{a} b", a * b),
    case(r"\underbrace{a + b}_{\text{signal}} + c", a + b + c),
    case(r"\overbrace{a b}^{n} c", a * b * c),
    case(r"\displaystyle \frac{a}{b}", a / b),
    case(r"\textstyle a", a),
    case(r"\sum\limits_{i=1}^{t} \alpha_i", sp.Sum(alpha[i], (i, 1, t))),
    case(r"a \, b \; c \: d \! x ~ y \ z", a * b * c * d * x * y * DDPM.resolve("z")),
    case("a % a comment\n + b", a + b),
    case(r"a \label{eq:a} \nonumber", a),
    case(r"a \notag", a),
]


@pytest.mark.parametrize(("text", "expected"), INVISIBLE)
def test_invisible(text: str, expected: sp.Basic) -> None:
    assert read(text) == expected


def test_statement_text_includes_colour_around_it() -> None:
    assert statement(r"x = \textcolor{blue}{y}").text == r"x = \textcolor{blue}{y}"
    assert statement(r"\color{red}{(a + b}c)").text == r"\color{red}{(a + b}c)"


# -- rows, environments, tags, positions ------------------------------------------------------------


def test_aligned_rows_continue_the_chain() -> None:
    text = "\\begin{aligned}\nA &= B \\\\\n  &= C \\\\\n  &\\propto D\n\\end{aligned}"
    first, second, third = rows(text, line=40)
    assert (first.line, first.continues, first.statements[0].items) == (41, False, (A, B))
    assert (second.line, second.continues) == (42, True)
    assert second.statements[0].relations == ("=",)
    assert second.statements[0].items == (C,)
    assert second.statements[0].text == "= C"
    assert (second.statements[0].line, second.statements[0].column) == (42, 4)
    assert (third.line, third.statements[0].relations, third.statements[0].items) == (43, ("propto",), (D,))


@pytest.mark.parametrize("environment", ["aligned", "align", "align*", "split"])
def test_aligning_environments(environment: str) -> None:
    found = rows(f"\\begin{{{environment}}} a &= b \\\\ &= c \\end{{{environment}}}")
    assert [r.continues for r in found] == [False, True]


@pytest.mark.parametrize("environment", ["gathered", "gather", "gather*"])
def test_gathering_environments(environment: str) -> None:
    found = rows(f"\\begin{{{environment}}} a = b \\\\ c = d \\end{{{environment}}}")
    assert [r.statements[0].items for r in found] == [(a, b), (c, d)]


@pytest.mark.parametrize("environment", ["equation", "equation*"])
def test_equation(environment: str) -> None:
    (row,) = rows(f"\\begin{{{environment}}} a = b \\end{{{environment}}}")
    assert row.statements[0].items == (a, b)


def test_equation_around_split_with_a_tag() -> None:
    text = r"\begin{equation}\begin{split} a &= b \\ &= c \end{split}\tag{4}\end{equation}"
    first, second = rows(text)
    assert (first.tag, second.tag, second.continues) == (None, "4", True)


def test_ampersands_alternate_alignment_and_columns() -> None:
    (row,) = rows(r"\begin{align*} a &= b & c &= d \end{align*}")
    assert [s.items for s in row.statements] == [(a, b), (c, d)]


def test_a_row_starting_with_an_operator_goes_on_with_the_previous_expression() -> None:
    text = "\\begin{aligned}\nS &= a \\\\\n  &\\quad + b \\\\\n  &= c\n\\end{aligned}"
    first, second = rows(text)
    assert first.statements[0].items == (DDPM["S"], a + b)
    assert first.line == 2
    assert second.continues


def test_spacing_after_a_row_break_is_skipped() -> None:
    _, second = rows(r"\begin{aligned} a &= b \\[2pt] &= c \end{aligned}")
    assert second.statements[0].items == (c,)


def test_aligned_with_a_position_argument() -> None:
    (row,) = rows(r"\begin{aligned}[t] a &= b \end{aligned}")
    assert row.statements[0].items == (a, b)


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        case(r"a = b \tag{71}", ["71"]),
        case(r"a = b \tag*{A.1}", ["A.1"]),
        case(r"\begin{aligned} a &= b && (71) \\ &= c &&(72) \end{aligned}", ["71", "72"]),
        case(r"a = b \qquad (12)", ["12"]),
        case(r"\begin{aligned} a &= b \\ &= c \end{aligned} \tag{9}", [None, "9"]),
        case(r"\begin{aligned} a &= b \tag{1} \\ &= c \end{aligned}", ["1", None]),
    ],
)
def test_tags(text: str, tags: list[str | None]) -> None:
    assert [r.tag for r in rows(text)] == tags


def test_a_block_without_environment_is_one_row_over_several_lines() -> None:
    text = "\\log \\mathcal{N}(z; \\mu, \\sigma^2 I)\n\\propto -\\frac{\\|z - \\mu\\|^2}{2\\sigma^2}"
    (row,) = rows(text, line=35)
    (found,) = row.statements
    assert row.line == found.line == 35
    assert found.relations == ("propto",)
    assert found.items == (sp.log(Gaussian(z, mu, sigma**2)), -(Norm(z - mu) ** 2) / (2 * sigma**2))
    assert found.text == text


def test_columns_count_from_where_the_text_starts() -> None:
    found = statement(r"a = b").column
    assert found == 1
    (row,) = rows("a = b, c = d", line=7, column=3)
    assert [(s.line, s.column) for s in row.statements] == [(7, 3), (7, 10)]


# -- the documents ---------------------------------------------------------------------------------------


def _math_blocks(path: Path) -> list[tuple[int, str]]:
    """(line of the first math line, body) of each ```math fence: a minimal scan for this test."""
    lines = path.read_text(encoding="utf-8").split("\n")
    blocks, k = [], 0
    while k < len(lines):
        if lines[k].strip() == "```math":
            end = next(e for e in range(k + 1, len(lines)) if lines[e].strip() == "```")
            blocks.append((k + 2, "\n".join(lines[k + 1 : end])))
            k = end
        k += 1
    return blocks


@pytest.mark.parametrize("document", ["seed", "fixture"])
def test_every_math_block_of_the_documents_parses(document: str) -> None:
    path = seed_path() if document == "seed" else FIXTURE
    blocks = _math_blocks(path)
    assert len(blocks) >= 15
    for line, body in blocks:
        found = parse_math(body, DDPM, file=str(path), line=line)
        assert found
        assert all(s.line >= line for r in found for s in r.statements)


def test_the_seeds_mean_reads_as_written() -> None:
    text = (
        r"\tilde{\mu}_t = \frac{\sqrt{\bar{\alpha}_{t-1}}\beta_t}{1-\bar{\alpha}_t}x_0"
        r" + \frac{\sqrt{\alpha_t}(1-\bar{\alpha}_{t-1})}{1-\bar{\alpha}_t}x_t"
    )
    expected = sp.sqrt(abar_tm1) * beta_t / (1 - abar_t) * x_0 + sp.sqrt(alpha_t) * (1 - abar_tm1) / (1 - abar_t) * x_t
    assert statement(text).items == (mu_tilde, expected)


def test_bayes_rule_reads_as_densities() -> None:
    found = statement(r"q(x_{t-1}|x_t,x_0) = \frac{q(x_t|x_{t-1}) q(x_{t-1}|x_0)}{q(x_t|x_0)}")
    assert found.items[1] == Density(q, [x_t], [x_tm1]) * Density(q, [x_tm1], [x_0]) / Density(q, [x_t], [x_0])


# -- refusals ---------------------------------------------------------------------------------------------

ERRORS = [
    case("", "empty math"),
    case("  \n ", "empty math"),
    case(r"\begin{aligned} \end{aligned}", "empty math"),
    case(r"\foo + 1", "unknown macro"),
    case(r"\frac{a}{b", "unbalanced braces"),
    case(r"a}", "unbalanced braces"),
    case("(a + b", "unbalanced brackets"),
    case("a + b)", "unbalanced brackets"),
    case(r"\left( a )", "unbalanced brackets"),
    case(r"\left( a \right] b", "unexpected"),
    case(r"\left. x \right|", "invisible delimiter"),
    case(r"q(x|y", "unbalanced brackets"),
    case("(a|b)", "conditional bar outside a density"),
    case("e", "ambiguous e"),
    case("e + 1", "ambiguous e"),
    case(r"\frac{e}{2}", "ambiguous e"),
    case("x^e", "ambiguous e"),
    case("x^{10^{9}}", "exponent too large"),
    case("2^{10^{9}}", "exponent too large"),
    case("(10^{999})^{999}", "number too large"),
    case("9" * 1001, "number too long"),
    case("x^23", "one digit"),
    case("x_10", "one digit"),
    case(r"\frac123", "one digit"),
    case(r"\frac{1}23", "one digit"),
    case(r"\mathcal{N}(\mu, \sigma^2)", "';' are required"),
    case(r"\mathcal{N}(z; \mu, \sigma^2)", "written v I"),
    case(r"\mathcal{N}(z; \mu, \sigma^2 I + I)", "written v I"),
    case(r"\mathcal{N} x", "without"),
    case(r"\log 2\pi\sigma^2", "unbracketed argument of \\\\log"),
    case(r"\log x y", "unbracketed argument"),
    case(r"\log x(a+b)", "ambiguous argument of \\\\log"),
    case(r"\log(x)^2", "unexpected"),
    case("a/b c", "a/b c"),
    case("a/x(b)", "ambiguous divisor"),
    case("x 2", "a number after a factor"),
    case("2 3", "a number after a factor"),
    case("c{a+b}", "braced sum"),
    case("{a+b}^2", "braced sum"),
    case(r"\text{hello} + x", "text inside an expression"),
    case(r"a \\ b", "outside an environment"),
    case("a & b", "outside an alignment environment"),
    case(r"\begin{cases} x \end{cases}", "unsupported environment"),
    case(r"\begin{aligned} x \end{align}", "ended by"),
    case(r"\begin{aligned} x", "without"),
    case(r"a = \begin{aligned} x \end{aligned}", "enclose the whole block"),
    case(r"\begin{gathered} a & b \end{gathered}", "& in gathered"),
    case(r"\begin{aligned} a \\[x] b \end{aligned}", "spacing"),
    case(r"\begin{aligned} &+ b \\ c \end{aligned}", "goes on from nothing"),
    case(r"a = b \tag{1} \tag{2}", "more than one tag"),
    case(r"\begin{aligned} a &= b && (1) \tag{2} \end{aligned}", "more than one tag"),
    case(r"\sum_{j=1}^{T} x_j", "no sequence x"),
    case(r"\sum x_i", "needs its limits"),
    case(r"\frac{d}{dx} f", "derivative"),
    case(r"\frac{dy}{dt}", "derivative"),
    case(r"\mathbf{x}^T y", "transpose"),
    case(r"\alpha + 1", "sequence in the notation"),
    case(r"x \quad y", "each must state a relation"),
    case("a = b, c", "each must state a relation"),
    case(r"\frac{a}{0}", "division by zero"),
    case("a/0", "division by zero"),
    case("0^{-1}", "division by zero"),
    case("x'", "unexpected character"),
    case("α", "unexpected character"),
    case(r"x \in \mathbb{N}", "unsupported set"),
    case(r"x \in y", "unexpected"),
    case(r"\mathbb{R}", "outside a set"),
    case(r"\mathcal{L}(\theta)", "a function of one argument, or a product"),
    case(r"x \to 0", "outside"),
    case(r"\lim x", "needs its limits"),
    case(r"x_1, \dots, x_n", "outside a range"),
    case("a^{b}^{c}", "unexpected"),
    case(r"\|x\|_1", "Euclidean"),
    case(r"\sqrt\sqrt x", "unexpected"),
    case("a = ", "ends too early"),
    case("a == b", "unexpected"),
    case(r"\log" * 30 + " x", "nested too deeply"),
    case("(" * 100 + "x" + ")" * 100, "nested too deeply"),
    case(r"\textcolor{red} x", "needs {…}"),
    case("\\", "lone backslash"),
]


@pytest.mark.parametrize(("text", "match"), ERRORS)
def test_refusals(text: str, match: str) -> None:
    with pytest.raises(ParseError, match=match):
        rows(text)


def test_an_unknown_macro_is_reported_where_it_is() -> None:
    with pytest.raises(ParseError) as caught:
        parse_math("a = b\n  + \\foo{x}", DDPM, file="doc.md", line=10, column=3)
    error = caught.value
    assert (error.file, error.line, error.column, error.text, error.message) == (
        "doc.md",
        11,
        5,
        r"\foo",
        "unknown macro",
    )
    assert str(error) == r"doc.md:11:5: unknown macro: '\\foo'"


def test_the_first_line_is_offset_by_the_column() -> None:
    with pytest.raises(ParseError) as caught:
        parse_math(r"a + \foo", DDPM, line=3, column=5)
    assert (caught.value.line, caught.value.column) == (3, 9)


def test_a_grammar_error_is_reported_in_absolute_lines() -> None:
    with pytest.raises(ParseError, match="unexpected") as caught:
        parse_math("a +\n  + b", DDPM, file="doc.md", line=20)
    assert (caught.value.line, caught.value.column, caught.value.text) == (21, 3, "+")


def test_an_ambiguity_names_the_offending_text() -> None:
    with pytest.raises(ParseError) as caught:
        rows(r"y = \log 2\pi\sigma^2")
    assert caught.value.text == r"\log 2\pi"
    assert caught.value.column == 5


def test_an_unknown_rule_is_a_named_error() -> None:
    reader = _Reader(DDPM, _Lexer("x", "doc.md", 1, 1))
    with pytest.raises(UnhandledRuleError, match="no reading for the grammar rule 'mystery'"):
        reader.transform(Tree("mystery", []))


# -- bounded time, and only ParseError ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(" + ".join([r"\frac{\sqrt{\alpha_t}x_t}{\beta_t}"] * 300), id="sum of fractions"),
        pytest.param(" ".join("abcdxyz" * 700), id="long product"),
        pytest.param(" = ".join(["x_{t-1}"] * 1300), id="long chain"),
        pytest.param(r"\begin{aligned}" + r" \\ ".join([r"a &= b + c"] * 600) + r"\end{aligned}", id="many rows"),
        pytest.param(" ".join([r"q(x_t|x_{t-1})"] * 700), id="many densities"),
    ],
)
def test_ten_thousand_characters_parse_quickly(text: str) -> None:
    assert len(text) >= 8_000
    parse_math("x", DDPM)  # the grammar is built once
    start = time.perf_counter()
    assert parse_math(text, DDPM)
    # linear-time parsing takes well under a second; the bound is generous, so that only a blow-up
    # (quadratic work, backtracking) fails, never a loaded machine; bench/check_doc_speed.py times it
    assert time.perf_counter() - start < GENEROUS


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(" + ".join(["x"] * 5000) + " +", id="error at the end"),
        pytest.param("(" * 5000 + "x" + ")" * 5000, id="deep brackets"),
        pytest.param(r"\sqrt" * 3000 + " x", id="deep unbraced macros"),
        pytest.param(r"\log" * 2500 + " x", id="deep functions"),
        pytest.param(r"\sum_{i=1}^{t} " * 700 + r"\alpha_i", id="deep sums"),
        pytest.param(r" \cdot ".join(["10^{1000}"] * 900), id="huge numbers"),
        pytest.param("0." + "1" * 9990, id="long decimal"),
    ],
)
def test_pathological_input_fails_quickly(text: str) -> None:
    parse_math("x", DDPM)
    start = time.perf_counter()
    with pytest.raises(ParseError):
        parse_math(text, DDPM)
    assert time.perf_counter() - start < GENEROUS


VOCABULARY = (
    r"x",
    r"y",
    r"t",
    r"i",
    r"e",
    r"I",
    r"A",
    r"a",
    r"0",
    r"1",
    r"2",
    r"12",
    r"0.5",
    r"+",
    r"-",
    r"=",
    r",",
    r";",
    r"|",
    r"&",
    r"^",
    r"_",
    r"(",
    r")",
    r"[",
    r"]",
    r"{",
    r"}",
    r"\{",
    r"\}",
    r"\|",
    r"/",
    r".",
    r"\alpha",
    r"\bar",
    r"\tilde",
    r"\hat",
    r"\mathbf",
    r"\frac",
    r"\sqrt",
    r"\log",
    r"\exp",
    r"\sum",
    r"\prod",
    r"\lim",
    r"\to",
    r"\left(",
    r"\right)",
    r"\left|",
    r"\right|",
    r"\left\|",
    r"\right\|",
    r"\big(",
    r"\big)",
    r"\bigl|",
    r"\bigr|",
    r"\middle|",
    r"\mid",
    r"\cdot",
    r"\times",
    r"\propto",
    r"\approx",
    r"\in",
    r"\neq",
    r"\leq",
    r"<",
    r">",
    r"\quad",
    r"\qquad",
    r"\,",
    r"\;",
    r"\!",
    r"\text{const}",
    r"\text{where}",
    r"\text{hello}",
    r"\mathrm{e}",
    r"\mathcal{N}",
    r"\mathcal{L}",
    r"\mathbb{R}",
    r"\color{red}",
    r"\textcolor{red}",
    r"\underbrace",
    r"\overbrace",
    r"\tag{1}",
    r"\\",
    r"\begin{aligned}",
    r"\end{aligned}",
    r"\begin{equation}",
    r"\end{equation}",
    r"\dots",
    r"\infty",
    r"\pi",
    r"\theta",
    r"\sigma",
    r"\mu",
    r"q",
    r"p_\theta",
    r"x_t",
    r"x_{t-1}",
    r"\bar{\alpha}_t",
    r"\label{x}",
    r"\displaystyle",
    r"\limits",
)


def test_random_input_gives_rows_or_a_parse_error_and_nothing_else() -> None:
    generator = random.Random(2024)
    misplaced: list[ParseError] = []
    for _ in range(1500):
        text = " ".join(generator.choice(VOCABULARY) for _ in range(generator.randint(1, 25)))
        try:
            found = parse_math(text, DDPM, file="fuzz.md", line=3, column=2)
        except ParseError as error:
            if error.file != "fuzz.md" or error.line < 3 or error.column < 1:
                misplaced.append(error)
        else:
            assert all(isinstance(r, Row) for r in found)
    assert misplaced == []

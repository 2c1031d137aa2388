"""The reader: the SymPy meaning of each construct, and the readings it refuses to guess."""

from __future__ import annotations

import pytest
import sympy as sp
from lark import Tree

from derive.doccheck.latex.lexer import Lexer
from derive.doccheck.latex.reader import (
    DENSITY_WITH_PARAMETERS,
    MATRIX_COVARIANCE,
    NORMAL,
    UNNAMED,
    Reader,
    UnhandledRuleError,
)
from derive.exceptions import ParseError
from derive.notation import DDPM
from derive.objects import KL, Density, Expectation, Gaussian, Inner, Norm, Opaque, Transposed
from tests.doccheck.latex.support import (
    IDENTITY,
    A,
    T,
    a,
    abar_t,
    abar_tm1,
    alpha,
    alpha_t,
    b,
    beta_t,
    c,
    case,
    d,
    i,
    j,
    mu,
    mu_tilde,
    q,
    read,
    refused,
    rows,
    sigma,
    sigma_tilde,
    statement,
    t,
    x,
    x_0,
    x_t,
    x_tm1,
    y,
    z,
)

theta, Sigma = DDPM.resolve(r"\theta"), DDPM.resolve(r"\Sigma")
p, x_last = DDPM.resolve("p"), DDPM.resolve("x", T)


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
    case(r"\sin x \cdot y", sp.sin(x) * y, "a trigonometric function's argument ends at the \\cdot"),
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
    case("y(x_t)", sp.Function("y")(x_t), "a name the notation does not know, applied: a function"),
    case(r"\mathcal{L}(\theta)", sp.Function(r"\mathcal{L}")(theta), "a calligraphic name applied: a function"),
    case(r"\text{SNR}(t)", sp.Function(r"\text{SNR}")(t), "a word applied: a function"),
    case(r"\log p(x)", sp.log(Density(p, [x])), "the log of a density the notation names"),
    case(r"\log f(x)", sp.log(sp.Function("f")(x)), "the log of an application"),
    case(r"q_\phi(z)", Density(DDPM.resolve("q", sp.Symbol(r"\phi")), [z]), "a density of the notation, by its base"),
    case(r"q(x \| y)", Density(q, [x], [y]), "a double bar inside a density, closing nothing: a condition"),
    case("q(x ∣ y)", Density(q, [x], [y]), "the Unicode divides"),
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


# -- read, but not decided ------------------------------------------------------------------------------

EULER = "e: Euler's number or a name? (write e^{…} or \\exp(…) for the exponential)"
DOTS = r"terms left out (\dots)"

LOG_OF_A_PRODUCT = r"\log a \cdot b, which reads as \log(a \cdot b) or as (\log a) \cdot b"
EXP_OF_A_PRODUCT = r"\exp a \cdot b, which reads as \exp(a \cdot b) or as (\exp a) \cdot b"

OPAQUE = [
    # log(ab) or (log a) b: authors write both
    case(r"\log a \cdot b", Opaque(LOG_OF_A_PRODUCT, sp.log(a), b), "log-then-cdot"),
    case(r"\exp a \times b", Opaque(EXP_OF_A_PRODUCT, sp.exp(a), b), "exp-then-times"),
    case(r"\int_0^1 x^2 \, dx", Opaque("an integral", x**2, x, 0, 1), "integral-with-limits"),
    case(r"\int^1_0 x^2 dx", Opaque("an integral", x**2, x, 0, 1), "limits-in-the-other-order"),
    case(r"\int p(x, z)\, dz", Opaque("an integral", Density(p, [x, z]), z), "integral-without-limits"),
    case(r"\int dx \, x", Opaque("an integral", x, x), "the-differential-first"),
    case(r"\int_0^1 x \, \mathrm{d}x", Opaque("an integral", x, x, 0, 1), "upright-d"),
    case(r"2 \int x \log x \, dx + 1", 2 * Opaque("an integral", x * sp.log(x), x) + 1, "up-to-the-next-plus"),
    case(r"\mathbb{E}_{q}[x]", Opaque("an expectation over q", x), "expectation-over-a-density-name"),
    case(
        r"\mathbb{E}_{q(x_{1:T}|x_0)}\left[x\right]",
        Opaque("an expectation over q(x_{1:T}|x_0)", x),
        "expectation-over-a-conditional-density",
    ),
    case(r"\mathbb{E}_{t, x_0, \epsilon}[x]", Opaque(r"an expectation over t, x_0, \epsilon", x), "over-several"),
    case(r"\mathbb{E}[x]^2", Opaque("an expectation under a distribution it does not name", x) ** 2, "no-subscript"),
    case(r"E[x]", Opaque("an expectation under a distribution it does not name", x), "a-plain-E-before-a-bracket"),
    case(r"E_{x \sim q} \log x", Opaque(r"an expectation over x \sim q", sp.log(x)), "unbracketed-takes-the-product"),
    case(r"a + \cdots + b", a + b + Opaque(DOTS), "dots-in-a-sum"),
    case(r"a \times \dots \times b", a * b * Opaque(DOTS), "dots-in-a-product"),
    case(r"f(a, \ldots, b)", sp.Function("f")(a, Opaque(DOTS), b), "dots-among-arguments"),
    case(r"\min_\theta L", Opaque(r"a minimum over \theta", DDPM.resolve("L")), "minimum-over"),
    case(r"\arg\max_{x} a x", Opaque("an argmax over x", a * x), "arg-max"),
    case(r"\underset{x}{\operatorname{argmin}} a x", Opaque("an argmin over x", a * x), "underset-argmin"),
    case(r"\det(\Sigma)", Opaque("a determinant", Sigma), "determinant"),
    case(r"\operatorname{tr}(\Sigma)", Opaque("a trace", Sigma), "trace"),
    case(r"\mathcal{N}(x; \mu, \Sigma)", Opaque(MATRIX_COVARIANCE, x, mu, Sigma), "covariance-matrix"),
    case(
        r"\mathcal{N}(\mu, \Sigma_\theta(x_t, t))",
        Opaque(MATRIX_COVARIANCE, mu, sp.Function(r"\Sigma_{\theta}")(x_t, t)),
        "learned-covariance",
    ),
    case("x'", Opaque("a prime, x': a transpose, a derivative or another name", x), "prime"),
    case(r"x^{\prime}", Opaque(r"a prime, x^{\prime}: a transpose, a derivative or another name", x), "prime-macro"),
    case("x^T", Opaque("^T: a transpose or the power T?", x), "T-of-a-name-not-bold"),
    case("e", Opaque(EULER), "a-lone-e"),
    case(r"\frac{e}{2}", Opaque(EULER) / 2, "e-in-a-fraction"),
    case(r"\begin{bmatrix} a & b \end{bmatrix} x", Opaque("a matrix") * x, "matrix"),
    case(r"\mathcal{N}(\mu, \sigma^2)", Opaque(NORMAL, mu, sigma**2), "a-distribution-said-of-nothing"),
    case(
        r"\sum_{j=1}^{T} x_j",
        Opaque("a sum over j of terms in x_j, which the notation has no sequence for", DDPM.resolve("x", j), j, 1, T),
        "terms-of-no-sequence",
    ),
    case(r"\sum_{t > 1} a", Opaque("a sum over t > 1", a), "a-sum-over-a-condition"),
    case(r"\min L", Opaque("a minimum", DDPM.resolve("L")), "a-minimum-without-subscript"),
    case(r"\{\beta_t\}_{t=1}^T", Opaque("a sequence over t = 1, …, T", beta_t), "a-sequence"),
    case(r"\prod_t a", Opaque("a product over t", a), "a-product-over-a-letter"),
    case(
        r"a + \mathbb{E}_{x \sim \mathcal{N}(m, v)} x",
        a + Opaque(r"an expectation over x \sim \mathcal{N}(m, v)", x),
        "gaussian-expectation-without-brackets",
    ),
    case(r"(x_0, x_1, \dots, x_T)", Opaque("a tuple of 4", x_0, DDPM.resolve("x", 1), Opaque(DOTS), x_last), "tuple"),
    case(r"\int f\, dx\, dz", Opaque("an integral", DDPM.resolve("f"), sp.Symbol(r"dx\, dz")), "two-differentials"),
    case(r"a \cancelto{0}{b}", a * Opaque(r"a term said to vanish (\cancelto)"), "cancelled-to-a-value"),
    case(r"A \cap B", A * DDPM.resolve("B") * Opaque("an operation on sets"), "set-operations"),
    case(
        r"T_\pi(x_t|x_{t-1}; \beta_t)",
        Opaque(DENSITY_WITH_PARAMETERS, Density(DDPM.resolve("T", sp.Symbol(r"\pi")), [x_t], [x_tm1]), beta_t),
        "a-density-with-parameters",
    ),
    case(r"a + \text{cross terms}", a + Opaque("a term in words: cross terms"), "a-term-in-words"),
    case("f'(x)", Opaque("a prime, f': a transpose, a derivative or another name", sp.Function("f")(x)), "f-prime"),
]


@pytest.mark.parametrize(("text", "expected"), OPAQUE)
def test_read_but_not_decided(text: str, expected: sp.Basic) -> None:
    assert read(text) == expected


READINGS = [
    case(r"\mathbf{x}^\top y", Transposed(x) * y, "transpose-top"),
    case(r"\mathbf{x}^T y", Transposed(x) * y, "T-of-a-bold-name"),
    case(r"(a + b)^{\intercal}", Transposed(a + b), "transpose-of-a-bracket"),
    case(r"\langle a, b \rangle", Inner(a, b), "inner-product"),
    case(r"\left\langle a, b \right\rangle^2", Inner(a, b) ** 2, "sized-inner-product-squared"),
    case(r"\frac{d}{dx} x^2", sp.Derivative(x**2, x), "d-over-dx"),
    case(r"\frac{dy}{dx}", sp.Derivative(y, x), "dy-over-dx"),
    case(r"\frac{\mathrm{d}}{\mathrm{d}x} x", sp.Derivative(x, x), "upright-d-over-dx"),
    case(r"\cos x + \sin(y)", sp.cos(x) + sp.sin(y), "trigonometry"),
    case(r"\max(a, b)", sp.Max(a, b), "maximum-of-values"),
    case(r"x_{1:T}", sp.Symbol("x_{1:T}", real=True), "range-subscript"),
    case(r"2\text{ELBO}", 2 * sp.Symbol(r"\text{ELBO}", real=True), "a-word"),
    case(r"\mathrm{I}", IDENTITY, "an-upright-letter"),
    case("ϵ + β_t − a", epsilon + beta_t - a, "unicode"),
    case(r"\boxed{a} + \cancel{b}", a + b, "boxed-and-cancelled"),
    case(r"C'(x_t, x_0)", sp.Function("C'")(x_t, x_0), "a-primed-function-of-two-arguments"),
    case(r"\mu(x_t, t; \theta)", sp.Function(r"\mu")(x_t, t, theta), "parameters-after-a-semicolon"),
    case(r"p(x | y = a)", Density(p, [x], [sp.Eq(y, a)]), "a-condition-with-a-value"),
    case(r"L_{VLB}", DDPM.resolve("L", sp.Symbol("VLB")), "a-label"),
    case(r"\mathcal{L}_{x_0}", DDPM.resolve(r"\mathcal{L}", sp.Symbol("x_0")), "a-name-as-a-label"),
    case(r"x_{t-(k-1)}", DDPM.resolve("x", t - sp.Symbol("k", integer=True) + 1), "brackets-in-an-index"),
    case(r"\frac{1}{\sqrt{\alpha}_t}", 1 / sp.sqrt(alpha_t), "the-subscript-of-a-root"),
    case(r"\exp{(a + b)} c", sp.exp(a + b) * c, "exp-of-a-braced-group"),
    case(r"\log \mathbb{E}_q[x]", sp.log(Opaque("an expectation over q", x)), "log-of-an-expectation"),
    case(r"N(x; \mu, \sigma^2 I)", Gaussian(x, mu, sigma**2), "plain-N-with-a-semicolon"),
    case(r"\sigma^2 \mathbf{I}", sigma**2 * IDENTITY, "the-identity"),
    case(r"\mathcal{N}(x | \mu, \sigma^2 I)", Gaussian(x, mu, sigma**2), "a-bar-before-the-mean"),
    case(r"\mathcal{N}(x; \mathrm{0}, I)", Gaussian(x, 0, 1), "an-upright-zero"),
    case(r"C^{''}(x_t, x_0)", sp.Function("C''")(x_t, x_0), "two-primes"),
    case(r"a \odot b", a * b, "hadamard-per-coordinate"),
    case(r"a * b", a * b, "asterisk"),
    case(r"\mathcal{N}(z; \mu, \sigma^2)", Gaussian(z, mu, sigma**2), "scalar-variance"),
    case(r"D_{KL}(q(x) || p(x))", KL(Density(q, [x]), Density(p, [x])), "KL-with-two-bars"),
    case(r"KL(q(x|y) \| q(y|x))", KL(Density(q, [x], [y]), Density(q, [y], [x])), "KL-in-plain-letters"),
    case(r"D_{KL}(p \| q)", Opaque(UNNAMED, p, q), "KL-of-density-names"),
    case(
        r"D_{KL}(q(x) \| \mathcal{N}(0, 1))",
        Opaque(UNNAMED, Density(q, [x]), Opaque(NORMAL, 0, 1)),
        "KL-from-a-distribution-without-variable",
    ),
]


@pytest.mark.parametrize(("text", "expected"), READINGS)
def test_readings(text: str, expected: sp.Basic) -> None:
    assert read(text) == expected


STATEMENTS = [
    case(
        r"q(x_t|x_0) = \mathcal{N}(m, v I)",
        (("=",), (Density(q, [x_t], [x_0]), Gaussian(x_t, m, v))),
        "a-density-equal-to-a-distribution",
    ),
    case(
        r"p(x_T) = \mathcal{N}(0, I)",
        (("=",), (Density(p, [x_last]), Gaussian(x_last, 0, 1))),
        "a-function-read-as-density",
    ),
    case(
        r"q(x_t|x_0) \sim \mathcal{N}(m, v)",
        (("=",), (Density(q, [x_t], [x_0]), Gaussian(x_t, m, v))),
        "a-density-drawn-from-a-distribution",
    ),
    case(r"x_t \sim q(x_t|x_0)", (("sim",), (x_t, Density(q, [x_t], [x_0]))), "drawn-from-a-density"),
    case("a := b", ((":=",), (a, b)), "colon-equals"),
    case(r"a \coloneqq b", ((":=",), (a, b)), "coloneqq"),
    case(r"a \triangleq b", ((":=",), (a, b)), "triangleq"),
    case(r"a \overset{\text{def}}{=} b", ((":=",), (a, b)), "def-over-equals"),
    case(r"a \stackrel{\triangle}{=} b", ((":=",), (a, b)), "triangle-over-equals"),
    case(r"a \overset{(1)}{=} b", (("=",), (a, b)), "a-note-over-equals"),
    case(r"t = 1, \dots, T", (("in",), (t, sp.Range(1, T + 1))), "a-range-with-dots"),
    case(r"t = 2, ..., T", (("in",), (t, sp.Range(2, T + 1))), "a-range-with-three-periods"),
    case(r"\text{forward}: a = b", (("=",), (a, b)), "a-label-before-a-colon"),
    case(r"a = b =: c", (("=", "=:"), (a, b, c)), "equals-colon"),
    case(r"x \sim N(0, 1)", (("sim",), (x, sp.Tuple(0, 1))), "plain-N-after-sim"),
    case(r"a = x \sim \mathcal{N}(0, 1)", (("=", "sim"), (a, x, sp.Tuple(0, 1))), "drawn-at-the-end-of-a-chain"),
    case(r"x_0 \sim q(x_0) = p", (("sim", "="), (x_0, Density(q, [x_0]), p)), "drawn-from-a-density-named-again"),
    case(r"z = a \quad \sim \quad \mathcal{N}(0, 1)", (("=", "sim"), (z, a, sp.Tuple(0, 1))), "quad-around-sim"),
    case(
        r"x_t = q(x_t | x_0)",
        (("sim",), (x_t, Density(q, [x_t], [x_0]))),
        "a-variable-equal-to-its-density-is-drawn-from-it",
    ),
    case(r"y = q(x_t | x_0)", (("=",), (y, Density(q, [x_t], [x_0]))), "a-name-equal-to-a-density-of-another"),
    case(r"\max_{\theta} \quad L", ((), (Opaque(r"a maximum over \theta", DDPM.resolve("L")),)), "quad-after-max"),
    case(
        r"p(x | y) = \frac{p(x, y)}{p(y)}",
        (("=",), (Density(p, [x], [y]), Density(p, [x, y]) / Density(p, [y]))),
        "a-name-with-a-bar-is-a-density-in-the-whole-block",
    ),
    case(r"f(x, y) = a", (("=",), (sp.Function("f")(x, y), a)), "without-a-bar-a-function"),
]


@pytest.mark.parametrize(("text", "expected"), STATEMENTS)
def test_statements(text: str, expected: tuple[tuple[str, ...], tuple[sp.Basic, ...]]) -> None:
    found = statement(text)
    assert (found.relations, found.items) == expected


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
    case(r"x \in \mathbb{N}", (("in",), (x, sp.Naturals)), "the natural numbers, from 1"),
    case(r"x \in \mathbb{Z}", (("in",), (x, sp.Integers))),
    case(r"x_t \in \mathbb{R}^d", (("in",), (x_t, sp.Reals)), "read per coordinate"),
    case(r"t \in \{1, \dots, T\}", (("in",), (t, sp.Range(1, T + 1)))),
    case(r"t \in \{1, 2, \ldots, T\}", (("in",), (t, sp.Range(1, T + 1)))),
]


@pytest.mark.parametrize(("text", "expected"), RELATIONS)
def test_relations(text: str, expected: tuple[tuple[str, ...], tuple[sp.Basic, ...]]) -> None:
    found = statement(text)
    assert (found.relations, found.items) == expected


# -- the documents' formulas ----------------------------------------------------------------------


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


# -- refusals ------------------------------------------------------------------------------------

ERRORS = [
    case("x^{10^{9}}", "exponent too large"),
    case("2^{10^{9}}", "exponent too large"),
    case("(10^{999})^{999}", "number too large"),
    case(r"\mathcal{N}(z; \mu, \sigma^2 I + I)", "must be v or v I"),
    case(r"\log x(a+b)", "ambiguous argument of \\\\log"),
    case("a/x(b)", "ambiguous divisor"),
    case("x 2", "a number after a factor"),
    case("2 3", "a number after a factor"),
    case("c{a+b}", "braced sum"),
    case("{a+b}^2", "braced sum"),
    case(r"\alpha + 1", "sequence in the notation"),
    case(r"\frac{a}{0}", "division by zero"),
    case("a/0", "division by zero"),
    case("0^{-1}", "division by zero"),
    case(r"x \in \mathbb{Q}", "unsupported set"),
    case(r"\|x\|_1", "Euclidean"),
]


@pytest.mark.parametrize(("text", "match"), ERRORS)
def test_refusals(text: str, match: str) -> None:
    with pytest.raises(ParseError, match=match):
        rows(text)


#: (text, message, column, the text the error names)
LOCATED = [
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
    pytest.param(r"D_{KL}(a \| b)", "a divergence is of two densities", 8, "a", id="divergence-of-symbols"),
    pytest.param(r"x \sim \mathcal{N}(m, v I + I)", "must be v or v I", 23, "v I + I", id="sim-not-isotropic"),
]


@pytest.mark.parametrize(("text", "match", "column", "offending"), LOCATED)
def test_refusals_are_located(text: str, match: str, column: int, offending: str) -> None:
    refused(text, match, column, offending)


def test_an_unknown_rule_is_a_named_error() -> None:
    reader = Reader(DDPM, Lexer("x", "doc.md", 1, 1))
    with pytest.raises(UnhandledRuleError, match="no reading for the grammar rule 'mystery'"):
        reader.transform(Tree("mystery", []))

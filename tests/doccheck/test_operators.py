"""check-doc end to end on the operators the derivations use: KL divergences, gradients and partial
derivatives, Gaussian expectations, and statements of a distribution (x ~ N(m, v))."""

from __future__ import annotations

import pytest

from derive.doccheck.check import FileReport, check_source
from derive.model import CheckConfig
from derive.notation import DDPM

CONFIG = CheckConfig(jobs=1)

GAUSSIAN_1 = r"\mathcal{N}(x; \mu_1, \sigma_1^2 I)"
GAUSSIAN_2 = r"\mathcal{N}(x; \mu_2, \sigma_2^2 I)"
KL_WITHOUT_HALF = r"\log \frac{\sigma_2}{\sigma_1} + \frac{\sigma_1^2 + (\mu_1 - \mu_2)^2}{2 \sigma_2^2}"
KL_CLOSED = KL_WITHOUT_HALF + r" - \frac{1}{2}"
LOG_N = r"\log \mathcal{N}(x; \mu, \sigma^2 I)"
#: two declared Gaussian densities of x_t, with the same variance, for a divergence of densities
DENSITIES = (
    "$$\nq(x_t | x_0) = \\mathcal{N}(x_t; \\sqrt{\\bar{\\alpha}_t} x_0, (1 - \\bar{\\alpha}_t) I)\n$$\n\n"
    "$$\np_\\theta(x_t | x_0) = \\mathcal{N}(x_t; \\mu_\\theta, (1 - \\bar{\\alpha}_t) I)\n$$\n\n"
)


def check(source: str) -> FileReport:
    return check_source(source, "doc.md", DDPM, CONFIG)


def display(latex: str) -> str:
    return f"Some prose.\n\n```math\n{latex}\n```\n"


def claim(latex: str, verdict: str, name: str, before: str = "") -> object:
    """A document of ``before`` and one display block, and the verdict of the block's claim."""
    return pytest.param(before + display(latex), verdict, id=name)


CLAIMS = [
    claim(
        rf"D_{{\mathrm{{KL}}}}\left({GAUSSIAN_1} \,\middle\|\, {GAUSSIAN_2}\right) = {KL_CLOSED}",
        "proved",
        "kl-of-two-gaussians-closed-form",
    ),
    claim(
        rf"D_{{KL}}({GAUSSIAN_1} \| {GAUSSIAN_2}) = {KL_WITHOUT_HALF}",
        "refuted",
        "kl-closed-form-without-the-half",
    ),
    claim(
        r"\mathrm{KL}(\mathcal{N}(x; \mu_1, \sigma^2 I) \| \mathcal{N}(x; \mu_2, \sigma^2 I)) "
        r"= \frac{(\mu_1 - \mu_2)^2}{2 \sigma^2}",
        "proved",
        "kl-equal-variances",
    ),
    claim(
        r"\operatorname{KL}(\mathcal{N}(x; \mu_1, \sigma^2 I)\|\mathcal{N}(x; \mu_2, \sigma^2 I)) "
        r"= \frac{(\mu_1 - \mu_2)^2}{\sigma^2}",
        "refuted",
        "kl-equal-variances-twice-too-large",
    ),
    claim(
        r"D_{\text{KL}}(q(x_t | x_0) \,\|\, p_\theta(x_t | x_0)) "
        r"= \frac{(\sqrt{\bar{\alpha}_t} x_0 - \mu_\theta)^2}{2 (1 - \bar{\alpha}_t)}",
        "proved",
        "kl-of-declared-densities",
        DENSITIES,
    ),
    claim(
        r"D_{\text{KL}}(q(x_t | x_0) \,\|\, p_\theta(x_t | x_0)) "
        r"= \frac{(\sqrt{\bar{\alpha}_t} x_0 - \mu_\theta)^2}{2 (1 - \bar{\alpha}_{t-1})}",
        "refuted",
        "kl-of-declared-densities-wrong-index",
        DENSITIES,
    ),
    claim(rf"\nabla_x {LOG_N} = -\frac{{x - \mu}}{{\sigma^2}}", "proved", "score-of-a-gaussian"),
    claim(rf"\nabla_x {LOG_N} = \frac{{x - \mu}}{{\sigma^2}}", "refuted", "score-with-the-wrong-sign"),
    claim(rf"\frac{{\partial}}{{\partial x}} {LOG_N} = \frac{{\mu - x}}{{\sigma^2}}", "proved", "partial-operator"),
    claim(rf"\frac{{\partial {LOG_N}}}{{\partial x}} = \frac{{\mu - x}}{{\sigma^2}}", "proved", "partial-quotient"),
    claim(rf"\frac{{\partial {LOG_N}}}{{\partial x}} = \frac{{\mu - x}}{{2\sigma^2}}", "refuted", "partial-halved"),
    claim(
        r"\mathbb{E}_{x \sim \mathcal{N}(\mu, \sigma^2 I)}\left[(x - \mu)^2\right] = \sigma^2",
        "proved",
        "expectation-variance",
    ),
    claim(r"\mathbb{E}_{x \sim \mathcal{N}(\mu, \sigma^2)}[(x - \mu)^2] = 2\sigma^2", "refuted", "expectation-doubled"),
    claim(r"\mathbb{E}_{z \sim \mathcal{N}(0, 1)}[e^{z}] = e^{\frac{1}{2}}", "proved", "expectation-lognormal-mean"),
    claim(r"x \sim \mathcal{N}(\mu, \sigma^2)", "definition", "a-distribution-is-declared"),
]


@pytest.mark.parametrize(("source", "verdict"), CLAIMS)
def test_the_claim_gets_its_verdict(source: str, verdict: str) -> None:
    report = check(source)
    last = report.results[-1]
    assert (last.line, last.verdict) == (source.count("\n") - 1, verdict), last.message
    assert all(r.verdict == "definition" for r in report.results[:-1])
    if verdict == "refuted":
        assert last.counterexample is not None


def test_an_inline_distribution_after_an_equation_is_a_declaration() -> None:
    report = check(r"Set $x = \mu + \sigma z, \quad z \sim \mathcal{N}(0, I)$ for fresh noise." + "\n")
    assert [(r.latex, r.verdict, r.message) for r in report.results] == [
        (r"x = \mu + \sigma z", "definition", "definition"),
        (r"z \sim \mathcal{N}(0, I)", "definition", "states a distribution"),
    ]


#: (latex, message, column of what the error names)
UNREADABLE = [
    pytest.param(r"y = D_{KL}(x \| x_0)", "a divergence is of two densities", 12, id="kl-of-symbols"),
]


@pytest.mark.parametrize(("latex", "message", "column"), UNREADABLE)
def test_what_cannot_be_read_is_an_error_where_it_is(latex: str, message: str, column: int) -> None:
    (result,) = check(display(latex)).results
    assert (result.line, result.location.column, result.verdict) == (4, column, "error")
    assert result.message.startswith(message)


#: (latex, the message of its undecided verdict)
NOT_CHECKED = [
    pytest.param(
        r"y = \mathbb{E}[x^2]", "not checked: an expectation under a distribution it does not name", id="no-subscript"
    ),
    pytest.param(
        r"y = \mathbb{E}_{x \sim q(x)}[x^2]", r"not checked: an expectation over x \sim q(x)", id="not-gaussian"
    ),
    pytest.param(r"L = \int p(x) \log p(x)\, dx", "not checked: an integral", id="integral"),
    pytest.param(
        r"y = \mathbb{E}_{x \sim \mathcal{N}(0, 1)} x^2",
        r"not checked: an expectation over x \sim \mathcal{N}(0, 1)",
        id="no-brackets",
    ),
    pytest.param(r"y = a + \dots + b", r"not checked: terms left out (\dots)", id="dots"),
    pytest.param(
        r"p(x_{t-1} | x_t) = \mathcal{N}(x_{t-1}; \mu, \Sigma_\theta(x_t, t))",
        r"not checked: a Gaussian with a covariance matrix \Sigma (not isotropic)",
        id="covariance-matrix",
    ),
]


@pytest.mark.parametrize(("latex", "message"), NOT_CHECKED)
def test_what_is_read_but_not_decided_is_not_checked_where_it_is(latex: str, message: str) -> None:
    (result,) = check(display(latex)).results
    assert (result.line, result.verdict, result.message) == (4, "undecided", message)

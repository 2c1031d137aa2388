"""Common mistakes in the forward-marginal and posterior derivations, each a plausible student error.

A mistake replaces one step's left side, right side or relation; the gallery shows the engine's
verdict on it beside the correct step. Every mistake must be refuted, with a counterexample.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from derive.model import Equal, Prose, Relation
from derive.notation import DDPM as N
from derive.objects import Gaussian, Norm

alpha_t, abar_tm1, beta_t, abar_t = N["alpha_t"], N["abar_tm1"], N["beta_t"], N["abar_t"]
x_t, x_tm1, x_0, z, mu, sigma = N["x_t"], N["x_tm1"], N["x_0"], N["z"], N["mu"], N["sigma"]
x, mu_1, mu_2, sigma_1, sigma_2 = N["x"], N["mu_1"], N["mu_2"], N["sigma_1"], N["sigma_2"]


@dataclass(frozen=True)
class Mistake:
    id: str
    #: the derivation and the step it gets wrong
    derivation: str
    step_id: str
    title: Prose
    #: what goes wrong, and how the counterexample shows it
    why: Prose
    lhs: sp.Expr | None = None
    rhs: sp.Expr | None = None
    relation: Relation | None = None


with sp.evaluate(False):
    MISTAKES = (
        Mistake(
            "abar-for-alpha",
            "posterior",
            "quadratic-coefficient",
            Prose(r"$\bar{\alpha}_t$ written for $\alpha_t$", r"把 $\alpha_t$ 写成 $\bar{\alpha}_t$"),
            Prose(
                r"The one-step factor is $\alpha_t$; $\bar{\alpha}_t$ is the product of all of them. They agree only at $t = 1$.",
                r"单步因子是 $\alpha_t$；$\bar{\alpha}_t$ 是所有单步因子的乘积。两者只在 $t = 1$ 时相等。",
            ),
            rhs=abar_t / beta_t + 1 / (1 - abar_tm1),
        ),
        Mistake(
            "t-for-t-minus-1",
            "posterior",
            "posterior-variance-closed",
            Prose(r"$t$ written for $t - 1$", r"把 $t - 1$ 写成 $t$"),
            Prose(
                r"With $\bar{\alpha}_t$ in place of $\bar{\alpha}_{t-1}$ the fraction cancels to $\beta_t$: the forward variance, not the posterior's.",
                r"把 $\bar{\alpha}_{t-1}$ 写成 $\bar{\alpha}_t$ 后分式约成 $\beta_t$：这是前向方差，而不是后验方差。",
            ),
            rhs=beta_t * (1 - abar_t) / (1 - abar_t),
        ),
        Mistake(
            "missing-root",
            "posterior",
            "posterior-mean-closed",
            Prose(r"a missing $\sqrt{\ }$", r"漏掉根号"),
            Prose(
                r"The mean of $q(x_t | x_{t-1})$ is $\sqrt{\alpha_t}\, x_{t-1}$, so the coefficient of $x_t$ carries $\sqrt{\alpha_t}$, not $\alpha_t$.",
                r"$q(x_t | x_{t-1})$ 的均值是 $\sqrt{\alpha_t}\, x_{t-1}$，所以 $x_t$ 的系数含 $\sqrt{\alpha_t}$ 而不是 $\alpha_t$。",
            ),
            rhs=sp.sqrt(abar_tm1) * beta_t / (1 - abar_t) * x_0 + alpha_t * (1 - abar_tm1) / (1 - abar_t) * x_t,
        ),
        Mistake(
            "cross-term-sign",
            "posterior",
            "bracket-expanded",
            Prose("a sign error in the cross term", "交叉项符号错误"),
            Prose(
                r"$(a - b)^2 = a^2 - 2ab + b^2$: the cross term of the first square is $-2\sqrt{\alpha_t}\, x_t x_{t-1}$.",
                r"$(a - b)^2 = a^2 - 2ab + b^2$：第一个平方的交叉项是 $-2\sqrt{\alpha_t}\, x_t x_{t-1}$。",
            ),
            rhs=(x_t**2 + 2 * sp.sqrt(alpha_t) * x_t * x_tm1 + alpha_t * x_tm1**2) / beta_t
            + (x_tm1**2 - 2 * sp.sqrt(abar_tm1) * x_0 * x_tm1 + abar_tm1 * x_0**2) / (1 - abar_tm1),
        ),
        Mistake(
            "forgotten-half",
            "posterior",
            "gaussian-log-density",
            Prose(r"a forgotten $\frac{1}{2}$", r"漏掉 $\frac{1}{2}$"),
            Prose(
                r"The exponent of a Gaussian density is $-\|z - \mu\|^2 / (2\sigma^2)$; without the $2$ the log-density is off by a term that depends on $z$.",
                r"高斯密度的指数是 $-\|z - \mu\|^2 / (2\sigma^2)$；漏掉 $2$ 后对数密度差了一个依赖 $z$ 的项。",
            ),
            rhs=-(Norm(z - mu) ** 2) / sigma**2,
        ),
        Mistake(
            "divide-by-zero-at-t1",
            "posterior",
            "first-step-variance",
            Prose(r"dividing by $1 - \bar{\alpha}_{t-1}$ at $t = 1$", r"在 $t = 1$ 时除以 $1 - \bar{\alpha}_{t-1}$"),
            Prose(
                r"At $t = 1$ the term $1 / (1 - \bar{\alpha}_{t-1})$ of $A$ divides by zero. Dropping it gives $\tilde{\sigma}_1^2 = \beta_1 / \alpha_1$; the limit is $0$, because the term grows without bound.",
                r"在 $t = 1$ 时 $A$ 中的 $1 / (1 - \bar{\alpha}_{t-1})$ 除以零。把这一项丢掉会得到 $\tilde{\sigma}_1^2 = \beta_1 / \alpha_1$；而极限是 $0$，因为这一项无界增长。",
            ),
            rhs=beta_t / alpha_t,
        ),
        Mistake(
            "proportional-as-equal",
            "posterior",
            "log-posterior",
            Prose(r"treating $\propto$ as $=$", r"把 $\propto$ 当成 $=$"),
            Prose(
                r"Dropping the normalising factors and the denominator is allowed only up to a term free of $x_{t-1}$; as an equation, the two sides differ.",
                r"去掉归一化系数和分母只在相差一个与 $x_{t-1}$ 无关的项的意义下成立；作为等式，两边并不相等。",
            ),
            relation=Equal(),
        ),
        Mistake(
            "variance-scaled-by-a",
            "forward",
            "induction-variance",
            Prose(r"a variance scaled by $a$, not $a^2$", r"方差乘以 $a$ 而不是 $a^2$"),
            Prose(
                r"Scaling $x_{t-1}$ by $\sqrt{\alpha_t}$ scales its variance by $\alpha_t$, the square of the factor.",
                r"把 $x_{t-1}$ 乘以 $\sqrt{\alpha_t}$ 后，方差乘以因子的平方 $\alpha_t$。",
            ),
            lhs=sp.sqrt(alpha_t) * (1 - abar_tm1) + beta_t,
        ),
        Mistake(
            "standard-deviations-add",
            "forward",
            "sum-gaussian",
            Prose("adding standard deviations", "把标准差相加"),
            Prose(
                r"For independent Gaussians the variances add, not the standard deviations: $(\sigma_1 + \sigma_2)^2 \neq \sigma_1^2 + \sigma_2^2$.",
                r"独立高斯之和的方差相加，而不是标准差相加：$(\sigma_1 + \sigma_2)^2 \neq \sigma_1^2 + \sigma_2^2$。",
            ),
            rhs=sp.log(Gaussian(x, mu_1 + mu_2, (sigma_1 + sigma_2) ** 2)),
        ),
        Mistake(
            "base-case-marginal",
            "forward",
            "base-case",
            Prose(r"$\bar{\alpha}_1$ taken as $1$", r"把 $\bar{\alpha}_1$ 当成 $1$"),
            Prose(
                r"$\bar{\alpha}_0 = 1$ is the empty product, but $\bar{\alpha}_1 = \alpha_1$: the first step already adds noise of variance $\beta_1$.",
                r"$\bar{\alpha}_0 = 1$ 是空积，但 $\bar{\alpha}_1 = \alpha_1$：第一步就已加入方差为 $\beta_1$ 的噪声。",
            ),
            rhs=Gaussian(x_t, x_0, beta_t),
        ),
    )

"""The forward marginal q(x_t | x_0) = N(√ᾱ_t x_0, (1 - ᾱ_t) I): two lemmas on Gaussians, then induction on t.

Expressions are built under ``sympy.evaluate(False)`` so that they keep the order the author wrote.
"""

from __future__ import annotations

import sympy as sp

from derive.derivations.conventions import SCHEDULE
from derive.derivations.conventions import SECTION as CONVENTIONS
from derive.model import (
    Definition,
    Derivation,
    Equal,
    EqualUpToAdditive,
    EqualUpToTermIn,
    LimitAt,
    Prose,
    Section,
    Step,
)
from derive.notation import DDPM as N
from derive.objects import Density, Gaussian

alpha_t, abar_tm1, beta_t, abar_t = N["alpha_t"], N["abar_tm1"], N["beta_t"], N["abar_t"]
x_t, x_tm1, x_0, q = N["x_t"], N["x_tm1"], N["x_0"], N["q"]
x, u, a, C = N["x"], N["u"], N["a"], N["C"]
mu_1, mu_2, sigma_1, sigma_2 = N["mu_1"], N["mu_2"], N["sigma_1"], N["sigma_2"]
#: the part of a log-density that the lemma lets depend on the variances only
C_of = sp.Function("C")

sum_density = Density(q, [x])
marginal = Density(q, [x_t], [x_0])
previous = Density(q, [x_tm1], [x_0])

with sp.evaluate(False):
    total = sigma_1**2 + sigma_2**2
    inner_mean = (sigma_2**2 * mu_1 + sigma_1**2 * (x - mu_2)) / total
    inner_variance = sigma_1**2 * sigma_2**2 / total
    integrand = sp.log(Gaussian(u, mu_1, sigma_1**2) * Gaussian(x - u, mu_2, sigma_2**2))
    completed = (
        -((u - inner_mean) ** 2) / (2 * inner_variance)
        - (x - (mu_1 + mu_2)) ** 2 / (2 * total)
        + C_of(sigma_1, sigma_2)
    )
    scaled_mean = sp.sqrt(alpha_t) * sp.sqrt(abar_tm1) * x_0
    scaled_variance = alpha_t * (1 - abar_tm1)
    summed_variance = scaled_variance + beta_t
    closed = Gaussian(x_t, sp.sqrt(abar_t) * x_0, 1 - abar_t)

# built unevaluated, like the expressions above, so that every formula keeps the author's order
with sp.evaluate(False):
    steps = (
        *SCHEDULE,
        Step(
            "sum-integrand",
            "sum",
            integrand,
            completed,
            EqualUpToTermIn((sigma_1, sigma_2)),
            Prose(
                r"Let $u \sim \mathcal{N}(\mu_1, \sigma_1^2)$ and $v \sim \mathcal{N}(\mu_2, \sigma_2^2)$ be independent. The density of their sum $u + v$, at $x$, is $\int \mathcal{N}(u; \mu_1, \sigma_1^2)\, \mathcal{N}(x - u; \mu_2, \sigma_2^2)\, du$. Completing the square in $u$, as the posterior derivation does in $x_{t-1}$, the log of the integrand is a square in $u$ plus a square in $x$, up to a term $C$ that depends on the variances only:",
                r"设 $u \sim \mathcal{N}(\mu_1, \sigma_1^2)$ 与 $v \sim \mathcal{N}(\mu_2, \sigma_2^2)$ 相互独立。两者之和 $u + v$ 在 $x$ 处的密度为 $\int \mathcal{N}(u; \mu_1, \sigma_1^2)\, \mathcal{N}(x - u; \mu_2, \sigma_2^2)\, du$。与后验推导中对 $x_{t-1}$ 配方一样，对 $u$ 配方后，被积函数的对数等于关于 $u$ 的平方项加上关于 $x$ 的平方项，再加一个只与方差有关的项 $C$：",
            ),
            written="=",
        ),
        Step(
            "sum-integrated",
            "sum",
            sum_density,
            sp.exp(-((x - (mu_1 + mu_2)) ** 2) / (2 * total) + C),
            Definition(),
            Prose(
                r"Integrating over $u$, the square in $u$ contributes the Gaussian integral $\sqrt{2\pi \sigma_1^2 \sigma_2^2 / (\sigma_1^2 + \sigma_2^2)}$, which does not depend on $x$; it joins the constant $C$:",
                r"对 $u$ 积分时，关于 $u$ 的平方项给出高斯积分 $\sqrt{2\pi \sigma_1^2 \sigma_2^2 / (\sigma_1^2 + \sigma_2^2)}$，与 $x$ 无关，并入常数 $C$：",
            ),
        ),
        Step(
            "sum-gaussian",
            "sum",
            sp.log(sum_density),
            sp.log(Gaussian(x, mu_1 + mu_2, total)),
            EqualUpToAdditive(x),
            Prose(
                "So the sum is Gaussian: the means add and the variances add.",
                "所以两者之和仍是高斯分布：均值相加，方差相加。",
            ),
            uses=("sum-integrated",),
            written="=",
        ),
        Step(
            "scale",
            "scale",
            Gaussian(x / a, mu_1, sigma_1**2) / a,
            Gaussian(x, a * mu_1, a**2 * sigma_1**2),
            Equal(),
            Prose(
                r"If $u \sim \mathcal{N}(\mu_1, \sigma_1^2)$ and $a > 0$, the density of $a u$ at $x$ is that of $u$ at $x / a$, divided by $a$. It is again Gaussian: the mean is scaled by $a$, the variance by $a^2$.",
                r"若 $u \sim \mathcal{N}(\mu_1, \sigma_1^2)$ 且 $a > 0$，则 $a u$ 在 $x$ 处的密度等于 $u$ 的密度在 $x / a$ 处的值再除以 $a$。它仍是高斯分布：均值乘以 $a$，方差乘以 $a^2$。",
            ),
        ),
        Step(
            "forward-step",
            "base",
            Density(q, [x_t], [x_tm1]),
            Gaussian(x_t, sp.sqrt(alpha_t) * x_tm1, beta_t),
            Definition(),
            Prose(
                r"One step of the forward process: $x_t = \sqrt{\alpha_t}\, x_{t-1} + \sqrt{\beta_t}\, \epsilon_t$ with fresh noise $\epsilon_t \sim \mathcal{N}(0, I)$, independent of everything before it.",
                r"前向过程的单步：$x_t = \sqrt{\alpha_t}\, x_{t-1} + \sqrt{\beta_t}\, \epsilon_t$，其中噪声 $\epsilon_t \sim \mathcal{N}(0, I)$ 与之前的一切相互独立。",
            ),
            uses=("beta",),
        ),
        Step(
            "forward-step-noise",
            "base",
            Density(q, [x_t], [x_tm1]),
            Gaussian(x_t - sp.sqrt(alpha_t) * x_tm1, 0, beta_t),
            Equal(),
            Prose(
                r"Equivalently, the noise $x_t - \sqrt{\alpha_t}\, x_{t-1}$ added by the step has mean $0$ and variance $\beta_t$:",
                r"等价地，这一步加入的噪声 $x_t - \sqrt{\alpha_t}\, x_{t-1}$ 均值为 $0$，方差为 $\beta_t$：",
            ),
            uses=("forward-step",),
        ),
        Step(
            "base-case",
            "base",
            closed,
            Gaussian(x_t, sp.sqrt(alpha_t) * x_0, beta_t),
            LimitAt(abar_tm1, sp.Integer(1)),
            Prose(
                r"Base case, $t = 1$: there $\bar{\alpha}_{t-1}$ is $\bar{\alpha}_0 = 1$ (the empty product) and $\bar{\alpha}_1 = \alpha_1$, so the claimed marginal is the forward step from $x_0$ itself, $q(x_1 | x_0)$:",
                r"基础情形 $t = 1$：此时 $\bar{\alpha}_{t-1}$ 即 $\bar{\alpha}_0 = 1$（空积），$\bar{\alpha}_1 = \alpha_1$，所要证明的边缘分布正是从 $x_0$ 出发的单步前向分布 $q(x_1 | x_0)$：",
            ),
            uses=("beta", "abar-recursion"),
        ),
        Step(
            "hypothesis",
            "induction",
            previous,
            Gaussian(x_tm1, sp.sqrt(abar_tm1) * x_0, 1 - abar_tm1),
            Definition(),
            Prose(
                r"Induction step: assume the claim one step earlier, for $x_{t-1}$.",
                r"归纳步：假设结论对前一步的 $x_{t-1}$ 成立。",
            ),
        ),
        Step(
            "hypothesis-noise",
            "induction",
            previous,
            Gaussian(x_tm1 - sp.sqrt(abar_tm1) * x_0, 0, 1 - abar_tm1),
            Equal(),
            Prose(
                r"that is, $x_{t-1}$ is $\sqrt{\bar{\alpha}_{t-1}}\, x_0$ plus noise of mean $0$ and variance $1 - \bar{\alpha}_{t-1}$.",
                r"即 $x_{t-1}$ 等于 $\sqrt{\bar{\alpha}_{t-1}}\, x_0$ 加上均值为 $0$、方差为 $1 - \bar{\alpha}_{t-1}$ 的噪声。",
            ),
            uses=("hypothesis",),
        ),
        Step(
            "induction-mean",
            "induction",
            scaled_mean,
            sp.sqrt(abar_t) * x_0,
            Equal(),
            Prose(
                r"By the scaling lemma with $a = \sqrt{\alpha_t}$, $\sqrt{\alpha_t}\, x_{t-1}$ has mean $\sqrt{\alpha_t} \sqrt{\bar{\alpha}_{t-1}}\, x_0$; the noise $\sqrt{\beta_t}\, \epsilon_t$ has mean $0$. By the sum lemma the means add:",
                r"由缩放引理（取 $a = \sqrt{\alpha_t}$），$\sqrt{\alpha_t}\, x_{t-1}$ 的均值为 $\sqrt{\alpha_t} \sqrt{\bar{\alpha}_{t-1}}\, x_0$；噪声 $\sqrt{\beta_t}\, \epsilon_t$ 的均值为 $0$。由求和引理，均值相加：",
            ),
            uses=("abar-recursion",),
        ),
        Step(
            "induction-variance",
            "induction",
            summed_variance,
            1 - abar_t,
            Equal(),
            Prose(
                r"Its variance is $\alpha_t (1 - \bar{\alpha}_{t-1})$, the noise's is $\beta_t$, and the variances add:",
                r"其方差为 $\alpha_t (1 - \bar{\alpha}_{t-1})$，噪声的方差为 $\beta_t$，方差相加：",
            ),
            uses=("beta", "abar-recursion"),
        ),
        Step(
            "induction-density",
            "induction",
            marginal,
            Gaussian(x_t, scaled_mean, summed_variance),
            Definition(),
            Prose(
                r"So, given $x_0$, $x_t$ is Gaussian with that mean and variance,",
                r"所以在给定 $x_0$ 时，$x_t$ 服从以此为均值和方差的高斯分布，",
            ),
            uses=("hypothesis", "forward-step"),
        ),
        Step(
            "forward-marginal",
            "induction",
            marginal,
            closed,
            Equal(),
            Prose(
                r"which is the claim at $t$. With the base case, it holds for every $t \geq 1$: $x_0$ can be noised to any step in one draw.",
                r"这正是第 $t$ 步的结论。结合基础情形，它对所有 $t \geq 1$ 成立：可以一步把 $x_0$ 加噪到任意第 $t$ 步。",
            ),
            uses=("beta", "abar-recursion", "induction-density"),
        ),
    )


FORWARD = Derivation(
    name="forward",
    title=Prose("The DDPM forward marginal", "DDPM 前向边缘分布"),
    summary=Prose(
        r"Why $q(x_t | x_0) = \mathcal{N}(x_t; \sqrt{\bar{\alpha}_t}\, x_0, (1 - \bar{\alpha}_t) I)$: two lemmas on Gaussians (a sum of independent Gaussians, a scaled Gaussian), then induction on $t$, with every step checked by SymPy.",
        r"为什么 $q(x_t | x_0) = \mathcal{N}(x_t; \sqrt{\bar{\alpha}_t}\, x_0, (1 - \bar{\alpha}_t) I)$：先证明关于高斯分布的两个引理（独立高斯之和、高斯的缩放），再对 $t$ 归纳，每一步都经 SymPy 验证。",
    ),
    notation=N,
    sections=(
        CONVENTIONS,
        Section("sum", Prose("Lemma 1: the sum of two independent Gaussians", "引理 1：两个独立高斯之和")),
        Section("scale", Prose("Lemma 2: a scaled Gaussian", "引理 2：高斯的缩放")),
        Section("base", Prose("Base case: $t = 1$", "基础情形：$t = 1$")),
        Section("induction", Prose(r"Induction step: from $t - 1$ to $t$", r"归纳步：从 $t - 1$ 到 $t$")),
    ),
    steps=steps,
    notes=(
        Prose(
            r"The lemmas are checked per coordinate; with isotropic covariances every coordinate is an independent copy of the scalar case, so they hold for $\mathcal{N}(\mu, \sigma^2 I)$ in any dimension.",
            r"两个引理按坐标验证；协方差各向同性时每个坐标都是标量情形的独立副本，所以它们对任意维数的 $\mathcal{N}(\mu, \sigma^2 I)$ 都成立。",
        ),
    ),
    results=("forward-marginal",),
)

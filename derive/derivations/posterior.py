"""The DDPM posterior q(x_{t-1} | x_t, x_0): its mean and variance, step by step as the seed derives them.

Expressions are built under ``sympy.evaluate(False)`` so that they keep the order the author wrote.
"""

from __future__ import annotations

import sympy as sp

from derive.derivations.conventions import SCHEDULE, SCHEDULE_FIGURE
from derive.derivations.conventions import SECTION as CONVENTIONS
from derive.model import (
    CoefficientOf,
    Definition,
    Derivation,
    Equal,
    EqualUpToAdditive,
    LimitAt,
    Prose,
    Section,
    Step,
)
from derive.notation import DDPM as N
from derive.objects import Bracket, Density, Gaussian, Norm

alpha_t, abar_tm1, beta_t, abar_t = N["alpha_t"], N["abar_tm1"], N["beta_t"], N["abar_t"]
x_t, x_tm1, x_0 = N["x_t"], N["x_tm1"], N["x_0"]
z, mu, sigma = N["z"], N["mu"], N["sigma"]
mu_tilde, sigma_tilde = N["mu_tilde"], N["sigma_tilde"]
S, A, B, C, q = N["S"], N["A"], N["B"], N["C"], N["q"]

forward_step = Density(q, [x_t], [x_tm1])
forward_marginal = Density(q, [x_t], [x_0])
forward_previous = Density(q, [x_tm1], [x_0])
posterior = Density(q, [x_tm1], [x_t, x_0])

with sp.evaluate(False):
    squares = (x_t - sp.sqrt(alpha_t) * x_tm1) ** 2 / beta_t + (x_tm1 - sp.sqrt(abar_tm1) * x_0) ** 2 / (1 - abar_tm1)
    norms = Norm(x_t - sp.sqrt(alpha_t) * x_tm1) ** 2 / beta_t + Norm(x_tm1 - sp.sqrt(abar_tm1) * x_0) ** 2 / (
        1 - abar_tm1
    )
    expanded = (x_t**2 - 2 * sp.sqrt(alpha_t) * x_t * x_tm1 + alpha_t * x_tm1**2) / beta_t + (
        x_tm1**2 - 2 * sp.sqrt(abar_tm1) * x_0 * x_tm1 + abar_tm1 * x_0**2
    ) / (1 - abar_tm1)
    b_value = sp.sqrt(alpha_t) * x_t / beta_t + sp.sqrt(abar_tm1) * x_0 / (1 - abar_tm1)
    variance_closed = beta_t * (1 - abar_tm1) / (1 - abar_t)
    mean_closed = (
        sp.sqrt(abar_tm1) * beta_t / (1 - abar_t) * x_0 + sp.sqrt(alpha_t) * (1 - abar_tm1) / (1 - abar_t) * x_t
    )
    standard_form = (x_tm1 - mu_tilde) ** 2 / sigma_tilde**2

    steps = (
        *SCHEDULE,
        Step(
            "gaussian-log-density",
            "conventions",
            sp.log(Gaussian(z, mu, sigma**2)),
            -(Norm(z - mu) ** 2) / (2 * sigma**2),
            EqualUpToAdditive(z),
            Prose(
                "All densities are isotropic Gaussians. Up to a normalising term that does not involve $z$, the log-density is minus the squared distance to the mean over twice the variance.",
                "所有分布都是各向同性高斯分布。除去与 $z$ 无关的归一化项，其对数密度等于到均值的平方距离除以两倍方差再取负。",
            ),
        ),
        Step(
            "forward-step",
            "conventions",
            forward_step,
            Gaussian(x_t, sp.sqrt(alpha_t) * x_tm1, beta_t),
            Definition(),
            Prose("One step of the forward process.", "前向过程的单步加噪。"),
            uses=("beta",),
        ),
        Step(
            "forward-marginal",
            "conventions",
            forward_marginal,
            Gaussian(x_t, sp.sqrt(abar_t) * x_0, 1 - abar_t),
            Definition(),
            Prose(r"Noising $x_0$ directly to step $t$.", r"从 $x_0$ 直接加噪到第 $t$ 步。"),
            uses=("abar-recursion",),
        ),
        Step(
            "forward-marginal-previous",
            "conventions",
            forward_previous,
            Gaussian(x_tm1, sp.sqrt(abar_tm1) * x_0, 1 - abar_tm1),
            Definition(),
            Prose("The same marginal, one step earlier.", r"同一边缘分布，在第 $t-1$ 步。"),
        ),
        Step(
            "bayes",
            "bayes",
            posterior,
            forward_step * forward_previous / forward_marginal,
            Definition(),
            Prose(
                "Bayes' rule, with the Markov property $q(x_t | x_{t-1}, x_0) = q(x_t | x_{t-1})$ of the forward chain, gives the posterior we are after.",
                "由贝叶斯公式，并利用前向链的马尔可夫性 $q(x_t | x_{t-1}, x_0) = q(x_t | x_{t-1})$，得到目标后验分布。",
            ),
            uses=("beta", "abar-recursion", "forward-step", "forward-marginal", "forward-marginal-previous"),
        ),
        Step(
            "log-posterior",
            "bayes",
            sp.log(posterior),
            -sp.Rational(1, 2) * Bracket(norms),
            EqualUpToAdditive(x_tm1),
            Prose(
                "The denominator does not depend on $x_{t-1}$, nor do the normalising factors of the Gaussians; in log space they are an additive term we may drop.",
                "分母与 $x_{t-1}$ 无关，各高斯分布的归一化系数也与之无关；在对数空间中它们只是一个可以略去的加性项。",
            ),
            uses=("beta", "abar-recursion", "forward-step", "forward-marginal", "forward-marginal-previous", "bayes"),
        ),
        Step(
            "bracket",
            "expand",
            S,
            norms,
            Definition(),
            Prose(
                r"Call the bracket $S$. The goal is to bring it to the form $(x_{t-1} - \tilde{\mu}_t)^2 / \tilde{\sigma}_t^2 + C$, which reads off the mean $\tilde{\mu}_t$ and the variance $\tilde{\sigma}_t^2$.",
                r"把方括号内的部分记为 $S$。目标是把它整理成 $(x_{t-1} - \tilde{\mu}_t)^2 / \tilde{\sigma}_t^2 + C$ 的形式，从而读出均值 $\tilde{\mu}_t$ 与方差 $\tilde{\sigma}_t^2$。",
            ),
            uses=("beta",),
        ),
        Step(
            "bracket-per-coordinate",
            "expand",
            S,
            squares,
            Equal(),
            Prose(
                "The Gaussians are isotropic, so $S$ is a sum over coordinates of the same scalar expression; we work with one coordinate, where the squared norm is a square.",
                "高斯分布是各向同性的，$S$ 是各坐标上同一标量表达式之和；只看一个坐标，平方范数就是平方。",
            ),
            uses=("beta", "bracket"),
        ),
        Step(
            "bracket-expanded",
            "expand",
            S,
            expanded,
            Equal(),
            Prose("Expanding both squares:", "展开两个平方项："),
            uses=("beta", "bracket"),
        ),
        Step(
            "quadratic-coefficient",
            "variance",
            A,
            alpha_t / beta_t + 1 / (1 - abar_tm1),
            CoefficientOf("bracket-expanded", x_tm1, 2),
            Prose(
                r"Collect the terms in $x_{t-1}^2$: their coefficient is $A$.",
                r"合并 $x_{t-1}^2$ 项，其系数记为 $A$。",
            ),
            uses=("beta",),
        ),
        Step(
            "quadratic-coefficient-closed",
            "variance",
            A,
            (1 - abar_t) / (beta_t * (1 - abar_tm1)),
            Equal(),
            Prose(
                r"Over the common denominator, with $\bar{\alpha}_t = \alpha_t \bar{\alpha}_{t-1}$ and $\beta_t = 1 - \alpha_t$, the numerator collapses to $1 - \bar{\alpha}_t$.",
                r"通分，并利用 $\bar{\alpha}_t = \alpha_t \bar{\alpha}_{t-1}$ 与 $\beta_t = 1 - \alpha_t$，分子化为 $1 - \bar{\alpha}_t$。",
            ),
            uses=("beta", "abar-recursion", "quadratic-coefficient"),
        ),
        Step(
            "posterior-variance",
            "variance",
            sigma_tilde**2,
            1 / A,
            Definition(),
            Prose(
                r"In $(x_{t-1} - \tilde{\mu}_t)^2 / \tilde{\sigma}_t^2$ the coefficient of $x_{t-1}^2$ is $1 / \tilde{\sigma}_t^2$, so the posterior variance is $1/A$.",
                r"在 $(x_{t-1} - \tilde{\mu}_t)^2 / \tilde{\sigma}_t^2$ 中 $x_{t-1}^2$ 的系数是 $1 / \tilde{\sigma}_t^2$，所以后验方差为 $1/A$。",
            ),
            uses=("beta", "quadratic-coefficient"),
        ),
        Step(
            "posterior-variance-closed",
            "variance",
            sigma_tilde**2,
            variance_closed,
            Equal(),
            Prose(r"Inverting the closed form of $A$:", r"对 $A$ 的化简结果取倒数："),
            uses=("beta", "abar-recursion", "quadratic-coefficient", "posterior-variance"),
        ),
        Step(
            "linear-coefficient",
            "mean",
            B,
            b_value,
            CoefficientOf("bracket-expanded", x_tm1, 1, sp.Integer(-2)),
            Prose(
                r"Collect the terms linear in $x_{t-1}$; write their coefficient as $-2B$.",
                r"合并 $x_{t-1}$ 的一次项，其系数记为 $-2B$。",
            ),
            uses=("beta",),
        ),
        Step(
            "standard-form",
            "mean",
            None,
            standard_form,
            Definition(),
            Prose("Compare with the square of the target form,", "与目标形式中的平方项对比，"),
            uses=("beta", "quadratic-coefficient", "posterior-variance"),
        ),
        Step(
            "standard-form-linear",
            "mean",
            None,
            -2 * (mu_tilde / sigma_tilde**2),
            CoefficientOf("standard-form", x_tm1, 1),
            Prose(
                r"whose coefficient of $x_{t-1}$ is:",
                r"其中 $x_{t-1}$ 的一次项系数为：",
            ),
            uses=("beta", "quadratic-coefficient", "posterior-variance"),
        ),
        Step(
            "posterior-mean",
            "mean",
            mu_tilde,
            B * sigma_tilde**2,
            Definition(),
            Prose(
                r"Matching $-2B$ with $-2\tilde{\mu}_t / \tilde{\sigma}_t^2$ defines the posterior mean.",
                r"令 $-2B$ 与 $-2\tilde{\mu}_t / \tilde{\sigma}_t^2$ 相等，即得后验均值。",
            ),
            uses=("beta", "quadratic-coefficient", "posterior-variance", "linear-coefficient"),
        ),
        Step(
            "completed-square",
            "mean",
            S,
            standard_form + C,
            EqualUpToAdditive(x_tm1),
            Prose(
                r"With these $\tilde{\mu}_t$ and $\tilde{\sigma}_t^2$, $S$ is indeed the completed square plus a term $C$ free of $x_{t-1}$: the posterior is Gaussian with this mean and variance.",
                r"取上述 $\tilde{\mu}_t$ 与 $\tilde{\sigma}_t^2$ 后，$S$ 确实等于配方后的平方项加上一个与 $x_{t-1}$ 无关的项 $C$：后验分布是以它们为均值和方差的高斯分布。",
            ),
            uses=(
                "beta",
                "bracket",
                "quadratic-coefficient",
                "posterior-variance",
                "linear-coefficient",
                "posterior-mean",
            ),
            written="=",
        ),
        Step(
            "posterior-mean-substituted",
            "substitute",
            mu_tilde,
            b_value * variance_closed,
            Equal(),
            Prose(r"Substitute $B$ and $\tilde{\sigma}_t^2$:", r"代入 $B$ 与 $\tilde{\sigma}_t^2$："),
            uses=(
                "beta",
                "abar-recursion",
                "quadratic-coefficient",
                "posterior-variance",
                "linear-coefficient",
                "posterior-mean",
            ),
        ),
        Step(
            "posterior-mean-closed",
            "substitute",
            mu_tilde,
            mean_closed,
            Equal(),
            Prose(
                r"and simplify each term: $\beta_t$ cancels in the $x_t$ term, $1 - \bar{\alpha}_{t-1}$ in the $x_0$ term.",
                r"分别化简两项：$x_t$ 项中 $\beta_t$ 约去，$x_0$ 项中 $1 - \bar{\alpha}_{t-1}$ 约去。",
            ),
            uses=(
                "beta",
                "abar-recursion",
                "quadratic-coefficient",
                "posterior-variance",
                "linear-coefficient",
                "posterior-mean",
            ),
        ),
        Step(
            "end-to-end",
            "checks",
            Gaussian(x_tm1, mean_closed, variance_closed),
            posterior,
            Equal(),
            Prose(
                "An independent check of the result: the Gaussian with the closed-form mean and variance is exactly the posterior of (8), Bayes' ratio of the three forward densities, normalising constants included.",
                "对结果的独立验证：以闭式均值和方差为参数的高斯密度，恰好等于 (8) 中由三个前向密度按贝叶斯公式组成的后验分布，归一化常数也包括在内。",
            ),
            uses=("beta", "abar-recursion", "forward-step", "forward-marginal", "forward-marginal-previous", "bayes"),
        ),
        Step(
            "first-step-mean",
            "checks",
            mu_tilde,
            x_0,
            LimitAt(abar_tm1, sp.Integer(1)),
            Prose(
                r"At $t = 1$ we have $\bar{\alpha}_0 = 1$, and the steps above that divide by $1 - \bar{\alpha}_{t-1}$ do not apply. The result still has a limit there: the posterior mean is $x_0$ itself,",
                r"当 $t = 1$ 时 $\bar{\alpha}_0 = 1$，上面除以 $1 - \bar{\alpha}_{t-1}$ 的步骤不再适用。结果在该处仍有极限：后验均值就是 $x_0$，",
            ),
            uses=("beta", "quadratic-coefficient", "posterior-variance", "linear-coefficient", "posterior-mean"),
        ),
        Step(
            "first-step-variance",
            "checks",
            sigma_tilde**2,
            sp.Integer(0),
            LimitAt(abar_tm1, sp.Integer(1)),
            Prose(
                "and the posterior variance vanishes: given $x_0$, the step before $x_1$ is known exactly.",
                "而后验方差为零：已知 $x_0$ 时，$x_1$ 的前一步是确定的。",
            ),
            uses=("beta", "quadratic-coefficient", "posterior-variance"),
        ),
    )

SECTIONS = (
    CONVENTIONS,
    Section("bayes", Prose("Step 1: expand the posterior with Bayes' rule", "步骤 1：用贝叶斯公式展开后验分布")),
    Section("expand", Prose("Step 2: expand the squares", "步骤 2：展开平方项")),
    Section("variance", Prose(r"(1) The $x_{t-1}^2$ terms: the posterior variance", "（1）合并二次项：求后验方差")),
    Section("mean", Prose(r"(2) The $x_{t-1}$ terms: the posterior mean", "（2）合并一次项：求后验均值")),
    Section("substitute", Prose("Step 3: substitute and simplify", "步骤 3：代入并化简")),
    Section("checks", Prose("Checks: the whole result, and $t = 1$", "验证：整体结果与 $t = 1$ 的情形")),
)

POSTERIOR = Derivation(
    name="posterior",
    title=Prose("The DDPM posterior mean", "DDPM 后验均值公式推导"),
    summary=Prose(
        "A step-by-step derivation of the mean and variance of $q(x_{t-1} | x_t, x_0)$ in denoising diffusion probabilistic models (DDPM), with every step checked by SymPy.",
        "对去噪扩散概率模型（DDPM）中 $q(x_{t-1} | x_t, x_0)$ 的均值与方差的逐步推导，每一步都经 SymPy 验证。",
    ),
    notation=N,
    sections=SECTIONS,
    steps=steps,
    figures=(SCHEDULE_FIGURE,),
    notes=(
        Prose(
            r"Why one coordinate suffices: with isotropic covariances $\sigma^2 I$, every density above is a product over the $d$ coordinates of the same scalar Gaussian, because $\|z - \mu\|^2 = \sum_{k=1}^{d} (z_k - \mu_k)^2$ and $\det(\sigma^2 I) = (\sigma^2)^d$. Bayes' rule then also factorises per coordinate, so the scalar result checked here holds in every coordinate, with the mean $\tilde{\mu}_t$ applied coordinate-wise and the same variance $\tilde{\sigma}_t^2$.",
            r"为什么只看一个坐标就够了：协方差为各向同性的 $\sigma^2 I$，上面每个密度都是 $d$ 个坐标上同一标量高斯密度的乘积，因为 $\|z - \mu\|^2 = \sum_{k=1}^{d} (z_k - \mu_k)^2$ 且 $\det(\sigma^2 I) = (\sigma^2)^d$。于是贝叶斯公式也按坐标分解，这里验证的标量结果在每个坐标上都成立：均值 $\tilde{\mu}_t$ 逐坐标作用，方差 $\tilde{\sigma}_t^2$ 相同。",
        ),
    ),
    results=("posterior-variance-closed", "posterior-mean-closed"),
)

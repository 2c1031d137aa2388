"""The ε-parameterisation: x_0 from the noise, the posterior mean in terms of the noise, and the score.

Expressions are built under ``sympy.evaluate(False)`` so that they keep the order the author wrote.
"""

from __future__ import annotations

import sympy as sp

from derive.derivations.conventions import SCHEDULE
from derive.derivations.conventions import SECTION as CONVENTIONS
from derive.derivations.posterior import mean_closed
from derive.model import Definition, Derivation, Equal, Prose, Section, Step
from derive.notation import DDPM as N
from derive.objects import Density, Gaussian

alpha_t, abar_tm1, beta_t, abar_t = N["alpha_t"], N["abar_tm1"], N["beta_t"], N["abar_t"]
x_t, x_0, q = N["x_t"], N["x_0"], N["q"]
epsilon, mu_tilde = N["epsilon"], N["mu_tilde"]

marginal = Density(q, [x_t], [x_0])

with sp.evaluate(False):
    x0_from_epsilon = (x_t - sp.sqrt(1 - abar_t) * epsilon) / sp.sqrt(abar_t)
    mean_epsilon = (x_t - beta_t / sp.sqrt(1 - abar_t) * epsilon) / sp.sqrt(alpha_t)
    steps = (
        *SCHEDULE,
        Step(
            "forward-marginal",
            "reparameterisation",
            marginal,
            Gaussian(x_t, sp.sqrt(abar_t) * x_0, 1 - abar_t),
            Definition(),
            Prose(
                "The forward marginal, proved in the derivation of the forward process:",
                "前向边缘分布（已在前向过程的推导中证明）：",
            ),
            uses=("abar-recursion",),
        ),
        Step(
            "noise",
            "reparameterisation",
            epsilon,
            (x_t - sp.sqrt(abar_t) * x_0) / sp.sqrt(1 - abar_t),
            Definition(),
            Prose(
                r"Standardising $x_t$ gives the noise that produced it, $\epsilon \sim \mathcal{N}(0, I)$:",
                r"把 $x_t$ 标准化，就得到产生它的噪声 $\epsilon \sim \mathcal{N}(0, I)$：",
            ),
        ),
        Step(
            "reparameterisation",
            "reparameterisation",
            x_t,
            sp.sqrt(abar_t) * x_0 + sp.sqrt(1 - abar_t) * epsilon,
            Equal(),
            Prose(
                "equivalently, the reparameterisation used to sample $x_t$ in one draw:",
                "等价地，这就是一步采样 $x_t$ 所用的重参数化：",
            ),
            uses=("noise",),
        ),
        Step(
            "x0-from-epsilon",
            "x0",
            x_0,
            x0_from_epsilon,
            Equal(),
            Prose(
                r"Solving for $x_0$: a network that predicts the noise $\epsilon$ from $x_t$ also predicts $x_0$.",
                r"解出 $x_0$：能从 $x_t$ 预测噪声 $\epsilon$ 的网络，也就能预测 $x_0$。",
            ),
            uses=("noise",),
        ),
        Step(
            "posterior-mean",
            "mean",
            mu_tilde,
            mean_closed,
            Definition(),
            Prose(
                r"The posterior mean of $q(x_{t-1} | x_t, x_0)$, proved in the posterior derivation:",
                r"$q(x_{t-1} | x_t, x_0)$ 的后验均值（已在后验推导中证明）：",
            ),
        ),
        Step(
            "mean-substituted",
            "mean",
            mu_tilde,
            sp.sqrt(abar_tm1) * beta_t / (1 - abar_t) * x0_from_epsilon
            + sp.sqrt(alpha_t) * (1 - abar_tm1) / (1 - abar_t) * x_t,
            Equal(),
            Prose(
                r"Substitute $x_0$ from the noise:",
                r"用噪声表示的 $x_0$ 代入：",
            ),
            uses=("noise", "posterior-mean"),
        ),
        Step(
            "mean-epsilon",
            "mean",
            mu_tilde,
            mean_epsilon,
            Equal(),
            Prose(
                r"and collect the $x_t$ terms: with $\sqrt{\bar{\alpha}_t} = \sqrt{\alpha_t} \sqrt{\bar{\alpha}_{t-1}}$ their coefficient is $(\alpha_t (1 - \bar{\alpha}_{t-1}) + \beta_t) / (\sqrt{\alpha_t} (1 - \bar{\alpha}_t)) = 1 / \sqrt{\alpha_t}$. The mean needs only $x_t$ and the noise:",
                r"合并 $x_t$ 项：利用 $\sqrt{\bar{\alpha}_t} = \sqrt{\alpha_t} \sqrt{\bar{\alpha}_{t-1}}$，其系数为 $(\alpha_t (1 - \bar{\alpha}_{t-1}) + \beta_t) / (\sqrt{\alpha_t} (1 - \bar{\alpha}_t)) = 1 / \sqrt{\alpha_t}$。均值只需要 $x_t$ 和噪声：",
            ),
            uses=("beta", "abar-recursion", "noise", "posterior-mean"),
        ),
        Step(
            "score",
            "score",
            sp.Derivative(sp.log(marginal), x_t),
            -(x_t - sp.sqrt(abar_t) * x_0) / (1 - abar_t),
            Equal(),
            Prose(
                r"The score of the forward marginal, the gradient of its log-density in $x_t$ (per coordinate),",
                r"前向边缘分布的得分函数，即其对数密度关于 $x_t$ 的梯度（按坐标），",
            ),
            uses=("forward-marginal",),
        ),
        Step(
            "score-epsilon",
            "score",
            sp.Derivative(sp.log(marginal), x_t),
            -epsilon / sp.sqrt(1 - abar_t),
            Equal(),
            Prose(
                r"is the noise, scaled: predicting $\epsilon$ is estimating the score, up to the factor $-1 / \sqrt{1 - \bar{\alpha}_t}$.",
                r"正是缩放后的噪声：预测 $\epsilon$ 就是估计得分函数，只差因子 $-1 / \sqrt{1 - \bar{\alpha}_t}$。",
            ),
            uses=("forward-marginal", "noise"),
        ),
    )

EPSILON = Derivation(
    name="epsilon",
    title=Prose(r"The $\epsilon$-parameterisation of DDPM", r"DDPM 的 $\epsilon$ 参数化"),
    summary=Prose(
        r"Writing $x_t$ through the noise $\epsilon$ that produced it: $x_0$ from $\epsilon$, the posterior mean $\tilde{\mu}_t$ in terms of $x_t$ and $\epsilon$, and the score $\nabla_{x_t} \log q(x_t | x_0) = -\epsilon / \sqrt{1 - \bar{\alpha}_t}$, with every step checked by SymPy.",
        r"用产生 $x_t$ 的噪声 $\epsilon$ 来表示：由 $\epsilon$ 求 $x_0$，用 $x_t$ 与 $\epsilon$ 表示后验均值 $\tilde{\mu}_t$，以及得分函数 $\nabla_{x_t} \log q(x_t | x_0) = -\epsilon / \sqrt{1 - \bar{\alpha}_t}$，每一步都经 SymPy 验证。",
    ),
    notation=N,
    sections=(
        CONVENTIONS,
        Section("reparameterisation", Prose("The noise behind $x_t$", r"$x_t$ 背后的噪声")),
        Section("x0", Prose(r"$x_0$ from the noise", r"由噪声求 $x_0$")),
        Section("mean", Prose(r"The posterior mean in terms of the noise", r"用噪声表示后验均值")),
        Section("score", Prose("The score", "得分函数")),
    ),
    steps=steps,
    results=("x0-from-epsilon", "mean-epsilon", "score-epsilon"),
)

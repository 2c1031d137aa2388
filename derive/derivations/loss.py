"""The DDPM loss: the KL divergence of two Gaussians, the term L_{t-1}, its ε form and the simplified loss.

Expressions are built under ``sympy.evaluate(False)`` so that they keep the order the author wrote.
"""

from __future__ import annotations

import sympy as sp

from derive.derivations.conventions import SCHEDULE
from derive.derivations.conventions import SECTION as CONVENTIONS
from derive.model import Definition, Derivation, Equal, EqualUpToAdditive, Prose, Section, Step
from derive.notation import DDPM as N
from derive.objects import KL, Density, Expectation, Gaussian, Norm

alpha_t, abar_tm1, beta_t, abar_t = N["alpha_t"], N["abar_tm1"], N["beta_t"], N["abar_t"]
x_t, x_tm1, x_0, q, p_theta = N["x_t"], N["x_tm1"], N["x_0"], N["q"], N["p_theta"]
x, C, sigma = N["x"], N["C"], N["sigma"]
mu_1, mu_2, sigma_1, sigma_2 = N["mu_1"], N["mu_2"], N["sigma_1"], N["sigma_2"]
mu_tilde, sigma_tilde, mu_theta, sigma_t = N["mu_tilde"], N["sigma_tilde"], N["mu_theta"], N["sigma_t"]
epsilon, epsilon_theta, beta_tilde = N["epsilon"], N["epsilon_theta"], N["beta_tilde"]
L_tm1, L_simple, w_t = N["L_tm1"], N["L_simple"], N["w_t"]

posterior = Density(q, [x_tm1], [x_t, x_0])
reverse = Density(p_theta, [x_tm1], [x_t])

with sp.evaluate(False):
    first, second = Gaussian(x, mu_1, sigma_1**2), Gaussian(x, mu_2, sigma_2**2)
    kl_closed = sp.log(sigma_2 / sigma_1) + (sigma_1**2 + (mu_1 - mu_2) ** 2) / (2 * sigma_2**2) - sp.Rational(1, 2)
    weight = beta_t**2 / (2 * sigma_t**2 * alpha_t * (1 - abar_t))
    steps = (
        *SCHEDULE,
        Step(
            "kl-definition",
            "kl",
            KL(first, second),
            Expectation(sp.log(first) - sp.log(second), x, mu_1, sigma_1**2),
            Equal(),
            Prose(
                r"The KL divergence of two densities is the expected log-ratio under the first; for two Gaussians (per coordinate),",
                r"两个密度的 KL 散度是在第一个分布下对数比值的期望；对两个高斯分布（按坐标），",
            ),
        ),
        Step(
            "second-moment",
            "kl",
            Expectation((x - mu_2) ** 2, x, mu_1, sigma_1**2),
            sigma_1**2 + (mu_1 - mu_2) ** 2,
            Equal(),
            Prose(
                r"The log-ratio is a quadratic in $x$; under the first Gaussian the mean square of $x - \mu_1$ is the variance $\sigma_1^2$, and around the other mean",
                r"对数比值是 $x$ 的二次式；在第一个高斯分布下 $x - \mu_1$ 的均方等于方差 $\sigma_1^2$，而围绕另一个均值有",
            ),
        ),
        Step(
            "kl-gaussians",
            "kl",
            KL(first, second),
            kl_closed,
            Equal(),
            Prose(
                "Taking the expectation term by term gives the general formula:",
                "逐项取期望，得到一般公式：",
            ),
        ),
        Step(
            "kl-equal-variances",
            "kl",
            KL(Gaussian(x, mu_1, sigma**2), Gaussian(x, mu_2, sigma**2)),
            (mu_1 - mu_2) ** 2 / (2 * sigma**2),
            Equal(),
            Prose(
                r"With equal variances the log term and the constants cancel: what is left is the squared distance of the means.",
                r"方差相等时，对数项与常数相互抵消，只剩下均值之差的平方。",
            ),
        ),
        Step(
            "posterior",
            "term",
            posterior,
            Gaussian(x_tm1, mu_tilde, sigma_tilde**2),
            Definition(),
            Prose(
                r"The posterior of the forward process, derived in the posterior derivation,",
                r"前向过程的后验分布（见后验推导），",
            ),
        ),
        Step(
            "reverse",
            "term",
            reverse,
            Gaussian(x_tm1, mu_theta, sigma_t**2),
            Definition(),
            Prose(
                r"and the learned reverse step, with a mean $\mu_\theta(x_t, t)$ from the network and a fixed variance $\sigma_t^2$.",
                r"以及学习得到的反向一步：均值 $\mu_\theta(x_t, t)$ 由网络给出，方差 $\sigma_t^2$ 固定。",
            ),
        ),
        Step(
            "loss-term",
            "term",
            L_tm1,
            KL(posterior, reverse),
            Definition(),
            Prose(
                r"The variational bound has one term per step $t \geq 2$: the divergence of the reverse step from the posterior.",
                r"变分下界在每个 $t \geq 2$ 的步上有一项：反向一步与后验分布之间的散度。",
            ),
        ),
        Step(
            "loss-term-means",
            "term",
            L_tm1,
            Norm(mu_tilde - mu_theta) ** 2 / (2 * sigma_t**2) + C,
            EqualUpToAdditive(mu_theta),
            Prose(
                r"By the general formula, everything but the distance of the means is free of the network: a term $C$ that training can ignore.",
                r"由一般公式，除均值之差外的一切都与网络无关：训练时可以忽略的项 $C$。",
            ),
            uses=("loss-term", "posterior", "reverse"),
            written="=",
        ),
        Step(
            "mean-epsilon",
            "epsilon",
            mu_tilde,
            (x_t - beta_t / sp.sqrt(1 - abar_t) * epsilon) / sp.sqrt(alpha_t),
            Definition(),
            Prose(
                r"The posterior mean in terms of the noise, from the $\epsilon$-parameterisation,",
                r"用噪声表示的后验均值（见 $\epsilon$ 参数化的推导），",
            ),
        ),
        Step(
            "model-mean",
            "epsilon",
            mu_theta,
            (x_t - beta_t / sp.sqrt(1 - abar_t) * epsilon_theta) / sp.sqrt(alpha_t),
            Definition(),
            Prose(
                r"suggests giving the network's mean the same form, with a prediction $\epsilon_\theta(x_t, t)$ of the noise:",
                r"启发我们让网络的均值采用同样的形式，其中 $\epsilon_\theta(x_t, t)$ 是对噪声的预测：",
            ),
        ),
        Step(
            "means-to-noise",
            "epsilon",
            Norm(mu_tilde - mu_theta) ** 2 / (2 * sigma_t**2),
            weight * Norm(epsilon - epsilon_theta) ** 2,
            Equal(),
            Prose(
                r"The $x_t$ terms cancel in the difference of the means, which becomes a difference of noises:",
                r"两个均值之差中 $x_t$ 项相互抵消，变成噪声之差：",
            ),
            uses=("mean-epsilon", "model-mean"),
        ),
        Step(
            "weight",
            "simple",
            w_t,
            weight,
            Definition(),
            Prose(
                r"Call the factor in front the weight $w_t$,",
                r"把前面的系数记为权重 $w_t$，",
            ),
        ),
        Step(
            "simple-loss",
            "simple",
            L_simple,
            Norm(epsilon - epsilon_theta) ** 2,
            Definition(),
            Prose(
                r"and the squared error of the noise prediction $L_{\mathrm{simple}}$.",
                r"把噪声预测的平方误差记为 $L_{\mathrm{simple}}$。",
            ),
        ),
        Step(
            "loss-term-weighted",
            "simple",
            L_tm1,
            w_t * L_simple + C,
            EqualUpToAdditive(epsilon_theta),
            Prose(
                r"Each term of the bound is the weighted noise error, up to a term free of the network:",
                r"变分下界的每一项都是加权的噪声误差，再加一个与网络无关的项：",
            ),
            uses=("loss-term", "posterior", "reverse", "mean-epsilon", "model-mean", "weight", "simple-loss"),
            written="=",
        ),
        Step(
            "weight-beta",
            "simple",
            beta_t**2 / (2 * beta_t * alpha_t * (1 - abar_t)),
            beta_t / (2 * alpha_t * (1 - abar_t)),
            Equal(),
            Prose(
                r"If the variance $\sigma_t^2$ is chosen as $\beta_t$, the weight is",
                r"若方差 $\sigma_t^2$ 取为 $\beta_t$，权重为",
            ),
        ),
        Step(
            "posterior-variance",
            "simple",
            beta_tilde,
            (1 - abar_tm1) / (1 - abar_t) * beta_t,
            Definition(),
            Prose(
                r"and if it is chosen as the posterior variance $\tilde{\beta}_t$,",
                r"若取为后验方差 $\tilde{\beta}_t$，",
            ),
        ),
        Step(
            "weight-beta-tilde",
            "simple",
            beta_t**2 / (2 * beta_tilde * alpha_t * (1 - abar_t)),
            beta_t / (2 * alpha_t * (1 - abar_tm1)),
            Equal(),
            Prose(
                r"it is this, which grows without bound as $t \to 1$.",
                r"权重如下，当 $t \to 1$ 时无界增长。",
            ),
            uses=("posterior-variance",),
        ),
    )

LOSS = Derivation(
    name="loss",
    title=Prose("The DDPM training loss", "DDPM 的训练损失"),
    summary=Prose(
        r"From the variational bound to the loss DDPM trains with: the KL divergence of two Gaussians, the term $L_{t-1} = \|\tilde{\mu}_t - \mu_\theta\|^2 / (2\sigma_t^2) + C$, its form in the noise with the weight $\beta_t^2 / (2\sigma_t^2 \alpha_t (1 - \bar{\alpha}_t))$, and the simplified loss that drops the weight, with every step checked by SymPy.",
        r"从变分下界到 DDPM 实际训练的损失：两个高斯分布的 KL 散度，$L_{t-1} = \|\tilde{\mu}_t - \mu_\theta\|^2 / (2\sigma_t^2) + C$，它用噪声表示的形式及权重 $\beta_t^2 / (2\sigma_t^2 \alpha_t (1 - \bar{\alpha}_t))$，以及去掉权重的简化损失，每一步都经 SymPy 验证。",
    ),
    notation=N,
    sections=(
        CONVENTIONS,
        Section("kl", Prose("The KL divergence of two Gaussians", "两个高斯分布的 KL 散度")),
        Section("term", Prose(r"One term of the bound: $L_{t-1}$", r"变分下界的一项：$L_{t-1}$")),
        Section("epsilon", Prose("The term in the noise", "用噪声表示这一项")),
        Section("simple", Prose("The weight, and the simplified loss", "权重与简化损失")),
    ),
    steps=steps,
    notes=(
        Prose(
            r"What dropping the weight means: $L_{\mathrm{simple}}$ trains every $t$ with weight $1$ instead of $w_t$. Both weights above are largest at small $t$, where $1 - \bar{\alpha}_t$ is small, so the simplified loss gives the small-noise steps less weight than the bound does and the harder, large-$t$ denoising more. It is no longer a bound on the likelihood; Ho et al. (2020) found that it trains more stably and gives better samples.",
            r"去掉权重意味着什么：$L_{\mathrm{simple}}$ 对每个 $t$ 使用权重 $1$ 而不是 $w_t$。上面两种权重都在 $t$ 较小时最大（此时 $1 - \bar{\alpha}_t$ 很小），因此简化损失相对于变分下界降低了小噪声步的权重，提高了更难的大 $t$ 去噪步的权重。它不再是似然的下界；Ho 等人（2020）发现它训练更稳定，样本质量更好。",
        ),
        Prose(
            r"Per coordinate: for isotropic Gaussians in $d$ dimensions the divergence is the sum of $d$ scalar divergences, so $\|\tilde{\mu}_t - \mu_\theta\|^2$ appears in place of the scalar square and the constants are multiplied by $d$.",
            r"按坐标：对 $d$ 维各向同性高斯分布，散度是 $d$ 个标量散度之和，所以标量平方换成 $\|\tilde{\mu}_t - \mu_\theta\|^2$，常数乘以 $d$。",
        ),
    ),
    results=("loss-term-means", "loss-term-weighted"),
)

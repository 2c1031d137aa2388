"""The DDPM sampling step, and the two choices of its variance: β_t and the posterior variance β̃_t.

Expressions are built under ``sympy.evaluate(False)`` so that they keep the order the author wrote.
"""

from __future__ import annotations

import sympy as sp

from derive.derivations.conventions import SCHEDULE, SCHEDULE_FIGURE
from derive.derivations.conventions import SECTION as CONVENTIONS
from derive.model import CoefficientOf, Definition, Derivation, Equal, LimitAt, Prose, Section, Step
from derive.notation import DDPM as N

alpha_t, abar_tm1, beta_t, abar_t = N["alpha_t"], N["abar_tm1"], N["beta_t"], N["abar_t"]
x_t, x_tm1, z, A = N["x_t"], N["x_tm1"], N["z"], N["A"]
mu_theta, sigma_t, epsilon_theta, beta_tilde = N["mu_theta"], N["sigma_t"], N["epsilon_theta"], N["beta_tilde"]

with sp.evaluate(False):
    model_mean = (x_t - beta_t / sp.sqrt(1 - abar_t) * epsilon_theta) / sp.sqrt(alpha_t)
    steps = (
        *SCHEDULE,
        Step(
            "posterior-variance",
            "variance",
            beta_tilde,
            (1 - abar_tm1) / (1 - abar_t) * beta_t,
            Definition(),
            Prose(
                r"The reverse step needs a variance $\sigma_t^2$. Two choices are natural. One is the posterior variance of $q(x_{t-1} | x_t, x_0)$, from the posterior derivation:",
                r"反向一步需要一个方差 $\sigma_t^2$。有两个自然的选择。其一是 $q(x_{t-1} | x_t, x_0)$ 的后验方差（见后验推导）：",
            ),
        ),
        Step(
            "variance-gap",
            "variance",
            beta_t - beta_tilde,
            beta_t**2 * abar_tm1 / (1 - abar_t),
            Equal(),
            Prose(
                r"The other is $\beta_t$ itself. The two differ by a positive amount, so $\tilde{\beta}_t < \beta_t$:",
                r"其二是 $\beta_t$ 本身。两者之差为正，所以 $\tilde{\beta}_t < \beta_t$：",
            ),
            uses=("beta", "abar-recursion", "posterior-variance"),
        ),
        Step(
            "gaussian-data",
            "optimal",
            None,
            x_tm1**2 + (x_t - sp.sqrt(alpha_t) * x_tm1) ** 2 / beta_t,
            Definition(),
            Prose(
                r"Which is right depends on the data. If $x_0 \sim \mathcal{N}(0, I)$, then every $x_{t-1} \sim \mathcal{N}(0, I)$ too (its variance is $\bar{\alpha}_{t-1} + 1 - \bar{\alpha}_{t-1} = 1$), and the true reverse step $q(x_{t-1} | x_t)$ is, by Bayes' rule, the Gaussian whose $-2 \log$-density is, up to terms free of $x_{t-1}$,",
                r"哪个正确取决于数据。若 $x_0 \sim \mathcal{N}(0, I)$，则每个 $x_{t-1} \sim \mathcal{N}(0, I)$（其方差为 $\bar{\alpha}_{t-1} + 1 - \bar{\alpha}_{t-1} = 1$），由贝叶斯公式，真实的反向一步 $q(x_{t-1} | x_t)$ 是高斯分布，其 $-2 \log$ 密度除去与 $x_{t-1}$ 无关的项为",
            ),
        ),
        Step(
            "gaussian-data-precision",
            "optimal",
            A,
            1 + alpha_t / beta_t,
            CoefficientOf("gaussian-data", x_tm1, 2),
            Prose(
                r"Its coefficient of $x_{t-1}^2$ is the inverse variance,",
                r"其中 $x_{t-1}^2$ 的系数是方差的倒数，",
            ),
        ),
        Step(
            "gaussian-data-variance",
            "optimal",
            1 / A,
            beta_t,
            Equal(),
            Prose(
                r"so the reverse variance is exactly $\beta_t$: choosing $\beta_t$ for $\sigma_t^2$ is optimal when the data are standard Gaussian.",
                r"所以反向方差恰好是 $\beta_t$：当数据服从标准高斯分布时，$\sigma_t^2$ 取 $\beta_t$ 是最优的。",
            ),
            uses=("beta", "gaussian-data-precision"),
        ),
        Step(
            "model-mean",
            "step",
            mu_theta,
            model_mean,
            Definition(),
            Prose(
                r"If instead $x_0$ is one fixed point, the reverse step is the posterior itself, with variance $\tilde{\beta}_t$: that choice is optimal for data concentrated at a point. Ho et al. (2020) found that both give similar samples. The reverse step's mean, in the $\epsilon$-parameterisation the loss trains,",
                r"若 $x_0$ 是一个固定点，反向一步就是后验分布本身，方差为 $\tilde{\beta}_t$：对集中在一点的数据，这一选择是最优的。Ho 等人（2020）发现两者的样本质量相近。反向一步的均值采用训练损失所用的 $\epsilon$ 参数化，",
            ),
        ),
        Step(
            "reverse-step",
            "step",
            x_tm1,
            mu_theta + sigma_t * z,
            Definition(),
            Prose(
                r"and a sample of the reverse step, with fresh noise $z \sim \mathcal{N}(0, I)$,",
                r"用新的噪声 $z \sim \mathcal{N}(0, I)$ 对反向一步采样，",
            ),
        ),
        Step(
            "sampling-step",
            "step",
            x_tm1,
            model_mean + sigma_t * z,
            Equal(),
            Prose(
                "give the sampling step of DDPM:",
                "得到 DDPM 的采样步骤：",
            ),
            uses=("model-mean", "reverse-step"),
        ),
        Step(
            "last-step-variance",
            "last",
            beta_t - beta_tilde,
            beta_t,
            LimitAt(abar_tm1, sp.Integer(1)),
            Prose(
                r"At $t = 1$, $\bar{\alpha}_0 = 1$ and the posterior variance vanishes: the gap to $\beta_t$ is all of $\beta_t$,",
                r"在 $t = 1$ 时 $\bar{\alpha}_0 = 1$，后验方差为零：它与 $\beta_t$ 之差就是 $\beta_t$ 本身，",
            ),
            uses=("posterior-variance",),
        ),
        Step(
            "last-step",
            "last",
            mu_theta + sp.sqrt(beta_tilde) * z,
            model_mean,
            LimitAt(abar_tm1, sp.Integer(1)),
            Prose(
                r"so with $\tilde{\beta}_t$ for $\sigma_t^2$ the last step adds no noise and returns the mean. With $\beta_t$ it would; that is why the sampler sets $z = 0$ at $t = 1$, and returns the mean as the sample $x_0$.",
                r"所以 $\sigma_t^2$ 取 $\tilde{\beta}_t$ 时最后一步不加噪声，直接返回均值。取 $\beta_t$ 时仍会加噪，这就是采样器在 $t = 1$ 时令 $z = 0$、把均值作为样本 $x_0$ 返回的原因。",
            ),
            uses=("posterior-variance", "model-mean"),
        ),
    )

SAMPLING = Derivation(
    name="sampling",
    title=Prose("The DDPM sampling step", "DDPM 的采样步骤"),
    summary=Prose(
        r"The step that turns noise into data, $x_{t-1} = \frac{1}{\sqrt{\alpha_t}} \left(x_t - \frac{\beta_t}{\sqrt{1 - \bar{\alpha}_t}} \epsilon_\theta\right) + \sigma_t z$, the two choices $\beta_t$ and $\tilde{\beta}_t$ for the variance $\sigma_t^2$ and what each is optimal for, and the last step at $t = 1$, with every step checked by SymPy.",
        r"把噪声变成数据的一步 $x_{t-1} = \frac{1}{\sqrt{\alpha_t}} \left(x_t - \frac{\beta_t}{\sqrt{1 - \bar{\alpha}_t}} \epsilon_\theta\right) + \sigma_t z$，方差 $\sigma_t^2$ 的两种选择 $\beta_t$ 与 $\tilde{\beta}_t$ 各自在何时最优，以及 $t = 1$ 时的最后一步，每一步都经 SymPy 验证。",
    ),
    notation=N,
    sections=(
        CONVENTIONS,
        Section("variance", Prose("Two variances", "两种方差")),
        Section("optimal", Prose(r"When $\beta_t$ is the optimal variance", r"何时 $\beta_t$ 是最优方差")),
        Section("step", Prose("The sampling step", "采样步骤")),
        Section("last", Prose("The last step, $t = 1$", "最后一步：$t = 1$")),
    ),
    steps=steps,
    figures=(SCHEDULE_FIGURE,),
    results=("sampling-step",),
)

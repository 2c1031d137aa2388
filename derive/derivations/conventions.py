"""The noise schedule every DDPM derivation starts from: α_t = 1 - β_t, ᾱ_t as a product, its recursion."""

from __future__ import annotations

import sympy as sp

from derive.model import Definition, Equal, Figure, Prose, Section, Step
from derive.notation import DDPM as N

alpha_t, abar_tm1, beta_t, abar_t = N["alpha_t"], N["abar_tm1"], N["beta_t"], N["abar_t"]
alpha, i, t = N["alpha"], N["i"], N["t"]

with sp.evaluate(False):
    recursion = alpha_t * abar_tm1

SECTION = Section(
    "conventions",
    Prose("Conventions", "前置约定"),
    Prose(
        "The symbols and facts of the forward diffusion process that the derivation uses.",
        "首先统一扩散模型前向过程的基础符号和性质。",
    ),
)

SCHEDULE = (
    Step(
        "noise-schedule",
        "conventions",
        alpha_t,
        1 - beta_t,
        Definition(),
        Prose(
            r"Each forward step adds noise of variance $\beta_t \in (0, 1)$ and keeps the fraction $\alpha_t = 1 - \beta_t$ of the signal's variance.",
            r"每一步前向加噪的方差为 $\beta_t \in (0, 1)$，信号方差保留的比例为 $\alpha_t = 1 - \beta_t$。",
        ),
        establishes="beta",
    ),
    Step(
        "cumulative-product",
        "conventions",
        abar_t,
        sp.Product(alpha[i], (i, 1, t)),
        Definition(),
        Prose(
            r"$\bar{\alpha}_t$ is the fraction of the signal that survives $t$ steps: the product of all $\alpha_i$ up to $t$.",
            r"$\bar{\alpha}_t$ 是经过 $t$ 步后仍保留的信号比例，即 $\alpha_1$ 到 $\alpha_t$ 的连乘。",
        ),
        establishes="abar-product",
    ),
    Step(
        "cumulative-recursion",
        "conventions",
        abar_t,
        recursion,
        Equal(),
        Prose(
            r"Splitting off the last factor of the product gives the recursion used throughout (for $t \geq 1$; $\bar{\alpha}_0 = 1$ is the empty product).",
            r"把连乘的最后一个因子单独提出，就得到后文反复使用的递推式（$t \geq 1$；$\bar{\alpha}_0 = 1$ 为空积）。",
        ),
        uses=("abar-product",),
        establishes="abar-recursion",
    ),
)

#: made by ``derive build`` from the verified coefficients (derive/derivations/figures.py)
SCHEDULE_FIGURE = Figure(
    "ddpm_schedules.png",
    Prose(
        r"The posterior-mean coefficients and the variances $\beta_t$ and $\tilde{\beta}_t$ over $t$, for the linear and the cosine schedule, computed from the proved steps.",
        r"后验均值的两个系数，以及方差 $\beta_t$ 与 $\tilde{\beta}_t$ 随 $t$ 的变化（线性与余弦两种调度），由已证明的步骤计算得到。",
    ),
)

"""Figures made from the verified coefficients: PNG bytes, the same bytes on every run."""

from __future__ import annotations

import io
from collections.abc import Callable

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from derive.derivations.conventions import SCHEDULE_FIGURE
from derive.derivations.numeric import Schedule, by_name, cosine_schedule, evaluate, linear_schedule


def schedule_figure() -> bytes:
    """The two posterior-mean coefficients, and β_t against the posterior variance β̃_t, over t,
    for the linear and the cosine schedule, with t = 1 marked."""
    schedules = (linear_schedule(), cosine_schedule())
    # a Figure without pyplot: no global state, no display backend
    with matplotlib.rc_context({"font.size": 9}):
        figure = Figure(figsize=(9, 6), dpi=100, layout="constrained")
        axes = figure.subplots(2, 2)
        for row, schedule in zip(axes, schedules, strict=True):
            _coefficients(row[0], schedule)
            _variances(row[1], schedule)
        buffer = io.BytesIO()
        # no Software or date in the metadata: the bytes depend on the data alone
        figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _coefficients(ax: Axes, schedule: Schedule) -> None:
    t = schedule.t
    x0 = evaluate(by_name("posterior mean: coefficient of x_0"), schedule)
    xt = evaluate(by_name("posterior mean: coefficient of x_t"), schedule)
    ax.plot(t, x0, label=r"coefficient of $x_0$: $\sqrt{\bar\alpha_{t-1}}\,\beta_t / (1 - \bar\alpha_t)$")
    ax.plot(t, xt, label=r"coefficient of $x_t$: $\sqrt{\alpha_t}(1 - \bar\alpha_{t-1}) / (1 - \bar\alpha_t)$")
    ax.plot([1, 1], [x0[0], xt[0]], "o", color="black", label=r"$t = 1$: $\tilde\mu_1 = x_0$")
    ax.set_title(rf"posterior mean $\tilde\mu_t$, {schedule.name} schedule")
    ax.set_xscale("log")  # the two coefficients trade places within the first few steps
    ax.set_xlabel("$t$")
    ax.legend(loc="center right")


def _variances(ax: Axes, schedule: Schedule) -> None:
    t = schedule.t
    variance = evaluate(by_name("posterior variance"), schedule)
    ax.loglog(t, schedule.betas, label=r"$\beta_t$")
    ax.loglog(t[1:], variance[1:], label=r"$\tilde\beta_t = \beta_t (1 - \bar\alpha_{t-1}) / (1 - \bar\alpha_t)$")
    ax.axvline(1, color="black", linestyle=":", label=r"$t = 1$: $\tilde\beta_1 = 0$ (off the log scale)")
    ax.set_title(rf"variances, {schedule.name} schedule")
    ax.set_xlabel("$t$")
    ax.legend(loc="lower right")


#: what draws each figure a derivation names, by its file name
FIGURES: dict[str, Callable[[], bytes]] = {SCHEDULE_FIGURE.path: schedule_figure}

"""A job's answer as the HTML fragment the practice page shows: the verdict in the pages' words."""

from __future__ import annotations

from derive.exceptions import DeriveError
from derive.practice.judge import Judgement, Outcome, exercise, judge
from derive.practice.pool import Job, Reply
from derive.render.environment import environment
from derive.render.views import step_view


def answer(job: Job, bound: float) -> Reply:
    """Judge the job's line and render the answer; runs in a worker process."""
    try:
        task = exercise(job.name, job.number)
    except DeriveError as error:
        return notice("unreadable", job.lang, str(error))
    return render(judge(task, job.latex, bound), job.lang)


def render(judgement: Judgement, lang: str) -> Reply:
    step = None
    if judgement.claim is not None and judgement.verdict is not None:
        step = step_view(judgement.exercise.derivation, judgement.claim, judgement.verdict)
    template = environment(autoescape=True).get_template("practice/answer.html.j2")
    html = template.render(lang=lang, j=judgement, outcome=judgement.outcome.value, step=step, message="")
    return Reply(judgement.outcome.value, html)


def notice(status: str, lang: str, message: str = "") -> Reply:
    """An answer without a judgement: busy, the bound overrun, a request practice cannot read."""
    template = environment(autoescape=True).get_template("practice/answer.html.j2")
    return Reply(status, template.render(lang=lang, j=None, outcome=status, step=None, message=message))


__all__ = ["Outcome", "answer", "notice", "render"]

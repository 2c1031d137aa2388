"""Which documents a derivation renders to, and rendering them in memory."""

from __future__ import annotations

from dataclasses import dataclass

from derive.model import Derivation, Verdict
from derive.render.environment import environment
from derive.render.views import document


@dataclass(frozen=True)
class Output:
    #: path relative to the output folder
    path: str
    template: str
    lang: str


def outputs(name: str) -> tuple[Output, ...]:
    return (
        Output(f"{name}.en.md", "derivation.md.j2", "en"),
        Output(f"{name}.zh.md", "derivation.md.j2", "zh"),
        Output(f"{name}.tex", "derivation.tex.j2", "en"),
    )


#: the index of all derivations, one per language
INDEX = (Output("index.en.md", "index.md.j2", "en"), Output("index.zh.md", "index.md.j2", "zh"))


def render_index(checked: list[tuple[Derivation, tuple[Verdict, ...]]]) -> dict[str, str]:
    """The index documents: every derivation, in the order given (teaching order), with its totals."""
    views = [document(derivation, verdicts) for derivation, verdicts in checked]
    return {o.path: environment().get_template(o.template).render(docs=views, lang=o.lang) for o in INDEX}


def render(derivation: Derivation, verdicts: tuple[Verdict, ...]) -> dict[str, str]:
    """Every output of ``derivation`` as text, keyed by its path in the output folder."""
    view = document(derivation, verdicts)
    rendered = {}
    for output in outputs(derivation.name):
        template = environment().get_template(output.template)
        rendered[output.path] = template.render(doc=view, lang=output.lang)
    return rendered

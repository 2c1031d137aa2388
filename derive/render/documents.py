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


def render(derivation: Derivation, verdicts: tuple[Verdict, ...]) -> dict[str, str]:
    """Every output of ``derivation`` as text, keyed by its path in the output folder."""
    view = document(derivation, verdicts)
    rendered = {}
    for output in outputs(derivation.name):
        template = environment().get_template(output.template)
        rendered[output.path] = template.render(doc=view, lang=output.lang)
    return rendered

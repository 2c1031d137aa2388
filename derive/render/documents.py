"""Which documents a derivation renders to, and rendering them in memory."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from derive.derivations import INTRO, TITLE, load, names
from derive.gallery import CheckedMistake
from derive.model import Derivation, Verdict
from derive.render.environment import environment
from derive.render.views import Neighbour, document, mistake


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
        Output(f"{name}.zh.tex", "derivation.tex.j2", "zh"),
        Output(f"{name}.en.html", "derivation.html.j2", "en"),
        Output(f"{name}.zh.html", "derivation.html.j2", "zh"),
    )


#: the index of all derivations, one per language
INDEX = (
    Output("index.en.md", "index.md.j2", "en"),
    Output("index.zh.md", "index.md.j2", "zh"),
    Output("index.en.html", "index.html.j2", "en"),
    Output("index.zh.html", "index.html.j2", "zh"),
)


def render_index(checked: list[tuple[Derivation, tuple[Verdict, ...]]]) -> dict[str, str]:
    """The index documents: every derivation, in the order given (teaching order), with its totals."""
    views = [document(derivation, verdicts) for derivation, verdicts in checked]
    return {
        o.path: environment().get_template(o.template).render(docs=views, lang=o.lang, title=TITLE, intro=INTRO)
        for o in INDEX
    }


#: the gallery of common mistakes, one per language, in Markdown and as HTML pages
GALLERY = (
    Output("gallery.en.md", "gallery.md.j2", "en"),
    Output("gallery.zh.md", "gallery.md.j2", "zh"),
    Output("gallery.en.html", "gallery.html.j2", "en"),
    Output("gallery.zh.html", "gallery.html.j2", "zh"),
)


def render_gallery(checked: tuple[CheckedMistake, ...], results: Mapping[str, tuple[Verdict, ...]]) -> dict[str, str]:
    """The gallery: each mistake beside the correct step, whose verdict ``results`` holds by derivation."""
    views = []
    for c in checked:
        correct = next(v for v in results[c.derivation.name] if v.step_id == c.correct.id)
        text = (c.mistake.id, c.mistake.title, c.mistake.why)
        views.append(mistake(c.derivation, (c.correct, correct), (c.wrong, c.verdict), text))
    return {o.path: environment().get_template(o.template).render(mistakes=views, lang=o.lang) for o in GALLERY}


def neighbours(name: str) -> tuple[Neighbour | None, Neighbour | None]:
    """The derivations before and after ``name`` in teaching order (none for one not registered)."""
    order = names()
    if name not in order:
        return None, None
    k = order.index(name)
    around = [order[k - 1] if k > 0 else None, order[k + 1] if k + 1 < len(order) else None]
    found = [None if n is None else Neighbour(n, load(n).title) for n in around]
    return found[0], found[1]


def render(derivation: Derivation, verdicts: tuple[Verdict, ...]) -> dict[str, str]:
    """Every output of ``derivation`` as text, keyed by its path in the output folder."""
    view = document(derivation, verdicts, neighbours(derivation.name))
    rendered = {}
    for output in outputs(derivation.name):
        template = environment().get_template(output.template)
        rendered[output.path] = template.render(doc=view, lang=output.lang)
    return rendered

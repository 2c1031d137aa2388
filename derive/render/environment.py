"""The Jinja environment: templates from the package, undefined names are errors."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from derive.exceptions import OutputError
from derive.render.html import inline, mathml

_PACKAGE = Path(__file__).resolve().parent.parent


def template_dir() -> Path:
    """Templates live in ``derive/templates`` in an installed wheel, ``templates/`` in a checkout."""
    for candidate in (_PACKAGE / "templates", _PACKAGE.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise OutputError(
        f"derive's templates are missing: looked in {_PACKAGE / 'templates'} and {_PACKAGE.parent / 'templates'}"
    )


@cache
def environment(autoescape: bool = False) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir()),
        undefined=jinja2.StrictUndefined,
        # HTML templates always escape; Markdown and LaTeX have their own escaping (tex_text)
        autoescape=True
        if autoescape
        else jinja2.select_autoescape(("html.j2",), default_for_string=False, default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # {% do list.append(…) %}: the words build a sentence from its parts
        extensions=["jinja2.ext.do"],
    )
    env.filters["tex_text"] = tex_text
    env.filters["ranges"] = ranges
    env.filters["mathml"] = mathml
    env.filters["inline"] = inline
    return env


def ranges(numbers: list[int], separator: str = ", ") -> str:
    """``[7, 8, 9, 12]`` -> ``7–9, 12``: step lists stay short; Chinese separates them by ``、``."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return separator.join(f"{r[0]}–{r[-1]}" if len(r) > 2 else separator.join(map(str, r)) for r in runs)


_TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def tex_text(prose: str) -> str:
    """Prose for a .tex file: ``$...$`` spans are math and pass through; the text between is escaped."""
    pieces = prose.split("$")
    if len(pieces) % 2 == 0:
        raise OutputError(f"unbalanced $ in prose: {prose!r}")
    return "$".join(
        piece if odd else "".join(_TEX_SPECIALS.get(c, c) for c in piece)
        for odd, piece in ((i % 2 == 1, p) for i, p in enumerate(pieces))
    )

"""Rendered documents: output/ is current, reruns are byte-identical, every step and verdict shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from derive.derivations import names
from derive.model import Derivation, Verdict
from derive.render.documents import GALLERY, outputs, render, render_index

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def rendered(posterior: Derivation, posterior_verdicts: tuple[Verdict, ...]) -> dict[str, str]:
    return render(posterior, posterior_verdicts)


def test_output_folder_is_current(rendered: dict[str, str]) -> None:
    for relative, text in rendered.items():
        committed = (REPO / "output" / relative).read_text(encoding="utf-8")
        assert committed == text, f"output/{relative} is stale: run `derive build`"


def test_rendering_is_deterministic(
    posterior: Derivation, posterior_verdicts: tuple[Verdict, ...], rendered: dict[str, str]
) -> None:
    assert render(posterior, posterior_verdicts) == rendered


@pytest.mark.parametrize("output", outputs("posterior"), ids=lambda o: o.path)
def test_every_step_appears_with_its_verdict(output: object, posterior: Derivation, rendered: dict[str, str]) -> None:
    path = output.path  # type: ignore[attr-defined]
    text = rendered[path]
    tag = {"tex": r"\tag{", "md": '<a id="step-', "html": '<section class="step'}[path.rsplit(".", 1)[1]]
    assert text.count(tag) == len(posterior.steps)
    proved = {
        "en.md": "✅ **proved**",
        "zh.md": "✅ **已证明**",
        "tex": r"\textbf{proved}",
        "zh.tex": r"\textbf{已证明}",
        "en.html": '<span class="badge proved">proved</span>',
        "zh.html": '<span class="badge proved">已证明</span>',
    }[path.split(".", 1)[1]]
    assert text.count(proved) == 16


@pytest.mark.parametrize(
    ("path", "needle"),
    [
        pytest.param("posterior.en.md", r"so this step needs $t \geq 2$", id="en-needs-t-ge-2"),
        pytest.param("posterior.zh.md", r"因此本步需要 $t \geq 2$", id="zh-needs-t-ge-2"),
        pytest.param("posterior.en.md", "where this step takes the limit", id="en-limit-waives-t-1"),
        pytest.param("posterior.en.md", r"\lim_{\bar{\alpha}_{t-1} \to 1} \tilde{\mu}_t = x_0", id="en-mean-at-t-1"),
        pytest.param("posterior.en.md", "Steps 7–24 need $t \\geq 2$", id="en-summary-of-requirements"),
        pytest.param("posterior.tex", r"\usepackage{amsmath", id="tex-amsmath"),
        pytest.param("posterior.zh.tex", r"\documentclass[11pt]{ctexart}", id="zh-tex-ctex"),
        pytest.param("posterior.zh.tex", r"因此本步需要 $t \geq 2$", id="zh-tex-needs-t-ge-2"),
        pytest.param("posterior.en.md", "d$ coordinates", id="en-isotropic-note"),
    ],
)
def test_documents_state_side_conditions_and_t_equals_1(rendered: dict[str, str], path: str, needle: str) -> None:
    assert needle in rendered[path]


def test_markdown_uses_github_math_blocks(rendered: dict[str, str]) -> None:
    text = rendered["posterior.en.md"]
    assert text.count("```math\n") == text.count('<a id="step-')
    assert "$$" not in text


# --- the index ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def index(every_derivation: list[tuple[Derivation, tuple[Verdict, ...]]]) -> dict[str, str]:
    return render_index(every_derivation)


def test_the_index_is_current(index: dict[str, str]) -> None:
    for relative, text in index.items():
        assert (REPO / "output" / relative).read_text(encoding="utf-8") == text, f"output/{relative} is stale"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_index_links_every_derivation_in_teaching_order(index: dict[str, str], lang: str) -> None:
    text = index[f"index.{lang}.md"]
    positions = [text.index(f"]({name}.{lang}.md)") for name in names()]
    assert positions == sorted(positions)
    assert names()[:2] == ("forward", "posterior"), "the forward process comes before what builds on it"
    other = "zh" if lang == "en" else "en"
    assert f"(index.{other}.md)" in text


def test_every_link_of_the_index_is_a_file_derive_writes(
    index: dict[str, str], every_derivation: list[tuple[Derivation, tuple[Verdict, ...]]]
) -> None:
    written = set(index) | {o.path for o in GALLERY} | {o.path for d, _ in every_derivation for o in outputs(d.name)}
    for path, text in index.items():
        if path.endswith(".md"):
            links = {part.split(")", 1)[0] for part in text.split("](")[1:]}
        else:
            links = set(re.findall(r'href="([^"#]+)"', text))
        assert links
        assert links <= written, links - written


def test_the_index_states_each_derivations_totals(
    index: dict[str, str], every_derivation: list[tuple[Derivation, tuple[Verdict, ...]]]
) -> None:
    for derivation, verdicts in every_derivation:
        proved = sum(v.status.value == "proved" for v in verdicts)
        assert f"{proved} claims proved by SymPy" in index["index.en.md"], derivation.name

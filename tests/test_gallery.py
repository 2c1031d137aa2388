"""The gallery of common mistakes: every mistake is refuted, the oracle agrees it is wrong, output is current."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from derive.derivations import load
from derive.derivations.mistakes import MISTAKES, Mistake
from derive.gallery import CheckedMistake, check_mistake
from derive.model import CheckConfig, Definition, Derivation, Status, Verdict
from derive.render.documents import render_gallery
from tests.soundness.mutants import SEED, Truth, claim_truth

REPO = Path(__file__).resolve().parents[1]
CONFIG = CheckConfig(jobs=1)
IDS = [m.id for m in MISTAKES]


@pytest.fixture(scope="module")
def checked() -> dict[str, CheckedMistake]:
    return {m.id: check_mistake(m, CONFIG) for m in MISTAKES}


def test_there_are_at_least_eight_mistakes_on_both_derivations() -> None:
    assert len(MISTAKES) >= 8
    assert {m.derivation for m in MISTAKES} == {"forward", "posterior"}
    assert len(set(IDS)) == len(IDS)


@pytest.mark.parametrize("mistake", MISTAKES, ids=IDS)
def test_every_mistake_changes_a_checked_step(mistake: Mistake) -> None:
    step = load(mistake.derivation).step(mistake.step_id)
    assert not isinstance(step.relation, Definition)
    changed = [
        (mistake.lhs, step.lhs),
        (mistake.rhs, step.rhs),
        (mistake.relation, step.relation),
    ]
    assert any(new is not None and new != old for new, old in changed)


@pytest.mark.parametrize("mistake", MISTAKES, ids=IDS)
def test_every_mistake_is_refuted_with_a_counterexample(checked: dict[str, CheckedMistake], mistake: Mistake) -> None:
    verdict = checked[mistake.id].verdict
    assert verdict.status is Status.REFUTED, verdict.reason
    assert verdict.counterexample is not None


@pytest.mark.parametrize("mistake", MISTAKES, ids=IDS)
def test_the_independent_oracle_finds_every_mistake_wrong(checked: dict[str, CheckedMistake], mistake: Mistake) -> None:
    c = checked[mistake.id]
    index = c.derivation.index[c.correct.id]
    steps = list(c.derivation.steps)
    steps[index] = c.wrong
    assert claim_truth(replace(c.derivation, steps=tuple(steps)), index, SEED) is Truth.FALSE
    assert claim_truth(c.derivation, index, SEED) is Truth.TRUE


@pytest.fixture(scope="module")
def rendered(
    checked: dict[str, CheckedMistake], every_derivation: list[tuple[Derivation, tuple[Verdict, ...]]]
) -> dict[str, str]:
    results = {d.name: v for d, v in every_derivation}
    return render_gallery(tuple(checked.values()), results)


def test_the_gallery_is_current(rendered: dict[str, str]) -> None:
    for relative, text in rendered.items():
        assert (REPO / "output" / relative).read_text(encoding="utf-8") == text, f"output/{relative} is stale"


@pytest.mark.parametrize(
    ("path", "counterexample"), [("gallery.en.md", "Counterexample at"), ("gallery.zh.md", "反例：")]
)
def test_each_mistake_shows_beside_the_correct_step_with_its_counterexample(
    rendered: dict[str, str], path: str, counterexample: str
) -> None:
    text = rendered[path]
    sections = text.split("\n## ")[1:]
    assert len(sections) == len(MISTAKES)
    for section in sections:
        assert section.count("```math") == 2
        assert "✅" in section
        assert "❌" in section
        assert counterexample in section

"""Chinese typography: full-width punctuation in Chinese prose, spaces between Chinese and math."""

from __future__ import annotations

import pytest

from derive.gallery import check_mistakes
from derive.model import CheckConfig, Derivation, Verdict
from derive.render.documents import render, render_gallery, render_index
from derive.render.typography import problems


@pytest.mark.parametrize(
    ("markdown", "rule", "context"),
    [
        pytest.param(
            "**验证结果:** 共 26 步", "half-width punctuation in Chinese", "验证结果: 共 26 步", id="ascii-colon"
        ),
        pytest.param(
            "第 11, 12 步", "half-width punctuation in Chinese", "第 11, 12 步", id="ascii-comma-between-numbers"
        ),
        pytest.param(
            "## (1) 合并二次项", "half-width punctuation in Chinese", "(1) 合并二次项", id="ascii-bracket-of-a-heading"
        ),
        pytest.param(
            "在$t = 1$ 时", "no space between Chinese and math, Latin or digits", "在$…$ 时", id="math-against-chinese"
        ),
        pytest.param(
            "共26 步", "no space between Chinese and math, Latin or digits", "共26 步", id="digits-against-chinese"
        ),
        pytest.param(
            "见[DDPM](a.md)", "no space between Chinese and math, Latin or digits", "见DDPM", id="latin-link-text"
        ),
        pytest.param("步。 单步", "space beside full-width punctuation", "步。 单步", id="space-after-full-stop"),
        pytest.param("定义域： $x$", "space beside full-width punctuation", "定义域： $…$", id="space-before-math"),
    ],
)
def test_a_break_of_the_rules_is_found(markdown: str, rule: str, context: str) -> None:
    assert [(p.rule, p.context) for p in problems(markdown)][:1] == [(rule, context)]


@pytest.mark.parametrize(
    "markdown",
    [
        pytest.param("**验证结果**：共 26 步：16 个论断经 SymPy 证明。", id="full-width-and-spaced"),
        pytest.param("在 $t = 1$ 时，$x$ 为零（见第 7、8 步）。", id="math-spaced-punctuation-tight"),
        pytest.param("恰好等于 (8) 中的乘积", id="equation-number-stays-half-width"),
        pytest.param(
            "<!-- 本文件由 derive build 生成。 -->\n\n```math\nq(x|y), a:b\n```", id="comments-and-math-blocks"
        ),
        pytest.param("Domain: $x$, (0, 1).", id="english"),
    ],
)
def test_good_typography_passes(markdown: str) -> None:
    assert list(problems(markdown)) == []


def test_every_chinese_document_follows_the_rules(
    every_derivation: list[tuple[Derivation, tuple[Verdict, ...]]],
) -> None:
    documents: dict[str, str] = {}
    for derivation, verdicts in every_derivation:
        documents.update(render(derivation, verdicts))
    documents.update(render_index(every_derivation))
    results = {derivation.name: verdicts for derivation, verdicts in every_derivation}
    documents.update(render_gallery(check_mistakes(CheckConfig(jobs=1)), results))
    chinese = {path: text for path, text in documents.items() if path.endswith(".zh.md")}
    assert len(chinese) == len(every_derivation) + 2
    found = [(path, p.line, p.rule, p.context) for path, text in chinese.items() for p in problems(text)]
    assert found == []

"""The README's commands are the ones CI runs, and the ones a new user copies."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
CI = (REPO / ".ci" / "run").read_text(encoding="utf-8")

BUILD = "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/derive build"
TEST = "python3 -m venv .venv && .venv/bin/pip install '.[test]' && .venv/bin/python -m pytest"


def test_readme_gives_both_commands() -> None:
    assert f"```sh\n{BUILD}\n```" in README
    assert f"```sh\n{TEST}\n```" in README


def test_ci_runs_the_readme_test_command_then_the_checks() -> None:
    # CI installs quietly; otherwise the line is the README's
    assert TEST.replace("install '.[test]'", "install --quiet '.[test]'") in CI.splitlines()
    lines = CI.splitlines()
    assert lines.index(".venv/bin/derive check") < lines.index(".venv/bin/derive build --check")

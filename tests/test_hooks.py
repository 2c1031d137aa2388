"""The pre-commit hook other repositories use: which files pre-commit hands it, by identify's tags
and the hook's pattern, as pre-commit itself filters them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from identify.identify import tags_from_filename

HOOKS = Path(__file__).parents[1] / ".pre-commit-hooks.yaml"


def taken(hook: dict[str, Any], name: str) -> bool:
    tags = tags_from_filename(name)
    types_or, types = set(hook.get("types_or", [])), set(hook.get("types", []))
    files = str(hook.get("files", ""))
    return (not types_or or bool(tags & types_or)) and types <= tags and re.search(files, name) is not None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("docs/notes.md", True, id="markdown"),
        pytest.param("README.markdown", True, id="markdown-long-suffix"),
        pytest.param("analysis/derivation.ipynb", True, id="notebook"),
        pytest.param("paper/main.tex", True, id="latex"),
        pytest.param("paper/macros.sty", False, id="latex-style-file"),
        pytest.param("derive/cli.py", False, id="python"),
        pytest.param("data/results.json", False, id="json"),
    ],
)
def test_the_hook_takes_the_formats_check_doc_reads(name: str, expected: bool) -> None:
    (hook,) = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert hook["id"] == "derive-check-doc"
    assert taken(hook, name) is expected

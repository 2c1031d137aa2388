"""The schedule figure: a real PNG, byte-identical on every run, and the file the documents show."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from derive.derivations import load
from derive.derivations.conventions import SCHEDULE_FIGURE
from derive.derivations.figures import FIGURES, schedule_figure

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def png() -> bytes:
    return schedule_figure()


def test_it_is_a_png_of_the_stated_size(png: bytes) -> None:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (900, 600)


def test_it_is_byte_identical_on_every_run(png: bytes) -> None:
    assert schedule_figure() == png
    assert b"Software" not in png


def test_a_fresh_interpreter_draws_the_same_bytes(png: bytes) -> None:
    # another process: no rcParams, in-memory caches or hash seed shared with this one
    script = (
        "import sys; from derive.derivations.figures import schedule_figure; sys.stdout.buffer.write(schedule_figure())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "random"}
    drawn = subprocess.run([sys.executable, "-c", script], capture_output=True, check=True, cwd=REPO, env=env)
    assert hashlib.sha256(drawn.stdout).hexdigest() == hashlib.sha256(png).hexdigest()


def test_the_committed_figure_is_current(png: bytes) -> None:
    assert (REPO / "output" / SCHEDULE_FIGURE.path).read_bytes() == png, "run `derive build`"


@pytest.mark.parametrize("name", ["posterior", "sampling"])
def test_the_documents_show_it(name: str) -> None:
    assert SCHEDULE_FIGURE in load(name).figures
    assert SCHEDULE_FIGURE.path in FIGURES
    for suffix in (".en.md", ".zh.md", ".tex", ".zh.tex"):
        assert SCHEDULE_FIGURE.path in (REPO / "output" / f"{name}{suffix}").read_text(encoding="utf-8")

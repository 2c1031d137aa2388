"""The LaTeX documents compile with a real TeX engine, in both languages.

xelatex compiles both: the Chinese documents use ctexart, which needs texlive-lang-chinese and a CJK
font (.ci/run installs them). Where xelatex is absent the tests are skipped, saying so.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from derive.derivations import names
from derive.render.documents import outputs

REPO = Path(__file__).resolve().parents[2]
ENGINE = shutil.which("xelatex")
TEX = [o.path for name in names() for o in outputs(name) if o.path.endswith(".tex")]

pytestmark = pytest.mark.skipif(
    ENGINE is None,
    reason="xelatex not found: install Debian's texlive-xetex, texlive-lang-chinese and fonts-noto-cjk "
    "(as .ci/run does) to compile the PDFs",
)


def test_both_languages_have_a_tex_for_every_derivation() -> None:
    for name in names():
        assert {f"{name}.tex", f"{name}.zh.tex"} <= set(TEX)


@pytest.mark.parametrize("path", TEX)
def test_the_tex_compiles_without_errors(tmp_path: Path, path: str) -> None:
    assert ENGINE is not None
    shutil.copy(REPO / "output" / path, tmp_path / path)
    for figure in (REPO / "output").glob("*.png"):
        shutil.copy(figure, tmp_path / figure.name)
    run = subprocess.run(
        [ENGINE, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", path],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    log = (tmp_path / path).with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    assert run.returncode == 0, log[-3000:]
    # a glyph the fonts lack is silently dropped from the PDF: for Chinese text, that is the whole text
    assert "Missing character" not in log, [line for line in log.splitlines() if "Missing character" in line][:5]
    assert (tmp_path / path).with_suffix(".pdf").stat().st_size > 10_000


def test_derive_build_pdf_compiles_every_document(tmp_path: Path) -> None:
    from derive.cli import main

    assert main(["build", "--pdf", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == sorted(t.replace(".tex", ".pdf") for t in TEX)

"""``derive build --pdf``: the LaTeX documents compiled to PDF by xelatex, where it is installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from derive.exceptions import OutputError

ENGINE = "xelatex"


def engine() -> str:
    """The TeX engine's path; an error saying how to install it where there is none."""
    found = shutil.which(ENGINE)
    if found is None:
        raise OutputError(
            f"--pdf needs {ENGINE}: install Debian's texlive-xetex, texlive-lang-chinese and fonts-noto-cjk"
        )
    return found


def build_pdfs(out: Path, sources: list[str]) -> list[str]:
    """Compile each ``.tex`` in ``out`` (twice, for references) beside it; returns the PDFs' paths."""
    tex = engine()
    made = []
    for source in sources:
        for _ in range(2):
            run = subprocess.run(
                [tex, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", source],
                cwd=out,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            if run.returncode != 0:
                raise OutputError(f"{ENGINE} failed on {out / source}: see {out / Path(source).with_suffix('.log')}")
        for junk in (".aux", ".log", ".out"):
            (out / Path(source).with_suffix(junk)).unlink(missing_ok=True)
        made.append(str(Path(source).with_suffix(".pdf")))
    return made

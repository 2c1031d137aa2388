"""Writing output: all files or none, unchanged files untouched, the drift check."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from derive.exceptions import OutputError
from derive.output import Drift, drift, write_all

FILES = {"a.md": "alpha\n", "sub/b.tex": "beta\n"}


def test_write_all_creates_folders_and_reports_what_changed(tmp_path: Path) -> None:
    assert write_all(tmp_path / "out", FILES) == ["a.md", "sub/b.tex"]
    assert (tmp_path / "out" / "sub" / "b.tex").read_text(encoding="utf-8") == "beta\n"
    assert write_all(tmp_path / "out", FILES) == []


def test_unchanged_files_are_not_rewritten(tmp_path: Path) -> None:
    write_all(tmp_path, FILES)
    os.utime(tmp_path / "a.md", ns=(1, 1))
    write_all(tmp_path, {**FILES, "sub/b.tex": "beta, revised\n"})
    assert (tmp_path / "a.md").stat().st_mtime_ns == 1
    assert (tmp_path / "sub" / "b.tex").read_text(encoding="utf-8") == "beta, revised\n"


def test_a_failed_write_replaces_nothing_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    write_all(tmp_path, FILES)
    # "sub/b.tex/c" cannot be created because sub/b.tex is a file: the whole write must fail
    with pytest.raises(OutputError, match="cannot write to"):
        write_all(tmp_path, {"a.md": "alpha, revised\n", "sub/b.tex/c": "gamma\n"})
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == "alpha\n"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.md", "b.tex", "sub"]


@pytest.mark.parametrize(
    ("on_disk", "expected"),
    [
        pytest.param(FILES, {}, id="current"),
        pytest.param({"a.md": "alpha\n"}, {"sub/b.tex": Drift.MISSING}, id="missing-file"),
        pytest.param({**FILES, "a.md": "alpha\r\n"}, {"a.md": Drift.STALE}, id="line-endings-differ"),
    ],
)
def test_drift_names_missing_and_differing_files(
    tmp_path: Path, on_disk: dict[str, str], expected: dict[str, Drift]
) -> None:
    for relative, text in on_disk.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_bytes(text.encode("utf-8"))
    assert drift(tmp_path, FILES) == expected


def test_written_files_get_the_mode_of_a_new_file_not_a_private_one(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_all(tmp_path, {"doc.md": "text", "figure.png": b"\x89PNG"})
    finally:
        os.umask(old)
    for name in ("doc.md", "figure.png"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644


def test_figures_are_written_as_bytes_and_compared_as_bytes(tmp_path: Path) -> None:
    write_all(tmp_path, {"figure.png": b"\x00\xff"})
    assert (tmp_path / "figure.png").read_bytes() == b"\x00\xff"
    assert drift(tmp_path, {"figure.png": b"\x00\xff"}) == {}
    assert drift(tmp_path, {"figure.png": b"\x00\xfe"}) == {"figure.png": Drift.STALE}

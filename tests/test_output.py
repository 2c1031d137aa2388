"""Writing output: all files or none, unchanged files untouched, the drift check."""

from __future__ import annotations

import contextlib
import errno
import os
import pickle
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from derive import output
from derive.engine.timebound import Clock, time_bound
from derive.exceptions import OutputError
from derive.output import Drift, drift, leftovers, write_all

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


# -- all or none, even when killed ---------------------------------------------------------------------------

#: the old set: documents at the top and figures in a folder
OLD: dict[str, str | bytes] = {
    **{f"doc{k}.md": f"old document {k}\n" for k in range(12)},
    **{f"fig/f{k}.png": bytes([k, 0, 255]) for k in range(8)},
}
#: the new set: 8 documents and 4 figures changed, 4 documents and 4 figures as they were, 3 new files
NEW: dict[str, str | bytes] = {
    **OLD,
    **{f"doc{k}.md": f"new document {k}\n" for k in range(8)},
    **{f"fig/f{k}.png": bytes([k, 1, 255]) for k in range(4)},
    **{f"new/n{k}.md": f"a new file {k}\n" for k in range(3)},
}
#: what else is in the output folder: a file derive does not write, and a FIFO
NOTES = b"the reader's own notes\n"
#: kill points, spread evenly over every checkpoint of the write, the first and the last included
POINTS = 50
#: wall seconds: reading a FIFO would block forever; this ends a test instead of hanging it
GENEROUS = 60.0

#: run in a subprocess: write the set read from stdin, killed with SIGKILL (kill -9) at checkpoint k
#: (0: never), and print how many checkpoints it passed
KILLED_AT = """
import os, pickle, signal, sys
from pathlib import Path
from derive import output

out, at, rename_aside = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
calls = 0

def checkpoint():
    global calls
    calls += 1
    if calls == at:
        os.kill(os.getpid(), signal.SIGKILL)

if rename_aside:
    output._exchange = lambda first, second: False
output.write_all(out, pickle.loads(sys.stdin.buffer.read()), checkpoint)
print(calls)
"""


def contents(folder: Path) -> dict[str, bytes | str | None]:
    """Every entry under ``folder``: a file's bytes, "fifo" for a FIFO, None for a folder."""
    found: dict[str, bytes | str | None] = {}
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        value = path.read_bytes() if stat.S_ISREG(mode) else "fifo" if stat.S_ISFIFO(mode) else None
        found[path.relative_to(folder).as_posix()] = value
    return found


def expected(files: dict[str, str | bytes]) -> dict[str, bytes | str | None]:
    """What the output folder holds with ``files`` written into it."""
    found: dict[str, bytes | str | None] = {"notes.txt": NOTES, "pipe": "fifo"}
    for relative, content in files.items():
        found[relative] = content.encode("utf-8") if isinstance(content, str) else content
        found.update((parent.as_posix(), None) for parent in Path(relative).parents if parent != Path("."))
    return found


def old_set_in(out: Path) -> Path:
    write_all(out, OLD)
    (out / "notes.txt").write_bytes(NOTES)
    os.mkfifo(out / "pipe")
    assert contents(out) == expected(OLD)
    return out


@pytest.fixture
def out_with_the_old_set(tmp_path: Path) -> Path:
    return old_set_in(tmp_path / "output")


def write_killed_at(out: Path, point: int, rename_aside: bool = False) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-c", KILLED_AT, str(out), str(point), "1" if rename_aside else "0"]
    return subprocess.run(command, input=pickle.dumps(NEW), capture_output=True, timeout=GENEROUS, check=False)


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory: pytest.TempPathFactory) -> int:
    """How many checkpoints writing the new set over the old passes."""
    done = write_killed_at(old_set_in(tmp_path_factory.mktemp("count") / "output"), 0)
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


def spread(total: int) -> list[int]:
    return [1 + round(k * (total - 1) / (POINTS - 1)) for k in range(POINTS)]


def test_the_kill_points_are_fifty_distinct_checkpoints_from_first_to_last(checkpoints: int) -> None:
    points = spread(checkpoints)
    assert len(set(points)) == POINTS
    assert (points[0], points[-1]) == (1, checkpoints)


@pytest.mark.parametrize("index", range(POINTS), ids=[f"kill-{k + 1:02d}-of-{POINTS}" for k in range(POINTS)])
def test_a_write_killed_at_any_point_leaves_the_old_set_or_the_new(
    out_with_the_old_set: Path, checkpoints: int, index: int
) -> None:
    out = out_with_the_old_set
    stale = drift(out, NEW)
    point = spread(checkpoints)[index]
    killed = write_killed_at(out, point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert contents(out) in (expected(OLD), expected(NEW)), f"a mix after a kill at checkpoint {point}"
    # what `derive build --check` sees: the old set's differences, or none
    assert drift(out, NEW) in (stale, {})
    # the next build completes the new set and removes what the killed one left beside the folder
    write_all(out, NEW)
    assert contents(out) == expected(NEW)
    assert sorted(p.name for p in out.parent.iterdir()) == ["output"]


@pytest.mark.parametrize("rename_aside", [False, True], ids=["exchange", "rename-aside"])
@pytest.mark.parametrize("index", range(0, POINTS, 7), ids=lambda k: f"interrupt-{k + 1:02d}-of-{POINTS}")
def test_an_interrupted_write_leaves_the_old_set_or_the_new_and_nothing_beside_it(
    out_with_the_old_set: Path, checkpoints: int, monkeypatch: pytest.MonkeyPatch, index: int, rename_aside: bool
) -> None:
    """Ctrl-C: KeyboardInterrupt at a checkpoint; the write cleans up after itself."""
    out = out_with_the_old_set
    if rename_aside:
        monkeypatch.setattr(output, "_exchange", lambda first, second: False)
    calls = 0

    def interrupt() -> None:
        nonlocal calls
        calls += 1
        if calls == spread(checkpoints)[index]:
            raise KeyboardInterrupt

    with contextlib.suppress(KeyboardInterrupt):
        write_all(out, NEW, interrupt)
    assert contents(out) in (expected(OLD), expected(NEW))
    assert sorted(p.name for p in out.parent.iterdir()) == ["output"]


def test_a_kill_between_the_renames_aside_is_undone_by_the_next_build(out_with_the_old_set: Path) -> None:
    """Without an atomic exchange the old folder is renamed aside, then the new one into place: killed in
    between, there is no output folder until the next build puts the old one back."""
    out = out_with_the_old_set
    counted = write_killed_at(old_set_in(out.parent / "count" / "output"), 0, rename_aside=True)
    shutil.rmtree(out.parent / "count")
    killed = write_killed_at(out, int(counted.stdout) - 1, rename_aside=True)
    assert killed.returncode == -signal.SIGKILL
    assert not out.exists()
    assert [p.name.startswith(".output.derive-") for p in out.parent.iterdir()] == [True, True]
    assert write_all(out, OLD) == []
    assert contents(out) == expected(OLD)
    assert sorted(p.name for p in out.parent.iterdir()) == ["output"]


def test_a_full_disk_leaves_the_old_set_and_nothing_beside_it(
    out_with_the_old_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = out_with_the_old_set
    write = output._write
    written = 0

    def third_fails(target: Path, content: bytes) -> None:
        nonlocal written
        written += 1
        if written == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        write(target, content)

    monkeypatch.setattr(output, "_write", third_fails)
    with pytest.raises(OutputError, match=f"^cannot write to {out}/doc2.md: No space left on device$"):
        write_all(out, NEW)
    assert contents(out) == expected(OLD)
    assert sorted(p.name for p in out.parent.iterdir()) == ["output"]


def test_a_fifo_where_a_document_belongs_is_stale_and_replaced_without_being_read(tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    os.mkfifo(out / "a.md")
    with time_bound(GENEROUS, Clock.WALL):
        assert drift(out, FILES) == {"a.md": Drift.STALE, "sub/b.tex": Drift.MISSING}
        assert write_all(out, FILES) == ["a.md", "sub/b.tex"]
    assert (out / "a.md").read_text(encoding="utf-8") == "alpha\n"


def test_unchanged_files_keep_their_inode(tmp_path: Path) -> None:
    write_all(tmp_path / "out", FILES)
    before = (tmp_path / "out" / "a.md").stat().st_ino
    write_all(tmp_path / "out", {**FILES, "sub/b.tex": "beta, revised\n"})
    assert (tmp_path / "out" / "a.md").stat().st_ino == before


def test_a_symbolic_link_in_the_output_folder_stays_a_link(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_all(out, FILES)
    (out / "latest").symlink_to("a.md")
    write_all(out, {**FILES, "a.md": "alpha, revised\n"})
    assert (os.readlink(out / "latest"), (out / "latest").read_text(encoding="utf-8")) == ("a.md", "alpha, revised\n")


def test_leftovers_of_interrupted_builds_are_removed_by_the_next(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_all(out, FILES)
    for name in (".out.derive-new-abc", ".out.derive-old-def/sub"):
        (tmp_path / name).mkdir(parents=True)
        (tmp_path / name / "x.md").write_text("half written", encoding="utf-8")
    (tmp_path / ".other.derive-new-x").mkdir()
    assert leftovers(out) == [tmp_path / ".out.derive-new-abc", tmp_path / ".out.derive-old-def"]
    write_all(out, {**FILES, "a.md": "alpha, revised\n"})
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.derive-new-x", "out"]


def test_concurrent_writes_take_turns(out_with_the_old_set: Path) -> None:
    out = out_with_the_old_set
    command = [sys.executable, "-c", KILLED_AT, str(out), "0", "0"]
    # sets of the same files, so that whichever writes last, its set is all there is
    sets = [NEW, {**NEW, "doc0.md": "a third version\n"}, {**NEW, **OLD}, {**NEW, "fig/f0.png": b"\x00"}]
    running = [subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL) for _ in sets]
    for process, files in zip(running, sets, strict=True):
        assert process.stdin is not None
        process.stdin.write(pickle.dumps(files))
        process.stdin.close()
    assert [process.wait(timeout=GENEROUS) for process in running] == [0, 0, 0, 0]
    assert contents(out) in [expected(files) for files in sets]
    assert sorted(p.name for p in out.parent.iterdir()) == ["output"]

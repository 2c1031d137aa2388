"""The command line: exit codes, one line per step, one-line errors, refusing to write on failure."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

from derive import cli, derivations
from derive.derivations import load, names
from derive.model import Derivation
from derive.render.documents import GALLERY, INDEX, outputs

#: seconds for a command in a subprocess: generous, only a hang reaches it
GENEROUS = 300


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exit_:  # argparse's usage errors
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def broken(monkeypatch: pytest.MonkeyPatch, posterior: Derivation) -> Derivation:
    """The posterior with a sign flipped in the closed form of A."""
    step = posterior.step("quadratic-coefficient-closed")
    wrong = dataclasses.replace(step, rhs=sp.Mul(-1, step.rhs, evaluate=False))
    steps = tuple(wrong if s.id == step.id else s for s in posterior.steps)
    corrupted = dataclasses.replace(posterior, steps=steps)
    monkeypatch.setitem(derivations.REGISTRY, "posterior", lambda: corrupted)
    return corrupted


def test_check_prints_one_line_per_step_and_exits_0(capsys: pytest.CaptureFixture[str], posterior: Derivation) -> None:
    code, out, err = run(capsys, "check", "--jobs", "1")
    assert code == 0, err
    lines = [line for line in out.splitlines() if line.startswith(("proved", "defined"))]
    every = [load(name) for name in names()]
    assert [line.split()[1] for line in lines] == [f"{d.name}/{s.id}" for d in every for s in d.steps]
    assert all(" ms" in line for line in lines)
    assert "needs t ≥ 2" in out
    assert any(line.startswith("posterior: 16 proved, 10 defined, 0 refuted, 0 undecided") for line in out.splitlines())
    assert out.splitlines()[-1].startswith(f"{every[-1].name}: ")


def test_check_exits_1_with_a_counterexample_when_a_step_is_wrong(
    capsys: pytest.CaptureFixture[str], broken: Derivation
) -> None:
    code, out, _ = run(capsys, "check", "--jobs", "1")
    assert code == 1
    line = next(line for line in out.splitlines() if "quadratic-coefficient-closed" in line)
    assert line.startswith("refuted")
    detail = out.splitlines()[out.splitlines().index(line) + 1]
    assert detail.strip().startswith("counterexample at abar_tm1 = ")
    # a sign flip of a non-zero value: the two printed values are negatives of each other
    left, right = detail.split(": values ")[1].split(" vs ")
    assert sp.Rational(left) == -sp.Rational(right) != 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(["check", "no-such-derivation"], "no derivation named 'no-such-derivation'", id="unknown-name"),
        pytest.param(["frobnicate"], "invalid choice", id="unknown-command"),
        pytest.param(["check", "--time-bound", "-1"], "must be positive", id="negative-time-bound"),
        pytest.param(["check", "--time-bound", "soon"], "not a number", id="time-bound-not-a-number"),
        pytest.param(["check", "--jobs", "-3"], "argument --jobs: must be at least 1: '-3'", id="negative-jobs"),
        pytest.param(["check", "--jobs", "0"], "argument --jobs: must be at least 1: '0'", id="zero-jobs"),
        pytest.param(["check-doc", "--jobs", "2.5", "x.md"], "not a whole number: '2.5'", id="fractional-jobs"),
    ],
)
def test_usage_errors_exit_2_with_one_line(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_build_writes_every_output_then_check_passes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "build", "--out", str(out_dir), "--jobs", "1")
    assert code == 0, err
    expected = {o.path for name in names() for o in outputs(name)} | {o.path for o in (*INDEX, *GALLERY)}
    expected |= {f.path for name in names() for f in load(name).figures}
    assert {str(p.relative_to(out_dir)) for p in out_dir.rglob("*") if p.is_file()} == expected
    assert "wrote:" in out
    code, out, _ = run(capsys, "build", "--out", str(out_dir), "--check", "--jobs", "1")
    assert code == 0
    assert "is up to date" in out


def test_build_check_names_stale_and_missing_files_and_the_command_that_fixes_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_dir = tmp_path / "my docs"
    assert run(capsys, "build", "--out", str(out_dir), "--jobs", "1")[0] == 0
    edited, removed = out_dir / "posterior.en.md", out_dir / "forward.zh.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "edited by hand\n", encoding="utf-8")
    removed.unlink()
    code, out, err = run(capsys, "build", "--out", str(out_dir), "--check", "--jobs", "1")
    assert code == 1
    drifted = [line for line in out.splitlines() if line.startswith(("missing: ", "stale: "))]
    assert drifted == [f"missing: {removed}", f"stale: {edited}"]
    assert err == f"derive: {out_dir} is out of date; run `derive build --out '{out_dir}'`\n"


def test_build_refuses_to_write_when_a_step_is_refuted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, broken: Derivation
) -> None:
    old = tmp_path / "posterior.en.md"
    old.write_text("the previous, verified document\n", encoding="utf-8")
    code, _, err = run(capsys, "build", "--out", str(tmp_path), "--jobs", "1")
    assert code == 1
    assert "refusing to write" in err
    assert old.read_text(encoding="utf-8") == "the previous, verified document\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["posterior.en.md"]


def test_build_into_an_unwritable_place_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    code, _, err = run(capsys, "build", "--out", str(blocker / "out"), "--jobs", "1")
    assert code == 2
    assert err.startswith("derive: error: cannot write to ")
    assert len(err.strip().splitlines()) == 1


def test_list_names_every_step(capsys: pytest.CaptureFixture[str], posterior: Derivation) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0
    for step in posterior.steps:
        assert step.id in out


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["list"], id="list"),
        pytest.param(["check", "posterior", "--jobs", "1"], id="check-one-process"),
        pytest.param(["check", "posterior", "--jobs", "2"], id="check-worker-processes"),
    ],
)
def test_a_closed_pipe_ends_the_command_quietly(argv: list[str]) -> None:
    # `derive list | head -1`: the reader has gone before the first line is written
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "derive", *argv], stdout=write, stderr=subprocess.PIPE, timeout=GENEROUS, check=False
        )
    finally:
        os.close(write)
    assert (done.returncode, done.stderr.decode()) == (cli.BROKEN_PIPE, "")

"""The memory bound (derive/engine/memory.py): a process that checks documents may add at most so many
megabytes to what it holds; past it an allocation fails with MemoryError, reported as undecided with the
bound named. Each case runs in a subprocess: the bound would otherwise hold for the test process too."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent.parent / "corpus"
#: wall seconds for a subprocess that takes about one
GENEROUS = 120.0

#: bounds the process, then asks for more than the bound: (the bound, what it allocates)
ALLOCATE = """
import sys
from derive.engine.memory import exhausted, memory_bound
with memory_bound(int(sys.argv[1])):
    try:
        found = bytearray(int(sys.argv[2]) * 1024 * 1024)
    except MemoryError:
        print(exhausted())
    else:
        print(f"allocated {len(found)} bytes")
# the cap before is back
print(len(bytearray(int(sys.argv[2]) * 1024 * 1024)))
"""


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *argv], capture_output=True, text=True, timeout=GENEROUS, check=False)


@pytest.mark.parametrize(
    ("bound", "size", "said"),
    [
        (300, 600, "the memory bound of 300 MB was reached\n629145600"),
        (2048, 10, "allocated 10485760 bytes\n10485760"),
    ],
    ids=["beyond-the-bound", "within-the-bound"],
)
def test_an_allocation_beyond_the_bound_fails_and_says_so(bound: int, size: int, said: str) -> None:
    done = run("-c", ALLOCATE, str(bound), str(size))
    assert (done.returncode, done.stdout, done.stderr) == (0, said + "\n", "")


@pytest.mark.parametrize("jobs", ["1", "2"], ids=["in-process", "worker-process"])
def test_check_doc_reports_the_bound_at_the_claim_that_reached_it(jobs: str) -> None:
    """A tower of powers, probed at a rational point, asks for more memory than any bound."""
    path = CORPUS / "tower_of_powers.md"
    done = run("-m", "derive", "check-doc", "--format", "json", "--memory-bound", "400", "--jobs", jobs, str(path))
    assert (done.returncode, done.stderr) == (0, "")
    (result,) = json.loads(done.stdout)["files"][0]["results"]
    assert (result["line"], result["verdict"], result["message"]) == (
        4,
        "undecided",
        "the memory bound of 400 MB was reached during numeric probe",
    )


def test_the_command_run_in_process_leaves_the_process_cap_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from derive import cli

    (tmp_path / "notes.md").write_text("$$x = 2$$\n", encoding="utf-8")
    before = resource.getrlimit(resource.RLIMIT_AS)
    assert cli.main(["check-doc", "--jobs", "1", "--memory-bound", "900", str(tmp_path / "notes.md")]) == 0
    capsys.readouterr()
    assert resource.getrlimit(resource.RLIMIT_AS) == before


#: holds more address space than the bound (as a test process that has imported torch does), then checks
HOLDING_MORE_THAN_THE_BOUND = """
import mmap, sys
from derive import cli
held = mmap.mmap(-1, 3 * 1024 * 1024 * 1024)  # 3 GB reserved, never touched
sys.exit(cli.main(["check-doc", "--jobs", "1", "--memory-bound", "300", sys.argv[1]]))
"""


def test_the_bound_counts_from_what_the_process_already_holds(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("$$x = 2$$\n\n$$x + x = 4$$\n", encoding="utf-8")
    done = run("-c", HOLDING_MORE_THAN_THE_BOUND, str(path))
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[1] == f"{path}:3: proved: x + x = 4  [proved (rational-function)]"

"""Opening a document (derive/doccheck/sources/files.py): a file that cannot be read is its own located
error, a FIFO or a device is refused without being opened for reading, and bytes that are not UTF-8 are
named; ``derive check-doc`` still checks and reports every other file, and exits with the worst status."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from derive import cli
from derive.doccheck.check import FileReport, Result, check_file
from derive.doccheck.sources import files
from derive.doccheck.sources.files import decode
from derive.doccheck.sources.location import Location
from derive.engine.timebound import Clock, time_bound
from derive.exceptions import UnreadableError
from derive.model import CheckConfig

CONFIG = CheckConfig(jobs=1)
#: wall seconds: a FIFO opened for reading would block forever; this ends the test instead of hanging it
GENEROUS = 60.0
TEXT = "# notes\n\n$$x = 1$$\n"
#: how the summary line of a document in no notation ends
GENERAL = "; no notation: every letter a real variable"


def _error(path: Path, message: str, line: int = 1, column: int = 1) -> FileReport:
    at = Location(str(path), line, column, line)
    return FileReport(str(path), (Result(at, "", "error", message),), read=False)


@pytest.mark.parametrize(
    ("data", "line", "column", "message"),
    [
        pytest.param(
            TEXT.encode("utf-16-le"),
            1,
            1,
            "19 of its 38 bytes are 0: UTF-16 (little-endian) without a byte-order mark? check-doc reads UTF-8",
            id="utf16-le-without-bom",
        ),
        pytest.param(
            TEXT.encode("utf-16-be"),
            1,
            1,
            "19 of its 38 bytes are 0: UTF-16 (big-endian) without a byte-order mark? check-doc reads UTF-8",
            id="utf16-be-without-bom",
        ),
        pytest.param(
            TEXT.encode("utf-32-le"),
            1,
            1,
            "57 of its 76 bytes are 0: UTF-32 (little-endian) without a byte-order mark? check-doc reads UTF-8",
            id="utf32-le-without-bom",
        ),
        pytest.param(
            b"\0" * 10 + b"ab",
            1,
            1,
            "10 of its 12 bytes are 0: not text? check-doc reads UTF-8",
            id="mostly-nul",
        ),
        pytest.param(
            codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
            1,
            1,
            "the file is UTF-16 (little-endian), with a byte-order mark; check-doc reads UTF-8",
            id="utf16-with-bom",
        ),
        pytest.param(
            codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"),
            1,
            1,
            "the file is UTF-32 (little-endian), with a byte-order mark; check-doc reads UTF-8",
            id="utf32-with-bom",
        ),
        pytest.param(
            "# café\n\n$$x = 1$$ é\n".encode("latin-1"),
            1,
            6,
            "not UTF-8: byte 0xe9 cannot be decoded (invalid continuation byte); check-doc reads UTF-8",
            id="latin-1",
        ),
        pytest.param(
            "# é\n\n$$ü = 1$$ ".encode() + b"\xff\n",
            3,
            11,
            "not UTF-8: byte 0xff cannot be decoded (invalid start byte); check-doc reads UTF-8",
            id="bad-byte-after-multibyte-characters",
        ),
    ],
)
def test_bytes_that_are_not_utf8_are_named_where_they_start(data: bytes, line: int, column: int, message: str) -> None:
    with pytest.raises(UnreadableError, match=r"check-doc reads UTF-8$") as raised:
        decode(data)
    assert (raised.value.line, raised.value.column, raised.value.message) == (line, column, message)


@pytest.mark.parametrize(
    "text",
    ["# notes\n\n$$x = a \0 b$$\n", "\ufeff# notes\n", "", "é"],
    ids=["one-nul", "utf8-bom", "empty", "one-char"],
)
def test_utf8_text_is_read_as_it_is(text: str) -> None:
    assert decode(text.encode("utf-8")) == text


def test_a_missing_file_is_its_own_error(tmp_path: Path) -> None:
    path = tmp_path / "missing.md"
    assert check_file(path, config=CONFIG) == _error(path, "cannot read: No such file or directory")


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    path = tmp_path / "pipe.md"
    os.mkfifo(path)
    with time_bound(GENEROUS, Clock.WALL):
        assert check_file(path, config=CONFIG) == _error(path, "a FIFO, not a regular file: not read")


def test_a_device_is_refused(tmp_path: Path) -> None:
    if not Path(os.devnull).is_char_device():
        pytest.skip(f"{os.devnull} is not a character device here")
    path = tmp_path / "device.md"
    path.symlink_to(os.devnull)
    assert check_file(path, config=CONFIG) == _error(path, "a character device, not a regular file: not read")


def test_a_directory_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "folder.md"
    path.mkdir()
    assert check_file(path, config=CONFIG) == _error(path, "a directory, not a regular file: not read")


def test_a_file_without_permission_is_its_own_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads a file whatever its mode")
    path = tmp_path / "private.md"
    path.write_text(TEXT, encoding="utf-8")
    path.chmod(0)
    assert check_file(path, config=CONFIG) == _error(path, "cannot read: Permission denied")


def test_a_file_larger_than_the_limit_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "MAX_BYTES", 1024 * 1024)
    path = tmp_path / "large.md"
    path.write_bytes(b"x" * (1024 * 1024 + 1))
    assert check_file(path, config=CONFIG) == _error(path, "larger than 1 MB: not read")


def test_an_undecodable_file_is_an_error_at_its_first_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.md"
    path.write_bytes("# notes\n\n$$x = 1$$ é\n".encode("latin-1"))
    message = "not UTF-8: byte 0xe9 cannot be decoded (invalid continuation byte); check-doc reads UTF-8"
    assert check_file(path, config=CONFIG) == _error(path, message, 3, 11)


# -- the command: every file is reported, and the status is the worst of them -----------------------------


@pytest.fixture
def files_one_missing(tmp_path: Path) -> list[Path]:
    """A proved claim, a missing file, a refuted claim, a FIFO, and a file in UTF-16."""
    (tmp_path / "proved.md").write_text("$$x = 2$$\n\n$$x = 1 + 1$$\n", encoding="utf-8")
    (tmp_path / "refuted.md").write_text("$$y = 2$$\n\n$$y = 3$$\n", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "wide.md").write_bytes("$$z = 1$$\n".encode("utf-16-le"))
    names = ["proved.md", "missing.md", "refuted.md", "pipe.md", "wide.md"]
    return [tmp_path / name for name in names]


def test_every_file_gets_its_report(capsys: pytest.CaptureFixture[str], files_one_missing: list[Path]) -> None:
    with time_bound(GENEROUS, Clock.WALL):
        code = cli.main(["check-doc", "--jobs", "1", *map(str, files_one_missing)])
    out, err = capsys.readouterr()
    summaries = [line.split(": ", 1) for line in out.splitlines() if " formulas; " in line]
    assert summaries == [
        [str(files_one_missing[0]), f"read 2 of 2 formulas; 1 claims: 1 proved, 0 refuted, 0 not decided{GENERAL}"],
        [str(files_one_missing[1]), "read 0 of 1 formulas; 0 claims: 0 proved, 0 refuted, 0 not decided"],
        [str(files_one_missing[2]), f"read 2 of 2 formulas; 1 claims: 0 proved, 1 refuted, 0 not decided{GENERAL}"],
        [str(files_one_missing[3]), "read 0 of 1 formulas; 0 claims: 0 proved, 0 refuted, 0 not decided"],
        [str(files_one_missing[4]), "read 0 of 1 formulas; 0 claims: 0 proved, 0 refuted, 0 not decided"],
        ["5 files", "read 4 of 7 formulas; 2 claims: 1 proved, 1 refuted, 0 not decided"],
    ]
    assert f"{files_one_missing[1]}:1:1: error:   [cannot read: No such file or directory]" in out
    assert (code, err) == (2, "")


@pytest.mark.parametrize(
    ("names", "code"),
    [(["proved.md"], 0), (["proved.md", "refuted.md"], 1), (["refuted.md", "missing.md", "proved.md"], 2)],
    ids=["all-proved", "one-refuted", "one-missing"],
)
def test_the_status_is_the_worst_of_all_files(
    capsys: pytest.CaptureFixture[str], files_one_missing: list[Path], names: list[str], code: int
) -> None:
    folder = files_one_missing[0].parent
    assert cli.main(["check-doc", "--jobs", "1", *(str(folder / name) for name in names)]) == code
    reported = [line for line in capsys.readouterr().out.splitlines() if " formulas; " in line]
    assert len(reported) == len(names) + (len(names) > 1)

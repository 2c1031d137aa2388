"""Opening a document: only a regular file is read, at most ``MAX_BYTES`` of it, and its bytes must be
UTF-8. Whatever stops that is an ``UnreadableError`` at the place it stops (line 1, or the line and
column of the first byte that is not UTF-8), so that a file's report says why, and the other files
given with it are still checked."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

from derive.exceptions import UnreadableError

#: a document larger than this is not read: the largest real ones are a few hundred kilobytes
MAX_BYTES = 64 * 1024 * 1024

#: what a path that is not a regular file is, by its mode; opening one could block (a FIFO without a
#: writer) or act on a device (a tape rewinds when it is opened)
KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)

#: byte-order marks of the encodings check-doc does not read; UTF-32's before UTF-16's, which they start with
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "UTF-32 (little-endian)"),
    (codecs.BOM_UTF32_BE, "UTF-32 (big-endian)"),
    (codecs.BOM_UTF16_LE, "UTF-16 (little-endian)"),
    (codecs.BOM_UTF16_BE, "UTF-16 (big-endian)"),
)

#: which bytes of every four are mostly 0 -> the encoding of mostly ASCII text that looks like that
ZERO_PATTERNS: dict[tuple[bool, ...], str] = {
    (False, True, True, True): "UTF-32 (little-endian)",
    (True, True, True, False): "UTF-32 (big-endian)",
    (False, True, False, True): "UTF-16 (little-endian)",
    (True, False, True, False): "UTF-16 (big-endian)",
}


def read_document(path: Path) -> str:
    """The text of the regular file ``path``, decoded as UTF-8."""
    return decode(read_bytes(path))


def read_bytes(path: Path) -> bytes:
    try:
        # the mode first: a FIFO or a device is refused before it is opened
        _refuse_special(os.stat(path).st_mode)
        # O_NONBLOCK: if a FIFO was put in the file's place since, opening it does not wait for a writer
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as error:
        raise UnreadableError(f"cannot read: {error.strerror}") from None
    with os.fdopen(descriptor, "rb") as stream:
        try:
            _refuse_special(os.fstat(stream.fileno()).st_mode)
            data = stream.read(MAX_BYTES + 1)
        except OSError as error:
            raise UnreadableError(f"cannot read: {error.strerror}") from None
    if len(data) > MAX_BYTES:
        raise UnreadableError(f"larger than {MAX_BYTES // (1024 * 1024)} MB: not read")
    return data


def decode(data: bytes) -> str:
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            raise UnreadableError(f"the file is {encoding}, with a byte-order mark; check-doc reads UTF-8")
    zeros = data.count(0)
    if zeros * 4 >= len(data) > 1:
        # text in UTF-16 or UTF-32 without a mark is valid UTF-8 full of NUL bytes: it must not pass as text
        mostly_zero = tuple(data[k::4].count(0) * 2 >= len(data[k::4]) for k in range(4))
        guess = ZERO_PATTERNS.get(mostly_zero)
        said = f"{guess} without a byte-order mark?" if guess else "not text?"
        raise UnreadableError(f"{zeros} of its {len(data)} bytes are 0: {said} check-doc reads UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        start = data.rfind(b"\n", 0, error.start) + 1
        line = data.count(b"\n", 0, error.start) + 1
        column = len(data[start : error.start].decode("utf-8", errors="replace")) + 1
        message = f"not UTF-8: byte 0x{data[error.start]:02x} cannot be decoded ({error.reason}); check-doc reads UTF-8"
        raise UnreadableError(message, line, column) from None


def _refuse_special(mode: int) -> None:
    for test, kind in KINDS:
        if test(mode):
            raise UnreadableError(f"{kind}, not a regular file: not read")
    if not stat.S_ISREG(mode):
        raise UnreadableError("not a regular file: not read")

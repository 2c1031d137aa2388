"""Writing rendered documents, all or none even when the process is killed, and the drift check.

The new set is built beside the output folder, in a hidden sibling folder: every file of the folder is
hard-linked into it (so what derive does not write, such as PDFs or a reader's notes, carries over
unchanged), and each changed file is written there as a new file, never through a link. Then the two
folders are exchanged in one step (Linux's ``renameat2(RENAME_EXCHANGE)``), and the old set, now in the
sibling, is removed. Killed at any moment, the output folder holds the complete old set or the complete
new one, and nothing else; what an interrupted build left beside it is removed by the next build.

Where the exchange is not available (not Linux, or a file system without it), the old folder is renamed
aside and the new one into its place; a build killed between the two renames leaves no output folder,
and the next build puts the old one back before it starts.

Builds into one folder take turns: each holds a lock on the folder's parent while it writes.
"""

from __future__ import annotations

import ctypes
import enum
import errno
import fcntl
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from derive.exceptions import OutputError

#: the siblings of an output folder ``out``: ``.out.derive-new-…`` while a build writes, ``.out.derive-old-…``
#: once it has switched; a build killed before it removed them leaves them for the next build to remove
NEW, OLD = "derive-new-", "derive-old-"


def _bytes(content: str | bytes) -> bytes:
    """Documents are text, written as UTF-8; figures are bytes already."""
    return content.encode("utf-8") if isinstance(content, str) else content


class Drift(enum.Enum):
    """How a file in the output folder differs from what derive renders."""

    MISSING = "missing"
    STALE = "stale"


def drift(out_dir: Path, files: Mapping[str, str | bytes]) -> dict[str, Drift]:
    """The relative paths whose file in ``out_dir`` is missing or differs from ``files``, in order.

    Something that is not a regular file where a document belongs (a FIFO, a folder) differs from it,
    and is not opened: reading a FIFO would wait for a writer forever."""
    differing = {}
    for relative, text in sorted(files.items()):
        path = out_dir / relative
        try:
            current = _read_regular(path)
        except (FileNotFoundError, NotADirectoryError):
            differing[relative] = Drift.MISSING
            continue
        except OSError as error:
            raise OutputError(f"cannot read {path}: {error.strerror}") from None
        if current != _bytes(text):
            differing[relative] = Drift.STALE
    return differing


def _read_regular(path: Path) -> bytes | None:
    """The bytes of ``path``, or None when it is not a regular file (it is then not read)."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        return None
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(descriptor, "rb") as stream:
        return stream.read() if stat.S_ISREG(os.fstat(descriptor).st_mode) else None


#: called between any two changes on disk; tests pass one that kills the process at the k-th call
Checkpoint = Callable[[], None]


def write_all(out_dir: Path, files: Mapping[str, str | bytes], checkpoint: Checkpoint | None = None) -> list[str]:
    """Write every file, or none: the new set replaces the old one in one step.

    Returns the relative paths that changed; nothing is written when none did, and files with the same
    content keep their inode and times.
    """
    step = checkpoint or (lambda: None)
    out_dir = Path(os.path.realpath(out_dir))
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        with _locked(out_dir.parent):
            _recover(out_dir)
            changed = list(drift(out_dir, files))
            if changed:
                _replace(out_dir, {relative: _bytes(files[relative]) for relative in changed}, step)
    except OSError as error:
        raise OutputError(f"cannot write to {error.filename or out_dir}: {error.strerror}") from None
    return changed


def leftovers(out_dir: Path) -> list[Path]:
    """What interrupted builds left beside ``out_dir``."""
    out_dir = Path(os.path.realpath(out_dir))
    try:
        names = os.listdir(out_dir.parent)
    except FileNotFoundError:
        return []
    prefixes = tuple(f".{out_dir.name}.{kind}" for kind in (NEW, OLD))
    return sorted(out_dir.parent / name for name in names if name.startswith(prefixes))


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on ``folder``, released when the process ends however it ends."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_CLOEXEC)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _recover(out_dir: Path) -> None:
    """Undo what an interrupted build left: put the old folder back if it was renamed aside and no new one
    took its place, and remove every other leftover."""
    for path in leftovers(out_dir):
        if path.name.startswith(f".{out_dir.name}.{OLD}") and not os.path.lexists(out_dir):
            os.rename(path, out_dir)
        else:
            shutil.rmtree(path)


def _replace(out_dir: Path, changed: Mapping[str, bytes], step: Checkpoint) -> None:
    staging = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}.{NEW}"))
    #: what is removed at the end, however it ends: the new set until it is in place, then the old one
    leftover = staging
    try:
        step()
        if out_dir.exists():
            _mirror(out_dir, staging, step)
        else:
            os.chmod(staging, 0o777 & ~_umask())
        for relative, content in changed.items():
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            # the file there is a link to the old set's: replace the link, never write through it
            if os.path.lexists(target):
                target.unlink()
            step()
            _write(target, content)
            step()
        _fsync(staging)
        leftover = _switch(staging, out_dir, step)
        step()
        _fsync(out_dir.parent)
    except OSError as error:
        # name the file in the output folder, not in the hidden one it was being written to
        if isinstance(error.filename, str) and error.filename.startswith(str(staging)):
            error.filename = str(out_dir) + error.filename[len(str(staging)) :]
        raise
    finally:
        shutil.rmtree(leftover, ignore_errors=True)


def _mirror(source: Path, target: Path, step: Checkpoint) -> None:
    """``target`` (an empty folder) made to hold what ``source`` holds: folders recreated, everything else
    hard-linked (a symbolic link as itself, a FIFO or a socket without opening it)."""
    os.chmod(target, stat.S_IMODE(os.stat(source).st_mode))
    with os.scandir(source) as entries:
        for entry in entries:
            inside = target / entry.name
            if entry.is_dir(follow_symlinks=False):
                os.mkdir(inside)
                step()
                _mirror(Path(entry.path), inside, step)
            else:
                _link(Path(entry.path), inside)
                step()


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        # a file system without hard links: copy what can be copied
        mode = os.lstat(source).st_mode
        if stat.S_ISLNK(mode):
            os.symlink(os.readlink(source), target)
        elif stat.S_ISFIFO(mode):
            os.mkfifo(target, stat.S_IMODE(mode))
        else:
            shutil.copy2(source, target)


def _write(target: Path, content: bytes) -> None:
    """``content`` in a new file, on disk before the folder is switched, with the mode a new file gets."""
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(content)
        stream.flush()
        os.fsync(descriptor)


def _fsync(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY | os.O_CLOEXEC)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _switch(staging: Path, out_dir: Path, step: Checkpoint) -> Path:
    """Put ``staging`` in the place of ``out_dir``; the path where the old folder now is."""
    if not os.path.lexists(out_dir):
        os.rename(staging, out_dir)
        return staging
    if _exchange(staging, out_dir):
        return staging
    aside = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}.{OLD}"))
    os.rename(out_dir, aside)  # replaces the empty folder just made
    try:
        step()
        os.rename(staging, out_dir)
    except BaseException:
        os.rename(aside, out_dir)  # interrupted between the two: the old set goes back
        raise
    return aside


#: ``renameat2``'s arguments for paths and for swapping two of them (linux/fcntl.h, linux/fs.h)
AT_FDCWD, RENAME_EXCHANGE = -100, 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step; False where the system or the file system cannot."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    done = renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
    if done == 0:
        return True
    number = ctypes.get_errno()
    if number in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(number, os.strerror(number), str(second))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

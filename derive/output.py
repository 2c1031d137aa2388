"""Writing rendered documents: all files or none, each replaced atomically; and the drift check."""

from __future__ import annotations

import enum
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from derive.exceptions import OutputError


def _bytes(content: str | bytes) -> bytes:
    """Documents are text, written as UTF-8; figures are bytes already."""
    return content.encode("utf-8") if isinstance(content, str) else content


class Drift(enum.Enum):
    """How a file in the output folder differs from what derive renders."""

    MISSING = "missing"
    STALE = "stale"


def drift(out_dir: Path, files: Mapping[str, str | bytes]) -> dict[str, Drift]:
    """The relative paths whose file in ``out_dir`` is missing or differs from ``files``, in order."""
    differing = {}
    for relative, text in sorted(files.items()):
        path = out_dir / relative
        try:
            current = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            differing[relative] = Drift.MISSING
            continue
        except OSError as error:
            raise OutputError(f"cannot read {path}: {error.strerror}") from None
        if current != _bytes(text):
            differing[relative] = Drift.STALE
    return differing


def write_all(out_dir: Path, files: Mapping[str, str | bytes]) -> list[str]:
    """Write every file, or none: all are staged next to their targets before any is replaced, and
    the originals are kept aside until the last replace has succeeded.

    Returns the relative paths that changed. Files with the same content are left untouched.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot write to {error.filename or out_dir}: {error.strerror}") from None
    changed = list(drift(out_dir, files))
    staged: list[tuple[Path, Path]] = []
    #: target -> its original, set aside (None: the target is new)
    kept: dict[Path, Path | None] = {}
    try:
        for relative in changed:
            target = out_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            staged.append((_temporary(target, _bytes(files[relative])), target))
        for _, target in staged:
            kept[target] = _set_aside(target) if target.exists() else None
        replaced: list[Path] = []
        try:
            for name, target in staged:
                os.replace(name, target)
                replaced.append(target)
        except OSError:
            for target in replaced:
                original = kept[target]
                if original is None:
                    target.unlink()
                else:
                    os.replace(original, target)
            raise
    except OSError as error:
        for path in [name for name, _ in staged] + [k for k in kept.values() if k is not None]:
            path.unlink(missing_ok=True)
        where = error.filename or out_dir
        raise OutputError(f"cannot write to {where}: {error.strerror}") from None
    for original in kept.values():
        if original is not None:
            original.unlink(missing_ok=True)
    return changed


def _temporary(target: Path, content: bytes) -> Path:
    """``content`` in a new file beside ``target``, on disk before it is renamed into place."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    # mkstemp makes the file private (0600); a written document gets the mode a new file would
    os.fchmod(handle, 0o666 & ~_umask())
    with os.fdopen(handle, "wb") as stream:
        stream.write(content)
        stream.flush()
        os.fsync(stream.fileno())
    return Path(name)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _set_aside(target: Path) -> Path:
    """A copy of ``target`` beside it, with its times, to put back if a later replace fails."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".orig")
    os.close(handle)
    shutil.copy2(target, name)
    return Path(name)

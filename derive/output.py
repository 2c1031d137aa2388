"""Writing rendered documents: all files or none, each replaced atomically; and the drift check."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from derive.exceptions import OutputError


def stale(out_dir: Path, files: Mapping[str, str]) -> list[str]:
    """The relative paths whose file in ``out_dir`` is missing or differs from ``files``."""
    differing = []
    for relative, text in sorted(files.items()):
        path = out_dir / relative
        try:
            current = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            differing.append(relative)
            continue
        except OSError as error:
            raise OutputError(f"cannot read {path}: {error.strerror}") from None
        if current != text.encode("utf-8"):
            differing.append(relative)
    return differing


def write_all(out_dir: Path, files: Mapping[str, str]) -> list[str]:
    """Write every file, or none: all are staged next to their targets before any is replaced.

    Returns the relative paths that changed. Files with the same content are left untouched.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot write to {error.filename or out_dir}: {error.strerror}") from None
    changed = stale(out_dir, files)
    staged: list[tuple[str, Path]] = []
    try:
        for relative in changed:
            target = out_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            staged.append((name, target))
            with os.fdopen(handle, "wb") as stream:
                stream.write(files[relative].encode("utf-8"))
                stream.flush()
                os.fsync(stream.fileno())
        for name, target in staged:
            os.replace(name, target)
    except OSError as error:
        for name, _ in staged:
            Path(name).unlink(missing_ok=True)
        where = error.filename or out_dir
        raise OutputError(f"cannot write to {where}: {error.strerror}") from None
    return changed

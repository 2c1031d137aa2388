"""The notations derive ships, as data: one TOML file each, read into a ``Notation`` (see ``files``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from derive.exceptions import UnknownNameError
from derive.notation import Notation
from derive.notations.files import NotationError, load

__all__ = ["FOLDER", "NotationError", "builtin", "load", "names"]

FOLDER = Path(__file__).resolve().parent


def names() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in FOLDER.glob("*.toml")))


@cache
def builtin(name: str) -> Notation:
    path = FOLDER / f"{name}.toml"
    if not path.is_file():
        raise UnknownNameError(f"no notation named {name!r} (known: {', '.join(names())})")
    return load(path)

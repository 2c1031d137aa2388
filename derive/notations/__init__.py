"""The notations derive ships, as data: one TOML file each, read into a ``Notation`` (see ``files``)."""

from __future__ import annotations

from derive.notation import NOTATIONS as FOLDER
from derive.notation import builtin
from derive.notation import shipped as names
from derive.notations.files import NotationError, load

__all__ = ["FOLDER", "NotationError", "builtin", "load", "names"]

"""derive: checks every step of a mathematical derivation with SymPy and renders the verified chain."""

from __future__ import annotations

__version__ = "0.1.0"

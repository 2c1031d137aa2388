"""What derive prints may come from a document or a file name: nothing in it reaches the terminal as a
control sequence."""

from __future__ import annotations


def printable(text: str) -> str:
    """Control, format and bidi characters shown as escapes (``\\x1b``, ``\\n``, ``\\u202e``), so that a
    document or a file name can neither move the cursor, recolour the terminal, forge a line nor reorder
    what is shown."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)

"""Every error derive raises on purpose derives from DeriveError; the CLI prints those as one line."""

from __future__ import annotations


class DeriveError(Exception):
    """Base class for errors caused by input, configuration or the environment, not by a bug."""


class UnknownNameError(DeriveError):
    """A derivation, step or notation entry was asked for by a name that does not exist."""


class UnsupportedExpressionError(DeriveError):
    """An expression node that a dispatch table has no rule for."""


class DerivationError(DeriveError):
    """A derivation is malformed: a name defined twice, a reference to a missing step, ..."""


class OutputError(DeriveError):
    """Output could not be written, or is not in the state a command requires."""


class UnreadableError(DeriveError):
    """A document that cannot be read (missing, a FIFO, not UTF-8, not a notebook): where reading stopped, and
    why. The file's report is this one error; the other files are still checked."""

    def __init__(self, message: str, line: int = 1, column: int = 1, cell: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.cell = cell


class ParseError(DeriveError):
    """Input text could not be read. Carries the location and the offending text."""

    def __init__(self, message: str, *, file: str, line: int, column: int, text: str) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.text = text
        super().__init__(f"{file}:{line}:{column}: {message}: {text!r}")


class MathMLError(OutputError):
    """A formula of a document has no MathML form: latex2mathml cannot read it, or keeps a command unknown."""

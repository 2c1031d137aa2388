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

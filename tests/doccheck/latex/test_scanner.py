"""The scanner: characters, control words and symbols, Unicode, raw arguments, what it refuses."""

from __future__ import annotations

import pytest

from derive.doccheck.latex.scanner import scan
from derive.doccheck.latex.source import Source
from derive.exceptions import ParseError
from tests.doccheck.latex.support import (
    case,
    rows,
    token_types,
)

TOKENS = [
    case("a \\\nb", ["LETTER", "LETTER"], "a-backslash-before-a-newline-is-a-space"),
    case("a ... b", ["LETTER", "DOTS", "LETTER"], "three-periods"),
    case("α − β", ["GREEK", "MINUS", "GREEK"], "unicode"),
    case(r"\therefore a \Rightarrow b", ["SEP", "LETTER", "SEP", "LETTER"], "words-between-statements"),
    case(r"a \& b", ["LETTER", "SEP", "LETTER"], "an-ampersand-in-words"),
]


@pytest.mark.parametrize(("text", "types"), TOKENS)
def test_tokens(text: str, types: list[str]) -> None:
    assert token_types(text) == types


ERRORS = [
    case(r"\foo + 1", "unknown macro"),
    case("9" * 1001, "number too long"),
    case("x ☃", "unexpected character"),
    case("\\", "lone backslash"),
]


@pytest.mark.parametrize(("text", "match"), ERRORS)
def test_refusals(text: str, match: str) -> None:
    with pytest.raises(ParseError, match=match):
        rows(text)


def scanned(text: str) -> list[tuple[str, str]]:
    return [(tok.type, tok.value) for tok in scan(Source(text, "doc.md", 1, 1))]


RAW = [
    case(r"\mathrm{I}", [("LETTER", "I")], "an-upright-letter-is-the-letter"),
    case(r"\mathsf{T}", [("LETTER", "T")], "a-sans-serif-letter"),
    case(r"\mathrm{0}", [("NUMBER", "0")], "an-upright-digit"),
    case(r"\mathrm{e}", [("ROMAN_E", "e")], "the-upright-e"),
    case(r"\text{tr}", [("FUNC", "tr")], "the-trace"),
    case(r"\operatorname{arg\,max}", [("OPT", "argmax")], "argmax-in-an-operator-name"),
    case(r"\text{ for all }", [("TEXT", "for all")], "words-are-text"),
    case(r"\mathcal{L}", [("CALNAME", r"\mathcal{L}")], "a-calligraphic-name"),
    case(r"\mathscr{N}", [("CAL_N", r"\mathcal{N}")], "a-script-N-is-the-normal"),
    case(r"\coloneqq", [("REL", ":=")], "a-definition-sign"),
    case("θ′", [("GREEK", r"\theta"), ("PRIME", "'")], "unicode-letters-and-marks"),
]


@pytest.mark.parametrize(("text", "tokens"), RAW)
def test_what_each_macro_scans_to(text: str, tokens: list[tuple[str, str]]) -> None:
    assert scanned(text) == tokens

"""Characters to tokens: letters, digits, control words and symbols, Unicode, raw {…} arguments."""

from __future__ import annotations

from derive.doccheck.latex.source import Source, Tok
from derive.doccheck.latex.vocabulary import (
    CHARS,
    COLOURS,
    MAX_LITERAL_DIGITS,
    RAW,
    SPACES,
    SYMBOLS,
    TEXT_OPERATORS,
    UNICODE_CHARS,
    UNICODE_WORDS,
    WORDS,
)


def scan(src: Source) -> list[Tok]:
    text, n = src.text, len(src.text)
    out: list[Tok] = []
    k, space = 0, False
    while k < n:
        c = text[k]
        if c in " \t\r\n~":
            k, space = k + 1, True
            continue
        if c == "%":  # a comment, to the end of the line
            while k < n and text[k] != "\n":
                k += 1
            continue
        start = k
        if c == "\\":
            tok, k = _control(src, k)
        elif c.isascii() and c.isalpha():
            tok, k = Tok("LETTER", c, k, k + 1), k + 1
        elif c.isascii() and c.isdigit():
            k = _digits(text, k)
            if k + 1 < n and text[k] == "." and text[k + 1].isascii() and text[k + 1].isdigit():
                k = _digits(text, k + 1)
            if k - start > MAX_LITERAL_DIGITS:
                raise src.error_at("number too long", start, k)
            tok = Tok("NUMBER", text[start:k], start, k)
        elif c == "." and text.startswith("...", k):  # dots typed as three periods
            tok, k = Tok("DOTS", "dots", k, k + 3), k + 3
        elif c in CHARS or c in UNICODE_CHARS:
            char = UNICODE_CHARS.get(c, c)
            tok, k = Tok(CHARS[char], {"<": "lt", ">": "gt"}.get(char, char), k, k + 1), k + 1
        elif c in UNICODE_WORDS:
            kind, value = WORDS[UNICODE_WORDS[c]]
            tok, k = Tok(kind, value, k, k + 1), k + 1
        else:
            raise src.error_at("unexpected character", k, k + 1)
        tok.space, space = space, False
        if tok.type == "SPACE":
            space = True
        elif tok.type != "DROP":
            out.append(tok)
    return out


def _control(src: Source, k: int) -> tuple[Tok, int]:
    text = src.text
    if k + 1 >= len(text):
        raise src.error_at("a lone backslash", k, k + 1)
    c = text[k + 1]
    if not (c.isascii() and c.isalpha()):
        if c in SYMBOLS:
            kind, value = SYMBOLS[c]
            return Tok(kind, value, k, k + 2), k + 2
        if c in SPACES:
            return Tok("SPACE", c, k, k + 2), k + 2
        raise src.error_at("unknown macro", k, k + 2)
    end = k + 1
    while end < len(text) and text[end].isascii() and text[end].isalpha():
        end += 1
    name = text[k + 1 : end]
    if name in WORDS:
        kind, value = WORDS[name]
        return Tok(kind, value, k, end), end
    if name in RAW:
        return _raw(src, name, k, end)
    if name in COLOURS:
        after = _skip_spaces(src, end)
        if after < len(text) and text[after] == "[":  # \color[rgb]{0,0,1}
            close = text.find("]", after)
            if close < 0:
                raise src.error_at("unbalanced brackets", after, after + 1)
            after = close + 1
        _, stop = _group(src, after, k)
        return Tok("COLOR" if name == "color" else "TEXTCOLOR", name, k, stop), stop
    raise src.error_at("unknown macro", k, end)


def _skip_spaces(src: Source, k: int) -> int:
    while k < len(src.text) and src.text[k] in " \t\r\n":
        k += 1
    return k


def _group(src: Source, k: int, macro: int) -> tuple[str, int]:
    """The raw text of the {…} argument at k (after spaces), and where it ends."""
    text = src.text
    k = _skip_spaces(src, k)
    if k >= len(text) or text[k] != "{":
        raise src.error_at("expected {…} after the macro", macro, k)
    depth, j = 0, k
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return text[k + 1 : j], j + 1
        j += 1
    raise src.error_at("unbalanced braces: this { is not closed", k, k + 1)


def _raw(src: Source, name: str, k: int, end: int) -> tuple[Tok, int]:
    text = src.text
    after = _skip_spaces(src, end)
    if name == "tag" and after < len(text) and text[after] == "*":
        after += 1
    if (
        name not in ("begin", "end", "tag", "label")
        and after < len(text)
        and text[after].isascii()
        and text[after].isalnum()
    ):
        content, stop = text[after], after + 1  # \mathbb R
    else:
        content, stop = _group(src, after, k)
    stripped = content.strip()
    if name == "mathbb":
        if not (len(stripped) == 1 and stripped.isascii() and stripped.isalpha()):
            raise src.error_at(r"\mathbb of something other than one letter", k, stop)
        return Tok("BB", stripped, k, stop), stop
    if name in ("mathcal", "mathscr"):
        if not (len(stripped) == 1 and stripped.isascii() and stripped.isalpha()):
            raise src.error_at(rf"\{name} of something other than one letter", k, stop)
        if stripped == "N":
            return Tok("CAL_N", r"\mathcal{N}", k, stop), stop
        return Tok("CALNAME", rf"\mathcal{{{stripped}}}", k, stop), stop
    if name in ("begin", "end"):
        return Tok(name.upper(), stripped, k, stop), stop
    if name == "tag":
        return Tok("TAG", stripped, k, stop), stop
    if name == "label":
        return Tok("DROP", stripped, k, stop), stop
    if name == "mathrm" and stripped == "e":
        return Tok("ROMAN_E", "e", k, stop), stop
    if len(stripped) == 1 and stripped.isascii() and stripped.isalpha():
        return Tok("LETTER", stripped, k, stop), stop  # \mathrm{I}, \text{d}: an upright letter
    if stripped.isascii() and stripped.isdigit() and len(stripped) <= MAX_LITERAL_DIGITS:
        return Tok("NUMBER", stripped, k, stop), stop  # \mathrm{0}
    word = "".join(stripped.replace("\\,", "").replace("\\;", "").replace("\\ ", "").split())
    if word in TEXT_OPERATORS:
        kind, value = TEXT_OPERATORS[word]
        return Tok(kind, value, k, stop), stop
    return Tok("TEXT", " ".join(stripped.split()), k, stop), stop


def _digits(text: str, k: int) -> int:
    while k < len(text) and text[k].isascii() and text[k].isdigit():
        k += 1
    return k

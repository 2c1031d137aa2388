"""Hostile and malformed Markdown: every document in tests/corpus/ ends in an error located at its line.

Each file is named after what is wrong with it. A document in ``LOCATED`` must give, through
``check_source``, at least one result with verdict "error" on the expected line whose message contains
the expected text. A document in ``UNREADABLE`` cannot be read as UTF-8: ``check_file`` gives one error
at the first byte that is not, and ``derive check-doc`` reports it and exits 2. Those are named
``*.markdown`` rather than ``*.md``: ``ruff format`` (0.17) reads every ``*.md`` and fails on bytes that
are not UTF-8.

Documents that do not give a located error today (a crash, silence, or the wrong line) stay in the
corpus, marked ``xfail(strict=True)`` with the reason: fixing one turns it into an XPASS, which fails
until its mark is removed here.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from derive import cli
from derive.doccheck.check import check_file, check_source
from derive.model import CheckConfig
from derive.notation import DDPM

CORPUS = Path(__file__).parent / "corpus"
#: seconds: hostile documents take well under one (bench/hostile.py prints the times); this bound is
#: generous so that only a runaway fails, never a loaded machine. That the file's time bound stops any
#: phase is shown with an injected phase that never finishes (tests/doccheck/test_check.py).
GENEROUS = 60.0


# (file name, line of the offending text, a substring of the error's message)
LOCATED = [
    # -- the lexer: characters and macros
    ("unknown_macro.md", 10, "unknown macro"),
    ("tex_primitive_over.md", 4, "unknown macro"),
    ("binary_garbage.md", 4, "unexpected character"),
    ("null_bytes.md", 4, "unexpected character"),
    ("zero_width_and_bidi_characters.md", 4, "unexpected character"),
    ("factorial.md", 4, "unexpected character"),
    ("terminal_escape_sequences_in_text.md", 4, "text inside an expression"),
    ("literal_with_two_thousand_digits.md", 4, "number too long"),
    ("byte_order_mark_then_unknown_macro.md", 4, "unknown macro"),
    ("tab_and_crlf_line_endings.md", 8, "28: unknown macro"),
    # -- braces, brackets, environments
    ("unbalanced_braces.md", 6, "unbalanced braces"),
    ("percent_comment_hides_closing_brace.md", 4, "unbalanced braces"),
    ("stray_right_delimiter.md", 4, "nothing to close here"),
    ("left_without_right.md", 4, "is not closed"),
    ("mismatched_bracket_kinds.md", 4, "nothing to close here"),
    ("invisible_left_delimiter.md", 4, "invisible delimiter"),
    ("nested_brackets_beyond_the_limit.md", 4, "nested too deeply"),
    ("deeply_nested_fractions.md", 4, "nested too deeply"),
    ("nested_logs_beyond_the_limit.md", 4, "nested too deeply"),
    ("unclosed_environment.md", 4, r"\begin{aligned} without \end"),
    ("mismatched_environment.md", 6, r"ended by \end{align}"),
    ("ampersand_outside_environment.md", 4, "& outside an alignment environment"),
    ("colour_without_argument.md", 4, "expected {…} after the macro"),
    ("tag_without_argument.md", 4, "expected {…} after the macro"),
    ("two_tags.md", 4, "more than one tag"),
    # -- empty math
    ("empty_math_block.md", 6, "empty math"),
    ("whitespace_only_math_block.md", 4, "empty math"),
    ("empty_display_dollars.md", 3, "empty math"),
    # -- ambiguity the reader refuses
    ("ambiguous_log_argument.md", 4, r"unbracketed argument of \log"),
    ("ambiguous_digit_superscript.md", 4, "TeX takes one digit"),
    ("bare_sequence_without_index.md", 4, "write it with a subscript"),
    ("braced_sum_juxtaposed.md", 4, "a braced sum"),
    ("number_after_name.md", 4, "a number after a factor"),
    ("slash_before_juxtaposition.md", 4, "ambiguous: a/b c"),
    ("gaussian_with_four_arguments.md", 4, "unexpected"),
    ("unsupported_set_mathbb_q.md", 4, r"unsupported set \mathbb{Q}"),
    ("proportional_without_a_variable.md", 4, "'∝' without a density"),
    # -- grammar
    ("double_superscript.md", 4, "unexpected"),
    ("empty_fraction_argument.md", 4, "unexpected"),
    ("relations_without_operands.md", 4, "unexpected"),
    ("trailing_operator.md", 4, "ends too early"),
    ("several_statements_without_relation.md", 4, "each must state a relation"),
    # -- sizes and values
    ("exponent_ten_to_the_ninth.md", 4, "exponent too large"),
    ("exponent_beyond_the_limit.md", 4, "exponent too large"),
    ("numeric_power_tower.md", 4, "exponent too large"),
    ("nested_numeric_power.md", 4, "number too large"),
    ("division_by_zero_literal.md", 4, "division by zero"),
    ("division_by_a_symbolic_zero.md", 4, "division by zero"),
    ("zero_to_a_negative_power.md", 4, "division by zero"),
    ("log_of_zero.md", 4, "an undefined value"),
    ("zeroth_root.md", 4, "a root of degree zero"),
    ("ten_thousand_character_expression.md", 6, "unbalanced braces"),
    ("very_long_row_of_statements.md", 4, "unknown macro"),
    ("three_hundred_blocks_then_unknown_macro.md", 1204, "unknown macro"),
    ("thousand_row_aligned_block_with_unknown_macro.md", 1005, "unknown macro"),
    # -- Markdown
    ("unclosed_fence.md", 6, "each must state a relation"),
    ("fence_closed_by_fewer_backticks.md", 5, "unexpected character"),
    ("unclosed_display_dollars.md", 5, "an unclosed $$"),
    ("inline_math_with_unbalanced_braces.md", 4, "unbalanced braces"),
    ("math_inside_blockquote.md", 7, "unknown macro"),
    ("code_span_across_lines.md", 5, "unknown macro"),
    ("inline_math_across_lines.md", 5, "unknown macro"),
    ("html_inline_across_lines.md", 5, "unknown macro"),
    ("inline_math_after_emphasis.md", 3, "15: unknown macro"),
    ("list_nested_ten_deep.md", 15, "unknown macro"),
    ("blockquote_nested_twenty_deep.md", 3, "unknown macro"),
    # -- annotations
    ("unknown_annotation.md", 3, "unknown annotation"),
    ("empty_annotation.md", 3, "unknown annotation"),
    ("unclosed_annotation_comment.md", 3, "not closed with -->"),
    ("coefficient_annotation_without_argument.md", 7, "coeff(E, v) needs two arguments"),
    ("broken_latex_inside_annotation.md", 7, "unbalanced braces"),
    ("coefficient_in_a_number.md", 7, "a variable v to a positive whole power"),
    ("coefficient_of_a_symbolic_power.md", 7, "a variable v to a positive whole power"),
    ("coefficient_of_a_fractional_power.md", 7, "a variable v to a positive whole power"),
    ("coefficient_in_a_sum.md", 7, "a variable v to a positive whole power"),
    ("coefficient_of_an_undefined_expression.md", 3, "S does not contain x (is it defined?)"),
    ("free_of_a_sum.md", 3, "'free of' names a variable"),
    # -- what the math claims
    ("empty_interval_as_domain.md", 4, "an empty interval"),
]

# documents whose hostility is in their math, answered by a located verdict with a real
# counterexample rather than an error: (file name, line, verdict, a substring of the message)
ANSWERED = [
    # a name on both sides is not a definition: x = x + 1 claims something about x, and it is false
    ("self_referential_definition.md", 4, "refuted", "the left side is 23/11, the right side 34/11"),
    # x = y defines x; y = x is then a claim, and x = 3 is a claim about y
    ("definitions_in_a_cycle.md", 8, "proved", "rational-function"),
    # once refused by the reader; read now: what nothing decides is "not checked", with what it is
    ("unsupported_integral.md", 4, "undecided", "not checked: an integral"),
    ("bare_e.md", 4, "undecided", "not checked: e: Euler's number or a name?"),
    ("summation_index_on_plain_name.md", 4, "undecided", "not checked: a sum over j of terms in x_j"),
    # and what reads one way only is read
    ("unicode_math_symbols.md", 4, "definition", "establishes a notation identity"),
    ("unicode_minus_sign.md", 4, "definition", "definition"),
    ("unknown_environment.md", 4, "expression", "nothing is claimed"),
    ("row_separator_outside_environment.md", 4, "definition", "definition"),
    ("calligraphic_name_applied.md", 4, "definition", "definition"),
    ("transpose_of_bold_vector.md", 4, "definition", "definition"),
    ("derivative_written_as_fraction.md", 4, "definition", "definition"),
    ("density_without_semicolon.md", 4, "definition", "definition"),
    ("gaussian_variance_without_identity.md", 4, "definition", "definition"),
]

# documents whose math would grow without bound, or take all memory: each ends, under the memory bound, in a
# located verdict naming the limit it met. Run by ``derive check-doc`` in a subprocess with the default
# memory bound, so that a regression ends in that process's MemoryError, not in this one's:
# (file name, line, verdict, the message)
BOUNDED = [
    ("sum_of_a_billion_terms.md", 4, "undecided", "a sum of 1,000,000,000 terms: beyond the limit of 1,000 terms"),
    (
        "product_of_a_billion_factors.md",
        4,
        "undecided",
        "a product of 1,000,000,000 factors: beyond the limit of 1,000 factors",
    ),
    ("thirty_squaring_definitions.md", 44, "undecided", "an exponent of 1,024: beyond the limit of 1,000"),
    ("thirty_squaring_definitions.md", 128, "undecided", "an exponent of 1,024: beyond the limit of 1,000"),
    (
        "definitions_doubling_in_size.md",
        40,
        "undecided",
        "about 131,841 terms once multiplied out: beyond the limit of 100,000 terms",
    ),
    ("coefficient_of_a_defined_tower.md", 7, "undecided", "a degree of 1,000,000: beyond the limit of 10,000"),
    (
        "counterexample_of_thousands_of_digits.md",
        12,
        "refuted",
        "refuted at x = 29/11 (within x \\in (1, 3), line 4): the left side is 1.06307450689002e+2105"
        " (a fraction of 7,312 over 5,207 digits), the right side 2",
    ),
    ("tower_of_powers.md", 4, "undecided", "the memory bound of 1,024 MB was reached during numeric probe"),
]

# documents that cannot be read as UTF-8: (file name, line, column, the error)
UNREADABLE = [
    ("not_utf8.markdown", 1, 26, "not UTF-8: byte 0xe9 cannot be decoded (invalid continuation byte)"),
    ("utf16_with_byte_order_mark.markdown", 1, 1, "the file is UTF-16 (little-endian), with a byte-order mark"),
    ("utf16_without_byte_order_mark.markdown", 1, 1, "UTF-16 (little-endian) without a byte-order mark?"),
]


def _name(case: object) -> str:
    values = case.values if hasattr(case, "values") else case
    assert isinstance(values, tuple)
    return str(values[0])


def _read(name: str) -> str:
    # bytes, then decode: read_text would turn CRLF into LF and hide what the file is about
    return (CORPUS / name).read_bytes().decode("utf-8")


def test_every_corpus_file_is_in_a_table() -> None:
    listed = [_name(case) for case in LOCATED] + [c[0] for c in ANSWERED] + [c[0] for c in UNREADABLE]
    assert len(listed) == len(set(listed)), "a file is listed twice"
    listed += sorted({c[0] for c in BOUNDED} - set(listed))
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(listed)


def test_the_corpus_is_large_enough() -> None:
    assert len(LOCATED) + len(UNREADABLE) >= 30


def test_the_crlf_document_really_has_crlf_and_tabs() -> None:
    """Guards against a checkout that normalised the file's line endings."""
    raw = (CORPUS / "tab_and_crlf_line_endings.md").read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n") > 0
    assert b"\t" in raw


def test_the_long_expression_is_one_equation_of_more_than_ten_thousand_characters() -> None:
    lines = _read("ten_thousand_character_expression.md").splitlines()
    assert lines[4:7:2] == ["```math", "```"]
    assert len(lines[5]) > 10_000
    # malformed late: one brace short, near the end
    assert lines[5].count("{") == lines[5].count("}") + 1
    assert lines[5].endswith(r"\frac{1}{x + 1")


@pytest.mark.parametrize(("name", "line", "message"), LOCATED, ids=[_name(case) for case in LOCATED])
def test_a_hostile_document_ends_in_a_located_error(name: str, line: int, message: str) -> None:
    text = _read(name)
    started = time.perf_counter()
    report = check_source(text, name, DDPM, CheckConfig(jobs=1))
    seconds = time.perf_counter() - started
    # "28: unknown macro": the column, then the message, as the text report reads
    errors = [(r.line, f"{r.location.column}: {r.message}") for r in report.results if r.verdict == "error"]
    assert any(at == line and message in said for at, said in errors), (
        f"expected an error at line {line} containing {message!r}; got {report.results}"
    )
    assert seconds < GENEROUS


@pytest.mark.parametrize(("name", "line", "verdict", "message"), ANSWERED, ids=[c[0] for c in ANSWERED])
def test_a_hostile_claim_ends_in_a_located_verdict(name: str, line: int, verdict: str, message: str) -> None:
    report = check_source(_read(name), name, DDPM, CheckConfig(jobs=1))
    assert any(r.line == line and r.verdict == verdict and message in r.message for r in report.results), report
    assert not [r for r in report.results if r.verdict == "error"]


@pytest.mark.parametrize(("name", "line", "column", "message"), UNREADABLE, ids=[c[0] for c in UNREADABLE])
def test_an_unreadable_document_is_one_located_error(name: str, line: int, column: int, message: str) -> None:
    (found,) = check_file(CORPUS / name, config=CheckConfig(jobs=1)).results
    assert (found.verdict, found.line, found.location.column) == ("error", line, column)
    assert message in found.message


@pytest.mark.parametrize(("name", "line", "column", "message"), UNREADABLE, ids=[c[0] for c in UNREADABLE])
def test_check_doc_reports_an_unreadable_document_and_exits_2(
    capsys: pytest.CaptureFixture[str], name: str, line: int, column: int, message: str
) -> None:
    code = cli.main(["check-doc", "--jobs", "1", str(CORPUS / name)])
    out, err = capsys.readouterr()
    assert (code, err) == (2, "")
    assert out.startswith(f"{CORPUS / name}:{line}:{column}: error:   [")
    assert message in out


@pytest.mark.parametrize(("name", "line", "verdict", "message"), BOUNDED, ids=[f"{c[0]}:{c[1]}" for c in BOUNDED])
def test_a_document_that_would_grow_without_bound_ends_in_a_located_verdict(
    name: str, line: int, verdict: str, message: str
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "derive", "check-doc", "--format", "json", "--jobs", "1", str(CORPUS / name)],
        capture_output=True,
        text=True,
        timeout=GENEROUS,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    assert done.stderr == ""
    (found,) = json.loads(done.stdout)["files"]
    said = [(r["verdict"], r["message"]) for r in found["results"] if r["line"] == line]
    assert (verdict, message) in said, found["results"]

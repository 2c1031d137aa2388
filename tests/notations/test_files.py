"""Notation files: TOML read into a Notation, every formula by check-doc's grammar, errors located."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sympy as sp

from derive.notation import DDPM, INDEX, REALS, Interval, Notation
from derive.notations import builtin, names
from derive.notations.files import NotationError, read
from derive.render.printer import DerivePrinter

SMALL = r"""
name = "small"
title = "A small notation"
signature = ['\gamma_n', 'G_n']

[symbols]
n = { latex = "n", assume = "integer positive" }
gamma = { latex = '\gamma', assume = "positive", sequence = true }
gamma_n = { base = '\gamma', index = "n", assume = "positive", domain = "(0, 1)" }
G_n = { base = "G", index = "n", assume = "positive", domain = "(0, 1]" }
G_nm1 = { base = "G", index = "n-1", assume = "positive", domain = "(0, 1]" }
y = { latex = "y", assume = "real", domain = '\mathbb{R}' }
r = { latex = "r", assume = "positive", domain = '(0, \infty)' }

[[identities]]
key = "G-product"
family = "G"
equations = ['G_n = \prod_{i=1}^{n} \gamma_i']
peels = ['\gamma_n']

[[identities]]
key = "G-recursion"
family = "G"
equations = ['G_n = \gamma_n G_{n-1}']

[[boundaries]]
at = "G_{n-1} = 1"
where = "n = 1"
excluded_by = 'n \geq 2'
where_text = "n = 1"
excluded_by_text = "n ≥ 2"

[families]
index = "k"
equations = ['G_k = \prod_{i=1}^{k} \gamma_i']

[documents]
noise = ['\overline{\epsilon}']
random = ["y"]
choices = ["r"]
canonical = ["y = 2 r"]
"""

n = sp.Symbol("n", integer=True, positive=True)
i = sp.Symbol("i", integer=True)
gamma = sp.IndexedBase("gamma", positive=True)
gamma_n, G_n, G_nm1 = (sp.Symbol(name, positive=True) for name in ("gamma_n", "G_n", "G_nm1"))


@pytest.fixture(scope="module")
def small() -> Notation:
    return read(SMALL, "small.toml")


def test_symbols_keep_their_order_names_assumptions_and_domains(small: Notation) -> None:
    assert [(e.key, e.symbol, e.latex, e.domain) for e in small.entries] == [
        ("n", n, "n", None),
        ("gamma", gamma, r"\gamma", None),
        ("gamma_n", gamma_n, r"\gamma_n", Interval(sp.Integer(0), sp.Integer(1))),
        ("G_n", G_n, "G_n", Interval(sp.Integer(0), sp.Integer(1), hi_open=False)),
        ("G_nm1", G_nm1, "G_{n-1}", Interval(sp.Integer(0), sp.Integer(1), hi_open=False)),
        ("y", sp.Symbol("y", real=True), "y", REALS),
        ("r", sp.Symbol("r", positive=True), "r", Interval(sp.Integer(0), None)),
    ]


def test_indexed_entries_are_found_by_base_and_index(small: Notation) -> None:
    assert small.resolve("G", n - 1) == G_nm1


def test_identities_are_read_as_written_with_their_peels(small: Notation) -> None:
    product, recursion = small.identities
    assert product.written == ((G_n, sp.Product(gamma[i], (i, 1, n))),)
    assert product.peels == ((gamma[n], gamma_n),)
    # kept in the order written: printed γ_n G_{n-1}, not sorted
    names_ = {G_n: "G_n", G_nm1: "G_{n-1}", gamma_n: r"\gamma_n"}
    assert DerivePrinter(small, symbol_names=names_).doprint(recursion.written[0][1]) == r"\gamma_n G_{n-1}"


def test_boundaries_families_and_conventions_are_read(small: Notation) -> None:
    assert [(b.symbol, b.value, b.excluded_by_text) for b in small.boundaries] == [(G_nm1, 1, "n ≥ 2")]
    assert small.families == (("G", sp.Product(gamma[i], (i, 1, INDEX))),)
    assert small.noise == frozenset({r"\bar{\epsilon}"})
    assert small.random == frozenset({"y"})
    assert small.canonical == ((sp.Symbol("y", real=True), 2 * sp.Symbol("r", positive=True)),)
    assert (small.name, small.title, small.signature) == ("small", "A small notation", (gamma_n, G_n))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("name = ", r"small\.toml: not TOML", id="not-toml"),
        pytest.param("colour = 'red'", r"small\.toml: the file: unknown key 'colour'", id="unknown-top-level-key"),
        pytest.param(
            "[symbols]\nx = { latex = 'x', assume = 'imaginary' }",
            r"\[symbols\] x: unknown assumption 'imaginary'",
            id="unknown-assumption",
        ),
        pytest.param(
            "[symbols]\nx = { latex = 'x', domain = '(0, 1' }",
            r"small\.toml:2:30: unbalanced brackets: this one is not closed: '\('",
            id="unreadable-domain",
        ),
        pytest.param(
            "[symbols]\nx = { latex = 'x', domain = '\\{1, \\dots, 9\\}' }",
            r"\[symbols\] x: .* is not an interval of the reals",
            id="domain-not-an-interval",
        ),
        pytest.param(
            "[symbols]\nx = { base = 'x' }", r"\[symbols\] x: give either latex, or base and index", id="base-no-index"
        ),
        pytest.param(
            "[[identities]]\nkey = 'k'\nequations = ['a = \\frac{1}{']",
            r"small\.toml:3:27: unbalanced braces: this \{ is not closed",
            id="identity-located-in-the-file",
        ),
        pytest.param(
            "[[identities]]\nkey = 'k'\nequations = ['a < b']",
            r"small\.toml:3:15: expected an equation \(=\): 'a < b'",
            id="identity-not-an-equation",
        ),
        pytest.param("[symbols]\nx = 3", r"\[symbols\] x: expected a table", id="symbol-not-a-table"),
    ],
)
def test_a_broken_file_is_one_located_error(text: str, message: str) -> None:
    with pytest.raises(NotationError, match=message):
        read(text, "small.toml")


def test_the_shipped_notations_load() -> None:
    assert names() == ("ddpm", "general")
    assert builtin("ddpm") is DDPM
    assert builtin("general").entries == ()


def test_ddpm_identities_are_those_the_documents_print() -> None:
    printer = DerivePrinter(DDPM)
    written = [printer.doprint(sp.Eq(*i.written[0], evaluate=False)) for i in DDPM.identities]
    assert written == [
        r"\beta_t = 1 - \alpha_t",
        r"\bar{\alpha}_t = \prod_{i=1}^{t} \alpha_i",
        r"\bar{\alpha}_t = \alpha_t \bar{\alpha}_{t-1}",
    ]


@pytest.mark.parametrize(
    "module", ["derive.notation", "derive.notations", "derive.notations.files", "derive.doccheck.latex", "derive.cli"]
)
def test_any_module_imports_first_in_a_fresh_interpreter(module: str) -> None:
    # the notation files are read by the grammar, which reads through a Notation: no import cycle may show
    script = f"import {module}; from derive.notation import DDPM; print(DDPM.name)"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "ddpm\n", "")

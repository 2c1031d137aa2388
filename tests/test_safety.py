"""Safety: document text is never evaluated, prose cannot break the LaTeX, templates escape and fail on
unknown names, output is written all or nothing, and a failing build leaves the old output as it was."""

from __future__ import annotations

import ast
import dataclasses
import errno
import os
from pathlib import Path

import jinja2
import pytest
import sympy as sp

import derive
from derive import cli, derivations, output
from derive.derivations import load
from derive.doccheck import report
from derive.doccheck.check import check_file
from derive.engine import check
from derive.exceptions import OutputError
from derive.model import CheckConfig, Derivation, Verdict
from derive.output import write_all
from derive.render.documents import outputs, render
from derive.render.environment import environment

PACKAGE = Path(derive.__file__).resolve().parent
CORPUS = Path(__file__).parent / "corpus"

# -- the package never evaluates document text ------------------------------------------------------

#: called by name, or as an attribute of anything (``sp.sympify``, ``sympy.sympify``, ``builtins.eval``)
FORBIDDEN_CALLS = frozenset(("eval", "exec", "sympify", "parse_expr", "parse_latex", "__import__"))
#: ``compile`` only as the builtin: ``re.compile`` and ``lark``'s grammar compilation are not evaluation
FORBIDDEN_NAMES_ONLY = frozenset(("compile",))
#: modules whose import alone is evaluation of text, or of bytes
FORBIDDEN_MODULES = ("pickle", "sympy.parsing", "marshal", "shelve")


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return "?"


def evaluations(source: str, filename: str = "<test>") -> list[str]:
    """Every place in ``source`` that could evaluate text: ``file:line: what``."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        where = f"{filename}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Call):
            name = _dotted(node.func)
            last = name.rsplit(".", 1)[-1]
            strings = [a for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            pickled = name == "pickle.loads" or name.endswith(".pickle.loads")
            if last in FORBIDDEN_CALLS or name in FORBIDDEN_NAMES_ONLY or pickled:
                found.append(f"{where}: call to {name}")
            elif last == "S" and strings:
                found.append(f"{where}: {name}() of a string literal")
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            imported = {alias.name for alias in node.names}
            if module.startswith(FORBIDDEN_MODULES):
                found.append(f"{where}: from {module} import ...")
            elif bad := sorted(imported & FORBIDDEN_CALLS):
                found.append(f"{where}: from {module} import {', '.join(bad)}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(FORBIDDEN_MODULES):
                    found.append(f"{where}: import {alias.name}")
    return found


@pytest.mark.parametrize(
    "snippet",
    [
        "eval(text)",
        "exec(text)",
        "compile(text, 'f', 'eval')",
        "sympify(text)",
        "sp.sympify(text)",
        "sympy.sympify(text)",
        "S('x + 1')",
        "sp.S('x + 1')",
        "parse_expr(text)",
        "sympy.parsing.sympy_parser.parse_expr(text)",
        "parse_latex(text)",
        "__import__(text)",
        "pickle.loads(data)",
        "import pickle",
        "from sympy.parsing.latex import parse_latex",
        "from sympy import sympify as read",
        "builtins.eval(text)",
    ],
)
def test_the_scan_finds_each_kind_of_evaluation(snippet: str) -> None:
    assert evaluations(snippet)


@pytest.mark.parametrize(
    "snippet",
    ["re.compile(pattern)", "sp.S.One", "sp.S(1)", "sp.Symbol(name)", "json.loads(text)", "from sympy import S"],
)
def test_the_scan_lets_harmless_code_pass(snippet: str) -> None:
    assert evaluations(snippet) == []


def test_the_package_never_evaluates_text() -> None:
    sources = sorted(PACKAGE.rglob("*.py"))
    assert len(sources) > 10, f"the package was not found under {PACKAGE}"
    found = [hit for path in sources for hit in evaluations(path.read_text(encoding="utf-8"), str(path))]
    assert found == []


# -- LaTeX specials in prose are escaped in the .tex --------------------------------------------------

MATH = r"$\bar{\alpha}_t = \alpha_t \bar{\alpha}_{t-1}$"
PROSE = "Specials & 50% #1 a_b {c} x~y ^z back\\slash, and " + MATH + " stays as written."
ESCAPED = (
    r"Specials \& 50\% \#1 a\_b \{c\} x\textasciitilde{}y \textasciicircum{}z back\textbackslash{}slash, and "
    + MATH
    + " stays as written."
)


@pytest.fixture(scope="module")
def tex_with_hostile_prose() -> str:
    posterior = load("posterior")
    step = posterior.steps[2]
    hostile = dataclasses.replace(step, prose=dataclasses.replace(step.prose, en=PROSE))
    derivation = dataclasses.replace(posterior, steps=tuple(hostile if s.id == step.id else s for s in posterior.steps))
    return render(derivation, check(derivation, CheckConfig(jobs=1)))["posterior.tex"]


def test_prose_specials_are_escaped_and_math_is_untouched(tex_with_hostile_prose: str) -> None:
    assert ESCAPED in tex_with_hostile_prose
    assert PROSE not in tex_with_hostile_prose


ESCAPES = {
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\\": r"\textbackslash{}",
}


@pytest.mark.parametrize(
    "special",
    list(ESCAPES),
    ids=["ampersand", "percent", "hash", "underscore", "open-brace", "close-brace", "tilde", "caret", "backslash"],
)
def test_each_special_appears_only_escaped(tex_with_hostile_prose: str, special: str) -> None:
    line = next(line for line in tex_with_hostile_prose.splitlines() if line.startswith("Specials "))
    prose = line.split("$")[0]
    assert ESCAPES[special] in prose
    bare = prose
    for escape in sorted(ESCAPES.values(), key=len, reverse=True):
        bare = bare.replace(escape, "")
    assert special not in bare


# -- the Jinja environment ---------------------------------------------------------------------------------


def test_autoescape_escapes_markup_in_values() -> None:
    out = environment(autoescape=True).from_string("<p>{{ value }}</p>").render(value="<script>alert(1)</script>")
    assert out == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"


@pytest.mark.parametrize(
    "template",
    ["{{ missing }}", "{{ missing.attribute }}", "{% if missing %}x{% endif %}", "{% for x in missing %}{% endfor %}"],
)
def test_undefined_names_raise(template: str) -> None:
    with pytest.raises(jinja2.UndefinedError, match="missing"):
        environment().from_string(template).render()


def test_the_environment_is_strict() -> None:
    assert environment().undefined is jinja2.StrictUndefined
    assert environment(autoescape=True).undefined is jinja2.StrictUndefined


# -- atomic output ------------------------------------------------------------------------------------------

FILES = {"a.md": "alpha, new\n", "sub/b.tex": "beta, new\n", "c.md": "gamma, new\n"}
OLD_MTIME_NS = 1_000_000_000_000_000_000


def snapshot(folder: Path) -> dict[str, tuple[bytes, int] | None]:
    """Every entry under ``folder``: files with their bytes and mtime, folders as None."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) if p.is_file() else None
        for p in sorted(folder.rglob("*"))
    }


def age(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(OLD_MTIME_NS, OLD_MTIME_NS))


def test_a_successful_write_leaves_only_its_targets(tmp_path: Path) -> None:
    assert sorted(write_all(tmp_path, FILES)) == sorted(FILES)
    assert snapshot(tmp_path).keys() == {"a.md", "c.md", "sub", "sub/b.tex"}
    assert {relative: (tmp_path / relative).read_text(encoding="utf-8") for relative in FILES} == FILES


def test_a_failure_mid_way_replaces_no_target(tmp_path: Path) -> None:
    write_all(tmp_path, {"a.md": "alpha, old\n", "c.md": "gamma, old\n"})
    (tmp_path / "blocker").write_text("a regular file\n", encoding="utf-8")
    age(tmp_path)
    before = snapshot(tmp_path)
    # the second target lies under a regular file: it cannot be created
    with pytest.raises(OutputError, match="cannot write to"):
        write_all(tmp_path, {"a.md": "alpha, new\n", "blocker/b.md": "beta\n", "c.md": "gamma, new\n"})
    assert snapshot(tmp_path) == before


def test_a_failure_while_switching_replaces_no_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    write_all(out, {"a.md": "alpha, old\n", "c.md": "gamma, old\n"})
    age(out)
    before = snapshot(tmp_path)

    def failing(first: Path, second: Path) -> bool:
        raise OSError(errno.EIO, "Input/output error", str(second))

    monkeypatch.setattr(output, "_exchange", failing)
    with pytest.raises(OutputError, match="Input/output error"):
        write_all(out, {"a.md": "alpha, new\n", "c.md": "gamma, new\n"})
    assert snapshot(tmp_path) == before


# -- a failing build leaves existing output untouched ------------------------------------------------------


@pytest.fixture
def sign_flipped(monkeypatch: pytest.MonkeyPatch, posterior: Derivation) -> Derivation:
    step = posterior.step("quadratic-coefficient-closed")
    wrong = dataclasses.replace(step, rhs=sp.Mul(-1, step.rhs, evaluate=False))
    corrupted = dataclasses.replace(posterior, steps=tuple(wrong if s.id == step.id else s for s in posterior.steps))
    monkeypatch.setitem(derivations.REGISTRY, "posterior", lambda: corrupted)
    return corrupted


def test_a_failing_build_leaves_existing_output_untouched(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    posterior: Derivation,
    posterior_verdicts: tuple[Verdict, ...],
    sign_flipped: Derivation,
) -> None:
    out = tmp_path / "output"
    write_all(out, render(posterior, posterior_verdicts))
    (out / "notes.txt").write_text("not derive's\n", encoding="utf-8")
    age(out)
    before = snapshot(out)
    assert set(before) == {o.path for o in outputs("posterior")} | {"notes.txt"}

    code = cli.main(["build", "--out", str(out), "--jobs", "1"])
    printed, err = capsys.readouterr()
    assert code == 1
    assert "refuted" in printed
    assert "refusing to write" in err
    assert snapshot(out) == before


# -- reports do not pass a document's control characters to the terminal ----------------------------------


@pytest.mark.parametrize(
    "form",
    [
        "text",
        "json",
        "github",
    ],
)
def test_reports_carry_no_control_characters(form: str) -> None:
    found = check_file(CORPUS / "terminal_escape_sequences_in_text.md", config=CheckConfig(jobs=1))
    assert found.count("error") == 1
    printed = {"text": report.text, "json": report.as_json, "github": report.github}[form]([found])
    assert [c for c in printed if (ord(c) < 32 and c != "\n") or ord(c) == 127] == []

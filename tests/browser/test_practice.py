"""Practice mode end to end: ``derive practice`` in a subprocess, its page in headless Chromium.

A student types a line, sees its preview, checks it, and reads the answer: a correct step, a wrong
one with its counterexample, a gallery mistake with its hint, garbage, and a very long line; then
reveals the book's step. Skipped where Debian's chromium or playwright is missing, as test_pages.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install '.[test]'")

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "artifacts"
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} not found: install Debian's chromium (as .ci/run does)"
)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
CLOSED = r"A = \frac{1 - \bar{\alpha}_t}{\beta_t \left(1 - \bar{\alpha}_{t-1}\right)}"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    command = [sys.executable, "-m", "derive", "practice", "posterior", "--port", "0", "--time-bound", "60"]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    if "http://" not in line:
        process.kill()
        pytest.fail(f"derive practice did not start: {process.communicate(timeout=60)[1][-2000:]}")
    yield line.split("open ", 1)[1].split(" ", 1)[0].rsplit("/", 1)[0]
    process.terminate()
    process.communicate(timeout=60)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    opened = browser.new_page(viewport={"width": 1000, "height": 900})
    errors: list[str] = []
    opened.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened, errors
    opened.close()


def answer(opened: Page, line: str) -> tuple[str, str]:
    """Type ``line``, check it, and wait for the answer: its status and its text."""
    opened.fill("#line", line)
    opened.click("#check")
    opened.wait_for_function(
        "!['', 'checking'].includes(document.getElementById('answer').dataset.status || '')", timeout=120_000
    )
    return opened.get_attribute("#answer", "data-status") or "", opened.inner_text("#answer")


@pytest.mark.parametrize(
    ("number", "line", "status", "says"),
    [
        pytest.param(14, CLOSED, "proved", "Correct: this line follows.", id="correct"),
        pytest.param(
            14,
            CLOSED.replace("1 - \\bar{\\alpha}_t", "1 + \\bar{\\alpha}_t"),
            "refuted",
            "Counterexample at",
            id="wrong",
        ),
        pytest.param(
            16, r"\tilde{\sigma}_t^2 = \beta_t", "mistake", "the forward variance, not the posterior", id="gallery"
        ),
        pytest.param(14, r"A = \frac{1}{\beta_t", "unreadable", "unbalanced braces", id="garbage"),
        pytest.param(14, "A = " + "x_t + " * 400 + "1", "unreadable", "at most 2000 are read", id="very-long"),
    ],
)
def test_a_student_checks_a_line(
    server: str, page: tuple[Page, list[str]], number: int, line: str, status: str, says: str
) -> None:
    opened, errors = page
    opened.goto(f"{server}/posterior/{number}")
    assert opened.locator(".given section.step").count() == number - 1
    got, text = answer(opened, line)
    assert got == status
    assert says in text
    if status in ("proved", "refuted", "mistake"):
        # the line as the engine read it, in the document's notation, numbered where it stands
        assert opened.locator("#answer .equation math").count() == 1
        assert opened.inner_text("#answer .eqno") == f"({number})"
    ARTIFACTS.mkdir(exist_ok=True)
    opened.screenshot(path=str(ARTIFACTS / f"practice-{status}.png"), full_page=True)
    assert errors == []


def test_the_preview_follows_the_typing(server: str, page: tuple[Page, list[str]]) -> None:
    opened, _ = page
    opened.goto(f"{server}/posterior/14")
    opened.type("#line", r"A = \frac{1}{2}")
    opened.wait_for_selector("#preview mfrac")
    opened.fill("#line", r"A = \nosuchmacro")
    opened.dispatch_event("#line", "input")
    opened.wait_for_selector("#preview .error")


def test_the_book_step_can_be_revealed_and_the_next_exercise_follows(server: str, page: tuple[Page, list[str]]) -> None:
    opened, errors = page
    opened.goto(f"{server}/posterior/14")
    assert opened.locator("#book .equation").is_hidden()
    opened.click("#book summary")
    assert opened.locator("#book .equation").is_visible()
    opened.click("nav.pager a[rel=next]")
    assert opened.url.endswith("/posterior/16?lang=en")
    assert errors == []


def test_a_phone_sees_the_exercise_without_horizontal_scrolling(server: str, browser: Browser) -> None:
    opened = browser.new_page(viewport={"width": 390, "height": 844})
    opened.goto(f"{server}/posterior/14")
    opened.screenshot(path=str(ARTIFACTS / "practice.390.png"))
    assert opened.evaluate("document.documentElement.scrollWidth") <= 390
    opened.close()

"""The HTML pages in a real browser: headless Chromium, no network.

Each page is opened from output/ as a file; math must render with a size, the console must stay clean,
and the step-by-step reveal must work by button and by key. A screenshot of each page is saved to
artifacts/ (ignored by git). Skipped where Debian's chromium or the playwright package is missing;
.ci/run installs both.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from derive.derivations import names

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install '.[test]'")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium not found: install Debian's chromium (as .ci/run does) for the browser tests"
)
#: Chromium as the machines run it: no background networking, which the closed network refuses
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = [f"{name}.{lang}.html" for name in names() for lang in ("en", "zh")]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest) -> Iterator[tuple[object, list[str]]]:
    opened = browser.new_page(viewport={"width": 1000, "height": 800})  # type: ignore[attr-defined]
    errors: list[str] = []
    opened.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    opened.on("pageerror", lambda error: errors.append(str(error)))
    # nothing may be fetched from the network: every request but the page's own files fails the test
    opened.route("http*://**", lambda route: (errors.append(f"network request: {route.request.url}"), route.abort()))
    yield opened, errors
    opened.close()


def visible_steps(opened: object) -> int:
    return int(opened.locator("section.step:visible").count())  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", PAGES)
def test_the_page_renders_its_math_without_errors(page: tuple[object, list[str]], path: str) -> None:
    opened, errors = page
    opened.goto((REPO / "output" / path).as_uri())  # type: ignore[attr-defined]
    opened.click("#all")  # type: ignore[attr-defined]
    sizes = opened.eval_on_selector_all(  # type: ignore[attr-defined]
        "math", "elements => elements.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })"
    )
    assert len(sizes) > 10
    assert all(width > 0 and height > 0 for width, height in sizes), [s for s in sizes if 0 in s][:5]
    ARTIFACTS.mkdir(exist_ok=True)
    opened.screenshot(path=str(ARTIFACTS / f"{path}.png"), full_page=True)  # type: ignore[attr-defined]
    assert errors == []


@pytest.mark.parametrize("path", ["posterior.en.html", "posterior.zh.html"])
def test_the_reveal_works_by_button_and_by_key(page: tuple[object, list[str]], path: str) -> None:
    opened, errors = page
    opened.goto((REPO / "output" / path).as_uri())  # type: ignore[attr-defined]
    total = opened.locator("section.step").count()  # type: ignore[attr-defined]
    assert visible_steps(opened) == 1
    opened.click("#next")  # type: ignore[attr-defined]
    assert visible_steps(opened) == 2
    opened.keyboard.press("ArrowRight")  # type: ignore[attr-defined]
    opened.keyboard.press("Space")  # type: ignore[attr-defined]
    assert visible_steps(opened) == 4
    opened.keyboard.press("ArrowLeft")  # type: ignore[attr-defined]
    assert visible_steps(opened) == 3
    opened.click("#previous")  # type: ignore[attr-defined]
    assert visible_steps(opened) == 2
    opened.click("#all")  # type: ignore[attr-defined]
    assert visible_steps(opened) == total
    assert str(total) in opened.inner_text("#position")  # type: ignore[attr-defined]
    assert errors == []


def test_the_index_page_leads_to_every_derivation(page: tuple[object, list[str]]) -> None:
    opened, errors = page
    opened.goto((REPO / "output" / "index.en.html").as_uri())  # type: ignore[attr-defined]
    assert opened.locator("li a").count() == len(names())  # type: ignore[attr-defined]
    opened.click("li a >> nth=0")  # type: ignore[attr-defined]
    assert opened.url.endswith(f"{names()[0]}.en.html")  # type: ignore[attr-defined]
    assert errors == []


@pytest.mark.parametrize(("path", "other", "lang"), [("posterior.en.html", "posterior.zh.html", "zh-Hans")])
def test_the_language_switch_leads_to_the_other_page(
    page: tuple[object, list[str]], path: str, other: str, lang: str
) -> None:
    opened, _ = page
    opened.goto((REPO / "output" / path).as_uri())  # type: ignore[attr-defined]
    opened.click(f"nav.lang a[href='{other}']")  # type: ignore[attr-defined]
    assert opened.url.endswith(other)  # type: ignore[attr-defined]
    assert opened.get_attribute("html", "lang") == lang  # type: ignore[attr-defined]
    # the Chinese text is drawn with a CJK font: its glyphs have width
    width = opened.evaluate("() => document.querySelector('h1').getBoundingClientRect().width")  # type: ignore[attr-defined]
    assert width > 50

"""The HTML pages in a real browser: headless Chromium, no network.

The pages are rendered into a temporary folder (with the index and the figures they show) and opened
from there as files: math must render with a size, the console must stay clean, nothing may be fetched,
and the step-by-step reveal must work by button and by key. A full-page screenshot of each page is saved
to artifacts/ (ignored by git). Skipped where Debian's chromium or the playwright package is missing;
.ci/run installs both, and the CJK font the Chinese pages need.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from derive.derivations import names
from derive.derivations.figures import FIGURES
from derive.gallery import check_mistakes
from derive.model import CheckConfig, Derivation, Verdict
from derive.output import write_all
from derive.render.documents import render, render_gallery, render_index

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install '.[test]'")

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} not found: install Debian's chromium (as .ci/run does)"
)
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
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
#: the colour of .changed in templates/derivation.html.j2, as the browser computes it
CHANGED_RGB = "rgb(180, 83, 9)"


@pytest.fixture(scope="module")
def site(
    every_derivation: list[tuple[Derivation, tuple[Verdict, ...]]], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The HTML pages, the index and the figures, rendered from the derivations now (not output/)."""
    files: dict[str, str | bytes] = {}
    for derivation, verdicts in every_derivation:
        files.update({path: text for path, text in render(derivation, verdicts).items() if path.endswith(".html")})
        files.update({figure.path: FIGURES[figure.path]() for figure in derivation.figures})
    files.update({path: text for path, text in render_index(every_derivation).items() if path.endswith(".html")})
    results = {derivation.name: verdicts for derivation, verdicts in every_derivation}
    gallery = render_gallery(check_mistakes(CheckConfig(jobs=1)), results)
    files.update({path: text for path, text in gallery.items() if path.endswith(".html")})
    out = tmp_path_factory.mktemp("site")
    write_all(out, files)
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A new page, and the errors it reports: console errors, uncaught exceptions, network requests."""
    opened = browser.new_page(viewport={"width": 1000, "height": 800})
    errors: list[str] = []
    opened.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    opened.on("pageerror", lambda error: errors.append(str(error)))
    # every request but the page's own files fails the test
    opened.route("http*://**", lambda route: (errors.append(f"network request: {route.request.url}"), route.abort()))
    yield opened, errors
    opened.close()


def visible_steps(opened: Page) -> int:
    return opened.locator("section.step:visible").count()


@pytest.mark.parametrize("path", PAGES)
def test_the_page_renders_its_math_without_errors(site: Path, page: tuple[Page, list[str]], path: str) -> None:
    opened, errors = page
    opened.goto((site / path).as_uri())
    sizes = opened.eval_on_selector_all(
        "math", "elements => elements.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })"
    )
    assert len(sizes) > 10
    assert all(width > 0 and height > 0 for width, height in sizes), [s for s in sizes if 0 in s][:5]
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / f"{path}.png"
    opened.screenshot(path=str(screenshot), full_page=True)
    print(f"screenshot: {screenshot}")
    assert errors == []


@pytest.mark.parametrize("path", ["posterior.en.html", "loss.zh.html"])
def test_every_step_shows_on_load_and_the_reveal_is_an_option(
    site: Path, page: tuple[Page, list[str]], path: str
) -> None:
    opened, errors = page
    opened.goto((site / path).as_uri())
    total = opened.locator("section.step").count()
    assert visible_steps(opened) == total
    # keys do nothing until the reader chooses to step through
    opened.keyboard.press("ArrowRight")
    assert visible_steps(opened) == total
    opened.click("#reveal")
    assert visible_steps(opened) == 1
    # a section's heading shows with its first step; the notes after the last step
    assert opened.locator("section.part:visible").count() == 1
    assert opened.locator(".coda.hidden").count() == 1
    opened.locator("#reveal").blur()  # Space on a focused button would click it
    opened.keyboard.press("ArrowRight")
    assert visible_steps(opened) == 2
    opened.keyboard.press("Space")
    assert visible_steps(opened) == 3
    opened.keyboard.press("ArrowLeft")
    assert visible_steps(opened) == 2
    opened.click("#next")
    assert visible_steps(opened) == 3
    opened.click("#previous")
    assert visible_steps(opened) == 2
    opened.click("#all")
    assert visible_steps(opened) == total
    assert opened.locator("section.part:visible").count() == opened.locator("section.part").count()
    assert opened.locator(".coda.hidden").count() == 0
    assert errors == []


def test_what_changed_is_drawn_in_its_colour(site: Path, page: tuple[Page, list[str]]) -> None:
    opened, _ = page
    opened.goto((site / "posterior.en.html").as_uri())
    colours = opened.eval_on_selector_all(".step .changed", "elements => elements.map(e => getComputedStyle(e).color)")
    assert len(colours) > 5
    assert set(colours) == {CHANGED_RGB}


def test_without_javascript_every_step_shows(browser: Browser, site: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    opened = context.new_page()
    opened.goto((site / "posterior.en.html").as_uri())
    assert visible_steps(opened) == opened.locator("section.step").count() > 1
    assert opened.locator(".controls").is_hidden()
    context.close()


def test_the_index_page_leads_to_every_derivation(site: Path, page: tuple[Page, list[str]]) -> None:
    opened, errors = page
    opened.goto((site / "index.en.html").as_uri())
    assert opened.locator("li a").count() == len(names())
    opened.click("li a >> nth=0")
    assert opened.url.endswith(f"{names()[0]}.en.html")
    assert errors == []


@pytest.mark.parametrize(
    ("path", "other", "lang"),
    [
        pytest.param("posterior.en.html", "posterior.zh.html", "zh-Hans", id="en-to-zh"),
        pytest.param("posterior.zh.html", "posterior.en.html", "en", id="zh-to-en"),
    ],
)
def test_the_language_switch_leads_to_the_other_page(
    site: Path, page: tuple[Page, list[str]], path: str, other: str, lang: str
) -> None:
    opened, errors = page
    opened.goto((site / path).as_uri())
    opened.click(f"nav .lang a[href='{other}']")
    assert opened.url.endswith(other)
    assert opened.get_attribute("html", "lang") == lang
    assert errors == []


def test_chinese_text_is_drawn_with_a_cjk_font(site: Path, page: tuple[Page, list[str]]) -> None:
    opened, _ = page
    opened.goto((site / "posterior.zh.html").as_uri())
    han = len(re.findall(r"[\u4e00-\u9fff]", opened.inner_text("h1")))
    # the fonts Chromium drew the title with, and how many glyphs each
    cdp = opened.context.new_cdp_session(opened)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "h1"})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cjk = sum(font["glyphCount"] for font in fonts if "CJK" in font["familyName"])
    assert han > 0
    assert cjk >= han, f"no CJK font drew the title (install fonts-noto-cjk): {fonts}"


def fonts_of(opened: Page, selector: str) -> dict[str, int]:
    """The fonts Chromium drew the first element matching ``selector`` with, and how many glyphs each."""
    cdp = opened.context.new_cdp_session(opened)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {font["familyName"]: font["glyphCount"] for font in fonts}


def test_math_is_set_in_a_math_font(site: Path, page: tuple[Page, list[str]]) -> None:
    opened, _ = page
    opened.goto((site / "posterior.en.html").as_uri())
    assert set(fonts_of(opened, "#step-14 .display mi")) == {"Latin Modern Math"}


#: what a reader sees first: a desktop and a phone
WIDTHS = [pytest.param(1280, 800, id="desktop"), pytest.param(390, 844, id="phone")]


@pytest.mark.parametrize(("width", "height"), WIDTHS)
@pytest.mark.parametrize("path", ["posterior.en.html", "posterior.zh.html", "gallery.en.html", "index.zh.html"])
def test_the_page_at_desktop_and_phone_width(browser: Browser, site: Path, path: str, width: int, height: int) -> None:
    """What the screenshots showed, asserted: text from the top (no blank page at load), equations
    centred on the column, nothing wider than a phone's screen."""
    opened = browser.new_page(viewport={"width": width, "height": height})
    opened.goto((site / path).as_uri())
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / f"{path}.{width}.png"
    opened.screenshot(path=str(screenshot))
    print(f"screenshot: {screenshot}")
    # the first screen is full: every step is there, and text reaches the bottom of the window
    assert visible_steps(opened) == opened.locator("section.step").count()
    assert opened.evaluate("document.documentElement.scrollHeight") > height
    # no horizontal scrolling of the page: a long equation scrolls inside its own box
    assert opened.evaluate("document.documentElement.scrollWidth") <= width
    offsets = opened.eval_on_selector_all(
        ".equation",
        """rows => rows.map(row => {
            const math = row.querySelector("math").getBoundingClientRect();
            const box = row.querySelector(".display").getBoundingClientRect();
            const column = row.getBoundingClientRect();
            if (math.width >= box.width) { return [0, 0]; }  // as wide as its box: it scrolls there
            const centre = (math.left + math.right) / 2;
            return [Math.abs(centre - (box.left + box.right) / 2), Math.abs(centre - (column.left + column.right) / 2)];
        })""",
    )
    # centred in the space beside the number; on a desktop, on the column itself (the number in the margin)
    assert all(in_box <= 1.5 for in_box, _ in offsets), offsets
    if width >= 600:
        assert all(in_column <= 1.5 for _, in_column in offsets), offsets
    opened.close()


def test_the_gallery_shows_the_correct_and_the_mistaken_step_side_by_side(browser: Browser, site: Path) -> None:
    opened = browser.new_page(viewport={"width": 1280, "height": 800})
    opened.goto((site / "gallery.en.html").as_uri())
    correct = opened.locator(".mistake >> nth=0").locator(".correct").bounding_box()
    wrong = opened.locator(".mistake >> nth=0").locator(".wrong").bounding_box()
    assert correct is not None
    assert wrong is not None
    assert (correct["y"], correct["x"] < wrong["x"]) == (wrong["y"], True)
    assert opened.locator(".mistake").count() == 10
    opened.close()


def test_previous_and_next_join_the_derivations(site: Path, page: tuple[Page, list[str]]) -> None:
    opened, errors = page
    opened.goto((site / "posterior.en.html").as_uri())
    opened.click("nav.pager a[rel=next]")
    assert opened.url.endswith("epsilon.en.html")
    opened.click("nav.pager a[rel=prev]")
    assert opened.url.endswith("posterior.en.html")
    assert errors == []

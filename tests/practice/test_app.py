"""The practice routes through Starlette's TestClient: pages, answers, and clear messages for bad requests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from derive.practice.app import MAX_BODY, Settings, create_app

CLOSED = r"A = \frac{1 - \bar{\alpha}_t}{\beta_t \left(1 - \bar{\alpha}_{t-1}\right)}"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(bound=60.0, workers=1))) as opened:
        yield opened


def check(client: TestClient, **fields: Any) -> tuple[int, dict[str, str]]:
    body = {"name": "posterior", "number": 14, "latex": CLOSED, "session": "s1", "lang": "en", **fields}
    response = client.post("/api/check", json=body)
    return response.status_code, response.json()


@pytest.mark.parametrize(
    ("fields", "status", "headline"),
    [
        pytest.param({}, "proved", "Correct: this line follows.", id="right"),
        pytest.param(
            {"latex": CLOSED.replace("1 - \\bar{\\alpha}_t", "1 + \\bar{\\alpha}_t")},
            "refuted",
            "This line does not follow.",
            id="wrong",
        ),
        pytest.param(
            {"number": 16, "latex": r"\tilde{\sigma}_t^2 = \beta_t"}, "mistake", "A common mistake:", id="gallery"
        ),
        pytest.param({"latex": r"A = \frac{1}{"}, "unreadable", "Cannot read this line", id="garbage"),
        pytest.param({"lang": "zh"}, "proved", "正确：这一行成立。", id="chinese"),
    ],
)
def test_a_check_answers_with_its_verdict(
    client: TestClient, fields: dict[str, Any], status: str, headline: str
) -> None:
    code, data = check(client, **fields)
    assert (code, data["status"]) == (200, status)
    assert f"<strong>{headline}</strong>" in data["html"]


def test_a_refuted_line_shows_the_counterexample_in_the_documents_notation(client: TestClient) -> None:
    _, data = check(client, latex=CLOSED.replace("1 - \\bar{\\alpha}_t", "1 + \\bar{\\alpha}_t"))
    assert "Counterexample at" in data["html"]
    assert "<mi>α</mi>" in data["html"]  # α_t as the notation writes it, in MathML


def test_a_gallery_mistake_is_named_with_its_hint(client: TestClient) -> None:
    _, data = check(client, number=16, latex=r"\tilde{\sigma}_t^2 = \beta_t")
    assert "written for" in data["html"]
    assert "the forward variance, not the posterior" in data["html"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(b"not json", "the request is not JSON", id="not-json"),
        pytest.param(b"[1, 2]", "the request is not a JSON object", id="not-an-object"),
        pytest.param(b'{"name": "posterior"}', "the field &#39;number&#39; must be a int", id="missing-field"),
        pytest.param(
            b'{"name": "posterior", "number": true, "latex": "x", "session": "s"}',
            "the field &#39;number&#39; must be a int",
            id="boolean-number",
        ),
        pytest.param(
            b'{"name": "posterior", "number": 14, "latex": "x", "session": "a b"}',
            "the session must be 1 to 64 letters, digits and dashes",
            id="bad-session",
        ),
        pytest.param(
            b'{"name": "nowhere", "number": 14, "latex": "x", "session": "s"}',
            "no derivation named &#39;nowhere&#39; here",
            id="unknown-derivation",
        ),
        pytest.param(b"x" * (MAX_BODY + 1), f"the request is larger than {MAX_BODY} bytes", id="huge-body"),
    ],
)
def test_a_bad_request_gets_a_clear_message(client: TestClient, body: bytes, message: str) -> None:
    response = client.post("/api/check", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["status"] == "invalid"
    assert message in response.json()["html"]


def test_a_very_long_line_is_refused_before_any_work(client: TestClient) -> None:
    code, data = check(client, latex="x" * 2001)
    assert (code, data["status"]) == (200, "unreadable")
    assert "the line is 2001 characters long; at most 2000 are read" in data["html"]


def test_an_exercise_page_shows_the_steps_before_it_and_a_box(client: TestClient) -> None:
    page = client.get("/posterior/14").text
    assert page.count('<section class="step"') == 13
    assert 'id="line"' in page
    assert 'id="book"' in page


@pytest.mark.parametrize(
    ("path", "location"),
    [
        pytest.param("/posterior/15", "/posterior/16?lang=en", id="definition-to-next-claim"),
        pytest.param("/posterior", None, id="first-exercise"),
    ],
)
def test_a_step_that_is_no_exercise_leads_to_the_next(client: TestClient, path: str, location: str | None) -> None:
    response = client.get(path, follow_redirects=False)
    if location is None:
        assert response.status_code == 200
        assert 'data-number="3"' in response.text
    else:
        assert (response.status_code, response.headers["location"]) == (303, location)


@pytest.mark.parametrize("path", ["/nowhere", "/posterior/99"])
def test_an_unknown_page_is_not_found(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_the_preview_is_mathml_or_an_error(client: TestClient) -> None:
    assert "<mfrac>" in client.post("/api/preview", json={"latex": r"\frac{a}{b}"}).json()["html"]
    assert "unknown command" in client.post("/api/preview", json={"latex": r"\foo"}).json()["error"]


def test_a_foreign_host_name_is_refused(client: TestClient) -> None:
    # a page on another site cannot reach the server through a DNS name rebound to 127.0.0.1
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 400

"""``derive practice`` as a real server: loopback only, a hundred concurrent requests, checks cancelled.

Each test starts the command in a subprocess on a free port and reads the address it prints.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

REPO = Path(__file__).resolve().parents[2]
CLOSED = r"A = \frac{1 - \bar{\alpha}_t}{\beta_t \left(1 - \bar{\alpha}_{t-1}\right)}"
#: a true claim whose side conditions take longer than any bound (the positivity of a 33rd power of a sum of
#: five terms, under a logarithm), though it stays within the growth limits: it runs until its bound
SLOW = (
    r"\log\left(\left(x_t^2 + 2 x_t x_0 + x_0^2 + \alpha_t + \beta_t\right)^{33}\right)"
    r" = 33 \log\left(\left(x_t + x_0\right)^2 + \alpha_t + \beta_t\right)"
)


def start(*options: str) -> tuple[subprocess.Popen[str], str]:
    """The server, and its address once it listens."""
    command = [sys.executable, "-m", "derive", "practice", "posterior", "--port", "0", *options]
    server = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert server.stdout is not None
    line = server.stdout.readline()  # printed once the workers are up
    if "http://" not in line:
        server.kill()
        pytest.fail(f"derive practice did not start: {line!r} {server.communicate(timeout=60)[1][-2000:]}")
    return server, line.split("open ", 1)[1].split(" ", 1)[0].rsplit("/", 1)[0]


@pytest.fixture
def server() -> Iterator[str]:
    process, url = start("--workers", "1", "--time-bound", "120")
    yield url
    process.terminate()
    process.communicate(timeout=60)  # reaps it and closes its pipes


def body(latex: str, session: str) -> dict[str, Any]:
    return {"name": "posterior", "number": 14, "latex": latex, "session": session, "lang": "en"}


def test_it_listens_on_the_loopback_address_only(server: str) -> None:
    assert server.startswith("http://127.0.0.1:")
    assert httpx2.get(f"{server}/posterior").status_code == 200


def test_a_bad_port_is_one_line_on_stderr() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "derive", "practice", "--port", "70000"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (run.returncode, run.stderr) == (2, "derive: error: --port must be 0 to 65535, not 70000\n")


def test_a_hundred_concurrent_requests_are_all_answered_and_it_stays_up(server: str) -> None:
    lines = [CLOSED, CLOSED.replace("1 - \\bar{\\alpha}_t", "1 + \\bar{\\alpha}_t"), r"A = \frac{1}{", "x" * 3000]

    async def burst() -> list[httpx2.Response]:
        async with httpx2.AsyncClient(timeout=120) as client:
            sent = [client.post(f"{server}/api/check", json=body(lines[k % 4], f"s{k}")) for k in range(100)]
            return await asyncio.gather(*sent)

    answers = asyncio.run(burst())
    assert len(answers) == 100
    # each is answered: a verdict, or "busy" once the queue is full; never a dropped connection
    assert {a.status_code for a in answers} <= {200, 503}
    assert all(a.json()["status"] in ("proved", "refuted", "unreadable", "busy") for a in answers)
    assert sum(a.json()["status"] == "proved" for a in answers) >= 1
    assert httpx2.post(f"{server}/api/check", json=body(CLOSED, "after"), timeout=120).json()["status"] == "proved"


def test_a_newer_line_of_the_same_session_cancels_the_slow_one(server: str) -> None:
    async def race() -> tuple[httpx2.Response, httpx2.Response, float]:
        async with httpx2.AsyncClient(timeout=120) as client:
            slow = asyncio.create_task(client.post(f"{server}/api/check", json=body(SLOW, "one")))
            await asyncio.sleep(1.0)
            started = time.monotonic()
            quick = await client.post(f"{server}/api/check", json=body(CLOSED, "one"))
            return await slow, quick, time.monotonic() - started

    slow, quick, _ = asyncio.run(race())
    assert (slow.status_code, slow.json()["status"]) == (409, "cancelled")
    # one worker: the quick line is answered only because the slow check was stopped, not after its 120 s
    assert quick.json()["status"] == "proved"


def test_a_check_whose_page_went_away_is_stopped(server: str) -> None:
    async def leave() -> httpx2.Response:
        async with httpx2.AsyncClient(timeout=120) as client:
            slow = asyncio.create_task(client.post(f"{server}/api/check", json=body(SLOW, "gone")))
            await asyncio.sleep(1.0)
            slow.cancel()  # the connection closes, as when the page aborts its fetch
            return await client.post(f"{server}/api/check", json=body(CLOSED, "other"))

    assert asyncio.run(leave()).json()["status"] == "proved"

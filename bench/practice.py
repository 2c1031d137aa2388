"""The practice server's figures: the time to answer a step check, and a burst of 100 concurrent checks.

Starts ``derive practice posterior`` on a free port, then
1. checks the book's own line for every exercise of the posterior (each answered "proved"), five times
   each, and prints the median and worst response time as the browser sees it;
2. sends 100 checks at once (different sessions, a mix of right, wrong, unreadable and too long lines)
   and prints how many got each answer, the slowest answer, and that the server still answers.

    python bench/practice.py [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx2

from derive.derivations import load
from derive.practice.judge import exercises
from derive.render.views import given

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    command = [sys.executable, "-m", "derive", "practice", "posterior", "--port", "0", "--workers", str(args.workers)]
    server = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    url = server.stdout.readline().split("open ", 1)[1].split(" ", 1)[0].rsplit("/", 1)[0]
    try:
        derivation = load("posterior")
        book = {g.number: g.equation for g in given(derivation)}
        times, statuses = [], Counter()
        with httpx2.Client(timeout=120) as client:
            for _ in range(args.rounds):
                for number in exercises(derivation):
                    body = {"name": "posterior", "number": number, "latex": book[number], "session": "b", "lang": "en"}
                    started = time.perf_counter()
                    statuses[client.post(f"{url}/api/check", json=body).json()["status"]] += 1
                    times.append(time.perf_counter() - started)
        print(f"step checks: {len(times)} ({len(exercises(derivation))} exercises x {args.rounds}), {dict(statuses)}")
        print(f"  median {statistics.median(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms")
        burst(url, book)
    finally:
        server.terminate()
        server.communicate(timeout=60)


def burst(url: str, book: dict[int, str]) -> None:
    right = book[14]
    lines = [right, right.replace("1 - \\bar{\\alpha}_t", "1 + \\bar{\\alpha}_t"), r"A = \frac{1}{", "x" * 3000]

    async def send() -> list[tuple[int, str, float]]:
        async with httpx2.AsyncClient(timeout=120) as client:

            async def one(k: int) -> tuple[int, str, float]:
                body = {"name": "posterior", "number": 14, "latex": lines[k % 4], "session": f"s{k}", "lang": "en"}
                started = time.perf_counter()
                response = await client.post(f"{url}/api/check", json=body)
                return response.status_code, response.json()["status"], time.perf_counter() - started

            return await asyncio.gather(*(one(k) for k in range(100)))

    started = time.perf_counter()
    answers = asyncio.run(send())
    total = time.perf_counter() - started
    print(
        f"100 concurrent checks: {len(answers)} answered in {total:.2f} s, slowest {max(a[2] for a in answers):.2f} s"
    )
    print(f"  HTTP {dict(Counter(a[0] for a in answers))}, answers {dict(Counter(a[1] for a in answers))}")
    after = httpx2.post(f"{url}/api/check", json={"name": "posterior", "number": 14, "latex": right, "session": "z"})
    print(f"  afterwards: {after.json()['status']}")


if __name__ == "__main__":
    main()

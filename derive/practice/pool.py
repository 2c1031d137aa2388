"""Worker processes that judge lines away from the server's event loop: bounded, cancellable, queued.

Each check runs in a worker's main thread, where the engine's time bound (an alarm signal) works.
A check that is cancelled (the student typed on, or left) or that overruns its bound by ``GRACE``
seconds has its worker killed and replaced: SymPy cannot be interrupted from outside any other way.
Workers are forked from a server process that has imported SymPy and the derivations once
(multiprocessing's forkserver), so a replacement is ready in milliseconds, and the event loop's own
process is never forked. Requests beyond the workers wait in a queue of bounded length for a bounded
time; past either they are answered "busy" at once, so a burst of requests cannot pile up.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess

#: seconds a worker may overrun the engine's own bound before it is killed
GRACE = 2.0


@dataclass(frozen=True)
class Job:
    """A student's line for step ``number`` of derivation ``name``, answered in ``lang``."""

    name: str
    number: int
    latex: str
    lang: str


@dataclass(frozen=True)
class Reply:
    """The answer: its kind (proved, refuted, mistake, undecided, unreadable, busy) and its HTML."""

    status: str
    html: str


class BusyError(Exception):
    """No worker was free in time, or the queue is full."""


class OverrunError(Exception):
    """The check overran its bound by more than ``GRACE``: its worker was killed."""


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    connection: Connection


def _serve(connection: Connection, bound: float) -> None:
    """A worker's loop: a job in, its reply out, until the server closes the pipe."""
    from derive.practice.answers import answer

    # Ctrl-C in the terminal reaches the whole process group: the server stops its workers itself
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(answer(job, bound))


class Pool:
    """``size`` workers; at most ``queue`` requests wait, each at most ``wait`` seconds."""

    def __init__(self, size: int, bound: float, queue: int = 64, wait: float = 30.0) -> None:
        self.size, self.bound, self.queue, self.wait = size, bound, queue, wait
        self._context: ForkServerContext = multiprocessing.get_context("forkserver")
        # the fork server imports the engine and the derivations once; workers inherit them
        self._context.set_forkserver_preload(["derive.practice.answers"])
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._workers: set[_Worker] = set()
        self._waiting = 0
        self._closed = False
        self._renewals: set[asyncio.Task[None]] = set()
        #: how many workers were killed: cancelled or overrunning checks
        self.killed = 0

    async def start(self) -> None:
        started = await asyncio.gather(*(asyncio.to_thread(self._spawn) for _ in range(self.size)))
        for worker in started:
            self._idle.put_nowait(worker)

    def _spawn(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(theirs, self.bound), daemon=True, name="derive-practice")
        process.start()
        theirs.close()
        worker = _Worker(process, ours)
        self._workers.add(worker)
        return worker

    async def run(self, job: Job) -> Reply:
        """The reply to ``job``. Raises ``BusyError``; ``OverrunError``; ``CancelledError`` when cancelled (the
        worker is replaced in both)."""
        if self._closed or self._waiting >= self.queue:
            raise BusyError
        self._waiting += 1
        getter = asyncio.ensure_future(self._idle.get())
        try:
            worker = await asyncio.wait_for(asyncio.shield(getter), self.wait)
        except (asyncio.TimeoutError, asyncio.CancelledError) as stop:
            # a worker handed over just as the wait ended goes back to the queue, never lost
            if getter.done() and not getter.cancelled():
                self._idle.put_nowait(getter.result())
            else:
                getter.cancel()
            if isinstance(stop, asyncio.TimeoutError):
                raise BusyError from None
            raise
        finally:
            self._waiting -= 1
        try:
            worker.connection.send(job)
            reply: Reply = await asyncio.wait_for(asyncio.to_thread(worker.connection.recv), self.bound + GRACE)
        except asyncio.TimeoutError:
            self._replace(worker)
            raise OverrunError from None
        except BaseException:
            self._replace(worker)
            raise
        self._idle.put_nowait(worker)
        return reply

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker whose check is abandoned, and start another in its place."""
        self.killed += 1
        self._workers.discard(worker)
        worker.process.kill()
        worker.connection.close()

        async def renew() -> None:
            await asyncio.to_thread(worker.process.join)
            if not self._closed:
                self._idle.put_nowait(await asyncio.to_thread(self._spawn))

        task = asyncio.get_running_loop().create_task(renew())
        self._renewals.add(task)
        task.add_done_callback(self._renewals.discard)

    @property
    def alive(self) -> int:
        return sum(1 for w in self._workers if w.process.is_alive())

    async def close(self) -> None:
        self._closed = True
        for worker in list(self._workers):
            worker.connection.close()
            worker.process.kill()
        await asyncio.gather(*(asyncio.to_thread(w.process.join) for w in self._workers))
        self._workers.clear()

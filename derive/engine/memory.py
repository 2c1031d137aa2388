"""The memory bound: a process that checks documents may grow by at most so many megabytes (its address
space, capped with ``setrlimit`` at what it already holds plus the bound), and a worker it forks inherits
the same cap. Past it, an allocation fails with ``MemoryError``, which the step (or the formula being read)
reports as undecided, naming the bound, instead of the machine swapping or the process being killed.

The cap counts from what the process holds when the check starts, not from zero: a caller that runs the
command in its own process (a test that has imported torch, an editor) may already hold more address space
than any bound, and the check must still have its own megabytes."""

from __future__ import annotations

import os
import resource
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: megabytes per process for ``derive check-doc`` unless ``--memory-bound`` says otherwise
MEMORY_BOUND = 1024
MEGABYTE = 1024 * 1024

#: the bound in force, in megabytes, to name it when it is reached (inherited by forked workers)
_bound: int | None = None


def held() -> int:
    """The bytes of address space this process holds now (0 where the system does not say)."""
    try:
        pages = int(Path("/proc/self/statm").read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


@contextmanager
def memory_bound(megabytes: int) -> Iterator[None]:
    """Let this process's address space grow by at most ``megabytes`` inside the block (never beyond the hard
    limit); workers forked inside it keep the cap. The cap before is restored after: a caller that runs the
    command in its own process keeps its own."""
    global _bound
    before, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = held() + megabytes * MEGABYTE
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    outer, _bound = _bound, megabytes
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (before, hard))
        _bound = outer


def exhausted() -> str:
    """What to say when an allocation failed: the bound, if there is one."""
    if _bound is None:
        return "memory ran out"
    return f"the memory bound of {_bound:,} MB was reached"

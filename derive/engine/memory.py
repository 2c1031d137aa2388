"""The memory bound: a process that checks documents holds at most so many megabytes (its address space,
capped with ``setrlimit``), and a worker it forks inherits the same cap for itself. Past it, an allocation
fails with ``MemoryError``, which the step (or the formula being read) reports as undecided, naming the
bound, instead of the machine swapping or the process being killed."""

from __future__ import annotations

import resource
from collections.abc import Iterator
from contextlib import contextmanager

#: megabytes per process for ``derive check-doc`` unless ``--memory-bound`` says otherwise
MEMORY_BOUND = 1024
MEGABYTE = 1024 * 1024


@contextmanager
def memory_bound(megabytes: int) -> Iterator[None]:
    """Cap this process's address space at ``megabytes`` (or at the hard limit, if that is lower) inside the
    block; workers forked inside it keep the cap. The cap before is restored after: a caller that runs the
    command in its own process (a test, an editor) keeps its own."""
    before, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = megabytes * MEGABYTE
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (before, hard))


def exhausted() -> str:
    """What to say when an allocation failed: the bound, if there is one."""
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return "memory ran out"
    return f"the memory bound of {soft // MEGABYTE:,} MB was reached"

"""Shared fixtures: the posterior derivation and its verdicts, checked once per session."""

from __future__ import annotations

import pytest

from derive.derivations import load, names
from derive.engine import check
from derive.model import CheckConfig, Derivation, Verdict


@pytest.fixture(scope="session")
def posterior() -> Derivation:
    return load("posterior")


@pytest.fixture(scope="session")
def posterior_verdicts(posterior: Derivation) -> tuple[Verdict, ...]:
    return check(posterior, CheckConfig(jobs=1))


@pytest.fixture(scope="session")
def every_derivation() -> list[tuple[Derivation, tuple[Verdict, ...]]]:
    """Every registered derivation with its verdicts, in teaching order."""
    return [(d, check(d, CheckConfig(jobs=1))) for d in map(load, names())]

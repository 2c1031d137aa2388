"""Shared fixtures: the posterior derivation and its verdicts, checked once per session."""

from __future__ import annotations

import pytest

from derive.derivations import load
from derive.engine import check
from derive.model import CheckConfig, Derivation, Verdict


@pytest.fixture(scope="session")
def posterior() -> Derivation:
    return load("posterior")


@pytest.fixture(scope="session")
def posterior_verdicts(posterior: Derivation) -> tuple[Verdict, ...]:
    return check(posterior, CheckConfig(jobs=1))

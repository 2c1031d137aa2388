"""The seed document: it lives outside the repository, in ``../shared/seed/`` beside the checkout.

Tests that read it skip, with this reason, where it is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seed" / "ddpm_posterior_mean.zh.md"
MISSING = f"the seed document is not at {SEED} (../shared/seed/ beside the checkout); it is not part of the repository"


def seed_path() -> Path:
    """The seed's path, or a skip of the calling test when it is missing."""
    if not SEED.is_file():
        pytest.skip(MISSING)
    return SEED

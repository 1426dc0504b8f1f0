"""Shared fixtures. Each test module keeps its own small fixtures; only what several share is here."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


# --- network guard (publish helper owns this section) ---

"""Fixtures every test folder shares."""

from __future__ import annotations

from pathlib import Path

import pytest

# The public API reference lives beside the checkout (../shared/api), never inside it.
SHARED_API = Path(__file__).resolve().parents[1].parent / "shared" / "api"


@pytest.fixture(scope="session")
def shared_api() -> Path:
    """Folder with AFAS's OpenAPI specs and MplusKASSA's WSDL; skips the test where it is absent."""
    if not SHARED_API.is_dir():
        pytest.skip(f"API reference not found at {SHARED_API}: fidelity tests need ../shared/api beside the checkout")
    return SHARED_API

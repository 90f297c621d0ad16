"""Fixtures for the audit's tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from audit_testing import copy_content


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A private copy of the content, safe to alter."""
    return copy_content(tmp_path / "content")

"""Loads the two content files the actions read: the service registry and the schools."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Optional

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _load(path: Path) -> Dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f) or {}


@lru_cache(maxsize=None)
def services() -> Dict[str, Dict[str, Any]]:
    path = Path(os.environ.get("SERVICES_FILE", ROOT / "services.yml"))
    return _load(path)["services"]


@lru_cache(maxsize=None)
def schools() -> Dict[str, Dict[str, Any]]:
    path = Path(os.environ.get("SCHOOLS_FILE", ROOT / "schools.yml"))
    return _load(path).get("schools", {})


def school(key: Optional[str]) -> Optional[Dict[str, Any]]:
    """The school's configuration, or None for an unknown or missing key."""
    if not isinstance(key, str):
        return None
    return schools().get(key)

"""Helpers for the audit's tests: where the repository is, and copies of the content."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent / "shared" / "contract"))

# What decides what the assistant says (and the actions, which name the responses they send).
CONTENT = ["domain.yml", "data", "services.yml", "config.yml", "schools.yml", "actions"]


def copy_content(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in CONTENT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, target / name)
    return target

"""The content version: what a reviewer reads and signs off.

Everything that changes what a pupil sees is in it: the sentences and flows (domain.yml,
data/), how messages are understood (config.yml, components/, such as the crisis patterns),
the facts (services.yml, schools.yml) and the custom actions that fill them in (actions/).
A change to any of these is a new version that needs its own sign-off.

The version is a sha256 over those files in sorted path order; each file adds its relative
path and the sha256 of its bytes, so renaming a file changes the version too.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from content.files import REPO_ROOT

VERSIONED_FILES = ("domain.yml", "config.yml", "services.yml", "schools.yml")
VERSIONED_FOLDERS = ("data", "components", "actions")
# Made by Python when it runs the code, not written by anyone: not content.
NOT_CONTENT = ("__pycache__",)
NOT_CONTENT_SUFFIXES = (".pyc",)


def versioned_paths(root: Path) -> list[Path]:
    files = [root / name for name in VERSIONED_FILES if (root / name).is_file()]
    for folder in VERSIONED_FOLDERS:
        files += [p for p in (root / folder).rglob("*") if p.is_file() and not _generated(p)]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def _generated(path: Path) -> bool:
    return any(part in NOT_CONTENT for part in path.parts) or path.suffix in NOT_CONTENT_SUFFIXES


def content_version(root: Path | str = REPO_ROOT) -> str:
    root = Path(root).resolve()
    digest = hashlib.sha256()
    for path in versioned_paths(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def described() -> str:
    """The version's files in words, for the report and the warnings."""
    return ", ".join(list(VERSIONED_FILES) + [f"{folder}/" for folder in VERSIONED_FOLDERS])

"""Where the content files are, and how each is read."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent


class ContentError(ValueError):
    """A content file the product cannot use; the message names the file and the problem."""


@dataclass(frozen=True)
class ContentFiles:
    services: Path
    schools: Path
    domain: Path

    @classmethod
    def in_folder(cls, root: Path | str) -> ContentFiles:
        """The files of a copy of the content (the audit reads altered copies)."""
        root = Path(root)
        return cls(services=root / "services.yml", schools=root / "schools.yml", domain=root / "domain.yml")

    @classmethod
    def from_environment(cls, env: Mapping[str, str] = os.environ) -> ContentFiles:
        """This repository's files, unless SERVICES_FILE, SCHOOLS_FILE or DOMAIN_FILE name others
        (a deployment's own schools, or a test's altered copy)."""
        here = cls.in_folder(REPO_ROOT)
        return cls(services=Path(env.get("SERVICES_FILE") or here.services),
                   schools=Path(env.get("SCHOOLS_FILE") or here.schools),
                   domain=Path(env.get("DOMAIN_FILE") or here.domain))


def read_yaml(path: Path | str) -> dict[str, Any]:
    """A YAML file that holds a mapping (an empty file is an empty mapping)."""
    try:
        with open(path, encoding="utf-8") as f:
            document = yaml.safe_load(f)
    except yaml.YAMLError as error:
        raise ContentError(f"{path}: not valid YAML: {error}") from error
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise ContentError(f"{path}: expected a mapping at the top, found {type(document).__name__}")
    return document


def section(path: Path | str, key: str) -> dict[str, Any]:
    """The mapping under one top-level key of a content file (e.g. `services:`)."""
    value = read_yaml(path).get(key)
    if not isinstance(value, dict) or not value:
        raise ContentError(f"{path}: `{key}:` must hold at least one entry")
    return value

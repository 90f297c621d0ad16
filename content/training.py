"""data/: what the assistant learns from and the flows it follows.

data/nlu/ and data/crisis/ hold example messages by intent; data/rules/ (and any data/stories/)
hold the conversation flows. The audit, the benchmarks and the tests read them from here;
Rasa reads them itself when it trains.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from content.files import REPO_ROOT, read_yaml

# An annotated entity in an example: "i'm [15](age)" or "i'm [15]{"entity": "age"}".
ENTITY = re.compile(r"\[([^\]]*)\]\s*(\([^)]*\)|\{[^}]*\})")


@dataclass
class Example:
    text: str
    file: str   # relative to the content root


def yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yml", ".yaml")) if folder.is_dir() else []


def load_documents(root: Path | str, folder: str) -> list[tuple[str, dict[str, Any]]]:
    """(path relative to root, document) for every YAML file under root/folder, in path order."""
    root = Path(root)
    return [(str(path.relative_to(root)), read_yaml(path)) for path in yaml_files(root / folder)]


def example_text(line: str) -> str:
    """'- i'm [15](age)' -> "i'm 15": an example as the pupil typed it."""
    line = line.strip()
    return ENTITY.sub(r"\1", line[1:].strip() if line.startswith("-") else line)


def load_examples(root: Path | str = REPO_ROOT) -> dict[str, list[Example]]:
    """Intent -> every example message under data/ (synonyms, lookup tables and regexes are not examples)."""
    examples: dict[str, list[Example]] = {}
    for relative, document in load_documents(root, "data"):
        for block in document.get("nlu") or []:
            if "intent" not in block:
                continue
            texts = (example_text(line) for line in (block.get("examples") or "").splitlines() if line.strip())
            examples.setdefault(block["intent"], []).extend(Example(text, relative) for text in texts if text)
    return examples


def load_lookup_tables(root: Path | str = REPO_ROOT) -> list[dict[str, Any]]:
    """Every lookup table under data/, as Rasa gives them to a component: {"name", "elements"}."""
    return [{"name": block["lookup"], "elements": [example_text(line) for line in (block.get("examples") or "").splitlines()
                                                   if line.strip()]}
            for _, document in load_documents(root, "data") for block in document.get("nlu") or [] if "lookup" in block]

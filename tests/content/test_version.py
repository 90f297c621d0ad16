"""The content version covers everything that changes what a pupil sees, and nothing else."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from content.files import REPO_ROOT
from content.version import VERSIONED_FILES, VERSIONED_FOLDERS, content_version


@pytest.fixture
def copy(tmp_path) -> Path:
    """A copy of the versioned files, safe to change."""
    root = tmp_path / "content"
    root.mkdir()
    for name in VERSIONED_FILES:
        shutil.copy2(REPO_ROOT / name, root / name)
    for name in VERSIONED_FOLDERS:
        shutil.copytree(REPO_ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_the_copy_has_the_same_version_as_the_repository(copy):
    assert content_version(copy) == content_version(REPO_ROOT)


@pytest.mark.parametrize("name", ["domain.yml", "config.yml", "services.yml", "schools.yml", "data/rules/safety.yml",
                                  "components/crisis_patterns.py", "actions/service_hours.py"])
def test_a_change_to_what_pupils_see_is_a_new_version(copy, name):
    before = content_version(copy)
    path = copy / name
    original = path.read_bytes()
    path.write_bytes(original + b"\n# changed\n")
    assert content_version(copy) != before, f"{name} is not in the content version"
    path.write_bytes(original)
    assert content_version(copy) == before


def test_a_new_file_in_a_versioned_folder_is_a_new_version(copy):
    before = content_version(copy)
    (copy / "data" / "nlu" / "new.yml").write_text("nlu: []\n")
    assert content_version(copy) != before


def test_what_python_leaves_behind_and_files_outside_are_not_content(copy):
    before = content_version(copy)
    (copy / "components" / "__pycache__").mkdir(exist_ok=True)
    (copy / "components" / "__pycache__" / "crisis_model.cpython-310.pyc").write_bytes(b"compiled")
    (copy / "README.md").write_text("# notes\n")
    assert content_version(copy) == before

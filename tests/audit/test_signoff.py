"""Content versions and sign-off: the hash, the database, and the warning `make run` prints."""
from __future__ import annotations

import subprocess
import sys

from audit.signoff import approvals_for, approve, content_hash
from audit_testing import ROOT


def test_the_hash_is_stable_and_covers_every_content_file(content_copy):
    before = content_hash(content_copy)
    assert before == content_hash(content_copy)
    for name in ("domain.yml", "services.yml", "config.yml", "data/rules/safety.yml"):
        path = content_copy / name
        original = path.read_bytes()
        path.write_bytes(original + b"\n# changed\n")
        assert content_hash(content_copy) != before, f"{name} is not in the content version"
        path.write_bytes(original)
    assert content_hash(content_copy) == before


def test_a_new_file_under_data_changes_the_version(content_copy):
    before = content_hash(content_copy)
    (content_copy / "data" / "nlu" / "new.yml").write_text("nlu: []\n")
    assert content_hash(content_copy) != before


def test_files_outside_the_content_do_not_change_the_version(content_copy):
    before = content_hash(content_copy)
    (content_copy / "actions" / "content.py").write_text("# changed\n")
    assert content_hash(content_copy) == before


def test_the_copy_has_the_same_version_as_the_repository(content_copy):
    assert content_hash(content_copy) == content_hash(ROOT)


def test_an_approval_is_stored_with_name_date_and_comment(tmp_path):
    db = tmp_path / "review.db"
    assert approvals_for("abc", db) == []
    approve("abc", "sam", "Sam Reviewer", "Checked every flow", db)
    [approval] = approvals_for("abc", db)
    assert (approval.reviewer_name, approval.comment) == ("Sam Reviewer", "Checked every flow")
    assert approval.approved_at[:4].isdigit()
    assert approvals_for("another version", db) == []


def run_check(tmp_path, *args):
    env = {"REVIEW_DB": str(tmp_path / "review.db"), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "check_signoff.py"), *args],
                          capture_output=True, text=True, env=env, timeout=60)


def test_make_run_warns_loudly_without_a_sign_off(tmp_path):
    result = run_check(tmp_path)
    assert result.returncode == 0
    assert "NOT BEEN SIGNED OFF" in result.stderr
    assert run_check(tmp_path, "--strict").returncode == 1
    assert not (tmp_path / "review.db").exists(), "checking must not create the database"


def test_no_warning_once_signed_off(tmp_path):
    approve(content_hash(ROOT), "sam", "Sam Reviewer", "ok", tmp_path / "review.db")
    result = run_check(tmp_path, "--strict")
    assert result.returncode == 0, result.stderr
    assert "signed off by Sam Reviewer" in result.stdout
    assert "WARNING" not in result.stderr

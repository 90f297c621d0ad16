"""Sign-offs: stored with name, date and comment against a content version, and the warning
`make run` prints while the content about to run has none."""
from __future__ import annotations

import subprocess
import sys

from content.version import content_version
from review_testing import ROOT
from web.review.signoffs import approvals_for, approve


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
    assert result.returncode == 0, result.stderr
    assert "NOT BEEN SIGNED OFF" in result.stderr
    assert "components/" in result.stderr, "the warning says what the version covers"
    assert run_check(tmp_path, "--strict").returncode == 1
    assert not (tmp_path / "review.db").exists(), "checking must not create the database"


def test_no_warning_once_signed_off(tmp_path):
    approve(content_version(ROOT), "sam", "Sam Reviewer", "ok", tmp_path / "review.db")
    result = run_check(tmp_path, "--strict")
    assert result.returncode == 0, result.stderr
    assert "signed off by Sam Reviewer" in result.stdout
    assert "WARNING" not in result.stderr

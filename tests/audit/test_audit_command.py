"""`python -m audit --root COPY` (what `make audit` runs) fails on planted mistakes and names them.

Each test plants one mistake in a private copy of the content; the unaltered copy is the
control, so these tests hold whatever else the content's state is.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from audit_testing import ROOT, copy_content


def run_audit(root: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "audit", "--root", str(root), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def edit_yaml(path: Path, change) -> None:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="module")
def control(tmp_path_factory) -> str:
    """The audit's output on an unaltered copy."""
    tmp = tmp_path_factory.mktemp("control")
    result = run_audit(copy_content(tmp / "content"), tmp / "report.html")
    assert (tmp / "report.html").exists(), result.stderr
    return result.stdout


def plant_blaming(root: Path) -> str:
    variation = {}

    def change(domain):
        variations = domain["responses"]["utter_payment_demand"]
        variations[-1]["text"] += "\nWhy did you send it in the first place?"
        variation["named"] = f" (variation {len(variations)})" if len(variations) > 1 else ""
    edit_yaml(root / "domain.yml", change)
    return f"FAIL [blaming] domain.yml: response utter_payment_demand{variation['named']}: victim-blaming phrase"


def plant_wrong_childline_number(root: Path) -> str:
    def change(domain):
        domain["responses"]["utter_goodbye"][0]["text"] = "Take care. Childline is there day and night on 0800 1112."
    edit_yaml(root / "domain.yml", change)
    return "FAIL [registry] domain.yml: response utter_goodbye: number '0800 1112' is not in the registry"


def plant_dead_end(root: Path) -> str:
    def change(domain):
        domain["responses"]["utter_planted_ending"] = [{"text": "Okay, bye."}]
    edit_yaml(root / "domain.yml", change)
    (root / "data" / "rules" / "planted.yml").write_text(
        'version: "3.1"\nrules:\n  - rule: a planted dead end\n    steps:\n'
        "      - intent: goodbye\n      - action: utter_planted_ending\n", encoding="utf-8")
    return "FAIL [dead_ends] data/rules/planted.yml: rule 'a planted dead end': ends with utter_planted_ending"


@pytest.mark.parametrize("plant", [plant_blaming, plant_wrong_childline_number, plant_dead_end])
def test_a_planted_mistake_fails_the_audit_and_is_named(tmp_path, control, plant):
    root = copy_content(tmp_path / "content")
    expected = plant(root)
    assert expected not in control
    result = run_audit(root, tmp_path / "report.html")
    assert result.returncode == 1, result.stdout + result.stderr
    assert expected in result.stdout
    # The report names it too.
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert expected.split("] ")[1].split(":")[0] in report


def test_the_audit_writes_the_report_where_asked(tmp_path, control):
    assert "checks pass; report written to" in control

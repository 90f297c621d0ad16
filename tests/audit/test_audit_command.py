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
def control_run(tmp_path_factory) -> subprocess.CompletedProcess:
    """The audit on an unaltered copy."""
    tmp = tmp_path_factory.mktemp("control")
    result = run_audit(copy_content(tmp / "content"), tmp / "report.html")
    assert (tmp / "report.html").exists(), result.stderr
    return result


@pytest.fixture(scope="module")
def control(control_run) -> str:
    return control_run.stdout


def test_the_audit_passes_on_the_content(control_run):
    assert control_run.returncode == 0, control_run.stdout + control_run.stderr
    assert not [line for line in control_run.stdout.splitlines() if line.startswith("FAIL [")]


def plant_blaming(root: Path) -> str:
    variation = {}

    def change(domain):
        variations = domain["responses"]["utter_payment_demand"]
        variations[-1]["text"] += "\nWhy did you send it in the first place?"
        variation["named"] = f" (variation {len(variations)})" if len(variations) > 1 else ""
    edit_yaml(root / "domain.yml", change)
    return f"FAIL [blaming] domain.yml: response utter_payment_demand{variation['named']}: blames the pupil"


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


def plant_stopncii_for_under_18s(root: Path) -> str:
    """StopNCII (for pictures taken at 18 or over) in the reply every pupil gets until they say 18+."""
    where = {}

    def change(domain):
        variations = domain["responses"]["utter_images_shared"]
        index, under_18 = next((i, v) for i, v in enumerate(variations) if not v.get("condition"))
        under_18["text"] += "\n• StopNCII.org can stop the pictures being shared."
        where["variation"] = f" (variation {index + 1})" if len(variations) > 1 else ""
    edit_yaml(root / "domain.yml", change)
    return (f"FAIL [adult_only] domain.yml: response utter_images_shared{where['variation']}: offers an adult-only "
            "service to someone not known to be 18 or over")


def plant_screenshot_everything(root: Path) -> str:
    def change(domain):
        variation = domain["responses"]["utter_still_in_contact"][0]
        variation["text"] = variation["text"].replace("Screenshot the chat and their username", "Screenshot everything")
        assert "Screenshot everything" in variation["text"]
    edit_yaml(root / "domain.yml", change)
    return "FAIL [evidence] domain.yml: response utter_still_in_contact: asks the pupil to keep the pictures"


@pytest.mark.parametrize("plant", [plant_blaming, plant_wrong_childline_number, plant_dead_end,
                                   plant_stopncii_for_under_18s, plant_screenshot_everything])
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

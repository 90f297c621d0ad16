"""Each content file is read and checked in one place (content/), and a file the product cannot
use stops it with a message naming the file, the entry and the problem."""
from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
import yaml

from content.domain import load_domain, variation_lines
from content.files import REPO_ROOT, ContentError, ContentFiles
from content.registry import checked_on, load_registry
from content.schools import load_schools
from content.training import load_examples


def write(tmp_path: Path, name: str, document) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def test_the_repositorys_files_load():
    assert "childline" in load_registry()
    assert "demo" in load_schools()
    assert "utter_greet" in load_domain()["responses"]
    assert len(load_examples()["payment_demand"]) >= 30


def test_the_environment_may_point_at_other_files(tmp_path):
    files = ContentFiles.from_environment({"SCHOOLS_FILE": str(tmp_path / "schools.yml")})
    assert files.schools == tmp_path / "schools.yml"
    assert files.services == REPO_ROOT / "services.yml" and files.domain == REPO_ROOT / "domain.yml"


def registry_with(tmp_path: Path, **changes) -> Path:
    services = yaml.safe_load((REPO_ROOT / "services.yml").read_text(encoding="utf-8"))
    services["services"]["childline"].update(changes)
    return write(tmp_path, "services.yml", services)


@pytest.mark.parametrize("change, problem", [
    ({"url": "http://www.childline.org.uk/"}, "`url` must start with https://"),
    ({"phone": "0800 CHILD"}, "`phone` must be digits and spaces"),
    ({"opens": "8am"}, "`opens` must look like 08:00"),
    ({"checked": {"page": "https://www.childline.org.uk/", "date": "last week"}}, "`checked.date` must be a date"),
    ({"checked": {"date": "2026-11-27"}}, "`checked.page` must be an https:// address"),
    ({"adult_only": "yes"}, "`adult_only` must be true or false"),
    ({"name": ""}, "`name` is missing"),
])
def test_a_registry_entry_the_product_cannot_use_is_named(tmp_path, change, problem):
    with pytest.raises(ContentError, match=re.escape("service 'childline': ") + ".*" + re.escape(problem)):
        load_registry(registry_with(tmp_path, **change))


def test_the_checked_date_is_read_from_either_shape(tmp_path):
    today = datetime.date.today()
    assert checked_on({"checked": {"page": "https://x.example/", "date": today}}) == today
    assert checked_on({"checked": {"page": "https://x.example/", "date": "2026-11-27"}}) == datetime.date(2026, 11, 27)
    assert checked_on({"last_checked": today}) == today
    assert checked_on({}) is None
    services = load_registry(registry_with(tmp_path, checked={"page": "https://www.childline.org.uk/",
                                                               "date": "2026-11-27"}))
    assert checked_on(services["childline"]) == datetime.date(2026, 11, 27)


def schools_with(tmp_path: Path, **changes) -> Path:
    schools = yaml.safe_load((REPO_ROOT / "schools.yml").read_text(encoding="utf-8"))
    schools["schools"]["demo"].update(changes)
    return write(tmp_path, "schools.yml", schools)


@pytest.mark.parametrize("change, problem", [
    ({"accent_colour": "#ffee00"}, "too light"),
    ({"allowed_origins": ["*"]}, "scheme://host"),
    ({"safeguarding_lead": {"title": "DSL", "name": "Ms Shah"}}, "safeguarding_lead.how_to_reach is missing"),
])
def test_a_school_the_product_cannot_use_is_named(tmp_path, change, problem):
    with pytest.raises(ContentError, match="school 'demo': .*" + re.escape(problem)):
        load_schools(schools_with(tmp_path, **change))


def test_a_school_problem_is_a_value_error_so_the_web_app_refuses_to_start(tmp_path):
    with pytest.raises(ValueError):
        load_schools(schools_with(tmp_path, accent_colour="blue"))


def domain_with(tmp_path: Path, response: str, variations) -> Path:
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
    domain["responses"][response] = variations
    return write(tmp_path, "domain.yml", domain)


@pytest.mark.parametrize("variations, problem", [
    ([], "must be a list of at least one variation"),
    ([{"condition": []}], "variation 1 has neither text nor buttons"),
    ([{"text": "Hi", "buttons": [{"title": "Go"}]}], "variation 1 has a button without a title or payload"),
])
def test_a_response_the_product_cannot_say_is_named(tmp_path, variations, problem):
    with pytest.raises(ContentError, match="response utter_goodbye: " + re.escape(problem)):
        load_domain(domain_with(tmp_path, "utter_goodbye", variations))


def test_a_file_that_is_not_yaml_is_named(tmp_path):
    path = tmp_path / "services.yml"
    path.write_text("services: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match="services.yml: not valid YAML"):
        load_registry(path)


def test_a_pupil_reads_a_variations_text_and_button_titles():
    variation = {"text": "Hi.", "buttons": [{"title": "Help", "payload": "/need_help_now"}]}
    assert variation_lines(variation) == ["Hi.", "Help"]


def test_examples_are_as_the_pupil_typed_them():
    examples = {e.text for e in load_examples()["state_age"]}
    assert not any("[" in text or "](" in text for text in examples)


def test_only_the_content_package_reads_yaml():
    """One loader per file: no other product module parses YAML (the crisis benchmark reads
    config.yml's thresholds and the held-out test messages, which are not content files)."""
    product = [p for folder in ("actions", "audit", "components", "web", "scripts", "benchmarks")
               for p in (REPO_ROOT / folder).rglob("*.py")]
    readers = {str(p.relative_to(REPO_ROOT)) for p in product
               if re.search(r"^\s*(import yaml|from yaml )", p.read_text(encoding="utf-8"), re.M)}
    assert readers <= {"benchmarks/crisis_detector.py"}


def test_no_product_code_patches_the_import_path():
    """The packages are installed (pip install -e .), so nothing outside tests/ edits sys.path
    (scripts/stack.py and benchmarks/load_relay.py are another issue's)."""
    leaving = {"scripts/stack.py", "benchmarks/load_relay.py"}
    product = [p for p in REPO_ROOT.rglob("*.py") if not {"tests", "node_modules"} & set(p.relative_to(REPO_ROOT).parts)
               and not p.relative_to(REPO_ROOT).parts[0].startswith(".")]
    patching = {str(p.relative_to(REPO_ROOT)) for p in product if "sys.path.insert" in p.read_text(encoding="utf-8")}
    assert patching <= leaving, patching - leaving

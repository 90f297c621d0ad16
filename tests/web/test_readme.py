"""The README says only what is true: its make commands exist, its snippet is the one the demo
page uses, and its curl example reaches the assistant."""
from __future__ import annotations

import re
import shlex
import subprocess

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def make_targets() -> set[str]:
    text = "\n".join(p.read_text() for p in [ROOT / "Makefile", *ROOT.glob("*/*.mk")])
    return set(re.findall(r"^([a-z][a-z0-9-]*):", text, re.M))


def test_every_make_command_in_the_readme_exists():
    named = set(re.findall(r"\bmake ([a-z][a-z0-9-]*)", README))
    assert {"run", "test", "audit", "reviewer"} <= named
    assert named <= make_targets(), named - make_targets()


def test_the_readme_snippet_is_the_one_the_demo_page_uses(client):
    snippet = re.search(r"<script src=\"https://<where the web app runs>/embed.js\" data-school=\"<key>\" async></script>",
                        README)
    assert snippet, "the README shows the embed snippet"
    page = client.get("/", base_url="http://localhost:8000").get_data(as_text=True)
    assert '<script src="http://127.0.0.1:8000/embed.js" data-school="demo" async></script>' in page


def test_the_curl_example_reaches_the_assistant(assistant):
    command = re.search(r"^    (curl .+?)$\n^      (-d .+)$", README, re.M)
    assert command, "the README has the curl example"
    args = shlex.split(command.group(1).rstrip("\\ ") + " " + command.group(2))
    args = [a.replace("localhost:5005", assistant.rasa_url.removeprefix("http://")) for a in args]
    result = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert "Don't pay" in result.stdout or "don't pay" in result.stdout.lower(), result.stdout

"""Pages, security headers and per-school settings."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, make_app


def csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in policy.split("; ")}


@pytest.mark.parametrize("path", ["/", "/chat/demo", "/chat/unknown", "/embed.js", "/healthz",
                                  "/static/widget.js", "/api/chat", "/no-such-page"])
def test_every_response_has_the_security_headers(client, path):
    response = client.get(path)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    policy = csp(response)
    assert policy["default-src"] == "'none'"
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]


def test_the_widget_may_be_framed_only_by_its_schools_origins(client):
    demo = csp(client.get("/chat/demo"))
    assert demo["frame-ancestors"] == "http://localhost:8000 http://127.0.0.1:8000"
    england = csp(client.get("/chat/example-england"))
    assert england["frame-ancestors"] == "https://www.example-academy.sch.uk"


@pytest.mark.parametrize("path", ["/", "/healthz", "/review/login"])
def test_other_pages_may_not_be_framed(client, path):
    response = client.get(path)
    assert csp(response)["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_widget_page_carries_the_schools_settings(client):
    html = client.get("/chat/example-england").get_data(as_text=True)
    assert 'data-accent="#6b2c91"' in html
    assert "designated safeguarding lead (DSL)" in html
    assert "0800 1111" in html and "tel:999" in html   # the always-visible help line


def test_an_unknown_school_key_gets_a_clear_page_with_help(client):
    response = client.get("/chat/not-a-school")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "not set up for this website" in html and "0800 1111" in html


def test_the_embed_script_can_be_loaded_by_schools_pages(client):
    response = client.get("/embed.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"


def test_the_demo_page_embeds_the_widget_with_one_snippet_from_another_origin(client):
    response = client.get("/", base_url="http://localhost:8000")
    html = response.get_data(as_text=True)
    snippet = '<script src="http://127.0.0.1:8000/embed.js" data-school="demo" async></script>'
    assert snippet in html
    assert csp(response)["frame-src"] == "http://127.0.0.1:8000"


def test_health(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_nothing_is_requested_from_another_host():
    """Templates, scripts and styles name no other host, except the quick exit's neutral site
    (a navigation the pupil asks for, not a request)."""
    web = ROOT / "web"
    files = [*web.glob("templates/*.html"), *web.glob("static/*")]
    for path in files:
        text = path.read_text(encoding="utf-8")
        hosts = set(re.findall(r"(?:https?:)?//([a-z0-9.-]+\.[a-z]{2,})", text, re.I)) - {"www.bbc.co.uk"}
        assert hosts == set(), f"{path.name} names {hosts}"


def write_schools(tmp_path: Path, **demo_changes) -> Path:
    schools = yaml.safe_load((ROOT / "schools.yml").read_text())
    schools["schools"]["demo"].update(demo_changes)
    path = tmp_path / "schools.yml"
    path.write_text(yaml.safe_dump(schools))
    return path


@pytest.mark.parametrize("change, problem", [
    ({"accent_colour": "#ffee00"}, "too light"),
    ({"accent_colour": "blue"}, "#1d5c96"),
    ({"allowed_origins": ["*"]}, "scheme://host"),
    ({"allowed_origins": ["https://school.example/path"]}, "scheme://host"),
    ({"safeguarding_lead": {"name": "Someone"}}, "title is missing"),
])
def test_unusable_school_settings_stop_the_app_at_start(tmp_path, change, problem):
    with pytest.raises(ValueError, match=problem):
        make_app(tmp_path, SCHOOLS_FILE=str(write_schools(tmp_path, **change)))

"""The pages: the demo school page, the embed script, the chat widget and the health check."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, jsonify, render_template, request, send_from_directory, url_for

from content.schools import school_contact
from web.security import allow_framing_by, extend_policy
from web.served_content import GREETING_RESPONSE, UNAVAILABLE_RESPONSE

bp = Blueprint("pages", __name__)
LOOPBACK_TWIN = {"localhost": "127.0.0.1", "127.0.0.1": "localhost"}


def widget_origin() -> str:
    """Where schools load the widget from. Locally the demo page on localhost loads it from
    127.0.0.1 (and the other way round), so the widget runs on another origin than the school
    page, as it does on a real school site."""
    if current_app.config["PUBLIC_URL"]:
        return current_app.config["PUBLIC_URL"]
    parts = urlsplit(request.host_url)
    twin = LOOPBACK_TWIN.get(parts.hostname or "")
    host = f"{twin}:{parts.port}" if twin and parts.port else (twin or parts.netloc)
    return f"{parts.scheme}://{host}"


@bp.get("/")
def demo_school_page():
    origin = widget_origin()
    extend_policy("script-src", origin)
    extend_policy("frame-src", origin)
    snippet = f'<script src="{origin}/embed.js" data-school="demo" async></script>'
    school = current_app.extensions["content"].school("demo")
    if school is None:
        abort(404)
    return render_template("demo.html", school=school, snippet=snippet, embed_src=f"{origin}/embed.js")


@bp.get("/embed.js")
def embed_script():
    response = send_from_directory(bp.root_path + "/static", "embed.js", mimetype="text/javascript", max_age=300)
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"   # loaded by schools' pages
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/chat/<school_key>")
def widget(school_key: str):
    content = current_app.extensions["content"]
    school = content.school(school_key)
    if school is None:
        allow_framing_by(["*"])   # the error card must show inside any school's frame
        return render_template("error.html", message="This chat is not set up for this website (unknown school key).",
                               help=content.help_line()), 404
    allow_framing_by(school.get("allowed_origins") or [])
    return render_template("widget.html", school=school, settings=widget_settings(school_key, school),
                           help=content.help_line(), about=about_this_chat(school))


# How long the widget waits: "still here" after STILL_HERE_MS, the help card after TIMEOUT_MS.
STILL_HERE_MS = 3000
TIMEOUT_MS = 8000


def widget_settings(school_key: str, school: dict) -> dict:
    content = current_app.extensions["content"]
    return {
        "school": school_key,
        "greeting": content.response(GREETING_RESPONSE),
        "unavailable": content.response(UNAVAILABLE_RESPONSE),
        "maxChars": current_app.config["MAX_MESSAGE_CHARS"],
        "exitUrl": school.get("quick_exit_url") or current_app.config["QUICK_EXIT_URL"],
        "relay": url_for("relay.chat"),
        "stillHereMs": STILL_HERE_MS,
        "timeoutMs": TIMEOUT_MS,
    }


def about_this_chat(school: dict) -> dict:
    """What the pupil is told before the first message: what is kept and for how long (from the
    same settings the purge uses), and how to reach a person (the registry, the school's lead)."""
    config = current_app.config
    minutes = config["CONVERSATION_IDLE_MINUTES"]
    keep = config["KEEP_FALLBACK_MESSAGES"]
    slots = school_contact(school)
    return {
        "deleted_after": "an hour" if minutes == 60 else f"{minutes:g} minute{'s' if minutes != 1 else ''}",
        "keep_unclear": keep,
        "keep_days": config["FALLBACK_RETENTION_DAYS"],
        "contact": slots["school_contact"],
        "contact_where": slots["school_contact_where"],
        "childline_chat": current_app.extensions["content"].services["childline"]["url"],
    }


@bp.get("/healthz")
def health():
    return jsonify({"status": "ok"})


@bp.get("/favicon.ico")
def favicon():
    return "", 204

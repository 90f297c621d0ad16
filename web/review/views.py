"""The /review pages: log in, read the catalogue, flows and checks, try the sandbox, sign off,
and see the anonymous insight counts. Everything but the login page needs a reviewer session."""
from __future__ import annotations

import functools
from html import escape
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from markupsafe import Markup

from audit.report import CSS, summary_html
from content.version import content_version
from web.retention import Settings
from web.review import auth, sandbox
from web.review.audit_view import current_audit
from web.review.forms import ButtonForm, LoginForm, SandboxForm, SignoffForm
from web.review.insights import SUPPRESS_BELOW, insight_rows, kept_messages
from web.review.signoffs import Approval, approvals_for, approve, recent_approvals

COOKIE = "review_session"
bp = Blueprint("review", __name__, url_prefix="/review", template_folder="templates")

# The reviewer pages load nothing from elsewhere and run no script; they may not be framed.
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")


def review_db() -> str:
    return current_app.config["REVIEW_DB"]


def content_root() -> Path:
    return Path(current_app.config["REVIEW_CONTENT_ROOT"])


@bp.after_request
def security_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"   # nothing a reviewer saw stays in a shared browser's cache
    return response


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        g.review_session = auth.current_session(review_db(), request.cookies.get(COOKIE))
        if g.review_session is None:
            return redirect(url_for("review.login", next=request.path))
        return view(*args, **kwargs)
    return wrapped


def _safe_next(target: str | None) -> str:
    """Only a path inside /review: never an address elsewhere (no open redirect)."""
    if target and target.startswith("/review") and "//" not in target and "\\" not in target:
        return target
    return url_for("review.overview")


# --- logging in and out ---------------------------------------------------------------------
def _client_key() -> str:
    secret = current_app.secret_key
    return auth.client_key(request.remote_addr, secret if isinstance(secret, bytes) else str(secret).encode())


def _with_session_cookie(response: Response, token: str) -> Response:
    response.set_cookie(COOKIE, token, max_age=auth.MAX_HOURS * 3600, path="/review", httponly=True,
                        samesite="Strict", secure=request.is_secure or current_app.config["REVIEW_COOKIE_SECURE"])
    return response


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            token, _ = auth.log_in(review_db(), form.name.data.strip(), form.password.data, _client_key())
        except auth.LoginRefused as refused:
            return render_template("review/login.html", form=form, error=str(refused)), refused.status
        return _with_session_cookie(redirect(_safe_next(request.args.get("next"))), token)
    if request.method == "POST":
        if form.csrf_token.errors:
            abort(400, "The form expired or did not come from this site. Please try again.")
        return render_template("review/login.html", form=form, error="Please give your name and password."), 400
    return render_template("review/login.html", form=form, error=None)


@bp.post("/logout")
@login_required
def logout():
    if not ButtonForm().validate_on_submit():
        abort(400)
    auth.log_out(review_db(), g.review_session)
    response = redirect(url_for("review.login"))
    response.delete_cookie(COOKIE, path="/review")
    return response


# --- reading the content -------------------------------------------------------------------
def approval_html(version: str, approvals: list[Approval]) -> str:
    """Whether this content version is signed off, at the top of every page."""
    short = escape(version[:12])
    if approvals:
        latest = approvals[0]
        return (f'<div class="banner ok"><strong>Approved.</strong> Content version <code>{short}</code> was signed off '
                f'by {escape(latest.reviewer_name)} on {escape(latest.approved_at)}: “{escape(latest.comment)}”</div>')
    return (f'<div class="banner bad"><strong>Not approved.</strong> Content version <code>{short}</code> has no sign-off. '
            'A reviewer must read every flow and sign it off in /review before it reaches pupils.</div>')


def _page(template: str, banner: bool = True, **context):
    """A reviewer page, with the approval status of the content on disk at the top."""
    audit = current_audit(content_root())
    approvals = approvals_for(audit.content_hash, review_db())
    approval = Markup(approval_html(audit.content_hash, approvals)) if banner else None
    return render_template(template, audit=audit, approvals=approvals, reviewer=g.review_session.reviewer,
                           approval=approval, button=ButtonForm(), **context)


@bp.get("/")
@login_required
def overview():
    audit = current_audit(content_root())
    # The summary starts with the approval status itself.
    summary = approval_html(audit.content_hash, approvals_for(audit.content_hash, review_db())) + \
        summary_html(audit.content, audit.results, audit.content_hash)
    return _page("review/overview.html", banner=False, summary=Markup(link_pages(summary, current=None)))


SECTIONS = {"checks": "Checks", "flows": "Conversation flows", "responses": "Every response",
            "situations": "Situations and example messages", "registry": "Service registry"}


@bp.get("/<any(checks, flows, responses, situations, registry):section>")
@login_required
def section(section: str):
    audit = current_audit(content_root())
    html = {"checks": audit.sections.checks, "flows": audit.sections.flows, "responses": audit.sections.catalogue,
            "situations": audit.sections.situations, "registry": audit.sections.registry}[section]
    return _page("review/section.html", title=SECTIONS[section], body=Markup(link_pages(html, current=section)))


# Anchor prefixes in the audit's HTML, and the /review page each kind of anchor lives on.
ANCHOR_PAGES = (("response-", "responses"), ("situation-", "situations"), ("flow-", "flows"),
                ("check-", "checks"), ("registry\"", "registry"))


def link_pages(html: str, current: str | None) -> str:
    """The report links its sections by anchor within one page; here each section is its own page."""
    for anchor, page in ANCHOR_PAGES:
        if page != current:
            html = html.replace(f'href="#{anchor}', f'href="{url_for("review.section", section=page)}#{anchor}')
    return html


@bp.get("/static/review.css")
def stylesheet():
    return Response(CSS, mimetype="text/css", headers={"Cache-Control": "public, max-age=3600"})


# --- the sandbox ---------------------------------------------------------------------------
def _rasa() -> tuple[str | None, str | None]:
    return current_app.config.get("RASA_URL"), current_app.config.get("RASA_API_TOKEN")


@bp.route("/sandbox", methods=["GET", "POST"])
@login_required
def sandbox_page():
    form = SandboxForm()
    rasa_url, token = _rasa()
    error = None
    exchanges = []
    if not rasa_url or not token:
        error = "The assistant is not connected (RASA_URL and RASA_API_TOKEN are not set). Start everything with `make run`."
    else:
        try:
            if form.validate_on_submit():
                sandbox.send(rasa_url, g.review_session.sandbox_id, form.message.data, school="demo")
                return redirect(url_for("review.sandbox_page"))   # a reload must not send the message again
            exchanges = sandbox.exchanges(sandbox.tracker(rasa_url, token, g.review_session.sandbox_id))
        except sandbox.AssistantUnavailable as unavailable:
            error = f"The assistant did not answer: {unavailable}"
    return _page("review/sandbox.html", form=form, error=error, exchanges=exchanges)


@bp.post("/sandbox/new")
@login_required
def sandbox_new():
    if not ButtonForm().validate_on_submit():
        abort(400)
    auth.new_sandbox(review_db(), g.review_session)
    return redirect(url_for("review.sandbox_page"))


# --- sign-off ------------------------------------------------------------------------------
@bp.route("/signoff", methods=["GET", "POST"])
@login_required
def signoff():
    audit = current_audit(content_root())
    form = SignoffForm(content_hash=audit.content_hash)
    error = None
    if request.method == "POST":
        error = _approve(form, audit)
        if error is None:
            flash("Signed off. Thank you.")
            return redirect(url_for("review.signoff"))
    return _page("review/signoff.html", form=form, error=error, history=recent_approvals(review_db()))


def _approve(form: SignoffForm, audit) -> str | None:
    """Record the sign-off, or say why not."""
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400, "The form expired or did not come from this site. Please try again.")
        return "Please tick the box and write a comment."
    if form.content_hash.data != content_version(content_root()):
        return "The content changed while you were reviewing it. Please read the changes, then sign off again."
    if not audit.passed:
        return "The checks do not all pass, so this version cannot be signed off. Fix the content first."
    reviewer = g.review_session.reviewer
    approve(audit.content_hash, reviewer.name, reviewer.display_name, form.comment.data.strip(), review_db())
    return None


# --- anonymous insight -----------------------------------------------------------------------
@bp.get("/insights")
@login_required
def insights():
    settings = Settings.from_config(current_app.config)
    return _page("review/insights.html", rows=insight_rows(review_db()), suppress_below=SUPPRESS_BELOW,
                 settings=settings, kept=kept_messages(review_db()) if settings.keep_fallback_messages else [],
                 idle_minutes=settings.idle_minutes, purge_every=f"{current_app.config['PURGE_EVERY_MINUTES']:g}")

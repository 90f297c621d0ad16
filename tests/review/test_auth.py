"""Only reviewers reach /review: accounts from the command line, argon2, lockout, rate limit,
CSRF on every form, sessions that expire."""
from __future__ import annotations

import sqlite3
import time

import pytest

from review_testing import PASSWORD, csrf_token, log_in, make_app
from web.review import auth

PAGES = ["/review/", "/review/checks", "/review/flows", "/review/responses", "/review/situations",
         "/review/registry", "/review/sandbox", "/review/signoff", "/review/insights"]


@pytest.mark.parametrize("page", PAGES)
def test_no_page_without_logging_in(client, page):
    response = client.get(page)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/review/login")


def test_posts_need_a_login_too(client):
    assert client.post("/review/signoff").status_code == 302
    assert client.post("/review/sandbox/new").status_code == 302


def test_the_password_is_stored_as_argon2id(app, reviewer):
    with sqlite3.connect(app.config["REVIEW_DB"]) as db:
        [stored] = db.execute("SELECT password_hash FROM reviewers").fetchone()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_short_passwords_and_duplicate_names_are_refused(app, reviewer):
    with pytest.raises(ValueError):
        auth.create_reviewer(app.config["REVIEW_DB"], "kim", "Kim", "short")
    with pytest.raises(ValueError):
        auth.create_reviewer(app.config["REVIEW_DB"], "sam", "Sam", PASSWORD)


def test_the_command_line_creates_a_reviewer(app):
    result = app.test_cli_runner().invoke(args=["create-reviewer", "kim", "--display-name", "Kim Lee"],
                                          input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    client = app.test_client()
    assert log_in(client, "kim").status_code == 302
    assert "Kim Lee" in client.get("/review/").get_data(as_text=True)


def test_the_command_line_refuses_a_short_password(app):
    result = app.test_cli_runner().invoke(args=["create-reviewer", "kim"], input="short\nshort\n")
    assert result.exit_code != 0 and "at least 12" in result.output


@pytest.mark.parametrize("password", ["password1234", "qwertyuiop123", "letmein12345", "Password1234!",
                                      "kimberley2024", "sextortion2024"])
def test_common_or_guessable_passwords_are_refused(app, password):
    with pytest.raises(ValueError, match="too common or easy to guess"):
        auth.create_reviewer(app.config["REVIEW_DB"], "kimberley", "Kim Berley", password)


def test_the_command_line_says_why_a_common_password_is_refused(app):
    result = app.test_cli_runner().invoke(args=["create-reviewer", "kim"], input="password1234\npassword1234\n")
    assert result.exit_code != 0 and "too common or easy to guess" in result.output


def test_logging_in_opens_review(logged_in):
    page = logged_in.get("/review/")
    assert page.status_code == 200
    assert "Sam Reviewer" in page.get_data(as_text=True)


def test_the_session_cookie_is_private_to_review(client, reviewer):
    response = log_in(client)
    cookie = response.headers["Set-Cookie"]
    assert "review_session=" in cookie
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/review" in cookie


def refusal(response) -> str:
    """The words of a refused login (the form around them is the same page every time)."""
    import re
    return re.search(r'<p class="error" role="alert">(.*?)</p>', response.get_data(as_text=True)).group(1)


def test_a_wrong_password_is_refused(client, reviewer):
    response = log_in(client, password="wrong password!!")
    assert response.status_code == 401
    assert "Wrong name or password" in response.get_data(as_text=True)
    assert client.get("/review/").status_code == 302


def test_an_unknown_name_gets_the_same_answer(client, reviewer):
    response = log_in(client, name="nobody", password="wrong password!!")
    assert response.status_code == 401
    assert "Wrong name or password" in response.get_data(as_text=True)


def test_repeated_wrong_passwords_lock_the_account(app, client, reviewer):
    for _ in range(auth.LOCK_AFTER_FAILURES):
        assert log_in(client, password="wrong password!!").status_code == 401
    response = log_in(client)   # the right password, but too late
    assert response.status_code == 401
    assert client.get("/review/").status_code == 302
    assert "locked for 15 minutes" in refusal(response)   # the rule is said, to everyone alike


def test_a_locked_account_and_an_unknown_name_get_the_same_answer(tmp_path, reviewer, app):
    """Locking must not tell which reviewer names exist: after the same wrong tries, a real name
    (now locked) and a made-up one get the same status and the same words."""
    answers = {}
    for name in ("sam", "nobody"):
        client = make_app(tmp_path, REVIEW_DB=app.config["REVIEW_DB"]).test_client()   # a fresh client's rate limit
        for _ in range(auth.LOCK_AFTER_FAILURES):
            log_in(client, name=name, password="wrong password!!")
        response = log_in(client, name=name, password=PASSWORD if name == "sam" else "wrong password!!")
        answers[name] = (response.status_code, refusal(response))
    assert answers["sam"] == answers["nobody"]
    assert answers["sam"][0] == 401


def test_the_lock_ends_after_its_time(app, reviewer):
    db = app.config["REVIEW_DB"]
    start = time.time()
    for n in range(auth.LOCK_AFTER_FAILURES):
        with pytest.raises(auth.LoginRefused):
            auth.log_in(db, "sam", "wrong", client=f"c{n}", now=start)
    with pytest.raises(auth.LoginRefused, match="locked"):
        auth.log_in(db, "sam", PASSWORD, client="c", now=start + 60)
    token, session = auth.log_in(db, "sam", PASSWORD, client="c", now=start + auth.LOCK_MINUTES * 60 + 1)
    assert session.reviewer.name == "sam"


def test_login_attempts_are_rate_limited_per_client(client, app, reviewer):
    for n in range(auth.RATE_LIMIT_ATTEMPTS):
        log_in(client, name=f"guess{n}", password="wrong password!!")
    response = log_in(client)
    assert response.status_code == 429
    assert "Too many login attempts" in response.get_data(as_text=True)


def test_the_client_address_is_not_stored(app, client, reviewer):
    log_in(client, password="wrong password!!")
    raw = open(app.config["REVIEW_DB"], "rb").read()
    assert b"127.0.0.1" not in raw


def test_login_without_a_csrf_token_is_refused(client, reviewer):
    response = client.post("/review/login", data={"name": "sam", "password": PASSWORD})
    assert response.status_code == 400
    assert "review_session" not in response.headers.get("Set-Cookie", "")


def test_a_forged_csrf_token_is_refused(client, reviewer):
    response = client.post("/review/login", data={"name": "sam", "password": PASSWORD, "csrf_token": "forged"})
    assert response.status_code == 400


def test_sign_off_without_a_csrf_token_is_refused(logged_in):
    response = logged_in.post("/review/signoff", data={"comment": "ok", "read_everything": "y", "content_hash": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/review/logout", "/review/sandbox/new"])
def test_buttons_without_a_csrf_token_are_refused(logged_in, path):
    assert logged_in.post(path).status_code == 400


def test_logging_out_ends_the_session(logged_in):
    token = csrf_token(logged_in.get("/review/").get_data(as_text=True))
    assert logged_in.post("/review/logout", data={"csrf_token": token}).status_code == 302
    assert logged_in.get("/review/").status_code == 302


def test_sessions_expire_when_idle_and_after_a_day_s_work(app, reviewer):
    db = app.config["REVIEW_DB"]
    now = time.time()
    token, _ = auth.log_in(db, "sam", PASSWORD, client="c", now=now)
    assert auth.current_session(db, token, now=now + (auth.IDLE_MINUTES - 1) * 60)
    assert auth.current_session(db, token, now=now + (2 * auth.IDLE_MINUTES - 2) * 60), "use keeps it alive"
    assert auth.current_session(db, token, now=now + (3 * auth.IDLE_MINUTES) * 60) is None, "idle too long"

    token, _ = auth.log_in(db, "sam", PASSWORD, client="c", now=now)
    for minute in range(0, auth.MAX_HOURS * 60, auth.IDLE_MINUTES - 1):
        assert auth.current_session(db, token, now=now + minute * 60)
    assert auth.current_session(db, token, now=now + auth.MAX_HOURS * 3600 + 60) is None, "too long in all"


def test_the_session_token_is_not_stored(app, client, reviewer):
    response = log_in(client)
    token = response.headers["Set-Cookie"].split("review_session=")[1].split(";")[0]
    assert token.encode() not in open(app.config["REVIEW_DB"], "rb").read()


def test_a_new_password_ends_old_sessions(app, logged_in):
    auth.create_reviewer(app.config["REVIEW_DB"], "sam", "Sam Reviewer", "another long password", replace=True)
    assert logged_in.get("/review/").status_code == 302


def test_next_never_leaves_review(client, reviewer):
    token = csrf_token(client.get("/review/login").get_data(as_text=True))
    response = client.post("/review/login?next=//evil.example/", data={"name": "sam", "password": PASSWORD,
                                                                         "csrf_token": token})
    assert response.headers["Location"] == "/review/"


def test_review_pages_get_strict_headers(logged_in):
    response = logged_in.get("/review/")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def test_other_pages_are_unaffected(tmp_path):
    app = make_app(tmp_path)

    @app.post("/pupil")
    def pupil():
        return "ok"

    client = app.test_client()
    response = client.post("/pupil", data={"message": "hi"})
    assert response.status_code == 200, "no CSRF token is asked of the pupils' side"
    assert "Content-Security-Policy" not in response.headers


# --- in the product's app (web:create_app), with its app-wide headers ---------------------------
@pytest.fixture
def product(tmp_path, monkeypatch):
    monkeypatch.delenv("TRACKER_DB", raising=False)   # no purge thread here
    from web import create_app
    app = create_app({"TESTING": True, "REVIEW_DB": str(tmp_path / "review.db"), "TRUSTED_PROXIES": 1})
    auth.create_reviewer(app.config["REVIEW_DB"], "sam", "Sam Reviewer", PASSWORD)
    return app


def test_the_app_wide_headers_keep_reviews_stricter_policy(product):
    from web.review.views import CSP
    client = product.test_client()
    for page in ("/review/login", "/review/static/review.css"):
        assert client.get(page).headers["Content-Security-Policy"] == CSP
    assert log_in(client).status_code == 302
    response = client.get("/review/")
    assert response.headers["Content-Security-Policy"] == CSP
    assert "script-src" not in CSP and "connect-src" not in CSP   # no script at all in review
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in client.get("/chat/demo").headers["Content-Security-Policy"]   # the pupils' side


def test_the_session_cookie_is_samesite_and_secure_over_https(product):
    plain = product.test_client().get("/review/login")
    cookie = plain.headers["Set-Cookie"]
    assert cookie.startswith("session=") and "SameSite=Strict" in cookie and "HttpOnly" in cookie
    assert "Secure" not in cookie and "Strict-Transport-Security" not in plain.headers
    # https at the proxy in front of the app (TRUSTED_PROXIES=1 here)
    secure = product.test_client().get("/review/login", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in secure.headers["Set-Cookie"]
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    client = product.test_client()
    token = csrf_token(client.get("/review/login", headers={"X-Forwarded-Proto": "https"}).get_data(as_text=True))
    response = client.post("/review/login", data={"name": "sam", "password": PASSWORD, "csrf_token": token},
                           headers={"X-Forwarded-Proto": "https"})
    review_cookie = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("review_session=")][0]
    assert "Secure" in review_cookie and "SameSite=Strict" in review_cookie


def test_without_trusted_proxies_a_forwarded_https_is_not_believed(tmp_path, monkeypatch):
    monkeypatch.delenv("TRACKER_DB", raising=False)
    from web import create_app
    app = create_app({"TESTING": True, "REVIEW_DB": str(tmp_path / "review.db")})
    response = app.test_client().get("/review/login", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in response.headers["Set-Cookie"] and "Strict-Transport-Security" not in response.headers

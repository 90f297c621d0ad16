"""The web side: the pupil's chat widget, the embed script for schools, and the relay to Rasa.

    waitress-serve --call web:create_app     (what scripts/stack.py runs)

Blueprints: pages (demo school page, widget, embed script, health check), relay (/api/chat),
review (/review, the content reviewers' area). Conversation storage: the purge of finished
conversations (web/retention.py). Every setting comes from one config, read from
the environment once when the app is made (web/config.py). The content files are read and
checked then too (content/): a school or response the app cannot use stops it at start-up.
"""
from __future__ import annotations

import logging

from flask import Flask

from web import config, errors, limits, retention, security, served_content
from web.offered import OfferedPayloads


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(config.from_environment())
    if test_config:
        app.config.from_mapping(test_config)
    app.extensions["content"] = served_content.load(app.config["SERVICES_FILE"], app.config["SCHOOLS_FILE"],
                                                    app.config["DOMAIN_FILE"])
    app.extensions["offered_payloads"] = OfferedPayloads(
        always_allowed=app.extensions["content"].opening_payloads())
    _quiet_logs(app)

    from web.pages import bp as pages
    from web.relay import bp as relay
    app.register_blueprint(pages)
    app.register_blueprint(relay)
    limits.init_app(app)
    security.init_app(app)
    errors.init_app(app)

    from web.review import init_app as init_review
    init_review(app)
    retention.init_app(app)
    return app


def _quiet_logs(app: Flask) -> None:
    """Anonymous by design: the app logs what happened, never who or what was said. Rate-limit
    breaches would log the limit's key, so the limiter's own logger stays silent."""
    logging.getLogger("flask-limiter").setLevel(logging.CRITICAL)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app.logger.setLevel(logging.INFO)

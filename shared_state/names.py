"""Names both sides read when counting conversations: the web app's purge (web/retention.py,
SQLite) and Rasa's event broker (shared_state/insight_broker.py, Redis). Standard library only,
so both virtual environments import it."""
from __future__ import annotations

import datetime

SANDBOX_PREFIX = "sandbox-"          # the reviewers' sandbox conversations: never counted
CRISIS_PREFIX = "utter_crisis_"      # responses counted as crisis help
FALLBACK_INTENT = "nlu_fallback"     # messages not understood
UNKNOWN_SCHOOL = "unknown"           # a school key not in schools.yml

# A switch in the environment (KEEP_FALLBACK_MESSAGES, REDIS_USE_SSL, ...) is on when set to one of these.
TRUE_WORDS = {"1", "true", "yes", "on"}


def is_on(value: object) -> bool:
    """An on/off setting from the environment ("1", "true", "yes", "on") or YAML (true)."""
    return str(value or "").strip().lower() in TRUE_WORDS


def iso_week(timestamp: float) -> str:
    year, week, _ = datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).isocalendar()
    return f"{year}-W{week:02d}"

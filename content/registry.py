"""services.yml: the one registry of every service the assistant names.

Each entry: name, who it is for, what it does, its numbers and address, and when someone last
checked it against the service's own page: `checked: {page: <address>, date: YYYY-MM-DD}`
(older entries: `last_checked: YYYY-MM-DD`). `adult_only: true` marks a service only for
people aged 18 or over.
"""
from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from content.files import ContentError, ContentFiles, section

NUMBER_FIELDS = ("phone", "text_number")
CLOCK = re.compile(r"^([01]\d|2[0-4]):[0-5]\d$")

Service = dict[str, Any]


def load_registry(path: Path | str | None = None) -> dict[str, Service]:
    """Service key -> entry, checked (ContentError names the entry and what is wrong)."""
    path = path or ContentFiles.from_environment().services
    services = section(path, "services")
    for key, service in services.items():
        problems = entry_problems(service) if isinstance(service, dict) else ["must be a mapping"]
        if problems:
            raise ContentError(f"{path}: service {key!r}: " + "; ".join(problems))
    return services


def entry_problems(service: Service) -> list[str]:
    problems = [] if service.get("name") else ["`name` is missing"]
    if service.get("url") and not str(service["url"]).startswith("https://"):
        problems.append("`url` must start with https://")
    problems += [f"`{field}` must be digits and spaces" for field in NUMBER_FIELDS
                 if field in service and not re.fullmatch(r"[\d ]+", str(service[field]))]
    problems += [f"`{field}` must look like 08:00" for field in ("opens", "closes")
                 if field in service and not CLOCK.match(str(service[field]))]
    if "adult_only" in service and not isinstance(service["adult_only"], bool):
        problems.append("`adult_only` must be true or false")
    return problems + checked_problems(service)


def checked_problems(service: Service) -> list[str]:
    if "checked" not in service:
        return []
    checked = service["checked"]
    if not isinstance(checked, dict):
        return ["`checked` must hold `page` and `date`"]
    problems = [] if str(checked.get("page", "")).startswith("https://") else ["`checked.page` must be an https:// address"]
    if _date(checked.get("date")) is None:
        problems.append("`checked.date` must be a date (YYYY-MM-DD)")
    return problems


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def checked_on(service: Service) -> datetime.date | None:
    """When the entry was last checked against the service's own page (None: never said)."""
    checked = service.get("checked")
    if isinstance(checked, dict):
        return _date(checked.get("date"))
    return _date(service["last_checked"]) if "last_checked" in service else None


def checked_page(service: Service) -> str | None:
    checked = service.get("checked")
    return checked.get("page") if isinstance(checked, dict) else None


def uses_checked_pages(services: dict[str, Service]) -> bool:
    """Whether the registry has moved to `checked: {page, date}`: from then on every entry needs it."""
    return any("checked" in service for service in services.values())


def digits(number: str) -> str:
    return re.sub(r"\D", "", str(number))


def names(service: Service) -> list[str]:
    """How a reply may name the service: its name, and without ".org" ("StopNCII")."""
    name = service["name"]
    return [name, name.removesuffix(".org")] if name.endswith(".org") else [name]

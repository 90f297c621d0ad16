"""The audit as the reviewer area shows it: built once per content version and reused."""
from __future__ import annotations

import threading
from pathlib import Path

from audit.build import Audit, run_audit
from content.version import content_version

_cache: dict[tuple[str, str], Audit] = {}
_lock = threading.Lock()


def current_audit(root: Path | str) -> Audit:
    """The audit of the content as it is on disk now (rebuilt when any content file changes).
    Sign-offs are read per request, not from here, so they show at once."""
    key = (str(root), content_version(root))
    with _lock:
        if key not in _cache:
            _cache.clear()
            _cache[key] = run_audit(root)
        return _cache[key]

"""Redaction recall: the share of personal details in the sentinel set (redaction_sentinels.yml)
that web/redaction.py removes, by kind, and how many held-out pupil messages it changes at all.

    .venv-web/bin/python tests/web/redaction_recall.py          # the figures
    .venv-web/bin/python tests/web/redaction_recall.py --show   # and every change it makes

A detail counts as caught when none of its words is left in the redacted message.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
from web.redaction import redact  # noqa: E402

SENTINELS = HERE / "redaction_sentinels.yml"
# Pupil messages written for the tests and held out from training: most hold no personal detail,
# so a change there is worth a look (it may be a name the writer put in, or a word taken wrongly).
EVERYDAY = [ROOT / "tests" / "heldout" / "situations.yml", ROOT / "tests" / "heldout" / "crisis.yml",
            ROOT / "tests" / "pupil_messages.yml", ROOT / "tests" / "pupil_messages_blind.yml"]


def sentinels() -> dict:
    return yaml.safe_load(SENTINELS.read_text(encoding="utf-8"))


def caught(detail: str, redacted: str) -> bool:
    left = re.sub(r"\[[^\]]*\]", " ", redacted).lower()   # the placeholders' own words do not count
    return not any(re.search(rf"(?<!\w){re.escape(word.lower())}(?!\w)", left) for word in str(detail).split())


def recall(part: str = "messages") -> tuple[Counter, Counter, list[tuple[str, str, str]]]:
    """(details per kind, caught per kind, misses as (kind, detail, redacted message)) for one
    part of the sentinel set: "messages" (tuned on) or "fresh" (written after tuning)."""
    total, found, misses = Counter(), Counter(), []
    for message in sentinels()[part]:
        redacted = redact(message["text"])
        for kind, details in message.items():
            if kind == "text":
                continue
            for detail in details:
                total[kind] += 1
                if caught(detail, redacted):
                    found[kind] += 1
                else:
                    misses.append((kind, str(detail), redacted))
    return total, found, misses


def strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in strings(value)]
    return []


def everyday_messages() -> list[str]:
    messages = []
    for path in EVERYDAY:
        messages += [s for s in strings(yaml.safe_load(path.read_text(encoding="utf-8"))) if " " in s.strip()]
    return list(dict.fromkeys(messages))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", action="store_true", help="print every miss and every changed everyday message")
    args = parser.parse_args(argv)
    all_misses = []
    for part, what in (("messages", "the messages the redactor was tuned on"),
                       ("fresh", "messages written after tuning, never tuned on")):
        total, found, misses = recall(part)
        all_misses += misses
        print(f"Redaction recall, {SENTINELS.relative_to(ROOT)} '{part}' ({what}):")
        for kind in sorted(total):
            print(f"  {kind:<14} {found[kind]:>3}/{total[kind]:<3} {found[kind] / total[kind]:6.1%}")
        print(f"  {'all':<14} {sum(found.values()):>3}/{sum(total.values()):<3} "
              f"{sum(found.values()) / sum(total.values()):6.1%}")
    everyday = everyday_messages()
    changed = [(m, redact(m)) for m in everyday if redact(m) != m]
    print(f"Everyday pupil messages changed: {len(changed)} of {len(everyday)} "
          f"(held-out and test messages; each change is a detail or a word taken wrongly)")
    if args.show:
        for kind, detail, redacted in all_misses:
            print(f"MISSED {kind}: {detail!r} in {redacted!r}")
        for before, after in changed:
            print(f"CHANGED {before!r}\n     -> {after!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Warns loudly when the content about to run has not been signed off by a reviewer.

`make run` runs this before starting. Standard library only (any Python 3).

    python3 scripts/check_signoff.py            # warn, exit 0
    python3 scripts/check_signoff.py --strict   # warn and exit 1 (for a deployment that must refuse)

The content version is the sha256 over domain.yml, data/**, services.yml and config.yml
(audit/signoff.py); sign-offs live in the review database (env REVIEW_DB, default state/review.db).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.signoff import approvals_for, content_hash  # noqa: E402
from audit.store import review_db_path  # noqa: E402

WARNING = """
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!!  WARNING: THIS CONTENT HAS NOT BEEN SIGNED OFF BY A REVIEWER.
!!  Content version {short} (domain.yml, data/, services.yml, config.yml) has no approval
!!  in {db}.
!!  Do not show it to pupils: a reviewer must read every flow in /review and sign it off.
!!  (README: "Reviewing the content".)
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=str(ROOT), help="the content to check (default: this repository)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the content is not signed off")
    args = parser.parse_args(argv)
    version = content_hash(args.root)
    approvals = approvals_for(version)
    if approvals:
        latest = approvals[0]
        print(f"Content version {version[:12]} was signed off by {latest.reviewer_name} on {latest.approved_at}.")
        return 0
    print(WARNING.format(short=version[:12], db=review_db_path()), file=sys.stderr)
    return 1 if args.strict else 0


if __name__ == "__main__":
    sys.exit(main())

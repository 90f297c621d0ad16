"""Warns loudly when the content about to run has not been signed off by a reviewer.

`make run` runs this (with the web venv, where the project's packages are installed) before
starting:

    python scripts/check_signoff.py            # warn, exit 0
    python scripts/check_signoff.py --strict   # warn and exit 1 (for a deployment that must refuse)

The content version covers everything that changes what a pupil sees (content/version.py);
sign-offs live in the review database (REVIEW_DB in web/config.py, default state/review.db).
"""
from __future__ import annotations

import argparse
import os
import sys

from content import version
from content.files import REPO_ROOT
from web.config import review_db
from web.review.signoffs import approvals_for

WARNING = """
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!!  WARNING: THIS CONTENT HAS NOT BEEN SIGNED OFF BY A REVIEWER.
!!  Content version {short} has no approval in {db}.
!!  It covers {files}.
!!  Do not show it to pupils: a reviewer must read every flow in /review and sign it off.
!!  (README: "Reviewing the content".)
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=str(REPO_ROOT), help="the content to check (default: this repository)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the content is not signed off")
    args = parser.parse_args(argv)
    current = version.content_version(args.root)
    db = review_db(os.environ)
    approvals = approvals_for(current, db)
    if approvals:
        latest = approvals[0]
        print(f"Content version {current[:12]} was signed off by {latest.reviewer_name} on {latest.approved_at}.")
        return 0
    print(WARNING.format(short=current[:12], db=db, files=version.described()), file=sys.stderr)
    return 1 if args.strict else 0


if __name__ == "__main__":
    sys.exit(main())

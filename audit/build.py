"""Runs the whole audit on a content root: checks, scores, diagrams, sign-off, report.

    python -m audit [--root PATH] [--out build/audit/index.html]

Exits 1 when any check fails, printing each failure with its location; `make audit` runs it.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from audit.checks import CheckResult, Readability, readability_scores, run_checks
from audit.content import REPO_ROOT, Content, load_content
from audit.diagrams import flow_diagrams, graphviz_available
from audit.report import Sections, build_sections, report_page, stale_services
from audit.signoff import Approval, approvals_for, content_hash


@dataclass
class Audit:
    content: Content
    content_hash: str
    results: list[CheckResult]
    scores: list[Readability]
    approvals: list[Approval]
    sections: Sections

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def approved(self) -> bool:
        return bool(self.approvals)

    def failures(self) -> list[str]:
        return [f"FAIL [{r.check.id}] {p}" for r in self.results for p in r.problems]


def run_audit(root: Path | str = REPO_ROOT, review_db: Path | str | None = None, diagrams: bool = True) -> Audit:
    content = load_content(root)
    version = content_hash(content.root)
    results = run_checks(content)
    scores = readability_scores(content)
    approvals = approvals_for(version, review_db)
    drawn = flow_diagrams(content) if diagrams else {}
    sections = build_sections(content, results, scores, drawn, version, approvals)
    return Audit(content, version, results, scores, approvals, sections)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=str(REPO_ROOT), help="the content to audit (default: this repository)")
    parser.add_argument("--out", default=None, help="where to write the report (default: ROOT/build/audit/index.html)")
    parser.add_argument("--review-db", default=None, help="the review database with sign-offs (default: env REVIEW_DB)")
    args = parser.parse_args(argv)
    if not graphviz_available():
        print("Graphviz `dot` is not installed (apt-get install graphviz); `make audit` installs it.", file=sys.stderr)
        return 2
    audit = run_audit(args.root, args.review_db)
    out = Path(args.out) if args.out else Path(args.root) / "build" / "audit" / "index.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report_page(audit.sections), encoding="utf-8")

    for line in audit.failures():
        print(line)
    for key in stale_services(audit.content):
        print(f"WARNING [registry] services.yml: {key}: last checked more than 180 days ago")
    passed = sum(r.passed for r in audit.results)
    print(f"{passed} of {len(audit.results)} checks pass; report written to {out}")
    if not audit.approved:
        print(f"NOTE: content version {audit.content_hash[:12]} is not signed off yet (see /review).")
    return 0 if audit.passed else 1

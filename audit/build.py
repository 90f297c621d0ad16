"""Runs the whole audit on a content root: checks, scores, diagrams, report.

    python -m audit [--root PATH] [--out build/audit/index.html]

Exits 1 when a check fails (one not expected to fail), printing each failure with its
location; `make audit` runs it. Sign-offs are the reviewer area's (/review).
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from audit.checks import CheckResult, Readability, readability_scores, run_checks
from audit.diagrams import flow_diagrams, graphviz_available
from audit.flows import Content, load_content
from audit.report import Sections, build_sections, report_page, stale_services
from audit.rules import CHECKED_WITHIN_DAYS
from content.files import REPO_ROOT
from content.version import content_version


@dataclass
class Audit:
    content: Content
    content_hash: str
    results: list[CheckResult]
    scores: list[Readability]
    sections: Sections

    @property
    def passed(self) -> bool:
        """Every check passes, or fails only as expected (checks.EXPECTED_TO_FAIL)."""
        return not any(r.blocks for r in self.results)

    def failures(self) -> list[str]:
        return [f"FAIL [{r.check.id}] {p}" for r in self.results if r.blocks for p in r.problems]

    def expected_failures(self) -> list[str]:
        lines = []
        for result in (r for r in self.results if r.expected_to_fail):
            if result.passed:
                lines.append(f"NOTE [{result.check.id}] passes now: take it off EXPECTED_TO_FAIL in audit/checks.py")
                continue
            lines.append(f"EXPECTED TO FAIL [{result.check.id}] ({result.expected_to_fail}):")
            lines += [f"  {problem}" for problem in result.problems]
        return lines


def run_audit(root: Path | str = REPO_ROOT, diagrams: bool = True) -> Audit:
    content = load_content(root)
    version = content_version(content.root)
    results = run_checks(content)
    scores = readability_scores(content)
    drawn = flow_diagrams(content) if diagrams else {}
    sections = build_sections(content, results, scores, drawn, version)
    return Audit(content, version, results, scores, sections)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=str(REPO_ROOT), help="the content to audit (default: this repository)")
    parser.add_argument("--out", default=None, help="where to write the report (default: ROOT/build/audit/index.html)")
    args = parser.parse_args(argv)
    if not graphviz_available():
        print("Graphviz `dot` is not installed (apt-get install graphviz); `make audit` installs it.", file=sys.stderr)
        return 2
    audit = run_audit(args.root)
    out = Path(args.out) if args.out else Path(args.root) / "build" / "audit" / "index.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report_page(audit.sections), encoding="utf-8")

    for line in audit.failures() + audit.expected_failures():
        print(line)
    for key in stale_services(audit.content):
        print(f"WARNING [registry] services.yml: {key}: not checked in the last {CHECKED_WITHIN_DAYS} days")
    passed = sum(r.passed for r in audit.results)
    print(f"{passed} of {len(audit.results)} checks pass; report written to {out}")
    return 0 if audit.passed else 1

"""HTML for the audit report, in sections that the /review pages reuse.

Every piece of content is escaped; the only markup not built here is Graphviz's SVG.
The page is self-contained: inline CSS, inline SVG, no scripts, nothing fetched.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from html import escape
from typing import Any

from audit import rules
from audit.checks import CheckResult, Readability, responses_used
from audit.flows import Content, Flow
from audit.registry_check import services_named
from content import version
from content.registry import checked_on, checked_page

EXAMPLES_SHOWN = 5         # example messages shown per situation in a flow

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0;color:#1f2328;
  background:#fff;line-height:1.45}
header.top{background:#1d3557;color:#fff;padding:1rem 1.5rem}
header.top h1{margin:0;font-size:1.4rem}
header.top a{color:#fff}
nav.sections{background:#eef2f7;padding:.5rem 1.5rem;border-bottom:1px solid #cfd8e3}
nav.sections a{margin-right:1rem}
main{padding:1rem 1.5rem;max-width:75rem}
h2{border-bottom:2px solid #1d3557;padding-bottom:.2rem;margin-top:2rem}
h3{margin:1.5rem 0 .4rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #cfd8e3;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#eef2f7}
pre.say{white-space:pre-wrap;font-family:inherit;margin:.2rem 0;background:#fff8e1;border-left:4px solid #d4a017;
  padding:.4rem .6rem}
.pupil{background:#e8f0fe;border-left:4px solid #1d4ed8;padding:.4rem .6rem;margin:.4rem 0}
.assistant{margin:.4rem 0 .4rem 1.5rem}
.note{color:#555;font-style:italic;margin:.3rem 0 .3rem 1.5rem}
.pass{color:#0a6b2d;font-weight:bold}
.fail{color:#b00020;font-weight:bold}
.warn{color:#8a5a00;font-weight:bold}
.banner{padding:.8rem 1rem;margin:1rem 0;border-radius:4px;border:2px solid}
.banner.ok{background:#e7f6ec;border-color:#0a6b2d}
.banner.bad{background:#fdecee;border-color:#b00020}
.flow{border:1px solid #cfd8e3;border-radius:6px;padding:.6rem 1rem;margin:1rem 0}
.flow .where{color:#555;font-size:.9rem}
.diagram{max-width:100%;height:auto}
figure{margin:.5rem 0;overflow-x:auto}
ul.examples{margin:.2rem 0 .2rem 1rem;color:#333}
code{background:#f3f4f6;padding:0 .2rem;border-radius:3px}
.buttons span{display:inline-block;border:1px solid #888;border-radius:12px;padding:0 .5rem;margin:.1rem;font-size:.9rem}
tr.hard td{background:#fdecee}
tr.stale td{background:#fff4e0}
form.inline{display:inline}
label{display:block;margin:.5rem 0 .2rem}
input[type=text],input[type=password],textarea{width:100%;max-width:32rem;padding:.3rem;font:inherit}
button{font:inherit;padding:.3rem .8rem}
.error{color:#b00020}
"""


@dataclass
class Sections:
    """Every part of the report, as HTML fragments."""
    summary: str
    checks: str
    catalogue: str
    flows: str
    situations: str
    registry: str

    def ordered(self) -> list[tuple[str, str, str]]:
        """(anchor, title, html) in reading order."""
        return [("summary", "Summary", self.summary), ("checks", "Checks", self.checks),
                ("flows", "Conversation flows", self.flows), ("catalogue", "Every response", self.catalogue),
                ("situations", "Situations and example messages", self.situations),
                ("registry", "Service registry", self.registry)]


def response_anchor(response_id: str) -> str:
    return f"response-{response_id}"


def situation_anchor(intent: str) -> str:
    return f"situation-{intent}"


def label(intent: str) -> str:
    return intent.replace("_", " ")


# --- summary -----------------------------------------------------------------------------
def summary_html(content: Content, results: list[CheckResult], content_hash: str,
                 built_at: datetime.datetime | None = None) -> str:
    """The verdict and the content version. Whether the version is signed off is the reviewer
    area's to say (/review shows it above this, read afresh on every page)."""
    built_at = built_at or datetime.datetime.now(datetime.timezone.utc)
    return (verdict_html(results) + stale_html(content) +
            f"<p>Content version (sha256 of {escape(version.described())}): "
            f"<code>{escape(content_hash)}</code><br>Built {escape(built_at.strftime('%Y-%m-%d %H:%M UTC'))}. "
            f"{len(content.responses)} responses, {len(content.flows)} flows, "
            f"{len(content.intents)} situations and replies, {len(content.services)} services. "
            "Reviewers sign each version off in /review; <code>make run</code> warns while it has no sign-off.</p>")


def _check_links(results: list[CheckResult]) -> str:
    return ", ".join(f'<a href="#check-{r.check.id}">{escape(r.check.title)}</a>' for r in results)


def verdict_html(results: list[CheckResult]) -> str:
    failed = [r for r in results if r.blocks]
    expected = [r for r in results if not r.passed and r.expected_to_fail]
    if failed:
        verdict = f'<p class="fail">{len(failed)} of {len(results)} checks fail: {_check_links(failed)}</p>'
    elif expected:
        verdict = f'<p class="pass">{len(results) - len(expected)} of {len(results)} checks pass.</p>'
    else:
        verdict = f'<p class="pass">All {len(results)} checks pass.</p>'
    if expected:
        verdict += f'<p class="warn">Expected to fail while someone fixes it: {_check_links(expected)}</p>'
    return verdict


def stale_html(content: Content) -> str:
    stale = stale_services(content)
    if not stale:
        return ""
    return (f'<p class="warn">{len(stale)} service registry entries were last checked more than '
            f'{rules.CHECKED_WITHIN_DAYS} days ago: see <a href="#registry">the registry</a>.</p>')


# --- checks ------------------------------------------------------------------------------
def checks_html(results: list[CheckResult], scores: list[Readability]) -> str:
    parts = ["<table><tr><th>Check</th><th>What it checks</th><th>Result</th></tr>"]
    for result in results:
        parts.append(f'<tr><td><a href="#check-{result.check.id}">{escape(result.check.title)}</a></td>'
                     f"<td>{escape(result.check.explains)}</td><td>{status_html(result)}</td></tr>")
    parts.append("</table>")
    for result in results:
        parts.append(f'<h3 id="check-{result.check.id}">{escape(result.check.title)} {status_html(result)}</h3>')
        parts.append(f"<p>{escape(result.check.explains)}</p>")
        if result.expected_to_fail and not result.passed:
            parts.append(f'<p class="warn">Expected to fail: {escape(result.expected_to_fail)}.</p>')
        if result.problems:
            parts.append("<ul>" + "".join(f"<li><strong>{escape(p.location)}</strong>: {escape(p.message)}</li>"
                                          for p in result.problems) + "</ul>")
        if result.check.id == "readability":
            parts.append(readability_table(scores))
    return "".join(parts)


def status_html(result: CheckResult) -> str:
    if result.passed:
        return '<span class="pass">pass</span>'
    if result.expected_to_fail:
        return f'<span class="warn">expected to fail ({len(result.problems)} to fix)</span>'
    return f'<span class="fail">{len(result.problems)} to fix</span>'


def readability_table(scores: list[Readability]) -> str:
    rows = "".join(
        f'<tr class="{"hard" if s.hard else ""}"><td><a href="#{response_anchor(s.response_id)}">{escape(s.response_id)}</a>'
        f'{" (variation " + str(s.variation + 1) + ")" if s.variation else ""}</td><td>{s.grade:g}</td><td>{s.ease:g}</td>'
        f'<td>{s.words}</td><td>{"too hard" if s.hard else "ok"}</td></tr>'
        for s in sorted(scores, key=lambda s: -s.grade))
    return ("<details><summary>Every response's score (hardest first)</summary><table><tr><th>Response</th>"
            "<th>Flesch-Kincaid grade (lower is easier)</th><th>Flesch reading ease (higher is easier)</th>"
            f"<th>Words</th><th></th></tr>{rows}</table></details>")


# --- responses -----------------------------------------------------------------------------
def condition_text(variation: dict[str, Any]) -> str:
    conditions = variation.get("condition") or []
    return "; ".join(f"{c.get('name')} is {c.get('value')}" for c in conditions)


def variation_html(variation: dict[str, Any]) -> str:
    parts = []
    if variation.get("condition"):
        parts.append(f'<div class="note">Only when {escape(condition_text(variation))}:</div>')
    elif variation.get("_other_variations"):
        parts.append('<div class="note">Otherwise:</div>')
    parts.append(f'<pre class="say">{escape(variation.get("text") or "")}</pre>')
    if variation.get("buttons"):
        parts.append('<div class="buttons">Buttons: ' + "".join(
            f'<span>{escape(b.get("title", ""))} → {escape(b.get("payload", ""))}</span>'
            for b in variation["buttons"]) + "</div>")
    return "".join(parts)


def response_html(content: Content, response_id: str) -> str:
    variations = content.variations(response_id)
    conditional = any(v.get("condition") for v in variations)
    return "".join(variation_html(dict(v, _other_variations=conditional)) for v in variations)


def catalogue_html(content: Content, flows_by_location: dict[str, Flow]) -> str:
    used = responses_used(content)
    rows = []
    for response_id, variations in content.responses.items():
        text = "\n".join(v.get("text") or "" for v in variations)
        where = "".join(f"<li>{_where_link(w, flows_by_location)}</li>" for w in used.get(response_id, []))
        named = ", ".join(escape(content.services[k]["name"]) for k in services_named(content.services, text))
        rows.append(f'<tr id="{response_anchor(response_id)}"><td><code>{escape(response_id)}</code><br>'
                    f"{len(variations)} variation{'s' if len(variations) != 1 else ''}</td>"
                    f"<td>{response_html(content, response_id)}</td>"
                    f"<td><ul>{where or '<li class=fail>not used</li>'}</ul></td><td>{named or '—'}</td></tr>")
    return ("<p>Every sentence the assistant can say (domain.yml), with its buttons, where it is used, "
            "and the services it names.</p><table><tr><th>Response</th><th>What it says</th><th>Used in</th>"
            f"<th>Services named</th></tr>{''.join(rows)}</table>")


def _where_link(where: str, flows_by_location: dict[str, Flow]) -> str:
    flow = flows_by_location.get(where)
    return f'<a href="#{flow.anchor}">{escape(where)}</a>' if flow else escape(where)


# --- flows ---------------------------------------------------------------------------------
def pupil_html(content: Content, intents: list[str]) -> str:
    parts = []
    for intent in intents:
        examples = content.nlu.get(intent, [])
        shown = "".join(f"<li>“{escape(e.text)}”</li>" for e in examples[:EXAMPLES_SHOWN])
        more = (f' <a href="#{situation_anchor(intent)}">all {len(examples)} examples</a>' if len(examples) > EXAMPLES_SHOWN
                else "")
        if intent.startswith("("):
            parts.append(f"<div>{escape(intent)}</div>")
            continue
        parts.append(f"<div><strong>{escape(label(intent))}</strong> <code>{escape(intent)}</code>{more}"
                     + (f'<ul class="examples">{shown}</ul>' if shown else
                        ' <span class="warn">(no example messages yet)</span>') + "</div>")
    return '<div class="pupil">Pupil says: ' + (" or ".join(parts) if len(parts) < 2 else "".join(
        ("<div>or</div>" if i else "") + p for i, p in enumerate(parts))) + "</div>"


def action_html(content: Content, action: str, finishing: bool = False) -> str:
    if finishing and action in content.forms:
        return f'<div class="note">The question {escape(action)} takes the pupil\'s answer.</div>'
    responses = content.said_by(action)
    if responses:
        intro = f" (the question {escape(action)} asks)" if action in content.forms else ""
        return "".join(f'<div class="assistant">Assistant says <a href="#{response_anchor(r)}"><code>{escape(r)}</code></a>'
                       f"{intro}:{response_html(content, r)}</div>" for r in responses)
    if action in content.custom_actions:
        says = ", ".join(sorted(content.custom_actions[action])) or "nothing from domain.yml"
        return (f'<div class="assistant">Assistant runs <code>{escape(action)}</code>, which may say '
                f"<code>{escape(says)}</code> (details filled in from schools.yml or services.yml).</div>")
    if action == "action_deactivate_loop":
        return '<div class="note">The question in progress is stopped.</div>'
    return f'<div class="assistant">Assistant runs <code>{escape(action)}</code>.</div>'


def flow_html(content: Content, flow: Flow, diagram: str | None) -> str:
    parts = [f'<section class="flow" id="{flow.anchor}"><h3>{escape(flow.kind.capitalize())}: {escape(flow.name)}</h3>',
             f'<div class="where">{escape(flow.file)}</div>']
    if flow.conditions:
        parts.append(f'<div class="note">Only when: {escape("; ".join(flow.conditions))}</div>')
    for turn in flow.turns:
        if turn.pupil:
            parts.append(pupil_html(content, turn.pupil))
        elif turn is flow.turns[0] and flow.kind != "form":
            parts.append('<div class="note">After the assistant has said:</div>')
        parts += [action_html(content, a, a in turn.finished_forms) for a in turn.assistant]
        parts += [f'<div class="note">{escape(n)}</div>' for n in turn.notes]
    if diagram:
        parts.append(f"<figure>{diagram}</figure>")
    elif diagram is None:
        parts.append('<p class="note">(Diagram not drawn: Graphviz is not installed.)</p>')
    parts.append("</section>")
    return "".join(parts)


def flows_html(content: Content, diagrams: dict[str, str | None]) -> str:
    by_file: dict[str, list[Flow]] = {}
    for flow in content.flows:
        by_file.setdefault(flow.file, []).append(flow)
    index = "".join(f"<li>{escape(file)}: " + ", ".join(f'<a href="#{f.anchor}">{escape(f.name)}</a>' for f in flows)
                    + "</li>" for file, flows in by_file.items())
    intro = ("<p>Every path the assistant can take: each rule and story in data/, and each question (form). "
             "Blue is what the pupil says (the situation the assistant recognises, with example messages); "
             "yellow is exactly what the assistant says back.</p>")
    return intro + f"<ul>{index}</ul>" + "".join(flow_html(content, f, diagrams.get(f.anchor, "")) for f in content.flows)


def needs_text(intent: str) -> str:
    """What the rules ask of the first reply to this situation, in words."""
    needs = rules.FIRST_REPLY_NEEDS.get(intent)
    if not needs:
        return ""
    said = "; ".join(" or ".join(rules.gives(name) for name in need) for need in needs)
    return f" — the first reply gives: {said}"


def situations_html(content: Content) -> str:
    parts = ["<p>The situations the assistant recognises, with every example message it learned from (data/), "
             "and what the first reply must give (audit/rules.py).</p>"]
    for intent in content.intents:
        examples = content.nlu.get(intent, [])
        parts.append(f'<details id="{situation_anchor(intent)}"><summary><strong>{escape(label(intent))}</strong> '
                     f"<code>{escape(intent)}</code>: {len(examples)} examples{escape(needs_text(intent))}</summary>"
                     "<ul class=examples>"
                     + "".join(f"<li>“{escape(e.text)}” <span class=where>({escape(e.file)})</span></li>" for e in examples)
                     + "</ul></details>")
    return "".join(parts)


# --- registry ------------------------------------------------------------------------------
def is_stale(service: dict[str, Any], today: datetime.date, days: int = rules.CHECKED_WITHIN_DAYS) -> bool:
    checked = checked_on(service)
    return checked is None or (today - checked).days > days


def stale_services(content: Content, today: datetime.date | None = None) -> list[str]:
    today = today or datetime.date.today()
    return [key for key, s in content.services.items() if is_stale(s, today)]


def checked_html(service: dict[str, Any], stale: bool) -> str:
    page = checked_page(service)
    against = f"<br>against {escape(page)}" if page else f"<br><span class=where>{escape(service.get('source', ''))}</span>"
    flag = f' <span class="warn">not checked for over {rules.CHECKED_WITHIN_DAYS} days</span>' if stale else ""
    return escape(str(checked_on(service) or "never")) + flag + against


def registry_html(content: Content, today: datetime.date | None = None) -> str:
    today = today or datetime.date.today()
    stale = set(stale_services(content, today))
    rows = []
    for key, s in content.services.items():
        numbers = "<br>".join(escape(f"{field}: {s[field]}") for field in ("phone", "text_number", "text_keyword")
                              if s.get(field))
        url = f'{escape(s["url"])}' if s.get("url") else "—"
        rows.append(f'<tr class="{"stale" if key in stale else ""}"><td><strong>{escape(s.get("name", key))}</strong><br>'
                    f'<code>{escape(key)}</code><br>{escape(s.get("run_by", ""))}</td><td>{escape(s.get("for", ""))}</td>'
                    f'<td>{escape(s.get("what", ""))}<br><em>{escape(s.get("hours", ""))}</em></td><td>{numbers or "—"}</td>'
                    f"<td>{url}</td><td>{checked_html(s, key in stale)}</td></tr>")
    days = rules.CHECKED_WITHIN_DAYS
    verdict = (f'<p class="warn">{len(stale)} entries were last checked more than {days} days ago: '
               + ", ".join(escape(content.services[k]["name"]) for k in sorted(stale)) + ". Check them against the "
               "service's own pages and update their checked date in services.yml.</p>") if stale else \
        f'<p class="pass">Every entry was checked in the last {days} days.</p>'
    return ("<p>services.yml: the one registry of services. Every number and address the assistant says must be here.</p>"
            + verdict + "<table><tr><th>Service</th><th>Who it is for</th><th>What it does</th><th>Numbers</th>"
            f"<th>Address</th><th>Last checked</th></tr>{''.join(rows)}</table>")


# --- the whole report --------------------------------------------------------------------------
def build_sections(content: Content, results: list[CheckResult], scores: list[Readability],
                   diagrams: dict[str, str | None], content_hash: str) -> Sections:
    flows_by_location = {f.location: f for f in content.flows}
    return Sections(
        summary=summary_html(content, results, content_hash),
        checks=checks_html(results, scores),
        catalogue=catalogue_html(content, flows_by_location),
        flows=flows_html(content, diagrams),
        situations=situations_html(content),
        registry=registry_html(content),
    )


def page(title: str, body: str, nav: str = "") -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
            f"<style>{CSS}</style></head><body><header class=top><h1>{escape(title)}</h1></header>"
            f"{nav}<main>{body}</main></body></html>")


def report_page(sections: Sections) -> str:
    nav = '<nav class="sections">' + "".join(f'<a href="#{a}">{escape(t)}</a>' for a, t, _ in sections.ordered()) + "</nav>"
    body = "".join(f'<h2 id="{a}">{escape(t)}</h2>{html}' for a, t, html in sections.ordered())
    return page("Content review report: sextortion help for pupils", body, nav)

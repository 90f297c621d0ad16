"""Flow diagrams, drawn at build time by Graphviz `dot` (Debian's graphviz package) as inline SVG.

No JavaScript and nothing fetched from elsewhere: the SVG goes straight into the report.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import textwrap

from audit.flows import Content, Flow

PUPIL_STYLE = 'shape=box, style="rounded,filled", fillcolor="#dbeafe", color="#1d4ed8"'
ASSISTANT_STYLE = 'shape=box, style="filled", fillcolor="#fef3c7", color="#92400e"'
BUTTON_STYLE = 'shape=box, style="rounded,dashed", color="#555555", fontsize=10'
NOTE_STYLE = 'shape=note, style="filled", fillcolor="#eeeeee", color="#777777", fontsize=10'


def dot_string(text: str) -> str:
    """A DOT double-quoted string; newlines become centred line breaks."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def wrap(text: str, width: int = 38, lines: int = 3) -> str:
    wrapped = textwrap.wrap(" ".join(text.split()), width)
    return "\n".join(wrapped[:lines]) + (" …" if len(wrapped) > lines else "")


def assistant_label(content: Content, action: str) -> str:
    responses = content.said_by(action)
    if not responses:
        kind = "custom action" if action in content.custom_actions else "action"
        return f"{kind}: {action}"
    first = (content.variations(responses[0]) or [{}])[0].get("text", "")
    return f"{responses[0]}\n{wrap(first)}"


def flow_dot(content: Content, flow: Flow) -> str:
    """The flow as a top-to-bottom chain: pupil turns in blue, the assistant in yellow,
    buttons the pupil can tap as dashed boxes."""
    lines = ["digraph flow {", "  rankdir=TB; nodesep=0.25; ranksep=0.3;",
             '  node [fontname="Helvetica", fontsize=11, margin="0.15,0.06"];', '  edge [color="#555555"];']
    previous = None
    counter = 0

    def node(label: str, style: str) -> str:
        nonlocal counter, previous
        counter += 1
        name = f"n{counter}"
        lines.append(f"  {name} [label={dot_string(label)}, {style}];")
        if previous:
            lines.append(f"  {previous} -> {name};")
        previous = name
        return name

    if flow.conditions:
        node("only when: " + "; ".join(flow.conditions), NOTE_STYLE)
    for turn in flow.turns:
        if turn.pupil:
            node("Pupil: " + wrap(" or ".join(i.replace("_", " ") for i in turn.pupil), 40, 4), PUPIL_STYLE)
        for action in turn.assistant:
            if action in turn.finished_forms and action in content.forms:
                node(f"{action} takes the pupil's answer", NOTE_STYLE)
                continue
            name = node("Assistant: " + assistant_label(content, action), ASSISTANT_STYLE)
            _buttons(content, action, name, lines)
        for note in turn.notes:
            node(wrap(note, 40, 2), NOTE_STYLE)
    lines.append("}")
    return "\n".join(lines)


def _buttons(content: Content, action: str, parent: str, lines: list[str]) -> None:
    for response in content.said_by(action):
        for v, variation in enumerate(content.variations(response)[:1]):
            for b, button in enumerate(variation.get("buttons") or []):
                name = f"{parent}_b{v}_{b}"
                label = f"taps: {button.get('title', '')}\n→ {button.get('payload', '').lstrip('/')}"
                lines.append(f"  {name} [label={dot_string(label)}, {BUTTON_STYLE}];")
                lines.append(f'  {parent} -> {name} [style=dashed, arrowhead=none];')


def graphviz_available() -> bool:
    return shutil.which("dot") is not None


def render_svg(dot_source: str) -> str | None:
    """SVG markup for inline use (no XML prolog), or None when Graphviz is not installed."""
    if not graphviz_available():
        return None
    result = subprocess.run(["dot", "-Tsvg"], input=dot_source, capture_output=True, text=True, timeout=60, check=True)
    svg = result.stdout[result.stdout.find("<svg"):]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    # Scale to the page: keep the viewBox, drop the fixed size in points.
    return re.sub(r'<svg width="[^"]*" height="[^"]*"', '<svg class="diagram" role="img"', svg, count=1)


def flow_diagrams(content: Content) -> dict[str, str | None]:
    """Flow anchor -> its SVG (None without Graphviz)."""
    return {flow.anchor: render_svg(flow_dot(content, flow)) for flow in content.flows}

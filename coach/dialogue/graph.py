"""The playbook as a mermaid ``stateDiagram-v2``: stages as composite states, choices as edges.

Drawn from the playbook itself rather than the machine so edge labels are the
words a user sees (templates shown as written) and ids are mermaid-safe.
"""

from __future__ import annotations

import re

from coach.dialogue.schema import Playbook

_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


def mermaid_id(qid: str) -> str:
    """``assess.who-sent`` → ``assess__who_sent`` (mermaid ids allow letters, digits, _)."""
    return _UNSAFE.sub("_", qid.replace(".", "__"))


def _label(text: str) -> str:
    """Edge and state labels: one line, no characters mermaid treats as syntax."""
    flat = " ".join(text.split())
    return flat.replace(":", " -").replace('"', "'").replace(";", ",").replace("#", "")[:60]


def to_mermaid(playbook: Playbook, counterpart: str | None = None) -> str:
    """The whole playbook (or only what ``counterpart`` can see, conditions on it applied)."""
    lines = ["stateDiagram-v2", "  direction TB"]
    for stage in playbook.stages:
        nodes = playbook.nodes_in(stage)
        if not nodes:
            continue
        title = playbook.stage_titles.get(stage, stage.title())
        lines.append(f'  state "{_label(title)}" as {mermaid_id(stage)} {{')
        for node in nodes:
            lines.append(f'    state "{_label(node.title or node.id)}" as {mermaid_id(node.qid)}')
        lines.append("  }")
    lines.append(f"  [*] --> {mermaid_id(playbook.start)}")
    for node in playbook.nodes.values():
        source = mermaid_id(node.qid)
        for choice in node.choices:
            if counterpart and choice.when and not _may_hold(choice.when, counterpart):
                continue
            lines.append(f"  {source} --> {mermaid_id(choice.target)}: {_label(choice.label)}")
        for branch in node.branches:
            label = f": if {_label(branch.condition)}" if branch.condition else ""
            lines.append(f"  {source} --> {mermaid_id(branch.target)}{label}")
        if node.end:
            lines.append(f"  {source} --> [*]")
    return "\n".join(lines) + "\n"


def _may_hold(condition: str, counterpart: str) -> bool:
    """False only when the condition is decided by the counterpart alone and excludes it."""
    from coach.dialogue.render import evaluate

    try:
        return evaluate(condition, {"counterpart": counterpart})
    except Exception:  # the condition also reads facts: it may hold for some user
        return True

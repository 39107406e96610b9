"""Guards: one warning (and one way out) written once and applied to every node it fits.

A guard in ``dialogues/guards.yaml`` says *when* it holds (a condition over
facts), *what to warn*, its public sources, the choice to offer ("Check the
time limit first"), and *which nodes* it covers: every node of some stages
that records certain notes (an offer, an agreement), plus nodes named outright.
The playbook applies it at load time, so the engine sees ordinary nodes: the
warning leads the node's own ``warn`` while the condition holds, the sources
join the node's, and the choice is offered first (a node that moved on automatically
gets its way on as a "Continue" choice, so the way out can sit beside it).

Why here and not in each node: a money moment added later is covered by the
rule, and the wording lives in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coach.dialogue.sources import public_source_problems
from coach.dialogue.yamlload import LineDict, line_of

if TYPE_CHECKING:
    from coach.dialogue.schema import Choice, Node

GUARD_KEYS = {"when", "warn", "source", "choice", "stages", "captures", "nodes", "except"}
CHOICE_KEYS = {"id", "label", "next"}
CONTINUE = "continue"  # the engine's id for moving on from a node with an automatic next


@dataclass
class Guard:
    """One shared warning, checked; ``nodes``/``skip`` are qualified node ids."""

    name: str
    path: str
    line: int
    when: str
    warn: str
    sources: tuple[str, ...]
    stages: tuple[str, ...] = ()
    captures: tuple[str, ...] = ()
    nodes: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    choice: tuple[str, str, str] | None = None  # (id, label, target)
    lines: dict[str, int] = field(default_factory=dict)

    def covers(self, node: Node) -> bool:
        if node.qid in self.skip:
            return False
        if node.qid in self.nodes:
            return True
        return node.stage in self.stages and bool(set(node.capture) & set(self.captures))


Report = Callable[[str, int, str], None]


def read_guards(path: str, raw: object, report: Report, check_sources: Callable[..., tuple]) -> list[Guard]:
    """The guards of one file; each mistake reported as (path, line, message)."""
    if not isinstance(raw, LineDict):
        report(path, line_of(raw), "'guards' must be a mapping of name: guard")
        return []
    guards = []
    for name, spec in raw.items():
        line = line_of(raw, name)
        label = f"guard '{name}'"
        if not isinstance(spec, LineDict):
            report(path, line, f"{label}: must be a mapping")
            continue
        for key in spec:
            if key not in GUARD_KEYS:
                report(path, line_of(spec, key), f"{label}: unknown key '{key}'")
        texts = {key: spec.get(key) for key in ("when", "warn")}
        bad = [key for key, value in texts.items() if not isinstance(value, str) or not value.strip()]
        if bad:
            report(path, line, f"{label}: needs {' and '.join(repr(b) for b in bad)} as text")
            continue
        sources, problems = check_sources(spec.get("source"), label) if "source" in spec else ((), [])
        problems = problems + public_source_problems(sources, label)
        for message in problems:
            report(path, line_of(spec, "source"), message)
        if not sources and not problems:
            report(path, line, f"{label}: a shared warning states law or money: it needs 'source:'")
        lists: dict[str, tuple[str, ...]] = {}
        for key in ("stages", "captures", "nodes", "except"):
            value = spec.get(key, [])
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                report(path, line_of(spec, key), f"{label}: '{key}' must be a list of names")
                value = []
            lists[key] = tuple(value)
        choice = None
        if "choice" in spec:
            raw_choice = spec["choice"]
            if not isinstance(raw_choice, LineDict) or not all(
                isinstance(raw_choice.get(k), str) for k in CHOICE_KEYS
            ):
                report(path, line_of(spec, "choice"), f"{label}: 'choice' needs id, label and next")
            else:
                choice = (raw_choice["id"], raw_choice["label"].strip(), raw_choice["next"])
        guards.append(
            Guard(
                name=name,
                path=path,
                line=line,
                when=texts["when"].strip(),  # type: ignore[union-attr]
                warn=" ".join(texts["warn"].split()),  # type: ignore[union-attr]
                sources=tuple(sources),
                stages=lists["stages"],
                captures=lists["captures"],
                nodes=lists["nodes"],
                skip=lists["except"],
                choice=choice,
                lines={key: line_of(spec, key) for key in spec},
            )
        )
    return guards


def apply_guard(guard: Guard, nodes: dict[str, Node]) -> list[str]:
    """Apply one guard to every node it covers; the qualified ids it touched."""
    from coach.dialogue.schema import Choice

    touched = []
    for node in nodes.values():
        if not guard.covers(node):
            continue
        touched.append(node.qid)
        lead = f"{{% if {guard.when} %}}{guard.warn}{' ' if node.warn else ''}{{% endif %}}"
        node.warn = lead + node.warn
        node.sources = tuple(dict.fromkeys(node.sources + guard.sources))
        if guard.choice is None or node.end:
            continue
        if node.branches:
            node.choices = continue_choices(node)
            node.branches = []
        choice_id, label, target = guard.choice
        if all(c.id != choice_id for c in node.choices):  # first: it is the thing to do first
            node.choices.insert(
                0, Choice(choice_id, label, target, guard.when, (), guard.lines.get("choice", 0))
            )
    return touched


def continue_choices(node: Node) -> list[Choice]:
    """A node's automatic ``next`` as "Continue" choices, exactly one open for any facts.

    Arm *i* opens when its condition holds and no earlier arm's does, which is
    how the engine picks a branch; all share the engine's ``continue`` id.
    """
    from coach.dialogue.schema import Choice

    choices: list[Choice] = []
    earlier: list[str] = []
    for branch in node.branches:
        parts = [f"({branch.condition})"] if branch.condition else []
        parts += [f"not ({condition})" for condition in earlier]
        when = " and ".join(parts) or None
        choices.append(Choice(CONTINUE, "Continue", branch.target, when, (), branch.line))
        if branch.condition:
            earlier.append(branch.condition)
        else:
            break
    return choices

"""The playbook's shape: its keys, and the plain dataclasses a checked playbook is made of.

Only :mod:`coach.dialogue.playbook` builds these (after checking every file); everything else —
the Session, the plan, reviews, the checks — reads them. Kept apart from the reader so a module that
only reads a playbook does not have to read the reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from coach.dialogue.problems import Problem
from coach.errors import CoachError

FACT_TYPES = ("text", "money", "date", "int", "bool", "choice", "state")
# Names Jinja2 resolves to dict methods (STACK.md) or that the engine provides itself.
RESERVED_NAMES = frozenset({"items", "keys", "values", "get", "counterpart", "mode", "loop", "range"})
DEFAULT_VARIANT = "default"

TOP_KEYS = {"playbook", "facts", "derived", "stage", "title", "nodes", "guards", "counterparts"}
META_KEYS = {"stages", "start", "call_start", "counterparts", "notes", "legal_terms"}
FACT_KEYS = {"type", "prompt", "required", "options", "help", "min", "max"}
DERIVED_KEYS = {"type", "about"}
NOTE_KEYS = {"label", "command", "type", "by", "facts"}
NOTE_FIELDS = ("lump", "monthly", "months", "date")  # what a money record can hand to a fact
NODE_KEYS = {"id", "title", "coach", "say", "warn", "ask", "capture", "choices", "next", "end", "source"}
CHOICE_KEYS = {"id", "label", "when", "next", "set"}
BRANCH_KEYS = {"if", "then", "else"}


@dataclass(frozen=True)
class FactSpec:
    """A fact the coach may ask for or read: its type, prompt and whether required."""

    name: str
    type: str
    prompt: str
    required: bool = False
    options: tuple[str, ...] = ()
    help: str = ""
    minimum: Decimal | None = None
    maximum: Decimal | None = None

    @property
    def label(self) -> str:
        """Placeholder text shown while the fact is unknown."""
        return self.name.replace("_", " ")


@dataclass(frozen=True)
class NoteKind:
    """Something recorded during a call (rep name, reference number, ...)."""

    name: str
    label: str
    command: str
    type: str = "text"  # text, money (amount, monthly, months, date read) or date
    by: str = ""  # money notes: "them" (their offer, unless the text says mine) or "user"
    facts: tuple[tuple[str, str], ...] = ()  # (record field, fact): an agreement becomes the case's facts


@dataclass(frozen=True)
class Choice:
    """One option at a node; ``when`` is a condition over facts."""

    id: str
    label: str
    target: str
    when: str | None = None
    sets: tuple[tuple[str, Any], ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Branch:
    """One arm of an automatic ``next``: taken when ``condition`` holds (None = else)."""

    condition: str | None
    target: str
    line: int = 0


@dataclass
class Node:
    """A step of the conversation. ``qid`` is ``stage.id``, unique in the playbook."""

    stage: str
    id: str
    path: str
    line: int
    title: str = ""
    coach: str = ""
    say: dict[str, str] = field(default_factory=dict)
    warn: str = ""
    ask: str | None = None
    capture: tuple[str, ...] = ()
    choices: list[Choice] = field(default_factory=list)
    branches: list[Branch] = field(default_factory=list)
    end: bool = False
    sources: tuple[str, ...] = ()

    @property
    def qid(self) -> str:
        return f"{self.stage}.{self.id}"

    def phrase_source(self, counterpart: str) -> tuple[str, str] | None:
        """The variant key and template text to say to this counterpart, if any."""
        if counterpart in self.say:
            return counterpart, self.say[counterpart]
        if DEFAULT_VARIANT in self.say:
            return DEFAULT_VARIANT, self.say[DEFAULT_VARIANT]
        return None

    def targets(self) -> list[str]:
        return [c.target for c in self.choices] + [b.target for b in self.branches]


@dataclass
class Playbook:
    """Everything the coach knows, validated. Built only by :func:`load_playbook`."""

    stages: list[str]
    stage_titles: dict[str, str]
    counterparts: list[str]
    start: str
    call_start: (
        str  # where a call opens: every node before it belongs to prepare, the only place facts are asked
    )
    facts: dict[str, FactSpec]
    derived: dict[str, str]
    notes: dict[str, NoteKind]
    nodes: dict[str, Node]
    files: list[str]

    def nodes_in(self, stage: str) -> list[Node]:
        return [node for node in self.nodes.values() if node.stage == stage]

    def phrase_count(self) -> int:
        return sum(len(node.say) for node in self.nodes.values())

    def summary(self) -> str:
        per_stage = ", ".join(f"{stage} {len(self.nodes_in(stage))}" for stage in self.stages)
        return (
            f"{len(self.stages)} stages, {len(self.nodes)} nodes ({per_stage}), "
            f"{self.phrase_count()} phrases, {len(self.facts)} facts: OK"
        )


class PlaybookProblems(CoachError):
    """Raised when a playbook has problems; ``problems`` holds every one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = str(problems[0]) if problems else "no problems"
        more = f" (and {len(problems) - 1} more; run 'coach check')" if len(problems) > 1 else ""
        super().__init__(f"{first}{more}")

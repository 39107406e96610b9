"""What the rehearsal files' readers share: one problems list, the names other files own, and the basic checks.

The readers of ``personas.yaml`` (coach.rehearsal.personas) and ``scorecard.yaml``
(coach.rehearsal.scorecard_file) both check keys, texts, regex patterns and
partner-line templates the same way, and both need the counterparts, note kinds,
facts and intents that the playbook and the hearing declare. That lives here,
once, so each reader holds only its own file's rules.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError

from coach.dialogue import render
from coach.dialogue.problems import Problem, Problems, YamlProblem
from coach.dialogue.yamlload import LineDict, LineList, line_of, load_yaml
from coach.errors import CoachError

SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")  # situation, fact and meaning names
KEBAB = re.compile(r"^[a-z][a-z0-9-]*$")  # persona and scorecard item ids


def listed(names: Any) -> str:
    """The names sorted and joined, for a message's ``(known: ...)``."""
    return ", ".join(sorted(names))


class RehearsalReader:
    """What the readers of one folder's rehearsal files share: the problems found, with path and line,
    the names other files declare, and the checks of keys, texts, patterns and templates."""

    def __init__(self, folder: Path, cross_check: bool = True) -> None:
        self.folder = folder
        self.problems = Problems()
        self.path = ""
        self.counterparts, notes, facts = _playbook_names(folder.parent)
        # Names owned by other files (facts, note kinds, hearing's intents) are checked by
        # `coach check` only, so another file's change never stops a rehearsal from loading.
        self.notes, self.facts = (notes, facts) if cross_check else (None, None)
        self.intents = _known_intents() if cross_check else frozenset()

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def load(self, name: str) -> LineDict | None:
        path = self.folder / name
        self.path = str(path)
        if not path.is_file():
            self.problem(1, f"missing file {name}")
            return None
        try:
            data = load_yaml(path)
        except YamlProblem as error:
            self.problems.append(error.problem)
            return None
        if not isinstance(data, LineDict):
            self.problem(1, "expected a mapping at the top of the file")
            return None
        return data

    def keys(self, mapping: LineDict, allowed: set[str], label: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.problem(
                    line_of(mapping, key), f"{label}unknown key '{key}' (allowed: {listed(allowed)})"
                )

    def mapping(self, parent: LineDict, key: str, label: str, required: bool = True) -> LineDict | None:
        value = parent.get(key)
        if value is None:
            if required:
                self.problem(line_of(parent), f"{label}missing '{key}'")
            return None
        if not isinstance(value, LineDict):
            self.problem(line_of(parent, key), f"{label}'{key}' must be a mapping")
            return None
        return value

    def text(self, parent: LineDict, key: str, label: str) -> str:
        value = parent.get(key)
        if not isinstance(value, str) or not value.strip():
            where = "missing" if key not in parent else "must be text"
            self.problem(line_of(parent, key), f"{label}'{key}' {where}")
            return ""
        return value.strip()

    def regex(self, value: Any, line: int, label: str) -> re.Pattern[str] | None:
        if not isinstance(value, str) or not value:
            self.problem(line, f"{label}a pattern must be text")
            return None
        try:
            return re.compile(value, re.IGNORECASE)
        except re.error as error:
            self.problem(line, f"{label}bad pattern '{value}': {error}")
            return None

    def template(self, source: str, line: int, label: str, names: frozenset[str]) -> None:
        if "{" not in source:
            return
        try:
            tree = render.parse(source)
        except TemplateSyntaxError as error:
            self.problem(line, f"{label}template error: {error.message}")
            return
        used, problems = render.undeclared_problems(tree)
        for message in problems:
            self.problem(line, f"{label}template error: {message}")
        for name in sorted(used - names):
            self.problem(line, f"{label}unknown name '{name}' (known: {listed(names)})")

    def known_value(self, name: str) -> bool:
        from coach.money.derive import DERIVED

        if not SNAKE.match(name):
            return False
        return self.facts is None or name in self.facts or name in DERIVED


def _playbook_names(folder: Path) -> tuple[tuple[str, ...], set[str] | None, set[str] | None]:
    """Counterparts, note kinds and fact names declared in the playbook files beside the folder.

    None for what no file there declares (a test fixture folder), so it is not checked.
    """
    from coach.dialogue import counterparts as declared

    counterparts: tuple[str, ...] = declared.keys()  # the shipped ones, unless the folder declares its own
    notes: set[str] | None = None
    facts: set[str] | None = None
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    for path in files:
        try:
            document = load_yaml(path)
        except YamlProblem:
            continue  # the playbook checker reports that file's own problems
        if not isinstance(document, LineDict):
            continue
        block = document.get("playbook")
        if isinstance(block, LineDict):
            if isinstance(block.get("counterparts"), LineList) and block["counterparts"]:
                counterparts = tuple(str(c) for c in block["counterparts"])
            if isinstance(block.get("notes"), LineDict):
                notes = set(block["notes"])
        if isinstance(document.get("counterparts"), LineDict) and document["counterparts"]:
            counterparts = tuple(str(c) for c in document["counterparts"])  # counterparts.yaml
        if isinstance(document.get("facts"), LineDict) and "stage" not in document:
            facts = (facts or set()) | set(document["facts"])
            if isinstance(document.get("derived"), LineDict):
                facts |= set(document["derived"])
    return counterparts, notes, facts


def _known_intents() -> frozenset[str]:
    try:
        from coach.hearing.patterns import INTENTS
    except ImportError:  # hearing is not part of this build: intents are not checked
        return frozenset()
    try:
        from coach.hearing.patterns import load_intents

        return frozenset(INTENTS) | frozenset(load_intents().intents)  # with the extra intents files
    except CoachError:  # a broken intents file: coach check reports it there
        return frozenset(INTENTS)

"""Letters: Jinja2 templates in ``dialogues/letters/`` filled from a case and a call.

A letter is never printed with blanks: every fact it ``needs`` (from
``letters.yaml``) must be known, or the error lists exactly what to set. The
templates are the authors'; the user's facts are data handed to the sandboxed
environment, never compiled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from coach.derive import DERIVED
from coach.errors import CoachError
from coach.paths import dialogues_dir
from coach.playbook import Playbook
from coach.render import FILTERS, Missing
from coach.review import CallReview
from coach.yamlload import LineDict, YamlProblem, load_yaml


@dataclass(frozen=True)
class LetterKind:
    """One kind of letter: its title, when to use it, and the facts it cannot do without."""

    name: str
    title: str
    when: str
    needs: tuple[str, ...]
    sources: tuple[str, ...]


def letters_dir() -> Path:
    return dialogues_dir() / "letters"


@lru_cache(maxsize=4)
def letter_kinds(folder: Path | None = None) -> dict[str, LetterKind]:
    """The index of letters, from letters.yaml."""
    path = (folder or letters_dir()) / "letters.yaml"
    try:
        document = load_yaml(path)
    except YamlProblem as error:
        raise CoachError(str(error.problem)) from None
    if not isinstance(document, LineDict) or not isinstance(document.get("letters"), LineDict):
        raise CoachError(f"{path}:1: expected 'letters:' mapping")
    kinds = {}
    for name, spec in document["letters"].items():
        kinds[name] = LetterKind(
            name=name,
            title=str(spec["title"]),
            when=str(spec["when"]),
            needs=tuple(spec.get("needs", [])),
            sources=tuple(spec.get("sources", [])),
        )
    return kinds


@lru_cache(maxsize=4)
def _environment(folder: Path) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(folder)),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


def letter_context(
    playbook: Playbook,
    facts: dict[str, Any],
    counterpart: str,
    review: CallReview | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """What a letter template sees: every declared fact, derived values, and the call's capture fields."""
    context: dict[str, Any] = {
        name: facts.get(name, Missing(spec.label)) for name, spec in playbook.facts.items()
    }
    for name in playbook.derived:
        value = DERIVED[name](facts, counterpart)
        context[name] = Missing(name) if value is None else value
    captured = review.captured if review else {}
    context.update(
        today=today or dt.date.today(),
        counterpart=counterpart,
        references=captured.get("reference", []),
        offers=captured.get("offer", []),
        promises=captured.get("promise", []),
        deadlines=captured.get("deadline", []),
        rep_name=(captured.get("rep_name") or [""])[0],
        rep_id=(captured.get("rep_id") or [""])[0],
        call_date=dt.datetime.fromisoformat(review.call.started).date() if review else None,
    )
    return context


def missing_facts(kind: LetterKind, facts: dict[str, Any]) -> list[str]:
    return [name for name in kind.needs if name not in facts or facts[name] in ("", None)]


def write_letter(
    name: str,
    playbook: Playbook,
    facts: dict[str, Any],
    counterpart: str,
    review: CallReview | None = None,
    case_id: int | None = None,
    today: dt.date | None = None,
) -> str:
    """The letter's text; CoachError naming every missing fact if any is unknown."""
    kinds = letter_kinds()
    kind = kinds.get(name)
    if kind is None:
        raise CoachError(f"no letter kind '{name}' (kinds: {', '.join(kinds)})")
    missing = missing_facts(kind, facts)
    if missing:
        how = f"coach case edit {case_id} --set NAME=VALUE" if case_id else "--set NAME=VALUE or a case"
        raise CoachError(f"letter {name} needs: {', '.join(missing)} (set with: {how})")
    env = _environment(letters_dir())
    text = env.get_template(f"{name}.txt.j2").render(
        letter_context(playbook, facts, counterpart, review, today)
    )
    return "\n".join(line.rstrip() for line in text.strip().splitlines()) + "\n"

"""Letters: Jinja2 templates in ``dialogues/letters/`` filled from a case and a call.

A letter is never printed with blanks: every fact it ``needs`` (from
``letters.yaml``) must be known, or the error lists exactly what to set. The
templates are the authors'; the user's facts are data handed to coach's one
sandboxed environment (``coach.render``), never compiled, so a name typed as
``{{ 7*7 }}`` is printed as typed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from coach.derive import DERIVED
from coach.errors import CoachError
from coach.paths import dialogues_dir
from coach.playbook import Playbook
from coach.render import Missing, environment
from coach.review import CallReview
from coach.yamlload import LineDict, YamlProblem, line_of, load_yaml


@dataclass(frozen=True)
class LetterKind:
    """One kind of letter: its title, when to use it, and what it cannot do without.

    ``needs``: facts that must all be known; ``needs_one_of``: at least one of
    these (e.g. a settlement amount or a monthly payment to confirm);
    ``needs_call``: the letter is about one call (its rep, references, promises).
    """

    name: str
    title: str
    when: str
    needs: tuple[str, ...]
    needs_one_of: tuple[str, ...]
    needs_call: bool
    sources: tuple[str, ...]


def letters_dir() -> Path:
    return dialogues_dir() / "letters"


@lru_cache(maxsize=4)
def letter_kinds(folder: Path | None = None) -> dict[str, LetterKind]:
    """The index of letters, from letters.yaml (author mistakes reported as path:line)."""
    path = (folder or letters_dir()) / "letters.yaml"
    try:
        document = load_yaml(path)
    except YamlProblem as error:
        raise CoachError(str(error.problem)) from None
    if not isinstance(document, LineDict) or not isinstance(document.get("letters"), LineDict):
        raise CoachError(f"{path}:1: expected a 'letters:' mapping")
    kinds = {}
    for name, spec in document["letters"].items():
        where = f"{path}:{line_of(document['letters'], name)}: letter {name}"
        if not isinstance(spec, LineDict) or not all(isinstance(spec.get(k), str) for k in ("title", "when")):
            raise CoachError(f"{where}: needs 'title' and 'when' as text")
        lists = {key: spec.get(key, []) for key in ("needs", "needs_one_of", "sources")}
        for key, value in lists.items():
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                raise CoachError(f"{where}: '{key}' must be a list of names")
        kinds[name] = LetterKind(
            name=name,
            title=spec["title"],
            when=spec["when"],
            needs=tuple(lists["needs"]),
            needs_one_of=tuple(lists["needs_one_of"]),
            needs_call=spec.get("needs_call") is True,
            sources=tuple(lists["sources"]),
        )
    return kinds


@lru_cache(maxsize=4)
def _environment(folder: Path) -> SandboxedEnvironment:
    """coach.render's sandboxed environment (same filters, StrictUndefined), reading files from ``folder``."""
    overlay = environment().overlay(
        loader=FileSystemLoader(str(folder)), trim_blocks=True, keep_trailing_newline=True
    )
    assert isinstance(overlay, SandboxedEnvironment)  # overlays keep the sandbox's class
    return overlay


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def letter_context(
    playbook: Playbook,
    facts: dict[str, Any],
    counterpart: str,
    review: CallReview | None = None,
    today: dt.date | None = None,
    references: list[str] | None = None,
) -> dict[str, Any]:
    """What a letter template sees: every declared fact, derived values, and the call's capture fields.

    ``references``: reference numbers from the case's other calls; every one is
    printed, with the call's own first.
    """
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
        references=_unique(captured.get("reference", []) + (references or [])),
        offers=captured.get("offer", []),
        promises=captured.get("promise", []),
        deadlines=captured.get("deadline", []),
        rep_name=(captured.get("rep_name") or [""])[0],
        rep_id=(captured.get("rep_id") or [""])[0],
        call_date=dt.datetime.fromisoformat(review.call.started).astimezone().date() if review else None,
    )
    return context


def missing_facts(kind: LetterKind, facts: dict[str, Any]) -> list[str]:
    """What the letter still needs, as the names to set (alternatives joined with 'or')."""

    def known(name: str) -> bool:
        return facts.get(name) not in ("", None)

    missing = [name for name in kind.needs if not known(name)]
    if kind.needs_one_of and not any(known(name) for name in kind.needs_one_of):
        missing.append(" or ".join(kind.needs_one_of))
    return missing


def write_letter(
    name: str,
    playbook: Playbook,
    facts: dict[str, Any],
    counterpart: str,
    review: CallReview | None = None,
    case_id: int | None = None,
    today: dt.date | None = None,
    references: list[str] | None = None,
) -> str:
    """The letter's text; CoachError naming every missing fact if any is unknown."""
    kinds = letter_kinds()
    kind = kinds.get(name)
    if kind is None:
        raise CoachError(f"no letter kind '{name}' (kinds: {', '.join(kinds)})")
    missing = missing_facts(kind, facts)
    if missing:
        how = f"coach case edit {case_id} --set name=value" if case_id else "--set name=value, or --case ID"
        raise CoachError(f"letter {name} needs: {', '.join(missing)} (set with: {how})")
    if kind.needs_call and review is None:
        raise CoachError(f"letter {name} is about one call: add --call ID (see coach review --list)")
    try:
        template = _environment(letters_dir()).get_template(f"{name}.txt.j2")
        text = template.render(letter_context(playbook, facts, counterpart, review, today, references))
    except TemplateError as error:  # an author's mistake in a shipped template, not the user's
        raise CoachError(f"{letters_dir() / (name + '.txt.j2')}: {error}") from None
    return "\n".join(line.rstrip() for line in text.strip().splitlines()) + "\n"

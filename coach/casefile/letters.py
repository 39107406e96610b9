"""Letters: Jinja2 templates in ``dialogues/letters/`` filled from a case and a call.

A letter is never printed with blanks: every fact it ``needs`` (from
``letters.yaml``) must be known, or the error lists exactly what to set. The
templates are the authors'; the user's facts are data handed to coach's one
sandboxed environment (``coach.dialogue.render``), never compiled, so a name typed as
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

from coach.casefile.review import CallReview
from coach.dialogue import counterparts
from coach.dialogue.playbook import check_sources
from coach.dialogue.problems import Problems
from coach.dialogue.render import Missing, environment
from coach.dialogue.schema import Playbook
from coach.dialogue.sources import public_source_problems
from coach.dialogue.yamlload import LineDict, line_of, load_or_report
from coach.errors import CoachError
from coach.money.derive import DERIVED
from coach.paths import dialogues_dir

RECIPIENTS = ("creditor", "original_creditor", "insurer")


@dataclass(frozen=True)
class LetterKind:
    """One kind of letter: its title, when to use it, and what it cannot do without.

    ``needs``: facts that must all be known; ``needs_one_of``: at least one of
    these (e.g. a settlement amount or a monthly payment to confirm);
    ``needs_call``: the letter is about one call (its rep, references, promises);
    ``to``: who it goes to: ``creditor`` (whoever is asking for payment) or
    ``original_creditor`` (the hospital or practice, even when a collector has
    the account: only it can grant assistance or itemize its own charges);
    ``warn_old_debt``: the letter states amounts or promises, so ``coach
    letter`` warns before it is sent on an old debt.
    """

    name: str
    title: str
    when: str
    needs: tuple[str, ...]
    needs_one_of: tuple[str, ...]
    needs_call: bool
    sources: tuple[str, ...]
    to: str = "creditor"
    warn_old_debt: bool = False
    counterparts: tuple[str, ...] = ()  # who it belongs to (``for:``); empty: every counterpart

    def applies_to(self, counterpart: str) -> bool:
        return not self.counterparts or counterpart in self.counterparts


def letters_dir() -> Path:
    return dialogues_dir() / "letters"


def read_letter_kinds(
    path: Path, problems: Problems, known_counterparts: list[str] | None = None
) -> dict[str, LetterKind]:
    """The index of letters from letters.yaml; every author mistake added to ``problems``.

    ``known_counterparts``: the declared ones, so a letter ``for:`` any other is reported.
    """
    document = load_or_report(path, problems)
    if document is None:
        return {}
    if not isinstance(document, LineDict) or not isinstance(document.get("letters"), LineDict):
        problems.add(path, line_of(document), "expected a 'letters:' mapping")
        return {}
    kinds = {}
    for name, spec in document["letters"].items():
        line = line_of(document["letters"], name)
        where = f"letter {name}"
        if not isinstance(spec, LineDict) or not all(isinstance(spec.get(k), str) for k in ("title", "when")):
            problems.add(path, line, f"{where}: needs 'title' and 'when' as text")
            continue
        for key in spec:
            if key not in LETTER_KEYS:
                problems.add(path, line_of(spec, key), f"{where}: unknown key '{key}'")
        lists = {key: spec.get(key, []) for key in ("needs", "needs_one_of", "sources", "for")}
        for key, value in lists.items():
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                problems.add(path, line_of(spec, key), f"{where}: '{key}' must be a list of names")
                lists[key] = []
        found, source_problems = check_sources(lists["sources"], where) if lists["sources"] else ((), [])
        source_problems += public_source_problems(found, where)
        for message in source_problems:
            problems.add(path, line_of(spec, "sources"), message)
        if not lists["sources"]:
            problems.add(path, line, f"{where}: needs 'sources' (the public rules it relies on)")
        for who in lists["for"]:
            if known_counterparts is not None and who not in known_counterparts:
                problems.add(
                    path, line_of(spec, "for"), f"{where}: 'for' names undeclared counterpart '{who}'"
                )
        to = spec.get("to", "creditor")
        if to not in RECIPIENTS:
            problems.add(path, line_of(spec, "to"), f"{where}: 'to' must be one of {', '.join(RECIPIENTS)}")
            to = "creditor"
        for key in ("needs_call", "warn_old_debt"):
            if key in spec and not isinstance(spec[key], bool):
                problems.add(path, line_of(spec, key), f"{where}: '{key}' must be true or false")
        kinds[name] = LetterKind(
            name=name,
            title=spec["title"],
            when=spec["when"],
            needs=tuple(lists["needs"]),
            needs_one_of=tuple(lists["needs_one_of"]),
            needs_call=spec.get("needs_call") is True,
            sources=tuple(found),
            to=str(to),
            warn_old_debt=spec.get("warn_old_debt") is True,
            counterparts=tuple(lists["for"]),
        )
    return kinds


LETTER_KEYS = {
    "title",
    "when",
    "needs",
    "needs_one_of",
    "needs_call",
    "sources",
    "to",
    "warn_old_debt",
    "for",
}


@lru_cache(maxsize=4)
def letter_kinds(folder: Path | None = None) -> dict[str, LetterKind]:
    """The index of letters (CoachError with the first path:line problem, if any)."""
    problems = Problems()
    kinds = read_letter_kinds((folder or letters_dir()) / "letters.yaml", problems)
    if problems:
        raise CoachError(str(problems.items[0]))
    return kinds


@lru_cache(maxsize=4)
def _environment(folder: Path) -> SandboxedEnvironment:
    """coach.dialogue.render's sandboxed environment (same filters, StrictUndefined), reading files from ``folder``."""
    overlay = environment().overlay(
        loader=FileSystemLoader(str(folder)), trim_blocks=True, keep_trailing_newline=True
    )
    assert isinstance(overlay, SandboxedEnvironment)  # overlays keep the sandbox's class
    return overlay


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def facts_with_call(facts: dict[str, Any], review: CallReview | None) -> dict[str, Any]:
    """The case's facts, with what the call agreed filling any the case lacks.

    An agreement recorded in the call (``/agreed 900 by 12/15``) becomes
    ``settlement_amount`` (or ``plan_monthly``/``plan_payments`` for a monthly one)
    and ``payment_due_date``, so a confirmation needs no ``--set`` after a call.
    Facts the case already has win: the user may have corrected them since.
    """
    merged = dict(facts)
    agreed = review.agreed if review else None
    if agreed is None:
        return merged

    def fill(name: str, value: Any) -> None:
        if value is not None and merged.get(name) in (None, ""):
            merged[name] = value

    if agreed.monthly:
        if merged.get("settlement_amount") in (None, ""):
            fill("plan_monthly", agreed.amount)
            fill("plan_payments", agreed.months)
    elif merged.get("plan_monthly") in (None, ""):
        fill("settlement_amount", agreed.amount)
    fill("payment_due_date", agreed.due)
    return merged


def recipient(kind: LetterKind, facts: dict[str, Any], counterpart: str) -> tuple[str, Any, Any]:
    """Who the letter goes to: (which fact names them, their name, their address)."""
    if kind.to == "insurer":
        return "insurer_name", facts.get("insurer_name"), facts.get("insurer_address")
    if kind.to == "original_creditor" and counterparts.has(counterpart, "debt-collector"):
        return "original_creditor", facts.get("original_creditor"), facts.get("original_creditor_address")
    return "creditor", facts.get("creditor"), facts.get("creditor_address")


# What a template sees besides the facts and derived values (see letter_context).
CONTEXT_NAMES = (
    "today",
    "counterpart",
    "references",
    "offers",
    "their_offers",
    "my_offers",
    "agreed",
    "promises",
    "deadlines",
    "rep_name",
    "rep_id",
    "call_date",
    "recipient",
    "recipient_address",
    "to_original",
    "time_limit_risk",
    "validation_passed",
)


def letter_context(
    playbook: Playbook,
    facts: dict[str, Any],
    counterpart: str,
    review: CallReview | None = None,
    today: dt.date | None = None,
    references: list[str] | None = None,
    kind: LetterKind | None = None,
) -> dict[str, Any]:
    """What a letter template sees: every declared fact, derived values, and the call's capture fields.

    ``references``: reference numbers from the case's other calls; every one is
    printed, with the call's own first. ``recipient``/``recipient_address``: who
    the letter goes to (see :func:`recipient`); ``time_limit_risk``: the debt is
    old or its age unknown, so a letter naming amounts says it is no acknowledgment.
    """
    context: dict[str, Any] = {
        name: facts.get(name, Missing(spec.label)) for name, spec in playbook.facts.items()
    }
    for name in playbook.derived:
        value = DERIVED[name](facts, counterpart)
        context[name] = Missing(name) if value is None else value
    captured = review.captured if review else {}
    today = today or dt.date.today()
    to, name, address = recipient(kind or LetterKind("", "", "", (), (), False, ()), facts, counterpart)
    validation_end = DERIVED["validation_end"](facts, counterpart)
    context.update(
        today=today,
        counterpart=counterpart,
        references=_unique(captured.get("reference", []) + (references or [])),
        offers=captured.get("offer", []) + captured.get("counter", []),
        their_offers=[offer.describe() for offer in review.offers_by("them")] if review else [],
        my_offers=[offer.describe() for offer in review.offers_by("user")] if review else [],
        agreed=review.agreed.describe() if review and review.agreed else "",
        promises=captured.get("promise", []),
        deadlines=captured.get("deadline", []),
        rep_name=(captured.get("rep_name") or [""])[0],
        rep_id=(captured.get("rep_id") or [""])[0],
        call_date=dt.datetime.fromisoformat(review.call.started).astimezone().date() if review else None,
        recipient=name if name not in (None, "") else Missing(to.replace("_", " ")),
        recipient_address=address or "",
        to_original=to == "original_creditor",
        time_limit_risk=DERIVED["old_debt"](facts, counterpart) is not False,
        validation_passed=isinstance(validation_end, dt.date) and today > validation_end,
    )
    return context


def missing_facts(kind: LetterKind, facts: dict[str, Any], counterpart: str = "") -> list[str]:
    """What the letter still needs, as the names to set (alternatives joined with 'or')."""

    def known(name: str) -> bool:
        return facts.get(name) not in ("", None)

    needs = list(kind.needs)
    to, _, _ = recipient(kind, facts, counterpart)
    if to not in needs:
        needs.append(to)
    missing = [name for name in needs if not known(name)]
    if kind.needs_one_of and not any(known(name) for name in kind.needs_one_of):
        missing.append(" or ".join(kind.needs_one_of))
    return missing


def letter_warnings(name: str, facts: dict[str, Any], counterpart: str) -> list[str]:
    """Warnings to show before this letter is sent (on stderr: the letter itself stays clean)."""
    kind = letter_kinds().get(name)
    warnings = []
    if kind is not None and kind.warn_old_debt and DERIVED["old_debt"](facts, counterpart):
        age = DERIVED["debt_age_years"](facts, counterpart)
        warnings.append(
            f"warning: this debt is about {age} years old. In many states a payment or a written "
            "promise to pay can restart the time limit for a lawsuit. Check your state's time limit "
            "before you send this or pay anything (the letter says it is not an acknowledgment, "
            "which may not be enough everywhere)."
        )
    if name == "credit-dispute" and _has_state_ban(facts):
        warnings.append(
            "note: your state bars reporting medical debt, but the CFPB said in October 2025 "
            "(90 FR 48710, not binding on courts) that federal law preempts such state bans, and "
            "Colorado's is being challenged in court. The bureau may rely on that; the other grounds "
            "in the letter still stand."
        )
    return warnings


def _has_state_ban(facts: dict[str, Any]) -> bool:
    """Whether the letters' state-law sentence has anything to say for the user's state."""
    state = facts.get("state")
    if not isinstance(state, str):
        return False
    template = _environment(letters_dir()).get_template("_state_reporting_law.txt.j2")
    return bool(template.render(state=state).strip())


class MissingFacts(CoachError):
    """A letter that cannot be written yet: the facts it still needs, by name (alternatives joined
    with 'or'). How to set them is each front end's to say (the command line: ``--set``)."""

    def __init__(self, letter: str, missing: list[str], case_id: int | None) -> None:
        super().__init__(f"letter {letter} needs: {', '.join(missing)}")
        self.letter, self.missing, self.case_id = letter, missing, case_id


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
    facts = facts_with_call(facts, review)
    missing = missing_facts(kind, facts, counterpart)
    if missing:
        raise MissingFacts(name, missing, case_id)
    if kind.needs_call and review is None:
        raise CoachError(f"letter {name} is about one call: add --call ID (see coach review --list)")
    try:
        template = _environment(letters_dir()).get_template(f"{name}.txt.j2")
        text = template.render(letter_context(playbook, facts, counterpart, review, today, references, kind))
    except TemplateError as error:  # an author's mistake in a shipped template, not the user's
        raise CoachError(f"{letters_dir() / (name + '.txt.j2')}: {error}") from None
    return "\n".join(line.rstrip() for line in text.strip().splitlines()) + "\n"

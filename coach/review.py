"""A call, summed up from its events: timeline, capture fields, outcome and next steps.

Review reads only stored events (the text as it was shown), never the YAML, so a
review stays true after the dialogue files change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from coach.events import Event
from coach.store import CallRecord, CaseRecord, Store


@lru_cache(maxsize=1)
def note_labels() -> dict[str, str]:
    """Labels of note kinds, from the playbook (the one place they are written)."""
    from coach.paths import dialogues_dir
    from coach.playbook import PlaybookProblems, load_playbook

    try:
        return {kind: note.label for kind, note in load_playbook([dialogues_dir()]).notes.items()}
    except PlaybookProblems:
        return {}


def note_label(kind: str) -> str:
    return note_labels().get(kind, kind.replace("_", " ").capitalize())


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the timeline: when, who or what, and the words."""

    time: str
    who: str
    text: str
    kind: str


@dataclass
class CallReview:
    """Everything review, export and letters need about one call."""

    call: CallRecord
    case: CaseRecord | None
    timeline: list[TimelineEntry] = field(default_factory=list)
    captured: dict[str, list[str]] = field(default_factory=dict)
    heard: list[str] = field(default_factory=list)
    facts_changed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    reached: str = ""
    outcome: str = ""
    score: str = ""
    next_steps: list[str] = field(default_factory=list)
    deadlines: list[str] = field(default_factory=list)

    def first(self, kind: str) -> str:
        """The first captured value of a kind (e.g. the rep's name), or ''."""
        values = self.captured.get(kind, [])
        return values[0] if values else ""


def _note_text(event: Event) -> str:
    """A note as recorded; money notes shown as amounts ($1,200.00)."""
    amount = event.data.get("amount")
    if amount is not None:
        from decimal import Decimal

        from coach.money import format_money

        return format_money(Decimal(str(amount)))
    return event.text


def _who(event: Event) -> tuple[str, str]:
    data = event.data
    match event.kind:
        case "start":
            return "call", f"{data.get('mode', '')} call with {data.get('counterpart', '')} started"
        case "shown":
            return ("say", event.text) if event.text else ("coach", str(data.get("coach", "")))
        case "step":
            return "you chose", event.text
        case "heard":
            who = "partner" if data.get("by") == "partner" else "they said"
            return who, event.text
        case "note":
            return note_label(str(data.get("kind", "note"))), _note_text(event)
        case "fact":
            return "fact", f"{data.get('name')}: {event.text}"
        case "undo":
            return "undo", f"went back to {data.get('to', '')}"
        case "warning":
            return "warning", event.text
        case "end":
            return "call", f"ended ({event.text})"
        case "score":
            return "scorecard", event.text
    return event.kind, event.text


def build_review(events: list[Event], call: CallRecord, case: CaseRecord | None) -> CallReview:
    """Fold a call's events into a review."""
    review = CallReview(call=call, case=case)
    for event in events:
        who, text = _who(event)
        if not text:
            continue
        review.timeline.append(
            TimelineEntry(event.at.astimezone().strftime("%H:%M:%S"), who, text, event.kind)
        )
        if event.kind == "note":
            review.captured.setdefault(str(event.data.get("kind", "note")), []).append(_note_text(event))
        elif event.kind == "heard":
            review.heard.append(event.text)
        elif event.kind == "fact":
            review.facts_changed.append(text)
        elif event.kind == "warning" or (event.kind == "shown" and event.data.get("warn")):
            warning = event.text if event.kind == "warning" else str(event.data["warn"])
            if warning not in review.warnings:
                review.warnings.append(warning)
        elif event.kind == "score":
            review.score = event.text
    if events:
        review.reached = events[-1].node
        review.outcome = call.outcome or ("in progress" if call.ended is None else "")
    review.next_steps = next_steps(review)
    return review


def next_steps(review: CallReview) -> list[str]:
    """What to do after this call, from what was captured."""
    steps = [
        "Send a written summary of the call within a day: coach letter call-summary --call "
        f"{review.call.id}" + (f" --case {review.case.id}" if review.case else "")
    ]
    for promise in review.captured.get("promise", []):
        steps.append(f"Follow up on their promise: {promise}")
    for deadline in review.captured.get("deadline", []):
        steps.append(f"Mark the deadline: {deadline}")
    if review.captured.get("offer"):
        steps.append("Pay nothing until the agreed terms arrive in writing: coach letter confirmation")
    if review.call.counterpart == "collections":
        steps.append(
            "If you have not yet, dispute in writing within the validation period: coach letter validation"
        )
    if not review.captured.get("reference"):
        steps.append("No reference number was recorded: ask for one on your next call")
    steps.append(
        "See every date that matters: coach deadlines" + (f" --case {review.case.id}" if review.case else "")
    )
    return steps


def load_review(store: Store, call_id: int) -> CallReview:
    """The review of a stored call, with the case's dates that matter."""
    call = store.call(call_id)
    case = store.case(call.case_id) if call.case_id is not None else None
    events = store.events(call_id)
    review = build_review(events, call, case)
    if case is not None:
        review.deadlines = case_dates(case, [(call_id, events)], call.counterpart)
    return review


def case_dates(case: CaseRecord, calls: list[tuple[int, list[Event]]], counterpart: str) -> list[str]:
    """The case's deadlines as lines: date, what, and where the rule comes from."""
    import datetime as dt

    from coach.deadlines import case_deadlines
    from coach.paths import dialogues_dir
    from coach.playbook import PlaybookProblems, facts_from_json, load_playbook

    try:
        facts = facts_from_json(case.facts, load_playbook([dialogues_dir()]))
    except PlaybookProblems:
        return []
    found = case_deadlines(facts, case.counterpart or counterpart, calls, dt.date.today())
    return [f"{d.due:%b %d, %Y}: {d.what}" if d.due else f"(no date): {d.what}" for d in found]


def as_dict(review: CallReview) -> dict[str, Any]:
    """A JSON-ready dict (for `--format json`)."""
    return {
        "call": {
            "id": review.call.id,
            "mode": review.call.mode,
            "counterpart": review.call.counterpart,
            "started": review.call.started,
            "ended": review.call.ended,
            "outcome": review.outcome,
        },
        "case": {"id": review.case.id, "label": review.case.label} if review.case else None,
        "captured": review.captured,
        "heard": review.heard,
        "facts_changed": review.facts_changed,
        "warnings": review.warnings,
        "reached": review.reached,
        "score": review.score,
        "next_steps": review.next_steps,
        "deadlines": review.deadlines,
        "timeline": [{"time": t.time, "who": t.who, "text": t.text, "kind": t.kind} for t in review.timeline],
    }

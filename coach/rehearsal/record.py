"""A call's events read for the rehearsal: the path, the user's words, and their offers.

Shared by the partner (what is new since it last spoke) and the scorecard. A
step or fact change later undone does not count; notes and lines stay (they
were said). The user's words are ``said`` events (and, in calls recorded before
those existed, rehearsal lines heard but not from the partner).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from coach.rehearsal.files import PLAN, Personas
from coach.rehearsal.understand import understand
from coach.session.events import Event
from coach.session.payloads import HeardData, NoteData, StartData, StepData, UndoData

# -- reading a call's events (shared by the partner and the scorecard) ----------


@dataclass(frozen=True)
class Offer:
    """An amount the user put forward: ``monthly`` for a payment plan, else a lump sum."""

    seq: int
    amount: Decimal
    monthly: bool
    node: str
    implied: bool = False


@dataclass
class CallRecord:
    """What a call's events say happened, with undone steps left out."""

    mode: str = "live"
    path: list[str] = field(default_factory=list)
    spoken: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    choices: list[str] = field(default_factory=list)
    steps: list[Event] = field(default_factory=list)
    notes: list[Event] = field(default_factory=list)
    heard: list[Event] = field(default_factory=list)
    typed: list[Event] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    asked: set[str] = field(default_factory=set)  # what the user's own lines asked for (understand.yaml)


def read_call(
    events: Sequence[Event], personas: Personas, facts: Mapping[str, Any], counterpart: str
) -> CallRecord:
    """The path, phrases, choices, notes, heard lines and offers of a call.

    A step or fact change that was later undone does not count; notes and heard
    lines stay (they were said). In a rehearsal, a line the user typed (heard, but
    not by the partner) is the user's own words.
    """
    record = CallRecord()
    undone: list[tuple[int, int]] = []
    for event in events:
        payload = event.payload
        if isinstance(payload, UndoData):
            after = payload.undone_after
            undone.append((int(after if after is not None else event.seq), event.seq))
        elif isinstance(payload, StartData):
            record.mode = str(payload.mode if payload.mode is not None else "live")

    def counts(event: Event) -> bool:
        return not any(low < event.seq < high for low, high in undone)

    arrived: dict[str, int] = {}
    offered_at: dict[str, int] = {}  # node -> seq of the last /offer typed there
    for event in events:
        if event.kind == "shown" and counts(event):
            record.path.append(event.node)
            if event.text:
                record.spoken.append(event.node)
                record.phrases.append(event.text)
        elif isinstance(step := event.payload, StepData) and counts(event):
            source = str(step.from_ if step.from_ is not None else event.node)
            target = str(step.to if step.to is not None else "")
            record.steps.append(event)
            record.choices.append(f"{source}:{step.choice if step.choice is not None else ''}")
            implied = _implied_offer(event, source, personas, facts, counterpart)
            if implied is not None and offered_at.get(source, -1) <= arrived.get(source, 0):
                record.offers.append(implied)
            arrived[target] = event.seq
        elif isinstance(note := event.payload, NoteData):
            record.notes.append(event)
            if _users_money(event, record.mode):
                monthly = bool(note.monthly) or personas.situation_of(event.node) == PLAN
                record.offers.append(Offer(event.seq, Decimal(str(note.amount)), monthly, event.node))
                offered_at[event.node] = event.seq
        elif is_user_line(event, record.mode):
            record.typed.append(event)
            meanings, offer = _offer_in_words(event.text, facts, counterpart, event.seq, event.node)
            record.asked |= set(meanings)
            if offer is None and "accept" in meanings:
                offer = _their_number(record.heard, event)  # "deal": they take the partner's number
            if offer is not None:
                record.offers.append(offer)
                offered_at[event.node] = event.seq
        elif event.kind == "heard":
            record.heard.append(event)
    record.offers.sort(key=lambda offer: offer.seq)
    return record


def is_user_line(event: Event, mode: str) -> bool:
    """Words the user said: a ``said`` event, or (calls recorded before ``said`` existed) a
    rehearsal line heard but not from the partner."""
    if event.kind == "said":
        return True
    heard = event.payload
    return isinstance(heard, HeardData) and mode == "rehearse" and heard.by != "partner"


def _users_money(event: Event, mode: str) -> bool:
    """A money note that records the user's own offer: /counter, and in a rehearsal /offer too
    (there the partner records its own offers; a user typing /offer means their number)."""
    note = event.payload
    if not isinstance(note, NoteData) or note.kind not in ("offer", "counter") or not note.amount:
        return False
    return note.by == "user" or mode == "rehearse" or note.by is None


def _offer_in_words(
    text: str, facts: Mapping[str, Any], counterpart: str, seq: int, node: str
) -> tuple[tuple[str, ...], Offer | None]:
    """What a user's own line means, and the offer it makes if any (coach.rehearsal.understand)."""
    balance = facts.get("balance")
    heard = understand(text, counterpart, balance if isinstance(balance, Decimal) else None)
    if heard.monthly is not None:
        return heard.meanings, Offer(seq, heard.monthly, True, node)
    if heard.amount is not None:
        return heard.meanings, Offer(seq, heard.amount, False, node)
    return heard.meanings, None


def _their_number(heard: Sequence[Event], said: Event) -> Offer | None:
    """The amount the other side named last before ``said``: saying yes to it offers it."""
    for event in reversed(heard):
        line = event.payload
        monthly, amount = (line.monthly, line.amount) if isinstance(line, HeardData) else (None, None)
        if monthly or amount:
            return Offer(said.seq, Decimal(str(monthly or amount)), bool(monthly), said.node)
    return None


def _implied_offer(
    step: Event, source: str, personas: Personas, facts: Mapping[str, Any], counterpart: str
) -> Offer | None:
    for rule in personas.offers:
        if rule.pattern.search(source):
            value = value_of(rule.name, facts, counterpart)
            if value is None:
                return None
            return Offer(step.seq, value, rule.monthly, source, implied=True)
    return None


def value_of(name: str, facts: Mapping[str, Any], counterpart: str) -> Decimal | None:
    from coach.money.derive import DERIVED

    value = DERIVED[name](facts, counterpart) if name in DERIVED else facts.get(name)
    return value if isinstance(value, Decimal) and value > 0 else None

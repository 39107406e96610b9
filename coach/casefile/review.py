"""A call, summed up from its events: timeline, capture fields, outcome and next steps.

Review reads only stored events (the text as it was shown), never the YAML, so a
review stays true after the dialogue files change.

A little over 500 lines on purpose: the fold of a call's 10,000 stored rows (_fold) keeps with
it what makes it fast and still exact (the time of day a minute at a time, payloads read by key),
next to the review it makes.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import repeat
from typing import Any, NamedTuple

from coach.casefile.actions import Action, Dates, Letter, Namer, Step, Words, parts, worded
from coach.casefile.store import CallRecord, CaseRecord, Store
from coach.dialogue import counterparts
from coach.session.events import Event, decoded, stored_event
from coach.session.payloads import NoteData


@lru_cache(maxsize=1)
def _playbook() -> Any:
    """The shipped playbook, read once for its labels, titles and fact types (not checked in full:
    review only reads it); None if it cannot be read."""
    from coach.dialogue.playbook import read_playbook
    from coach.dialogue.schema import PlaybookProblems
    from coach.paths import dialogues_dir

    try:
        return read_playbook([dialogues_dir()])
    except PlaybookProblems:
        return None


@lru_cache(maxsize=1)
def note_labels() -> dict[str, str]:
    """Labels of note kinds, from the playbook (the one place they are written)."""
    playbook = _playbook()
    return {} if playbook is None else {kind: note.label for kind, note in playbook.notes.items()}


def note_label(kind: str) -> str:
    return note_labels().get(kind, kind.replace("_", " ").capitalize())


@lru_cache(maxsize=1)
def place_titles() -> dict[str, str]:
    """Node and stage titles by id, so a review says "Make a lump-sum offer", never ``propose.lump-sum``."""
    playbook = _playbook()
    if playbook is None:
        return {}
    titles = dict(playbook.stage_titles)
    for qid, node in playbook.nodes.items():
        titles[qid] = node.title or playbook.stage_titles.get(node.stage, "")
    return {key: value for key, value in titles.items() if value}


def place_title(qid: str) -> str:
    """A node id as a person reads it: its title, else its stage's title, else its words."""
    titles = place_titles()
    stage = qid.partition(".")[0]
    if qid in titles:
        return titles[qid]
    if stage in titles:
        return titles[stage]
    return qid.rpartition(".")[2].replace("-", " ").capitalize()


@dataclass(frozen=True)
class MoneyNote:
    """An amount recorded in a call: an offer by either side, or what was agreed.

    ``by`` is "them" or "user" for offers, "" for an agreement; ``due`` is the
    date said with it (for an agreement: when the payment is due).
    """

    kind: str
    amount: Decimal
    by: str = ""
    monthly: bool = False
    months: int | None = None
    due: dt.date | None = None

    def describe(self) -> str:
        """``$75.00 a month for 12 months, by December 15, 2026``."""
        from coach.money.amounts import format_money

        text = format_money(self.amount) + (" a month" if self.monthly else "")
        if self.months:
            text += f" for {self.months} months"
        if self.due:
            text += f", by {self.due:%B} {self.due.day}, {self.due.year}"
        return text


def money_note(event: Event) -> MoneyNote | None:
    """The amount an offer/counter/agreed note carries, or None (old or text-only notes)."""
    return _money(event.data) if isinstance(event.payload, NoteData) else None


def _money(note: Mapping[str, Any]) -> MoneyNote | None:
    """The amount of a note stored as ``note`` (its ``data``: each key read as NoteData reads it)."""
    amount = note.get("amount")
    if amount is None:
        return None
    try:
        amount = Decimal(str(amount))  # as stored: a string, or a number in an old event
    except (ArithmeticError, ValueError):
        return None
    date = note.get("date")
    due = None
    if isinstance(date, str):
        try:
            due = dt.date.fromisoformat(date)
        except ValueError:
            due = None
    months = note.get("months")
    kind = str(note.get("kind") or "")
    by = str(note.get("by") or ("user" if kind == "counter" else "them" if kind == "offer" else ""))
    return MoneyNote(
        kind=kind,
        amount=amount,
        by=by,
        monthly=note.get("monthly") is True,
        months=months if isinstance(months, int) and not isinstance(months, bool) else None,
        due=due,
    )


class TimelineEntry(NamedTuple):
    """One line of the timeline: when, who or what, and the words (a named tuple: a call has 10,000,
    made in one go at the end of _fold)."""

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
    next_steps: list[Step] = field(default_factory=list)
    deadlines: list[Words] = field(default_factory=list)  # a line per date; letters in them as actions
    sides: list[str] = field(default_factory=list)  # the case's other side: the claim, or the bill
    offers: list[MoneyNote] = field(default_factory=list)  # both sides', in the order said
    agreed: MoneyNote | None = None  # the last agreement recorded
    heard_agreement: MoneyNote | None = None  # the last "we accept $N" heard, if none was recorded after it
    reached_id: str = ""  # the node id, for code; ``reached`` is its title, for people

    def offers_by(self, by: str) -> list[MoneyNote]:
        """Offers made by one side ("them" or "user"), in order."""
        return [offer for offer in self.offers if offer.by == by]

    def first(self, kind: str) -> str:
        """The first captured value of a kind (e.g. the rep's name), or ''."""
        values = self.captured.get(kind, [])
        return values[0] if values else ""


def _who(kind: str, text: str, data: Any) -> tuple[str, str]:
    """Who or what an event is, and its words, for the kinds a call has few of (_fold words the
    many, steps, phrases shown, lines heard and notes, itself); ``data``: its payload as stored."""
    match kind:
        case "start":
            return "call", f"{data.get('mode') or ''} call with {data.get('counterpart') or ''} started"
        case "fact":
            return "fact", f"{data.get('name')}: {text}"
        case "undo":
            return "undo", f"went back to {place_title(str(data.get('to') or ''))}"
        case "warning":
            return "warning", text
        case "end":
            return "call", f"ended ({text})" if text else "ended"
        case "score":
            return "scorecard", text
    return kind, text


_AGREEING = ("accepted", "agreement_reached")


def _heard_agreement(heard: Mapping[str, Any]) -> MoneyNote | None:
    """An amount the other side said they accept (hearing's ``accepted``), or None; ``heard``: a
    heard event's data."""
    if heard.get("intent") not in _AGREEING:
        return None
    amount = heard.get("amount")
    if heard.get("by") == "user" or amount is None:
        return None
    try:
        amount = Decimal(str(amount))
    except (ArithmeticError, ValueError):
        return None
    return MoneyNote("agreed", amount) if amount.is_finite() and amount > 0 else None


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_SECOND = dt.timedelta(seconds=1)
_MONEY_KINDS = ("offer", "counter", "agreed")


def _clock(at: dt.datetime) -> str:
    """The local time of day of a moment, to the second (as ``at.astimezone()`` gives it)."""
    local = at.replace(microsecond=0).astimezone()
    return f"{local.hour:02}:{local.minute:02}:{local.second:02}"


def _minute_start(minute: int) -> int | None:
    """The local time of day, in seconds, at the start of a minute (counted from the epoch) whose
    every second is that plus its seconds into the minute, as ``time.localtime`` gives them; None
    if not: the clock changes within it (or a leap second of a ``right/`` zone is in it).

    Its first and last seconds are read; a minute whose ends agree with each other has no clock
    change in it (no time zone has two changes within a minute, one undoing the other)."""
    first, last = time.localtime(minute * 60), time.localtime(minute * 60 + 59)
    start = first.tm_hour * 3600 + first.tm_min * 60 + first.tm_sec
    end = last.tm_hour * 3600 + last.tm_min * 60 + last.tm_sec
    return start if last.tm_gmtoff == first.tm_gmtoff and end == (start + 59) % 86_400 else None


_HOURS = tuple(f"{hour:02}:" for hour in range(24))
_MINUTES_SECONDS = tuple(f"{minute:02}:{second:02}" for minute in range(60) for second in range(60))


_new = tuple.__new__


def _same(value: Any) -> Any:
    return value


Row = tuple[int, Any, str, str, Any]
"""An event as _fold reads it: seq, at, kind, text, data (as stored, or as an Event has them)."""


def build_review(events: list[Event], call: CallRecord, case: CaseRecord | None) -> CallReview:
    """Fold a call's events into a review (load_review folds the stored rows themselves)."""
    review = _fold([(e.seq, e.at, e.kind, e.text, e.data) for e in events], call, case, _same, _same)[0]
    if events:
        _reach(review, events[-1].node)
    return review


def _reach(review: CallReview, node: str) -> None:
    """The node a call reached: its last event's."""
    review.reached_id = node
    review.reached = place_title(node)


def _fold(
    rows: Sequence[Row],
    call: CallRecord,
    case: CaseRecord | None,
    parse: Callable[[Any], dt.datetime],
    decode: Callable[[Any], Any],
) -> tuple[CallReview, list[Row]]:
    """A review of events given as rows, but for the node reached (_reach), and the rows of the call's
    notes that say a date, their ``at`` parsed and ``data`` decoded (for its dates:
    coach.casefile.deadlines reads a call's promise and deadline notes, and nothing else of it).

    ``parse`` makes a row's ``at`` a datetime, ``decode`` its ``data`` the payload dict (for stored
    rows: ``datetime.fromisoformat`` and the JSON decoding of stored_events; else as they are). One
    pass over a call's 10,000 events: each payload the review reads (of the kinds in _READ) decoded
    once and read by key, as its kind's dataclass reads it (coach.session.payloads: a missing key is
    None), never made into that dataclass; the others not decoded at all; and the local time of day
    worked out once per minute (_minute_start). An aware time shows what ``time.localtime`` gives for
    its whole second, which is what ``astimezone()`` computes inside before it makes a time zone
    object and a datetime of it (tests/test_review.py checks them across clock changes)."""
    review = CallReview(call=call, case=case)
    timeline, captured, warnings, heard, offers = (
        review.timeline,
        review.captured,
        review.warnings,
        review.heard,
        review.offers,
    )
    lines: list[tuple[str, str, str, str]] = []  # the timeline's entries, as tuples
    add = lines.append
    clock: dict[int, str] = {}  # local time of day, per whole second since the epoch
    minutes: dict[int, int | None] = {}  # per whole minute since the epoch: see _minute_start
    localtime = time.localtime
    notes: list[Row] = []
    for seq, at, kind, text, data in rows:
        if kind == "step":
            who = "you chose"
        elif kind == "shown":
            data = decode(data)
            if text:
                who = "say"
            else:
                who, text = "coach", str(data.get("coach") or "")
        elif kind == "heard":
            data = decode(data)
            who = "partner" if data.get("by") == "partner" else "they said"
        elif kind == "note":
            data, at = decode(data), parse(at)
            noted = data.get("kind")
            if noted in _DATED_NOTES:
                notes.append((seq, at, kind, text, data))
            noted = str(noted) if noted is not None else "note"
            money = _money(data)
            who = note_label(noted)
            if money is not None:
                text = money.describe()  # money notes as amounts with their terms
        elif kind in _READ:
            who, text = _who(kind, text, decode(data))
        else:
            who, text = _who(kind, text, None)
        if not text:
            continue
        if type(at) is not dt.datetime:
            at = parse(at)
        if at.tzinfo is None:  # no stored event is naive: the general way
            shown_at = _clock(at)
        else:
            second = (at - _EPOCH) // _SECOND
            known = clock.get(second)
            if known is None:
                minute, into = divmod(second, 60)
                start = minutes.get(minute, -1)
                if start == -1:
                    start = minutes[minute] = _minute_start(minute)
                if start is None:  # a clock change in this minute: this second's own
                    tm = localtime(second)
                    known = f"{tm.tm_hour:02}:{tm.tm_min:02}:{tm.tm_sec:02}"
                else:
                    hour, rest = divmod((start + into) % 86_400, 3600)
                    known = _HOURS[hour] + _MINUTES_SECONDS[rest]
                clock[second] = known
            shown_at = known
        add((shown_at, who, text, kind))
        if kind == "step":
            continue
        if kind == "shown":
            warning = data.get("warn")
            warning = str(warning) if warning else ""
            if warning and warning not in warnings:
                warnings.append(warning)
        elif kind == "heard":
            heard.append(text)
            if data.get("intent") in _AGREEING and (agreed := _heard_agreement(data)) is not None:
                review.heard_agreement = agreed
            weigh, reply = data.get("weigh"), data.get("reply")
            if weigh or reply:
                advice = f"{weigh or ''} {reply or ''}".strip()  # JSON values: format is str
                if advice:
                    add((shown_at, "coach advised", advice, "advice"))
        elif kind == "note":
            captured.setdefault(noted, []).append(text)
            if money is None or noted not in _MONEY_KINDS:
                pass
            elif noted == "agreed":
                review.agreed = money
                review.heard_agreement = None
            else:
                offers.append(money)
        elif kind == "fact":
            review.facts_changed.append(text)
        elif kind == "warning":
            if text not in warnings:
                warnings.append(text)
        elif kind == "score":
            review.score = text
    timeline[:] = map(_new, repeat(TimelineEntry), lines)
    # A call with no end time was killed or is still open: either way it was interrupted.
    review.outcome = "interrupted" if call.ended is None else (call.outcome or "ended")
    review.next_steps = next_steps(review)
    return review, notes


_DATED_NOTES = ("promise", "deadline")  # the notes case_deadlines dates; it passes over the others
_READ = frozenset(("start", "shown", "heard", "note", "fact", "undo"))  # the kinds whose payload _fold reads


def next_steps(review: CallReview) -> list[Step]:
    """What to do after this call, from what was captured; each front end words the actions."""
    call, case = review.call.id, review.case.id if review.case else None
    steps = [Step("Send a written summary of the call within a day", Letter("call-summary", call, case))]
    for promise in review.captured.get("promise", []):
        steps.append(Step(f"Follow up on their promise: {promise}"))
    for deadline in review.captured.get("deadline", []):
        steps.append(Step(f"Mark the deadline: {deadline}"))
    if review.agreed is not None:
        steps.append(
            Step(
                f"You agreed to {review.agreed.describe()}: pay nothing until the terms arrive in writing.",
                Letter("confirmation", call),
                " Send: ",
            )
        )
    elif review.heard_agreement is not None:
        steps.append(
            Step(
                f"They said they accept {review.heard_agreement.describe()}, but no agreement was recorded: "
                "check it against your notes, and pay nothing until the terms arrive in writing.",
                Letter("confirmation", call),
                " Send: ",
            )
        )
    elif review.offers:
        steps.append(Step("Pay nothing until agreed terms arrive in writing", Letter("confirmation")))
    if counterparts.has(review.call.counterpart, "debt-collector"):
        steps.append(
            Step("If you have not yet, dispute in writing within the validation period", Letter("validation"))
        )
    if not review.captured.get("reference"):
        steps.append(Step("No reference number was recorded: ask for one on your next call"))
    steps.append(Step("See every date that matters", Dates(case)))
    return steps


def load_review(store: Store, call_id: int) -> CallReview:
    """The review of a stored call, with the case's dates that matter."""
    call = store.call(call_id)
    case = store.case(call.case_id) if call.case_id is not None else None
    rows = store.review_rows(call_id)
    review, dated = _fold(rows, call, case, dt.datetime.fromisoformat, decoded)
    places = store.event_places(call_id, [row[0] for row in dated] + [row[0] for row in rows[-1:]])
    if rows:
        _reach(review, places[rows[-1][0]][1])
    if case is not None:  # the dates read a call's promise and deadline notes, nothing else of it
        notes = [stored_event(seq, at, kind, *places[seq], text, data) for seq, at, kind, text, data in dated]
        review.deadlines = case_dates(case, [(call_id, notes)], call.counterpart)
        review.sides = other_side_lines(case, call.counterpart)
    return review


def other_side_lines(case: CaseRecord, counterpart: str) -> list[str]:
    """One case, both sides: what the case knows of the side not on this call (coach.sides)."""
    from coach.casefile.sides import other_side
    from coach.dialogue.facts import facts_from_json

    playbook = _playbook()  # read once for its fact types, as the rest of the review reads it
    if playbook is None:
        return []
    facts = facts_from_json(case.facts, playbook)
    side = other_side(facts, counterpart)
    return [f"Who: {side.name}", *side.lines] if side else []


def case_dates(case: CaseRecord, calls: list[tuple[int, list[Event]]], counterpart: str) -> list[Words]:
    """The case's deadlines as lines: date, what, and once passed what to do now (letters as actions)."""
    import datetime as dt

    from coach.casefile.deadlines import case_deadlines
    from coach.dialogue.facts import facts_from_json

    playbook = _playbook()
    if playbook is None:
        return []
    facts = facts_from_json(case.facts, playbook)
    today = dt.date.today()
    found = case_deadlines(facts, case.counterpart or counterpart, calls, today)
    return [
        (f"{d.due:%b %d, %Y}: " if d.due else "(no date): ", *parts(d.words))
        + ((" ", *status) if (status := d.status(today)) else ())
        for d in found
    ]


def as_dict(review: CallReview, name: Namer, *, timeline: bool = True) -> dict[str, Any]:
    """A JSON-ready dict (for `--format json`); ``name`` words the actions in next steps and dates.

    ``timeline=False``: all but the timeline, its last key (the JSON export writes it from the entries)."""
    data = {
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
        "reached_id": review.reached_id,
        "offers": [_money_dict(offer) for offer in review.offers],
        "agreed": _money_dict(review.agreed) if review.agreed else None,
        "heard_agreement": _money_dict(review.heard_agreement) if review.heard_agreement else None,
        "score": review.score,
        "next_steps": [step.worded(name) for step in review.next_steps],
        "steps": [{"do": step.text, "action": action_dict(step.action)} for step in review.next_steps],
        "deadlines": [worded(line, name) for line in review.deadlines],
        "sides": review.sides,
    }
    if timeline:
        data["timeline"] = [
            {"time": t.time, "who": t.who, "text": t.text, "kind": t.kind} for t in review.timeline
        ]
    return data


def action_dict(action: Action | None) -> dict[str, Any] | None:
    """An action as data, for programs reading the JSON (``next_steps`` holds the printed words)."""
    if isinstance(action, Letter):
        return {"kind": "letter", "letter": action.kind, "call": action.call, "case": action.case}
    if isinstance(action, Dates):
        return {"kind": "dates", "case": action.case}
    return None


def _money_dict(note: MoneyNote) -> dict[str, Any]:
    return {
        "kind": note.kind,
        "amount": str(note.amount),
        "by": note.by,
        "monthly": note.monthly,
        "months": note.months,
        "due": note.due.isoformat() if note.due else None,
    }

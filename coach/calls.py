"""One call's lifecycle, the same for the line mode, the TUI and the tests.

:func:`open_call` checks a whole :class:`CallRequest` (mode, counterpart,
persona, case, facts file) before anything is written, then finds or creates
the case and opens the call on the playbook's ``call_start``: the first thing
to say. :meth:`Call.submit` takes one typed line and returns a :class:`Turn`:

- ``/...`` is a command (records, ``/set``, ``/back``, ``/end``, ``/help``);
- digits alone pick a choice; Enter alone takes the only choice, or records a
  number coach proposed (``They offered $1,100 — Enter to record``);
- anything else is what the other side said (live) or what the user says
  (rehearse). It is always recorded, and never becomes a fact.

Every fact set during a call is the case's fact too, written in the same
transaction as its event. :meth:`Call.finish` scores a rehearsal and closes the
call. A call that was killed can be resumed with ``CallRequest(resume=ID)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from coach.casefile.store import Store
from coach.dialogue import counterparts
from coach.dialogue.facts import facts_from_json, read_facts_file
from coach.dialogue.schema import Playbook
from coach.errors import CoachError
from coach.money.amounts import format_money
from coach.session.engine import Session, show_value
from coach.session.events import Event
from coach.session.payloads import NoteData, StartData
from coach.session.proposals import Pending, looks_like_amount, propose, reminder

CALL_MODES = ("live", "rehearse")
DIFFICULTIES = ("easy", "normal", "tough")
QUICK_FACTS = ("account_number", "balance")  # "call now" asks only these (and who is on the line)
TurnKind = Literal["moved", "recorded", "heard", "said", "help", "ended", "error"]
BUILTIN_COMMANDS = {
    "back": "undo the last step (a mis-tap)",
    "set": "correct a fact of the case: /set balance 2400",
    "facts": "list what coach knows about this bill",
    "help": "show this help",
    "end": "end the call and save it",
}


@dataclass(frozen=True)
class CallRequest:
    """What a front end asks for; checked in full by :func:`open_call` before anything is written."""

    mode: str = "live"
    case_id: int | None = None
    counterpart: str | None = None
    facts_file: Path | None = None
    persona: str | None = None
    difficulty: str = "normal"
    seed: int | None = None
    resume: int | None = None
    quick_facts: dict[str, str] = field(default_factory=dict)  # "call now": typed account number, balance


@dataclass(frozen=True)
class Turn:
    """What one line did: its kind, one message to show until the next action, and the events it made."""

    kind: TurnKind
    message: str = ""
    events: tuple[Event, ...] = ()
    heard: Event | None = None  # the line the other side said, with coach's reply in its data
    partner: Event | None = None  # a rehearsal partner's answer
    pending: Pending | None = None


def _prepared_facts(
    store: Store, playbook: Playbook, request: CallRequest
) -> tuple[int | None, dict[str, Any], str | None, dict[str, Any]]:
    """(case id, the case's facts, its counterpart, facts from the file) — read, nothing written."""
    facts: dict[str, Any] = {}
    case_counterpart = None
    if request.case_id is not None:
        case = store.case(request.case_id)
        facts.update(facts_from_json(case.facts, playbook))
        case_counterpart = case.counterpart
    from_file: dict[str, Any] = {}
    if request.facts_file is not None:
        if not request.facts_file.is_file():
            raise CoachError(f"no such file: {request.facts_file}", field="facts")
        from_file = read_facts_file(request.facts_file, playbook)
    for name, typed in request.quick_facts.items():
        from coach.dialogue.facts import parse_fact

        try:
            from_file[name] = parse_fact(playbook.facts[name], typed)
        except ValueError as error:
            raise CoachError(f"{name}: {error}") from None
    return request.case_id, facts, case_counterpart, from_file


def infer_counterpart(facts: dict[str, Any]) -> str:
    """Who is on the line when nobody said (counterparts.yaml ``inferred_from``, else the first declared)."""
    return counterparts.infer(facts)


def case_for(
    store: Store, playbook: Playbook, case_id: int | None, facts_file: Path | None, counterpart: str | None
) -> int:
    """The case a facts file or ``--case`` means: an existing one (same account and creditor) or a new one."""
    request = CallRequest(case_id=case_id, facts_file=facts_file, counterpart=counterpart)
    found, facts, case_counterpart, from_file = _prepared_facts(store, playbook, request)
    return _settle_case(store, found, facts, from_file, counterpart or case_counterpart)


def _settle_case(
    store: Store,
    case_id: int | None,
    facts: dict[str, Any],
    from_file: dict[str, Any],
    counterpart: str | None,
) -> int:
    if case_id is None and "account_number" in from_file:
        existing = store.find_case(str(from_file["account_number"]), from_file.get("creditor"))
        case_id = existing.id if existing else None
    if case_id is None:
        label = " ".join(str(from_file[k]) for k in ("creditor", "account_number") if k in from_file) or None
        return store.create_case(from_file, label, counterpart)
    if from_file:
        store.set_case_facts(case_id, from_file)
    return case_id


class Call:
    """An open call: its Session, where it is stored, and (in a rehearsal) the partner."""

    def __init__(
        self, store: Store, playbook: Playbook, session: Session, call_id: int, case_id: int, partner: Any
    ) -> None:
        self.store = store
        self.playbook = playbook
        self.session = session
        self.call_id = call_id
        self.case_id = case_id
        self.partner = partner
        self.pending: Pending | None = None
        self.reply: Event | None = None  # the last heard line; its reply takes the big box until a move
        self.message = ""  # the last turn's message, shown until the next action

    @property
    def mode(self) -> str:
        return self.session.mode

    @property
    def counterpart(self) -> str:
        return self.session.counterpart

    # -- the partner speaks first in a rehearsal --------------------------------

    def opening(self) -> Turn | None:
        """A rehearsal partner's greeting (None in a live call)."""
        if self.partner is None:
            return None
        said = self.partner.speak(self.session, self.partner.opening_line())
        self.reply = said
        return Turn("heard", "", (said,), heard=said, partner=said)

    # -- one typed line ----------------------------------------------------------

    def submit(self, line: str) -> Turn:
        """Apply one typed line; a user mistake comes back as an ``error`` turn, nothing half-done."""
        before = len(self.session.events)
        try:
            turn = self._submit(line)
        except CoachError as error:
            turn = Turn("error", " ".join(str(error).split()))
        if turn.kind != "error":
            turn = replace(turn, events=tuple(self.session.events[before:]))
        self.message = turn.message if turn.kind != "error" else f"! {turn.message}"
        return turn

    def _submit(self, line: str) -> Turn:
        text = line.strip()
        session = self.session
        if session.finished:
            raise CoachError("the call has ended")
        pending, self.pending = self.pending, None
        if pending is None:
            return self._line(text)
        confirmed = self._confirm(pending, text)
        if confirmed is not None:
            return confirmed
        try:
            turn = self._line(text)
        except CoachError:
            self.pending = pending  # a mistyped line: what was proposed still waits for its Enter
            raise
        return self._not_recorded(pending, turn)

    def _not_recorded(self, pending: Pending, turn: Turn) -> Turn:
        """A proposal the next line passed over is said once (see :func:`coach.session.proposals.reminder`)."""
        balance = self.session.facts.get("balance")
        note = reminder(pending, self.playbook, balance) if turn.kind != "ended" else None
        if note is None:
            return turn
        return replace(turn, message=f"{turn.message}  ·  {note}" if turn.message else note)

    def _line(self, text: str) -> Turn:
        """A line that answers no proposal: a command, a choice, or what was heard or said."""
        session = self.session
        if text.startswith("/"):
            return self._command(text[1:])
        choices = session.view().choices
        if text == "":
            if len(choices) == 1:
                return self._move(1)
            raise CoachError("type a number to choose, what they said, or /help")
        if text.isdecimal() and text.isascii():
            return self._move(int(text))
        return self._heard(text)

    def _move(self, number: int) -> Turn:
        self.session.choose(number)
        self.reply = None  # the stage's phrase comes back
        return self._partner_turn(Turn("moved"))

    def _heard(self, text: str) -> Turn:
        if self.mode == "rehearse":
            self.session.say(text)  # the turn's events are filled in by submit()
            return self._partner_turn(Turn("said"))
        heard = self.session.hear(text)
        self.reply = heard
        self.pending = self._proposal(heard)
        return Turn("heard", self.pending.prompt if self.pending else "", heard=heard, pending=self.pending)

    def _partner_turn(self, turn: Turn) -> Turn:
        if self.partner is None or self.session.finished:
            return turn
        event = self.partner.answer(self.session)
        if event is None:
            return turn
        self.reply = event
        return replace(turn, heard=event, partner=event)

    # -- numbers heard, for one-key confirmation ---------------------------------

    def _proposal(self, heard: Event) -> Pending | None:
        return propose(heard, self.session.facts.get("balance"), self.session.today())

    def _confirm(self, pending: Pending, text: str) -> Turn | None:
        """Enter records what was proposed; a typed amount corrects it; anything else moves on."""
        if text == "":
            return self._record(pending.kind, pending.text)
        if pending.kind != "deadline" and looks_like_amount(text, len(self.session.view().choices)):
            return self._record(pending.kind, text + (" a month" if "a month" in pending.text else ""))
        return None

    # -- commands ----------------------------------------------------------------

    def _command(self, body: str) -> Turn:
        name, _, arg = body.partition(" ")
        name, arg = name.lower(), arg.strip()
        for kind, note in self.playbook.notes.items():
            if note.command == name:
                return self._record(kind, arg)
        session = self.session
        if name in ("back", "undo"):
            session.undo()
            self.reply = None
            return Turn("moved", "went back one step")
        if name == "help":
            return Turn("help", help_text(self.playbook))
        if name == "end":
            return self.finish("ended by user")
        if name == "facts":
            known = session.facts
            return Turn(
                "help",
                "\n".join(
                    f"  {k}: {show_value(self.playbook.facts[k].type, v)}" for k, v in sorted(known.items())
                )
                or "no facts yet",
            )
        if name == "set":
            fact, _, value = arg.partition(" ")
            if not fact or not value.strip():
                raise CoachError("/set: type a fact and a value, like /set balance 2400")
            session.set_fact(fact, value)
            shown = show_value(self.playbook.facts[fact].type, session.facts[fact])
            return Turn("recorded", f"Saved to the case: {fact} = {shown}")
        raise CoachError(f"/{name}: unknown command (type /help)")

    def _record(self, kind: str, text: str) -> Turn:
        """A record command (``/offer``, ``/agreed`` ...), saying exactly what it saved."""
        note = self.session.note(kind, text)
        data = note.payload if isinstance(note.payload, NoteData) else NoteData()
        own = "counter" if kind == "offer" and data.by == "user" else kind
        label = (
            self.playbook.notes[own].label if own in self.playbook.notes else self.playbook.notes[kind].label
        )
        if data.amount is not None:
            shown = format_money(Decimal(str(data.amount)))
            shown += " a month" if data.monthly else ""
            shown += f" for {data.months} months" if data.months else ""
            shown += f", due {_shown_date(data.date)}" if data.date else ""
        elif data.date:
            shown = f"{_shown_date(data.date)} ({note.text})"
        else:
            shown = note.text
        turn = Turn("recorded", f"Saved: {label}: {shown}")
        if kind in ("counter", "offer") and data.by == "user" and self.partner is not None:
            return self._partner_turn(turn)
        return turn

    # -- ending ------------------------------------------------------------------

    def finish(self, reason: str = "ended by user") -> Turn:
        """End the call (scoring a rehearsal) and close it in the store; safe to call twice."""
        session = self.session
        message = ""
        if not session.finished:
            session.end(reason)
        if self.partner is not None and not any(e.kind == "score" for e in session.events):
            from coach.rehearsal.scoring import format_scorecard, score

            card = score(session.events, session.facts, session.counterpart)
            message = format_scorecard(card)
            session.record_score(message, card.as_payload())
        ended = [e for e in session.events if e.kind == "end"]
        self.store.end_call(self.call_id, ended[-1].text if ended else reason)
        return Turn("ended", message)

    def replay_command(self) -> str:
        """The command that replays this rehearsal (or resumes nothing for a live call)."""
        if self.partner is None:
            return ""
        return f"coach rehearse --plain --case {self.case_id} {self.partner.replay}"


def _shown_date(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%b %d, %Y")


def help_text(playbook: Playbook) -> str:
    """The commands of a call, one per line."""
    lines = [
        "  NUMBER        pick a choice (Enter alone continues when there is one)",
        "  Enter         record the number coach just proposed",
    ]
    for note in playbook.notes.values():
        lines.append(f"  /{note.command:<12} record: {note.label.lower()}")
    for name, about in BUILTIN_COMMANDS.items():
        lines.append(f"  /{name:<12} {about}")
    lines.append("  anything else  what the other side said (recorded word for word, never a fact)")
    return "\n".join(lines)


def check_request(playbook: Playbook, request: CallRequest) -> None:
    """Every check that can fail, before anything is written (a bad persona creates nothing)."""
    if request.mode not in CALL_MODES:
        raise CoachError(f"mode '{request.mode}' is not one of {', '.join(CALL_MODES)}")
    if request.counterpart is not None and request.counterpart not in playbook.counterparts:
        raise CoachError(
            f"'{request.counterpart}' is not one of {', '.join(playbook.counterparts)}", field="counterpart"
        )
    if request.difficulty not in DIFFICULTIES:
        raise CoachError(
            f"'{request.difficulty}' is not one of {', '.join(DIFFICULTIES)}", field="difficulty"
        )
    # a persona is checked against who it will play: once the case says, when the request does not
    if (request.mode == "rehearse" or request.persona is not None) and (
        request.counterpart is not None or request.persona is None
    ):
        from coach.rehearsal.partner import Partner

        Partner(
            request.counterpart or counterparts.default(),
            request.persona,
            request.difficulty,
            request.seed,
            {},
        )


def warm_up() -> None:
    """Read and compile, before the call's first line, what a line reads the first time it is needed.

    Hearing's files, the date and money readers and the offer weighing are loaded on first use:
    the first line heard in a process took half a second, then 50 ms, where every later line
    takes a few. A front end calls this as a call opens (off its screen's thread); it stores
    nothing and changes no call."""
    import importlib

    from coach.hearing.intents import warm_up as warm_up_hearing
    from coach.session.records import read_date, read_money
    from coach.session.redact import redact

    importlib.import_module("coach.hearing.weighing")  # what the call's first offer is weighed with
    warm_up_hearing()
    read_date("by 12/15, or in 30 days", dt.date.today())
    read_money("$1,200.00 a month for 12 months")
    redact("my card is 4111 1111 1111 1111")


def open_call(store: Store, playbook: Playbook, request: CallRequest) -> Call:
    """Check the request, find or create its case, and open the call on its first phrase."""
    if request.resume is not None:
        return resume_call(store, playbook, request.resume)
    check_request(playbook, request)
    case_id, facts, case_counterpart, from_file = _prepared_facts(store, playbook, request)
    counterpart = request.counterpart or case_counterpart or infer_counterpart(facts | from_file)
    if request.mode == "rehearse" or request.persona is not None:  # check it against who it will play
        check_request(playbook, replace(request, counterpart=counterpart))
    case_id = _settle_case(store, case_id, facts, from_file, counterpart)
    if store.case(case_id).counterpart is None:
        store.set_case_counterpart(case_id, counterpart)
    facts = facts_from_json(store.case(case_id).facts, playbook)
    partner = _partner(request, counterpart, facts)
    call_id = store.start_call(case_id, request.mode, counterpart)
    start_data: dict[str, Any] = {"case": case_id}
    if partner is not None:
        start_data |= {"persona": partner.persona, "difficulty": partner.difficulty, "seed": partner.seed}
    session = Session(
        playbook,
        counterpart,
        facts,
        mode=request.mode,
        sink=_sink(store, call_id, case_id),
        start=playbook.call_start,
        start_data=start_data,
    )
    return Call(store, playbook, session, call_id, case_id, partner)


def _partner(request: CallRequest, counterpart: str, facts: dict[str, Any]) -> Any:
    if request.mode != "rehearse":
        return None
    from coach.rehearsal.partner import Partner

    return Partner(counterpart, request.persona, request.difficulty, request.seed, facts)


def _sink(store: Store, call_id: int, case_id: int) -> Any:
    """Events to the call; a fact event also to the case, in the same transaction (a step's events
    in one transaction: see Session.step)."""
    from coach.casefile.store import EventSink

    return EventSink(store, call_id, case_id)


def resume_call(store: Store, playbook: Playbook, call_id: int) -> Call:
    """Open an interrupted call again where it stopped, with every record it had."""
    record = store.call(call_id)
    if record.ended is not None:
        raise CoachError(f"call {call_id} has ended ({record.outcome}); start a new one", field="resume")
    if record.case_id is None:
        raise CoachError(f"call {call_id} belongs to no case", field="resume")
    events = store.events(call_id)
    if not events:
        raise CoachError(f"call {call_id} has nothing recorded to resume from", field="resume")
    where = next((e.node for e in reversed(events) if e.kind == "shown"), events[-1].node)
    if where not in playbook.nodes:
        raise CoachError(
            f"call {call_id} stopped at a step this coach no longer has ({where})", field="resume"
        )
    started = next((e.payload for e in events if isinstance(e.payload, StartData)), StartData())
    request = CallRequest(
        mode=record.mode,
        counterpart=record.counterpart,
        persona=started.persona,
        difficulty=started.difficulty or "normal",
        seed=started.seed,
    )
    facts = facts_from_json(store.case(record.case_id).facts, playbook)
    partner = _partner(request, record.counterpart, facts)
    session = Session(
        playbook,
        record.counterpart,
        facts,
        mode=record.mode,
        sink=_sink(store, call_id, record.case_id),
        start=where,
        history=events,
        start_data={"case": record.case_id, "resumed_at": where},
    )
    return Call(store, playbook, session, call_id, record.case_id, partner)


def interrupted_calls(store: Store) -> list[Any]:
    """Calls that were never ended (killed, or the power went): each can be resumed."""
    return [call for call in store.calls() if call.ended is None]

"""The Session: the one object every front end drives through a call.

Longer than most modules on purpose: the Session is the one object front ends drive, and its
parts (machine, facts, hearing, notes, undo) share the machine and the event sink.

A ``transitions`` HierarchicalMachine holds where the call is (stages are
parent states, nodes their children). Conditions written in the playbook are
compiled to Python callables here; YAML strings are never handed to
transitions, which would import dotted names.

Every change is an :class:`~coach.events.Event`, passed to the ``sink`` (the
case store) *before* the method returns, so a front end that draws after the
call returns never shows something that is not on disk. A sink with a
``batch()`` context manager gets a step's events (a choice's fact, step and
shown events) in one durable transaction; should it fail, the Session is put
back as it was before the step.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, TypeVar

from transitions.extensions import HierarchicalMachine

from coach.dialogue import render
from coach.dialogue.facts import parse_fact
from coach.dialogue.schema import Choice, Node, Playbook
from coach.errors import CoachError
from coach.money.derive import DERIVED
from coach.session.events import Event, EventKind, jsonable
from coach.session.payloads import (
    EndData,
    FactData,
    HeardData,
    NoteData,
    Payload,
    SaidData,
    ScoreData,
    ShownData,
    StartData,
    StepData,
    UndoData,
    WarningData,
    as_payload,
)
from coach.session.redact import masked_text

# With model_override, transitions logs a warning for every trigger it leaves off
# the model: exactly what we want, so keep its log quiet.
logging.getLogger("transitions.core").setLevel(logging.ERROR)

Sink = Callable[[Event], None]
_Method = TypeVar("_Method", bound=Callable[..., Any])
CONTINUE_ID = "continue"
MODES = ("prepare", "live", "rehearse")  # only prepare asks for facts; a call never does
ANSWER_PREFIX = "answer:"  # choice ids of the Yes/No (or option) answers to a prepare question
_ABSENT = object()


@dataclass(frozen=True)
class ChoiceView:
    """A choice as a front end shows it: number, label, and where it leads."""

    number: int
    id: str
    label: str
    target: str


@dataclass(frozen=True)
class View:
    """Everything a front end needs to draw the current step."""

    stage: str
    stage_title: str
    stage_index: int
    node: str
    title: str
    coach: str
    phrase: str
    phrase_id: str
    warn: str
    sources: tuple[str, ...]
    ask: str | None
    ask_prompt: str
    ask_current: str
    capture: tuple[str, ...]
    choices: tuple[ChoiceView, ...]
    finished: bool


def _one_step(method: _Method) -> _Method:
    """Run a public Session method as one step: its events in one transaction, all or nothing."""

    @functools.wraps(method)
    def wrapper(self: Session, *args: Any, **kwargs: Any) -> Any:
        with self.step():
            return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


@dataclass
class _Model:
    """The plain object the machine moves (kept apart from any UI object)."""

    state: str = ""
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _Undo:
    state: str
    facts: dict[str, Any]
    seq: int


class Session:
    """One call through the playbook, for one counterpart."""

    def __init__(
        self,
        playbook: Playbook,
        counterpart: str,
        facts: dict[str, Any] | None = None,
        mode: str = "live",
        sink: Sink | None = None,
        clock: Callable[[], dt.datetime] | None = None,
        start: str | None = None,
        history: list[Event] | None = None,
        start_data: dict[str, Any] | None = None,
    ) -> None:
        """``history``: the stored events of a call being resumed (numbering goes on after them)."""
        if counterpart not in playbook.counterparts:
            raise CoachError(
                f"'{counterpart}' is not one of {', '.join(playbook.counterparts)}", field="counterpart"
            )
        if mode not in MODES:
            raise CoachError(f"mode '{mode}' is not one of {', '.join(MODES)}")
        self.playbook = playbook
        self.counterpart = counterpart
        self.mode = mode
        self.events: list[Event] = list(history or [])
        self._sink = sink
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._undo: list[_Undo] = []
        self._finished = False
        self._context: dict[str, Any] | None = None  # rebuilt when facts change
        # Texts rendered and conditions evaluated over that context: (result, error reason or None). A step
        # reads the same texts again (listing a node's choices, choosing, the transition's own check, a /back
        # to where it was: 24 conditions at contact.asks); the same context gives the same result, so each
        # is worked out once per context (and an error is recorded again on every use, as before).
        self._rendered: dict[str, tuple[str, str | None]] = {}
        self._evaluated: dict[str, tuple[bool, str | None]] = {}
        # the user's offers so far (see _user_offers): how many events were read, the last of them, and the offers
        self._offers: tuple[int, Event | None, tuple[Decimal, ...], tuple[Decimal, ...]] = (0, None, (), ())
        self._notes: tuple[int, Event | None, tuple[Event, ...]] = (0, None, ())  # the same for notes()
        self._view: tuple[tuple[str, int, bool], View] | None = None
        self._version = 0  # bumped whenever facts change, so cached context and view are rebuilt
        self._model = _Model(facts=dict(facts or {}))
        self._stepping = False  # inside step(): events wait in the sink's open transaction
        self.render_errors: list[str] = []  # texts that failed to render since the last "shown" event
        for name, value in self._model.facts.items():
            if name not in playbook.facts:
                raise CoachError(f"unknown fact '{name}'")
            parse_fact(playbook.facts[name], value)  # already typed; re-checked for safety
        self._machine = self._build_machine(start or playbook.start)
        opening = {"counterpart": counterpart, "mode": mode, "facts": jsonable(self._model.facts)}
        with self.step():
            start_payload = as_payload(StartData, opening | (start_data or {}))
            self._emit("start", "resumed" if history else "", start_payload)
            self._show()

    @contextmanager
    def step(self) -> Iterator[None]:
        """One step: every event emitted inside goes to the sink in one transaction (if it offers
        ``batch()``), committed before this returns; if anything fails, the Session is as before.

        Nested steps join the outer one (a typed line in a call may hear, note and move at once)."""
        if self._stepping:
            yield
            return
        batch: Callable[[], AbstractContextManager[Any]] | None = getattr(self._sink, "batch", None)
        saved = (
            self._model.state,
            dict(self._model.facts),
            len(self.events),
            list(self._undo),
            self._finished,
        )
        self._stepping = True
        try:
            with batch() if batch is not None else nullcontext():
                yield
        except BaseException:
            state, facts, count, undo, finished = saved
            if state and self._model.state != state:
                self._machine.set_state(state, self._model)
            self._model.facts = facts
            del self.events[count:]
            self._undo = undo
            self._finished = finished
            self._context = None
            self._view = None
            self._version += 1
            raise
        finally:
            self._stepping = False

    # -- building the machine -------------------------------------------

    @staticmethod
    def state_name(qid: str) -> str:
        """``assess.triage`` → ``assess_triage`` (transitions' nested-state separator)."""
        return qid.replace(".", "_")

    def _build_machine(self, start: str) -> HierarchicalMachine:
        playbook = self.playbook
        states = [
            {"name": stage, "children": [node.id for node in playbook.nodes_in(stage)]}
            for stage in playbook.stages
            if playbook.nodes_in(stage)
        ]
        transitions: list[dict[str, Any]] = []
        for node in playbook.nodes.values():
            source = self.state_name(node.qid)
            for choice in node.choices:
                spec: dict[str, Any] = {
                    "trigger": self._trigger(node, choice.id),
                    "source": source,
                    "dest": self.state_name(choice.target),
                }
                if choice.when:
                    spec["conditions"] = [self._condition(choice.when)]
                transitions.append(spec)
            for branch in node.branches:
                spec = {
                    "trigger": self._trigger(node, CONTINUE_ID),
                    "source": source,
                    "dest": self.state_name(branch.target),
                }
                if branch.condition:
                    spec["conditions"] = [self._condition(branch.condition)]
                transitions.append(spec)
        return HierarchicalMachine(
            model=self._model,
            states=states,
            transitions=transitions,
            initial=self.state_name(start),
            auto_transitions=False,
            model_override=True,
            ignore_invalid_triggers=False,
        )

    @staticmethod
    def _trigger(node: Node, choice_id: str) -> str:
        return f"{node.qid}:{choice_id}"

    def _condition(self, source: str) -> Callable[..., bool]:
        def check(*_args: Any, **_kwargs: Any) -> bool:
            return self._evaluate(source, self.context())

        return check

    # -- reading --------------------------------------------------------

    @property
    def node(self) -> Node:
        stage, _, node_id = self._model.state.partition("_")
        return self.playbook.nodes[f"{stage}.{node_id}"]

    @property
    def stage(self) -> str:
        return self.node.stage

    @property
    def facts(self) -> dict[str, Any]:
        return dict(self._model.facts)

    def today(self) -> dt.date:
        """The call's date, from its clock (tests pass one they control)."""
        return self._clock().date()

    def notes(self) -> tuple[Event, ...]:
        """The call's note events so far, in order (what a screen lists as recorded).

        Read on from where the last call stopped, so a screen can ask after every step without going
        through the whole call each time (a long call has thousands of events)."""
        read, last, found = self._notes
        events = self.events
        if read > len(events) or (read and events[read - 1] is not last):
            read, found = 0, ()  # the events it read were taken back (a failed step)
        if read < len(events):
            found += tuple(event for event in events[read:] if event.kind == "note")
            self._notes = (len(events), events[-1], found)
        return found

    @property
    def finished(self) -> bool:
        return self._finished

    def context(self) -> dict[str, Any]:
        """What templates and conditions see: every declared fact (unknown ones as placeholders).

        The same dict until the facts change (a new one then), so what is read from it can be kept while
        it is the same object; read it, never change it."""
        if self._context is None:
            self._context = self._build_context()
            self._rendered = {}
            self._evaluated = {}
        return self._context

    def _build_context(self) -> dict[str, Any]:
        from coach.dialogue.render import Missing

        facts = self._model.facts
        context: dict[str, Any] = {
            name: facts.get(name, Missing(spec.label)) for name, spec in self.playbook.facts.items()
        }
        for name in self.playbook.derived:
            value = DERIVED[name](facts, self.counterpart)
            context[name] = Missing(name.replace("_", " ")) if value is None else value
        context["counterpart"] = self.counterpart
        context["mode"] = self.mode
        return context

    def choices(self) -> list[ChoiceView]:
        """The choices open now (conditions applied), numbered from 1."""
        node = self.node
        if self._finished or node.end:
            return []
        if self.asking(node):
            return self._answer_choices(node)
        if node.branches:
            return [ChoiceView(1, CONTINUE_ID, "Continue", self._branch_target(node))]
        context = self.context()
        open_choices = [c for c in node.choices if not c.when or self._evaluate(c.when, context)]
        return [
            ChoiceView(i, c.id, self._render(c.label, context), c.target)
            for i, c in enumerate(open_choices, 1)
        ]

    def asking(self, node: Node | None = None) -> bool:
        """Whether this step asks for a fact: only while preparing, never during a call."""
        node = node or self.node
        return self.mode == "prepare" and node.ask is not None and bool(node.branches)

    def _answer_choices(self, node: Node) -> list[ChoiceView]:
        """A yes/no or pick-one question answered by its options; a typed answer has none (Enter skips)."""
        assert node.ask is not None
        spec = self.playbook.facts[node.ask]
        if spec.type == "bool":
            options: list[tuple[str, str]] = [("yes", "Yes"), ("no", "No")]
        elif spec.type == "choice":
            options = [(option, option.replace("-", " ").capitalize()) for option in spec.options]
        else:
            return []
        return [
            ChoiceView(i, ANSWER_PREFIX + value, label, "") for i, (value, label) in enumerate(options, 1)
        ]

    @_one_step
    def skip(self) -> View:
        """Go on from a typed question, keeping what is known (refused if the answer is needed)."""
        self._require_open()
        node = self.node
        if not self.asking(node):
            raise CoachError("this step does not ask for anything")
        assert node.ask is not None
        spec = self.playbook.facts[node.ask]
        if spec.required and node.ask not in self._model.facts:
            raise CoachError(f"{node.ask}: this is needed to go on; type the answer")
        return self._continue(node, "skipped" if node.ask not in self._model.facts else "kept")

    def _continue(self, node: Node, label: str) -> View:
        self._remember()
        try:
            if not self._machine.trigger_event(self._model, self._trigger(node, CONTINUE_ID)):
                raise CoachError("no way on from here")
            self._emit("step", label, StepData(choice=CONTINUE_ID, from_=node.qid, to=self.node.qid), at=node)
        except BaseException:
            self._restore(self._undo.pop())
            raise
        self._show()
        return self.view()

    def _branch_target(self, node: Node) -> str:
        context = self.context()
        for branch in node.branches:
            if branch.condition is None or self._holds(branch.condition, context):
                return branch.target
        return node.branches[-1].target

    def _holds(self, condition: str, context: dict[str, Any]) -> bool:
        """A branch's condition, once per context like :meth:`_evaluate`; an error here is raised."""
        memo = self._evaluated if context is self._context else None
        found = memo.get(condition) if memo is not None else None
        if found is not None and found[1] is None:
            return found[0]
        result = render.evaluate(condition, context)
        if memo is not None:
            memo[condition] = (result, None)
        return result

    def view(self) -> View:
        """The current step, rendered for this counterpart with the user's facts (cached until a change)."""
        key = (self._model.state, self._version, self._finished)
        if self._view is None or self._view[0] != key:
            self._view = (key, self._render_view())
        return self._view[1]

    def _render(self, source: str, context: dict[str, Any]) -> str:
        """Playbook text rendered; a template that fails only now (``{{ balance + 'x' }}`` passes
        check) costs this one text, shown as such and saved with the next "shown" event, never the call."""
        return self._once(
            self._rendered,
            source,
            context,
            lambda: render.render(source, context),
            lambda reason: f"[this phrase could not be shown: {reason}]",
        )

    def _evaluate(self, condition: str, context: dict[str, Any]) -> bool:
        """A condition that fails to evaluate counts as false (and is saved like a render error)."""
        return self._once(
            self._evaluated, condition, context, lambda: render.evaluate(condition, context), lambda _: False
        )

    def _once(
        self,
        memo: dict[str, Any],
        key: str,
        context: dict[str, Any],
        work: Callable[[], Any],
        failed: Callable[[str], Any],
    ) -> Any:
        """``work()`` once per step's context (kept in ``memo``), or ``failed(reason)`` when it raises.

        Any error counts, since the call must go on; its one-line reason is saved with the next
        "shown" event (``render_errors``) each time the text or condition is used."""
        kept = memo if context is self._context else None
        found = kept.get(key) if kept is not None else None
        if found is None:
            try:
                found = (work(), None)
            except Exception as error:
                reason = " ".join(f"{type(error).__name__}: {error}".split())[:160]
                found = (failed(reason), reason)
            if kept is not None:
                kept[key] = found
        if found[1] is not None:
            self.render_errors.append(found[1])
        return found[0]

    def _render_view(self) -> View:
        node = self.node
        context = self.context()
        phrase_source = node.phrase_source(self.counterpart)
        phrase, variant = ("", "")
        if phrase_source:
            variant, template = phrase_source
            phrase = self._render(template, context)
        ask_prompt, ask_current = "", ""
        asking = self.asking(node)
        if asking and node.ask:
            spec = self.playbook.facts[node.ask]
            ask_prompt = spec.prompt
            if node.ask in self._model.facts:
                ask_current = show_value(spec.type, self._model.facts[node.ask])
        return View(
            stage=node.stage,
            stage_title=self.playbook.stage_titles.get(node.stage, node.stage.title()),
            stage_index=self.playbook.stages.index(node.stage),
            node=node.qid,
            title=self._render(node.title, context) if node.title else "",
            coach=self._render(node.coach, context) if node.coach else "",
            phrase=phrase,
            phrase_id=f"{node.qid}#{variant}" if phrase else "",
            warn=self._render(node.warn, context) if node.warn else "",
            sources=node.sources,
            ask=node.ask if asking else None,
            ask_prompt=ask_prompt,
            ask_current=ask_current,
            capture=node.capture,
            choices=tuple(self.choices()),
            finished=self._finished or node.end,
        )

    # -- acting ---------------------------------------------------------

    @_one_step
    def choose(self, pick: int | str) -> View:
        """Take a choice by number (from 1) or id; raises CoachError if not open."""
        self._require_open()
        open_choices = self.choices()
        chosen: ChoiceView | None = None
        if isinstance(pick, int):
            if not 1 <= pick <= len(open_choices):
                raise CoachError(
                    f"choose a number from 1 to {len(open_choices)}" if open_choices else "no choices here"
                )
            chosen = open_choices[pick - 1]
        else:
            chosen = next((c for c in open_choices if c.id == pick), None)
            if chosen is None:
                raise CoachError(f"'{pick}' is not a choice here")
        node = self.node
        if chosen.id.startswith(ANSWER_PREFIX) and node.ask:
            self.set_fact(node.ask, chosen.id.removeprefix(ANSWER_PREFIX))
            return self._continue(node, chosen.label)
        self._remember()
        try:
            for name, value in self._choice_sets(node, chosen.id):
                self._set_fact_value(name, value)
            fired = self._machine.trigger_event(self._model, self._trigger(node, chosen.id))
            if not fired:  # a condition changed between listing and choosing
                raise CoachError(f"'{chosen.label}' is no longer open")
            self._emit(
                "step", chosen.label, StepData(choice=chosen.id, from_=node.qid, to=self.node.qid), at=node
            )
        except BaseException:
            self._restore(self._undo.pop())  # nothing half-done: the screen stays where the store is
            raise
        self._show()
        return self.view()

    def _choice_sets(self, node: Node, choice_id: str) -> tuple[tuple[str, Any], ...]:
        choice: Choice | None = next((c for c in node.choices if c.id == choice_id), None)
        return choice.sets if choice else ()

    @_one_step
    def answer(self, text: str) -> View:
        """Answer the current node's question (its ``ask`` fact) with what the user typed."""
        self._require_open()
        node = self.node
        if not self.asking(node) or not node.ask:
            raise CoachError("this step does not ask for anything")
        self.set_fact(node.ask, text)
        return self._continue(node, "answered")

    @_one_step
    def set_fact(self, name: str, value: Any) -> None:
        """Set a fact from typed text or a value; CoachError names the fact and the reason."""
        spec = self.playbook.facts.get(name)
        if spec is None:
            raise CoachError(f"unknown fact '{name}'")
        try:
            parsed = parse_fact(spec, value)
        except ValueError as error:
            raise CoachError(f"{name}: {error}") from None
        self._remember()
        try:
            self._set_fact_value(name, parsed)
        except BaseException:
            self._undo.pop()
            raise

    def _set_fact_value(self, name: str, value: Any) -> None:
        old = self._model.facts.get(name)
        spec = self.playbook.facts[name]
        self._emit(
            "fact",
            show_value(spec.type, value),
            FactData(name=name, value=jsonable(value), old=jsonable(old)),
        )
        self._model.facts[name] = value  # only once the event is safely recorded
        self._context = None
        self._version += 1

    @_one_step
    def hear(self, text: str, by: str = "counterpart", meaning: dict[str, Any] | None = None) -> Event:
        """Record a line the other side said (``by="partner"`` in a rehearsal) and what it means.

        Card, routing and Social Security numbers are masked before the line is
        stored. The line is weighed against this call's facts and the user's own
        offers so far (coach.weighing), so an offer the user already made is an
        agreement and a counter is stated once.
        """
        self._require_open()
        from coach.session.redact import redact

        redacted = redact(text.strip())
        text = redacted.text
        if not text:
            raise CoachError("nothing heard: type what the other side said")
        data: dict[str, Any] = {"by": by}
        try:
            from coach.hearing.intents import hear as understand

            heard = understand(text, self.counterpart, self._model.facts, self._user_offers())
            data |= heard.as_data()
        except (ImportError, CoachError):  # hearing unavailable: the line itself is still recorded
            pass
        if meaning:  # a rehearsal partner knows what it meant: its own words need no guessing
            data |= dict(meaning)
        if redacted.warning:
            data["warning"] = " ".join(filter(None, (redacted.warning, data.get("warning"))))
        return self._emit("heard", text, as_payload(HeardData, jsonable(data)))

    def _phrase_of(self, qid: str) -> str:
        """Another node's phrase, rendered for this call ('' if the playbook has no such node)."""
        node = self.playbook.nodes.get(qid)
        source = node.phrase_source(self.counterpart) if node else None
        return self._render(source[1], self.context()) if source else ""

    def _weigh(self, amount: Any, percent: Any) -> str:
        """An offer heard, set against the user's balance, target and walk-away ('' if none)."""
        from coach.hearing.weighing import weigh

        found = weigh(
            "offer_lump_sum" if amount is not None else "offer_percent",
            Decimal(str(amount)) if amount is not None else None,
            Decimal(str(percent)) if percent is not None else None,
            None,
            self._model.facts,
            self.counterpart,
            self._user_offers(),
        )
        return found.sentence

    def _user_offers(self) -> Any:
        """``coach.hearing.weighing.user_offers_from(self.events)``, read on from where it was last read:
        each event adds its own offers, so a heard line no longer reads the whole call again."""
        from coach.hearing.weighing import OffersSoFar, user_offers_from

        read, last, mine, theirs = self._offers
        events = self.events
        if read > len(events) or (read and events[read - 1] is not last):
            read, mine, theirs = 0, (), ()  # the events it read were taken back (a failed step)
        if read < len(events):
            more = user_offers_from(events[read:])
            mine, theirs = mine + tuple(more), theirs + tuple(more.theirs)
            self._offers = (len(events), events[-1], mine, theirs)
        return OffersSoFar(mine, theirs)

    @_one_step
    def note(self, kind: str, text: str) -> Event:
        """Record a capture field (rep name, reference number, offer, promise, free note)."""
        text = masked_text(text)
        note_kind = self.playbook.notes.get(kind)
        if note_kind is None:
            raise CoachError(f"unknown note kind '{kind}' (known: {', '.join(self.playbook.notes)})")
        text = text.strip()
        if not text:
            raise CoachError(f"/{note_kind.command}: type the {note_kind.label.lower()} after the command")
        payload = NoteData(kind=kind)
        today = self._clock().date()
        if note_kind.type == "money":
            from coach.session.records import read_money

            try:
                record = read_money(text, today)
            except ValueError as error:
                raise CoachError(f"/{note_kind.command}: {error}") from None
            payload = as_payload(NoteData, {"kind": kind} | record.as_data())
            if note_kind.by:
                payload = replace(payload, by="user" if note_kind.by == "user" or record.mine else "them")
            event = self._emit("note", text, payload)
            self._record_facts(note_kind.facts, payload)
            return event
        elif note_kind.type == "date":
            from coach.session.records import read_date

            found = read_date(text, today)
            payload = NoteData(kind=kind, date=found.isoformat() if found else None, record="date")
        return self._emit("note", text, payload)

    def _record_facts(self, mapping: tuple[tuple[str, str], ...], note: NoteData) -> None:
        """An agreement's amount, months and due date become facts (the playbook maps which)."""
        fields = {
            "lump": None if note.monthly else note.amount,
            "monthly": note.amount if note.monthly else None,
            "months": note.months,
            "date": note.date,
        }
        for field_name, fact in mapping:
            if fields.get(field_name) is not None:
                self.set_fact(fact, fields[field_name])

    @_one_step
    def say(self, text: str) -> Event:
        """Record a line the user said (a rehearsal: the partner answers it)."""
        text = masked_text(text)
        self._require_open()
        text = text.strip()
        if not text:
            raise CoachError("nothing said: type what you say to them")
        return self._emit("said", text, SaidData(by="user"))

    @_one_step
    def undo(self) -> View:
        """Step back over the last choice or fact change (notes and heard lines stay recorded)."""
        if not self._undo:
            raise CoachError("nothing to undo")
        snapshot = self._undo.pop()
        before = self.node.qid
        self._restore(snapshot)
        self._finished = False
        self._emit("undo", "", UndoData(undone_after=snapshot.seq, from_=before, to=self.node.qid))
        self._show()
        return self.view()

    @_one_step
    def end(self, reason: str = "ended by user") -> Event:
        """Close the call; nothing can be chosen after this."""
        if self._finished:
            raise CoachError("the call has already ended")
        self._finished = True
        return self._emit("end", reason, EndData(reason=reason, reached_end=self.node.end))

    @_one_step
    def record_warning(self, text: str) -> Event:
        """Record that a warning was shown to the user (for review)."""
        return self._emit("warning", text, WarningData())

    @_one_step
    def record_score(self, summary: str, data: dict[str, Any] | ScoreData) -> Event:
        """Save a rehearsal scorecard with the call (allowed after the call has ended)."""
        payload = data if isinstance(data, ScoreData) else as_payload(ScoreData, jsonable(data))
        return self._emit("score", summary, payload)

    # -- internals ------------------------------------------------------

    def _require_open(self) -> None:
        if self._finished:
            raise CoachError("the call has ended")

    def _remember(self) -> None:
        self._undo.append(_Undo(self._model.state, dict(self._model.facts), len(self.events)))

    def _restore(self, snapshot: _Undo) -> None:
        self._machine.set_state(snapshot.state, self._model)
        facts = self._model.facts
        # a step back over a choice that set no fact keeps the very same values: the context (and what
        # was rendered over it) stays good
        same = len(facts) == len(snapshot.facts) and all(
            snapshot.facts.get(name, _ABSENT) is value for name, value in facts.items()
        )
        self._model.facts = dict(snapshot.facts)
        if not same:
            self._context = None
        self._version += 1

    def _show(self) -> None:
        view = self.view()
        payload = ShownData(
            phrase_id=view.phrase_id,
            coach=view.coach,
            warn=view.warn,
            choices=tuple(c.label for c in view.choices),
            render_errors=tuple(dict.fromkeys(self.render_errors)),
        )
        self.render_errors.clear()
        self._emit("shown", view.phrase, payload)

    def _emit(self, kind: EventKind, text: str, payload: Payload, at: Node | None = None) -> Event:
        """Record one event; ``payload`` must be the kind's (TypeError otherwise: Event.of)."""
        node = at or self.node
        event = Event.of(len(self.events) + 1, self._clock(), kind, node.stage, node.qid, text, payload)
        if self._sink is not None:
            self._sink(event)  # durable first: a failure here leaves the call unchanged in memory
        self.events.append(event)
        return event


def show_value(kind: str, value: Any) -> str:
    """A fact value the way a person reads it."""
    if kind == "money" and isinstance(value, Decimal):
        return render.money(value)
    if kind == "date" and isinstance(value, dt.date):
        return render.date(value)
    if kind == "bool":
        return "yes" if value else "no"
    return str(value)

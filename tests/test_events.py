"""Event payloads (coach.session.payloads): typed per kind, written and read through one converter,
and the stored JSON exactly what it was."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from coach.calls import CallRequest, open_call
from coach.casefile.store import Store
from coach.dialogue.schema import Playbook
from coach.rehearsal.record import read_call
from coach.rehearsal.scoring import score
from coach.session.events import EVENT_KINDS, Event, stored_events
from coach.session.payloads import (
    PAYLOADS,
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
    payload_of,
    to_data,
)

AT = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)

# One payload of every kind as its writer builds it, and the dict (key order included) it must store.
WRITTEN: list[tuple[str, Payload, dict[str, Any]]] = [
    (
        "start",
        StartData(counterpart="collections", mode="rehearse", facts={"balance": "2480.00"}, case=3, seed=7),
        {
            "counterpart": "collections",
            "mode": "rehearse",
            "facts": {"balance": "2480.00"},
            "case": 3,
            "seed": 7,
        },
    ),
    (
        "shown",
        ShownData(phrase_id="contact.open", coach="Ask.", warn="", choices=("Go on", "Back")),
        {"phrase_id": "contact.open", "coach": "Ask.", "warn": "", "choices": ["Go on", "Back"]},
    ),
    (
        "shown",
        ShownData(phrase_id="a.b", coach="", warn="w", choices=(), render_errors=("no fact 'x'",)),
        {"phrase_id": "a.b", "coach": "", "warn": "w", "choices": [], "render_errors": ["no fact 'x'"]},
    ),
    ("step", StepData(choice="lump", from_="a.b", to="a.c"), {"choice": "lump", "from": "a.b", "to": "a.c"}),
    (
        "fact",
        FactData(name="balance", value="12.50", old=None),
        {"name": "balance", "value": "12.50", "old": None},
    ),
    (
        "heard",
        HeardData(
            by="partner", intent="offer_lump_sum", amount="900.00", situation="lump", answers=("ask_id",)
        ),
        {
            "by": "partner",
            "intent": "offer_lump_sum",
            "amount": "900.00",
            "situation": "lump",
            "answers": ["ask_id"],
        },
    ),
    (
        "note",
        NoteData(kind="counter", amount="600.00", by="user", record="money"),
        {"kind": "counter", "amount": "600.00", "monthly": False, "months": None, "date": None, "by": "user"},
    ),
    ("note", NoteData(kind="deadline", record="date"), {"kind": "deadline", "date": None}),
    (
        "note",
        NoteData(kind="deadline", date="2026-04-01", record="date"),
        {"kind": "deadline", "date": "2026-04-01"},
    ),
    ("note", NoteData(kind="rep_name"), {"kind": "rep_name"}),
    ("said", SaidData(by="user"), {"by": "user"}),
    ("warning", WarningData(), {}),
    (
        "undo",
        UndoData(undone_after=4, from_="a.c", to="a.b"),
        {"undone_after": 4, "from": "a.c", "to": "a.b"},
    ),
    (
        "end",
        EndData(reason="ended by user", reached_end=False),
        {"reason": "ended by user", "reached_end": False},
    ),
    (
        "score",
        ScoreData(points=1, possible=2, items=({"id": "x", "label": "X", "passed": None, "why": "n/a"},)),
        {"points": 1, "possible": 2, "items": [{"id": "x", "label": "X", "passed": None, "why": "n/a"}]},
    ),
]


def fits(value: Any, hint: Any) -> bool:
    """Whether ``value`` is of the annotated type (the few shapes payload fields use)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any:
        return True
    if origin in (typing.Union, types.UnionType):
        return any(fits(value, arg) for arg in args)
    if origin is typing.Literal:
        return value in args
    if origin is tuple:
        return isinstance(value, tuple) and all(fits(v, args[0]) for v in value)
    if origin is Mapping or hint is Mapping:
        return isinstance(value, Mapping)
    if hint is type(None):
        return value is None
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, hint)


def test_every_kind_has_one_payload_class() -> None:
    assert set(PAYLOADS) == set(EVENT_KINDS)
    assert {kind for kind, _, _ in WRITTEN} == set(EVENT_KINDS)
    assert all(kind == cls.KIND for kind, cls in PAYLOADS.items())


@pytest.mark.parametrize(
    ("kind", "payload", "stored"), WRITTEN, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(WRITTEN)]
)
def test_each_payload_round_trips_through_the_store_byte_for_byte(
    tmp_path: Path, kind: str, payload: Payload, stored: dict[str, Any]
) -> None:
    event = Event.of(1, AT, kind, "contact", "contact.open", "text", payload)  # type: ignore[arg-type]
    assert json.dumps(event.data) == json.dumps(stored)  # the keys, their order and their values
    path = tmp_path / "c.db"
    store = Store.open(path)
    call = store.start_call(store.create_case({}, "c", None), "live", "collections")
    store.append(call, event)
    (back,) = store.events(call)
    store.close()
    assert back.payload == payload
    assert type(back.payload) is type(payload)
    (raw,) = sqlite3.connect(path).execute("SELECT data FROM events").fetchone()
    assert raw == json.dumps(stored)
    assert json.dumps(to_data(back.payload)) == raw  # read back and written again: the same bytes
    assert back.to_json()["data"] == stored  # what exports and `coach review --format json` write


def test_a_real_call_stores_every_kind_exactly_as_its_payload_writes_it(
    tmp_path: Path, playbook: Playbook
) -> None:
    """Every writer (engine, calls, partner, scoring) through the one converter, on the shipped dialogues."""
    path = tmp_path / "c.db"
    store = Store.open(path)
    request = CallRequest(mode="rehearse", counterpart="collections", seed=7, quick_facts={"balance": "2480"})
    call = open_call(store, playbook, request)
    call.opening()
    lines = [
        "/rep Morgan",
        "",
        "1",
        "/counter 700",
        "/deadline 2026-04-01",
        "/deadline soon",
        "/set balance 2400",
    ]
    for line in [*lines, "I can pay 800", "/back"]:
        call.submit(line)
    call.session.record_warning("careful")
    call.finish()
    card = score(call.session.events[:-1], call.session.facts, "collections")
    assert call.session.events[-1].data == card.as_json()  # the scorecard's payload: its JSON, key for key
    again = open_call(store, playbook, CallRequest(mode="live", counterpart="collections"))
    again.submit("they can take 1500 if paid today")
    again.submit("my card is 4111 1111 1111 1111")
    again.submit("we can do 30% off")
    again.submit("we can set up 75 a month for 12 months")
    rows = sqlite3.connect(path).execute("SELECT kind, data FROM events ORDER BY rowid").fetchall()
    store.close()
    assert {kind for kind, _ in rows} == set(EVENT_KINDS)
    for kind, raw in rows:
        payload = payload_of(kind, json.loads(raw))
        assert isinstance(payload, PAYLOADS[kind])
        assert payload.extra == {}, f"{kind} wrote a key its payload does not name: {payload.extra}"
        hints = typing.get_type_hints(type(payload))
        for f in dataclasses.fields(payload):
            value = getattr(payload, f.name)
            assert fits(value, hints[f.name]), f"{kind}.{f.name} = {value!r} is not {hints[f.name]}"
        assert json.dumps(to_data(payload)) == raw


def test_an_old_event_with_keys_missing_reads_with_defaults_and_keeps_unknown_keys() -> None:
    for kind in EVENT_KINDS:  # an event of any kind with no data at all still reads
        payload = Event(1, AT, kind, "a", "a.b", "", {}).payload  # type: ignore[arg-type]
        assert payload == PAYLOADS[kind]() and to_data(payload) == {}
    old = Event(
        3, AT, "note", "settle", "settle.agreed", "$900", {"amount": 900, "kind": "agreed", "legacy": [1]}
    )
    note = old.payload
    assert isinstance(note, NoteData)
    assert (note.kind, note.amount, note.monthly, note.months, note.date, note.by) == (
        "agreed",
        900,
        False,
        None,
        None,
        None,
    )
    assert note.record == "money" and note.extra == {"legacy": [1]}
    assert list(to_data(note)) == ["amount", "kind", "legacy"]  # as stored, in its order
    step = Event(2, AT, "step", "a", "a.b", "Go", {"choice": "go"}).payload
    assert step == StepData(choice="go") and step.from_ is None and step.to is None
    # the readers take the old shapes: a step with no from/to, an undo with no undone_after
    events = [
        Event(1, AT, "start", "a", "a.b", "", {}),
        Event(2, AT, "step", "a", "a.b", "Go", {}),
        Event(3, AT, "undo", "a", "a.b", "", {}),
        Event(4, AT, "heard", "a", "a.b", "hello", {}),
        old,
    ]
    from coach.rehearsal.files import load_personas

    record = read_call(events, load_personas(), {}, "collections")
    assert record.mode == "live" and record.choices == ["a.b:"] and len(record.heard) == 1


def test_a_payload_changed_after_reading_writes_its_new_field_in_place() -> None:
    note = payload_of(
        "note", {"kind": "offer", "amount": "5.00", "monthly": False, "months": None, "date": None}
    )
    assert isinstance(note, NoteData)
    assert list(to_data(dataclasses.replace(note, by="them"))) == [
        "kind",
        "amount",
        "monthly",
        "months",
        "date",
        "by",
    ]


def test_a_writer_cannot_emit_a_kind_with_another_kinds_payload(playbook: Playbook) -> None:
    """A runtime check in the one converter (Event.of → to_data), so Session._emit refuses too."""
    with pytest.raises(TypeError, match="a 'step' event needs StepData, not HeardData"):
        Event.of(1, AT, "step", "a", "a.b", "", HeardData(by="user"))
    with pytest.raises(TypeError, match="not an event payload"):
        to_data({"kind": "note"})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown event kind 'chat'"):
        payload_of("chat", {})
    from coach.session.engine import Session

    stored: list[Event] = []
    session = Session(playbook, "collections", {}, sink=stored.append)
    before = list(session.events)
    with pytest.raises(TypeError, match="a 'note' event needs NoteData, not SaidData"):
        session._emit("note", "hi", SaidData(by="user"))
    assert session.events == before and stored == before  # nothing recorded


def test_a_payload_read_is_the_one_its_init_would_make() -> None:
    """payload_of fills the dataclass's fields itself (for speed): the very fields __init__ sets."""
    stored = {
        "start": {"counterpart": "collections", "facts": {"balance": "10"}, "odd": 1},
        "shown": {"warn": "careful", "choices": ["a", "b"]},
        "heard": {"by": "them", "intents": ["offer"], "amount": "5.00"},
        "note": {"kind": "offer", "amount": "5.00", "date": "2026-12-01"},
        "step": {"from": "a.b", "to": "a.c"},
        "score": {"items": [{"id": "x"}]},
    }
    for kind in EVENT_KINDS:
        data = stored.get(kind, {})
        read = payload_of(kind, data)
        cls = PAYLOADS[kind]
        names = {f.metadata.get("key", f.name): f.name for f in dataclasses.fields(cls)}
        values = {names[k]: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in names}
        if cls is NoteData:
            values["record"] = "money"
        made = cls(**values, extra={k: v for k, v in data.items() if k not in names}, keys=tuple(data))
        assert read == made and vars(read) == vars(made)
    fresh = [payload_of("start", {}) for _ in range(2)]
    assert isinstance(fresh[0], StartData) and isinstance(fresh[1], StartData)
    assert fresh[0].facts is not fresh[1].facts and fresh[0].extra is not fresh[1].extra


def test_events_read_back_are_the_ones_their_init_would_make() -> None:
    """stored_events makes events without the frozen __init__ and decodes with json's scanner: the same."""
    raws = ['{"kind": "agreed", "amount": "900"}', "{}", ' {"a": [1, 2.5, null]} ', '{"é": "\\u2028"}', "[]"]
    rows = [
        (i, AT.isoformat(), "note", "settle", "settle.agreed", f"${i}", raw) for i, raw in enumerate(raws, 1)
    ]
    read = stored_events(rows)
    made = [
        Event(seq, dt.datetime.fromisoformat(at), k, s, n, t, json.loads(r))
        for seq, at, k, s, n, t, r in rows
    ]  # type: ignore[arg-type]
    assert read == made and [vars(e) for e in read] == [vars(e) for e in made]
    assert read[0].payload == made[0].payload and vars(read[0]) == vars(made[0])  # the payload kept alike
    with pytest.raises(dataclasses.FrozenInstanceError):
        read[0].text = "changed"  # type: ignore[misc]
    for broken in ('{"a": 1} x', "", "{", "\ufeff{}"):
        with pytest.raises(json.JSONDecodeError):
            stored_events([(1, AT.isoformat(), "note", "a", "a.b", "", broken)])

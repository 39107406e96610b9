"""Events: the one source of truth about a call.

Every step, phrase shown, fact change, heard line and note is an Event. A
transcript is a call's list of events; review, export, scoring and letters read
events, never screen state. Events are immutable and carry the text *as
shown*, so a review stays true after the dialogue files change.

``data`` is the payload as stored (JSON); ``payload`` is the same read as the
kind's dataclass (coach.session.payloads, the one place that converts).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from coach.session.payloads import Payload, jsonable, payload_of, to_data

__all__ = ["EVENT_KINDS", "Event", "EventKind", "decoded", "jsonable", "stored_event", "stored_events"]

EventKind = Literal[
    "start", "shown", "step", "fact", "heard", "said", "note", "warning", "undo", "end", "score"
]
EVENT_KINDS: tuple[str, ...] = (
    "start",
    "shown",
    "step",
    "fact",
    "heard",
    "said",
    "note",
    "warning",
    "undo",
    "end",
    "score",
)


@dataclass(frozen=True)
class Event:
    """One thing that happened, in order (``seq`` counts from 1 within a call)."""

    seq: int
    at: dt.datetime
    kind: EventKind
    stage: str
    node: str
    text: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(
        cls, seq: int, at: dt.datetime, kind: EventKind, stage: str, node: str, text: str, payload: Payload
    ) -> Event:
        """An event whose ``data`` is ``payload`` written by the one converter (``TypeError`` if
        ``payload`` is not the kind's: coach.session.payloads)."""
        return cls(seq, at, kind, stage, node, text, to_data(payload, kind))

    @property
    def payload(self) -> Payload:
        """``data`` read as this kind's payload dataclass (missing keys: defaults; unknown: ``extra``).

        Read once and kept (not a ``cached_property``: on Python 3.11 that takes a lock per read)."""
        found: Payload | None = self.__dict__.get("_payload")
        if found is None:
            found = payload_of(self.kind, self.data)
            object.__setattr__(self, "_payload", found)
        return found

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (Decimals and dates as strings)."""
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "kind": self.kind,
            "stage": self.stage,
            "node": self.node,
            "text": self.text,
            "data": jsonable(self.data),
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Event:
        """Inverse of :meth:`to_json` (data values stay as JSON gave them)."""
        kind = raw["kind"]
        if kind not in EVENT_KINDS:
            raise ValueError(f"unknown event kind '{kind}'")
        return cls(
            seq=int(raw["seq"]),
            at=dt.datetime.fromisoformat(raw["at"]),
            kind=kind,
            stage=str(raw["stage"]),
            node=str(raw["node"]),
            text=str(raw.get("text", "")),
            data=dict(raw.get("data") or {}),
        )


_new = object.__new__


def stored_events(rows: Iterable[tuple[int, str, str, str, str, str, str]]) -> list[Event]:
    """Events from stored rows (seq, at as ISO text, kind, stage, node, text, data as JSON text).

    Each is ``Event(seq, datetime.fromisoformat(at), kind, stage, node, text, JSONDecoder().decode(data))``,
    made without the frozen ``__init__`` (stored_event) and its data decoded as :func:`decoded` does: a
    review reads 10,000 rows. The same events (tests/test_events.py)."""
    parse, new = dt.datetime.fromisoformat, _new
    events: list[Event] = []
    add = events.append
    for seq, at, kind, stage, node, text, raw in rows:
        event: Event = new(Event)
        fields = event.__dict__
        fields["seq"] = seq
        fields["at"] = parse(at)
        fields["kind"] = kind
        fields["stage"] = stage
        fields["node"] = node
        fields["text"] = text
        fields["data"] = {} if raw == "{}" else decoded(raw)
        add(event)
    return events


def stored_event(
    seq: int, at: dt.datetime, kind: str, stage: str, node: str, text: str, data: dict[str, Any]
) -> Event:
    """``Event(seq, at, kind, stage, node, text, data)`` for a stored row already read (``at`` parsed,
    ``data`` decoded), made without the frozen ``__init__``: it sets each field through
    ``object.__setattr__``. The same event."""
    event: Event = _new(Event)
    fields = event.__dict__
    fields["seq"] = seq
    fields["at"] = at
    fields["kind"] = kind
    fields["stage"] = stage
    fields["node"] = node
    fields["text"] = text
    fields["data"] = data
    return event


def decoded(raw: str) -> Any:
    """A stored payload's JSON text as ``json.JSONDecoder().decode`` reads it, through json's C
    scanner without ``decode``'s Python wrapper (the same value, the same errors)."""
    if raw == "{}":
        return {}
    try:
        data, end = _SCAN(raw, 0)
    except StopIteration:  # not JSON that starts at once: decode says why, or reads it
        return _DECODER.decode(raw)
    if end != len(raw):  # something after the value (spaces, or not JSON)
        return _DECODER.decode(raw)
    return data


_DECODER = json.JSONDecoder()
_SCAN = _DECODER.scan_once  # type: ignore[attr-defined]  # (value, end) from a position: what decode calls

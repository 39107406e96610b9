"""Event payloads: one frozen dataclass per event kind, and the one converter.

An :class:`~coach.session.events.Event` stores its payload as the JSON dict
``data`` (the store, exports and ``coach review --format json`` write exactly
that dict). This module is the only place that turns one into the other:

* :func:`payload_of` reads a stored dict into the kind's dataclass. A key that
  is missing takes the field's default (``None``, ``()`` …, never a KeyError);
  a key this version does not know is kept in ``extra``; the stored key order
  is kept in ``keys``, so :func:`to_data` gives back the very same dict.
* :func:`to_data` writes a payload as the dict to store. A payload built by a
  writer (``keys`` is ``None``) writes its ``ALWAYS`` keys, and every other
  field that is set (not ``None``, not empty), in field order, then ``extra``.

Values stay as JSON has them (amounts are strings like ``"12.50"``; dates ISO
strings): reading an old event never fails on a value, and readers turn
amounts into Decimals where they use them, as before.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, Literal, NamedTuple, TypeVar

__all__ = [
    "PAYLOADS",
    "EndData",
    "FactData",
    "HeardData",
    "NoteData",
    "Payload",
    "SaidData",
    "ScoreData",
    "ShownData",
    "StartData",
    "StepData",
    "UndoData",
    "WarningData",
    "as_payload",
    "jsonable",
    "payload_of",
    "to_data",
]


def _alias(key: str) -> dict[str, str]:
    """Field metadata: the JSON key when it is not the field's name (``from`` is a keyword)."""
    return {"key": key}


@dataclass(frozen=True)
class _Base:
    """What every payload has: the keys this version does not know, and the stored key order."""

    KIND: ClassVar[str] = ""
    ALWAYS: ClassVar[tuple[str, ...]] = ()  # keys a writer always writes, even when None

    extra: Mapping[str, Any] = field(default_factory=dict, kw_only=True)
    keys: tuple[str, ...] | None = field(default=None, compare=False, repr=False, kw_only=True)

    def written(self, values: Mapping[str, Any]) -> tuple[str, ...]:
        """The keys a writer-built payload writes, given its field ``values`` (see :func:`to_data`)."""
        always = self.ALWAYS
        names = [key for key, value in values.items() if key in always or (value is not None and value != ())]
        return (*names, *self.extra)


@dataclass(frozen=True)
class StartData(_Base):
    """``start``: who the call is with and the facts it began with; a call's own keys."""

    KIND: ClassVar[str] = "start"
    ALWAYS: ClassVar[tuple[str, ...]] = ("counterpart", "mode", "facts")

    counterpart: str | None = None
    mode: str | None = None
    facts: Mapping[str, Any] = field(default_factory=dict)
    case: int | None = None
    persona: str | None = None
    difficulty: str | None = None
    seed: int | None = None
    resumed_at: str | None = None


@dataclass(frozen=True)
class ShownData(_Base):
    """``shown``: a step drawn (the phrase itself is the event's text)."""

    KIND: ClassVar[str] = "shown"
    ALWAYS: ClassVar[tuple[str, ...]] = ("phrase_id", "coach", "warn", "choices")

    phrase_id: str | None = None
    coach: str | None = None
    warn: str | None = None
    choices: tuple[str, ...] = ()
    render_errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class StepData(_Base):
    """``step``: a choice taken, from one node to another."""

    KIND: ClassVar[str] = "step"
    ALWAYS: ClassVar[tuple[str, ...]] = ("choice", "from", "to")

    choice: str | None = None
    from_: str | None = field(default=None, metadata=_alias("from"))
    to: str | None = None


@dataclass(frozen=True)
class FactData(_Base):
    """``fact``: a fact set (values as JSON: amounts and dates are strings)."""

    KIND: ClassVar[str] = "fact"
    ALWAYS: ClassVar[tuple[str, ...]] = ("name", "value", "old")

    name: str | None = None
    value: Any = None
    old: Any = None


@dataclass(frozen=True)
class HeardData(_Base):
    """``heard``: a line the other side said, what coach.hearing made of it (amounts as
    strings; ``monthly`` is the monthly amount) and, from a rehearsal partner, what it meant."""

    KIND: ClassVar[str] = "heard"
    ALWAYS: ClassVar[tuple[str, ...]] = ("by",)

    by: str | None = None
    intent: str | None = None
    intents: tuple[str, ...] = ()
    amount: str | None = None
    percent: str | None = None
    monthly: str | None = None
    months: int | None = None
    fee: str | None = None
    refused: str | None = None
    reply: str | None = None
    warning: str | None = None
    verdict: str | None = None
    weigh: str | None = None
    counter: str | None = None
    situation: str | None = None
    accepted: bool | None = None
    answers: tuple[str, ...] = ()
    also: tuple[str, ...] = ()


NoteRecord = Literal["text", "money", "date"]


@dataclass(frozen=True)
class NoteData(_Base):
    """``note``: a capture field. ``record`` says what it records: a money note writes
    amount, monthly, months and date (None when not said); a date note writes its date
    (None when none was read); a text note only its kind."""

    KIND: ClassVar[str] = "note"

    kind: str | None = None
    amount: str | None = None
    monthly: bool = False
    months: int | None = None
    date: str | None = None
    by: str | None = None
    record: NoteRecord = field(default="text", metadata={"stored": False})

    def written(self, values: Mapping[str, Any]) -> tuple[str, ...]:
        names = ("kind", *_NOTE_SHAPES[self.record]) + (("by",) if self.by is not None else ())
        return (*names, *self.extra)


_NOTE_SHAPES: dict[str, tuple[str, ...]] = {
    "money": ("amount", "monthly", "months", "date"),
    "date": ("date",),
    "text": (),
}


@dataclass(frozen=True)
class SaidData(_Base):
    """``said``: a line the user said (the text is the event's)."""

    KIND: ClassVar[str] = "said"
    ALWAYS: ClassVar[tuple[str, ...]] = ("by",)

    by: str | None = None


@dataclass(frozen=True)
class WarningData(_Base):
    """``warning``: a warning shown (the text is the event's; no keys of its own)."""

    KIND: ClassVar[str] = "warning"


@dataclass(frozen=True)
class UndoData(_Base):
    """``undo``: back over the events after ``undone_after``, from one node to another."""

    KIND: ClassVar[str] = "undo"
    ALWAYS: ClassVar[tuple[str, ...]] = ("undone_after", "from", "to")

    undone_after: int | None = None
    from_: str | None = field(default=None, metadata=_alias("from"))
    to: str | None = None


@dataclass(frozen=True)
class EndData(_Base):
    """``end``: why the call ended, and whether it reached an end of the playbook."""

    KIND: ClassVar[str] = "end"
    ALWAYS: ClassVar[tuple[str, ...]] = ("reason", "reached_end")

    reason: str | None = None
    reached_end: bool | None = None


@dataclass(frozen=True)
class ScoreData(_Base):
    """``score``: a rehearsal scorecard (each item: id, label, passed, why)."""

    KIND: ClassVar[str] = "score"
    ALWAYS: ClassVar[tuple[str, ...]] = ("points", "possible", "items")

    points: int | None = None
    possible: int | None = None
    items: tuple[Mapping[str, Any], ...] = ()


Payload = (
    StartData
    | ShownData
    | StepData
    | FactData
    | HeardData
    | NoteData
    | SaidData
    | WarningData
    | UndoData
    | EndData
    | ScoreData
)

PAYLOADS: dict[str, type[Payload]] = {
    cls.KIND: cls
    for cls in (
        StartData,
        ShownData,
        StepData,
        FactData,
        HeardData,
        NoteData,
        SaidData,
        WarningData,
        UndoData,
        EndData,
        ScoreData,
    )
}

P = TypeVar("P", bound=_Base)


def _stored_fields(cls: type[_Base]) -> dict[str, dataclasses.Field[Any]]:
    """JSON key → field, for the fields a payload stores (not extra, keys, record)."""
    return {
        f.metadata.get("key", f.name): f
        for f in dataclasses.fields(cls)
        if f.name not in ("extra", "keys") and f.metadata.get("stored", True)
    }


_FIELDS: dict[type[_Base], dict[str, dataclasses.Field[Any]]] = {
    cls: _stored_fields(cls) for cls in PAYLOADS.values()
}


_NAMES: dict[type[_Base], tuple[tuple[str, str], ...]] = {
    cls: tuple((key, f.name) for key, f in fields.items()) for cls, fields in _FIELDS.items()
}
# For reading: stored key → field name, and the keys whose JSON list becomes a tuple.
_READ: dict[type[_Base], tuple[dict[str, str], frozenset[str]]] = {
    cls: (
        {key: f.name for key, f in fields.items()},
        frozenset(k for k, f in fields.items() if f.default == ()),
    )
    for cls, fields in _FIELDS.items()
}
_PLAIN = (str, int, bool, float, type(None))  # JSON already: written as they are


def _blank(cls: type[_Base]) -> tuple[dict[str, Any], tuple[tuple[str, Any], ...]]:
    """A payload's fields before reading: the plain defaults, and the factories of the others."""
    plain: dict[str, Any] = {}
    made: list[tuple[str, Any]] = []
    for f in dataclasses.fields(cls):
        if f.name == "extra":  # payload_of sets it
            continue
        if f.default_factory is not dataclasses.MISSING:
            made.append((f.name, f.default_factory))
        else:
            plain[f.name] = f.default
    return plain, tuple(made)


class _Reader(NamedTuple):
    """What payload_of needs to read one kind, looked up once per event."""

    cls: type[Payload]
    names: dict[str, str]  # stored key → field name
    listed: frozenset[str]  # the keys whose JSON list becomes a tuple
    same: frozenset[str]  # the stored keys that are their field's name (not ``from``: ``from_``)
    plain: dict[str, Any]  # the defaults
    made: tuple[tuple[str, Any], ...]  # the fields with a default factory (not extra: always set)
    shapes: dict[tuple[str, ...], tuple[str, ...] | None]  # see _listed_in


def _listed_in(reader: _Reader, keys: tuple[str, ...]) -> tuple[str, ...] | None:
    """For stored keys whose every one is a field of its very name: those whose list becomes a
    tuple; None for any other keys (an alias, an unknown key). Kept per shape: a kind's writer
    writes the same keys each time, so a call's 10,000 events have a handful of shapes."""
    found = reader.shapes.get(keys, False)
    if found is False:
        found = tuple(key for key in keys if key in reader.listed) if reader.same.issuperset(keys) else None
        if len(reader.shapes) < 256:  # old or odd data cannot grow it without end
            reader.shapes[keys] = found
    return found  # type: ignore[return-value]


def _reader(cls: type[Payload]) -> _Reader:
    names, listed = _READ[cls]
    plain, made = _blank(cls)
    same = frozenset(key for key, name in names.items() if key == name)
    return _Reader(cls, names, listed, same, plain, made, {})


# payload_of fills a payload's __dict__ as its __init__ would (no __post_init__, no slots): a frozen
# dataclass's __init__ sets each of its up to 22 fields through object.__setattr__, and a review
# reads 10,000 of them (tests/test_events.py checks the two ways give equal payloads).
_READERS: dict[str, _Reader] = {kind: _reader(cls) for kind, cls in PAYLOADS.items()}
_new = object.__new__


def _values(payload: _Base) -> dict[str, Any]:
    return {key: getattr(payload, name) for key, name in _NAMES[type(payload)]}


def _default(f: dataclasses.Field[Any]) -> Any:
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return f.default


def payload_of(kind: str, data: Mapping[str, Any]) -> Payload:
    """The payload of an event of ``kind`` stored as ``data`` (the one place data is read).

    Missing keys take the field's default; unknown keys go to ``extra``; JSON lists
    become tuples. ``ValueError`` for a kind that is not an event kind."""
    reader = _READERS.get(kind)
    if reader is None:
        raise ValueError(f"unknown event kind '{kind}'")
    cls, names, listed, _, plain, made, _ = reader
    payload = _new(cls)
    values = payload.__dict__
    values.update(plain)
    for made_name, factory in made:
        values[made_name] = factory()
    extra: dict[str, Any] = {}
    keys = tuple(data)
    if (lists := _listed_in(reader, keys)) is not None:  # every key a field of its name: at once
        values.update(data)
        for key in lists:
            if isinstance(value := data[key], list):
                values[key] = tuple(value)
    else:
        for key, value in data.items():  # a stored dict holds a few keys; a payload may declare twenty
            name = names.get(key)
            if name is None:
                extra[key] = value
            else:
                values[name] = tuple(value) if key in listed and isinstance(value, list) else value
    if cls is NoteData:
        values["record"] = "money" if "amount" in data else "date" if "date" in data else "text"
    values["extra"] = extra
    values["keys"] = keys
    return payload


def to_data(payload: Payload, kind: str | None = None) -> dict[str, Any]:
    """The dict to store for ``payload`` (the one place data is written), JSON-ready.

    ``kind``: the event kind it is written for; a payload of another kind is a
    ``TypeError`` (a writer cannot emit a step with a heard payload)."""
    if kind is not None and kind != payload.KIND:
        raise TypeError(
            f"a '{kind}' event needs {getattr(PAYLOADS.get(kind), '__name__', 'no payload')}, not {type(payload).__name__}"
        )
    if type(payload) not in _FIELDS:
        raise TypeError(f"{type(payload).__name__} is not an event payload")
    values = _values(payload)
    names = payload.written(values)
    if payload.keys is not None:  # as stored, and any field set since (dataclasses.replace)
        defaults = {key: _default(f) for key, f in _FIELDS[type(payload)].items()}
        names = (
            *payload.keys,
            *(k for k in names if k not in payload.keys and values.get(k) != defaults.get(k)),
        )
    out: dict[str, Any] = {}
    for key in names:
        if key in values:
            value = values[key]
        elif key in payload.extra:
            value = payload.extra[key]
        else:
            continue
        out[key] = value if isinstance(value, _PLAIN) else jsonable(value)
    return out


def jsonable(value: Any) -> Any:
    """Make facts and event data safe for JSON: Decimal → "12.50", date → ISO."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def as_payload(cls: type[P], data: Mapping[str, Any]) -> P:
    """``data`` read as a ``cls`` payload (a writer that merges dicts, like ``hear``)."""
    payload = payload_of(cls.KIND, data)
    if not isinstance(payload, cls):
        raise TypeError(f"{cls.__name__} is not an event payload")
    return payload

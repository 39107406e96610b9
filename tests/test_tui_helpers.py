"""Helpers shared by the TUI tests (no tests here): call arguments, a clock that stands still, a saved call."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from coach.casefile.store import Store
from coach.session.events import Event

FIXTURES = Path(__file__).parent / "fixtures"
AT = dt.datetime(2026, 11, 20, 15, 4, tzinfo=dt.UTC)


def call_args(counterpart: str = "collections", **extra: Any) -> argparse.Namespace:
    """What `coach live|rehearse --counterpart X --facts tests/fixtures/facts.yaml` passes to the app."""
    values: dict[str, Any] = dict(
        counterpart=counterpart, case=None, facts=FIXTURES / "facts.yaml", dialogues=None, call=None
    )
    values.update(extra)
    return argparse.Namespace(**values)


class FrozenClock:
    """The call timer's clock: stands still until a test moves it."""

    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def saved_call(facts: dict[str, Any] | None = None) -> int:
    """A finished live call with fixed times and every capture field, straight into the store."""
    store = Store.open()
    case_id = store.create_case(
        facts or {"creditor": "Midstate Recovery"}, "Midstate Recovery AC-558812", "collections"
    )
    call_id = store.start_call(case_id, "live", "collections")
    lines: list[tuple[str, str, dict[str, Any]]] = [
        ("start", "", {"mode": "live", "counterpart": "collections"}),
        ("shown", "I'm calling about account AC-558812.", {}),
        ("note", "Dana Lopez", {"kind": "rep_name"}),
        ("note", "4471", {"kind": "rep_id"}),
        ("note", "REF-4471", {"kind": "reference"}),
        ("heard", "We can take $1,200 if you pay today", {"by": "counterpart"}),
        ("note", "1200", {"kind": "offer", "amount": "1200.00"}),
        ("note", "mail the validation notice by 2026-12-05", {"kind": "promise"}),
        ("note", "dispute by 2026-12-02", {"kind": "deadline"}),
        ("end", "ended by user", {}),
    ]
    for seq, (kind, text, data) in enumerate(lines, 1):
        at = AT + dt.timedelta(seconds=40 * seq)
        store.append(call_id, Event(seq, at, kind, "contact", "contact.open", text, data))  # type: ignore[arg-type]
    store.end_call(call_id, "ended by user")
    store._db.execute(
        "UPDATE calls SET started = ?, ended = ? WHERE id = ?",
        (AT.isoformat(), (AT + dt.timedelta(minutes=6)).isoformat(), call_id),
    )
    store.close()
    return call_id


def board(screen: Any) -> Any:
    """The call screen's main column (the big box, its warning and guidance, the choices)."""
    from coach.tui.widgets.board import StepBoard

    return screen.query_one(StepBoard)


def box_text(screen: Any) -> str:
    """What the big box says (the phrase, the coach's words or the reply), as plain text."""
    return str(board(screen).box_text)


def box_in_view(screen: Any, size: tuple[int, int]) -> bool:
    """The big box is on screen, whole: its top border to its bottom border."""
    region = board(screen).box_region()
    _, count = board(screen)._rows.box
    return region.height == count and region.y >= 0 and region.bottom <= size[1] and region.right <= size[0]

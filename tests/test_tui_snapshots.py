"""Pictures of each screen at 80×24 (pytest-textual-snapshot). Update with --snapshot-update."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from coach.events import Event
from coach.store import Store
from coach.tui.app import make_app
from coach.tui.screens.call import CallScreen
from tests.conftest import COLLECTIONS_TO_OPEN

FIXTURES = Path(__file__).parent / "fixtures"
SIZE = (80, 24)
AT = dt.datetime(2026, 11, 20, 15, 4, tzinfo=dt.UTC)


def args(counterpart: str = "collections") -> argparse.Namespace:
    return argparse.Namespace(
        counterpart=counterpart, case=None, facts=FIXTURES / "facts.yaml", dialogues=None, call=1
    )


async def freeze_timer(pilot: Any) -> None:
    screen = pilot.app.screen
    if isinstance(screen, CallScreen):
        screen.frozen_clock = "⏱ 03:12"
        screen.tick()
    await pilot.pause()


def saved_call() -> None:
    """A call with fixed times, so the review picture never changes."""
    store = Store.open()
    case_id = store.create_case(
        {"creditor": "Midstate Recovery"}, "Midstate Recovery AC-558812", "collections"
    )
    call_id = store.start_call(case_id, "live", "collections")
    lines = [
        ("start", "", {"mode": "live", "counterpart": "collections"}),
        ("shown", "I'm calling about account AC-558812.", {}),
        ("note", "Dana Lopez", {"kind": "rep_name"}),
        ("note", "REF-4471", {"kind": "reference"}),
        ("heard", "We can take $1,200 if you pay today", {"by": "counterpart"}),
        ("note", "1200", {"kind": "offer", "amount": "1200.00"}),
        ("note", "mail the validation notice by 2026-12-05", {"kind": "promise"}),
        ("end", "ended by user", {}),
    ]
    for seq, (kind, text, data) in enumerate(lines, 1):
        store.append(
            call_id,
            Event(seq, AT + dt.timedelta(seconds=40 * seq), kind, "contact", "contact.open", text, data),
        )  # type: ignore[arg-type]
    store.end_call(call_id, "ended by user")
    store._db.execute(
        "UPDATE calls SET started = ?, ended = ?",
        (AT.isoformat(), (AT + dt.timedelta(minutes=6)).isoformat()),
    )
    store.close()


def test_home(snap_compare: Any) -> None:
    assert snap_compare(make_app("home"), terminal_size=SIZE)


def test_live_call(snap_compare: Any) -> None:
    async def steps(pilot: Any) -> None:
        screen = pilot.app.screen
        for line in [
            *COLLECTIONS_TO_OPEN,
            "/rep Dana Lopez",
            "/ref REF-4471",
            "We can take $1,200 if you pay today",
        ]:
            screen.submit(line)
        await freeze_timer(pilot)

    assert snap_compare(make_app("live", args()), terminal_size=SIZE, run_before=steps)


def test_rehearse_small_terminal(snap_compare: Any) -> None:
    assert snap_compare(make_app("rehearse", args("doctor")), terminal_size=(60, 20), run_before=freeze_timer)


def test_review(snap_compare: Any) -> None:
    saved_call()
    assert snap_compare(make_app("review", args()), terminal_size=SIZE)


def test_help(snap_compare: Any) -> None:
    async def steps(pilot: Any) -> None:
        await pilot.press("f1")

    assert snap_compare(make_app("home"), terminal_size=SIZE, run_before=steps)

"""Pictures of each screen (pytest-textual-snapshot). Update with: pytest tests/test_tui_snapshots.py --snapshot-update

Deterministic: a fresh COACH_HOME (conftest), TZ=UTC, the fixture facts, saved calls with fixed
times, a frozen call timer and a fixed rehearsal seed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from coach.tui.app import make_app
from tests.conftest import COLLECTIONS_TO_OPEN
from tests.test_tui_helpers import FrozenClock, call_args, saved_call

SIZE = (80, 24)
LETTER_FACTS = {
    "patient_name": "Jordan Rivera",
    "patient_address": "12 Elm St, Salem OR",
    "account_number": "AC-558812",
    "creditor": "Midstate Recovery",
    "original_creditor": "St. Anne Regional Hospital",  # the assistance letter goes to the hospital
}


def mid_call(clock: FrozenClock, seconds: int, lines: list[str]) -> Any:
    """A run_before that takes the call through ``lines`` and sets the timer to ``seconds``."""

    async def steps(pilot: Any) -> None:
        screen = pilot.app.screen
        for line in lines:
            screen.submit(line)
        clock.now = seconds
        screen.query_one("#timer").tick()
        await pilot.pause()

    return steps


LIVE_LINES = [*COLLECTIONS_TO_OPEN, "/rep Dana Lopez", "/ref REF-4471", "We can take $1,200 if you pay today"]


def test_home(snap_compare: Any) -> None:
    saved_call()
    assert snap_compare(make_app("home"), terminal_size=SIZE)


def test_live_call(snap_compare: Any) -> None:
    clock = FrozenClock()
    app = make_app("live", call_args(), clock=clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=mid_call(clock, 192, LIVE_LINES))


def test_live_call_at_60x20(snap_compare: Any) -> None:
    clock = FrozenClock()
    app = make_app("live", call_args(), clock=clock)
    assert snap_compare(app, terminal_size=(60, 20), run_before=mid_call(clock, 192, LIVE_LINES))


def test_live_call_first_step(snap_compare: Any) -> None:
    clock = FrozenClock()
    app = make_app("live", call_args(), clock=clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=mid_call(clock, 5, []))


def test_rehearse(snap_compare: Any) -> None:
    clock = FrozenClock()
    app = make_app("rehearse", call_args("collections", persona="tough", seed=7), clock=clock)
    lines = [*COLLECTIONS_TO_OPEN, "", "2"]
    assert snap_compare(app, terminal_size=SIZE, run_before=mid_call(clock, 37, lines))


def test_review(snap_compare: Any) -> None:
    app = make_app("review", call_args(call=saved_call()))
    assert snap_compare(app, terminal_size=SIZE)


def test_review_timeline(snap_compare: Any) -> None:
    app = make_app("review", call_args(call=saved_call()))
    assert snap_compare(app, terminal_size=SIZE, press=["t"])


def test_letter_preview(snap_compare: Any) -> None:
    app = make_app("review", call_args(call=saved_call(LETTER_FACTS)), today=lambda: dt.date(2026, 11, 21))
    assert snap_compare(app, terminal_size=SIZE, press=["l", "down", "enter"])


def test_help(snap_compare: Any) -> None:
    assert snap_compare(make_app("home"), terminal_size=SIZE, press=["f1"])

"""Pictures of each screen (pytest-textual-snapshot). Update with: pytest tests/test_tui_snapshots.py --snapshot-update

Deterministic: a fresh COACH_HOME (conftest), TZ=UTC, the fixture facts, saved calls with fixed
times, a frozen call timer, a fixed rehearsal seed and a fixed date for the case card and the plan.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from coach.tui.app import make_app
from tests.test_tui_helpers import FIXTURES, FrozenClock, call_args, saved_call

SIZE = (80, 24)
TODAY = dt.date(2026, 11, 21)
LETTER_FACTS = {
    "patient_name": "Jordan Rivera",
    "patient_address": "12 Elm St, Salem OR",
    "account_number": "AC-558812",
    "creditor": "Midstate Recovery",
    "original_creditor": "St. Anne Regional Hospital",  # the assistance letter goes to the hospital
}
LIVE_LINES = ["/rep Dana Lopez", "/ref REF-4471", "We can take $1,200 if you pay today"]


def mid_call(clock: FrozenClock, seconds: int, lines: list[str]) -> Any:
    """A run_before that takes the call through ``lines`` and sets the timer to ``seconds``."""

    async def steps(pilot: Any) -> None:
        screen = pilot.app.screen
        line_input = screen.query_one("#line")
        line_input.cursor_blink = (
            False  # the cursor always drawn: a picture cannot depend on when it is taken
        )
        for text in lines:
            screen.submit(text)
        clock.now = seconds
        screen.query_one("#timer").tick()
        await pilot.pause(0.2)

    return steps


def frozen_today(monkeypatch: Any) -> None:
    """The case card counts days left from the session's today: freeze it."""
    from coach.session.engine import Session

    monkeypatch.setattr(Session, "today", lambda self: TODAY)


def test_home(snap_compare: Any) -> None:
    saved_call()
    assert snap_compare(make_app("home"), terminal_size=SIZE)


def test_live_call(snap_compare: Any, monkeypatch: Any) -> None:
    frozen_today(monkeypatch)
    clock = FrozenClock()
    app = make_app("live", call_args(), clock=clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=mid_call(clock, 192, LIVE_LINES))


def test_live_call_at_60x20(snap_compare: Any, monkeypatch: Any) -> None:
    frozen_today(monkeypatch)
    clock = FrozenClock()
    app = make_app("live", call_args(), clock=clock)
    assert snap_compare(app, terminal_size=(60, 20), run_before=mid_call(clock, 192, LIVE_LINES))


def test_live_call_first_step(snap_compare: Any, monkeypatch: Any) -> None:
    frozen_today(monkeypatch)
    clock = FrozenClock()
    app = make_app("live", call_args(), clock=clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=mid_call(clock, 5, []))


def test_live_call_asks(snap_compare: Any, monkeypatch: Any) -> None:
    frozen_today(monkeypatch)
    clock = FrozenClock()
    app = make_app("live", call_args(), clock=clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=mid_call(clock, 40, ["1"]))


def test_rehearse(snap_compare: Any, monkeypatch: Any) -> None:
    frozen_today(monkeypatch)
    clock = FrozenClock()
    app = make_app("rehearse", call_args("collections", persona="tough", seed=7), clock=clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=mid_call(clock, 37, ["1"]))


def test_prepare(snap_compare: Any) -> None:
    args = argparse.Namespace(case=None, facts=None, counterpart="collections", dialogues=None)
    assert snap_compare(make_app("prepare", args), terminal_size=SIZE, press=["6"])


def test_plan(snap_compare: Any, monkeypatch: Any) -> None:
    frozen_today(monkeypatch)
    args = argparse.Namespace(
        case=None, facts=FIXTURES / "facts.yaml", counterpart="collections", dialogues=None
    )

    async def to_plan(pilot: Any) -> None:
        from coach.tui.screens.prepare import PrepareScreen

        await pilot.press("6")
        for _ in range(20):
            screen = pilot.app.screen
            if not isinstance(screen, PrepareScreen):
                break
            assert screen.prep is not None
            await pilot.press("2" if screen.prep.view().choices else "enter")
        await pilot.pause(0.2)

    app = make_app("prepare", args, today=lambda: TODAY)
    assert snap_compare(app, terminal_size=SIZE, run_before=to_plan)


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

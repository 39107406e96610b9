"""A rehearsal in the app: the partner's lines are heard events (by="partner"), the scorecard is saved."""

from __future__ import annotations

from coach.store import Store
from coach.tui.app import make_app
from coach.tui.plain import plain_text
from coach.tui.screens.call import CallScreen
from coach.tui.screens.home import HomeScreen
from coach.tui.screens.review import ReviewScreen
from coach.tui.widgets.transcript import Transcript
from tests.conftest import COLLECTIONS_TO_OPEN
from tests.test_tui_helpers import call_args


async def test_partner_answers_and_its_lines_are_stored() -> None:
    app = make_app("rehearse", call_args("collections", persona="tough", seed=7))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, CallScreen) and screen.partner is not None
        assert screen.has_class("rehearse")
        assert "REHEARSAL" in str(screen.query_one("#badge").render())
        transcript = screen.query_one(Transcript)
        assert transcript.lines[0] == f"Them: {screen.partner.opening()}"
        shown_in_reply = 0
        for line in [*COLLECTIONS_TO_OPEN, "", "2"]:  # open the call, then ask for validation
            before = len(screen.session.events)
            screen.submit(line)
            new = [e for e in screen.session.events[before:] if e.kind == "heard"]
            if new:  # the partner answered this step: its words are in the reply box until the next step
                assert new[-1].node == screen.session.view().node
                assert f'Them: "{new[-1].text}"' in str(screen.query_one("#reply").render())
                shown_in_reply += 1
        await pilot.pause()
        said = [e for e in Store.open().events(screen.call_id) if e.kind == "heard"]
        assert said and shown_in_reply == len(said)
        assert all(e.data["by"] == "partner" for e in said)
        assert f"Them: {said[-1].text}" in transcript.lines


async def test_ending_a_rehearsal_saves_its_scorecard_and_shows_it() -> None:
    app = make_app("rehearse", call_args("collections", persona="tough", seed=7))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, CallScreen)
        for line in [*COLLECTIONS_TO_OPEN, "", "2"]:
            screen.submit(line)
        await pilot.press("f10", "enter")
        await pilot.pause()
        events = Store.open().events(screen.call_id)
        assert events[-1].kind == "score" and events[-1].text.startswith("Scorecard: ")
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.summary is not None and "Scorecard" in plain_text(app.screen.summary)


async def test_home_starts_a_rehearsal_with_the_picked_counterpart() -> None:
    app = make_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("5")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CallScreen)
        assert (screen.session.mode, screen.session.counterpart) == ("rehearse", "doctor")
        assert screen.partner is not None and app.current_mode == "rehearse"
        await pilot.press("f2", "2")  # a live call alongside: its own mode
        await pilot.pause()
        live = app.screen
        assert isinstance(live, CallScreen) and live.session.mode == "live" and app.current_mode == "live"
        await pilot.press("f4")
        assert app.screen is screen


async def test_rehearsal_at_60x20_keeps_phrase_and_choices() -> None:
    app = make_app("rehearse", call_args("doctor", seed=1))
    async with app.run_test(size=(60, 20)) as pilot:
        screen = app.screen
        assert isinstance(screen, CallScreen)
        for widget in ("#phrase", "#choices .choice"):
            region = screen.query_one(widget).region
            assert region.height > 0 and region.bottom <= 20
        await pilot.press("6")
        assert screen.session.node.qid == "assess.who-sent"

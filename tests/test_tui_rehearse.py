"""A rehearsal in the app: the partner speaks first, its lines take the big box, the scorecard is saved."""

from __future__ import annotations

from coach.casefile.store import Store
from coach.tui.app import make_app
from coach.tui.plain import plain_text
from coach.tui.screens.call import CallScreen
from coach.tui.screens.home import CaseScreen, HomeScreen
from coach.tui.screens.modals import ChooseScreen
from coach.tui.screens.review import ReviewScreen
from coach.tui.widgets.call_input import CallInput
from coach.tui.widgets.transcript import Transcript
from tests.test_tui_helpers import board, box_text, call_args


async def test_the_partner_speaks_first_and_its_line_takes_the_big_box() -> None:
    app = make_app("rehearse", call_args("collections", persona="tough", seed=7))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CallScreen) and screen.call.partner is not None
        assert "REHEARSAL" in str(screen.query_one("#badge").render())
        greeting = [e for e in Store.open().events(screen.call_id) if e.kind == "heard"]
        assert len(greeting) == 1 and greeting[0].data["by"] == "partner"
        assert f'Them: "{greeting[0].text}"' in box_text(screen)
        assert screen.query_one(Transcript).plain_lines[0] == f"Them: {greeting[0].text}"
        screen.query_one(CallInput).value = "I'm calling about account AC-558812."
        await pilot.press("enter")
        await pilot.pause()
        events = Store.open().events(screen.call_id)
        said = [e for e in events if e.kind == "said"]
        assert said and said[-1].text == "I'm calling about account AC-558812."
        await pilot.press("1")  # on to the asks: the partner answers, and its answer takes the box
        await pilot.pause()
        answer = [e for e in Store.open().events(screen.call_id) if e.kind == "heard"][-1]
        assert answer.seq > said[-1].seq and answer.data["by"] == "partner"
        assert f'Them: "{answer.text}"' in box_text(screen)
        assert screen.call.reply is answer or screen.call.reply == answer


async def test_ending_a_rehearsal_saves_its_scorecard_and_shows_it() -> None:
    app = make_app("rehearse", call_args("collections", persona="tough", seed=7))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, CallScreen)
        for line in ["/rep Morgan", "1", "2"]:
            screen.submit(line)
        await pilot.press("f10", "enter")
        await pilot.pause()
        events = Store.open().events(screen.call_id)
        assert any(e.kind == "score" and e.text.startswith("Scorecard: ") for e in events)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.summary is not None and "Scorecard" in plain_text(app.screen.summary)


async def test_rehearse_from_a_case_picks_persona_and_difficulty() -> None:
    store = Store.open()
    case_id = store.create_case(
        {"account_number": "AC-1", "balance": "640.00", "creditor": "Dr. Lee"}, "Dr. Lee AC-1", "doctor"
    )
    store.close()
    app = make_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("4")  # prepare, call now, review, then the case
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen) and app.screen.case_id == case_id
        await pilot.press("2")  # rehearse
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen)
        assert "Casey, billing at the front desk" in [label for _, label in app.screen.options]
        await pilot.press("3")  # the second persona
        await pilot.pause()
        await pilot.press("3")  # tough
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CallScreen) and screen.mode == "rehearse"
        start = Store.open().events(screen.call_id)[0]
        assert start.data["persona"] == "front-desk" and start.data["difficulty"] == "tough"
        assert Store.open().call(screen.call_id).case_id == case_id


async def test_rehearsal_at_60x20_keeps_the_big_box_and_choices() -> None:
    app = make_app("rehearse", call_args("doctor", seed=1))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CallScreen)
        for region in (screen.query_one("#card").region, board(screen).choices_region()):
            assert region.height > 0 and region.bottom <= 20
        assert board(screen).box_region().height > 0

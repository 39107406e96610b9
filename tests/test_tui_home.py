"""Home in the app: the start menu, the cases, the recent calls, help and the command palette."""

from __future__ import annotations

from coach.store import Store
from coach.tui.app import make_app
from coach.tui.screens.call import CallScreen
from coach.tui.screens.help import HelpScreen
from coach.tui.screens.home import HomeScreen
from coach.tui.screens.review import ReviewScreen
from tests.test_tui_helpers import saved_call


async def test_number_keys_start_a_live_call_with_the_right_counterpart() -> None:
    app = make_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, HomeScreen) and app.current_mode == "home"
        await pilot.press("3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CallScreen)
        assert (screen.session.mode, screen.session.counterpart) == ("live", "collections")
        assert Store.open().call(screen.call_id).mode == "live"
        assert screen.session.events[0].kind == "start"


async def test_enter_on_the_start_menu_and_review_entry() -> None:
    app = make_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "enter")  # the second entry: a live call with a doctor's office
        await pilot.pause()
        assert isinstance(app.screen, CallScreen) and app.screen.session.counterpart == "doctor"
        await pilot.press("f2", "7")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_a_picked_case_is_used_by_the_next_call() -> None:
    call_id = saved_call({"creditor": "Midstate Recovery", "balance": "2480"})
    case_id = Store.open().call(call_id).case_id
    app = make_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", "enter")
        assert f"case {case_id}, Midstate Recovery AC-558812" in str(
            app.screen.query_one("#case-chosen").render()
        )
        await pilot.press("3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CallScreen)
        assert Store.open().call(screen.call_id).case_id == case_id
        assert screen.session.facts["creditor"] == "Midstate Recovery"


async def test_a_recent_call_opens_its_review() -> None:
    first = saved_call()
    saved_call()
    app = make_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r", "down", "enter")  # newest first: down is the older call
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.call_id == first
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_help_opens_with_f1_or_question_mark() -> None:
    app = make_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("f1", "question_mark"):
            await pilot.press(key)
            assert isinstance(app.screen, HelpScreen)
            assert "start: live call (1-3), rehearsal (4-6), review (7)" in app.screen.plain_text()
            await pilot.press("escape")
            assert isinstance(app.screen, HomeScreen)


async def test_the_command_palette_starts_a_rehearsal() -> None:
    app = make_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"rehdoc")  # fuzzy: "Rehearse with a doctor's office"
        await pilot.pause(0.2)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CallScreen)
        assert (screen.session.mode, screen.session.counterpart) == ("rehearse", "doctor")


async def test_q_quits_from_home_when_no_call_is_open() -> None:
    app = make_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0

"""Home in the app: prepare a case, call now, pick a case, the recent calls, help and the palette."""

from __future__ import annotations

from typing import Any

from coach.casefile.store import Store
from coach.tui.app import make_app
from coach.tui.screens.call import CallScreen
from coach.tui.screens.help import HelpScreen
from coach.tui.screens.home import CaseScreen, HomeScreen
from coach.tui.screens.modals import AskScreen, ChooseScreen
from coach.tui.screens.prepare import PlanScreen, PrepareScreen
from coach.tui.screens.review import ReviewScreen
from tests.test_tui_helpers import box_text, saved_call


def ready_case() -> int:
    store = Store.open()
    case_id = store.create_case(
        {"account_number": "AC-558812", "balance": "2480.00", "creditor": "Midstate Recovery"},
        "Midstate Recovery AC-558812",
        "collections",
    )
    store.close()
    return case_id


async def test_a_prepared_case_starts_a_live_call_in_two_keys() -> None:
    case_id = ready_case()
    app = make_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, HomeScreen) and app.current_mode == "home"
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert "Account AC-558812" in str(app.screen.query_one("#case-card").render())
        await pilot.press("1")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CallScreen)
        assert (screen.mode, screen.session.counterpart) == ("live", "collections")
        assert Store.open().call(screen.call_id).case_id == case_id
        assert screen.session.view().node == "contact.open"
        assert "AC-558812" in box_text(screen)


async def test_call_now_asks_only_who_the_account_and_the_balance() -> None:
    app = make_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen)
        await pilot.press("3")  # a collection agency
        await pilot.pause()
        assert isinstance(app.screen, AskScreen)
        app.screen.query_one("#ask-line").value = "AC-9"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AskScreen)
        app.screen.query_one("#ask-line").value = "abc"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AskScreen)  # one clear line, and it stays
        assert "balance:" in str(app.screen.query_one("#ask-error").render())
        app.screen.query_one("#ask-line").value = "$1,200"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CallScreen) and screen.session.counterpart == "collections"
        facts = Store.open().case(screen.call.case_id).facts
        assert facts["account_number"] == "AC-9" and facts["balance"] == "1200.00"
        assert "AC-9" in box_text(screen)


async def test_a_case_without_a_plan_offers_prepare_first() -> None:
    store = Store.open()
    store.create_case({}, "untitled case", "hospital")
    store.close()
    app = make_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert app.screen.entries()[0][0] == "prepare"
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, PrepareScreen)


async def test_the_plan_of_a_case_opens_from_its_menu() -> None:
    ready_case()
    app = make_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4", "3")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        assert "Account number: AC-558812" in app.screen.plain_text()
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, HomeScreen)


async def test_review_entry_and_a_recent_call_open_their_review() -> None:
    first = saved_call()
    saved_call()
    app = make_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("escape")
        await pilot.press("r", "down", "enter")  # newest first: down is the older call
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.call_id == first


async def test_help_opens_with_f1_or_question_mark() -> None:
    app = make_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("f1", "question_mark"):
            await pilot.press(key)
            assert isinstance(app.screen, HelpScreen)
            assert "prepare a case (1)" in app.screen.plain_text()
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
        assert (screen.mode, screen.session.counterpart) == ("rehearse", "doctor")


async def test_q_quits_from_home_when_no_call_is_open() -> None:
    app = make_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_coach_live_with_no_case_asks_only_the_account_and_the_balance() -> None:
    import argparse

    args = argparse.Namespace(counterpart="doctor", case=None, facts=None, resume=None, dialogues=None)
    app = make_app("live", args)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, AskScreen)  # who is on the line was given: not asked
        for typed in ("AC-7", "640"):
            app.screen.query_one("#ask-line").value = typed  # type: ignore[attr-defined]
            await pilot.press("enter")
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CallScreen) and screen.session.counterpart == "doctor"
        assert "AC-7" in str(screen.query_one("#card").render())


async def test_coach_live_on_a_case_without_a_plan_offers_prepare_or_call_now() -> None:
    import argparse

    store = Store.open()
    case_id = store.create_case({"creditor": "Dr. Lee"}, "Dr. Lee", "doctor")
    store.close()
    args = argparse.Namespace(counterpart=None, case=case_id, facts=None, resume=None, dialogues=None)
    app = make_app("live", args)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert [key for key, _ in app.screen.entries()][:2] == ["prepare", "quick"]
        assert Store.open().calls() == []  # nothing opened yet


def many_calls(count: int) -> None:
    """``count`` ended calls and one interrupted one, straight into the store (more than home's screen has rows)."""
    store = Store.open()
    case_id = store.create_case({"account_number": "AC-1", "balance": "2480"}, "a big case", "collections")
    for n in range(count):
        call_id = store.start_call(case_id, "rehearse" if n % 3 else "live", "collections")
        store.end_call(call_id, "done")
    store.start_call(case_id, "live", "collections")
    store.close()


async def home_frames(keys: list[str], size: tuple[int, int]) -> list[list[object]]:
    """Home's screen as the compositor has it (every cell's text and style), after each key."""
    app = make_app("home")
    frames: list[list[object]] = []
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for key in ["", *keys]:
            if key:
                await pilot.press(key)
                await pilot.pause()
            frames.append([list(strip) for strip in app.screen._compositor.render_strips()])
    return frames


async def test_a_long_recent_calls_list_is_painted_as_textual_paints_the_whole_list(monkeypatch: Any) -> None:
    """The menus paint only the lines in view: the screen is the same as when every line is drawn."""
    from textual.widget import Widget

    from coach.tui.widgets.menu import Menu

    many_calls(60)
    keys = ["r", "down", "pagedown", "pagedown", "end", "up", "home", "s", "down", "r", "pagedown"]
    for size in ((80, 24), (40, 18)):
        painted = await home_frames(keys, size)
        with monkeypatch.context() as patch:  # Textual's own way: the whole text styled, every line
            patch.setattr(Menu, "render_lines", Widget.render_lines)
            patch.setattr(Menu, "render_line", Widget.render_line)
            whole = await home_frames(keys, size)
        assert painted == whole
        assert len({str(frame) for frame in painted}) > 5  # the keys moved the highlight and scrolled


async def test_home_looks_the_same_without_its_first_restyle(monkeypatch: Any) -> None:
    """Home skips Textual's restyle of the whole screen on its first resume (its mount has just styled it)."""
    from textual import events
    from textual.screen import Screen

    restyle = Screen._on_screen_resume
    restyled_first: list[bool] = []

    def always_restyle(screen: Screen[Any], event: events.ScreenResume) -> None:
        restyled_first.append(event.refresh_styles)  # False on home's first resume
        event.refresh_styles = True
        restyle(screen, event)

    keys = ["r", "down", "s", "down"]
    for stored in (0, 1, 30):
        if stored:
            many_calls(stored)
        for size in ((80, 24), (50, 16)):
            skipped = await home_frames(keys, size)
            with monkeypatch.context() as patch:
                patch.setattr(Screen, "_on_screen_resume", always_restyle)
                restyled = await home_frames(keys, size)
            assert skipped == restyled
            assert restyled_first[0] is False
            restyled_first.clear()

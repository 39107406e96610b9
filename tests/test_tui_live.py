"""A live call in the app, through Pilot: keys in, then the Session and the store checked."""

from __future__ import annotations

import argparse
import sqlite3
from typing import Any

import pytest

from coach.cmd_app import run_app
from coach.errors import CoachError
from coach.store import Store
from coach.tui.app import make_app
from coach.tui.plain import plain_text
from coach.tui.screens.call import CallScreen
from coach.tui.screens.help import HelpScreen
from coach.tui.screens.home import HomeScreen
from coach.tui.screens.modals import ConfirmScreen, TextScreen
from coach.tui.screens.review import ReviewScreen
from coach.tui.widgets.call_input import CallInput
from coach.tui.widgets.transcript import Transcript
from tests.conftest import COLLECTIONS_TO_OPEN
from tests.test_tui_helpers import FrozenClock, call_args, saved_call


def call_screen(app: Any) -> CallScreen:
    screen = app.screen
    assert isinstance(screen, CallScreen)
    return screen


def text_of(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def send(pilot: Any, screen: CallScreen, line: str) -> None:
    """Type a whole line at once (pressing each key costs ~60 ms), then Enter."""
    screen.query_one(CallInput).value = line
    await pilot.press("enter")


def stored(screen: CallScreen) -> list[Any]:
    return Store.open().events(screen.call_id)


async def test_keys_reach_the_session_and_the_store() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        await send(pilot, screen, "/rep Dana Lopez")
        await pilot.press("ctrl+f")
        line = screen.query_one(CallInput)
        assert line.value == "/ref "
        line.value = "/ref REF-4471"
        await pilot.press("enter")
        await send(pilot, screen, "They want the full balance today")
        await pilot.press("6")  # nothing urgent
        assert screen.session.node.qid == "assess.who-sent"
        await pilot.press("ctrl+z")
        assert screen.session.node.qid == "assess.triage"
        events = stored(screen)
        assert [e.text for e in events if e.kind == "note"] == ["Dana Lopez", "REF-4471"]
        assert any(e.kind == "heard" and e.text == "They want the full balance today" for e in events)
        assert events[-2].kind == "undo"
        assert len(events) == len(screen.session.events)  # on disk before the screen moved on
        assert "Rep's name: Dana Lopez" in text_of(screen, "#capture")
        assert "Reference number: REF-4471" in text_of(screen, "#capture")


async def test_quick_keys_prefill_the_capture_commands() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        line = screen.query_one(CallInput)
        for key, expected in (("ctrl+r", "/rep "), ("ctrl+f", "/ref "), ("ctrl+o", "/offer ")):
            await pilot.press(key)
            assert line.value == expected and line.cursor_position == len(expected)
        await pilot.press("escape")
        assert line.value == ""


async def test_a_quick_key_keeps_what_was_already_typed() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        line = screen.query_one(CallInput)
        line.value = "Dana Lopez"
        await pilot.press("ctrl+r")
        assert line.value == "/rep Dana Lopez"
        await pilot.press("ctrl+f")  # another command replaces a command
        assert line.value == "/ref "
        await pilot.press(*"R-1", "enter")
        assert screen.session.events[-1].kind == "note" and screen.session.events[-1].text == "R-1"
        screen.set_focus(None)  # unfocused: the screen's binding does it and focuses the line
        await pilot.press("ctrl+o")
        assert line.value == "/offer " and line.has_focus


async def test_the_command_palette_ends_the_call() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"end the call")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and screen.session.finished


async def test_number_keys_pick_when_the_input_line_is_unfocused() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        screen.set_focus(None)
        await pilot.press("6")
        assert screen.session.node.qid == "assess.who-sent"


async def test_digits_type_when_they_are_not_a_choice_or_follow_a_space() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        line = screen.query_one(CallInput)
        await pilot.press("7")  # triage has six choices: 7 is typed
        assert line.value == "7" and screen.session.node.qid == "assess.triage"
        line.value = ""
        await pilot.press("space", "1", "2", "0", "0", "space", "o", "k", "enter")
        assert screen.session.node.qid == "assess.triage"
        assert screen.session.events[-1].kind == "heard" and screen.session.events[-1].text == "1200 ok"
        await pilot.press("dollar_sign", "1", "enter")
        assert screen.session.events[-1].kind == "heard" and screen.session.events[-1].text == "$1"


async def test_a_click_picks_a_choice() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        labels = [c.label for c in screen.session.view().choices]
        await pilot.click("#choices .choice")
        await pilot.pause()
        steps = [e for e in screen.session.events if e.kind == "step"]
        assert steps and steps[0].text == labels[0]


async def test_question_shows_prompt_and_current_value_and_enter_keeps_it() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        await pilot.press("6")
        question = text_of(screen, "#question")
        assert "Who is asking you to pay" in question
        assert "now: Midstate Recovery Services; Enter keeps it" in question
        await pilot.press("enter")
        assert screen.session.node.qid != "assess.who-sent"
        assert screen.session.facts["creditor"] == "Midstate Recovery Services"


async def test_warning_and_what_to_say_back_cannot_be_missed() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        for line in COLLECTIONS_TO_OPEN:
            screen.submit(line)
        await pilot.pause()
        view = screen.session.view()
        assert view.node == "contact.open" and view.warn
        warning = screen.query_one("#warning")
        assert warning.display and view.warn in str(warning.render())
        assert view.phrase in text_of(screen, "#phrase")
        await send(pilot, screen, "We can take $1,200 if you pay today")
        reply = text_of(screen, "#reply")
        heard = screen.session.events[-1]
        assert heard.kind == "heard" and heard.data["reply"]
        assert 'They said: "We can take $1,200 if you pay today"' in reply
        assert f'Say: "{heard.data["reply"]}"' in reply
        for widget in ("#phrase", "#choices", "#reply"):  # all on screen at 80x24
            region = screen.query_one(widget).region
            assert region.height > 0 and region.bottom <= 24


async def test_user_text_is_shown_literally_never_as_markup() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        await send(pilot, screen, "/rep [bold]Dana[/bold] {{ 7*7 }}")
        await pilot.pause()
        assert any("[bold]Dana[/bold] {{ 7*7 }}" in line for line in screen.query_one(Transcript).lines)
        assert "[bold]Dana[/bold] {{ 7*7 }}" in text_of(screen, "#capture")


async def test_a_mistake_shows_one_line_and_keeps_the_step() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        await send(pilot, screen, "/offer abc")
        assert text_of(screen, "#status") == "! /offer: 'abc' is not an amount like $900 or 75 a month"
        assert screen.session.node.qid == "assess.triage"


async def test_a_store_that_cannot_write_leaves_the_call_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        before = len(screen.session.events)

        def full(*_args: Any) -> None:
            raise sqlite3.OperationalError("database or disk is full")

        monkeypatch.setattr(Store, "append", full)
        await pilot.press("6")
        assert "could not save (database or disk is full)" in text_of(screen, "#status")
        assert screen.session.node.qid == "assess.triage" and len(screen.session.events) == before
        monkeypatch.undo()
        await pilot.press("6")
        assert screen.session.node.qid == "assess.who-sent"


async def test_f10_asks_then_ends_and_opens_the_review() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        await send(pilot, screen, "/ref REF-77")
        await pilot.press("f10")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        assert app.screen is screen and not screen.session.finished
        await pilot.press("f10", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.current_mode == "review"
        assert app.screen.call_id == screen.call_id
        assert app.screen.summary is not None and "REF-77" in plain_text(app.screen.summary)
        call = Store.open().call(screen.call_id)
        assert call.ended is not None and call.outcome == "ended by user"
        assert app.call_screen("live") is None  # the live mode is closed with its call


async def test_slash_end_ends_at_once() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        await send(pilot, screen, "/end")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert stored(screen)[-1].kind == "end"


async def test_home_and_back_while_a_call_is_open() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        await pilot.press("6")
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert f"F3 returns to the live call {screen.call_id}" in text_of(app.screen, "#open-call")
        await pilot.press("1")  # a second live call: no, back to the open one
        await pilot.pause()
        assert app.screen is screen
        assert len(Store.open().calls()) == 1
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("f3")
        await pilot.pause()
        assert app.screen is screen and screen.session.node.qid == "assess.who-sent"


async def test_quitting_with_a_call_open_asks_and_saves_its_end() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 0
    call = Store.open().call(screen.call_id)
    assert call.ended is not None and call.outcome == "app closed"
    assert stored(screen)[-1].kind == "end"


async def test_copy_help_and_slash_help() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        await pilot.press("ctrl+y")
        view = screen.session.view()
        assert app.clipboard == (view.phrase or view.coach)
        await pilot.press("question_mark")  # typed into the focused input line, not help
        assert screen.query_one(CallInput).value == "?"
        screen.query_one(CallInput).value = ""
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        keys = app.screen.plain_text()
        assert "ctrl+r" in keys and "/rep" in keys and "f10 / ctrl+g" in keys
        await pilot.press("escape")
        await send(pilot, screen, "/help")
        assert isinstance(app.screen, TextScreen)
        assert "/offer" in str(app.screen.query_one("#text-body").render())


async def test_timer_counts_from_the_clock() -> None:
    clock = FrozenClock(100.0)
    app = make_app("live", call_args(), clock=clock)
    async with app.run_test(size=(80, 24)):
        screen = call_screen(app)
        clock.now = 100.0 + 3 * 60 + 12
        screen.query_one("#timer").tick()  # type: ignore[attr-defined]
        assert text_of(screen, "#timer") == "03:12"


async def test_phrase_and_choices_stay_in_view_at_60x20() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(60, 20)) as pilot:
        screen = call_screen(app)
        for line in COLLECTIONS_TO_OPEN:
            screen.submit(line)
        await send(pilot, screen, "We can take $1,200 if you pay today")
        await pilot.pause()
        assert screen.has_class("-narrow") and screen.has_class("-short")
        for widget in ("#phrase", "#choices .choice"):
            region = screen.query_one(widget).region
            assert region.height > 0 and region.bottom <= 20 and region.right <= 60
        assert "●" in str(screen.query_one("#progress").render())


async def test_resizing_down_to_60x20_and_back_does_not_break() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert screen.has_class("-narrow") and screen.query_one("#side").display is False
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert not screen.has_class("-narrow") and screen.has_class("-tall")
        await pilot.press("6")
        assert screen.session.node.qid == "assess.who-sent"


def test_a_bad_case_is_one_line_and_exit_2() -> None:
    args = call_args()
    args.case, args.headless = 99, True
    with pytest.raises(CoachError, match="no case 99"):
        run_app(args, mode="live")


def test_headless_run_reports_its_first_frame(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_app(argparse.Namespace(headless=True), mode="home") == 0
    assert capsys.readouterr().err.startswith("first-frame ")


def test_coach_review_opens_the_app_on_a_call(capsys: pytest.CaptureFixture[str]) -> None:
    call_id = saved_call()
    args = argparse.Namespace(headless=True, call=call_id, last=False, list=False, format=None, out=None)
    assert run_app(args, mode="review") == 0
    assert capsys.readouterr().err.startswith("first-frame ")

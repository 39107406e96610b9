"""In the app, user and file text is shown as typed: never markup, never a terminal escape (issue 14).

What is checked is what the app would draw: the text of the screen's strips
(what reaches the terminal, Textual's own sequences aside).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coach.calls import CallRequest
from coach.casefile.store import Store
from coach.termtext import has_control
from coach.tui.app import make_app
from coach.tui.screens.call import CallScreen
from coach.tui.screens.home import CaseScreen, HomeScreen
from coach.tui.screens.review import ReviewScreen
from coach.tui.widgets.transcript import Transcript
from tests.test_tui_helpers import board

OSC52 = "\x1b]52;c;cHduZWQ=\x07"


def screen_text(app: Any) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def drawn_safely(app: Any) -> str:
    text = screen_text(app)
    assert not has_control(text.replace("\n", "")), "a control character reached the terminal"
    return text


def hostile_case(tmp_path: Path) -> int:
    label = f"St. Anne [ER visit] [/] Mid{OSC52}[@click=app.screenshot('p.svg','{tmp_path}')]x[/]"
    store = Store.open()
    case_id = store.create_case(
        {"creditor": "Midstate [/] Recovery", "account_number": f"AC-[b]1{OSC52}", "balance": "2400.00"},
        label,
        "collections",
    )
    store.close()
    return case_id


async def test_a_hostile_label_and_creditor_are_shown_literally(tmp_path: Path) -> None:
    case_id = hostile_case(tmp_path)
    app = make_app("home")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        text = drawn_safely(app)
        assert "[@click=app.screenshot(" in text and "St. Anne [ER visit] [/]" in text
        assert "Mid␛]52" in text  # the escape is shown as a symbol, not sent
        for y in range(40):  # clicking anywhere on the line never runs an action from the label
            await pilot.click(offset=(30, y))
            await pilot.pause()
            if isinstance(app.screen, CaseScreen):
                break
        assert list(tmp_path.glob("*.svg")) == []
        if not isinstance(app.screen, CaseScreen):
            app.push_screen(CaseScreen(case_id))
            await pilot.pause()
        text = drawn_safely(app)
        assert "St. Anne [ER visit] [/]" in text and "AC-[b]1" in text
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)
        call_id = app.screen.call_id
        assert "AC-[b]1" in drawn_safely(app)
        app.screen.action_end_call()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        app.action_open_review(call_id)
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "St. Anne [ER visit] [/]" in drawn_safely(app)
    assert list(tmp_path.glob("*.svg")) == []


async def test_the_call_screen_shows_typed_and_file_text_without_a_control_character() -> None:
    """What was heard, a fact, a note and the step's own text on the call screen: ESC drawn as ␛, never sent."""
    from tests.test_tui_helpers import call_args

    app = make_app("live", call_args())
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = app.screen
        assert isinstance(screen, CallScreen)
        screen.submit(f"We can take $1,200 [b]now[/b]{OSC52}")
        screen.submit(f"/rep Dana{OSC52}")
        await pilot.pause(0.2)
        text = drawn_safely(app)
        assert "Dana␛]52" in text and "[b]now[/b]␛]52" in text  # the transcript and the reply box, literally
        assert any(OSC52 not in line and "␛]52" in line for line in screen.query_one(Transcript).plain_lines)
        rows = board(
            screen
        ).plain_rows  # the step title, the big box, the guidance, the "more" line, the choices
        assert rows and not [row for row in rows if has_control(row)]
        assert any("[b]now[/b]␛]52" in row for row in rows)


async def test_an_error_notification_with_markup_is_shown_literally() -> None:
    app = make_app("home")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        app.start_call(CallRequest(mode="rehearse", counterpart="collections", persona="rude [/] one"))
        await pilot.pause()
        await pilot.pause(0.3)
        assert "'rude [/] one' is not one of" in drawn_safely(app)
        assert isinstance(app.screen, HomeScreen)


async def test_export_as_never_replaces_an_existing_file_or_follows_a_link(tmp_path: Path) -> None:
    from coach.tui.screens.modals import SavePathScreen
    from tests.test_tui_helpers import call_args, saved_call

    call_id = saved_call()
    existing = tmp_path / "mine.md"
    existing.write_text("keep me")
    victim = tmp_path / "victim.txt"
    victim.write_text("theirs")
    link = tmp_path / "link.md"
    link.symlink_to(victim)
    app = make_app("review", call_args(call=call_id))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        for target, why in ((existing, "already exists"), (link, "symbolic link")):
            await pilot.press("e")
            assert isinstance(app.screen, SavePathScreen)
            app.screen.query_one("#save-path").value = str(target)  # type: ignore[attr-defined]
            await pilot.press("enter")
            await pilot.pause(0.3)
            assert isinstance(app.screen, ReviewScreen)
            assert why in " ".join(drawn_safely(app).split())
    assert existing.read_text() == "keep me" and victim.read_text() == "theirs" and link.is_symlink()

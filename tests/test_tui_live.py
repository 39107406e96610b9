"""A live call in the app, through Pilot: keys in, then the Call, the case and the store checked."""

from __future__ import annotations

import argparse
import io
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from coach.casefile.store import Store
from coach.cli.app import run_app
from coach.cli.call import run_plain
from coach.errors import CoachError
from coach.tui.app import make_app
from coach.tui.plain import plain_text
from coach.tui.screens.call import CallScreen
from coach.tui.screens.help import HelpScreen
from coach.tui.screens.home import HomeScreen
from coach.tui.screens.modals import ConfirmScreen, TextScreen
from coach.tui.screens.review import ReviewScreen
from coach.tui.widgets.board import StepBoard
from coach.tui.widgets.call_input import CallInput
from coach.tui.widgets.transcript import Transcript
from tests.test_tui_helpers import FIXTURES, FrozenClock, board, box_in_view, box_text, call_args, saved_call

COLLECT = "This is an attempt to collect a debt."


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
    await pilot.pause()


def stored(screen: CallScreen) -> list[Any]:
    return Store.open().events(screen.call_id)


def case_facts(screen: CallScreen) -> dict[str, Any]:
    return dict(Store.open().case(screen.call.case_id).facts)


def in_view(screen: CallScreen, selector: str, size: tuple[int, int]) -> bool:
    region = screen.query_one(selector).region
    return region.height > 0 and region.bottom <= size[1] and region.right <= size[0]


async def test_a_live_call_opens_on_the_opening_phrase_with_no_key_pressed() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = call_screen(app)
        view = screen.session.view()
        assert view.node == screen.session.playbook.call_start == "contact.open"
        phrase = box_text(screen)
        assert board(screen).box_title == "Say this"
        assert "AC-558812" in phrase and view.phrase.split(".")[0] in phrase
        card = text_of(screen, "#card")
        assert "Account AC-558812" in card and "$2,480.00" in card and "Dispute in writing by" in card
        assert not [e for e in screen.session.events if e.kind in ("step", "fact", "heard", "note")]


async def test_a_collectors_line_is_heard_never_a_fact_and_its_reply_takes_the_big_box() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        before = case_facts(screen)
        await send(pilot, screen, COLLECT)
        heard = stored(screen)[-1]
        assert heard.kind == "heard" and heard.text == COLLECT and heard.data["by"] == "counterpart"
        assert case_facts(screen) == before and not [e for e in stored(screen) if e.kind == "fact"]
        phrase = box_text(screen)
        assert f'They said: "{COLLECT}"' in phrase
        assert f'Say: "{heard.data["reply"]}"' in phrase
        assert heard.data["warning"].split(".")[0] in phrase
        assert board(screen).box_title == "Reply: say this back"
        assert box_in_view(screen, (80, 24))
        await pilot.press("enter")  # the only choice: on to the asks, the stage's words come back
        assert screen.call.reply is None
        assert "They said" not in box_text(screen)
        assert screen.session.view().node == "contact.asks"
        await send(pilot, screen, COLLECT)  # at a step with twelve choices: still heard
        assert stored(screen)[-1].kind == "heard" and case_facts(screen) == before


async def test_a_demand_for_the_whole_balance_is_proposed_as_a_demand() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        await send(pilot, screen, "You owe 2480, can you pay in full today?")
        assert text_of(screen, "#status") == (
            "They asked for $2,480.00: Enter to record it as their offer, or type the amount"
        )


async def test_a_heard_offer_is_recorded_with_one_enter() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        await send(pilot, screen, "We can take $1,100 if you pay today")
        status = text_of(screen, "#status")
        assert status == "They offered $1,100.00: Enter to record it, or type the right amount"
        assert screen.query_one(CallInput).picks == 0  # digits type an amount while it waits
        await pilot.press("enter")
        note = stored(screen)[-1]
        assert note.kind == "note" and note.data["kind"] == "offer" and note.data["amount"] == "1100.00"
        assert text_of(screen, "#status").startswith("Saved: ")
        assert "$1,100.00" in text_of(screen, "#status")
        assert screen.session.view().node == "contact.open"  # recording did not move the call
        await pilot.press("enter")
        assert screen.session.view().node == "contact.asks"
        assert text_of(screen, "#status") == ""  # the message stayed until this action, then went


async def test_a_typed_amount_corrects_the_proposal() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        await send(pilot, screen, "We can take $1,100 if you pay today")
        await send(pilot, screen, "$1,150")
        note = stored(screen)[-1]
        assert note.kind == "note" and note.data["amount"] == "1150.00"


async def test_every_choice_and_the_card_are_in_view_at_80x24() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        await pilot.press("enter")
        await pilot.pause(0.2)
        choices = screen.session.view().choices
        assert len(choices) == 12
        shown = board(screen).view.choices
        assert [n for n, _ in shown] == list(range(1, 13))
        region = board(screen).choices_region()
        assert region.height >= 12 and region.bottom <= 24  # every choice on screen
        drawn = [board(screen).number_at(y - board(screen).region.y) for y in range(region.y, region.bottom)]
        assert {n for n in drawn if n} == set(range(1, 13))  # each on a row of its own, none cut off
        assert in_view(screen, "#card", (80, 24)) and "⚠" in text_of(screen, "#card")
        await send(pilot, screen, "12")  # ten and more: typed with Enter
        assert screen.session.view().node != "contact.asks"


async def test_nine_or_fewer_choices_pick_with_one_key_and_1_waits_for_enter_past_nine() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        await pilot.press("1")  # the only choice: one key
        assert screen.session.view().node == "contact.asks"
        await pilot.press("1")  # twelve choices: 1 may start 10, so it waits
        assert screen.query_one(CallInput).value == "1"
        await pilot.press("0", "enter")
        assert [e for e in screen.session.events if e.kind == "step"][-1].text == "I need to stop for now"


async def test_no_key_press_ever_stores_a_fact_of_1() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        for _ in range(30):
            if screen.session.finished or screen.session.view().finished:
                break
            await pilot.press("1")
            if screen.query_one(CallInput).value == "1":
                await pilot.press("enter")
        facts = [e for e in stored(screen) if e.kind == "fact"]
        assert all(str(e.data.get("value")) not in ("1", "1.00") for e in facts)


async def test_keys_reach_the_call_and_the_store() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        await send(pilot, screen, "/rep Dana Lopez")
        await pilot.press("ctrl+f")
        line = screen.query_one(CallInput)
        assert line.value == "/ref "
        line.value = "/ref REF-4471"
        await pilot.press("enter")
        await pilot.press("1")
        assert screen.session.node.qid == "contact.asks"
        await pilot.press("ctrl+z")
        assert screen.session.node.qid == "contact.open"
        events = stored(screen)
        assert [e.text for e in events if e.kind == "note"] == ["Dana Lopez", "REF-4471"]
        assert "undo" in [e.kind for e in events[-2:]]
        assert len(events) == len(screen.session.events)  # on disk before the screen moved on
        lines = screen.query_one(Transcript).plain_lines
        assert any("Dana Lopez" in x for x in lines) and any("REF-4471" in x for x in lines)


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


async def test_offer_in_natural_words_says_what_it_recorded_until_the_next_action() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        await send(pilot, screen, "/counter $900 lump sum")
        assert text_of(screen, "#status").startswith("Saved: ") and "$900.00" in text_of(screen, "#status")
        await pilot.pause(1.0)
        assert "$900.00" in text_of(screen, "#status")  # not a toast: it stays
        assert stored(screen)[-1].data.get("amount") == "900.00"


async def test_user_text_is_shown_literally_never_as_markup() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        await send(pilot, screen, "/rep [bold]Dana[/bold] {{ 7*7 }}")
        await send(pilot, screen, "[red]we[/red] said {{ x }}")
        assert any("[bold]Dana[/bold] {{ 7*7 }}" in line for line in screen.query_one(Transcript).plain_lines)
        assert "[red]we[/red] said {{ x }}" in box_text(screen)


async def test_a_mistake_shows_one_line_and_keeps_the_step() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        await send(pilot, screen, "/offer abc")
        status = text_of(screen, "#status")
        assert status.startswith("! /offer:") and "\n" not in status
        assert screen.session.node.qid == "contact.open"


async def test_a_store_that_cannot_write_leaves_the_call_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        before = len(screen.session.events)

        def full(*_args: Any) -> None:
            raise sqlite3.OperationalError("database or disk is full")

        monkeypatch.setattr(Store, "append", full)
        await pilot.press("1")
        assert "could not save (database or disk is full)" in text_of(screen, "#status")
        assert screen.session.node.qid == "contact.open" and len(screen.session.events) == before
        monkeypatch.undo()
        await pilot.press("1")
        assert screen.session.node.qid == "contact.asks"


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
        assert app.call_screen("live") is None


async def test_slash_end_ends_at_once() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        await send(pilot, screen, "/end")
        assert isinstance(app.screen, ReviewScreen)
        assert stored(screen)[-1].kind == "end"


async def test_quitting_with_a_call_open_asks_and_saves_it_as_ended_by_the_user() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.press("ctrl+q", "enter")
        await pilot.pause()
    assert app.return_code == 0
    call = Store.open().call(screen.call_id)
    assert call.ended is not None and call.outcome == "ended by user"
    assert stored(screen)[-1].kind == "end"


async def test_home_and_back_while_a_call_is_open() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        await pilot.press("1")
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert f"F3 returns to the live call {screen.call_id}" in text_of(app.screen, "#open-call")
        await pilot.press("f3")
        await pilot.pause()
        assert app.screen is screen and screen.session.node.qid == "contact.asks"


async def test_copy_help_and_slash_help() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        await pilot.press("ctrl+y")
        assert app.clipboard and "AC-558812" in app.clipboard
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


async def test_at_60x20_nothing_is_cut_off_without_a_hint() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(60, 20)) as pilot:
        screen = call_screen(app)
        await send(pilot, screen, "We can take $1,200 if you pay today")
        await pilot.pause(0.2)
        assert screen.has_class("-narrow") and screen.has_class("-short")
        for widget in ("#card", "#status", "#line"):
            assert in_view(screen, widget, (60, 20)), widget
        choices = board(screen).choices_region()
        assert choices.height >= 1 and choices.bottom <= 20
        rows = board(screen)._rows
        if len(rows.say) > rows.say_height:  # the big box's end is below: the hint says so
            assert "more text" in board(screen).more_text
            assert "▼ more text: PgDn" in board(screen).plain_rows[rows.say_height]
        assert "●" in str(screen.query_one("#progress").render())


async def test_resizing_down_to_60x20_and_back_does_not_break() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert screen.has_class("-narrow") and screen.query_one("#side").display is False
        assert board(screen).plain_rows and all(len(row) == 60 for row in board(screen).plain_rows)
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert not screen.has_class("-narrow") and screen.has_class("-tall")
        await pilot.press("1")
        assert screen.session.node.qid == "contact.asks"


async def test_a_bad_persona_in_the_app_is_one_notification_and_creates_nothing() -> None:
    from coach.calls import CallRequest

    app = make_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        cases, calls = len(Store.open().cases()), len(Store.open().calls())
        assert app.start_call(CallRequest(mode="rehearse", counterpart="collections", persona="nope")) is None
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert len(app._notifications) == 1 and "nope" in next(iter(app._notifications)).message
        assert (len(Store.open().cases()), len(Store.open().calls())) == (cases, calls)


async def test_an_interrupted_call_is_resumed_from_home_where_it_stopped() -> None:
    from coach.calls import CallRequest, open_call
    from coach.dialogue.playbook import load_playbook
    from coach.paths import dialogues_dir

    store = Store.open()
    call = open_call(
        store,
        load_playbook([dialogues_dir()]),
        CallRequest(mode="live", counterpart="collections", facts_file=FIXTURES / "facts.yaml"),
    )
    call.submit("/rep Dana Lopez")
    call.submit("1")
    store.close()  # killed: never finished
    app = make_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        entries = [str(e.prompt) for e in home.query_one("#start").entries]  # type: ignore[attr-defined]
        assert f"4  Resume live call {call.call_id} · collections" in "\n".join(entries)
        stopped = [e.node for e in Store.open().events(call.call_id) if e.kind == "shown"][-1]
        title = load_playbook([dialogues_dir()]).nodes[stopped].title
        assert any(entry.startswith("4  Resume") and entry.endswith(f" · at {title}") for entry in entries)
        await pilot.press("4")
        await pilot.pause()
        screen = call_screen(app)
        assert screen.call_id == call.call_id and screen.session.view().node == "contact.asks"
        assert any("Dana Lopez" in line for line in screen.query_one(Transcript).plain_lines)


def parity_args() -> argparse.Namespace:
    return argparse.Namespace(
        counterpart="collections",
        case=None,
        facts=FIXTURES / "facts.yaml",
        resume=None,
        persona=None,
        seed=None,
        difficulty="normal",
        dialogues=None,
        plain=True,
        call=None,
    )


PARITY_LINES = [
    "/rep Dana Lopez",
    "/ref REF-4471",
    COLLECT,
    "We can take $1,100 if you pay today",
    "",
    "1",
    "2",
    "12",
    "/counter $900 lump sum",
    "They can do $1,000",
    "$950",
    "/agreed 900 by 12/15/2026",
    "/end",
]


def comparable(events: list[Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    return [(e.kind, e.node, e.text, e.data) for e in events]


async def test_parity_the_line_mode_and_the_tui_store_the_same_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same lines through ``coach live --plain`` and the app, each from an empty case file."""
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "plain"))
    run_plain(parity_args(), "live", io.StringIO("\n".join(PARITY_LINES) + "\n"), io.StringIO())
    store = Store.open()
    plain_call = store.calls()[-1]
    plain_events = store.events(plain_call.id)
    plain_facts = store.case(plain_call.case_id).facts
    store.close()
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "tui"))
    app = make_app("live", parity_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        for line in PARITY_LINES:
            await send(pilot, screen, line)
        assert isinstance(app.screen, ReviewScreen)  # /end ended it, as in the line mode
    store = Store.open()
    tui_events = store.events(screen.call_id)
    assert len(plain_events) > 10 and {"heard", "note", "step", "fact", "end"} <= {
        e.kind for e in plain_events
    }
    assert comparable(tui_events) == comparable(plain_events)
    assert store.case(screen.call.case_id).facts == plain_facts  # the agreement reached the case in both
    assert store.call(screen.call_id).outcome == plain_call.outcome


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


def test_the_app_never_imports_the_command_line_modules(coach_home: Path) -> None:
    """A call, a rehearsal, prepare and home in the app, run in a fresh interpreter: no coach.cli module."""
    import subprocess
    import sys

    script = f"""
import argparse, asyncio, sys
from pathlib import Path
from coach.tui.app import make_app
facts = Path({str(FIXTURES / "facts.yaml")!r})

async def main():
    for mode, extra in (("live", {{}}), ("rehearse", {{"seed": 3}}), ("prepare", {{}}), ("home", {{}})):
        args = argparse.Namespace(counterpart="collections", facts=facts, case=None, dialogues=None, **extra)
        app = make_app(mode, args)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("1")
            await pilot.pause()

asyncio.run(main())
print(sorted(m for m in sys.modules if m.startswith("coach.cli")))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


async def test_parity_for_a_rehearsal_with_a_seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [
        "I'm calling about account AC-558812.",
        "/rep Morgan",
        "1",
        "2",
        "/counter $600 lump sum",
        "/end",
    ]
    args = parity_args()
    args.persona, args.seed = "tough", 11
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "plain"))
    run_plain(args, "rehearse", io.StringIO("\n".join(lines) + "\n"), io.StringIO())
    store = Store.open()
    plain_events = store.events(store.calls()[-1].id)
    store.close()
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "tui"))
    app = make_app("rehearse", args)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = call_screen(app)
        for line in lines:
            await send(pilot, screen, line)
    tui_events = Store.open().events(screen.call_id)
    assert sum(e.data.get("by") == "partner" for e in plain_events) >= 2
    assert {"said", "score"} <= {e.kind for e in plain_events}
    assert comparable(tui_events) == comparable(plain_events)


async def test_transcript_lines_fit_the_panel_after_it_starts_to_scroll() -> None:
    """A line wrapped before the scrollbar appeared must not lose its last letters under it."""
    from coach.tui.widgets.transcript import Transcript

    app = make_app("rehearse", call_args("collections", persona="tough", seed=7))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        log = call_screen(app).query_one(Transcript)
        assert len(log.lines) > log.rows_in_view, "the partner's opening and its reply should already scroll"
        width = log.size.width - 4  # inside the border and its blank columns
        assert log.wrapped_at == width and all(strip.cell_length <= width for strip in log.lines)
        assert log.plain_rows[-2].strip("│ ")  # the newest row at the bottom
        log.back = 3  # the wheel scrolled back three rows: the title says so
        log.redraw()
        assert "▼ 3 newer" in log.plain_rows[0]


async def test_from_100_columns_the_side_panel_sits_beside_the_big_box_and_keeps_its_height() -> None:
    """Recorded and the transcript are in view to the right; a step asking for fewer notes leaves them in place."""
    app = make_app("live", call_args())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = call_screen(app)
        phrase, capture = board(screen).box_region(), screen.query_one("#capture").region
        transcript = screen.query_one(Transcript).region
        assert capture.x >= phrase.right and capture.y <= phrase.y and transcript.y == capture.bottom
        assert in_view(screen, "#capture", (120, 40)) and in_view(screen, "#transcript", (120, 40))
        assert "/repid" in text_of(screen, "#capture")  # the first step asks for the rep's ID
        await pilot.press("1")
        await pilot.pause()
        assert "/repid" not in text_of(screen, "#capture")
        assert screen.query_one("#capture").region == capture
        assert screen.query_one(Transcript).region == transcript


async def test_a_click_on_a_choice_picks_it_even_below_a_wrapped_one() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(60, 40)) as pilot:
        screen = call_screen(app)
        await pilot.press("1")
        await pilot.pause()
        main = board(screen)
        numbers = main._rows.numbers  # the choice drawn on each row of the list
        wrapped = next(
            n for n in numbers if n is not None and numbers.count(n) > 1
        )  # its label takes two rows
        target = screen.session.view().choices[wrapped]  # the choice after the first one that wraps
        row = next(y for y in range(main.region.height) if main.number_at(y) == target.number)
        first = main._rows.say_height + 1  # the list's first row, below the "more" line
        assert row - first == target.number  # numbered from 1, one row down for the wrapped label above
        await pilot.click(StepBoard, offset=(3, row))
        await pilot.pause()
        assert screen.session.view().node == target.target


async def test_the_transcript_shows_its_lines_from_the_top_with_no_gaps_as_it_fills() -> None:
    """Rows below the last line were blank when first painted; a line added later fills them."""
    app = make_app("live", call_args())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = call_screen(app)
        log = screen.query_one(Transcript)
        for number, line in enumerate(("This is Dana with Midstate", "/ref MR-2231", "The balance is 2480")):
            await send(pilot, screen, line)
            inside = [row[1:-1].strip() for row in log.plain_rows[1:-1]]  # between the borders
            filled = [i for i, row in enumerate(inside) if row]
            if len(log.lines) < len(inside):  # not scrolled yet: from the top, no gap
                assert filled == list(range(len(filled))), (number, inside)
            else:  # scrolled: every row in view filled, the newest at the bottom
                assert len(filled) == len(inside), (number, inside)
            if number == 0:
                assert inside[0].startswith("They said: This is Dana")
        assert any("2480" in row for row in log.plain_rows)

"""The Textual app through Pilot: keys in, then the Session and the store checked."""

from __future__ import annotations

import argparse
from pathlib import Path

from coach.store import Store
from coach.tui.app import make_app
from coach.tui.screens.call import CallScreen
from coach.tui.screens.home import HomeScreen
from coach.tui.screens.review import ReviewScreen
from tests.conftest import COLLECTIONS_TO_OPEN

FIXTURES = Path(__file__).parent / "fixtures"


def call_args(counterpart: str = "collections") -> argparse.Namespace:
    return argparse.Namespace(
        counterpart=counterpart, case=None, facts=FIXTURES / "facts.yaml", dialogues=None
    )


async def test_home_starts_a_live_call_with_number_key() -> None:
    app = make_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)
        assert app.screen.session.mode == "live"
        assert app.screen.session.counterpart == "hospital"


async def test_live_call_keys_reach_session_and_store() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, CallScreen)
        line = screen.query_one("#line")
        line.value = "/rep Dana Lopez"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.press("ctrl+f")
        assert line.value == "/ref "  # type: ignore[attr-defined]
        line.value = "/ref REF-4471"  # type: ignore[attr-defined]
        await pilot.press("enter")
        line.value = "They want the full balance today"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.press("6")  # nothing urgent
        assert screen.session.node.qid == "assess.who-sent"
        await pilot.press("ctrl+z")
        assert screen.session.node.qid == "assess.triage"
        events = Store.open().events(screen.call_id)
        assert [e.text for e in events if e.kind == "note"] == ["Dana Lopez", "REF-4471"]
        assert any(e.kind == "heard" and e.text == "They want the full balance today" for e in events)
        assert events[-2].kind == "undo"


async def test_user_text_is_not_markup() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, CallScreen)
        screen.query_one("#line").value = "/rep [bold]Dana[/bold] {{ 7*7 }}"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        lines = [str(s.render()) for s in screen.query("#transcript Static")]
        assert any("[bold]Dana[/bold] {{ 7*7 }}" in line for line in lines)


async def test_bad_input_shows_one_line_and_keeps_the_step() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, CallScreen)
        screen.query_one("#line").value = "/offer abc"  # type: ignore[attr-defined]
        await pilot.press("enter")
        status = str(screen.query_one("#status").render())
        assert status == "! /offer: 'abc' is not an amount like $1,234.50"
        assert screen.session.node.qid == "assess.triage"


async def test_end_call_opens_review_with_everything() -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, CallScreen)
        screen.query_one("#line").value = "/ref REF-77"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        text = str(app.screen.query_one("#review-text").render())
        assert "Reference number: REF-77" in text
        assert Store.open().call(screen.call_id).ended is not None


async def test_rehearse_mode_and_small_terminal() -> None:
    app = make_app("rehearse", call_args("doctor"))
    async with app.run_test(size=(60, 20)) as pilot:
        screen = app.screen
        assert isinstance(screen, CallScreen)
        assert screen.session.mode == "rehearse"
        assert screen.has_class("-narrow")
        assert screen.query_one("#phrase").region.height > 0
        assert screen.query_one("#choices").region.height > 0
        await pilot.press("6")
        assert screen.session.node.qid == "assess.who-sent"


async def test_help_and_palette_open() -> None:
    app = make_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        assert app.screen.__class__.__name__ == "HelpScreen"
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_review_exports_to_owner_only_files(coach_home: Path) -> None:
    app = make_app("live", call_args())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("h")
        exported = coach_home / "exports" / "call-1.html"
        assert exported.exists() and exported.stat().st_mode & 0o777 == 0o600


async def test_rehearsal_partner_answers_and_scorecard_is_saved() -> None:
    args = call_args("collections")
    args.persona, args.seed = "tough", 7
    app = make_app("rehearse", args)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, CallScreen)
        assert screen.partner is not None
        for line in [*COLLECTIONS_TO_OPEN, "", "2"]:  # open the call, then ask for validation
            screen.submit(line)
        await pilot.pause()
        partner_lines = [
            e for e in screen.session.events if e.kind == "heard" and e.data.get("by") == "partner"
        ]
        assert partner_lines
        await pilot.press("f10")
        await pilot.pause()
        events = Store.open().events(screen.call_id)
        assert events[-1].kind == "score" and events[-1].text.startswith("Scorecard: ")


async def test_review_previews_and_saves_a_letter(coach_home: Path) -> None:
    store = Store.open()
    facts = {
        "patient_name": "Jordan Rivera",
        "patient_address": "12 Elm St",
        "account_number": "AC-1",
        "creditor": "Midstate",
    }
    case_id = store.create_case(facts, "Midstate AC-1", "collections")
    call_id = store.start_call(case_id, "live", "collections")
    store.end_call(call_id, "done")
    args = call_args()
    args.call = call_id
    app = make_app("review", args)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l")
        await pilot.press("enter")  # the first kind: itemized
        await pilot.pause()
        assert app.screen.__class__.__name__ == "LetterScreen"
        assert "Re: account AC-1" in str(app.screen.query_one("#letter-text").render())
        await pilot.press("s")
        saved = coach_home / "exports" / f"letter-itemized-call-{call_id}.txt"
        assert saved.exists() and saved.stat().st_mode & 0o777 == 0o600

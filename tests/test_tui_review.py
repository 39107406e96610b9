"""Review in the app: the calls, a call's summary and timeline, exports and letters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coach.casefile.store import Store
from coach.tui.app import make_app
from coach.tui.plain import plain_text
from coach.tui.screens.modals import SavePathScreen
from coach.tui.screens.review import LetterScreen, ReviewScreen
from tests.test_tui_helpers import call_args, saved_call

LETTER_FACTS = {
    "patient_name": "Jordan Rivera",
    "patient_address": "12 Elm St",
    "account_number": "AC-1",
    "creditor": "Midstate",
    "original_creditor": "St. Anne",  # on a collections case the itemized letter goes to the hospital
}


def review_screen(app: Any) -> ReviewScreen:
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


def summary(screen: ReviewScreen) -> str:
    assert screen.summary is not None
    return plain_text(screen.summary)


async def test_review_shows_every_capture_field_and_the_dates() -> None:
    call_id = saved_call()
    app = make_app("review", call_args(call=call_id))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = review_screen(app)
        assert screen.call_id == call_id
        text = " ".join(summary(screen).split())
        for expected in (
            "Rep's name Dana Lopez",
            "Rep's ID or extension 4471",
            "Reference number REF-4471",
            "Their offer $1,200.00",
            "Promise made mail the validation notice by 2026-12-05",
            "Deadline dispute by 2026-12-02",
            "Dates that matter • Dec 02, 2026: Deadline: dispute by 2026-12-02",
            "Next steps",
        ):
            assert expected in text, expected
        await pilot.press("t")
        assert screen.query_one("#review-tabs").active == "timeline"  # type: ignore[attr-defined]
        assert screen.timeline is not None
        timeline = plain_text(screen.timeline)
        assert "15:04:40  call" in timeline and "Dana Lopez" in timeline and "REF-4471" in timeline


async def test_next_steps_and_dates_name_the_apps_letters_never_a_command() -> None:
    call_id = saved_call()
    app = make_app("review", call_args(call=call_id))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = " ".join(summary(review_screen(app)).split())
        assert "Send a written summary of the call within a day: Letters (l) › Call summary" in text
        assert (
            "Pay nothing until agreed terms arrive in writing: Letters (l) › Confirmation of agreed terms"
            in text
        )
        assert "See every date that matters: under Dates that matter, above" in text
        assert "coach letter" not in text and "coach deadlines" not in text


async def test_a_letter_missing_facts_says_how_the_app_sets_them() -> None:
    call_id = saved_call({"creditor": "Midstate"})
    app = make_app("review", call_args(call=call_id))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l", "enter")
        await pilot.pause()
        said = [str(n.message) for n in app._notifications if "needs:" in str(n.message)]
        assert said and all(
            "/set" in line and "--set" not in line and "coach case" not in line for line in said
        )


async def test_review_lists_calls_newest_first_and_follows_the_highlight() -> None:
    first, second = saved_call(), saved_call()
    app = make_app("review", call_args(last=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = review_screen(app)
        assert screen.call_id == second
        await pilot.press("down")
        await pilot.pause()
        assert screen.call_id == first


async def test_review_with_no_calls_says_so() -> None:
    app = make_app("review")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "No calls saved yet" in summary(review_screen(app))


async def test_exports_are_owner_only_files_in_the_data_folder(coach_home: Path) -> None:
    call_id = saved_call()
    app = make_app("review", call_args(call=call_id))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m", "h", "j")
        for suffix in ("md", "html", "json"):
            exported = coach_home / "exports" / f"call-{call_id}.{suffix}"
            assert exported.exists() and exported.stat().st_mode & 0o777 == 0o600
        assert "Dana Lopez" in (coach_home / "exports" / f"call-{call_id}.md").read_text()


async def test_export_to_a_chosen_path_follows_the_extension(tmp_path: Path) -> None:
    call_id = saved_call()
    app = make_app("review", call_args(call=call_id))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        assert isinstance(app.screen, SavePathScreen)
        target = tmp_path / "out" / "my call.html"
        app.screen.query_one("#save-path").value = str(target)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert target.read_text().startswith("<!DOCTYPE html>")
        assert target.stat().st_mode & 0o777 == 0o600
        assert isinstance(app.screen, ReviewScreen)


async def test_letters_preview_save_and_save_as(coach_home: Path, tmp_path: Path) -> None:
    call_id = saved_call(LETTER_FACTS)
    app = make_app("review", call_args(call=call_id))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l")
        await pilot.press("enter")  # the first kind: itemized
        await pilot.pause()
        assert isinstance(app.screen, LetterScreen)
        assert "Re: account AC-1" in str(app.screen.query_one("#letter-text").render())
        await pilot.press("s")
        saved = coach_home / "exports" / f"letter-itemized-call-{call_id}.txt"
        assert saved.exists() and saved.stat().st_mode & 0o777 == 0o600
        await pilot.press("a")
        assert isinstance(app.screen, SavePathScreen)
        elsewhere = tmp_path / "letter.txt"
        app.screen.query_one("#save-path").value = str(elsewhere)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert elsewhere.read_text() == saved.read_text()
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)


async def test_a_letter_missing_facts_says_which_and_stays() -> None:
    call_id = saved_call({"creditor": "Midstate"})
    app = make_app("review", call_args(call=call_id))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert any("needs:" in str(n.message) for n in app._notifications)


async def test_user_text_in_review_is_never_markup() -> None:
    store = Store.open()
    case_id = store.create_case({}, "[red]Evil[/red] *case*", "hospital")
    call_id = store.start_call(case_id, "live", "hospital")
    from coach.dialogue.playbook import load_playbook
    from coach.session.engine import Session
    from tests.conftest import DIALOGUES

    session = Session(load_playbook([DIALOGUES]), "hospital", sink=store.sink_for(call_id))
    session.note("rep_name", "[bold]Dana[/bold] `x` | y")
    session.end()
    store.end_call(call_id, "done")
    app = make_app("review", call_args(call=call_id))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = review_screen(app)
        text = summary(screen)
        assert "[bold]Dana[/bold] `x` | y" in text
        assert "[red]Evil[/red] *case*" in text
        assert screen.timeline is not None and "[bold]Dana[/bold]" in plain_text(screen.timeline)


async def test_review_names_the_step_reached_and_an_interrupted_call_never_says_not_ended() -> None:
    from coach.calls import CallRequest, open_call
    from coach.dialogue.playbook import load_playbook
    from coach.paths import dialogues_dir

    store = Store.open()
    request = CallRequest(
        mode="live", counterpart="collections", facts_file=Path(__file__).parent / "fixtures" / "facts.yaml"
    )
    call = open_call(store, load_playbook([dialogues_dir()]), request)
    call.submit("1")  # killed at the asks: never ended
    store.close()
    app = make_app("review", call_args(call=call.call_id))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = " ".join(summary(review_screen(app)).split())
        assert "Reached Contact / What to ask for." in text
        assert "not ended" not in text and "contact.asks" not in text
        assert (
            f"interrupted (never ended): resume it from home, or coach live --resume {call.call_id}" in text
        )


async def test_the_timeline_shows_what_coach_advised_after_each_heard_line() -> None:
    from coach.calls import CallRequest, open_call
    from coach.dialogue.playbook import load_playbook
    from coach.paths import dialogues_dir

    store = Store.open()
    request = CallRequest(
        mode="live", counterpart="collections", facts_file=Path(__file__).parent / "fixtures" / "facts.yaml"
    )
    call = open_call(store, load_playbook([dialogues_dir()]), request)
    heard = call.submit("We can take $1,100 if you pay today").heard
    assert heard is not None and heard.data["reply"]
    call.finish()
    store.close()
    app = make_app("review", call_args(call=call.call_id))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = review_screen(app)
        assert screen.timeline is not None
        text = " ".join(plain_text(screen.timeline, 200).split())
        said = text.index("We can take $1,100 if you pay today")
        advised = text.index(f'coach said Say: "{" ".join(heard.data["reply"].split())}"')
        assert advised > said

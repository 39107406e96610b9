"""Prepare and the plan in the app: one question at a time, each answer in the case at once; then the plan."""

from __future__ import annotations

import argparse
import stat
from typing import Any

from coach.casefile.store import Store
from coach.paths import data_dir
from coach.tui.app import make_app
from coach.tui.screens.call import CallScreen
from coach.tui.screens.prepare import PlanScreen, PrepareScreen
from coach.tui.widgets.call_input import CallInput
from tests.test_tui_helpers import FIXTURES


def prepare_args(**extra: Any) -> argparse.Namespace:
    values: dict[str, Any] = dict(case=None, facts=None, counterpart="collections", dialogues=None)
    values.update(extra)
    return argparse.Namespace(**values)


def quick_case() -> int:
    store = Store.open()
    case_id = store.create_case({"account_number": "AC-1", "balance": "2480.00"}, "AC-1", "collections")
    store.close()
    return case_id


def facts_of(case_id: int) -> dict[str, Any]:
    return dict(Store.open().case(case_id).facts)


async def to_the_plan(pilot: Any, app: Any) -> PlanScreen:
    """Answer what prepare still asks of the fixture's case: nothing urgent, choice 2, Enter skips the rest."""
    await pilot.press("6")
    for _ in range(20):
        screen = app.screen
        if not isinstance(screen, PrepareScreen):
            break
        assert screen.prep is not None
        await pilot.press("2" if screen.prep.view().choices else "enter")
        await pilot.pause()
    assert isinstance(app.screen, PlanScreen)
    return app.screen


async def test_with_the_fixture_facts_prepare_asks_a_few_choices_then_shows_the_plan() -> None:
    app = make_app("prepare", prepare_args(facts=FIXTURES / "facts.yaml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await to_the_plan(pilot, app)
        assert (
            screen.asked is not None and screen.asked < 20
        )  # 13 today: the core still asks triage and papers
        text = screen.plain_text()
        assert "Account number: AC-558812" in text and "Open with:" in text
        await pilot.press("1")  # a live call from the plan, on its first phrase
        await pilot.pause()
        call = app.screen
        assert isinstance(call, CallScreen) and call.session.view().node == "contact.open"
        assert call.call.case_id == screen.case_id


async def test_each_answer_is_saved_to_the_case_as_it_is_given() -> None:
    case_id = quick_case()
    app = make_app("prepare", prepare_args(case=case_id))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, PrepareScreen) and screen.prep is not None
        prep = screen.prep
        assert "anything urgent" in str(screen.query_one("#prep-question").render())
        await pilot.press("6")  # none of these
        asked = 0
        while not isinstance(app.screen, PlanScreen) and asked < 60:
            view = prep.view()
            before = facts_of(case_id)
            line = app.screen.query_one(CallInput)
            if view.ask == "creditor":
                line.value = "Midstate Recovery"
                await pilot.press("enter")
                assert facts_of(case_id)["creditor"] == "Midstate Recovery"  # saved at once
            elif view.ask == "state":
                line.value = "Ohio"
                await pilot.press("enter")
                assert facts_of(case_id)["state"] == "OH"
            elif view.ask == "validation_notice_date":
                line.value = "abc"
                await pilot.press("enter")
                status = str(app.screen.query_one("#status").render())
                assert (
                    status.startswith("! validation_notice_date: 'abc' is not a date") and "\n" not in status
                )
                assert facts_of(case_id) == before and prep.view().node == view.node
                line.value = "11/2/26"
                await pilot.press("enter")
                assert facts_of(case_id)["validation_notice_date"] == "2026-11-02"
            elif view.choices:
                labels = [c.label for c in view.choices]
                assert "Continue" not in labels or view.ask is None
                await pilot.press("2" if labels[:2] == ["Yes", "No"] else "1")
            elif prep.playbook.facts[view.ask or "balance"].required and not view.ask_current:
                line.value = "3"
                await pilot.press("enter")
            else:
                await pilot.press("enter")  # skip or keep
            asked += 1
        assert isinstance(app.screen, PlanScreen)
        facts = facts_of(case_id)
        assert facts["account_number"] == "AC-1" and facts["creditor"] == "Midstate Recovery"
        assert all(str(v) not in ("1", "1.00") for k, v in facts.items() if k != "household_size")


async def test_the_plan_is_written_as_one_private_html_page() -> None:
    app = make_app("prepare", prepare_args(facts=FIXTURES / "facts.yaml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await to_the_plan(pilot, app)
        await pilot.press("3")
        path = data_dir() / "plans" / f"case-{screen.case_id}-plan.html"
        assert path.read_text().startswith("<!doctype html>")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert str(path) in str(screen.query_one("#status").render())


async def test_stopping_keeps_every_answer_and_returns_home() -> None:
    case_id = quick_case()
    app = make_app("prepare", prepare_args(case=case_id))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("6")
        screen = app.screen
        assert isinstance(screen, PrepareScreen)
        screen.query_one(CallInput).value = "Midstate Recovery"
        await pilot.press("enter", "f10")
        await pilot.pause()
        assert not isinstance(app.screen, PrepareScreen)
        assert facts_of(case_id)["creditor"] == "Midstate Recovery"


def test_coach_prepare_on_a_missing_case_is_one_line_and_exit_2() -> None:
    import pytest

    from coach.cli.app import run_app
    from coach.errors import CoachError

    args = prepare_args(case=99)
    args.headless = True
    with pytest.raises(CoachError, match="no case 99"):
        run_app(args, mode="prepare")

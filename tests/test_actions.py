"""Next steps, plan asks and deadline texts as data: each front end words the actions for itself.

The command line and the exports name a command (today's text, byte for byte); the app names
its Letters tab (l) and its own screens; errors say which input is wrong by its name.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from coach.casefile.actions import Dates, Letter, Step, actions, worded
from coach.casefile.deadlines import Deadline, case_deadlines
from coach.casefile.export import command, render_review
from coach.casefile.letters import MissingFacts
from coach.casefile.plan import as_html, as_text, build_plan
from coach.casefile.review import build_review
from coach.casefile.safewrite import AlreadyExists
from coach.casefile.store import CallRecord, CaseRecord
from coach.cli.main import said
from coach.dialogue.facts import parse_fact
from coach.dialogue.schema import Playbook
from coach.errors import CoachError
from coach.session.events import Event
from coach.tui.actions import error_text, on_plan, on_review

AT = dt.datetime(2026, 11, 20, 15, 4, 40, tzinfo=dt.UTC)


def review_of(counterpart: str = "collections", agreed: bool = False) -> object:
    events = [
        Event(1, AT, "start", "contact", "contact.open", "", {"mode": "live", "counterpart": counterpart})
    ]
    if agreed:
        data = {"kind": "agreed", "amount": "900"}
        events.append(Event(2, AT, "note", "contact", "contact.open", "900", data))
    call = CallRecord(2, 1, "live", counterpart, AT.isoformat(), AT.isoformat(), "done")
    return build_review(events, call, CaseRecord(1, "St. Anne", counterpart, {}, "", ""))


def test_next_steps_carry_their_actions_and_the_command_line_words_them_as_before() -> None:
    review = review_of(agreed=True)
    steps = review.next_steps  # type: ignore[attr-defined]
    assert steps[0] == Step("Send a written summary of the call within a day", Letter("call-summary", 2, 1))
    assert steps[-1] == Step("See every date that matters", Dates(1))
    assert [step.worded(command) for step in steps] == [
        "Send a written summary of the call within a day: coach letter call-summary --call 2 --case 1",
        "You agreed to $900.00: pay nothing until the terms arrive in writing. "
        "Send: coach letter confirmation --call 2",
        "If you have not yet, dispute in writing within the validation period: coach letter validation",
        "No reference number was recorded: ask for one on your next call",
        "See every date that matters: coach deadlines --case 1",
    ]


def test_the_app_names_its_letters_tab_never_a_command() -> None:
    review = review_of(agreed=True)
    name = on_review(dates_shown=False)
    said_in_app = [step.worded(name) for step in review.next_steps]  # type: ignore[attr-defined]
    assert said_in_app[0] == "Send a written summary of the call within a day: Letters (l) › Call summary"
    assert said_in_app[1].endswith("in writing. Send: Letters (l) › Confirmation of agreed terms")
    assert (
        said_in_app[-1]
        == "See every date that matters: none known yet (they show here once the case has them)"
    )
    assert on_review(dates_shown=True)(Dates(1)) == "under Dates that matter, above"
    assert not any("coach " in line or "--" in line for line in said_in_app)


def test_the_json_keeps_the_printed_steps_and_adds_their_actions() -> None:
    data = json.loads(render_review(review_of(), "json"))  # type: ignore[arg-type]
    assert data["next_steps"][0].endswith(": coach letter call-summary --call 2 --case 1")
    assert data["steps"][0] == {
        "do": "Send a written summary of the call within a day",
        "action": {"kind": "letter", "letter": "call-summary", "call": 2, "case": 1},
    }
    assert data["steps"][-1]["action"] == {"kind": "dates", "case": 1}
    assert {"do": "No reference number was recorded: ask for one on your next call", "action": None} in data[
        "steps"
    ]


INSURER = {
    "insurer_name": "Acme Health",
    "claim_number": "CLM-77",
    "denial_date": "2026-11-01",
    "plan_type": "job-based",
    "claim_file_sent": "2026-11-03",
    "reason_code": "CO-50",
}


def insurer_facts(playbook: Playbook) -> dict[str, object]:
    return {name: parse_fact(playbook.facts[name], value) for name, value in INSURER.items()}


def test_deadlines_point_at_letters_and_what_is_the_printed_line(playbook: Playbook) -> None:
    found = case_deadlines(insurer_facts(playbook), "insurer", [], dt.date(2026, 12, 2))
    appeal = next(d for d in found if Letter("appeal") in actions(d.words))
    assert appeal.what == (
        "Appeal the denied claim CLM-77 by this date (coach letter appeal); "
        "the date on your denial notice wins over coach's count"
    )
    assert worded(appeal.words, on_plan).startswith(
        "Appeal the denied claim CLM-77 by this date (after the call: Review › Letters › Internal appeal"
    )
    late = Deadline(dt.date(2026, 1, 1), "x", "y", ("Write now: ", Letter("validation")))
    assert worded(late.status(dt.date(2026, 2, 1)), command) == "(passed) Write now: coach letter validation"
    assert late.status(dt.date(2025, 1, 1)) == ()


def test_the_plan_in_the_app_names_the_review_letters(playbook: Playbook) -> None:
    plan = build_plan(playbook, insurer_facts(playbook), "insurer", today=dt.date(2026, 12, 2))
    printed, in_app = as_text(plan), as_text(plan, on_plan)
    assert "The claim file and plan documents, free (coach letter claim-file)" in printed
    assert (
        "The claim file and plan documents, free (after the call: Review › Letters › "
        "Claim file and plan documents request)" in in_app
    )
    assert "coach letter" not in in_app and "coach letter" not in as_html(plan, on_plan)


def test_an_error_names_its_input_the_command_line_by_flag_the_app_by_name() -> None:
    error = CoachError("call 3 has ended (done); start a new one", field="resume")
    assert str(error) == said(error) == "--resume: call 3 has ended (done); start a new one"
    assert error_text(error) == "Resume: call 3 has ended (done); start a new one"
    plain = CoachError("no calls saved yet")
    assert str(plain) == error_text(plain) == "no calls saved yet" and plain.field is None


def test_remedies_are_each_front_ends_own() -> None:
    exists = AlreadyExists("--out /tmp/x.md")
    assert said(exists) == "--out /tmp/x.md: already exists; add --force to replace it (nothing written)"
    assert error_text(exists) == "--out /tmp/x.md: already exists (nothing written)"
    missing = MissingFacts("itemized", ["patient_name", "account_number"], 3)
    assert said(missing) == (
        "letter itemized needs: patient_name, account_number (set with: coach case edit 3 --set name=value)"
    )
    assert said(MissingFacts("itemized", ["patient_name"], None)).endswith(
        "(set with: --set name=value, or --case ID)"
    )
    assert error_text(missing) == (
        "letter itemized needs: patient_name, account_number: set them during a call on this case, with /set name value"
    )


@pytest.mark.parametrize("kind", ["confirmation", "claim-file", "hold-request", "no-such-kind"])
def test_every_letter_has_an_app_name_without_a_command(kind: str) -> None:
    shown = on_review(dates_shown=True)(Letter(kind))
    assert shown.startswith("Letters (l) › ") and "coach" not in shown and "(" not in shown.partition("›")[2]

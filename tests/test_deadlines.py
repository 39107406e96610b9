"""``coach deadlines``: the clocks from the rules, promises from calls, and an .ics that parses back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import icalendar
import pytest

from coach.casefile.deadlines import Deadline, case_deadlines, find_date, to_ics
from coach.casefile.store import Store
from coach.cli.main import main
from coach.dialogue.schema import Playbook
from coach.session.engine import Session
from coach.session.events import Event

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 11, 22)


def new_case(capsys: pytest.CaptureFixture[str], *sets: str) -> None:
    flags = [part for value in sets for part in ("--set", value)]
    args = ["case", "new", "--facts", str(FIXTURES / "facts.yaml"), "--counterpart", "collections", *flags]
    assert main(args) == 0
    capsys.readouterr()


def record_notes(playbook: Playbook, case_id: int, *notes: tuple[str, str]) -> int:
    store = Store.open()
    call_id = store.start_call(case_id, "live", "collections")
    session = Session(playbook, "collections", {"balance": Decimal("2480")}, sink=store.sink_for(call_id))
    for kind, text in notes:
        session.note(kind, text)
    session.end()
    store.end_call(call_id, "ended")
    store.close()
    return call_id


def note(text: str, kind: str = "promise", on: dt.date = TODAY) -> Event:
    at = dt.datetime(on.year, on.month, on.day, 15, 0, tzinfo=dt.UTC)
    return Event(1, at, "note", "settle", "settle.agreed", text, {"kind": kind})


def test_cli_lists_rules_and_promises_and_writes_ics(
    playbook: Playbook, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new_case(capsys, "paid_date=2026-12-10")
    record_notes(
        playbook,
        1,
        ("promise", "mail the validation notice by 2026-12-05"),
        ("deadline", "hold on the account; ends Jan 15, 2027"),
        ("promise", "a supervisor will call back"),
    )
    ics = tmp_path / "cal" / "coach.ics"
    assert main(["deadlines", "--case", "1", "--ics", str(ics)]) == 0
    out = capsys.readouterr().out
    assert "Wed Dec 09, 2026  Last day to dispute in writing" in out  # 2026-11-02 + 5 business days + 30
    assert (
        "Tue Mar 17, 2026  Financial assistance: a nonprofit hospital must accept" in out
    )  # 2025-07-20 + 240
    assert "at the latest" not in out
    assert "(passed) Apply anyway: the 240 days are the least a nonprofit hospital must allow" in out
    assert "Promised: mail the validation notice by 2026-12-05" in out
    assert "no date given     Promised: a supervisor will call back" in out
    assert "Sat Jan 09, 2027  Check your credit reports: is the paid account" in out
    assert "Mon Feb 08, 2027  Check your credit reports again" in out
    assert "Self-pay" not in out  # insured: the good-faith-estimate window does not apply
    assert ics.stat().st_mode & 0o777 == 0o600

    raw = ics.read_bytes()
    assert raw.endswith(b"END:VCALENDAR\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(raw)
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    events = list(calendar.walk("VEVENT"))
    by_summary = {str(e["SUMMARY"]): e for e in events}
    promised = by_summary["Promised: mail the validation notice by 2026-12-05"]
    assert promised.decoded("DTSTART") == dt.date(2026, 12, 5)
    assert promised.decoded("DTEND") == dt.date(2026, 12, 6)
    assert by_summary["Deadline: hold on the account; ends Jan 15, 2027"].decoded("DTSTART") == dt.date(
        2027, 1, 15
    )
    assert "Promised: a supervisor will call back" not in by_summary  # undated: listed, not calendared
    assert all(e.get("UID") and e.get("DTSTAMP") for e in events)
    assert len({str(e["UID"]) for e in events}) == len(events)
    assert "case 1: Midstate Recovery Services AC-558812" in str(promised["DESCRIPTION"])


def test_ics_uids_differ_between_cases_with_the_same_dates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new_case(capsys)
    new_case(capsys)
    ics = tmp_path / "all.ics"
    assert main(["deadlines", "--ics", str(ics)]) == 0
    events = list(icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    assert len(events) == 4 and len({str(e["UID"]) for e in events}) == 4


def test_ics_text_is_escaped_and_folded() -> None:
    what = "Call back; ask for Dana, ext. 12\\34 " + "é" * 60
    text = to_ics([("case 1", Deadline(dt.date(2026, 12, 1), what, "call 1"))], dt.datetime(2026, 1, 1))
    assert "DTSTAMP:20260101T000000Z\r\n" in text
    event = next(iter(icalendar.Calendar.from_ical(text).walk("VEVENT")))
    assert str(event["SUMMARY"]) == what
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_rules_from_facts() -> None:
    facts = {
        "first_bill_date": dt.date(2026, 9, 1),
        "insured": False,
        "court_deadline": dt.date(2026, 12, 3),
        "payment_due_date": dt.date(2026, 12, 20),
    }
    found = {
        d.what.split(":")[0].split(" by")[0]: d.due for d in case_deadlines(facts, "hospital", [], TODAY)
    }
    assert found == {
        "Answer the court papers": dt.date(2026, 12, 3),
        "Self-pay": dt.date(2026, 12, 30),  # 120 days
        "Agreed payment due": dt.date(2026, 12, 20),
        "Financial assistance": dt.date(2027, 4, 29),  # 240 days
    }
    assert case_deadlines({}, "hospital", [], TODAY) == []


def test_notes_are_read_relative_to_the_day_they_were_made() -> None:
    said = dt.date(2026, 12, 20)
    found = case_deadlines(
        {}, "collections", [(4, [note("send the agreement within 10 days", on=said)])], TODAY
    )
    assert found == [
        Deadline(dt.date(2026, 12, 30), "Promised: send the agreement within 10 days", "call 4, Dec 20, 2026")
    ]


def test_no_dates_yet(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadlines"]) == 0
    assert "No cases yet" in capsys.readouterr().out
    assert main(["case", "new", "--set", "creditor=St. Anne"]) == 0
    assert main(["deadlines", "--case", "1"]) == 0
    assert "no dates yet" in capsys.readouterr().out
    assert main(["deadlines", "--case", "9"]) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("by 2026-12-05", dt.date(2026, 12, 5)),
        ("call back 12/7/2026", dt.date(2026, 12, 7)),
        ("call back 12/7/26", dt.date(2026, 12, 7)),
        ("letter by 12/7", dt.date(2026, 12, 7)),
        ("on Dec 9", dt.date(2026, 12, 9)),
        ("by December 9th, 2026", dt.date(2026, 12, 9)),
        ("January 5", dt.date(2027, 1, 5)),  # said in November: next January
        ("Nov 1", dt.date(2026, 11, 1)),  # three weeks ago, not next year
        ("in 10 days", dt.date(2026, 12, 2)),
        ("within 2 weeks", dt.date(2026, 12, 6)),
        ("within 5 business days", dt.date(2026, 11, 27)),
        ("tomorrow", dt.date(2026, 11, 23)),
        ("soon", None),
        ("13/45/2026", None),
        ("Feb 30", None),
        ("ref 2026-99-99", None),
    ],
)
def test_find_date(text: str, expected: dt.date | None) -> None:
    assert find_date(text, TODAY) == expected

"""Case commands, letters and deadlines, driven through the CLI as a user would."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import icalendar
import pytest

from coach.cli import main
from coach.deadlines import find_date
from coach.engine import Session
from coach.letters import letter_kinds
from coach.playbook import Playbook
from coach.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
ADDRESS = "patient_address=12 Elm St, Salem OR 97301"


def new_case(capsys: pytest.CaptureFixture[str], *extra: str) -> None:
    assert (
        main(["case", "new", "--facts", str(FIXTURES / "facts.yaml"), "--counterpart", "collections", *extra])
        == 0
    )
    capsys.readouterr()


def record_call(playbook: Playbook) -> int:
    store = Store.open()
    call_id = store.start_call(1, "live", "collections")
    session = Session(playbook, "collections", {"balance": Decimal("2480")}, sink=store.sink_for(call_id))
    session.note("rep_name", "Dana Lopez")
    session.note("reference", "REF-4471")
    session.note("offer", "900")
    session.note("promise", "mail the validation notice by 2026-12-05")
    session.end()
    store.end_call(call_id, "ended")
    store.close()
    return call_id


def test_case_new_show_edit(capsys: pytest.CaptureFixture[str]) -> None:
    new_case(capsys)
    assert main(["case", "show", "1"]) == 0
    out = capsys.readouterr().out
    assert "case 1: Midstate Recovery Services AC-558812 (collections)" in out
    assert "  balance: $2,480.00" in out
    assert main(["case", "edit", "1", "--set", "balance=$2,100.50", "--unset", "state"]) == 0
    capsys.readouterr()
    assert main(["case", "show", "1"]) == 0
    out = capsys.readouterr().out
    assert "  balance: $2,100.50" in out and "  state:" not in out


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        ("balance=abc", "coach: balance: 'abc' is not an amount like $1,234.50"),
        ("household_size=0", "coach: household_size: must be at least 1"),
        (
            "balence=3",
            "coach: --set balence: unknown fact (see docs/dialogue-schema.md or dialogues/facts.yaml)",
        ),
        ("balance", "coach: --set balance: write it as NAME=VALUE, like balance=2400"),
    ],
)
def test_bad_fact_values_name_the_field(capsys: pytest.CaptureFixture[str], flag: str, message: str) -> None:
    assert main(["case", "new", "--set", flag]) == 2
    assert capsys.readouterr().err.strip() == message


def test_letter_validation_names_account_and_period_end(capsys: pytest.CaptureFixture[str]) -> None:
    new_case(capsys, "--set", ADDRESS)
    assert main(["letter", "validation", "--case", "1"]) == 0
    letter = capsys.readouterr().out
    assert "Re: account AC-558812 (original creditor: St. Anne Regional Hospital)" in letter
    assert "ends on\nDecember 9, 2026." in letter  # notice sent 2026-11-02 + 5 business days + 30 days
    assert "[" not in letter


def test_letter_refuses_blanks_and_lists_what_is_needed(capsys: pytest.CaptureFixture[str]) -> None:
    new_case(capsys)
    assert main(["letter", "settlement-offer", "--case", "1"]) == 2
    assert capsys.readouterr().err.strip() == (
        "coach: letter settlement-offer needs: patient_address, settlement_amount "
        "(set with: coach case edit 1 --set NAME=VALUE)"
    )


@pytest.mark.parametrize("kind", sorted(letter_kinds()))
def test_every_letter_kind_renders_with_call_details(
    playbook: Playbook, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    new_case(capsys, "--set", ADDRESS, "--set", "settlement_amount=800", "--set", "credit_bureau=Experian")
    call_id = record_call(playbook)
    assert main(["letter", kind, "--call", str(call_id)]) == 0
    letter = capsys.readouterr().out
    assert "AC-558812" in letter and "Jordan Rivera" in letter
    assert "{{" not in letter and "[" not in letter.replace("[ ]", "")
    if kind in ("call-summary", "confirmation"):
        assert "Dana Lopez" in letter and "REF-4471" in letter


def test_letter_shows_user_text_literally(capsys: pytest.CaptureFixture[str]) -> None:
    new_case(capsys, "--set", "patient_name={{ 7*7 }}{% raw %}", "--set", ADDRESS)
    assert main(["letter", "itemized", "--case", "1"]) == 0
    assert "{{ 7*7 }}{% raw %}" in capsys.readouterr().out


def test_letter_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["letter", "--list"]) == 0
    out = capsys.readouterr().out
    for kind in (
        "itemized",
        "assistance",
        "validation",
        "settlement-offer",
        "confirmation",
        "call-summary",
        "cease",
        "credit-dispute",
    ):
        assert out.count(f"{kind} ") >= 1


def test_deadlines_and_ics_parse_back(
    playbook: Playbook, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new_case(capsys)
    record_call(playbook)
    ics = tmp_path / "coach.ics"
    assert main(["deadlines", "--case", "1", "--ics", str(ics)]) == 0
    out = capsys.readouterr().out
    assert "Wed Dec 09, 2026  Last day to dispute in writing" in out
    assert "Promised: mail the validation notice by 2026-12-05" in out
    assert "Financial assistance: apply by this date" in out  # 2025-07-20 + 240 days, even in collections
    calendar = icalendar.Calendar.from_ical(ics.read_bytes())
    events = {str(e["SUMMARY"]): e.decoded("DTSTART") for e in calendar.walk("VEVENT")}
    assert events["Promised: mail the validation notice by 2026-12-05"] == dt.date(2026, 12, 5)
    assert dt.date(2026, 3, 17) in events.values()
    assert all(len(line) <= 75 for line in ics.read_bytes().split(b"\r\n"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("by 2026-12-05", dt.date(2026, 12, 5)),
        ("call back 12/7/2026", dt.date(2026, 12, 7)),
        ("on Dec 9", dt.date(2026, 12, 9)),
        ("January 5", dt.date(2027, 1, 5)),
        ("soon", None),
        ("13/45/2026", None),
    ],
)
def test_find_date(text: str, expected: dt.date | None) -> None:
    assert find_date(text, dt.date(2026, 11, 22)) == expected


def test_export_import_round_trip(
    playbook: Playbook, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new_case(capsys)
    record_call(playbook)
    out = tmp_path / "case.json"
    assert main(["case", "export", "1", str(out)]) == 0
    assert out.stat().st_mode & 0o777 == 0o600
    assert main(["case", "import", str(out)]) == 0
    assert "imported as case 2 with 1 call(s)" in capsys.readouterr().out
    store = Store.open()
    assert store.case(2).facts == store.case(1).facts
    assert [e.text for e in store.events(2)] == [e.text for e in store.events(1)]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not a coach case export (invalid JSON)"),
        ('{"format": "other"}', "not a coach case export (missing 'format: coach-case')"),
        (
            '{"format": "coach-case", "version": 1, "case": {"label": "x", "facts": {"balance": "abc"}}, "calls": []}',
            "case.facts.balance: 'abc' is not an amount like $1,234.50",
        ),
        (
            '{"format": "coach-case", "version": 1, "case": {"label": "x", "facts": {}}, '
            '"calls": [{"mode": "live", "counterpart": "hospital", "events": [{"seq": 2}]}]}',
            "calls[0].events:",
        ),
    ],
)
def test_malformed_import_is_refused_and_store_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert main(["case", "import", str(path)]) == 2
    assert message in capsys.readouterr().err
    assert Store.open().cases() == []


def test_export_json_is_readable(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    new_case(capsys)
    out = tmp_path / "c.json"
    main(["case", "export", "1", str(out)])
    assert json.loads(out.read_text())["case"]["facts"]["account_number"] == "AC-558812"

"""``coach case``: new, list, show, edit, export and import, driven as a user would."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from coach.casefile.store import Store
from coach.cli.main import main
from coach.dialogue.facts import facts_from_json
from coach.dialogue.schema import Playbook
from coach.session.engine import Session

FIXTURES = Path(__file__).parent / "fixtures"


def new_case(capsys: pytest.CaptureFixture[str], *extra: str) -> None:
    args = ["case", "new", "--facts", str(FIXTURES / "facts.yaml"), "--counterpart", "collections", *extra]
    assert main(args) == 0
    capsys.readouterr()


def record_call(playbook: Playbook, case_id: int = 1) -> int:
    store = Store.open()
    call_id = store.start_call(case_id, "live", "collections")
    session = Session(playbook, "collections", {"balance": Decimal("2480")}, sink=store.sink_for(call_id))
    session.note("rep_name", "Dana <b>Lopez</b>")
    session.note("reference", "REF-4471")
    session.note("offer", "900")
    session.hear("We don't do deletions")
    session.end()
    store.end_call(call_id, "ended")
    store.add_deadline(case_id, "hold ends", dt.date(2026, 12, 1), call_id, "call")
    store.close()
    return call_id


def test_new_list_show_edit(capsys: pytest.CaptureFixture[str]) -> None:
    new_case(capsys)
    assert main(["case", "list"]) == 0
    assert "Midstate Recovery Services AC-558812" in capsys.readouterr().out
    assert main(["case", "show", "1"]) == 0
    out = capsys.readouterr().out
    assert "case 1: Midstate Recovery Services AC-558812 (collections)" in out
    assert "  balance: $2,480.00" in out
    assert main(["case", "edit", "1", "--set", "balance=$2,100.50", "--unset", "state"]) == 0
    capsys.readouterr()
    assert main(["case", "show", "1"]) == 0
    out = capsys.readouterr().out
    assert "  balance: $2,100.50" in out and "  state:" not in out


def test_facts_keep_their_types_through_the_store(
    playbook: Playbook, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["case", "new", "--set", "balance=1.2k", "--set", "validation_notice_date=11/2/2026"]) == 0
    facts = facts_from_json(Store.open().case(1).facts, playbook)
    assert facts == {"balance": Decimal("1200.00"), "validation_notice_date": dt.date(2026, 11, 2)}


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        ("balance=abc", "coach: balance: 'abc' is not an amount like $1,234.50"),
        ("household_size=0", "coach: household_size: must be at least 1"),
        ("first_bill_date=soon", "coach: first_bill_date: 'soon' is not a date like 2026-03-01 or 3/1/2026"),
        (
            "credit_bureau=Equifacts",
            "coach: credit_bureau: 'Equifacts' is not one of Equifax, Experian, TransUnion",
        ),
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
    assert Store.open().cases() == []


def test_bad_facts_file_names_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text("creditor: St. Anne\nbalance: lots\n")
    assert main(["case", "new", "--facts", str(facts)]) == 2
    assert (
        capsys.readouterr().err.strip()
        == f"coach: {facts}:2: balance: 'lots' is not an amount like $1,234.50"
    )
    assert main(["case", "new", "--facts", str(tmp_path / "nope.yaml")]) == 2
    assert "--facts: no such file" in capsys.readouterr().err


def test_unknown_case_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["case", "show", "7"]) == 2
    assert capsys.readouterr().err.strip() == "coach: --case: no case 7 (see coach case list)"


def test_export_import_round_trip(
    playbook: Playbook, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new_case(capsys)
    call_id = record_call(playbook)
    out = tmp_path / "case.json"
    assert main(["case", "export", "1", str(out)]) == 0
    assert out.stat().st_mode & 0o777 == 0o600
    document = json.loads(out.read_text())
    assert (document["format"], document["version"]) == ("coach-case", 1)
    assert document["case"]["facts"]["balance"] == "2480.00"
    assert main(["case", "import", str(out)]) == 0
    assert "imported as case 2 with 1 call(s)" in capsys.readouterr().out
    store = Store.open()
    original, copy = store.case(1), store.case(2)
    assert (copy.facts, copy.label, copy.counterpart, copy.created) == (
        original.facts,
        original.label,
        original.counterpart,
        original.created,
    )
    [old_call], [new_call] = store.calls(1), store.calls(2)
    assert (new_call.started, new_call.ended, new_call.outcome) == (old_call.started, old_call.ended, "ended")
    assert store.events(new_call.id) == store.events(call_id)
    assert [(d.due, d.what) for d in store.deadlines(2)] == [("2026-12-01", "hold ends")]


def _export(**changes: Any) -> dict[str, Any]:
    """A small valid export with some parts replaced."""
    document: dict[str, Any] = {
        "format": "coach-case",
        "version": 1,
        "case": {"label": "x", "counterpart": "hospital", "facts": {"balance": "12.50"}},
        "calls": [
            {
                "mode": "live",
                "counterpart": "hospital",
                "started": "2026-11-22T12:00:00+00:00",
                "ended": None,
                "outcome": None,
                "events": [
                    {
                        "seq": 1,
                        "at": "2026-11-22T12:00:00+00:00",
                        "kind": "note",
                        "stage": "assess",
                        "node": "assess.triage",
                        "text": "Dana",
                        "data": {"kind": "rep_name"},
                    }
                ],
            }
        ],
        "deadlines": [{"due": "2026-12-01", "what": "hold ends", "source": ""}],
    }
    for path, value in changes.items():
        target = document
        keys = path.split("__")
        for key in keys[:-1]:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if isinstance(target, list):
            target[int(keys[-1])] = value
        else:
            target[keys[-1]] = value
    return document


BAD_EVENT = {"seq": 1, "at": "yesterday", "kind": "note", "stage": "a", "node": "a.b", "data": {}}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", "bad.json:1: not a coach case export (invalid JSON)"),
        ('["a list"]', "not a coach case export (missing 'format: coach-case')"),
        ('{"format": "other"}', "not a coach case export (missing 'format: coach-case')"),
        (_export(version=2), "export version 2 is not one this coach reads (1)"),
        (
            _export(case__facts={"balance": "abc"}),
            "case.facts.balance: 'abc' is not an amount like $1,234.50",
        ),
        (_export(case__facts={"balence": "1"}), "case.facts.balence: unknown fact"),
        (_export(case__label=None), "case.label: missing"),
        (
            _export(case__counterpart="pharmacy"),
            "case.counterpart: 'pharmacy' is not one of hospital, doctor, collections, insurer",
        ),
        (_export(calls={"mode": "live"}), "calls: expected a list"),
        (_export(calls__0__mode="dream"), "calls[0].mode: 'dream' is not live or rehearse"),
        (_export(calls__0__started="noon"), "calls[0].started: 'noon' is not a time like"),
        (_export(calls__0__events__0__seq=2), "calls[0].events: sequence numbers must run 1, 2, 3, ..."),
        (_export(calls__0__events__0__kind="shout"), "calls[0].events[0]: unknown event kind 'shout'"),
        (_export(calls__0__events__0=BAD_EVENT), "calls[0].events[0]: Invalid isoformat string: 'yesterday'"),
        (_export(calls__0__events__0={"seq": 1}), "calls[0].events[0].kind: missing"),
        (_export(calls__0__events__0="text"), "calls[0].events[0]: expected an object with a 'data' object"),
        (_export(deadlines__0__due="Dec 1"), "deadlines[0].due: 'Dec 1' is not a date like 2026-03-01"),
        (_export(deadlines__0__what=7), "deadlines[0].what: expected text"),
    ],
)
def test_malformed_import_is_refused_and_store_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], document: Any, message: str
) -> None:
    store = Store.open()
    store.create_case({"balance": Decimal("1")}, "existing", None)
    before = store.cases()
    path = tmp_path / "bad.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    assert main(["case", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"coach: {path}") and message in err and err.count("\n") == 1
    assert store.cases() == before and store.calls() == []


def test_valid_minimal_export_imports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(_export()))
    assert main(["case", "import", str(path)]) == 0
    store = Store.open()
    assert store.events(1)[0].text == "Dana" and store.deadlines(1)[0].due == "2026-12-01"


def test_import_is_all_or_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A failure half-way (here: the disk refusing the last row) leaves no half-imported case."""
    from coach.cli.case import read_export
    from coach.dialogue.playbook import load_playbook
    from tests.conftest import DIALOGUES

    path = tmp_path / "ok.json"
    path.write_text(json.dumps(_export()))
    exported = read_export(path, load_playbook([DIALOGUES]))
    store = Store.open()
    store._db.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON deadlines BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    with pytest.raises(Exception, match="disk full"):
        store.import_case(exported.case, exported.calls, exported.deadlines)
    assert store.cases() == [] and store.calls() == []

"""Issue 14 part 7: inputs that crashed a call or poisoned later commands are refused at the door.

Each bad input gives one line naming the field or ``file:line``; a render error during a call costs
one phrase, never the call.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from coach.casefile.store import Store
from coach.cli.main import main
from coach.dialogue.facts import parse_fact, read_facts_file
from coach.dialogue.playbook import check_playbook
from coach.dialogue.schema import FactSpec, Playbook
from tests.conftest import FIXTURES, ROOT


def one_line(err: str) -> bool:
    return err.count("\n") == 1 and "internal error" not in err and "Traceback" not in err


def new_case(*sets: str) -> None:
    assert main(["case", "new", "--set", "creditor=St. Anne", "--set", "balance=2400", *sets]) == 0


# -- the line mode: one bad byte ------------------------------------------------------


def test_a_bad_byte_in_the_line_mode_costs_the_byte_not_the_call(coach_home: Path) -> None:
    new_case()
    lines = b"/rep Da\xffna\n/note after the bad byte\n/end\n"
    result = subprocess.run(
        [sys.executable, "-m", "coach", "live", "--plain", "--case", "1", "--counterpart", "collections"],
        input=lines,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8:strict"},
        timeout=60,
        check=False,
    )
    out, err = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == 0, err
    assert "internal error" not in err and "not UTF-8" in out
    with closing(Store.open()) as store:
        notes = [e.text for e in store.events(1) if e.kind == "note"]
    assert notes == ["Da\ufffdna", "after the bad byte"]  # the line after the bad byte was read too


def test_read_line_replaces_surrogate_escapes_from_a_text_layer() -> None:
    from coach.cli.call import read_line

    stdin = io.StringIO("a\udcffb\nplain\n")
    assert read_line(stdin) == ("a\ufffdb\n", True)
    assert read_line(stdin) == ("plain\n", False)


# -- dates near year 9999 -----------------------------------------------------------------


@pytest.mark.parametrize("value", ["9999-12-31", "12/31/9999", "0001-01-01", "1899-12-31", "2200-01-01"])
def test_a_date_outside_1900_to_2199_is_refused_with_its_field(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["case", "new", "--set", "balance=1", "--set", f"first_bill_date={value}"]) == 2
    err = capsys.readouterr().err
    assert one_line(err) and "first_bill_date" in err and "1900 to 2199" in err


def test_the_ends_of_the_range_are_dates() -> None:
    spec = FactSpec(name="d", type="date", prompt="When?")
    assert parse_fact(spec, "1900-01-01") == dt.date(1900, 1, 1)
    assert parse_fact(spec, dt.date(2199, 12, 31)) == dt.date(2199, 12, 31)


def test_a_year_9999_date_already_in_the_store_does_not_break_deadlines(
    coach_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Saved by an older coach (or by hand): every case's deadlines still print."""
    new_case("--set", "first_bill_date=2026-01-05")
    new_case()
    with sqlite3.connect(coach_home / "coach.db") as db:
        facts = {
            "creditor": "St. Anne",
            "balance": "2400.00",
            "first_bill_date": "9999-12-31",
            "validation_notice_date": "9999-12-28",
            "paid_date": "9999-12-30",
            "payment_due_date": "9999-12-31",
        }
        db.execute("UPDATE cases SET facts = ? WHERE id = 2", (json.dumps(facts),))
        db.execute("INSERT INTO deadlines (case_id, due, what) VALUES (2, '9999-12-31', 'end of time')")
        db.execute("INSERT INTO deadlines (case_id, due, what) VALUES (2, 'not a date', 'hand-edited')")
    capsys.readouterr()
    assert main(["deadlines"]) == 0
    out = capsys.readouterr().out
    assert "case 1" in out and "Sep 02, 2026" in out and "case 2" in out and "end of time" in out
    assert main(["deadlines", "--ics", str(coach_home.parent / f"d-{coach_home.name}.ics")]) == 0
    assert main(["case", "show", "2"]) == 0


def test_add_days_and_deadline_sums_past_the_calendar_end_are_missing_not_errors() -> None:
    from coach.casefile.deadlines import Deadline, find_date, plus_days, to_ics
    from coach.dialogue.render import Missing, add_days

    assert isinstance(add_days(dt.date(9999, 12, 31), 240), Missing)
    assert plus_days(dt.date(9999, 12, 31), 1) is None
    assert find_date("within 999 weeks", dt.date(9990, 1, 1)) is None
    assert "BEGIN:VEVENT" not in to_ics([("case", Deadline(dt.date(9999, 12, 31), "x", "y"))])


def test_a_date_typed_in_a_call_near_year_9999_is_refused_and_the_call_goes_on(playbook: Playbook) -> None:
    from coach.calls import CallRequest, open_call

    with closing(Store.open()) as store:
        call = open_call(store, playbook, CallRequest(counterpart="hospital"))
        turn = call.submit("/set first_bill_date 9999-12-31")
        assert turn.kind == "error" and "1900 to 2199" in turn.message
        call.session.view()  # renders (the 240-day count would overflow)
        assert "first_bill_date" not in call.session.facts


# -- facts files ---------------------------------------------------------------------------


def facts_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "facts.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("creditor: X\nfirst_bill_date: 2025-02-30\n", 2, "first_bill_date: '2025-02-30' is not a date"),
        ("creditor: X\nfirst_bill_date: 9999-12-31\n", 2, "1900 to 2199"),
        ("creditor: X\nplan_payments: " + "9" * 5000 + "\n", 2, "plan_payments: '999"),
        ("creditor: X\nbalance: " + "9" * 5000 + "\n", 2, "balance: '999"),
        ("creditor: X\nhousehold_size: " + "1" * 5000 + "\n", 2, "household_size"),
        ("creditor: X\nbalance: 1" + "0" * 400 + ".5\n", 2, "balance"),
    ],
)
def test_a_bad_value_in_a_facts_file_names_file_line_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, line: int, words: str
) -> None:
    path = facts_file(tmp_path, text)
    assert main(["case", "new", "--facts", str(path)]) == 2
    err = capsys.readouterr().err
    assert one_line(err) and f"{path}:{line}:" in err and words in err and len(err) < 300


BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)


def test_a_billion_laughs_facts_file_is_refused_at_once(
    tmp_path: Path, playbook: Playbook, capsys: pytest.CaptureFixture[str]
) -> None:
    path = facts_file(tmp_path, BILLION_LAUGHS + "creditor: *i\n")
    assert main(["case", "new", "--facts", str(path)]) == 2
    err = capsys.readouterr().err
    assert one_line(err) and f"{path}:" in err and "aliases" in err


def test_any_alias_in_a_facts_file_is_refused(tmp_path: Path, playbook: Playbook) -> None:
    from coach.dialogue.schema import PlaybookProblems

    path = facts_file(tmp_path, "creditor: &c [St. Anne]\noriginal_creditor: *c\n")
    with pytest.raises(PlaybookProblems, match="aliases"):
        read_facts_file(path, playbook)


def test_a_billion_laughs_dialogue_file_is_capped_not_expanded(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text(BILLION_LAUGHS)
    _, problems = check_playbook([tmp_path])
    assert any("x.yaml:" in str(p) and "expands to more than" in str(p) for p in problems)


# -- eligibility ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["--household", "9" * 5000, "--income", "30000"],
        ["--household", "2", "--income", "9" * 5000],
        ["--household", "2", "--income", "1e999999"],
        ["--household", "99999999999999999999", "--income", "30000"],
    ],
)
def test_eligibility_refuses_huge_numbers_with_the_field(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eligibility", *argv, "--state", "OR"]) == 2
    err = capsys.readouterr().err
    assert one_line(err) and ("household" in err or "income" in err) and len(err) < 300


# -- imports ------------------------------------------------------------------------------------


def exported(coach_home: Path) -> dict[str, Any]:
    from coach.calls import CallRequest, open_call
    from coach.dialogue.playbook import load_playbook
    from tests.conftest import DIALOGUES

    new_case()
    with closing(Store.open()) as store:
        call = open_call(store, load_playbook([DIALOGUES]), CallRequest(case_id=1, counterpart="collections"))
        call.submit("/rep Dana")
        call.submit("/offer 1200")
        call.finish("done")
    path = coach_home.parent / f"export-{coach_home.name}.json"
    assert main(["case", "export", "1", str(path)]) == 0
    return dict(json.loads(path.read_text()))


def spoil_note_amount(doc: dict[str, Any], value: Any) -> None:
    for event in doc["calls"][0]["events"]:
        if event["kind"] == "note" and "amount" in event["data"]:
            event["data"]["amount"] = value
            return
    raise AssertionError("no offer note in the export")


@pytest.mark.parametrize(
    ("spoil", "field"),
    [
        (lambda d: spoil_note_amount(d, "lots"), "amount"),
        (lambda d: spoil_note_amount(d, "9" * 5000), "amount"),
        (lambda d: spoil_note_amount(d, [1]), "amount"),
        (lambda d: d["case"]["facts"].update(first_bill_date="9999-12-31"), "case.facts.first_bill_date"),
        (lambda d: d["case"]["facts"].update(first_bill_date="2025-02-30"), "case.facts.first_bill_date"),
        (lambda d: d["case"]["facts"].update(plan_payments="9" * 5000), "case.facts.plan_payments"),
        (lambda d: d["deadlines"].append({"due": "9999-12-31", "what": "x"}), "deadlines[0].due"),
        (lambda d: d["calls"][0]["events"][0].update(at="9999-12-31T23:59:59+00:00"), "events[0]"),
        (lambda d: d["calls"][0]["events"][0].update(at="not a time"), "events[0]"),
        (lambda d: d["calls"][0].update(started="99999-01-01"), "calls[0].started"),
    ],
)
def test_an_import_with_bad_amounts_or_dates_is_refused_and_stores_nothing(
    coach_home: Path, capsys: pytest.CaptureFixture[str], spoil: Any, field: str
) -> None:
    doc = exported(coach_home)
    spoil(doc)
    path = coach_home.parent / f"spoiled-{coach_home.name}.json"
    path.write_text(json.dumps(doc))
    capsys.readouterr()
    assert main(["case", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert one_line(err) and field in err and len(err) < 400
    with closing(Store.open()) as store:
        assert len(store.cases()) == 1
    for argv in (["review", "--last"], ["deadlines"], ["case", "list"]):
        assert main(argv) == 0


# -- coach check: legal_terms and ask -------------------------------------------------------------


def check_dialogues(tmp_path: Path, meta_extra: str = "", node_extra: str = "") -> list[str]:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "counterparts.yaml").write_text("counterparts:\n  hospital: {label: Hospital}\n")
    (folder / "facts.yaml").write_text("facts:\n  balance: {type: money, prompt: How much?}\n")
    (folder / "playbook.yaml").write_text("playbook:\n  stages: [open]\n  start: open.hello\n" + meta_extra)
    (folder / "open.yaml").write_text(
        "stage: open\nnodes:\n  - id: hello\n    coach: Say hello.\n" + node_extra + "    end: true\n"
    )
    _, problems = check_playbook([folder])
    return [str(p) for p in problems]


def test_a_bad_legal_terms_pattern_is_one_problem_with_its_line(tmp_path: Path) -> None:
    problems = check_dialogues(tmp_path, meta_extra="  legal_terms: ['(unclosed', 'fine']\n")
    assert any("playbook.yaml:4:" in p and "legal_terms" in p and "(unclosed" in p for p in problems)


def test_a_legal_terms_pattern_with_global_flags_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    # '(?i)law' compiles alone but not joined with the others (global flags must come first)
    problems = check_dialogues(tmp_path, meta_extra="  legal_terms: ['(?i)law', 'fine']\n")
    assert any("playbook.yaml:4:" in p and "'(?i)law' is not a valid regex" in p for p in problems), problems


@pytest.mark.parametrize("ask", ["[balance]", "{x: 1}", "7"])
def test_ask_that_is_not_a_fact_name_is_one_problem_with_its_line(tmp_path: Path, ask: str) -> None:
    problems = check_dialogues(tmp_path, node_extra=f"    ask: {ask}\n")
    assert any("open.yaml:5:" in p and "ask" in p for p in problems), problems


def test_check_command_reports_them_in_one_line_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    check_dialogues(tmp_path, meta_extra="  legal_terms: ['[']\n", node_extra="    ask: [balance]\n")
    assert main(["check", str(tmp_path / "d")]) == 2
    out = capsys.readouterr()
    assert "internal error" not in out.err and "legal_terms" in out.out + out.err


# -- a template that passes check but fails when reached ----------------------------------------


def failing_playbook(tmp_path: Path) -> Playbook:
    import textwrap

    from tests.test_engine import PLAYBOOK

    text = PLAYBOOK.replace(
        "default: Calling about {{ balance | money }}.", "default: Calling about {{ balance + 'x' }}."
    ).replace("when: balance > 1000", "when: balance + 'x' > 1000")
    folder = tmp_path / "d"
    folder.mkdir()
    for index, part in enumerate(text.split("---\n")):
        (folder / f"{index}.yaml").write_text(textwrap.dedent(part))
    playbook, problems = check_playbook([folder])
    assert playbook is not None and not problems  # coach check lets it through
    return playbook


def test_a_phrase_that_fails_to_render_costs_the_phrase_not_the_call(tmp_path: Path) -> None:
    from decimal import Decimal

    from coach.session.engine import Session

    events: list[Any] = []
    session = Session(
        failing_playbook(tmp_path), "hospital", {"balance": Decimal("2000")}, sink=events.append
    )
    view = session.view()
    assert view.phrase.startswith("[this phrase could not be shown: ") and "TypeError" in view.phrase
    assert view.coach == "Hello [patient name]."  # the rest of the step is there
    assert [c.id for c in view.choices] == ["insured"]  # a failing condition is false, not an error
    shown = [e for e in events if e.kind == "shown"]
    assert shown and shown[0].data["render_errors"] and "TypeError" in shown[0].data["render_errors"][0]
    session.choose("insured")  # the call goes on
    assert session.node.qid == "assess.ask-insured"


def test_a_failing_phrase_is_recorded_again_each_time_its_step_is_shown(tmp_path: Path) -> None:
    """What a step renders is worked out once per set of facts, but a text that failed is saved with every
    "shown" event of its step (a /back to it too), exactly as if it were rendered anew."""
    from decimal import Decimal

    from coach.session.engine import Session

    events: list[Any] = []
    session = Session(
        failing_playbook(tmp_path), "hospital", {"balance": Decimal("2000")}, sink=events.append
    )
    session.choose("insured")
    session.undo()
    session.choose("insured")
    session.undo()
    shown = [e for e in events if e.kind == "shown" and e.node == "assess.who"]
    assert len(shown) == 3
    first = shown[0].data["render_errors"]
    assert first and all(e.data["render_errors"] == first for e in shown)
    assert all(e.text == shown[0].text for e in shown)


def test_an_internal_error_claims_saved_records_only_where_something_was_recorded(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bug in `coach graph` records nothing, so its one line must not promise that records are saved."""
    import coach.cli.call
    import coach.cli.graph
    from coach.cli.main import main

    def broken(args: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(coach.cli.graph, "run", broken)
    assert main(["graph"]) == 1
    err = capsys.readouterr().err
    assert "internal error (RuntimeError: boom)" in err and "recorded so far" not in err
    monkeypatch.setattr(coach.cli.call, "run", broken)
    assert main(["live", "--plain"]) == 1
    assert "everything recorded so far is saved" in capsys.readouterr().err


def test_an_offer_passed_over_by_the_next_line_is_said_not_recorded_and_a_mistyped_line_keeps_it(
    playbook: Playbook,
) -> None:
    """With a collector talking, the Enter that records their offer is easily missed: coach says so once."""
    from coach.calls import CallRequest, open_call

    with closing(Store.open()) as store:
        call = open_call(
            store, playbook, CallRequest(counterpart="collections", facts_file=FIXTURES / "facts.yaml")
        )
        call.submit("We can take $1,300 if you pay today")
        assert call.pending is not None and call.pending.kind == "offer"
        mistyped = call.submit("/nosuchcommand")
        assert mistyped.kind == "error" and call.pending is not None  # still waiting for its Enter
        turn = call.submit("Can I get your card number?")
        assert turn.kind == "heard" and call.pending is None
        assert (
            "Not recorded: they offered $1,300.00 (/" in turn.message
            and "1300.00 records it)" in turn.message
        )
        offers = [e for e in call.session.events if e.kind == "note" and e.data.get("amount") == "1300.00"]
        assert offers == []  # nothing recorded that the user did not confirm
        assert call.submit("What is your name?").message.count("Not recorded") == 0  # said once
        call.submit("You owe 2480, can you pay in full today?")  # the whole balance: no offer to keep
        assert "Not recorded" not in call.submit("Can I get your card number?").message

"""The line mode, driven as a user (or a script) would: lines in, text out, everything saved."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import COLLECTIONS_TO_OPEN

FIXTURES = Path(__file__).parent / "fixtures"


def run_coach(*args: str, stdin: str = "", home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COACH_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "coach", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_live_collections_walk_shows_account_number_and_saves_notes(coach_home: Path) -> None:
    lines = [*COLLECTIONS_TO_OPEN, "/rep Dana Lopez", "/ref REF-4471", "They want the full balance today"]
    result = run_coach(
        "live",
        "--plain",
        "--counterpart",
        "collections",
        "--facts",
        str(FIXTURES / "facts.yaml"),
        stdin="\n".join(lines) + "\n",
        home=coach_home,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    first_turn = out.split("\n> ")[0]
    assert "== Contact (2/5): Open the call" in first_turn  # the call opens on the first thing to say
    assert "I'm calling about account AC-558812" in first_turn
    assert "Saved: Rep's name: Dana Lopez" in out
    assert "Saved: Reference number: REF-4471" in out
    assert "Call 1 saved (live, collections)" in out
    assert "Rep's name: Dana Lopez" in out.split("Call 1 saved")[1]

    from coach.casefile.store import Store

    store = Store.open()
    events = store.events(1)
    assert [e.text for e in events if e.kind == "note"] == ["Dana Lopez", "REF-4471"]
    assert any(e.kind == "heard" and e.text == "They want the full balance today" for e in events)
    assert events[-1].kind == "end"
    store.close()


def test_bad_input_gets_one_line_and_the_same_prompt(coach_home: Path) -> None:
    result = run_coach(
        "live",
        "--plain",
        "--counterpart",
        "hospital",
        stdin="7\n/offer abc\n/frobnicate\n/end\n",
        home=coach_home,
    )
    assert result.returncode == 0
    out = result.stdout
    assert "! choose a number from 1 to 1" in out
    assert "! /offer: 'abc' is not an amount like $900 or 75 a month" in out
    assert "! /frobnicate: unknown command (type /help)" in out
    assert "Traceback" not in out + result.stderr


def test_help_lists_commands(coach_home: Path) -> None:
    result = run_coach("live", "--plain", stdin="/help\n", home=coach_home)
    for command in (
        "/rep",
        "/ref",
        "/offer",
        "/counter",
        "/agreed",
        "/note",
        "/back",
        "/help",
        "/end",
        "/set",
    ):
        assert command in result.stdout


def test_back_undoes_a_mis_tap(coach_home: Path) -> None:
    result = run_coach("live", "--plain", stdin="1\n/back\n", home=coach_home)
    assert "went back one step" in result.stdout
    heading = "== Contact (2/5): Open the call"
    assert result.stdout.count(heading) == 2  # shown, left, and shown again after /back


def test_a_heard_line_is_recorded_and_never_a_fact(coach_home: Path) -> None:
    """Whatever the other side says, at any step, is a heard line; no key press stores a fact."""
    run_coach("case", "new", "--facts", str(FIXTURES / "facts.yaml"), home=coach_home)
    from coach.casefile.store import Store

    before = Store.open().case(1).facts
    lines = [
        "This is an attempt to collect a debt.",
        "1",
        "This is an attempt to collect a debt.",
        "1",
        "/end",
    ]
    result = run_coach("live", "--plain", "--case", "1", stdin="\n".join(lines) + "\n", home=coach_home)
    assert result.returncode == 0, result.stderr
    store = Store.open()
    events = store.events(1)
    assert [e.text for e in events if e.kind == "heard"] == ["This is an attempt to collect a debt."] * 2
    assert not [e for e in events if e.kind == "fact"]
    assert store.case(1).facts == before


def test_offers_and_an_agreement_reach_the_case_and_its_letters(coach_home: Path) -> None:
    run_coach("case", "new", "--facts", str(FIXTURES / "facts.yaml"), home=coach_home)
    run_coach("case", "edit", "1", "--set", "patient_address=12 Elm St, Salem, OR", home=coach_home)
    lines = [
        "/rep Dana",
        "/ref REF-9",
        "/offer $900 lump sum (my counter)",
        "We can do 1,100 if you pay this week",
        "",  # Enter: record their $1,100 as proposed
        "/counter 900",
        "/agreed 900 by 12/15/2026",
        "/end",
    ]
    result = run_coach("live", "--plain", "--case", "1", stdin="\n".join(lines) + "\n", home=coach_home)
    assert result.returncode == 0, result.stderr
    assert "Saved: My offer: $900.00" in result.stdout
    assert "? They offered $1,100.00: Enter to record it" in result.stdout
    assert "Saved: Their offer: $1,100.00" in result.stdout
    assert "Saved: Amount agreed: $900.00, due Dec 15, 2026" in result.stdout
    from coach.casefile.store import Store

    store = Store.open()
    offers = [
        (e.data["by"], e.data["amount"])
        for e in store.events(1)
        if e.data.get("kind") in ("offer", "counter")
    ]
    assert offers == [("user", "900.00"), ("them", "1100.00"), ("user", "900.00")]
    facts = store.case(1).facts
    assert facts["settlement_amount"] == "900.00" and facts["payment_due_date"] == "2026-12-15"
    letter = run_coach("letter", "confirmation", "--case", "1", "--call", "1", home=coach_home)
    assert letter.returncode == 0, letter.stderr
    assert "$900.00" in letter.stdout and "December 15, 2026" in letter.stdout


def test_a_facts_file_updates_its_case_instead_of_duplicating_it(coach_home: Path) -> None:
    for _ in range(2):
        result = run_coach(
            "live", "--plain", "--facts", str(FIXTURES / "facts.yaml"), stdin="/end\n", home=coach_home
        )
        assert result.returncode == 0, result.stderr
    from coach.casefile.store import Store

    store = Store.open()
    assert len(store.cases()) == 1
    assert [c.case_id for c in store.calls()] == [1, 1]


def test_a_bad_persona_is_one_line_and_creates_nothing(coach_home: Path) -> None:
    result = run_coach("rehearse", "--persona", "nope", "--counterpart", "collections", home=coach_home)
    assert result.returncode == 2
    assert (
        result.stderr.startswith("coach: --persona: 'nope' is not one of") and result.stderr.count("\n") == 1
    )
    assert (
        not (coach_home / "coach.db").exists()
        or not __import__("coach.casefile.store").store.Store.open().cases()
    )


def test_prepare_asks_only_what_is_unknown_and_saves_each_answer(coach_home: Path, tmp_path: Path) -> None:
    facts = tmp_path / "known.yaml"
    facts.write_text(
        (FIXTURES / "facts.yaml").read_text()
        + "triage_clear: yes\nhas_itemized: no\nhas_eob: no\non_medicare: no\napplied_assistance: no\n"
        "on_credit_report: no\nlast_payment_date: 2025-09-01\npaid_so_far: 0\ngoal: lowest-total\n"
        "cash_price: 1800\nagb_amount: 1500\nmedicare_amount: 700\npatient_address: 12 Elm St\n"
        "creditor_address: PO Box 1, Columbus OH\n"
    )
    result = run_coach(
        "prepare", "--plain", "--facts", str(facts), "--counterpart", "collections", home=coach_home
    )
    assert result.returncode == 0, result.stderr
    assert "Asked 0 question(s)" in result.stdout
    assert "Call plan: Midstate Recovery Services, account AC-558812" in result.stdout
    assert "First offer: $" in result.stdout and "Walk-away: $" in result.stdout
    # only the counterpart, balance and account number known: each answer is saved as it is given
    run_coach(
        "case",
        "new",
        "--counterpart",
        "collections",
        "--set",
        "account_number=A-1",
        "--set",
        "balance=2480",
        home=coach_home,
    )
    partial = run_coach("prepare", "--plain", "--case", "2", stdin="6\nMidstate\n", home=coach_home)
    assert partial.returncode == 0, partial.stderr
    from coach.casefile.store import Store

    case = Store.open().case(2)
    assert case.facts["creditor"] == "Midstate"
    assert case.label == "Midstate A-1"  # an untitled case is named once its creditor is known


def test_a_killed_call_resumes_where_it_stopped(coach_home: Path) -> None:
    run_coach("case", "new", "--facts", str(FIXTURES / "facts.yaml"), home=coach_home)
    env = dict(os.environ, COACH_HOME=str(coach_home))
    process = subprocess.Popen(
        [sys.executable, "-m", "coach", "live", "--plain", "--case", "1"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdin is not None and process.stdout is not None
    watchdog = threading.Timer(30, process.kill)  # never hang the suite if the screen text changes
    watchdog.start()
    process.stdin.write("/rep Dana\n1\n")
    process.stdin.flush()
    for line in process.stdout:  # wait until the step after the opening is on screen (so on disk)
        if "What to ask for" in line:
            break
    process.kill()
    watchdog.cancel()
    process.wait()
    from coach.casefile.store import Store

    store = Store.open()
    assert store.call(1).ended is None
    stopped_at = [e.node for e in store.events(1) if e.kind == "shown"][-1]
    store.close()
    listed = run_coach("case", "show", "1", home=coach_home)
    assert "interrupted" in listed.stdout or "not ended" not in listed.stdout
    resumed = run_coach("live", "--plain", "--resume", "1", stdin="/end\n", home=coach_home)
    assert resumed.returncode == 0, resumed.stderr
    store = Store.open()
    events = store.events(1)
    assert [e.text for e in events if e.kind == "note"] == ["Dana"]
    assert [e.node for e in events if e.kind == "shown"][-1] == stopped_at
    assert store.call(1).ended is not None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("balence: 100\n", "facts.yaml:1: unknown fact 'balence' (did you mean 'balance'?)"),
        ("balance: lots\n", "facts.yaml:1: balance: 'lots' is not an amount like $1,234.50"),
        ("household_size: 0\n", "facts.yaml:1: household_size: must be at least 1"),
    ],
)
def test_bad_facts_file_is_one_line_error(
    coach_home: Path, tmp_path: Path, content: str, message: str
) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text(content)
    result = run_coach("live", "--plain", "--facts", str(facts), home=coach_home)
    assert result.returncode == 2
    assert result.stderr.strip() == f"coach: {tmp_path}/{message}"


def test_end_of_input_ends_the_call_cleanly(coach_home: Path) -> None:
    result = run_coach("rehearse", "--plain", "--counterpart", "doctor", stdin="", home=coach_home)
    assert result.returncode == 0
    assert "Call 1 saved (rehearse, doctor)" in result.stdout


def test_the_plan_prints_as_text_markdown_and_one_page_html(coach_home: Path) -> None:
    run_coach(
        "case",
        "new",
        "--facts",
        str(FIXTURES / "facts.yaml"),
        "--counterpart",
        "collections",
        home=coach_home,
    )
    text = run_coach("plan", "--case", "1", home=coach_home)
    assert text.returncode == 0, text.stderr
    assert "Account number: AC-558812" in text.stdout and "days left" in text.stdout
    assert (
        "Financial assistance first" in text.stdout
    )  # Oregon, 146% of the poverty line: applying comes first
    markdown = run_coach("plan", "--case", "1", "--format", "markdown", home=coach_home)
    assert markdown.stdout.startswith("# Call plan: Midstate Recovery Services")
    page = run_coach("plan", "--case", "1", "--format", "html", home=coach_home)
    assert "@page" in page.stdout and "AC-558812" in page.stdout and "<script" not in page.stdout
    missing = run_coach("plan", "--case", "9", home=coach_home)
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1

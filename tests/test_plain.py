"""The line mode, driven as a user (or a script) would: lines in, text out, everything saved."""

from __future__ import annotations

import os
import subprocess
import sys
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
    lines = [
        *COLLECTIONS_TO_OPEN,
        "/rep Dana Lopez",
        "/ref REF-4471",
        "They want the full balance today",
    ]
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
    assert "== Assess (1/5)" in out
    assert "AC-558812" in out
    assert "saved: Rep's name: Dana Lopez" in out
    assert "saved: Reference number: REF-4471" in out
    assert "Call 1 saved (live, collections)" in out
    assert "Rep's name: Dana Lopez" in out.split("Call 1 saved")[1]

    from coach.store import Store

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
    assert "! choose a number from 1 to 6" in out
    assert "! /offer: 'abc' is not an amount like $900 or 75 a month" in out
    assert "! /frobnicate: unknown command (type /help)" in out
    assert "Traceback" not in out + result.stderr


def test_help_lists_commands(coach_home: Path) -> None:
    result = run_coach("live", "--plain", stdin="/help\n", home=coach_home)
    for command in ("/rep", "/ref", "/offer", "/note", "/back", "/help", "/end"):
        assert command in result.stdout


def test_back_undoes_a_mis_tap(coach_home: Path) -> None:
    result = run_coach("live", "--plain", stdin="1\n/back\n", home=coach_home)
    assert "went back one step" in result.stdout
    first_heading = result.stdout.split("\n")[2]
    assert first_heading.startswith("== Assess (1/5)")
    assert result.stdout.count(first_heading) == 2  # shown, left, and shown again after /back


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

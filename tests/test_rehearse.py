"""The rehearsal partner (deterministic, pushes back, concedes to a floor) and the scorecard."""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from coach.engine import Session
from coach.errors import CoachError
from coach.playbook import Playbook, read_facts_file
from coach.rehearse import Partner, format_scorecard, score, validate_rehearse
from tests.conftest import COLLECTIONS_TO_OPEN

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "tests" / "fixtures" / "facts.yaml"
BALANCE = {"balance": Decimal("2000")}


def haggle(partner: Partner, offers: list[str]) -> list[Decimal | None]:
    asks = []
    for offer in offers:
        line = partner.consider(Decimal(offer))
        asks.append(line.offer if line else None)
        if line and line.accepted:
            break
    return asks


def test_same_seed_same_lines_and_offers() -> None:
    first = Partner("collections", "tough", "normal", 7, BALANCE)
    second = Partner("collections", "tough", "normal", 7, BALANCE)
    assert haggle(first, ["300", "400", "500"]) == haggle(second, ["300", "400", "500"])
    assert [first._line("generic") for _ in range(5)] == [second._line("generic") for _ in range(5)]


def test_partner_never_goes_below_floor_and_accepts_at_its_ask() -> None:
    partner = Partner("collections", "tough", "tough", 1, BALANCE)
    assert partner.floor == Decimal("700.00")  # 35% of 2,000
    asks = haggle(partner, ["100"] * 10)
    assert all(a is not None and a >= Decimal("700.00") for a in asks)
    assert asks == sorted(asks, reverse=True)
    accepting = Partner("collections", "tough", "normal", 1, BALANCE)
    line = accepting.consider(Decimal("2000"))
    assert line is not None and line.accepted


def test_difficulty_changes_persistence_not_floor() -> None:
    easy = Partner("hospital", "counselor", "easy", 3, BALANCE)
    tough = Partner("hospital", "counselor", "tough", 3, BALANCE)
    assert easy.floor == tough.floor == Decimal("1100.00")
    assert len(haggle(easy, ["1100", "1100", "1100"])) < len(haggle(tough, ["1100"] * 8))
    easy_first = easy._line("assistance_request")
    tough_first = tough._line("assistance_request")
    assert "application" in easy_first  # easy gives way at once
    assert "application" not in tough_first  # tough pushes back first


def test_bad_persona_and_difficulty() -> None:
    with pytest.raises(CoachError, match="--persona: 'tough' plays a collections, not a hospital"):
        Partner("hospital", "tough")
    with pytest.raises(CoachError, match="--difficulty: 'brutal' is not one of easy, normal, tough"):
        Partner("hospital", None, "brutal")


def test_scripted_rehearsal_ends_with_a_scorecard(playbook: Playbook) -> None:
    facts = read_facts_file(FACTS, playbook)
    session = Session(playbook, "collections", facts, mode="rehearse")
    partner = Partner("collections", "tough", "normal", 7, facts)
    heard: list[str] = []
    session.choose("no-urgent")
    while session.node.qid != "contact.open":
        session.choose(1)
    session.note("rep_name", "Morgan")
    session.note("rep_id", "55")
    session.note("reference", "R-9")
    session.choose(1)
    session.choose("validation")
    session.choose(1)  # said the validation request; back to the list of asks
    said = partner.respond(session)
    assert said is not None
    heard.append(said.text)
    session.hear(said.text, by="partner")
    card = score(session.events, facts, "collections")
    by_id = {item.id: item for item in card.items}
    assert by_id["rep-name-id"].passed and by_id["reference"].passed and by_id["validation"].passed
    assert by_id["itemized"].passed is None  # does not apply to a collector
    assert by_id["deletion"].passed is False
    assert card.summary.startswith("Scorecard: ")
    assert "✗ Asked for deletion from credit reports" in format_scorecard(card)


def test_scorecard_of_a_call_that_did_nothing(playbook: Playbook) -> None:
    session = Session(playbook, "hospital", mode="rehearse")
    card = score(session.events, {}, "hospital")
    failed = {item.id for item in card.items if item.passed is False}
    assert {
        "rep-name-id",
        "reference",
        "itemized",
        "assistance",
        "offer-with-reason",
        "verbal-only",
    } <= failed
    assert {item.id for item in card.items if item.passed is None} == {"validation", "deletion", "amount"}


def test_bank_numbers_in_notes_fail_the_item(playbook: Playbook) -> None:
    session = Session(playbook, "collections", mode="rehearse")
    session.note("note", "gave routing 021000021 and account 1234-5678-90")
    card = score(session.events, {}, "collections")
    assert next(i for i in card.items if i.id == "bank-details").passed is False


def test_plain_rehearsal_is_reproducible(tmp_path: Path) -> None:
    script = (
        "\n".join(
            [
                *COLLECTIONS_TO_OPEN,
                "",
                "2",
                "",
                "14",
                "1",
                "",
                "/offer 700",
                "/offer 900",
                "",
                "1",
                "",
                "",
                "",
            ]
        )
        + "\n"
    )

    def run(home: str) -> str:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "coach",
                "rehearse",
                "--plain",
                "--counterpart",
                "collections",
                "--persona",
                "tough",
                "--seed",
                "7",
                "--facts",
                str(FACTS),
            ],
            input=script,
            capture_output=True,
            text=True,
            env={"COACH_HOME": home, "PATH": "/usr/bin:/bin"},
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    first, second = run(str(tmp_path / "a")), run(str(tmp_path / "b"))
    assert first == second
    assert "Scorecard:" in first
    assert first.count("Them:") >= 3


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("floor: 0.35", "floor: 1.5"), "persona 'tough': 'floor' must be a fraction of the balance (0-1]"),
        (("counterpart: doctor", "counterpart: dentist"), "persona 'manager': unknown counterpart 'dentist'"),
        (("    name: Pat,", "    mood: calm\n    name: Pat,"), "persona 'counselor': unknown key 'mood'"),
        (("  tough: {pushes: 2", "  brutal: {pushes: 2"), "difficulty: missing 'tough'"),
    ],
)
def test_validate_rehearse_reports_file_and_line(tmp_path: Path, edit: tuple[str, str], message: str) -> None:
    folder = tmp_path / "rehearse"
    shutil.copytree(ROOT / "dialogues" / "rehearse", folder)
    path = folder / "personas.yaml"
    path.write_text(path.read_text().replace(*edit, 1))
    problems = validate_rehearse(folder)
    assert any(p.startswith(f"{path}:") and p.endswith(message) for p in problems), problems


def test_shipped_rehearsal_files_are_clean() -> None:
    assert validate_rehearse(ROOT / "dialogues" / "rehearse") == []

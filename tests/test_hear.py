"""Hearing the other side: intents, numbers, replies, and their use inside a call."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.cli import main
from coach.engine import Session
from coach.intents import hear, validate_intents
from coach.playbook import Playbook

DATA = Path(__file__).parent / "data"
INTENTS = Path(__file__).resolve().parent.parent / "dialogues" / "hear" / "intents.yaml"


def labelled(name: str) -> list[dict[str, object]]:
    return list(yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["lines"])


def test_done_when_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["hear", "We can take $1,200 if you pay today", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["intent"] == "offer_lump_sum" and data["amount"] == 1200
    assert set(data) >= {"intent", "amount", "percent", "monthly", "months", "reply", "warning"}


def test_labelled_set_accuracy_per_intent() -> None:
    lines = labelled("heard_lines.yaml")
    right, total = Counter[str](), Counter[str]()
    for line in lines:
        total[str(line["intent"])] += 1
        if hear(str(line["text"]), line.get("counterpart")).intent == line["intent"]:  # type: ignore[arg-type]
            right[str(line["intent"])] += 1
    assert len(lines) >= 150 and len(total) >= 24
    assert sum(right.values()) / len(lines) >= 0.9
    assert all(right[i] / total[i] >= 0.8 for i in total), {i: f"{right[i]}/{total[i]}" for i in total}


def test_holdout_is_honest_and_still_useful() -> None:
    lines = labelled("heard_lines_holdout.yaml")
    right = sum(hear(str(ln["text"]), ln.get("counterpart")).intent == ln["intent"] for ln in lines)  # type: ignore[arg-type]
    assert right / len(lines) >= 0.8


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("we'd take twelve hundred", "amount", Decimal(1200)),
        ("sixty percent and it's done", "percent", Decimal(60)),
        ("we can do $150 a month for 12 months", "monthly", Decimal(150)),
        ("we can do $150 a month for 12 months", "months", 12),
        ("1.2k today", "amount", Decimal(1200)),
    ],
)
def test_numbers(text: str, field: str, value: object) -> None:
    assert getattr(hear(text), field) == value


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_hear_never_raises(text: str) -> None:
    assert hear(text).intent


def test_in_a_call_a_heard_offer_is_weighed(playbook: Playbook) -> None:
    facts = {"balance": Decimal("2500"), "lump_sum_available": Decimal("1500")}
    session = Session(playbook, "collections", facts)
    event = session.hear("We can take $1,200 if you pay today")
    assert event.data["intent"] == "offer_lump_sum"
    assert event.data["weigh"].startswith("$1,200.00 is 48% of the balance; your target was")
    bank = session.hear("I'll need your routing and account number")
    assert bank.data["warning"] and "routing" in bank.data["warning"].lower()


def test_shipped_intents_are_clean_and_broken_ones_are_reported(tmp_path: Path) -> None:
    assert validate_intents(INTENTS) == []
    broken = tmp_path / "intents.yaml"
    broken.write_text(INTENTS.read_text(encoding="utf-8").replace("intents:", "intents:\n  bogus: 3", 1))
    problems = validate_intents(broken)
    assert problems and all(p.startswith(f"{broken}:") for p in problems)


def test_an_offer_above_target_gets_the_playbooks_counter(playbook: Playbook) -> None:
    facts = {"balance": Decimal("2480"), "lump_sum_available": Decimal("900"), "account_number": "AC-1"}
    event = Session(playbook, "collections", facts).hear("We can take $1,200 if you pay today")
    assert "above your walk-away ($900.00)" in event.data["weigh"]
    assert event.data["reply"].startswith("Thank you. That's more than I can pay. I could do $765.00")

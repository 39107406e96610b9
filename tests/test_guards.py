"""The old-debt guard: every money or signature moment of a collections call re-warns on an old debt."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from coach.cli.main import main
from coach.dialogue.facts import read_facts_file
from coach.dialogue.playbook import load_playbook
from coach.dialogue.schema import Playbook
from coach.session.engine import Session
from tests.test_walk import walk

FIXTURES = Path(__file__).parent / "fixtures"
DIALOGUES = Path(__file__).parent.parent / "dialogues"
# Words of a phrase that offers money, names terms or asks for a signature (the test's own
# definition, independent of guards.yaml, so a node the guard misses fails here).
MONEY_WORDS = re.compile(
    r"\b(?:I can (?:offer|pay)|what I can offer|I'll pay|I will pay|payments?|paid in full|"
    r"settlement|agreement|sign(?:ed)?)\b",
    re.IGNORECASE,
)
MONEY_NOTES = {"offer", "counter", "agreed"}


def old_debt_facts(playbook: Playbook) -> dict[str, object]:
    facts = read_facts_file(FIXTURES / "facts.yaml", playbook)
    facts.update(date_of_service=dt.date(2018, 3, 1), first_bill_date=dt.date(2018, 4, 1), state="FL")
    return facts


def money_moment(playbook: Playbook, qid: str) -> bool:
    node = playbook.nodes[qid]
    if node.stage not in ("propose", "settle"):
        return False
    return bool(set(node.capture) & MONEY_NOTES) or any(MONEY_WORDS.search(t) for t in node.say.values())


def test_every_reachable_money_moment_warns_on_an_old_debt(playbook: Playbook) -> None:
    facts = old_debt_facts(playbook)
    moments = [q for q in sorted(walk(playbook, "collections", facts)) if money_moment(playbook, q)]
    assert len(moments) >= 10, moments  # lump sum, plan, agreed, in writing, ...
    for qid in moments:
        session = Session(playbook, "collections", dict(facts), start=qid)
        view = session.view()
        assert "time limit" in view.warn and "FL's time limit" in view.warn, qid
        labels = [choice.label for choice in view.choices]
        assert "Check the time limit first" in labels, (qid, labels)
        assert "12 CFR 1006.26(b)" in " ".join(session.node.sources), qid


def test_the_way_out_leads_to_the_time_limit_questions(playbook: Playbook) -> None:
    session = Session(playbook, "collections", old_debt_facts(playbook), start="propose.lump-sum")
    choice = next(c for c in session.choices() if c.label == "Check the time limit first")
    session.choose(choice.number)
    assert session.node.qid == "contact.old-debt"


def test_a_recent_debt_sees_no_time_limit_warning(playbook: Playbook) -> None:
    facts = read_facts_file(FIXTURES / "facts.yaml", playbook)
    facts["date_of_service"] = dt.date.today() - dt.timedelta(days=200)
    session = Session(playbook, "collections", facts, start="propose.lump-sum")
    assert "time limit" not in session.view().warn
    assert [c.label for c in session.choices()] == ["Continue"]
    assert session.view().warn == "Never agree to more than you can pay, even to end the call."


def test_last_payment_is_the_clock_where_known(playbook: Playbook) -> None:
    facts = old_debt_facts(playbook)
    facts["last_payment_date"] = dt.date.today() - dt.timedelta(days=300)  # paid recently: not old
    session = Session(playbook, "collections", facts, start="settle.in-writing")
    assert "time limit" not in session.view().warn


def test_continue_keeps_the_original_branching(playbook: Playbook) -> None:
    """A guarded node that moved on automatically still goes where its 'next' said."""
    facts = old_debt_facts(playbook)
    for deal, target in (("plan", "document.capture"), ("lump-sum", "settle.tax")):
        session = Session(playbook, "collections", dict(facts, deal_kind=deal), start="settle.payment-safety")
        continues = [c for c in session.choices() if c.label == "Continue"]
        assert len(continues) == 1
        session.choose(continues[0].number)
        assert session.node.qid == target, deal


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("next: contact.old-debt", "next: contact.nowhere", "choice leads to unknown node 'contact.nowhere'"),
        ("      - settle.in-writing\n", "      - settle.in-wrting\n", "unknown node 'settle.in-wrting'"),
        ("when: old_debt", "when: old_dept", "old_dept"),
    ],
)
def test_guard_mistakes_are_reported_with_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, message: str
) -> None:
    folder = tmp_path / "dialogues"
    shutil.copytree(DIALOGUES, folder)
    guards = folder / "guards.yaml"
    text = guards.read_text()
    assert old in text
    guards.write_text(text.replace(old, new))
    assert main(["check", str(folder)]) == 2
    out = capsys.readouterr().out
    assert re.search(rf"guards\.yaml:\d+: .*{re.escape(message)}", out), out


def test_shipped_guards_load(playbook: Playbook) -> None:
    assert "old_debt" in load_playbook([DIALOGUES]).nodes["settle.agreed"].warn


def test_state_charity_rule_reaches_the_estimate_and_propose(playbook: Playbook) -> None:
    """Oregon at 146% of the guideline: state law takes 100% off, so applying comes first."""
    facts = read_facts_file(FIXTURES / "facts.yaml", playbook)
    estimate = Session(playbook, "collections", dict(facts), start="assess.estimate").view().coach
    assert "ORS 442.614" in estimate and "full (100%) reduction" in estimate
    assert "Applies to nonprofit hospitals" in estimate
    view = Session(playbook, "collections", dict(facts), start="propose.choose").view()
    assert "Apply for assistance first" in view.coach and "full (100%) reduction" in view.coach
    labels = [c.label for c in view.choices]
    assert labels[0] == "Apply for financial assistance first"
    assert "Offer a lump sum (better after applying for assistance)" in labels
    assert not any("open at" in label for label in labels)
    rich = dict(facts, annual_income=Decimal("400000"))
    labels = [c.label for c in Session(playbook, "collections", rich, start="propose.choose").choices()]
    assert any(label.startswith("Offer a lump sum (open at $") for label in labels)
    doctor = Session(playbook, "doctor", dict(facts), start="propose.choose").view().coach
    assert "ORS 442.614" not in doctor  # a separately billed doctor is not covered by the hospital law

"""Letters and review read what the call recorded: offers by each side, the agreement, its due date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from coach.casefile.export import render_call
from coach.casefile.review import load_review
from coach.casefile.store import Store
from coach.cli.main import main
from coach.dialogue.schema import Playbook
from coach.session.engine import Session

FIXTURES = Path(__file__).parent / "fixtures"
ADDRESS = "patient_address=12 Elm St, Salem OR 97301"


def new_case(capsys: pytest.CaptureFixture[str], *sets: str) -> None:
    flags = [part for value in sets for part in ("--set", value)]
    args = ["case", "new", "--facts", str(FIXTURES / "facts.yaml"), "--counterpart", "collections", *flags]
    assert main(args) == 0
    capsys.readouterr()


def negotiated_call(playbook: Playbook, agreed: str | None = "900 by 12/15", end: bool = True) -> int:
    """A call where they offered twice, the user countered twice, and (maybe) a deal was struck."""
    store = Store.open()
    call_id = store.start_call(1, "live", "collections")
    session = Session(playbook, "collections", {"balance": Decimal("2480")}, sink=store.sink_for(call_id))
    session.note("rep_name", "Dana Lopez")
    session.note("reference", "REF-4471")
    session.note("offer", "$1,500 lump sum")
    session.note("counter", "$700")
    session.note("offer", "1,100")
    session.note("counter", "75 a month for 12 months")
    if agreed:
        session.note("agreed", agreed)
    if end:
        session.end()
        store.end_call(call_id, "ended")
    store.close()
    return call_id


def letter(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str]:
    assert main(["letter", *args]) == 0, capsys.readouterr().err
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_review_holds_each_sides_offers_in_order_and_the_agreement(playbook: Playbook) -> None:
    new_case_store = Store.open()
    new_case_store.create_case({"account_number": "AC-1"}, "Midstate", "collections")
    new_case_store.close()
    call_id = negotiated_call(playbook)
    review = load_review(Store.open(), call_id)
    assert [o.describe() for o in review.offers_by("them")] == ["$1,500.00", "$1,100.00"]
    assert [o.describe() for o in review.offers_by("user")] == ["$700.00", "$75.00 a month for 12 months"]
    assert review.agreed is not None and review.agreed.amount == Decimal("900.00")
    assert review.agreed.due is not None and (review.agreed.due.month, review.agreed.due.day) == (12, 15)


def test_confirmation_takes_the_agreed_amount_and_due_date_from_the_call(
    playbook: Playbook, capsys: pytest.CaptureFixture[str]
) -> None:
    new_case(capsys, ADDRESS)
    negotiated_call(playbook)
    text, _ = letter(capsys, "confirmation", "--case", "1", "--call", "1")
    flat = " ".join(text.split())
    assert "You will accept $900.00 as settlement in full of this account, paid by December 15," in flat
    assert "Dana Lopez" in text and "REF-4471" in text


def test_a_monthly_agreement_becomes_the_plan(playbook: Playbook, capsys: pytest.CaptureFixture[str]) -> None:
    new_case(capsys, ADDRESS)
    negotiated_call(playbook, agreed="80 a month for 30 months")
    flat = " ".join(letter(capsys, "confirmation", "--case", "1")[0].split())
    assert "I will pay $80.00 a month for 30 payments" in flat
    assert "settlement in full" not in flat


def test_case_facts_win_over_the_call(playbook: Playbook, capsys: pytest.CaptureFixture[str]) -> None:
    new_case(capsys, ADDRESS, "settlement_amount=850")
    negotiated_call(playbook)
    flat = " ".join(letter(capsys, "confirmation", "--case", "1")[0].split())
    assert "accept $850.00 as settlement" in flat and "$900.00" not in flat


def test_call_summary_lists_every_offer_and_what_was_agreed(
    playbook: Playbook, capsys: pytest.CaptureFixture[str]
) -> None:
    new_case(capsys, ADDRESS)
    negotiated_call(playbook)
    flat = " ".join(letter(capsys, "call-summary", "--case", "1", "--call", "1")[0].split())
    assert "You offered: $1,500.00; $1,100.00." in flat
    assert "I offered: $700.00; $75.00 a month for 12 months." in flat
    assert "We agreed: $900.00, by December 15," in flat
    assert "Nothing was agreed" not in flat and "Nothing else was agreed" in flat


def test_call_summary_without_an_agreement_says_offers_only(
    playbook: Playbook, capsys: pytest.CaptureFixture[str]
) -> None:
    new_case(capsys, ADDRESS)
    negotiated_call(playbook, agreed=None)
    flat = " ".join(letter(capsys, "call-summary", "--case", "1")[0].split())
    assert "Nothing was agreed: the amounts above were offers only." in flat and "We agreed" not in flat


def test_review_shows_titles_advice_and_interrupted_calls(playbook: Playbook) -> None:
    store = Store.open()
    case_id = store.create_case({"account_number": "AC-1"}, "Midstate", "collections")
    call_id = store.start_call(case_id, "live", "collections")
    session = Session(playbook, "collections", {"balance": Decimal("2480")}, sink=store.sink_for(call_id))
    session.hear("We can take $2,000 today")
    session.choose(1)
    session.undo()
    store.close()  # no end: the process was killed
    text = render_call(Store.open(), call_id, "text")
    assert "interrupted" in text and "not ended" not in text
    assert "Outcome: interrupted" in text
    assert f"Reached: {session.node.title or playbook.stage_titles[session.node.stage]}" in text
    for fmt in ("text", "markdown", "html"):
        shown = render_call(Store.open(), call_id, fmt)
        assert not [qid for qid in playbook.nodes if qid in shown], fmt
    heard = next(e for e in session.events if e.kind == "heard")
    advice = " ".join(str(heard.data.get(k) or "") for k in ("weigh", "reply")).strip()
    assert advice, "the engine gave no advice for a heard offer"
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if "We can take $2,000 today" in line)
    assert "coach advised" in lines[at + 1] and advice[:40] in " ".join(lines[at + 1 :]).replace("\n", " ")


def test_old_debt_letters_say_no_acknowledgment_and_warn(
    playbook: Playbook, capsys: pytest.CaptureFixture[str]
) -> None:
    new_case(capsys, ADDRESS, "date_of_service=2018-03-01", "first_bill_date=2018-04-01", "state=FL")
    negotiated_call(playbook)
    for kind in ("confirmation", "call-summary", "settlement-offer"):
        extra = ["--set", "settlement_amount=900"] if kind == "settlement-offer" else []
        text, err = letter(capsys, kind, "--case", "1", *extra)
        flat = " ".join(text.split())
        assert "not an acknowledgment that I owe this debt" in flat, kind
        assert "do not intend it to restart or extend any time limit" in flat, kind
        assert err.startswith("warning: this debt is about ") and "time limit" in err, kind
    _, err = letter(capsys, "validation", "--case", "1")
    assert err == ""  # a dispute names no amount: no warning


def test_recent_debt_confirmation_has_no_time_limit_warning(
    playbook: Playbook, capsys: pytest.CaptureFixture[str]
) -> None:
    today = dt.date.today()
    new_case(capsys, ADDRESS, f"date_of_service={today.replace(day=1).isoformat()}")
    negotiated_call(playbook)
    text, err = letter(capsys, "confirmation", "--case", "1")
    assert err == "" and "not an acknowledgment" not in text

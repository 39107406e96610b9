"""What the letters say is true for who they go to and when they are sent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from coach.casefile.letters import write_letter
from coach.dialogue.schema import Playbook
from coach.errors import CoachError

BASE = {
    "patient_name": "Jordan Rivera",
    "patient_address": "12 Elm St, Salem OR 97301",
    "account_number": "AC-558812",
    "creditor": "Midstate Recovery Services",
    "creditor_address": "PO Box 9, Columbus OH 43215",
    "original_creditor": "St. Anne Regional Hospital",
    "original_creditor_address": "1 Hospital Way, Salem OR 97301",
    "date_of_service": dt.date.today() - dt.timedelta(days=300),
}


def flat(text: str) -> str:
    return " ".join(text.split())


def test_assistance_on_a_collections_case_goes_to_the_hospital(playbook: Playbook) -> None:
    text = write_letter("assistance", playbook, BASE, "collections")
    head = text.split("To the financial assistance office")[0]
    assert "St. Anne Regional Hospital\n1 Hospital Way, Salem OR 97301" in head
    assert "Midstate" not in head.split("Re:")[0]
    assert "now placed with Midstate Recovery Services for collection" in head
    assert "I have asked them to hold it while you decide" in flat(text)
    hospital = write_letter("assistance", playbook, dict(BASE, creditor="St. Anne"), "hospital")
    assert "\n\nSt. Anne\nPO Box 9" in hospital and "placed with" not in hospital


def test_assistance_on_a_collections_case_needs_the_hospital(playbook: Playbook) -> None:
    facts = {k: v for k, v in BASE.items() if k != "original_creditor"}
    with pytest.raises(CoachError, match="needs: original_creditor"):
        write_letter("assistance", playbook, facts, "collections")


def test_validation_letter_after_the_period_disputes_anyway(playbook: Playbook) -> None:
    late = dict(BASE, validation_notice_date=dt.date(2026, 9, 1))
    text = flat(write_letter("validation", playbook, late, "collections", today=dt.date(2026, 12, 2)))
    assert "within the validation period" not in text
    assert "validation period for this account ended on October 8, 2026" in text
    assert "I dispute the debt anyway" in text and "report it as disputed (15 U.S.C. 1692e(8))" in text
    assert "stop collecting this debt, as the validation rules require" not in text
    early = flat(write_letter("validation", playbook, late, "collections", today=dt.date(2026, 10, 1)))
    assert (
        "I am sending this within the validation period, which I understand ends on October 8, 2026" in early
    )


def test_cease_letter_cites_debt_collection_law_only_to_a_collector(playbook: Playbook) -> None:
    collector = flat(write_letter("cease", playbook, BASE, "collections"))
    assert "15 U.S.C. 1692c(c)" in collector
    hospital = flat(write_letter("cease", playbook, dict(BASE, creditor="St. Anne"), "hospital"))
    assert "1692c" not in hospital and "1006.6" not in hospital
    assert "Please stop calling me about this account. Contact me only in writing" in hospital
    assert "generally do not bind a hospital or practice collecting its own bills" in hospital


def test_confirmation_states_only_what_was_agreed(playbook: Playbook) -> None:
    plan = dict(BASE, plan_monthly=Decimal("120"), plan_payments=21)
    text = flat(write_letter("confirmation", playbook, plan, "collections"))
    assert "I will pay $120.00 a month for 21 payments" in text
    assert "will not be sent to collections" not in text  # said to a collector, that is nonsense
    assert (
        "tell me in writing: - what happens if a payment is late; - that while I keep to the plan, you will not report"
        in text
    )
    assert "how you will report this account to the credit bureaus once it is paid" in text
    hospital = flat(write_letter("confirmation", playbook, dict(plan, creditor="St. Anne"), "hospital"))
    assert "the account will not be sent to a collection agency or reported" in hospital
    assert hospital.index("tell me in writing") < hospital.index("will not be sent to a collection agency")
    deleted = flat(
        write_letter(
            "confirmation",
            playbook,
            dict(BASE, settlement_amount=Decimal(900), delete_agreed=True),
            "collections",
        )
    )
    assert "you will ask Equifax, Experian and TransUnion to delete this account" in deleted
    assert "how you will report this account" not in deleted
    assert "the rest of the balance will not be collected, sold or transferred" in deleted

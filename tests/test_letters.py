"""``coach letter``: every kind renders from a fixture case, never with blanks, user text as data."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from coach.casefile.letters import letter_kinds, write_letter
from coach.casefile.store import Store
from coach.cli.main import main
from coach.dialogue.schema import Playbook
from coach.session.engine import Session

FIXTURES = Path(__file__).parent / "fixtures"
ADDRESS = "patient_address=12 Elm St, Salem OR 97301"
KINDS = (
    "itemized",
    "assistance",
    "validation",
    "settlement-offer",
    "confirmation",
    "call-summary",
    "cease",
    "credit-dispute",
)
INSURER_KINDS = ("claim-file", "reprocess", "appeal", "hold-request")
EVERYTHING = (
    ADDRESS,
    "creditor_address=PO Box 9, Columbus OH 43215",
    "original_creditor_address=1 Hospital Way, Salem OR 97301",
    "settlement_amount=800",
    "credit_bureau=Experian",
    "dispute_reason=paid",
)


def new_case(capsys: pytest.CaptureFixture[str], *sets: str) -> None:
    flags = [part for value in sets for part in ("--set", value)]
    args = ["case", "new", "--facts", str(FIXTURES / "facts.yaml"), "--counterpart", "collections", *flags]
    assert main(args) == 0
    capsys.readouterr()


def record_call(playbook: Playbook, reference: str = "REF-4471", rep: str = "Dana Lopez") -> int:
    store = Store.open()
    call_id = store.start_call(1, "live", "collections")
    session = Session(playbook, "collections", {"balance": Decimal("2480")}, sink=store.sink_for(call_id))
    session.note("rep_name", rep)
    session.note("rep_id", "4471")
    session.note("reference", reference)
    session.note("offer", "900")
    session.note("promise", "mail the validation notice by 2026-12-05")
    session.end()
    store.end_call(call_id, "ended")
    store.close()
    return call_id


def letter(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["letter", *args]) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def test_the_kinds_are_indexed_with_sources() -> None:
    kinds = letter_kinds()
    assert tuple(kinds) == (*KINDS, *INSURER_KINDS)  # the insurer's are tested in test_insurer.py
    assert all(kind.title and kind.when and kind.sources for kind in kinds.values())


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_renders_from_a_fixture_case(
    playbook: Playbook, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    new_case(capsys, *EVERYTHING)
    call_id = record_call(playbook)
    text = letter(capsys, kind, "--call", str(call_id))
    today = dt.date.today()
    assert f"{today:%B} {today.day}, {today.year}" in text
    assert "AC-558812" in text and "Jordan Rivera" in text
    assert "{{" not in text and "{%" not in text
    assert not re.search(r"\[(?! \])[^\]]*\]", text), "a placeholder like [account number] was printed"
    if kind != "credit-dispute":  # that one goes to the bureau: the collector's references mean nothing there
        assert "Midstate Recovery Services" in text and "REF-4471" in text
    if kind in ("assistance", "itemized"):  # only the hospital grants assistance or itemizes its charges
        assert "12 Elm St, Salem OR 97301" in text and "1 Hospital Way, Salem OR 97301" in text
        assert "St. Anne Regional Hospital\n1 Hospital Way" in text and "PO Box 9" not in text
    elif kind not in ("call-summary", "credit-dispute"):
        assert "12 Elm St, Salem OR 97301" in text and "PO Box 9, Columbus OH 43215" in text
    if kind in ("call-summary", "confirmation"):
        assert "Dana Lopez" in text and "4471" in text


def test_validation_letter_disputes_and_asks_for_the_original_creditor(
    capsys: pytest.CaptureFixture[str],
) -> None:
    new_case(capsys, ADDRESS)
    text = letter(capsys, "validation", "--case", "1")
    assert "Re: account AC-558812 (original creditor: St. Anne Regional Hospital)" in text
    for words in ("I dispute this debt", "verification", "name and address of the original creditor"):
        assert words in text
    assert "12 CFR 1006.38" in text and "shown as disputed" in text
    assert "ends on\nDecember 9, 2026." in text  # notice sent 2026-11-02 + 5 business days + 30 days


def test_settlement_offer_terms(capsys: pytest.CaptureFixture[str]) -> None:
    new_case(capsys, ADDRESS, "settlement_amount=$744")
    text = " ".join(letter(capsys, "settlement-offer", "--case", "1").split())
    assert "I offer to pay $744.00 in one payment" in text
    assert "not an acknowledgment that I owe this debt" in text
    assert "you accept in writing, on your letterhead and signed, before I pay" in text
    assert "delete this account from my credit reports" in text


def test_cease_letter_says_what_it_does_not_do(capsys: pytest.CaptureFixture[str]) -> None:
    new_case(capsys, ADDRESS)
    text = " ".join(letter(capsys, "cease", "--case", "1").split())
    assert "stop all communication" in text and "12 CFR 1006.6(c)" in text
    assert "does not erase the debt and does not stop you from filing a lawsuit" in text


def test_credit_dispute_goes_to_the_bureau(capsys: pytest.CaptureFixture[str]) -> None:
    new_case(capsys, ADDRESS, "credit_bureau=transunion", "dispute_reason=under-500")
    assert main(["letter", "credit-dispute", "--case", "1"]) == 0
    text, err = capsys.readouterr()
    assert "TransUnion Consumer Solutions\nP.O. Box 2000\nChester, PA 19016\nDispute department" in text
    flat = " ".join(text.split())
    assert "Its first reported balance was under $500" in flat and "[ ]" not in text
    assert "15 U.S.C. 1681i" in flat and "30 days" in flat
    assert (
        "Oregon's SB 605 (effective January 1, 2026) bars reporting medical debt" in flat
    )  # the fixture is OR
    assert "90 FR 48710" in err
    new_case(capsys, ADDRESS, "credit_bureau=Equifax", "dispute_reason=not-mine", "state=TX")
    text = " ".join(letter(capsys, "credit-dispute", "--case", "2").split())
    assert "It is not mine" in text and "Also," not in text and "Equifax Information Services LLC" in text
    assert capsys.readouterr().err == ""


def test_missing_facts_are_listed_never_left_blank(capsys: pytest.CaptureFixture[str]) -> None:
    new_case(capsys)
    assert main(["letter", "settlement-offer", "--case", "1"]) == 2
    assert capsys.readouterr().err == (
        "coach: letter settlement-offer needs: patient_address, settlement_amount "
        "(set with: coach case edit 1 --set name=value)\n"
    )
    assert main(["letter", "confirmation", "--case", "1", "--set", ADDRESS]) == 2
    assert "needs: settlement_amount or plan_monthly" in capsys.readouterr().err
    assert main(["letter", "itemized", "--set", "creditor=St. Anne"]) == 2
    assert capsys.readouterr().err == (
        "coach: letter itemized needs: patient_name, patient_address, account_number "
        "(set with: --set name=value, or --case ID)\n"
    )


def test_call_summary_needs_a_call(capsys: pytest.CaptureFixture[str]) -> None:
    new_case(capsys)
    assert main(["letter", "call-summary", "--case", "1"]) == 2
    assert "letter call-summary is about one call: add --call ID" in capsys.readouterr().err


def test_latest_call_is_used_and_every_reference_quoted(
    playbook: Playbook, capsys: pytest.CaptureFixture[str]
) -> None:
    new_case(capsys, ADDRESS)
    record_call(playbook, "REF-1", rep="Pat")
    record_call(playbook, "REF-2", rep="Sam")
    text = letter(capsys, "call-summary", "--case", "1")
    assert "with Sam (ID 4471)" in text and "reference REF-2, REF-1" in text
    text = letter(capsys, "call-summary", "--call", "1")
    assert "with Pat (ID 4471)" in text and "reference REF-1, REF-2" in text


def test_call_from_another_case_is_refused(playbook: Playbook, capsys: pytest.CaptureFixture[str]) -> None:
    new_case(capsys)
    new_case(capsys)
    record_call(playbook)
    assert main(["letter", "validation", "--case", "2", "--call", "1"]) == 2
    assert capsys.readouterr().err.strip() == "coach: --call 1 belongs to case 1, not case 2"


def test_user_text_is_data_not_template(capsys: pytest.CaptureFixture[str]) -> None:
    new_case(capsys, "patient_name={{ 7*7 }}{% raw %}", ADDRESS, "creditor={{ ''.__class__ }}")
    text = letter(capsys, "itemized", "--case", "1")
    assert "{{ 7*7 }}{% raw %}" in text and "{{ ''.__class__ }}" in text and "49" not in text


def test_letter_list_and_unknown_kind(capsys: pytest.CaptureFixture[str]) -> None:
    out = letter(capsys, "--list")
    for kind in KINDS:
        assert re.search(rf"^{re.escape(kind)} +\S", out, re.M)
    assert "when: A collector contacts you" in out
    assert main(["letter", "thank-you", "--case", "1"]) == 2
    assert capsys.readouterr().err.startswith("coach: no letter kind 'thank-you' (kinds: itemized, ")


def test_out_file_is_owner_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new_case(capsys, ADDRESS)
    out = tmp_path / "letters" / "validation.txt"
    assert main(["letter", "validation", "--case", "1", "--out", str(out)]) == 0
    assert out.stat().st_mode & 0o777 == 0o600 and "I dispute this debt" in out.read_text()


def test_write_letter_without_a_store(playbook: Playbook) -> None:
    """The TUI calls write_letter directly: same rules, no store needed."""
    facts = {
        "patient_name": "Jordan Rivera",
        "patient_address": "12 Elm St",
        "account_number": "AC-1",
        "creditor": "Midstate",
    }
    text = write_letter("itemized", playbook, facts, "hospital", today=dt.date(2026, 3, 1))
    assert text.startswith("Jordan Rivera\n12 Elm St\n\nMarch 1, 2026\n\nMidstate\n\nRe: account AC-1\n")

"""Card, routing and Social Security numbers are masked to their last four digits; other numbers stay."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.dialogue.schema import Playbook
from coach.session.redact import aba_valid, luhn_valid, masked_text, redact


@pytest.mark.parametrize(
    ("text", "masked", "kinds"),
    [
        ("4111 1111 1111 1111", "…1111", ("card number",)),
        ("card 5500-0000-0000-0004 exp 09/29", "card …0004 exp 09/29", ("card number",)),
        ("routing 021000021 account 12345678", "routing …0021 account 12345678", ("routing number",)),
        ("my SSN is 123-45-6789", "my SSN is …6789", ("Social Security number",)),
        ("social security number 123456789", "social security number …6789", ("Social Security number",)),
    ],
)
def test_sensitive_numbers_are_masked(text: str, masked: str, kinds: tuple[str, ...]) -> None:
    found = redact(text)
    assert found.text == masked and found.masked == kinds
    assert found.warning is not None and kinds[0] in found.warning


@pytest.mark.parametrize(
    "text",
    [
        "4111 1111 1111 1112",  # fails the Luhn check
        "account 123456789",  # 9 digits, no SSN words, not a valid routing number
        "call me at 555-123-4567",
        "we can take $1,200 by 12/31",
        "reference 2024-118-22",
    ],
)
def test_ordinary_numbers_stay_as_typed(text: str) -> None:
    assert redact(text).text == text and redact(text).warning is None


def test_checksums() -> None:
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")
    assert aba_valid("021000021") and not aba_valid("021000022") and not aba_valid("000000000")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_redact_never_raises_and_keeps_text_without_long_digit_runs(text: str) -> None:
    result = masked_text(text)
    if sum(c.isdigit() for c in text) < 9:
        assert result == text


def test_a_typed_card_number_is_masked_in_every_export(playbook: Playbook, tmp_path: Path) -> None:
    """Issue 12: a heard, said or noted card, routing or SSN number is '…last4' in the store and each export."""
    from coach.casefile.export import FORMATS, render_call
    from coach.casefile.store import Store
    from coach.session.engine import Session

    store = Store.open(tmp_path / "coach.db")
    call = store.start_call(store.create_case({}, "c", None), "live", "collections")
    session = Session(playbook, "collections", {"balance": Decimal("2480")}, sink=store.sink_for(call))
    session.hear("4111 1111 1111 1111")
    session.say("my routing number is 021000021")
    session.note("note", "they asked for SSN 123-45-6789")
    for fmt in FORMATS:
        shown = render_call(store, call, fmt)
        assert "…1111" in shown and "…0021" in shown and "…6789" in shown, fmt
        for secret in ("4111 1111", "4111111111111111", "021000021", "123-45-6789"):
            assert secret not in shown, (fmt, secret)
    store.close()

"""Numbers heard in a call, proposed for recording with one key (the Enter after a heard line).

When the other side names an amount ("we can settle for 1,500") or a date, the call proposes
to record it: Enter records it, a typed amount corrects it, anything else moves on. Moving on
over an offer or an agreement is said once (:func:`reminder`): with someone talking, the Enter
is easily missed, and only a recorded note counts as the offer in the review and the letters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from coach.dialogue.schema import Playbook
from coach.money.amounts import format_money
from coach.session.events import Event
from coach.session.payloads import HeardData

OFFER_INTENTS = {"offer_lump_sum", "offer_percent", "payment_plan_offer", "full_balance_demand"}
AGREED_INTENTS = {"agreement_reached", "accepted", "offer_accepted"}


@dataclass(frozen=True)
class Pending:
    """A number coach heard and proposes to record with one key."""

    kind: str  # a note kind: offer, agreed or deadline
    text: str  # what would be recorded, as a record command would take it
    prompt: str  # the one line shown: "They offered $1,100 — Enter to record, or type the right amount"


def propose(heard: Event, balance: Any, today: dt.date) -> Pending | None:
    """What to offer to record from a heard line: their amount or agreement, else a date; None if neither."""
    data = heard.payload if isinstance(heard.payload, HeardData) else HeardData()
    intent = str(data.intent or "")
    amount: str | Decimal | None = data.amount
    if amount is None and data.percent is not None and isinstance(balance, Decimal):
        amount = balance * Decimal(str(data.percent)) / 100
    monthly = bool(data.monthly)
    if amount is not None and (intent in OFFER_INTENTS or intent in AGREED_INTENTS):
        value = Decimal(str(amount))
        months = data.months
        shown = format_money(value) + (" a month" if monthly else "")
        shown += f" for {months} months" if months else ""
        text = f"{value}" + (" a month" if monthly else "") + (f" for {months} months" if months else "")
        if intent in AGREED_INTENTS:
            return Pending("agreed", text, f"They agreed to {shown}: Enter to record it, or type the amount")
        if intent == "full_balance_demand":  # a demand, not an offer: said as what it is
            return Pending(
                "offer",
                text,
                f"They asked for {shown}: Enter to record it as their offer, or type the amount",
            )
        return Pending("offer", text, f"They offered {shown}: Enter to record it, or type the right amount")
    from coach.session.records import read_date

    date = read_date(heard.text, today)
    if date is not None:
        return Pending(
            "deadline",
            f"{date.isoformat()} {heard.text}",
            f"They said {date:%b %d, %Y}: Enter to record it as a deadline, or go on",
        )
    return None


def looks_like_amount(text: str, choices: int) -> bool:
    """A correction typed at a proposal: "$1,150", "1150.00", or a number too big to be a choice."""
    cleaned = text.replace("$", "").replace(",", "").strip()
    try:
        value = Decimal(cleaned.split()[0]) if cleaned else None
    except ArithmeticError:
        return False
    if value is None:
        return False
    return text.lstrip().startswith("$") or "," in text or "." in text or value > max(choices, 9)


def reminder(pending: Pending, playbook: Playbook, balance: Any = None) -> str | None:
    """The one line saying a proposed offer or agreement was passed over, with the command that records it.

    None for a date ("or go on" was the proposal's own wording), for the whole balance (a demand
    to pay it all is no offer to keep) or for a kind the playbook does not note."""
    note = playbook.notes.get(pending.kind)
    if pending.kind == "deadline" or note is None:
        return None
    if isinstance(balance, Decimal) and pending.text.split()[0] == f"{balance.quantize(Decimal('0.01'))}":
        return None
    said = pending.prompt.split(":", 1)[0]
    return f"Not recorded: {said[:1].lower()}{said[1:]} (/{note.command} {pending.text} records it)"

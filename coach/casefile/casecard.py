"""The case card: the few numbers a person needs in view for the whole call.

Account, balance, creditor, first offer / target / walk-away, the validation
period's end with days left, and the one warning that matters most now. Plain
strings, so the line mode prints them and the TUI lays them out.
"""

from __future__ import annotations

import datetime as dt
import weakref
from decimal import Decimal
from typing import Any

from coach.dialogue import counterparts, render
from coach.money.amounts import format_money
from coach.money.derive import OLD_DEBT_YEARS


def days_left(due: dt.date, today: dt.date) -> str:
    """ "7 days left", "tomorrow", "today", "passed 3 days ago": how near a date is, in words."""
    days = (due - today).days
    if days > 1:
        return f"{days} days left"
    if days == 1:
        return "tomorrow"
    if days == 0:
        return "today"
    return f"passed {-days} day{'s' if days != -1 else ''} ago"


def _claim_lines(facts: dict[str, Any], context: dict[str, Any], today: dt.date) -> list[str]:
    """The insurer's side first on an insurer call: the claim, its reason code, the appeal clock."""
    claim = [
        text
        for text in (
            str(facts["insurer_name"]) if facts.get("insurer_name") else "",
            f"Claim {facts['claim_number']}" if facts.get("claim_number") else "",
            f"member ID {facts['member_id']}" if facts.get("member_id") else "",
            f"code {facts['reason_code']}" if facts.get("reason_code") else "",
        )
        if text
    ]
    lines = [" · ".join(claim)] if claim else []
    due = context.get("appeal_deadline")
    if isinstance(due, dt.date):
        lines.append(f"Appeal by {render.date(due)} ({days_left(due, today)}); the notice's date wins")
    return lines


_CARDS: weakref.WeakKeyDictionary[Any, tuple[dict[str, Any], dt.date, tuple[str, ...]]] = (
    weakref.WeakKeyDictionary()
)


def case_card_lines(session: Any) -> list[str]:
    """The card's lines for this call, most important first.

    A call screen asks after every step; the card changes only with the facts (a Session builds a new
    ``context()`` whenever they change, and keeps it otherwise, a /back included) and with the date
    (days left), so it is worked out once for each."""
    context, today = session.context(), session.today()
    cached = _CARDS.get(session)
    if cached is None or cached[0] is not context or cached[1] != today:
        cached = (context, today, tuple(_card_lines(session)))
        _CARDS[session] = cached
    return list(cached[2])


def _card_lines(session: Any) -> list[str]:
    context = session.context()
    facts = session.facts
    today = session.today()
    lines: list[str] = []
    if counterparts.has(session.counterpart, "claims"):
        lines += _claim_lines(facts, context, today)
    first = []
    if facts.get("account_number"):
        first.append(f"Account {facts['account_number']}")
    if isinstance(facts.get("balance"), Decimal):
        first.append(f"balance {format_money(facts['balance'])}")
    if facts.get("creditor"):
        first.append(str(facts["creditor"]))
    if first:
        lines.append(" · ".join(first))
    opening, target, walk = (context.get(k) for k in ("offer_opening", "offer_target", "offer_walk_away"))
    if counterparts.has(session.counterpart, "negotiates-balance") and all(
        isinstance(v, Decimal) for v in (opening, target, walk)
    ):
        lines.append(
            f"Offer {format_money(opening)} · aim {format_money(target)} · most {format_money(walk)}"
        )
    end = context.get("validation_end")
    if counterparts.has(session.counterpart, "debt-collector") and isinstance(end, dt.date):
        lines.append(f"Dispute in writing by {render.date(end)} ({days_left(end, today)})")
    warning = top_warning(session)
    if warning:
        lines.append(f"⚠ {warning}")
    return lines


def top_warning(session: Any) -> str:
    """The one warning that matters most on this call, or ''."""
    facts = session.facts
    court = facts.get("court_deadline")
    if isinstance(court, dt.date):
        return f"Court papers: answer by {render.date(court)}; get legal help before paying"
    age = session.context().get("debt_age_years")  # from the last payment where known
    if isinstance(age, int) and age >= OLD_DEBT_YEARS:
        return f"Old debt ({age} years): no payment or promise until you know the time limit"
    if counterparts.has(session.counterpart, "debt-collector"):
        return "Never give card, bank or Social Security numbers on this call"
    return ""

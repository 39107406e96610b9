"""What a call-record command holds: ``/offer $900 lump sum``, ``/counter 75 a month``, ``/agreed 900 by 12/15``.

A person types these with a phone at their ear, so the amount may come with
words around it. This module reads the amount, whether it is monthly and for
how many months, whose offer it is, and any date, into the plain fields every
reader of a note event relies on (review, letters, scoring)::

    {"kind": "offer", "amount": "900.00", "by": "them" | "user",
     "monthly": false, "months": null, "date": "2026-12-15" | null}

Nothing here knows about the session or the store.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from coach.money.amounts import parse_money

_AMOUNT = re.compile(r"(?<![\w/.-])\$?\s*(\d[\d,]*(?:\.\d{1,2})?)(\s*[kK]\b)?(?![\w/%-])")
_MONTHLY = re.compile(r"\b(?:a|per|each|every|/)\s*(?:month|mo)\b|\bmonthly\b|/mo\b", re.IGNORECASE)
_MONTHS = re.compile(r"\b(?:for|over|x)\s*(\d{1,3})\s*(?:months?|mos?|payments?)\b", re.IGNORECASE)
_MINE = re.compile(r"\b(?:my|mine|me|i offered|i said|i can|i could|counter(?:ed)?)\b", re.IGNORECASE)
_DATE_WORDS = re.compile(r"\b(?:by|on|due|before|until)\b\s*(.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class MoneyRecord:
    """An amount as a call records it."""

    amount: Decimal
    monthly: bool
    months: int | None
    mine: bool
    date: dt.date | None

    def as_data(self) -> dict[str, object]:
        return {
            "amount": str(self.amount),
            "monthly": self.monthly,
            "months": self.months,
            "date": self.date.isoformat() if self.date else None,
        }


def _strip_dates(text: str) -> str:
    """Text without its date-looking parts, so 12/15 is never read as an amount."""
    text = re.sub(r"\b\d{1,4}[/-]\d{1,2}(?:[/-]\d{1,4})?\b", " ", text)
    return re.sub(
        r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?\b",
        " ",
        text,
        flags=re.IGNORECASE,
    )


def read_money(text: str, today: dt.date | None = None) -> MoneyRecord:
    """The amount in a typed record; ``ValueError`` with a one-line reason when there is none."""
    without_months = _MONTHS.sub(" ", _strip_dates(text))
    amounts = [m for m in _AMOUNT.finditer(without_months)]
    if not amounts:
        raise ValueError(f"'{text.strip()}' is not an amount like $900 or 75 a month")
    first = amounts[0]
    amount = parse_money(first.group(1) + ("k" if first.group(2) else ""))
    if amount <= 0:
        raise ValueError(f"'{text.strip()}': an offer of $0 is not an offer")
    months_match = _MONTHS.search(text)
    return MoneyRecord(
        amount=amount,
        monthly=bool(_MONTHLY.search(text)) or months_match is not None,
        months=int(months_match.group(1)) if months_match else None,
        mine=bool(_MINE.search(text)),
        date=read_date(text, today),
    )


def read_date(text: str, today: dt.date | None = None) -> dt.date | None:
    """A date in a typed record (``12/15``, ``2026-12-15``, ``Dec 15``, ``in 30 days``), else None."""
    from coach.casefile.deadlines import find_date

    said_on = today or dt.date.today()
    found = find_date(text, said_on)
    if found is None:
        words = _DATE_WORDS.search(text)
        if words:
            found = find_date(words.group(1), said_on)
    return found

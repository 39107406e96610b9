"""Money as ``Decimal``: parse what people type, show it the way bills do.

Never float: ``Decimal("0.1") * 3`` is exactly ``0.3``; cents are rounded half-up.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal(10) ** 12  # a trillion dollars: anything larger is a typo (and overflows cents)
_MONEY_TEXT = re.compile(r"^\s*\$?\s*(?P<num>[0-9][0-9,]*(?:\.[0-9]*)?|\.[0-9]+)\s*(?P<k>[kK])?\s*$")


def to_cents(amount: Decimal) -> Decimal:
    """Round to whole cents, half up (how bills round)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_money(text: str | int | Decimal) -> Decimal:
    """``"$1,234.5"`` → ``Decimal("1234.50")``; ``"1.2k"`` → ``1200.00``.

    Raises ``ValueError`` with a short reason for anything else, including
    negative amounts (no bill or offer is negative).
    """
    if isinstance(text, bool):
        raise ValueError("expected an amount like $1,234.50")
    if isinstance(text, int | Decimal):
        value = Decimal(text)
    elif isinstance(text, float):
        value = Decimal(str(text))
    else:
        match = _MONEY_TEXT.match(str(text))
        if not match:
            raise ValueError(f"{shown(text)} is not an amount like $1,234.50")
        number = match.group("num").replace(",", "")
        try:
            value = Decimal(number)
        except InvalidOperation as error:
            raise ValueError(f"{shown(text)} is not an amount like $1,234.50") from error
        if match.group("k"):
            value *= 1000
    if not value.is_finite() or value < 0:
        raise ValueError(f"{shown(text)} is not an amount like $1,234.50")
    if value >= MAX_AMOUNT:
        raise ValueError(f"{shown(text)} is too large to be a medical bill")
    return to_cents(value)


def format_money(amount: Decimal | int) -> str:
    """``Decimal("1234.5")`` → ``"$1,234.50"``; whole dollars keep their cents."""
    value = to_cents(Decimal(amount))
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.2f}"


def format_percent(value: Decimal | int | float, places: int = 0) -> str:
    """``Decimal("0.4")`` or ``40`` → ``"40%"``: fractions ≤ 1 are read as ratios."""
    number = Decimal(str(value))
    if abs(number) <= 1:
        number *= 100
    quantum = Decimal(1).scaleb(-places)
    return f"{number.quantize(quantum, rounding=ROUND_HALF_UP)}%"


def shown(text: object, limit: int = 40) -> str:
    """User text quoted for a one-line error: control characters escaped, long text cut.

    Error lines echo what was typed; a pasted newline or a whole CSV row must not
    break the "one line on stderr" promise.
    """
    raw = str(text)
    escaped = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in raw)
    if len(escaped) > limit:
        escaped = escaped[: limit - 3] + "..."
    return f"'{escaped}'"

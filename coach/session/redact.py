"""Masking numbers that must never be stored: card numbers, bank routing numbers, Social Security numbers.

People type what they hear, and sometimes what they were about to read out.
``redact`` keeps only the last four digits (``…1111``) of:

- a card number: 13 to 19 digits (spaces or dashes allowed) that pass the Luhn check;
- a bank routing number: 9 digits that pass the ABA checksum;
- a Social Security number: ###-##-####, or 9 digits next to words like "social" or "SSN".

Checksums keep ordinary numbers (amounts, phone numbers, account references)
as typed. It never raises.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

MASK = "…"
WARNING = (
    "Coach hid a {what} you typed and kept only its last four digits. Don't give card, bank or Social "
    "Security numbers on a call like this: pay, if you pay, by a method you control once the terms are in writing."
)

_CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
_SSN_DASHED = re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])")
_NINE = re.compile(r"(?<![\d-])\d{3}[ -]?\d{2}[ -]?\d{4}(?![\d-])")
_SSN_CONTEXT = re.compile(
    r"\b(?:ssn|ss#|ss number|social(?: security)?(?: number| no\.?| #)?|socsec)\b[^\d]{0,20}$", re.I
)


@dataclass(frozen=True)
class Redacted:
    """The text with sensitive numbers masked, and what kinds were masked (in order found)."""

    text: str
    masked: tuple[str, ...] = ()

    @property
    def warning(self) -> str | None:
        """A warning naming what was masked, or None when nothing was."""
        if not self.masked:
            return None
        kinds = list(dict.fromkeys(self.masked))
        what = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
        return WARNING.replace("{what}", what)


def luhn_valid(digits: str) -> bool:
    """The card-number check digit test."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value *= 2
            value -= 9 if value > 9 else 0
        total += value
    return total % 10 == 0


def aba_valid(digits: str) -> bool:
    """The ABA routing-number checksum: 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) is a multiple of 10."""
    if len(digits) != 9 or digits == "0" * 9:
        return False
    d = [int(c) for c in digits]
    return (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + d[2] + d[5] + d[8]) % 10 == 0


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def redact(text: str) -> Redacted:
    """``text`` with card, routing and Social Security numbers masked to their last four digits."""
    text = str(text)
    found: list[tuple[int, str]] = []

    def mask(kind: str) -> Callable[[re.Match[str]], str]:
        def replace(match: re.Match[str]) -> str:
            digits = _digits(match.group())
            if kind == "card number" and not luhn_valid(digits):
                return match.group()
            if kind == "nine":
                before = text_now[max(0, match.start() - 40) : match.start()]
                if _SSN_CONTEXT.search(before):
                    found.append((match.start(), "Social Security number"))
                elif aba_valid(digits):
                    found.append((match.start(), "routing number"))
                else:
                    return match.group()
                return MASK + digits[-4:]
            found.append((match.start(), kind))
            return MASK + digits[-4:]

        return replace

    text_now = _SSN_DASHED.sub(mask("Social Security number"), text)
    text_now = _CARD.sub(mask("card number"), text_now)
    text_now = _NINE.sub(mask("nine"), text_now)
    return Redacted(text_now, tuple(kind for _, kind in found))


def masked_text(text: str) -> str:
    """Just the masked text (for places that only store a line)."""
    return redact(text).text

"""``coach eligibility``: a financial-assistance estimate from household, income and state."""

from __future__ import annotations

import argparse
import json
from decimal import Decimal

from coach.errors import CoachError
from coach.money.amounts import parse_money, shown
from coach.money.eligibility import estimate


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--household", required=True, metavar="N", help="people in the household, e.g. 3")
    parser.add_argument(
        "--income", required=True, metavar="AMOUNT", help="yearly household income before taxes, e.g. 40000"
    )
    parser.add_argument("--state", required=True, metavar="ST", help="two-letter state or DC, e.g. OR")
    parser.add_argument(
        "--year", metavar="YEAR", help="poverty table year, e.g. 2026 (default: the newest in effect today)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _whole(flag: str, text: str) -> int:
    """A whole number from the command line, or a one-line error naming the flag."""
    cleaned = text.strip()
    digits = cleaned.removeprefix("-")
    if not digits.isdecimal():
        raise CoachError(f"{flag}: {shown(text)} is not a whole number")
    if len(digits) > _MAX_DIGITS:  # int() of 5,000 digits raises; no household or year is that long
        raise CoachError(f"{flag}: {shown(text)} is too large")
    return int(cleaned)


_MAX_DIGITS = 6


def _number(value: Decimal) -> int | float:
    """Whole dollars as a JSON integer, anything else as a JSON number with its cents."""
    return int(value) if value == value.to_integral_value() else float(value)


def run(args: argparse.Namespace) -> int:
    household = _whole("--household", args.household)
    try:
        income = parse_money(args.income)
    except ValueError as error:
        reason = (
            str(error)
            if str(error).isprintable() and len(str(error)) <= 120
            else f"{shown(args.income)} is not an amount like $1,234.50"
        )
        raise CoachError(f"--income: {reason}") from None
    year = _whole("--year", args.year) if args.year is not None else None
    result = estimate(household, income, args.state, year)
    if args.json:
        data = {
            "percent_of_poverty": float(result.percent_of_poverty),
            "poverty_guideline": _number(result.poverty_guideline),
            "year": result.year,
            "region": result.region,
            "state_rule": result.state_rule,
            "summary": result.summary,
        }
        print(json.dumps(data, indent=2))
    else:
        print(result.summary)
    return 0

"""``coach eligibility``: a financial-assistance estimate from household, income and state."""

from __future__ import annotations

import argparse
import json

from coach.eligibility import estimate
from coach.errors import CoachError
from coach.money import parse_money


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--household", type=int, required=True, help="people in the household")
    parser.add_argument("--income", required=True, help="yearly household income before taxes, e.g. 40000")
    parser.add_argument("--state", required=True, help="two-letter state, e.g. OR")
    parser.add_argument("--year", type=int, help="poverty table year (default: the one in effect today)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    try:
        income = parse_money(args.income)
    except ValueError as error:
        raise CoachError(f"--income: {error}") from None
    result = estimate(args.household, income, args.state, args.year)
    if args.json:
        print(
            json.dumps(
                {
                    "percent_of_poverty": float(result.percent_of_poverty),
                    "poverty_guideline": float(result.poverty_guideline),
                    "year": result.year,
                    "region": result.region,
                    "state_rule": result.state_rule,
                    "summary": result.summary,
                },
                indent=2,
            )
        )
    else:
        print(result.summary)
    return 0

"""``coach hear "TEXT"``: what a line from the other side means, and what to say back.

With ``--balance`` and the other case options the line is weighed as in a live
call; ``--offered`` gives the user's own offers so far, so "we can accept 900"
after offering 900 is an agreement, not a new offer to counter.
"""

from __future__ import annotations

import argparse
import json
from decimal import Decimal
from typing import Any

from coach.dialogue.counterparts import CHOICES as COUNTERPARTS
from coach.errors import CoachError
from coach.hearing.intents import hear
from coach.money.amounts import parse_money
from coach.termtext import printable


def _money(text: str) -> Decimal:
    try:
        return parse_money(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not an amount (try 900 or $1,250.50)") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", help="what the billing office or collector said, in quotes")
    parser.add_argument("--counterpart", choices=COUNTERPARTS, help="who said it")
    parser.add_argument(
        "--json", action="store_true", help="one JSON object: intent, numbers, reply, warning"
    )
    case = parser.add_argument_group("your case (to weigh an offer)")
    case.add_argument("--balance", type=_money, help="what the bill says you owe")
    case.add_argument("--lump-sum", type=_money, help="the most you could pay at once")
    case.add_argument("--monthly-budget", type=_money, help="the most you could pay each month")
    case.add_argument("--debt-age", type=int, metavar="YEARS", help="years since the care or last payment")
    case.add_argument(
        "--offered",
        type=_money,
        action="append",
        default=[],
        metavar="AMOUNT",
        help="an amount you already offered in this call (repeat for several, oldest first)",
    )


def _facts(args: argparse.Namespace) -> dict[str, Any] | None:
    facts: dict[str, Any] = {
        name: value
        for name, value in (
            ("balance", args.balance),
            ("lump_sum_available", args.lump_sum),
            ("monthly_budget", args.monthly_budget),
            ("debt_age_years", args.debt_age),
        )
        if value is not None
    }
    if args.debt_age is not None and args.debt_age < 0:
        raise CoachError("--debt-age: give the age in whole years, 0 or more")
    return facts or None


def say(text: str) -> None:
    """One line out: the line quoted back and the dialogue files' words, escaped for the terminal."""
    print(printable(text))


def run(args: argparse.Namespace) -> int:
    heard = hear(args.text, args.counterpart, _facts(args), tuple(args.offered))
    if args.json:
        print(json.dumps(heard.as_json()))  # JSON escapes control characters itself
        return 0
    also = [name.replace("_", " ") for name in heard.also]
    say(f"They mean: {heard.intent.replace('_', ' ')}" + (f" (also: {', '.join(also)})" if also else ""))
    numbers = [
        f"{label} {value}"
        for label, value in (
            ("amount", heard.amount),
            ("percent", heard.percent),
            ("monthly", heard.monthly),
            ("months", heard.months),
            ("fee", heard.fee),
            ("refused", heard.refused),
        )
        if value is not None
    ]
    if numbers:
        say("Numbers: " + ", ".join(numbers))
    if heard.weighing.sentence:
        say(f"Against your case: {heard.weighing.sentence}")
    say(f'Say: "{heard.reply}"')
    if heard.warning:
        say(f"WARNING: {heard.warning}")
    return 0

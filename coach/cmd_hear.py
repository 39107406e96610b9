"""``coach hear "TEXT"``: what a line from the other side means, and what to say back."""

from __future__ import annotations

import argparse
import json

from coach.intents import hear


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", help="what the billing office or collector said, in quotes")
    parser.add_argument("--counterpart", choices=["hospital", "doctor", "collections"], help="who said it")
    parser.add_argument(
        "--json", action="store_true", help="one JSON object: intent, numbers, reply, warning"
    )


def run(args: argparse.Namespace) -> int:
    heard = hear(args.text, args.counterpart)
    if args.json:
        print(json.dumps(heard.as_json()))
        return 0
    print(f"They mean: {heard.intent.replace('_', ' ')}")
    numbers = [
        f"{label} {value}"
        for label, value in (
            ("amount", heard.amount),
            ("percent", heard.percent),
            ("monthly", heard.monthly),
            ("months", heard.months),
        )
        if value is not None
    ]
    if numbers:
        print("Numbers: " + ", ".join(numbers))
    print(f'Say: "{heard.reply}"')
    if heard.warning:
        print(f"WARNING: {heard.warning}")
    return 0

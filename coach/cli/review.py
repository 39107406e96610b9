"""``coach review``: look back at a saved call, in the app or printed in a format."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coach.casefile.export import FORMATS, render_call
from coach.casefile.store import Store
from coach.cli.output import deliver
from coach.errors import CoachError
from coach.termtext import printable


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("call", nargs="?", type=int, help="the call number (see --list)")
    parser.add_argument("--last", action="store_true", help="the most recent call")
    parser.add_argument("--list", action="store_true", help="list saved calls")
    parser.add_argument("--format", choices=FORMATS, help="print in this format instead of opening the app")
    parser.add_argument(
        "--out", type=Path, metavar="FILE", help="write to FILE (owner-only) instead of printing"
    )
    parser.add_argument("--force", action="store_true", help="replace FILE if it already exists")


def run(args: argparse.Namespace) -> int:
    if args.format is None and not args.list and sys.stdin.isatty() and sys.stdout.isatty():
        try:
            from coach.cli.app import run_app
        except ImportError:
            pass
        else:
            return run_app(args, mode="review")
    store = Store.open()
    try:
        if args.list:
            calls = store.calls()
            if not calls:
                print("No calls saved yet. Start one with: coach live --plain")
            for call in calls:
                outcome = printable(call.outcome or "")
                print(f"{call.id:>4}  {call.started}  {call.mode:<8} {call.counterpart:<11} {outcome}")
            return 0
        call_id = args.call
        if call_id is None:
            last = store.last_call()
            if last is None:
                raise CoachError("no calls saved yet; start one with: coach live --plain")
            call_id = last.id
        text = render_call(store, call_id, args.format or "text")
    finally:
        store.close()
    deliver(text, args.out, args.force, json=args.format == "json")
    return 0

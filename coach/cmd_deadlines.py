"""``coach deadlines``: the dates that matter for a case, or every case; optionally an .ics file."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from coach.deadlines import Deadline, case_deadlines, to_ics
from coach.paths import dialogues_dir, write_private
from coach.playbook import facts_from_json, load_playbook
from coach.store import Store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--case", type=int, metavar="ID", help="one case (default: every case)")
    parser.add_argument(
        "--ics", type=Path, metavar="FILE", help="also write the dated ones as an iCalendar file"
    )


def run(args: argparse.Namespace) -> int:
    playbook = load_playbook([dialogues_dir()])
    today = dt.date.today()
    store = Store.open()
    collected: list[tuple[str, list[Deadline]]] = []
    try:
        cases = [store.case(args.case)] if args.case is not None else store.cases()
        for case in cases:
            facts = facts_from_json(case.facts, playbook)
            calls = [(call.id, store.events(call.id)) for call in store.calls(case.id)]
            found = case_deadlines(facts, case.counterpart, calls, today)
            found += [
                Deadline(dt.date.fromisoformat(d.due) if d.due else None, d.what, d.source or "saved")
                for d in store.deadlines(case.id)
            ]
            collected.append((f"case {case.id}: {case.label}", found))
    finally:
        store.close()
    if not collected:
        print("No cases yet. Start one with: coach case new --facts FILE.yaml")
    for label, found in collected:
        print(label)
        if not found:
            print("  no dates yet (add first_bill_date, validation_notice_date or promises with dates)")
        for deadline in found:
            due = f"{deadline.due:%a %b %d, %Y}" if deadline.due else "no date given"
            status = deadline.status(today)
            late = f"\n  {'':<17} {status}" if status else ""
            print(f"  {due:<17} {deadline.what}{late}\n  {'':<17} source: {deadline.source}")
    if args.ics:
        write_private(args.ics, to_ics([(label, d) for label, found in collected for d in found]))
        print(f"wrote {args.ics}")
    return 0

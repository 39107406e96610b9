"""``coach deadlines``: the dates that matter for a case, or every case; optionally an .ics file."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from coach.casefile.actions import worded
from coach.casefile.deadlines import Deadline, case_deadlines, stored_date, to_ics
from coach.casefile.export import command
from coach.casefile.safewrite import write_private
from coach.casefile.store import Store
from coach.dialogue.facts import facts_from_json
from coach.dialogue.playbook import load_playbook
from coach.paths import dialogues_dir
from coach.termtext import printable


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--case", type=int, metavar="ID", help="one case (default: every case)")
    parser.add_argument(
        "--ics", type=Path, metavar="FILE", help="also write the dated ones as an iCalendar file"
    )
    parser.add_argument("--force", action="store_true", help="replace the --ics FILE if it already exists")


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
                Deadline(stored_date(d.due), d.what, d.source or "saved") for d in store.deadlines(case.id)
            ]
            collected.append((f"case {case.id}: {case.label}", found))
    finally:
        store.close()
    if not collected:
        print("No cases yet. Start one with: coach case new --facts FILE.yaml")
    for label, found in collected:
        print(printable(label))
        if not found:
            print("  no dates yet (add first_bill_date, validation_notice_date or promises with dates)")
        for deadline in found:
            due = f"{deadline.due:%a %b %d, %Y}" if deadline.due else "no date given"
            status = worded(deadline.status(today), command)
            late = f"\n  {'':<17} {printable(status)}" if status else ""
            what, source = (
                printable(worded(deadline.words, command)),
                printable(worded(deadline.source, command)),
            )
            print(f"  {due:<17} {what}{late}\n  {'':<17} source: {source}")
    if args.ics:
        calendar = to_ics([(label, d) for label, found in collected for d in found], name=command)
        write_private(args.ics, calendar, replace=args.force, what="--ics")
        print(f"wrote {printable(args.ics)}")
    return 0

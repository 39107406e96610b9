"""``coach letter KIND``: write a letter from a case's facts and a call's capture fields.

Which call: the one named with ``--call``, else the case's most recent call (its
rep, offers, promises and what was agreed: an agreement recorded in the call
fills the settlement or plan terms the case lacks). Reference numbers come from every call of the case,
so a letter quotes all of them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from coach.casefile.letters import facts_with_call, letter_kinds, letter_warnings, write_letter
from coach.casefile.review import CallReview, load_review
from coach.casefile.store import Store
from coach.cli.case import parse_sets
from coach.cli.output import deliver
from coach.dialogue.counterparts import default as default_counterpart
from coach.dialogue.facts import facts_from_json
from coach.dialogue.playbook import load_playbook
from coach.errors import CoachError
from coach.paths import dialogues_dir
from coach.session.payloads import NoteData
from coach.termtext import printable


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", nargs="?", help="the kind of letter (see --list)")
    parser.add_argument("--list", action="store_true", help="name every kind and when to use it")
    parser.add_argument("--case", type=int, metavar="ID", help="the case whose facts fill the letter")
    parser.add_argument(
        "--call",
        type=int,
        metavar="ID",
        help="the call whose rep, offers and promises to include (default: the case's latest)",
    )
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="a fact for this letter only"
    )
    parser.add_argument(
        "--out", type=Path, metavar="FILE", help="write to FILE (owner-only) instead of printing"
    )
    parser.add_argument("--force", action="store_true", help="replace FILE if it already exists")


def run(args: argparse.Namespace) -> int:
    kinds = letter_kinds()
    if args.list or not args.kind:
        for kind in kinds.values():
            print(f"{kind.name:<17} {kind.title}\n{'':<17} when: {kind.when}")
        return 0
    if args.kind not in kinds:
        raise CoachError(f"no letter kind '{args.kind}' (kinds: {', '.join(kinds)})")
    playbook = load_playbook([dialogues_dir()])
    store = Store.open()
    try:
        text = _letter(args, playbook, store)
    finally:
        store.close()
    deliver(text, args.out, args.force)
    return 0


def _letter(args: argparse.Namespace, playbook: Any, store: Store) -> str:
    review: CallReview | None = load_review(store, args.call) if args.call is not None else None
    case_id = args.case
    if review is not None and review.case is not None:
        if case_id is not None and case_id != review.case.id:
            raise CoachError(f"--call {args.call} belongs to case {review.case.id}, not case {case_id}")
        case_id = review.case.id
    facts: dict[str, Any] = {}
    counterpart = review.call.counterpart if review else None
    references: list[str] = []
    if case_id is not None:
        case = store.case(case_id)
        facts = facts_from_json(case.facts, playbook)
        counterpart = counterpart or case.counterpart
        calls = store.calls(case_id)
        if review is None and calls:
            review = load_review(store, calls[-1].id)
        for call in calls:
            references += [
                e.text
                for e in store.events(call.id)
                if isinstance(e.payload, NoteData) and e.payload.kind == "reference"
            ]
    elif not args.set:
        raise CoachError("--case: say which case fills the letter (see coach case list)")
    facts.update(parse_sets(args.set, playbook))
    text = write_letter(
        args.kind,
        playbook,
        facts,
        counterpart or default_counterpart(),
        review,
        case_id,
        references=references,
    )
    for warning in letter_warnings(
        args.kind, facts_with_call(facts, review), counterpart or default_counterpart()
    ):
        print(printable(warning, keep_lines=True), file=sys.stderr)
    return text

"""``coach letter KIND``: write a letter from a case's facts and a call's capture fields."""

from __future__ import annotations

import argparse
from pathlib import Path

from coach.cmd_case import parse_sets
from coach.errors import CoachError
from coach.letters import letter_kinds, write_letter
from coach.paths import dialogues_dir, write_private
from coach.playbook import facts_from_json, load_playbook
from coach.review import load_review
from coach.store import Store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", nargs="?", help="the kind of letter (see --list)")
    parser.add_argument("--list", action="store_true", help="name every kind and when to use it")
    parser.add_argument("--case", type=int, metavar="ID", help="the case whose facts fill the letter")
    parser.add_argument(
        "--call", type=int, metavar="ID", help="a call whose rep, references and offers to include"
    )
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="a fact for this letter only"
    )
    parser.add_argument(
        "--out", type=Path, metavar="FILE", help="write to FILE (owner-only) instead of printing"
    )


def run(args: argparse.Namespace) -> int:
    kinds = letter_kinds()
    if args.list or not args.kind:
        for kind in kinds.values():
            print(f"{kind.name:<17} {kind.title}\n{'':<17} when: {kind.when}")
        return 0
    playbook = load_playbook([dialogues_dir()])
    store = Store.open()
    try:
        review = load_review(store, args.call) if args.call is not None else None
        case_id = args.case
        if case_id is None and review is not None and review.case is not None:
            case_id = review.case.id
        facts = {}
        counterpart = review.call.counterpart if review else "hospital"
        if case_id is not None:
            case = store.case(case_id)
            facts = facts_from_json(case.facts, playbook)
            counterpart = (review.call.counterpart if review else None) or case.counterpart or counterpart
        elif not args.set:
            raise CoachError("--case: say which case fills the letter (see coach case list)")
        facts.update(parse_sets(args.set, playbook))
        text = write_letter(args.kind, playbook, facts, counterpart, review, case_id)
    finally:
        store.close()
    if args.out:
        write_private(args.out, text)
        print(f"wrote {args.out}")
    else:
        print(text, end="")
    return 0

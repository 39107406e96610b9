"""``coach plan --case ID``: the call plan for a prepared case, as text, Markdown or one-page HTML."""

from __future__ import annotations

import argparse
from pathlib import Path

from coach.dialogue.counterparts import default as default_counterpart
from coach.errors import CoachError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--case", type=int, metavar="ID", required=True, help="the case (see coach case list)"
    )
    parser.add_argument("--format", choices=["text", "markdown", "html"], default="text")
    parser.add_argument("--out", type=Path, metavar="FILE", help="write to this file (owner-only) instead")
    parser.add_argument("--force", action="store_true", help="replace the --out FILE if it already exists")
    parser.add_argument("--dialogues", type=Path, help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    from coach.casefile.plan import build_plan, formatted
    from coach.casefile.store import Store
    from coach.dialogue.facts import facts_from_json
    from coach.dialogue.playbook import load_playbook
    from coach.paths import dialogues_dir

    playbook = load_playbook([args.dialogues or dialogues_dir()])
    store = Store.open()
    try:
        case = store.case(args.case)
    finally:
        store.close()
    facts = facts_from_json(case.facts, playbook)
    if not facts:
        raise CoachError(f"--case: case {args.case} has no facts yet; run coach prepare --case {args.case}")
    text = formatted(build_plan(playbook, facts, case.counterpart or default_counterpart()), args.format)
    from coach.cli.output import deliver

    deliver(text + "\n", args.out, args.force)
    return 0

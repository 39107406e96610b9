"""``coach prepare``: triage and assess once per case, before any call, then the call plan.

Every answer is saved to the case as it is given (a kill keeps them). Known
facts are not asked again, so preparing a case from a facts file may ask
nothing at all. In the app it is the "Prepare a case" screen; ``--plain`` (or
a pipe) gives the line mode.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from coach.cli.call import COUNTERPARTS
from coach.termtext import printable

if TYPE_CHECKING:
    from coach.prepare import Preparation


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--case", type=int, metavar="ID", help="the case to prepare (default: a new one)")
    parser.add_argument("--facts", type=Path, metavar="FILE.yaml", help="facts you already know, from a file")
    parser.add_argument(
        "--counterpart", choices=COUNTERPARTS, help="who you will call (default: from the case)"
    )
    parser.add_argument("--plain", action="store_true", help="the line mode: plain text in and out")
    parser.add_argument("--dialogues", type=Path, help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    if args.plain or not sys.stdin.isatty():
        return run_plain(args, sys.stdin, sys.stdout)
    from coach.cli.app import run_app

    return run_app(args, mode="prepare")


def run_plain(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    """Ask each open question in turn; print the plan at the end."""
    from coach.calls import case_for
    from coach.casefile.plan import as_text, build_plan
    from coach.casefile.store import Store
    from coach.dialogue.playbook import load_playbook
    from coach.paths import dialogues_dir
    from coach.prepare import Preparation

    playbook = load_playbook([args.dialogues or dialogues_dir()])
    store = Store.open()
    try:
        case_id = case_for(store, playbook, args.case, args.facts, args.counterpart)
        prep = Preparation(store, playbook, case_id, args.counterpart)

        def out(text: str = "") -> None:
            stdout.write(printable(text, keep_lines=True) + "\n")
            stdout.flush()

        out(f"coach prepare · case {case_id} · {prep.counterpart} · answers are saved as you go (/help)")
        shown = None
        while not prep.done:
            where = (prep.view().node, prep.questions)
            if where != shown:
                out(format_question(prep))
                shown = where
            stdout.write("> ")
            stdout.flush()
            line = stdin.readline()
            if line == "":
                out(
                    "\nStopped; every answer so far is saved. Go on later: coach prepare --case "
                    + str(case_id)
                )
                return 0
            step = prep.submit(line)
            if step.kind == "error":
                out(f"! {step.message}")
            elif step.message:
                out(f"  {step.message}")
        plan = build_plan(
            playbook, prep.facts, prep.counterpart, notes=[(p.title, p.text) for p in prep.passed]
        )
        out("")
        out(as_text(plan))
        out("")
        out(f"Asked {prep.questions} question(s). Print it: coach plan --case {case_id} --format html")
        out(f"Call now: coach live --case {case_id}    Practise first: coach rehearse --case {case_id}")
    finally:
        store.close()
    return 0


def format_question(prep: Preparation) -> str:
    """One question as plain text: title, guidance, the prompt, the choices."""
    view = prep.view()
    lines = ["", f"== {view.title or view.stage_title}"]
    if view.coach:
        lines.append(view.coach)
    if view.warn:
        lines.append(f"WARNING: {view.warn}")
    if view.ask is not None:
        current = f" [now: {view.ask_current}; Enter keeps it]" if view.ask_current else ""
        optional = "" if prep.playbook.facts[view.ask].required else " (Enter skips)"
        lines.append(f"{view.ask_prompt}{current or optional}")
    for choice in view.choices:
        lines.append(f"  {choice.number}. {choice.label}")
    return "\n".join(lines)

"""``coach live`` and ``coach rehearse``: a call, in the TUI or the plain line mode.

The line mode suits screen readers, scripts and pipes (chosen automatically
when stdin is not a terminal). Every line typed is applied to the Session, and
the Session writes its event to the case store before the next prompt prints.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from coach.errors import CoachError

COUNTERPARTS = ("hospital", "doctor", "collections")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--counterpart",
        choices=COUNTERPARTS,
        help="who is on the other end (default: from the case, else hospital)",
    )
    parser.add_argument(
        "--case", type=int, metavar="ID", help="use a saved case's facts (see coach case list)"
    )
    parser.add_argument("--facts", type=Path, metavar="FILE.yaml", help="pre-fill facts from a YAML file")
    parser.add_argument("--plain", action="store_true", help="the line mode: plain text in and out")
    parser.add_argument("--persona", help="rehearsal partner persona (rehearse only)")
    parser.add_argument("--seed", type=int, help="seed for a reproducible rehearsal (rehearse only)")
    parser.add_argument(
        "--difficulty",
        choices=["easy", "normal", "tough"],
        default="normal",
        help="how hard the partner pushes",
    )
    parser.add_argument("--dialogues", type=Path, help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    mode = "live" if args.command == "live" else "rehearse"
    if args.plain or not sys.stdin.isatty():
        return run_plain(args, mode, sys.stdin, sys.stdout)
    from coach.cmd_app import run_app

    return run_app(args, mode=mode)


def prepare(
    args: argparse.Namespace, mode: str, store: Any = None, playbook: Any = None
) -> tuple[Any, Any, int, str, dict[str, Any]]:
    """Load the playbook, the case and its facts; open the store and start a call.

    Returns (playbook, store, call_id, counterpart, facts). Shared with the TUI,
    which passes its own open store and loaded playbook.
    """
    from coach.paths import dialogues_dir
    from coach.playbook import facts_from_json, load_playbook, read_facts_file
    from coach.store import Store

    playbook = playbook or load_playbook([args.dialogues or dialogues_dir()])
    facts: dict[str, Any] = {}
    store = store or Store.open()
    case_counterpart = None
    if args.case is not None:
        case = store.case(args.case)
        facts.update(facts_from_json(case.facts, playbook))
        case_counterpart = case.counterpart
    if args.facts is not None:
        if not args.facts.is_file():
            raise CoachError(f"--facts: no such file: {args.facts}")
        facts.update(read_facts_file(args.facts, playbook))
    counterpart = args.counterpart or case_counterpart or "hospital"
    if args.case is None:
        label = " ".join(str(facts[k]) for k in ("creditor", "account_number") if k in facts) or None
        case_id = store.create_case(facts, label, counterpart)
    else:
        case_id = args.case
        if args.facts is not None:
            store.update_case_facts(case_id, facts)
    call_id = store.start_call(case_id, mode, counterpart)
    return playbook, store, call_id, counterpart, facts


def run_plain(args: argparse.Namespace, mode: str, stdin: TextIO, stdout: TextIO) -> int:
    """The line mode: print a turn, read a line, apply it; until /end or end of input."""
    from coach.engine import Session
    from coach.lineinput import apply_line

    if mode == "rehearse" and args.persona:
        from coach.rehearse import Partner

        # a bad --persona or --difficulty fails here, before a call is opened in the store
        Partner(args.counterpart or "hospital", args.persona, args.difficulty, args.seed, {})
    playbook, store, call_id, counterpart, facts = prepare(args, mode)
    session = Session(playbook, counterpart, facts, mode=mode, sink=store.sink_for(call_id))

    def out(text: str = "") -> None:
        stdout.write(text + "\n")
        stdout.flush()

    out(f"coach {mode} · {counterpart} · call {call_id} · type /help for commands")
    partner = None
    if mode == "rehearse":
        from coach.rehearse import Partner

        partner = Partner(counterpart, args.persona, args.difficulty, args.seed, facts)
        out(f"Them ({partner.spec['name']}): {partner.opening()}")
    last_node = ""
    try:
        while not session.finished:
            view = session.view()
            if view.node != last_node:
                out(format_turn(session))
                last_node = view.node
            if view.finished:
                session.end("reached the end")
                break
            stdout.write(prompt_for(session) + " ")
            stdout.flush()
            line = stdin.readline()
            if line == "":  # end of input
                session.end("end of input")
                out()
                break
            outcome = apply_line(session, line)
            if outcome.kind == "error":
                out(f"! {outcome.message}")
            elif outcome.kind == "help":
                out(outcome.message)
            elif outcome.kind == "recorded":
                out(f"  saved: {outcome.message}")
            elif outcome.kind == "moved" and outcome.message:
                out(f"  {outcome.message}")
                last_node = ""
            if partner is not None and outcome.kind in ("moved", "recorded") and not session.finished:
                said = partner.respond(session)
                if said is not None:
                    session.hear(said.text, by="partner")
                    out(f"Them: {said.text}")
        if partner is not None:
            from coach.rehearse import format_scorecard, score

            card = score(session.events, session.facts, counterpart)
            session.record_score(format_scorecard(card), card.as_json())
            out("\n" + format_scorecard(card))
            out(f"Replay this rehearsal: coach rehearse --plain {partner.replay}")
    finally:
        ended = [e for e in session.events if e.kind == "end"]
        outcome_text = ended[-1].text if ended else "interrupted"
        store.end_call(call_id, outcome_text)
        store.close()
    out(format_summary(session, call_id))
    return 0


def prompt_for(session: Any) -> str:
    view = session.view()
    if view.ask is not None:
        return (
            f"{view.ask_prompt}"
            + (f" [{view.ask_current}; Enter keeps it]" if view.ask_current else "")
            + "\n>"
        )
    return ">"


def format_turn(session: Any) -> str:
    """One step as plain text: stage, guidance, the phrase to say, warnings and choices."""
    view = session.view()
    stages = session.playbook.stages
    lines = [
        "",
        f"== {view.stage_title} ({view.stage_index + 1}/{len(stages)})"
        + (f": {view.title}" if view.title else ""),
    ]
    if view.coach:
        lines.append(f"Coach: {view.coach}")
    if view.phrase:
        lines.append(f'Say:   "{view.phrase}"')
    if view.warn:
        lines.append(f"WARNING: {view.warn}")
    if view.sources:
        lines.append("Source: " + "; ".join(view.sources))
    if view.capture:
        commands = ", ".join("/" + session.playbook.notes[k].command for k in view.capture)
        lines.append(f"Record: {commands}")
    for choice in view.choices:
        lines.append(f"  {choice.number}. {choice.label}")
    return "\n".join(lines)


def format_summary(session: Any, call_id: int) -> str:
    """A short end-of-call summary: how far it got and what was captured."""
    notes = [e for e in session.events if e.kind == "note"]
    heard = [e for e in session.events if e.kind == "heard"]
    view = session.view()
    lines = [
        "",
        f"Call {call_id} saved ({session.mode}, {session.counterpart}). "
        f"Reached: {view.stage_title} / {view.node}.",
    ]
    for event in notes:
        label = session.playbook.notes[event.data["kind"]].label
        shown = event.text
        if event.data.get("amount"):
            from decimal import Decimal

            from coach.money import format_money

            shown = format_money(Decimal(str(event.data["amount"])))
        lines.append(f"  {label}: {shown}")
    if heard:
        lines.append(f"  {len(heard)} line(s) heard from the other side.")
    lines.append(f"See it again: coach review {call_id}")
    return "\n".join(lines)

"""``coach live`` and ``coach rehearse``: a call, in the TUI or the plain line mode.

The line mode suits screen readers, scripts and pipes (chosen automatically
when stdin is not a terminal). Everything it prints goes through
:func:`coach.termtext.printable`, so a line typed, heard or imported can never
send a terminal escape. It drives :mod:`coach.calls` exactly as the TUI
does: every line goes to ``Call.submit``, whose events are on disk before the
next prompt prints.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from coach.dialogue.counterparts import CHOICES as COUNTERPARTS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--counterpart",
        choices=COUNTERPARTS,
        help="who is on the other end (default: from the case, else the first in counterparts.yaml)",
    )
    parser.add_argument(
        "--case", type=int, metavar="ID", help="the prepared case to call about (coach case list)"
    )
    parser.add_argument(
        "--facts", type=Path, metavar="FILE.yaml", help="facts from a file (updates its case)"
    )
    parser.add_argument("--resume", type=int, metavar="CALL", help="go on with an interrupted call")
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


def request_from(args: argparse.Namespace, mode: str) -> Any:
    """The typed request a front end opens a call with."""
    from coach.calls import CallRequest

    return CallRequest(
        mode=mode,
        case_id=getattr(args, "case", None),
        counterpart=getattr(args, "counterpart", None),
        facts_file=getattr(args, "facts", None),
        persona=getattr(args, "persona", None),
        difficulty=getattr(args, "difficulty", None) or "normal",
        seed=getattr(args, "seed", None),
        resume=getattr(args, "resume", None),
    )


def run(args: argparse.Namespace) -> int:
    mode = "live" if args.command == "live" else "rehearse"
    from coach.calls import check_request
    from coach.dialogue.playbook import load_playbook
    from coach.paths import dialogues_dir

    # everything that can be wrong with the request fails here, before a screen or a record exists
    check_request(load_playbook([args.dialogues or dialogues_dir()]), request_from(args, mode))
    if args.plain or not sys.stdin.isatty():
        return run_plain(args, mode, sys.stdin, sys.stdout)
    from coach.cli.app import run_app

    return run_app(args, mode=mode)


def run_plain(args: argparse.Namespace, mode: str, stdin: TextIO, stdout: TextIO) -> int:
    """The line mode: print a turn, read a line, apply it; until /end or end of input."""
    from coach.calls import open_call
    from coach.casefile.store import Store
    from coach.dialogue.playbook import load_playbook
    from coach.paths import dialogues_dir

    playbook = load_playbook([args.dialogues or dialogues_dir()])
    store = Store.open()
    try:
        call = open_call(store, playbook, request_from(args, mode))
    except BaseException:
        store.close()
        raise

    from coach.termtext import printable

    def out(text: str = "") -> None:
        """Every line printed passes here: user and file text in it is shown with controls escaped."""
        stdout.write(printable(text, keep_lines=True) + "\n")
        stdout.flush()

    if stdin.isatty():
        # A person at the keyboard: what a line reads first is read while they read the first turn.
        import threading

        from coach.calls import warm_up

        threading.Thread(target=warm_up, name="coach-warm-up", daemon=True).start()
    session = call.session
    out(
        f"coach {mode} · {call.counterpart} · case {call.case_id} · call {call.call_id} · type /help for commands"
    )
    out(format_card(call))
    opening = call.opening()
    if opening is not None and opening.partner is not None:
        out(format_heard(opening.partner))
    last_node = ""
    try:
        while not session.finished:
            view = session.view()
            if view.node != last_node:
                out(format_turn(call))
                last_node = view.node
            if view.finished:
                call.finish("reached the end")
                break
            stdout.write("> ")
            stdout.flush()
            line, replaced = read_line(stdin)
            if line == "":  # end of input
                out()
                call.finish("end of input")
                break
            if replaced:
                out("  (bytes that are not UTF-8 text were read as \ufffd; the rest of the line is kept)")
            turn = call.submit(line)
            if turn.kind == "error":
                out(f"! {turn.message}")
                continue
            if turn.kind == "moved":
                if turn.message:
                    out(f"  {turn.message}")
                last_node = ""
            elif turn.kind == "help" or (turn.kind == "recorded" and turn.message):
                out(f"  {turn.message}" if turn.kind == "recorded" else turn.message)
            if turn.heard is not None:
                out(format_heard(turn.heard))
            if turn.pending is not None:
                out(f"  ? {turn.pending.prompt}")
            if turn.kind == "ended" and turn.message:
                out("\n" + turn.message)
    finally:
        if not session.finished:
            call.finish("interrupted")
        store.close()
    if call.partner is not None:
        out(f"Replay this rehearsal: {call.replay_command()}")
    out(format_summary(call))
    return 0


def read_line(stdin: TextIO) -> tuple[str, bool]:
    """One typed line as text, and whether bytes that are not UTF-8 were replaced on the way.

    Reads the bytes below a real stdin, so one bad byte (a Latin-1 paste, a binary pipe) costs
    that byte, never the call: a text layer's strict decoding would raise and end the call with
    every later line unread, and its surrogate escapes would fail when echoed."""
    raw = getattr(stdin, "buffer", None)
    if raw is not None:
        data = raw.readline()
        try:
            return data.decode("utf-8"), False
        except UnicodeDecodeError:
            return data.decode("utf-8", "replace"), True
    line = stdin.readline()
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:  # surrogate escapes from a text layer
        return line.encode("utf-8", "surrogateescape").decode("utf-8", "replace"), True
    return line, False


def format_card(call: Any) -> str:
    """The case card: the numbers to keep in view."""
    from coach.casefile.casecard import case_card_lines

    return "\n".join(f"  | {line}" for line in case_card_lines(call.session))


def format_heard(event: Any) -> str:
    """A heard line and coach's answer to it: what they said, what to say back, the warning."""
    from coach.session.payloads import HeardData

    data = event.payload
    if not isinstance(data, HeardData):
        data = HeardData()
    who = "Them" if data.by in ("counterpart", "partner") else "You"
    lines = [f'{who}: "{event.text}"']
    if data.weigh:
        lines.append(f"  Their offer: {data.weigh}")
    if data.reply:
        lines.append(f'  Say: "{data.reply}"')
    if data.warning:
        lines.append(f"  WARNING: {data.warning}")
    return "\n".join(lines)


def format_turn(call: Any) -> str:
    """One step as plain text: stage, guidance, the phrase to say, warnings and choices."""
    session = call.session
    view = session.view()
    stages = session.playbook.stages
    lines = [
        "",
        f"== {view.stage_title} ({view.stage_index + 1}/{len(stages)})"
        + (f": {view.title}" if view.title else ""),
    ]
    if view.phrase:
        lines.append(f'Say:   "{view.phrase}"')
    if view.coach:
        lines.append(f"Coach: {view.coach}")
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


def format_summary(call: Any) -> str:
    """A short end-of-call summary: how far it got and what was recorded."""
    from decimal import Decimal

    from coach.money.amounts import format_money
    from coach.session.payloads import NoteData

    session = call.session
    notes = [e for e in session.events if e.kind == "note"]
    heard = [e for e in session.events if e.kind == "heard"]
    view = session.view()
    lines = [
        "",
        f"Call {call.call_id} saved ({session.mode}, {session.counterpart}). Reached: {view.stage_title}"
        + (f" / {view.title}" if view.title else "")
        + ".",
    ]
    for event in notes:
        note = event.payload
        if not isinstance(note, NoteData):
            continue
        label = session.playbook.notes[str(note.kind)].label
        shown = event.text
        if note.amount:
            shown = format_money(Decimal(str(note.amount)))
            shown += " a month" if note.monthly else ""
        lines.append(f"  {label}: {shown}")
    if heard:
        lines.append(f"  {len(heard)} line(s) heard from the other side.")
    lines.append(f"See it again: coach review {call.call_id}")
    if any(isinstance(e.payload, NoteData) and e.payload.kind == "agreed" for e in notes):
        lines.append(
            f"Confirm it in writing: coach letter confirmation --case {call.case_id} --call {call.call_id}"
        )
    return "\n".join(lines)

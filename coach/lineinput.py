"""What a typed line means during a call, shared by the line mode and the TUI.

A number picks a choice; ``/rep NAME``, ``/ref NUMBER``, ``/offer AMOUNT``,
``/note TEXT`` (and the other note commands the playbook declares), ``/back``,
``/help``, ``/end``, ``/set FACT VALUE`` are commands; at a question the line
is the answer; any other line is what the other side said.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from coach.engine import Session
from coach.errors import CoachError

OutcomeKind = Literal["moved", "recorded", "help", "ended", "error"]

BUILTIN_COMMANDS = {
    "back": "undo the last step (a mis-tap)",
    "undo": "same as /back",
    "set": "change a fact: /set balance 2400",
    "facts": "list what coach knows about this bill",
    "help": "show this help",
    "end": "end the call and save it",
}


@dataclass(frozen=True)
class Outcome:
    """What happened to a line; ``message`` is one line to show (may be empty)."""

    kind: OutcomeKind
    message: str = ""


def help_text(session: Session) -> str:
    """The commands available in this playbook, one per line."""
    lines = ["  NUMBER        pick a choice (Enter alone continues when there is one)"]
    for note in session.playbook.notes.values():
        lines.append(f"  /{note.command:<12} record: {note.label.lower()}")
    for name, about in BUILTIN_COMMANDS.items():
        lines.append(f"  /{name:<12} {about}")
    lines.append("  anything else  what the other side said (recorded word for word)")
    return "\n".join(lines)


def apply_line(session: Session, line: str) -> Outcome:
    """Apply one typed line to the session; user mistakes come back as an error Outcome."""
    try:
        return _apply(session, line)
    except CoachError as error:
        return Outcome("error", " ".join(str(error).split()))  # one line, even if the user typed several


def _apply(session: Session, line: str) -> Outcome:
    text = line.strip()
    if session.finished:
        raise CoachError("the call has ended")
    if text.startswith("/"):
        return _command(session, text[1:])
    view = session.view()
    asking = view.ask is not None and not view.finished
    if asking and (view.ask_current == "" or not _is_pick(text, len(view.choices))):
        return _answer(session, text)
    if text == "":
        if len(view.choices) == 1:
            session.choose(1)
            return Outcome("moved")
        raise CoachError("type a number to choose, what they said, or /help")
    if text.isdecimal():
        session.choose(int(text))
        return Outcome("moved")
    event = session.hear(text)
    return Outcome("recorded", heard_message(event.data))


def heard_message(data: dict[str, object]) -> str:
    """What coach makes of a heard line: its meaning, what to say back, any warning."""
    parts = []
    intent = data.get("intent")
    if intent and intent != "unknown":
        parts.append(f"heard ({str(intent).replace('_', ' ')})")
    else:
        parts.append("saved what they said")
    if data.get("weigh"):
        parts.append(str(data["weigh"]))
    if data.get("reply"):
        parts.append(f'Say: "{data["reply"]}"')
    if data.get("warning"):
        parts.append(f"WARNING: {data['warning']}")
    return "\n  ".join(parts)


def _is_pick(text: str, count: int) -> bool:
    return text == "" or (text.isdecimal() and 1 <= int(text) <= count)


def _answer(session: Session, text: str) -> Outcome:
    view = session.view()
    assert view.ask is not None
    spec = session.playbook.facts[view.ask]
    if text == "":
        if spec.required and view.ask_current == "":
            raise CoachError(f"{view.ask}: this is needed to go on; type the answer")
    else:
        session.answer(text)
    if len(session.view().choices) == 1:
        session.choose(1)
    return Outcome("moved")


def _command(session: Session, body: str) -> Outcome:
    name, _, arg = body.partition(" ")
    name, arg = name.lower(), arg.strip()
    for kind, note in session.playbook.notes.items():
        if note.command == name:
            session.note(kind, arg)
            return Outcome("recorded", f"{note.label}: {arg}")
    if name in ("back", "undo"):
        session.undo()
        return Outcome("moved", "went back one step")
    if name == "help":
        return Outcome("help", help_text(session))
    if name == "end":
        session.end("ended by user")
        return Outcome("ended")
    if name == "facts":
        known = session.facts
        if not known:
            return Outcome("help", "no facts yet")
        from coach.engine import show_value

        return Outcome(
            "help",
            "\n".join(
                f"  {k}: {show_value(session.playbook.facts[k].type, v)}" for k, v in sorted(known.items())
            ),
        )
    if name == "set":
        fact, _, value = arg.partition(" ")
        if not fact or not value.strip():
            raise CoachError("/set: type a fact and a value, like /set balance 2400")
        session.set_fact(fact, value)
        return Outcome("recorded", f"{fact} set")
    raise CoachError(f"/{name}: unknown command (type /help)")

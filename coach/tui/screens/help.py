"""The help screen: every key, read from the bindings themselves, and the input line's commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

if TYPE_CHECKING:
    from coach.tui.app import CoachApp

EXTRA = {
    "call": [
        ("1-9", "pick a choice (when the input line is empty; a line starting with a space or $ is typed)"),
        ("10, 11 …", "type the number, then Enter (with ten or more choices, 1 waits for Enter too)"),
        ("Enter", "send the input line; alone: record the number coach just heard, or go on"),
        ("↓ / ↑", "scroll the choices when some are out of view"),
        ("PgDn / PgUp", "scroll the big box (the phrase or the reply)"),
        ("any words", "what they said (live) or what you say (rehearse): saved, never a fact"),
    ],
    "prepare": [
        ("1 / 2", "Yes / No (and the numbered choices of a question)"),
        ("Enter", "send the answer; alone, skip a question you can't answer yet"),
    ],
    "plan": [
        ("1", "start the live call (it opens on the first thing to say)"),
        ("2", "rehearse first: pick who they are and how hard"),
        ("3", "save the plan as one printable HTML page"),
        ("4", "prepare again"),
    ],
    "home": [
        ("1-9", "pick: prepare a case (1), call now (2), review (3), an interrupted call or a case"),
        ("Enter", "open the highlighted"),
    ],
}
FOOTNOTE = (
    "Everything is saved the moment you type it.\n"
    "coach is not a lawyer: if you have been sued, contact legal aid first."
)


def keys(bindings: list[Binding]) -> list[tuple[str, str]]:
    """(keys, description) for each binding that has a description, digit bindings left out."""
    rows = []
    for binding in bindings:
        if not binding.description or binding.key.isdigit():
            continue
        shown = " / ".join(
            k.replace("ctrl+", "ctrl+").replace("question_mark", "?") for k in binding.key.split(",")
        )
        description = binding.tooltip or binding.description
        rows.append((shown, description))
    return rows


def table_of(rows: list[tuple[str, str]]) -> Table:
    table = Table(box=None, show_header=False, expand=True, pad_edge=False)
    table.add_column("key", width=16, no_wrap=True, style="bold")
    table.add_column("what", ratio=1)
    for key, description in rows:
        table.add_row(Text(key), Text(description))
    return table


class HelpScreen(ModalScreen[None]):
    """F1 or ? (where no input line has focus); Escape closes."""

    BINDINGS = [Binding("escape,f1,q,question_mark", "dismiss", "Close", id="help.close")]

    @property
    def coach(self) -> CoachApp:
        return cast("CoachApp", self.app)

    def compose(self) -> ComposeResult:
        from coach.tui.app import CoachApp
        from coach.tui.screens.call import CallScreen
        from coach.tui.screens.home import HomeScreen
        from coach.tui.screens.prepare import PlanScreen, PrepareScreen
        from coach.tui.screens.review import LetterScreen, ReviewScreen

        self.sections: list[tuple[str, list[tuple[str, str]]]] = [
            ("During a call", EXTRA["call"] + keys(cast(list[Binding], CallScreen.BINDINGS))),
            ("The input line during a call", self.commands()),
            ("Home", EXTRA["home"] + keys(cast(list[Binding], HomeScreen.BINDINGS))),
            ("Prepare a case", EXTRA["prepare"] + keys(cast(list[Binding], PrepareScreen.BINDINGS))),
            ("The call plan", EXTRA["plan"] + keys(cast(list[Binding], PlanScreen.BINDINGS))),
            ("Review", keys(cast(list[Binding], ReviewScreen.BINDINGS))),
            ("A letter", keys(cast(list[Binding], LetterScreen.BINDINGS))),
            (
                "Everywhere",
                [
                    *keys(cast(list[Binding], CoachApp.BINDINGS)),
                    ("ctrl+p", "command palette: every action by name"),
                ],
            ),
        ]
        with VerticalScroll(id="help-box", classes="dialog"):
            for title, rows in self.sections:
                yield Static(title, classes="help-heading", markup=False)
                yield Static(table_of(rows), classes="help-keys")
            yield Static(FOOTNOTE, classes="dialog-hint", markup=False)

    def commands(self) -> list[tuple[str, str]]:
        from coach.calls import BUILTIN_COMMANDS

        rows = []
        try:
            notes = self.coach.playbook.notes
        except Exception:  # a broken playbook must not break help
            notes = {}
        for note in notes.values():
            rows.append((f"/{note.command} …", f"record: {note.label.lower()}"))
        rows += [(f"/{name}", about) for name, about in BUILTIN_COMMANDS.items()]
        rows.append(("anything else", "what the other side said (recorded word for word)"))
        return rows

    def on_mount(self) -> None:
        self.query_one("#help-box").border_title = "Keys (Escape closes)"

    def plain_text(self, width: int = 100) -> str:
        """Every section as plain text (for tests, and for anyone reading the screen as text)."""
        from coach.tui.plain import plain_text

        return "".join(f"{title}\n{plain_text(table_of(rows), width)}\n" for title, rows in self.sections)

"""The help screen: every key, and what the input line understands."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

HELP = """\
During a call
  1-9            pick a choice (when the input line is empty)
  Enter          send the input line; alone, continue when there is one way on
  ctrl+z         undo the last step (a mis-tap)
  ctrl+r         record the rep's name        (/rep NAME)
  ctrl+f         record a reference number    (/ref NUMBER)
  ctrl+o         record an amount offered     (/offer AMOUNT)
  ctrl+y         copy the phrase to say
  F10 / ctrl+g   end and save the call, then review it
  /note TEXT  /promise TEXT  /deadline TEXT  /repid ID  /set FACT VALUE  /facts  /help

  Any other line is recorded, word for word, as what the other side said.

Home
  1-3            live call with a hospital, doctor's office, collection agency
  4-6            rehearse with the same       7   review saved calls

Everywhere
  F1             this help            ctrl+p   command palette
  Escape         back                 ctrl+q   quit

Everything you type is saved before the screen changes.
coach is not a lawyer: if you have been sued, contact legal aid first.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(HELP, markup=False)

    def on_mount(self) -> None:
        self.query_one("#help-box").border_title = "Keys (Escape closes)"

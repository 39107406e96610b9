"""Small typed dialogs: yes/no, a text to read, a path to save to."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class ConfirmScreen(ModalScreen[bool]):
    """Enter (or y) says yes, Escape (or n) says no."""

    BINDINGS = [
        Binding("enter,y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("escape,n", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, hint: str = "Enter: yes · Escape: no") -> None:
        super().__init__()
        self.question, self.hint = question, hint

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="dialog"):
            yield Static(self.question, id="confirm-question", markup=False)
            yield Static(self.hint, classes="dialog-hint", markup=False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class TextScreen(ModalScreen[None]):
    """A text to read (the input line's /help and /facts); Escape closes."""

    BINDINGS = [Binding("escape,enter,f1", "dismiss", "Close", id="text.close")]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text, self.text = title, text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="text-box", classes="dialog"):
            yield Static(self.text, id="text-body", markup=False)

    def on_mount(self) -> None:
        self.query_one("#text-box").border_title = f"{self.title_text} (Escape closes)"


class SavePathScreen(ModalScreen[Path | None]):
    """Ask where to save; Enter saves there, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="save.cancel")]

    def __init__(self, title: str, default: Path, hint: str = "") -> None:
        super().__init__()
        self.title_text, self.default, self.hint = title, default, hint

    def compose(self) -> ComposeResult:
        with Vertical(id="save-box", classes="dialog"):
            yield Static(self.title_text, markup=False)
            yield Input(str(self.default), id="save-path")
            yield Static(self.hint or "Enter saves · Escape cancels", classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#save-path", Input).focus()

    @on(Input.Submitted, "#save-path")
    def chosen(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        self.dismiss(Path(text).expanduser() if text else None)

    def action_cancel(self) -> None:
        self.dismiss(None)

"""Small typed dialogs: yes/no, a text to read, a path to save to."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from coach.tui.plain import literal


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
            yield Static(literal(self.question), id="confirm-question", markup=False)
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
            yield Static(literal(self.text), id="text-body", markup=False)

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


class ChooseScreen(ModalScreen[str | None]):
    """Pick one of a few options: its number key, or arrows and Enter; Escape cancels."""

    BINDINGS = [
        *[Binding(str(n), f"number({n})", show=False, id=f"choose.pick{n}") for n in range(1, 10)],
        Binding("escape", "cancel", "Cancel", id="choose.cancel"),
    ]

    def __init__(self, title: str, options: Sequence[tuple[str, str]], hint: str = "") -> None:
        super().__init__()
        self.title_text, self.options, self.hint = title, list(options), hint

    def compose(self) -> ComposeResult:
        from rich.text import Text

        from coach.tui.widgets.menu import Entry, Menu

        entries = [Entry(key, Text(f"{n}  {label}")) for n, (key, label) in enumerate(self.options, 1)]
        with Vertical(id="choose-box", classes="dialog"):
            yield Static(self.title_text, id="choose-title", markup=False)
            yield Menu(entries, id="choose-menu")
            yield Static(
                self.hint or "Press a number (or arrows and Enter) · Escape: back",
                classes="dialog-hint",
                markup=False,
            )

    def on_mount(self) -> None:
        from coach.tui.widgets.menu import Menu

        self.query_one(Menu).focus()

    def action_number(self, number: int) -> None:
        if 1 <= number <= len(self.options):
            self.dismiss(self.options[number - 1][0])

    def on_menu_selected(self, event: Message) -> None:
        self.dismiss(getattr(event, "id", None))

    def action_cancel(self) -> None:
        self.dismiss(None)


class AskScreen(ModalScreen[str | None]):
    """One typed answer, checked as typed: a bad entry gets one clear line and the dialog stays."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="ask.cancel")]

    def __init__(
        self, question: str, check: Callable[[str], str | None] | None = None, hint: str = ""
    ) -> None:
        super().__init__()
        self.question, self.check, self.hint = question, check, hint

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-box", classes="dialog"):
            yield Static(literal(self.question), id="ask-question", markup=False)
            yield Input(id="ask-line")
            yield Static("", id="ask-error", markup=False)
            yield Static(self.hint or "Enter: next · Escape: back", classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#ask-error").display = False
        self.query_one("#ask-line", Input).focus()

    @on(Input.Submitted, "#ask-line")
    def answered(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        problem = self.check(text) if self.check else None
        if problem:
            error = self.query_one("#ask-error", Static)
            error.update(literal(f"! {problem}"))
            error.display = True
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)

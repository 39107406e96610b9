"""Review: the saved calls, one call's timeline and capture fields, letters and exports."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from coach.errors import CoachError
from coach.export import render_call
from coach.letters import letter_kinds, write_letter
from coach.paths import data_dir, write_private
from coach.playbook import Playbook, facts_from_json
from coach.review import load_review
from coach.store import Store


class LetterScreen(ModalScreen[None]):
    """A letter preview; s saves it next to the exports."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="letter.close"),
        Binding("s", "save", "Save", id="letter.save"),
    ]

    def __init__(self, kind: str, text: str, path: Path) -> None:
        super().__init__()
        self.kind, self.text, self.path = kind, text, path

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="letter-box"):
            yield Static(self.text, markup=False, id="letter-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#letter-box").border_title = f"Letter: {self.kind} (s saves, Escape closes)"

    def action_save(self) -> None:
        write_private(self.path, self.text)
        self.notify(f"Saved {self.path}")


class ReviewScreen(Screen[None]):
    """Calls on the left; the chosen call's review on the right."""

    BINDINGS = [
        Binding("escape", "app.go_home", "Home", id="review.home"),
        Binding("m", "export('markdown')", "Markdown", id="review.markdown"),
        Binding("h", "export('html')", "HTML", id="review.html"),
        Binding("j", "export('json')", "JSON", id="review.json"),
        Binding("l", "letters", "Letters", id="review.letters"),
        Binding("f1", "app.help", "Help", id="review.help"),
    ]

    def __init__(self, store: Store, playbook: Playbook, call_id: int | None = None) -> None:
        super().__init__()
        self.store = store
        self.playbook = playbook
        self.call_id = call_id

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="review-body"):
            yield OptionList(id="call-list")
            with VerticalScroll(id="review-pane"):
                yield Static("", id="review-text", markup=False)
            yield OptionList(id="letter-list")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Review"
        calls = list(reversed(self.store.calls()))
        options = self.query_one("#call-list", OptionList)
        options.border_title = "Calls"
        for call in calls:
            options.add_option(Option(f"{call.id:>3} {call.mode:<8} {call.counterpart}", id=str(call.id)))
        letters = self.query_one("#letter-list", OptionList)
        letters.border_title = "Letters (l)"
        for kind in letter_kinds().values():
            letters.add_option(Option(kind.name, id=kind.name))
        letters.display = False
        if not calls:
            self.query_one("#review-text", Static).update("No calls saved yet. Press Escape and start one.")
            return
        chosen = self.call_id or calls[0].id
        self.show_call(chosen)
        options.highlighted = next(i for i, c in enumerate(calls) if c.id == chosen)
        options.focus()

    def show_call(self, call_id: int) -> None:
        self.call_id = call_id
        self.query_one("#review-text", Static).update(render_call(self.store, call_id, "text"))
        self.query_one("#review-pane").border_title = f"Call {call_id}"

    @on(OptionList.OptionHighlighted, "#call-list")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.show_call(int(event.option.id))

    def exports_dir(self) -> Path:
        return data_dir() / "exports"

    def action_export(self, fmt: str) -> None:
        if self.call_id is None:
            return
        suffix = {"markdown": "md", "html": "html", "json": "json"}[fmt]
        path = self.exports_dir() / f"call-{self.call_id}.{suffix}"
        write_private(path, render_call(self.store, self.call_id, fmt))
        self.notify(f"Saved {path}")

    def action_letters(self) -> None:
        letters = self.query_one("#letter-list", OptionList)
        letters.display = True
        if letters.highlighted is None:
            letters.highlighted = 0
        letters.focus()

    @on(OptionList.OptionSelected, "#letter-list")
    def letter_chosen(self, event: OptionList.OptionSelected) -> None:
        if self.call_id is None or not event.option.id:
            return
        review = load_review(self.store, self.call_id)
        facts = facts_from_json(review.case.facts, self.playbook) if review.case else {}
        kind = event.option.id
        try:
            text = write_letter(
                kind,
                self.playbook,
                facts,
                review.call.counterpart,
                review,
                review.case.id if review.case else None,
            )
        except CoachError as error:
            self.notify(str(error), severity="error", timeout=8)
            return
        self.app.push_screen(
            LetterScreen(kind, text, self.exports_dir() / f"letter-{kind}-call-{self.call_id}.txt")
        )

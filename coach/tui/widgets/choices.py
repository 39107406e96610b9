"""The numbered choices of a step: keys 1-9 or a click pick one."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from coach.session.engine import ChoiceView
from coach.tui.plain import literal
from coach.tui.widgets.onepass import OnePass

MAX_CHOICES = 9  # keys 1-9


class ChoiceItem(OnePass, Static):
    """One choice; its number on a reversed badge, its label as plain text (never markup)."""

    def __init__(self, **kwargs: str) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]
        self.number = 0
        self.shown: tuple[int, str] | bool | None = (
            False  # what the item shows now (None: hidden; False: not yet)
        )

    def show(self, choice: ChoiceView | None) -> None:
        """Show ``choice`` (None hides the item); the same choice again costs nothing (no layout)."""
        shown = None if choice is None else (choice.number, choice.label)
        if shown == self.shown:
            return
        self.shown = shown
        self.display = choice is not None
        if choice is None:
            return
        self.number = choice.number
        line = Text()
        line.append(f" {choice.number} ", style="bold reverse")
        line.append(" ")
        line.append(choice.label)
        self.update(literal(line, keep_lines=False))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(ChoicesList.Picked(self.number))


class ChoicesList(OnePass, VerticalScroll, can_focus=False):
    """Up to nine choices, then a dim line with what to record here, or the end-of-call hint."""

    class Picked(Message):
        """A choice was clicked."""

        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    @property
    def allow_vertical_scroll(self) -> bool:
        """The wheel scrolls the list though it draws no scrollbar (the "more choices" line says so)."""
        return self.max_scroll_y > 0

    hint: str | None = None  # the dim line shown after the choices (None: not drawn yet)

    def compose(self) -> ComposeResult:
        for _ in range(MAX_CHOICES):
            yield ChoiceItem(classes="choice")
        yield Static("", id="choices-hint", markup=False)

    def show(self, choices: Sequence[ChoiceView], hint: str = "") -> None:
        """Every choice (the list scrolls when they do not fit), then the hint."""
        items = list(self.query(ChoiceItem))
        if len(choices) > len(items):  # a step with more than nine: all of them, typed as number + Enter
            hint_widget = self.query_one("#choices-hint", Static)
            extra = [ChoiceItem(classes="choice") for _ in range(len(choices) - len(items))]
            self.mount_all(extra, before=hint_widget)
            items += extra
        for index, item in enumerate(items):
            item.show(choices[index] if index < len(choices) else None)
        if hint != self.hint:
            self.hint = hint
            hint_widget = self.query_one("#choices-hint", Static)
            hint_widget.update(literal(hint))
            hint_widget.display = bool(hint)
        self.scroll_home(animate=False)

    @property
    def hidden_below(self) -> bool:
        """Some choices are out of view (the screen shows a hint then)."""
        return self.max_scroll_y > self.scroll_y

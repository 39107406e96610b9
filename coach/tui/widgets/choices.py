"""The numbered choices of a step: keys 1-9 or a click pick one."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from coach.session.engine import ChoiceView
from coach.tui.plain import literal
from coach.tui.widgets.onepass import OnePass


class ChoiceLines(OnePass, Static):
    """Every choice, one after another; its number on a reversed badge, its label as plain text (never markup).

    One widget for the whole list, not one per choice: a step's layout and frame then measure,
    arrange and paint one widget where there were up to a dozen (about a fifth of a step's work
    with twelve choices). A long label wraps onto the next row, as before; a click picks the
    choice on the clicked row."""

    def __init__(self, **kwargs: str) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]
        self.shown: tuple[tuple[int, str], ...] | None = None  # what the list shows now (None: not yet)
        self.lines: list[Text] = []  # one per choice, as shown

    def show(self, choices: Sequence[ChoiceView]) -> None:
        """Show ``choices``; the same choices again cost nothing (no layout)."""
        shown = tuple((choice.number, choice.label) for choice in choices)
        if shown == self.shown:
            return
        self.shown = shown
        self.lines = []
        for choice in choices:
            line = Text()
            line.append(f" {choice.number} ", style="bold reverse")
            line.append(" ")
            line.append(choice.label)
            self.lines.append(literal(line, keep_lines=False))
        self.update(Text("\n").join(self.lines))
        self.display = bool(choices)

    def number_at(self, row: int) -> int | None:
        """The number of the choice drawn on ``row`` (0 is the list's first row), wrapped as it is drawn."""
        width = self.content_size.width
        if row < 0 or not width or self.shown is None:
            return None
        for (number, _), line in zip(self.shown, self.lines, strict=True):
            rows = len(Content.from_rich_text(line).wrap(width))
            if row < rows:
                return number
            row -= rows
        return None

    def on_click(self, event: events.Click) -> None:
        event.stop()
        number = self.number_at(event.y)
        if number is not None:
            self.post_message(ChoicesList.Picked(number))


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
        yield ChoiceLines(classes="choice")
        yield Static("", id="choices-hint", markup=False)

    def show(self, choices: Sequence[ChoiceView], hint: str = "") -> None:
        """Every choice (the list scrolls when they do not fit), then the hint."""
        self.query_one(ChoiceLines).show(choices)
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

"""A light list to pick from: one line per entry, arrows and Enter, or a click.

Home uses it for its start menu, cases and calls. It draws one Text, which
costs a fraction of an OptionList at start-up (home's first frame is measured:
scripts/bench_startup.py). Entries are never read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from coach.tui.plain import literal


@dataclass(frozen=True)
class Entry:
    """One line: its id (None: a note that cannot be picked) and what it shows."""

    id: str | None
    prompt: Text


class Menu(Widget, can_focus=True):
    """Entries one per line; the highlighted one is lit; Enter or a click selects it."""

    DEFAULT_CSS = """
    Menu { height: auto; text-wrap: nowrap; text-overflow: ellipsis; }
    """
    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("home", "move(-1000)", "First", show=False),
        Binding("end", "move(1000)", "Last", show=False),
        Binding("pageup", "move(-10)", "Page up", show=False),
        Binding("pagedown", "move(10)", "Page down", show=False),
        Binding("enter", "select", "Select", show=False),
    ]

    highlighted: reactive[int | None] = reactive[int | None](None)

    @dataclass
    class Selected(Message):
        """An entry was chosen (Enter or a click)."""

        menu: Menu
        index: int
        id: str

        @property
        def control(self) -> Menu:
            return self.menu

    @dataclass
    class Highlighted(Message):
        """The highlight moved to an entry."""

        menu: Menu
        index: int
        id: str

        @property
        def control(self) -> Menu:
            return self.menu

    def __init__(self, entries: Sequence[Entry] = (), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[Entry] = list(entries)

    # -- content ---------------------------------------------------------------

    def set_entries(self, entries: Sequence[Entry], keep: str | None = None) -> None:
        """Replace the entries; the highlight stays on the entry with id ``keep`` if there is one."""
        self.entries = list(entries)
        ids = [entry.id for entry in self.entries]
        self.highlighted = ids.index(keep) if keep in ids else None
        self.refresh(layout=True)

    @property
    def entry_count(self) -> int:
        return len(self.entries)

    @property
    def highlighted_id(self) -> str | None:
        index = self.highlighted
        return self.entries[index].id if index is not None and index < len(self.entries) else None

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self.entries))

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, entry in enumerate(self.entries):
            if index:
                text.append("\n")
            line = literal(entry.prompt, keep_lines=False)  # a copy; user text drawn literally
            if entry.id is None:
                line.stylize("dim italic")
            if index == self.highlighted:
                line.stylize("reverse bold" if self.has_focus else "bold")
            text.append_text(line)
        return text

    # -- moving and choosing ------------------------------------------------------

    def on_focus(self) -> None:
        if self.highlighted is None:
            self.action_move(1)
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def watch_highlighted(self, index: int | None) -> None:
        self.refresh()
        if index is None:
            return
        if isinstance(self.parent, Widget):  # keep the line in view when the menu sits in a scrolling box
            self.parent.scroll_to_region(Region(0, self.virtual_region.y + index, 1, 1), animate=False)
        entry = self.entries[index] if index < len(self.entries) else None
        if entry is not None and entry.id is not None:
            self.post_message(self.Highlighted(self, index, entry.id))

    def action_move(self, step: int) -> None:
        pickable = [i for i, entry in enumerate(self.entries) if entry.id is not None]
        if not pickable:
            return
        current = self.highlighted
        if current is None:
            self.highlighted = pickable[0] if step > 0 else pickable[-1]
            return
        if step > 0:
            later = [i for i in pickable if i > current]
            self.highlighted = later[min(step, len(later)) - 1] if later else current
        else:
            earlier = [i for i in pickable if i < current]
            self.highlighted = earlier[max(step, -len(earlier))] if earlier else current

    def action_select(self) -> None:
        index = self.highlighted
        if index is None or index >= len(self.entries):
            return
        entry = self.entries[index]
        if entry.id is not None:
            self.post_message(self.Selected(self, index, entry.id))

    def on_click(self, event: events.Click) -> None:
        index = event.y
        if 0 <= index < len(self.entries) and self.entries[index].id is not None:
            self.highlighted = index
            self.action_select()

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
from textual.strip import Strip
from textual.visual import Visual, visualize
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
        self._painting: dict[int, Strip] = {}  # lines of the crop being painted, drawn together
        self._crop_end = 0  # while painting: the line below the crop

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

    def line(self, index: int) -> Text:
        """Entry ``index`` as drawn: literal text, a note dimmed, the highlighted entry lit."""
        entry = self.entries[index]
        line = literal(entry.prompt, keep_lines=False)  # a copy; user text drawn literally
        line.no_wrap, line.overflow = True, "ellipsis"
        if entry.id is None:
            line.stylize("dim italic")
        if index == self.highlighted:
            line.stylize("reverse bold" if self.has_focus else "bold")
        return line

    def lines(self, start: int, stop: int) -> Text:
        """Entries ``start`` to ``stop`` (not included), one a line."""
        text = Text(no_wrap=True, overflow="ellipsis")
        for index in range(start, stop):
            if index > start:
                text.append("\n")
            text.append_text(self.line(index))
        return text

    def render(self) -> Text:
        """Every entry, one a line (what a reader of the widget gets; painting draws only the lines in view)."""
        return self.lines(0, len(self.entries))

    # A list longer than its scrolling box (home's recent calls: 50 with 100 calls stored) is painted only
    # where it shows, the lines in view styled together as Textual styles the whole text: before, the
    # first frame styled every line (about 0.2 ms each) to show the ten in view.

    def render_lines(self, crop: Region) -> list[Strip]:
        self._painting, self._crop_end = {}, crop.bottom
        try:
            return super().render_lines(crop)
        finally:
            self._painting, self._crop_end = {}, 0

    def render_line(self, y: int) -> Strip:
        """Line ``y`` exactly as Textual draws it from :meth:`render` (painting: with the rest of the crop)."""
        strip = self._painting.get(y)
        if strip is not None:
            return strip
        if not 0 <= y < len(self.entries):
            return super().render_line(y)  # no entries: Textual's empty line; below the last: blank
        stop = min(len(self.entries), max(y + 1, self._crop_end))
        visual = visualize(self, self.lines(y, stop), markup=False)
        strips = Visual.to_strips(self, visual, self.size.width, stop - y, self.visual_style)
        if len(strips) != stop - y:  # no width
            return super().render_line(y)
        # each cell's offset (text selection reads them) as in the whole text: line y + index
        rows = {y + n: row.apply_offsets(0, y + n) if y + n else row for n, row in enumerate(strips)}
        if self._crop_end:  # painting: the other lines of the crop come next
            self._painting = rows
        return rows[y]

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

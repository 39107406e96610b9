"""The one input line of a call: a choice number picks at once, anything else is sent with Enter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input

SCREEN_KEYS = frozenset(
    {"ctrl+z", "ctrl+y", "f10", "ctrl+g", "escape", "f1"}
)  # the call screen's, not the line's


class CallInput(Input):
    """An Input where a lone choice number typed into an empty line picks that choice straight away.

    That keeps a live call to one key per step, while longer lines ("they said
    60 percent", "/rep Dana") are typed and sent with Enter as usual (as a
    ``Line`` message, taken at the Enter key, so fast typing never runs two lines together). Only the
    numbers of open choices pick (``picks`` of them); while a question waits for
    its answer, ``picks`` is 0 and digits are typed. With ten or more choices a
    lone 1 waits for Enter (it may start 10). A line that starts with a space or
    ``$`` is always typed.
    """

    class Pick(Message):
        """The user pressed a choice number."""

        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    class Prefilled(Message):
        """A quick key started a capture command (ctrl+r, ctrl+f, ctrl+o): ``kind`` is its note kind."""

        def __init__(self, kind: str) -> None:
            super().__init__()
            self.kind = kind

    class Line(Message):
        """The user pressed Enter: the line as it was at that key (the input is empty again)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    # Input's own up/down/page keys scroll the one-line input (nothing to see): here they scroll the screen's
    # choices and its big box, which every screen using this line provides (scroll_choices, scroll_say).
    BINDINGS = [
        Binding("down", "screen.scroll_choices(1)", show=False, id="line.down"),
        Binding("up", "screen.scroll_choices(-1)", show=False, id="line.up"),
        Binding("pagedown", "screen.scroll_say(1)", show=False, id="line.pagedown"),
        Binding("pageup", "screen.scroll_say(-1)", show=False, id="line.pageup"),
    ]

    picks = 9
    quick: dict[str, tuple[str, str]] = {}  # key -> (note kind, "/command "), set by the call screen
    deliver: Callable[[CallInput.Line | CallInput.Pick], object] | None = None  # see _to_screen

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._empty_rows: dict[tuple[object, ...], Strip] = {}  # see render_line

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            # Taken here, in key order: Input's own Enter is a binding that runs only after the key has
            # bubbled up to the app, by which time keys typed after Enter are already in the line.
            event.stop()
            event.prevent_default()
            line = self.value
            # Cleared without Input.Changed: nobody listens to it, and it would be one more message to pass.
            with self.prevent(Input.Changed):
                self.value = ""
            self._to_screen(self.Line(line))
            return
        if event.key in self.quick:
            # In key order too: letters typed right after the quick key land after the command.
            kind, command = self.quick[event.key]
            event.stop()
            event.prevent_default()
            self.start_command(command)
            self.post_message(self.Prefilled(kind))
            return
        character = event.character
        if (
            self.value == ""
            and character
            and character.isdigit()
            and 1 <= int(character) <= self.picks
            and not (character == "1" and self.picks >= 10)  # 1 could start 10, 11 ...: it waits for Enter
        ):
            event.stop()
            event.prevent_default()
            self._to_screen(self.Pick(int(character)))
            return
        if not event.is_printable and event.key in SCREEN_KEYS:
            # A key for the screen (undo, end, ...): Input would only restart its cursor's blink, a frame of
            # its own painted just before the step's (two frames for one key). Input's own handler runs after
            # this one unless the default is prevented; the key still goes on to the screen's bindings.
            event.prevent_default()
            return
        await super()._on_key(event)

    def render_line(self, y: int) -> Strip:
        """Input's own row, kept for the empty line: after each Enter it shows the same placeholder again.

        Rich renders the placeholder afresh each time (about half a millisecond of a step's frame);
        the row depends only on what the key holds, so it is worked out once per such state."""
        if y != 0 or self.value:
            return super().render_line(y)
        key = (self.placeholder, self.has_focus, self._cursor_visible, self.scrollable_content_region.width)
        row = self._empty_rows.get(key)
        if row is None:
            if len(self._empty_rows) > 16:
                self._empty_rows.clear()
            row = self._empty_rows[key] = super().render_line(y)
        return row

    def notify_style_update(self) -> None:
        self._empty_rows.clear()  # a theme change colours the placeholder and the cursor again
        super().notify_style_update()

    def _to_screen(self, message: Line | Pick) -> None:
        """Hand ``message`` to whoever acts on it: ``deliver`` at once if set, else the screen's queue.

        A message bubbles through this widget's queue, then the screen's, before the step runs:
        about half a millisecond of a live call's step (measured in tmux). The call screen sets
        ``deliver`` so a step runs in the key's own handler; other screens take the message."""
        if self.deliver is not None:
            self.deliver(message)
        else:
            self.screen.post_message(message)

    def _watch_value(self, value: str) -> None:
        """Input's own watcher, without the layout of the whole screen it asks for on each change.

        It stores the text's width as the line's virtual size, a reactive that lays the screen out
        again (a tenth of a step's time, for the Enter that clears the line). The line is one row
        whatever it holds: its scroll range is updated here and the screen is not laid out."""
        size = Size(self.content_width, 1)
        if size != self.virtual_size:
            self.set_reactive(Widget.virtual_size, size)
            self._scroll_update(size)  # what a layout would do for it (Textual 8.x)
        super()._watch_value(value)  # it sets the same size again: no change, no layout

    def start_command(self, command: str) -> None:
        """Put ``command`` first in the line, keeping what was typed (unless it was another command)."""
        typed = self.value.strip()
        self.value = command + ("" if typed.startswith("/") else typed)
        self.cursor_position = len(self.value)

"""The status line of a call: the last turn's one message, kept until the next action (never a toast)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from coach.tui.plain import literal
from coach.tui.widgets.onepass import OnePass


class StatusLine(OnePass, Static):
    """One or two lines; an error (a message starting with ``!``) in red, a saved turn in bold.

    A new message is a repaint of this line alone: its colour is a style of the text (a class
    would apply the stylesheet again), and its height changes only when the number of rows
    does. ``keep_row`` keeps one row when empty (with the side panel in view, a line coming or
    going would resize the transcript beside it); otherwise an empty line folds to no height.
    """

    COMPONENT_CLASSES = {"status--said", "status--error"}
    DEFAULT_CSS = """
    StatusLine { height: auto; max-height: 2; padding: 0 1; color: $text-muted; }
    StatusLine > .status--said { color: $text; text-style: bold; }
    StatusLine > .status--error { color: $error; text-style: bold; }
    """

    def __init__(self, **kwargs: str) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]
        self.message = ""
        self.keep_row = False
        self._rows = -1  # the height set last (-1: none yet, the stylesheet's)

    def show(self, message: str) -> None:
        self.message = message
        text = literal(message)
        if message:
            kind = "status--error" if message.startswith("!") else "status--said"
            text.stylize(self.get_component_rich_style(kind, partial=True))
        width = self.content_size.width
        rows = (
            min(2, len(Content.from_rich_text(text).wrap(width))) if message and width else int(bool(message))
        )
        rows = max(rows, int(self.keep_row))
        if rows != self._rows:
            self._rows = rows
            self.styles.height = rows  # a new height: the screen is laid out again (rare)
        self.update(text, layout=False)
        self._check_refresh()  # in this step's frame, not the next one (see rows.repaint_now)

    def on_resize(self) -> None:
        """A new width may wrap the message onto another row."""
        if self.message:
            self.show(self.message)

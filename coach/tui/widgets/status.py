"""The status line of a call: the last turn's one message, kept until the next action (never a toast)."""

from __future__ import annotations

from textual.widgets import Static

from coach.tui.plain import literal
from coach.tui.widgets.onepass import OnePass


class StatusLine(OnePass, Static):
    """One or two lines; an error (a message starting with ``!``) in red."""

    def __init__(self, **kwargs: str) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]
        self.message = ""

    def show(self, message: str) -> None:
        self.message = message
        error = message.startswith("!")
        self.update(literal(message))
        classes = set(self.classes)
        self.set_class(error, "-error", update=False)
        self.set_class(bool(message) and not error, "-said", update=False)
        # Empty, it folds to no height rather than leaving the layout (display: none): a widget that leaves or
        # joins the screen's children renumbers every sibling's paint order, and that repaints the whole screen.
        self.set_class(not message, "-gone", update=False)
        if classes != set(self.classes):  # the stylesheet applied once, not once per class (about 1 ms each)
            self.app.update_styles(self)

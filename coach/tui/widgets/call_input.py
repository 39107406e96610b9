"""The one input line of a call: numbers pick at once, anything else is submitted with Enter."""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import Input


class CallInput(Input):
    """An Input where a lone 1-9 typed into an empty line picks that choice straight away.

    That keeps a live call to one key per step, while longer lines ("they said
    60 percent", "/rep Dana") are typed and sent with Enter as usual.
    """

    class Pick(Message):
        """The user pressed a choice number."""

        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    quick_pick = True

    async def _on_key(self, event: events.Key) -> None:
        if self.quick_pick and self.value == "" and event.character and event.character in "123456789":
            event.stop()
            event.prevent_default()
            self.post_message(self.Pick(int(event.character)))
            return
        await super()._on_key(event)

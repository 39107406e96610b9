"""The call timer: minutes and seconds since the call screen opened."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.widgets import Static

Clock = Callable[[], float]


class CallTimer(Static):
    """Counts up once a second from ``clock()`` at mount (tests pass a clock they control)."""

    def __init__(self, clock: Clock | None = None, **kwargs: str) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]
        self.clock: Clock = clock or time.monotonic
        self.started = self.clock()
        self.shown = ""

    def on_mount(self) -> None:
        self.tick()
        self.set_interval(1, self.tick)

    @property
    def elapsed(self) -> int:
        return max(0, int(self.clock() - self.started))

    def tick(self) -> None:
        minutes, seconds = divmod(self.elapsed, 60)
        hours, minutes = divmod(minutes, 60)
        shown = f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"
        # the same width as before (every second but the hour's): a repaint of the timer, no layout
        self.update(shown, layout=len(shown) != len(self.shown))
        self.shown = shown

"""Run coach with timing probes, for scripts/bench.py (not a user command).

    COACH_PROBE_LOG=FILE python scripts/bench_probe.py live --counterpart collections ...

Appends one line per moment to FILE, each with ``time.monotonic()`` (one clock
for every process on the machine, so the benchmark can compare it with its own):

- ``key T``: the terminal driver parsed a key (in its input thread);
- ``handled T``: the call screen finished a step (``CallScreen.submit`` returned);
- ``frame T``: a frame was composed and handed to the terminal driver (headless: composed);
- ``flushed T``: the driver's output thread wrote what it was handed and flushed the terminal
  (a frame has reached the terminal at the first ``flushed`` after its ``frame``);
- ``background T``: that frame (logged just before) only repainted the call timer after its
  once-a-second tick, or the input line after its cursor blinked (every 0.5 s): a frame no key
  caused (a frame with a layout, or repainting anything else, is never one);
- ``rows N``: the transcript's line count once the call screen is up.

``COACH_PROBE_PRELOAD=N`` first puts N transcript lines into the call (heard lines,
stored as usual), so a step can be timed on a long call.
``COACH_PROBE_QUIET_EXIT=S`` exits once no frame has been painted for S seconds
(start-up: the frame the start settles on is then the last one logged).
``COACH_PROBE_CONTENT=1`` also logs ``content H`` after each frame: a hash of every cell of the
screen, so "complete" can be the first frame showing what the screen settles on (the time this
takes is subtracted from the frame times logged after it).
``COACH_PROBE_HEADLESS=1`` runs the app headless (frames are composed, not written).
``COACH_PROBE_SCRIPT=FILE`` runs that Python file instead of coach (the bare app).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LOG = open(os.environ["COACH_PROBE_LOG"], "a", buffering=1)  # noqa: SIM115 (open for the whole run)


WRITING = threading.Lock()
TICKED: set[str] = set()  # widgets that repainted on their own since the last frame (timer, cursor)


def mark(what: str, value: float | int | None = None) -> None:
    line = f"{what} {time.monotonic() if value is None else value}\n"
    with WRITING:  # the output thread marks too
        LOG.write(line)


def install() -> None:
    from textual import events
    from textual.app import App
    from textual.driver import Driver

    process = Driver.process_message

    def process_message(self: Driver, message: Any) -> None:
        if isinstance(message, events.Key):
            mark("key")
        process(self, message)

    Driver.process_message = process_message  # type: ignore[method-assign]

    from textual.drivers._writer_thread import WriterThread

    def run(self: WriterThread) -> None:
        """Textual's output loop (textual 8.x), marking each flush: when a frame has reached the terminal."""
        write, flush = self._file.write, self._file.flush
        while True:
            text = self._queue.get()
            if text is None:
                break
            write(text)
            if self._queue.qsize() == 0:
                flush()
                mark("flushed")
        flush()

    WriterThread.run = run  # type: ignore[method-assign]

    display = App._display
    quiet = float(os.environ.get("COACH_PROBE_QUIET_EXIT", "0") or 0)
    content = bool(os.environ.get("COACH_PROBE_CONTENT"))
    last = [time.monotonic()]
    spent = [0.0]  # time the probe itself took reading frames (taken off the times it logs)

    def _display(self: App[Any], screen: Any, renderable: Any) -> None:
        display(self, screen, renderable)
        if renderable is not None and not self._batch_count:
            last[0] = time.monotonic()
            mark("frame", last[0] - spent[0])
            repainted = {type(widget).__name__ for widget in screen._dirty_widgets}
            if not in_layout[0] and repainted and repainted <= ticked:
                mark("background", last[0] - spent[0])
            ticked.clear()
            if content:  # what the whole screen shows now, as a hash (text and styles of every cell)
                strips = screen._compositor.render_strips()
                seen = hash(tuple((seg.text, seg.style) for strip in strips for seg in strip))
                LOG.write(f"content {seen}\n")
                spent[0] += time.monotonic() - last[0]

    App._display = _display  # type: ignore[method-assign]

    # What repainted on its own (see ``background``): the call timer's tick, the cursor's blink.
    from textual.screen import Screen
    from textual.widgets import Input

    in_layout = [False]
    ticked = TICKED
    refresh_layout = Screen._refresh_layout

    def _refresh_layout(self: Screen[Any], *args: Any, **kwargs: Any) -> None:
        in_layout[0] = True
        try:
            refresh_layout(self, *args, **kwargs)
        finally:
            in_layout[0] = False

    Screen._refresh_layout = _refresh_layout  # type: ignore[method-assign]
    toggle_cursor = Input._toggle_cursor

    def _toggle_cursor(self: Input) -> None:
        ticked.add(type(self).__name__)
        toggle_cursor(self)

    Input._toggle_cursor = _toggle_cursor  # type: ignore[method-assign]

    if quiet:

        def watch(self: App[Any]) -> None:
            if time.monotonic() - last[0] >= quiet:
                self.exit()

        original_init = App.__init__

        def __init__(self: App[Any], *args: Any, **kwargs: Any) -> None:
            original_init(self, *args, **kwargs)
            self.call_later(lambda: self.set_interval(quiet / 4, lambda: watch(self)))

        App.__init__ = __init__  # type: ignore[method-assign]

    if os.environ.get("COACH_PROBE_HEADLESS"):
        run = App.run

        def headless_run(self: App[Any], *args: Any, **kwargs: Any) -> Any:
            kwargs["headless"] = True
            return run(self, *args, **kwargs)

        App.run = headless_run  # type: ignore[method-assign]

    if os.environ.get("COACH_PROBE_CALL", "1") == "1":
        install_call()


def install_call() -> None:
    from coach.tui.screens.call import CallScreen
    from coach.tui.widgets.timer import CallTimer
    from coach.tui.widgets.transcript import Transcript

    tick = CallTimer.tick

    def timed_tick(self: CallTimer) -> None:
        TICKED.add(type(self).__name__)
        tick(self)

    CallTimer.tick = timed_tick  # type: ignore[method-assign]

    submit = CallScreen.submit

    def timed_submit(self: CallScreen, line: str) -> Any:
        turn = submit(self, line)
        mark("handled")
        return turn

    CallScreen.submit = timed_submit  # type: ignore[method-assign]
    preload = int(os.environ.get("COACH_PROBE_PRELOAD", "0") or 0)
    on_mount = CallScreen.on_mount

    def mounted(self: CallScreen) -> None:
        added = 0
        n = 0
        while added < preload:
            n += 1
            before = len(self.session.events)
            self.call.submit(f"they said line {n} is [bold]noted[/bold]")
            for event in self.session.events[before:]:
                if event.kind == "heard":
                    added += 1 + bool(event.data.get("reply")) + bool(event.data.get("warning"))
                elif event.kind in ("note", "said", "fact"):
                    added += 1
        on_mount(self)
        mark("rows", len(self.query_one(Transcript).plain_lines))

    CallScreen.on_mount = mounted  # type: ignore[method-assign]


if __name__ == "__main__":
    mark("launched", float(os.environ.get("COACH_PROBE_T0", "0") or 0) or None)
    install()
    script = os.environ.get("COACH_PROBE_SCRIPT")
    if script:
        import runpy

        runpy.run_path(script, run_name="__main__")
        code = 0
    else:
        from coach.cli.main import main

        code = main(sys.argv[1:])
    mark("exit")
    LOG.close()
    raise SystemExit(code)

"""Save an SVG picture of each screen into docs/screenshots/ (shown in the README).

    python scripts/screenshots.py [--size 100x30] [--out DIR]

Uses a throw-away COACH_HOME, the fixture facts, a fixed rehearsal seed and a
frozen call timer, so the pictures change only when the screens do.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
FACTS = ROOT / "tests" / "fixtures" / "facts.yaml"
# Lines that take a collections call with the fixture facts from triage to the call's opening line.
COLLECTIONS_TO_OPEN = ["6", *[""] * 6, "1", *[""] * 18, "1", ""]


class FrozenClock:
    """The call timer's clock: stands still until moved."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def call_args(counterpart: str, **extra: Any) -> argparse.Namespace:
    return argparse.Namespace(
        counterpart=counterpart, case=None, facts=FACTS, dialogues=None, call=None, **extra
    )


LIVE_LINES = [*COLLECTIONS_TO_OPEN, "/rep Dana Lopez", "/ref REF-4471", "We can take $1,200 if you pay today"]


async def live_call(app: Any, pilot: Any, clock: FrozenClock, seconds: int) -> None:
    """Open a collections call, record the rep and the reference, hear an offer; set the timer."""
    from coach.tui.screens.call import CallScreen

    screen = app.screen
    assert isinstance(screen, CallScreen)
    for line in LIVE_LINES:
        screen.submit(line)
    clock.now = seconds
    screen.query_one("#timer").tick()
    await pilot.pause()


async def shoot(out: Path, size: tuple[int, int]) -> list[str]:
    import datetime as dt

    from coach.tui.app import make_app
    from coach.tui.screens.call import CallScreen

    out.mkdir(parents=True, exist_ok=True)
    written: list[str] = []

    def save(app: Any, name: str) -> None:
        app.save_screenshot(name, str(out))
        written.append(name)

    clock = FrozenClock()
    app = make_app(
        "rehearse", call_args("collections", persona="tough", seed=7, difficulty="normal"), clock=clock
    )
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        assert isinstance(screen, CallScreen)
        for line in [*COLLECTIONS_TO_OPEN, "", "2"]:
            screen.submit(line)
        clock.now = 37
        screen.query_one("#timer").tick()  # type: ignore[attr-defined]
        await pilot.pause()
        save(app, "rehearse.svg")
        screen.submit("/end")
        await pilot.pause()

    clock = FrozenClock()
    app = make_app("live", call_args("collections"), clock=clock, today=lambda: dt.date(2026, 11, 21))
    async with app.run_test(size=size) as pilot:
        await live_call(app, pilot, clock, 161)
        save(app, "live.svg")
        app.screen.submit("/end")  # type: ignore[attr-defined]
        await pilot.pause(0.5)  # the Markdown summary renders in the background
        save(app, "review.svg")
        await pilot.press("t")
        await pilot.pause()
        save(app, "review-timeline.svg")
        await pilot.press("f2")
        await pilot.pause()
        save(app, "home.svg")
        await pilot.press("f1")
        await pilot.pause()
        save(app, "help.svg")

    clock = FrozenClock()
    app = make_app("live", call_args("collections"), clock=clock)
    async with app.run_test(size=(60, 20)) as pilot:
        await live_call(app, pilot, clock, 161)
        save(app, "live-60x20.svg")
    return written


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", default="100x30", help="terminal size, COLSxROWS (default 100x30)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder (default {OUT})")
    args = parser.parse_args()
    cols, rows = (int(n) for n in args.size.lower().split("x"))
    os.environ["COACH_HOME"] = tempfile.mkdtemp(prefix="coach-shots-")
    os.environ["TEXTUAL_ANIMATIONS"] = "none"
    os.environ["TZ"] = "UTC"
    written = asyncio.run(shoot(args.out, (cols, rows)))
    print(f"wrote {', '.join(written)} to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

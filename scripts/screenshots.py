"""Save an SVG picture of each screen into docs/screenshots/ (shown in the README).

    python scripts/screenshots.py [--size 80x24] [--out DIR]

Uses a throw-away COACH_HOME, the fixture facts, a fixed rehearsal seed, a
frozen call timer and a fixed date, so the pictures change only when the screens do.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
FACTS = ROOT / "tests" / "fixtures" / "facts.yaml"
TODAY = dt.date(2026, 11, 21)
LIVE_LINES = ["/rep Dana Lopez", "/ref REF-4471", "We can take $1,200 if you pay today"]


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


async def through(app: Any, pilot: Any, clock: FrozenClock, seconds: int, lines: list[str]) -> None:
    """Send ``lines`` through the call screen, then set the timer."""
    from coach.tui.screens.call import CallScreen

    screen = app.screen
    assert isinstance(screen, CallScreen)
    for line in lines:
        screen.submit(line)
    clock.now = seconds
    screen.query_one("#timer").tick()  # type: ignore[attr-defined]
    await pilot.pause(0.2)


async def to_plan(pilot: Any) -> None:
    """Prepare the fixture's case: nothing urgent, then choice 2 at each question, Enter past typed ones."""
    from coach.tui.screens.prepare import PrepareScreen

    await pilot.press("6")
    for _ in range(20):
        screen = pilot.app.screen
        if not isinstance(screen, PrepareScreen):
            break
        assert screen.prep is not None
        await pilot.press("2" if screen.prep.view().choices else "enter")
    await pilot.pause(0.2)


async def shoot(out: Path, size: tuple[int, int]) -> list[str]:
    from coach.session.engine import Session
    from coach.tui.app import make_app

    Session.today = lambda self: TODAY  # type: ignore[method-assign]  # days left on the card stay put
    out.mkdir(parents=True, exist_ok=True)
    written: list[str] = []

    def save(app: Any, name: str) -> None:
        app.save_screenshot(name, str(out))
        written.append(name)

    prepare = argparse.Namespace(case=None, facts=None, counterpart="collections", dialogues=None)
    app = make_app("prepare", prepare, today=lambda: TODAY)
    async with app.run_test(size=size) as pilot:
        await pilot.press("6")
        await pilot.pause(0.2)
        save(app, "prepare.svg")

    prepare = argparse.Namespace(case=None, facts=FACTS, counterpart="collections", dialogues=None)
    app = make_app("prepare", prepare, today=lambda: TODAY)
    async with app.run_test(size=size) as pilot:
        await to_plan(pilot)
        save(app, "plan.svg")

    clock = FrozenClock()
    app = make_app(
        "rehearse", call_args("collections", persona="tough", seed=7, difficulty="normal"), clock=clock
    )
    async with app.run_test(size=size) as pilot:
        await through(app, pilot, clock, 37, ["1"])
        save(app, "rehearse.svg")
        app.screen.submit("/end")  # type: ignore[attr-defined]
        await pilot.pause()

    clock = FrozenClock()
    app = make_app("live", call_args("collections"), clock=clock, today=lambda: TODAY)
    async with app.run_test(size=size) as pilot:
        await through(app, pilot, clock, 5, [])
        save(app, "live-first.svg")
        await through(app, pilot, clock, 161, LIVE_LINES)
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
        await through(app, pilot, clock, 161, LIVE_LINES)
        save(app, "live-60x20.svg")
    return written


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", default="80x24", help="terminal size, COLSxROWS (default 80x24)")
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

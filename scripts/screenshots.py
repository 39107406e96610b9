"""Save an SVG picture of each screen into docs/screenshots/ (shown in the README).

    python scripts/screenshots.py

Uses a throw-away COACH_HOME and the fixture facts, so nothing personal appears.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
FACTS = ROOT / "tests" / "fixtures" / "facts.yaml"


async def shoot() -> None:
    from coach.tui.app import make_app
    from coach.tui.screens.call import CallScreen

    OUT.mkdir(parents=True, exist_ok=True)
    args = argparse.Namespace(counterpart="collections", case=None, facts=FACTS, dialogues=None, call=None)

    app = make_app("home")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.save_screenshot("home.svg", str(OUT))

    app = make_app("live", args)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, CallScreen)
        screen.frozen_clock = "⏱ 02:41"
        to_open = ["5", *[""] * 5, "1", *[""] * 13, "1", ""]  # triage to the call's opening line
        for line in [*to_open, "/rep Dana Lopez", "/ref REF-4471", "We can take $1,200 if you pay today"]:
            screen.submit(line)
        await pilot.pause()
        app.save_screenshot("live.svg", str(OUT))
        await pilot.press("f10")
        await pilot.pause()
        app.save_screenshot("review.svg", str(OUT))

    args.counterpart = "doctor"
    app = make_app("rehearse", args)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("5")
        screen = app.screen
        assert isinstance(screen, CallScreen)
        screen.frozen_clock = "⏱ 00:37"
        screen.tick()
        await pilot.pause()
        app.save_screenshot("rehearse.svg", str(OUT))
    print(f"wrote {', '.join(sorted(p.name for p in OUT.glob('*.svg')))} to {OUT}")


def main() -> int:
    os.environ["COACH_HOME"] = tempfile.mkdtemp(prefix="coach-shots-")
    os.environ["TEXTUAL_ANIMATIONS"] = "none"
    asyncio.run(shoot())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

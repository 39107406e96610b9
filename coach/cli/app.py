"""``coach`` (home) and the app's entry for ``coach live|rehearse|review`` on a terminal."""

from __future__ import annotations

import argparse
import os
import sys

from coach.errors import CoachError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--headless", action="store_true", help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    return run_app(args, mode="home")


def run_app(args: argparse.Namespace, mode: str) -> int:
    """Run the Textual app in ``mode`` (home, live, rehearse, review); returns the exit code.

    ``App.run()`` returns normally after a crash (STACK.md), so the return code
    is what tells success from failure. With ``--headless`` or
    ``COACH_EXIT_AFTER_FIRST_FRAME`` set, the app exits after its first frame
    and prints when that frame was painted (for scripts/bench_startup.py).
    """
    from coach.tui.app import make_app

    app = make_app(mode, args)
    app.store  # noqa: B018 -- a store coach must not use (read-only, another account's) is one line, before any screen
    if getattr(args, "headless", False) or os.environ.get("COACH_EXIT_AFTER_FIRST_FRAME"):
        app.exit_after_first_frame = True
        app.run(headless=True)
        if app.first_frame is not None:
            print(f"first-frame {app.first_frame:.6f}", file=sys.stderr)
    else:
        app.run()
    if app.startup_error:
        raise CoachError(app.startup_error)
    if app.return_code:
        print("coach: the app stopped on an error; everything recorded so far is saved.", file=sys.stderr)
    return app.return_code or 0

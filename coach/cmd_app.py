"""``coach`` (home) and the app's entry for ``coach live|rehearse|review`` on a terminal."""

from __future__ import annotations

import argparse
import os
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--headless", action="store_true", help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    return run_app(args, mode="home")


def run_app(args: argparse.Namespace, mode: str) -> int:
    """Run the Textual app; a crash inside it must not look like success (STACK.md)."""
    from coach.tui.app import make_app

    app = make_app(mode, args)
    if getattr(args, "headless", False) or os.environ.get("COACH_EXIT_AFTER_FIRST_FRAME"):
        app.exit_after_first_frame = True  # for the start-up benchmark
        app.run(headless=True)
    else:
        app.run()
    if app.return_code:
        print("coach: the app stopped on an error; everything recorded so far is saved.", file=sys.stderr)
    return app.return_code or 0

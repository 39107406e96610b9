"""``coach verify``: check the case file now, whatever the last shutdown was, and say in one line what was found.

(Not ``coach doctor``: "doctor" is a counterpart, ``coach rehearse --counterpart doctor``.)

Opening the store checks it only after an unclean shutdown (a full check on every start
grew with the file: 58 ms at 100,000 events); this runs SQLite's check on demand
(:meth:`coach.casefile.store.Store.check`, every page and every b-tree of the file).
"""

from __future__ import annotations

import argparse
import sqlite3

from coach.errors import CoachError
from coach.paths import data_dir_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--file", type=str, default=None, help="the case file to check (default: coach's own)"
    )


def run(args: argparse.Namespace) -> int:
    """0 when the file is sound (or not there yet), 1 when the check finds damage; one line either way."""
    from pathlib import Path

    from coach.casefile.store import DB_NAME, Store

    path = Path(args.file) if args.file else data_dir_path() / DB_NAME
    if not path.exists():
        print(f"{path}: no case file yet, nothing to check")
        return 0
    store = Store.open(path)  # a file that is not coach's, or too damaged to open, is a CoachError: one line
    try:
        try:
            found = store.check()
            cases, calls = len(store.cases()), len(store.calls())
            counts = f"{cases} case{'' if cases == 1 else 's'}, {calls} call{'' if calls == 1 else 's'}"
        except sqlite3.DatabaseError as error:
            raise CoachError(
                f"{path}: damaged ({error}); back it up before anything else writes to it"
            ) from None
    finally:
        store.close()
    if found != "ok":
        print(f"{path}: damaged ({' '.join(found.split())}); back it up before anything else writes to it")
        return 1
    print(f"{path}: sound ({counts}; SQLite integrity check ok)")
    return 0

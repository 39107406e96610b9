"""What one durable event write costs: coach's store.append vs a bare sqlite3 insert.

Both sides use the same durability settings (WAL, synchronous=FULL, one
committed transaction per row), so the difference is coach's own overhead:
JSON for the event data, BEGIN IMMEDIATE/COMMIT, the write lock. A third row
shows a whole Session.note with the store as its sink (what a user waits for
after typing /ref), and a fourth the same note with no sink (in memory only).

    .venv/bin/python scripts/bench_store.py [--writes 2000] [--dir DIR]

Write into a folder on the disk you care about: a tmpfs makes fsync free.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coach.casefile.store import Store
from coach.dialogue.playbook import load_playbook
from coach.paths import dialogues_dir
from coach.session.engine import Session
from coach.session.events import Event


def timings_ms(action: Callable[[], object], count: int) -> list[float]:
    """Each call's wall time in milliseconds (a few warm-up calls first)."""
    for _ in range(min(20, count)):
        action()
    times = []
    for _ in range(count):
        start = time.perf_counter_ns()
        action()
        times.append((time.perf_counter_ns() - start) / 1e6)
    return times


def summary(name: str, times: list[float]) -> str:
    times = sorted(times)
    p90 = times[int(len(times) * 0.9)]
    return f"{name:<52} median {statistics.median(times):7.3f} ms   p90 {p90:7.3f} ms"


def bench(folder: Path, writes: int) -> list[str]:
    at = dt.datetime.now(dt.UTC)
    data = {"kind": "reference"}

    store = Store.open(folder / "coach.db")
    call_id = store.start_call(store.create_case({}, "bench", "collections"), "live", "collections")
    seq = iter(range(1, 10**9))
    store_times = timings_ms(
        lambda: store.append(
            call_id, Event(next(seq), at, "note", "contact", "contact.open", "REF-4471", data)
        ),
        writes,
    )

    bare = sqlite3.connect(folder / "bare.db", isolation_level=None)
    bare.execute("PRAGMA journal_mode = WAL")
    bare.execute("PRAGMA synchronous = FULL")
    bare.execute(
        "CREATE TABLE events (call_id INTEGER, seq INTEGER, at TEXT, kind TEXT, stage TEXT, node TEXT, "
        "text TEXT, data TEXT, PRIMARY KEY (call_id, seq))"
    )
    bare_seq = iter(range(1, 10**9))
    row = (at.isoformat(), "note", "contact", "contact.open", "REF-4471", json.dumps(data))
    bare_times = timings_ms(
        lambda: bare.execute(
            "INSERT INTO events VALUES (1, ?, ?, ?, ?, ?, ?, ?)", (next(bare_seq), *row)
        ),  # autocommit: one transaction, committed (and synced) per row
        writes,
    )
    bare.close()

    playbook = load_playbook([dialogues_dir()])
    session_call = store.start_call(1, "live", "collections")
    durable = Session(playbook, "collections", sink=store.sink_for(session_call))
    session_times = timings_ms(lambda: durable.note("reference", "REF-4471"), writes)
    in_memory = Session(playbook, "collections")
    memory_times = timings_ms(lambda: in_memory.note("reference", "REF-4471"), writes)
    store.close()

    ratio = statistics.median(store_times) / statistics.median(bare_times)
    return [
        summary("store.append (WAL, synchronous=FULL, 1 txn/event)", store_times),
        summary("bare sqlite3 INSERT, same settings", bare_times),
        summary("Session.note with the store as sink", session_times),
        summary("Session.note, no sink (memory only)", memory_times),
        f"store.append / bare insert: {ratio:.2f}x  ({writes} writes each, {folder})",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=2000, help="writes per measurement (default 2000)")
    parser.add_argument("--dir", type=Path, help="folder to write in (default: a temp folder)")
    args = parser.parse_args()
    if args.dir:
        args.dir.mkdir(parents=True, exist_ok=True)
        lines = bench(args.dir, args.writes)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            lines = bench(Path(tmp), args.writes)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())

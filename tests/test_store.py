"""The case store: owner-only files, safe refusal of bad files, concurrent writers, round trips."""

from __future__ import annotations

import datetime as dt
import sqlite3
import stat
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from coach.errors import CoachError
from coach.events import Event
from coach.store import SCHEMA_VERSION, Store


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def event(seq: int, text: str = "x") -> Event:
    return Event(
        seq,
        dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC),
        "note",
        "assess",
        "assess.triage",
        text,
        {"kind": "note"},
    )


def test_folder_and_files_are_owner_only(coach_home: Path) -> None:
    store = Store.open()
    call = store.start_call(store.create_case({}, "c", "hospital"), "live", "hospital")
    store.append(call, event(1))
    assert mode_of(coach_home) == 0o700
    for name in ("coach.db", "coach.db-wal"):
        assert mode_of(coach_home / name) == 0o600
    store.close()


def test_round_trip_of_case_call_and_events(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "c.db")
    case_id = store.create_case(
        {"balance": Decimal("12.50"), "date_of_service": dt.date(2026, 1, 2)}, "Acme", None
    )
    assert store.case(case_id).facts == {"balance": "12.50", "date_of_service": "2026-01-02"}
    call = store.start_call(case_id, "rehearse", "doctor")
    store.append(call, event(1, "<b>{{ 7*7 }}</b>"))
    store.end_call(call, "done")
    assert store.events(call)[0].text == "<b>{{ 7*7 }}</b>"
    assert store.events(call)[0].data == {"kind": "note"}
    assert store.last_call() is not None and store.last_call().outcome == "done"  # type: ignore[union-attr]
    with pytest.raises(CoachError, match="--case: no case 99"):
        store.case(99)
    with pytest.raises(sqlite3.IntegrityError):
        store.append(call, event(1))  # the same seq twice is refused, not overwritten
    store.close()


def test_corrupt_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "coach.db"
    path.write_bytes(b"this is not sqlite" * 100)
    before = path.read_bytes()
    with pytest.raises(CoachError, match="not a coach case file or damaged"):
        Store.open(path)
    assert path.read_bytes() == before


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "coach.db"
    Store.open(path).close()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(CoachError, match="written by a newer coach"):
        Store.open(path)


WRITER = """
import datetime as dt, sys
from pathlib import Path
from coach.events import Event
from coach.store import Store
store = Store.open(Path(sys.argv[1]))
call = int(sys.argv[2])
for seq in range(1, 201):
    store.append(call, Event(seq, dt.datetime.now(dt.UTC), "note", "a", "a.b", f"w{call}-{seq}", {}))
store.close()
"""


def test_two_processes_writing_at_once_corrupt_nothing(tmp_path: Path) -> None:
    path = tmp_path / "coach.db"
    store = Store.open(path)
    case_id = store.create_case({}, "c", None)
    calls = [store.start_call(case_id, "live", "hospital") for _ in range(2)]
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(c)]) for c in calls]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    for call in calls:
        assert [e.text for e in store.events(call)] == [f"w{call}-{s}" for s in range(1, 201)]
    assert store._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()

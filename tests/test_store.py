"""The case store: owner-only files, migrations, safe refusal of bad files, concurrent writers, round trips."""

from __future__ import annotations

import datetime as dt
import sqlite3
import stat
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from coach.casefile import store as store_module
from coach.casefile.store import MIGRATIONS, SCHEMA_VERSION, Store
from coach.dialogue.facts import facts_from_json
from coach.dialogue.schema import Playbook
from coach.errors import CoachError
from coach.session.engine import Session
from coach.session.events import Event

ROOT = Path(__file__).resolve().parent.parent


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def event(seq: int, text: str = "x") -> Event:
    at = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
    return Event(seq, at, "note", "assess", "assess.triage", text, {"kind": "note"})


def test_folder_and_files_are_owner_only(coach_home: Path) -> None:
    store = Store.open()
    call = store.start_call(store.create_case({}, "c", "hospital"), "live", "hospital")
    store.append(call, event(1))
    assert mode_of(coach_home) == 0o700
    for name in ("coach.db", "coach.db-wal", "coach.db-shm"):
        assert mode_of(coach_home / name) == 0o600, name
    store.close()


def test_a_long_call_writes_over_a_small_wal_instead_of_growing_it(tmp_path: Path) -> None:
    """One commit per step; the WAL is folded into the file every ~200 pages and started over, so a long
    call's commits write over pages the WAL already has (and every event is still there, in order)."""
    path = tmp_path / "coach.db"
    store = Store.open(path)
    call = store.start_call(store.create_case({}, "c", "hospital"), "live", "hospital")
    for seq in range(1, 1201):
        store.append(call, event(seq, "x" * 600))
    wal = Path(f"{path}-wal").stat().st_size
    assert wal < 1_200_000  # 200 pages and some: the default (1,000 pages) let it reach 4 MB
    assert [e.seq for e in store.events(call)] == list(range(1, 1201))
    store.close()


def test_an_existing_file_keeps_the_mode_its_owner_gave_it(tmp_path: Path) -> None:
    """coach sets modes only on what it creates (issue 14)."""
    path = tmp_path / "coach.db"
    Store.open(path).close()
    path.chmod(0o640)
    Store.open(path).close()
    assert mode_of(path) == 0o640


def test_round_trip_of_case_call_and_events(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "c.db")
    case_id = store.create_case(
        {"balance": Decimal("12.50"), "date_of_service": dt.date(2026, 1, 2)}, "Acme", None
    )
    assert store.case(case_id).facts == {"balance": "12.50", "date_of_service": "2026-01-02"}
    call = store.start_call(case_id, "rehearse", "doctor")
    store.append(call, event(1, "<b>{{ 7*7 }}</b>"))
    store.end_call(call, "done")
    assert store.events(call) == [event(1, "<b>{{ 7*7 }}</b>")]
    last = store.last_call()
    assert last is not None and (last.id, last.outcome, last.mode) == (call, "done", "rehearse")
    assert [c.id for c in store.calls(case_id)] == [call] and store.calls(case_id + 1) == []
    with pytest.raises(CoachError, match="--case: no case 99"):
        store.case(99)
    with pytest.raises(CoachError, match="no call 99"):
        store.call(99)
    with pytest.raises(sqlite3.IntegrityError):
        store.append(call, event(1))  # the same seq twice is refused, not overwritten
    assert store.add_deadline(case_id, "undated", None) and store.add_deadline(
        case_id, "x", dt.date(2026, 5, 1)
    )
    assert [(d.due, d.what) for d in store.deadlines(case_id)] == [("2026-05-01", "x"), (None, "undated")]
    store.close()


def test_last_node_is_the_node_of_the_calls_last_event_of_a_kind(tmp_path: Path) -> None:
    """Home reads where an interrupted call stopped from one row, not from the call's every event."""
    store = Store.open(tmp_path / "c.db")
    call, other = (store.start_call(None, "live", "collections") for _ in range(2))
    at = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
    nodes = ["contact.open", "contact.asks", "", "settle.counter"]
    for seq in range(1, 41):
        kind = "shown" if seq % 3 == 0 else "heard"
        store.append(call, Event(seq, at, kind, "s", nodes[seq % 4], "x", {}))  # type: ignore[arg-type]
    store.append(other, Event(1, at, "heard", "s", "other.node", "x", {}))  # type: ignore[arg-type]
    for kind in ("shown", "heard"):
        expected = [e.node for e in store.events(call) if e.kind == kind][-1]
        assert store.last_node(call, kind) == expected
    assert store.last_node(other, "shown") is None and store.last_node(99, "heard") is None
    store.close()


def test_facts_come_back_typed_through_their_specs(playbook: Playbook, tmp_path: Path) -> None:
    facts = {
        "balance": Decimal("2480.00"),
        "validation_notice_date": dt.date(2026, 11, 2),
        "insured": False,
        "household_size": 3,
        "credit_bureau": "Experian",
        "patient_name": "{{ 7*7 }}",
    }
    store = Store.open(tmp_path / "c.db")
    case_id = store.create_case(facts, None, None)
    assert facts_from_json(store.case(case_id).facts, playbook) == facts
    store.update_case_facts(case_id, {**facts, "balance": Decimal("100")})
    assert facts_from_json(store.case(case_id).facts, playbook)["balance"] == Decimal("100")
    assert store.case(case_id).label == "untitled case"


def _version_1_file(path: Path) -> None:
    """A case file as the first coach wrote it (schema 1), with one case in it."""
    raw = sqlite3.connect(path)
    raw.executescript(MIGRATIONS[0])
    raw.execute("INSERT INTO cases (label, facts, created, updated) VALUES ('old', '{}', 'x', 'x')")
    raw.execute("PRAGMA user_version = 1")
    raw.commit()
    raw.close()


def test_an_older_file_is_migrated_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "coach.db"
    _version_1_file(path)
    store = Store.open(path)
    assert store._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    indexes = {row[0] for row in store._db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"calls_by_case", "deadlines_by_case"} <= indexes
    assert [case.label for case in store.cases()] == ["old"]
    store.close()


def test_a_new_migration_runs_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "coach.db"
    Store.open(path).close()
    added = "ALTER TABLE cases ADD COLUMN archived INTEGER NOT NULL DEFAULT 0"
    monkeypatch.setattr(store_module, "MIGRATIONS", (*MIGRATIONS, added))
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    for _ in range(2):  # the second open finds nothing to do (a second ALTER would fail)
        store = Store.open(path)
        assert store._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
        assert store._db.execute("SELECT archived FROM cases").fetchall() == []
        store.close()


def test_a_failed_migration_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "coach.db"
    Store.open(path).close()
    monkeypatch.setattr(store_module, "MIGRATIONS", (*MIGRATIONS, "CREATE TABLE t (a); CREATE TABLE t (a)"))
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(CoachError, match="cannot prepare the case file"):
        Store.open(path)
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert raw.execute("SELECT count(*) FROM sqlite_master WHERE name = 't'").fetchone()[0] == 0
    raw.close()


def test_newer_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "coach.db"
    Store.open(path).close()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    before = path.read_bytes()
    with pytest.raises(CoachError, match=f"written by a newer coach \\(schema {SCHEMA_VERSION + 1}"):
        Store.open(path)
    assert path.read_bytes() == before


def test_garbage_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "coach.db"
    path.write_bytes(b"this is not sqlite" * 100)
    before = path.read_bytes()
    with pytest.raises(CoachError, match="not a coach case file or damaged") as caught:
        Store.open(path)
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)
    assert path.read_bytes() == before


def test_damaged_pages_are_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "coach.db"
    store = Store.open(path)
    call = store.start_call(store.create_case({}, "c", None), "live", "hospital")
    for seq in range(1, 300):
        store.append(call, event(seq, "a fairly long line of text " * 4))
    store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store._db.execute("PRAGMA journal_mode = DELETE")
    store.close()
    data = bytearray(path.read_bytes())
    page = 4096
    data[3 * page : 3 * page + 64] = b"\xff" * 64  # scribble over an events page header
    path.write_bytes(bytes(data))
    with pytest.raises(
        CoachError, match=r"coach.db: damaged \(Page 4: .+\); it was left untouched"
    ) as caught:
        Store.open(path)
    assert "\n" not in str(caught.value)
    assert path.read_bytes() == bytes(data)


def test_a_database_that_is_not_coach_s_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE cases (whatever TEXT)")
    raw.commit()
    raw.close()
    with pytest.raises(CoachError, match="a database, but not a coach case file"):
        Store.open(path)


def test_a_write_the_disk_refuses_is_one_line_and_the_session_stays_put(
    playbook: Playbook, tmp_path: Path
) -> None:
    store = Store.open(tmp_path / "coach.db")
    call = store.start_call(store.create_case({}, "c", None), "live", "collections")
    session = Session(playbook, "collections", sink=store.sink_for(call))
    recorded = len(session.events)
    store._db.execute("PRAGMA query_only = ON")  # stands in for a full or read-only disk
    with pytest.raises(CoachError, match=r"could not save \(attempt to write a readonly database\)"):
        session.note("rep_name", "Dana")
    assert len(session.events) == recorded  # not shown as saved when it is not
    store._db.execute("PRAGMA query_only = OFF")
    session.note("rep_name", "Dana")
    assert [e.text for e in store.events(call)][-1] == "Dana"


WRITER = """
import datetime as dt, sys
from pathlib import Path
from coach.session.events import Event
from coach.casefile.store import Store
store = Store.open(Path(sys.argv[1]))
call = store.start_call(store.create_case({}, sys.argv[2], None), "live", "hospital")
for seq in range(1, 151):
    store.append(call, Event(seq, dt.datetime.now(dt.UTC), "note", "a", "a.b", f"{sys.argv[2]}-{seq}", {}))
store.close()
"""


def test_processes_writing_at_once_corrupt_nothing(tmp_path: Path) -> None:
    """Four processes open a file that does not exist yet (racing to create and migrate it), then write."""
    path = tmp_path / "coach.db"
    names = [f"w{n}" for n in range(4)]
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), name], cwd=ROOT, stderr=subprocess.PIPE)
        for name in names
    ]
    results = [(w.wait(timeout=120), w.stderr.read() if w.stderr else b"") for w in writers]
    assert all(code == 0 for code, _ in results), results
    store = Store.open(path)
    assert store._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for case in store.cases():
        [call] = store.calls(case.id)
        assert [e.text for e in store.events(call.id)] == [f"{case.label}-{s}" for s in range(1, 151)]
    assert sorted(case.label for case in store.cases()) == names
    store.close()


def test_threads_sharing_one_store(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "coach.db")
    case_id = store.create_case({}, "c", None)
    calls = [store.start_call(case_id, "live", "hospital") for _ in range(4)]

    def write(call: int) -> None:
        for seq in range(1, 51):
            store.append(call, event(seq, f"{call}-{seq}"))

    threads = [threading.Thread(target=write, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for call in calls:
        assert [e.text for e in store.events(call)] == [f"{call}-{s}" for s in range(1, 51)]
    store.close()


def test_a_step_is_one_transaction(playbook: Playbook, tmp_path: Path) -> None:
    """A choice writes its step and the next step's shown event in one commit, not one per event."""
    store = Store.open(tmp_path / "coach.db")
    call = store.start_call(store.create_case({}, "c", None), "live", "collections")
    session = Session(playbook, "collections", sink=store.sink_for(call))
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)
    before = len(session.events)
    session.choose(1)
    store._db.set_trace_callback(None)
    added = session.events[before:]
    assert [e.kind for e in added][-2:] == ["step", "shown"]
    assert sum(s.startswith("BEGIN") for s in statements) == 1
    assert sum(s == "COMMIT" for s in statements) == 1
    assert [e.seq for e in store.events(call)] == [e.seq for e in session.events]


def test_a_step_that_fails_half_way_leaves_neither_disk_nor_session_changed(
    playbook: Playbook, tmp_path: Path
) -> None:
    """The step event is written, the shown event fails: the whole step is rolled back, in the file
    and in memory, so what the screen shows is exactly what is stored."""
    store = Store.open(tmp_path / "coach.db")
    call = store.start_call(store.create_case({}, "c", None), "live", "collections")
    sink = store.sink_for(call)
    session = Session(playbook, "collections", sink=sink)
    node, events = session.node.qid, list(session.events)
    write = store.append

    def failing(call_id: int, event: Event) -> None:
        if event.kind == "shown":
            raise sqlite3.OperationalError("disk I/O error")
        write(call_id, event)

    store.append = failing  # type: ignore[method-assign]
    with pytest.raises(CoachError, match=r"could not save \(disk I/O error\); nothing was changed"):
        session.choose(1)
    store.append = write  # type: ignore[method-assign]
    assert session.node.qid == node and session.events == events
    assert [e.seq for e in store.events(call)] == [e.seq for e in events]
    session.choose(1)  # and the call goes on from where it was
    assert [e.seq for e in store.events(call)] == [e.seq for e in session.events]


def test_the_integrity_check_is_skipped_only_after_a_clean_close(tmp_path: Path) -> None:
    """quick_check reads every page, so open skips it when the file is as a clean close left it, and runs it
    after a kill (the WAL is left over) or when anything else has written the file."""
    path = tmp_path / "coach.db"
    store = Store.open(path)
    store.append(store.start_call(store.create_case({}, "c", None), "live", "hospital"), event(1))
    assert not store_module._closed_cleanly(path)  # open: the WAL is there
    store.close()
    assert store_module._closed_cleanly(path)
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER, str(path)], cwd=ROOT, env={"PYTHONPATH": str(ROOT)}, check=False
    )
    assert killed.returncode == -9
    assert not store_module._closed_cleanly(path)  # the next open checks the file
    Store.open(path).close()
    assert store_module._closed_cleanly(path)
    with path.open("r+b") as raw:  # another program writes the file
        raw.seek(0, 2)
        raw.write(b"\0")
    assert not store_module._closed_cleanly(path)
    assert Store.open(path).check() == "ok"


KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
from coach.casefile.store import Store
store = Store.open(Path(sys.argv[1]))
store.start_call(None, "live", "hospital")
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_review_reads_a_calls_rows_and_the_places_of_some() -> None:
    """review_rows holds event_rows' columns but stage and node; event_places gives those by seq, in
    any number (asked 500 at a time)."""
    import datetime as dt

    from coach.session.events import Event

    store = Store.open()
    call_id = store.start_call(None, "live", "collections")
    other = store.start_call(None, "live", "collections")
    at = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    with store.batch():
        for seq in range(1, 1202):
            store.append(call_id, Event(seq, at, "step", f"s{seq % 7}", f"s.n{seq}", f"t{seq}", {"to": "x"}))
            store.append(other, Event(seq, at, "step", "o", "o.n", "o", {}))
    full = store.event_rows(call_id)
    assert store.review_rows(call_id) == [
        (seq, at, kind, text, data) for seq, at, kind, _, _, text, data in full
    ]
    seqs = [seq for seq in range(1, 1202) if seq % 2] + [5000]
    assert store.event_places(call_id, seqs) == {row[0]: (row[3], row[4]) for row in full if row[0] % 2}
    assert store.event_places(call_id, []) == {}

"""The case store: one SQLite file holding cases, calls, events and deadlines.

Durability is the point. Every event is its own committed transaction (WAL,
``synchronous=FULL``) before ``append`` returns, so a front end that draws after
the Session returns never shows something a crash could lose. The folder is
0700 and the files 0600; a corrupt file, or one written by a newer coach, is
refused with a one-line error and never overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.errors import CoachError
from coach.events import Event, jsonable
from coach.paths import data_dir

DB_NAME = "coach.db"

# Each entry moves the schema one version up; never edit a shipped entry, append.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE cases (
        id INTEGER PRIMARY KEY,
        label TEXT NOT NULL,
        counterpart TEXT,
        facts TEXT NOT NULL DEFAULT '{}',
        created TEXT NOT NULL,
        updated TEXT NOT NULL
    );
    CREATE TABLE calls (
        id INTEGER PRIMARY KEY,
        case_id INTEGER REFERENCES cases(id),
        mode TEXT NOT NULL CHECK (mode IN ('live', 'rehearse')),
        counterpart TEXT NOT NULL,
        started TEXT NOT NULL,
        ended TEXT,
        outcome TEXT
    );
    CREATE TABLE events (
        call_id INTEGER NOT NULL REFERENCES calls(id),
        seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        stage TEXT NOT NULL,
        node TEXT NOT NULL,
        text TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (call_id, seq)
    );
    CREATE TABLE deadlines (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        call_id INTEGER REFERENCES calls(id),
        due TEXT,
        what TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT ''
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class CaseRecord:
    """One bill or debt, with the facts known about it (as JSON-ready values)."""

    id: int
    label: str
    counterpart: str | None
    facts: dict[str, Any]
    created: str
    updated: str


@dataclass(frozen=True)
class CallRecord:
    """One call, rehearsed or live."""

    id: int
    case_id: int | None
    mode: str
    counterpart: str
    started: str
    ended: str | None
    outcome: str | None


@dataclass(frozen=True)
class DeadlineRecord:
    """A date that matters, stored when a user or a call names one."""

    id: int
    case_id: int
    call_id: int | None
    due: str | None
    what: str
    source: str


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Store:
    """The case store. Open with :meth:`open`; close when done."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    # -- opening ---------------------------------------------------------

    @classmethod
    def open(cls, path: Path | None = None) -> Store:
        """Open (or create) the store; CoachError if it is corrupt or from a newer coach."""
        path = path or data_dir() / DB_NAME
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
        try:
            connection = sqlite3.connect(path, isolation_level=None, timeout=10, check_same_thread=False)
            connection.execute("PRAGMA busy_timeout = 10000")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            connection.execute("PRAGMA quick_check").fetchone()
        except sqlite3.DatabaseError as error:
            raise CoachError(
                f"{path}: not a coach case file or damaged ({error}); it was left untouched"
            ) from None
        if version > SCHEMA_VERSION:
            connection.close()
            raise CoachError(
                f"{path}: written by a newer coach (schema {version}, this coach knows {SCHEMA_VERSION}); "
                "upgrade coach — the file was left untouched"
            )
        store = cls(connection, path)
        store._configure()
        store._migrate(version)
        store._restrict_permissions()
        return store

    def _configure(self) -> None:
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = FULL")
        self._db.execute("PRAGMA foreign_keys = ON")

    def _migrate(self, version: int) -> None:
        for number in range(version, SCHEMA_VERSION):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                current = self._db.execute("PRAGMA user_version").fetchone()[0]
                if current == number:  # another process may have migrated meanwhile
                    for statement in MIGRATIONS[number].split(";"):
                        if statement.strip():
                            self._db.execute(statement)
                    self._db.execute(f"PRAGMA user_version = {number + 1}")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _restrict_permissions(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            candidate = Path(f"{self.path}{suffix}")
            if candidate.exists():
                os.chmod(candidate, 0o600)

    def close(self) -> None:
        self._db.close()

    def _write(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        """One statement in its own committed transaction."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            cursor = self._db.execute(sql, params)
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise
        return cursor

    # -- cases -----------------------------------------------------------

    def create_case(
        self, facts: dict[str, Any], label: str | None = None, counterpart: str | None = None
    ) -> int:
        now = _now()
        cursor = self._write(
            "INSERT INTO cases (label, counterpart, facts, created, updated) VALUES (?, ?, ?, ?, ?)",
            (label or "untitled case", counterpart, json.dumps(jsonable(facts)), now, now),
        )
        return int(cursor.lastrowid or 0)

    def update_case_facts(self, case_id: int, facts: dict[str, Any]) -> None:
        self.case(case_id)
        self._write(
            "UPDATE cases SET facts = ?, updated = ? WHERE id = ?",
            (json.dumps(jsonable(facts)), _now(), case_id),
        )

    def case(self, case_id: int) -> CaseRecord:
        row = self._db.execute(
            "SELECT id, label, counterpart, facts, created, updated FROM cases WHERE id = ?", (case_id,)
        ).fetchone()
        if row is None:
            raise CoachError(f"--case: no case {case_id} (see coach case list)")
        return CaseRecord(row[0], row[1], row[2], json.loads(row[3]), row[4], row[5])

    def cases(self) -> list[CaseRecord]:
        rows = self._db.execute(
            "SELECT id, label, counterpart, facts, created, updated FROM cases ORDER BY id"
        )
        return [CaseRecord(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5]) for r in rows]

    # -- calls and events -------------------------------------------------

    def start_call(self, case_id: int | None, mode: str, counterpart: str) -> int:
        cursor = self._write(
            "INSERT INTO calls (case_id, mode, counterpart, started) VALUES (?, ?, ?, ?)",
            (case_id, mode, counterpart, _now()),
        )
        return int(cursor.lastrowid or 0)

    def append(self, call_id: int, event: Event) -> None:
        """Commit one event; returns only once it is on disk."""
        self._write(
            "INSERT INTO events (call_id, seq, at, kind, stage, node, text, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                call_id,
                event.seq,
                event.at.isoformat(),
                event.kind,
                event.stage,
                event.node,
                event.text,
                json.dumps(jsonable(event.data)),
            ),
        )

    def sink_for(self, call_id: int) -> Callable[[Event], None]:
        """The Session's sink for this call."""

        def sink(event: Event) -> None:
            self.append(call_id, event)

        return sink

    def end_call(self, call_id: int, outcome: str | None) -> None:
        self._write("UPDATE calls SET ended = ?, outcome = ? WHERE id = ?", (_now(), outcome, call_id))

    def call(self, call_id: int) -> CallRecord:
        row = self._db.execute(
            "SELECT id, case_id, mode, counterpart, started, ended, outcome FROM calls WHERE id = ?",
            (call_id,),
        ).fetchone()
        if row is None:
            raise CoachError(f"no call {call_id} (see coach review --list)")
        return CallRecord(*row)

    def calls(self, case_id: int | None = None) -> list[CallRecord]:
        sql = "SELECT id, case_id, mode, counterpart, started, ended, outcome FROM calls"
        rows = (
            self._db.execute(sql + " WHERE case_id = ? ORDER BY id", (case_id,))
            if case_id is not None
            else self._db.execute(sql + " ORDER BY id")
        )
        return [CallRecord(*row) for row in rows]

    def last_call(self) -> CallRecord | None:
        calls = self.calls()
        return calls[-1] if calls else None

    def events(self, call_id: int) -> list[Event]:
        rows = self._db.execute(
            "SELECT seq, at, kind, stage, node, text, data FROM events WHERE call_id = ? ORDER BY seq",
            (call_id,),
        )
        return [
            Event(seq, dt.datetime.fromisoformat(at), kind, stage, node, text, json.loads(data))
            for seq, at, kind, stage, node, text, data in rows
        ]

    # -- deadlines --------------------------------------------------------

    def add_deadline(
        self, case_id: int, what: str, due: dt.date | None, call_id: int | None = None, source: str = ""
    ) -> int:
        cursor = self._write(
            "INSERT INTO deadlines (case_id, call_id, due, what, source) VALUES (?, ?, ?, ?, ?)",
            (case_id, call_id, due.isoformat() if due else None, what, source),
        )
        return int(cursor.lastrowid or 0)

    def deadlines(self, case_id: int) -> list[DeadlineRecord]:
        rows = self._db.execute(
            "SELECT id, case_id, call_id, due, what, source FROM deadlines WHERE case_id = ? ORDER BY due, id",
            (case_id,),
        )
        return [DeadlineRecord(*row) for row in rows]

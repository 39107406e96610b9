"""The case store: one SQLite file holding cases, calls, events and deadlines.

Longer than most modules on purpose: every SQL statement and the store file's safety are in one
place, so what makes a write durable can be read at once.

Durability is the point. Every event is committed (WAL, ``synchronous=FULL``)
before the Session step that made it returns, so a front end that draws after
the Session returns never shows something a crash could lose. A step's events
share one transaction (:meth:`Store.batch`): one sync per step, not per event. The folder is
0700 and the files 0600; a corrupt file, a database that is not coach's, or one
written by a newer coach is refused with a one-line error and never touched.

Facts are stored as JSON-ready values (``coach.session.events.jsonable``: Decimal →
"12.50", date → "2026-01-02"); read them back typed with
``coach.dialogue.facts.facts_from_json``, which checks each against its FactSpec.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import sqlite3
import stat
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.errors import CoachError
from coach.paths import data_dir, make_private_folders

if TYPE_CHECKING:
    from coach.session.events import Event

DB_NAME = "coach.db"
WAL_CHECKPOINT_PAGES = 200  # see Store._configure

# Each entry moves the schema one version up (PRAGMA user_version counts them).
# Never edit a shipped entry: append a new one. Statements are split on ';'.
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
    # 2: a case's calls and deadlines are looked up by case on every review and letter.
    """
    CREATE INDEX calls_by_case ON calls (case_id);
    CREATE INDEX deadlines_by_case ON deadlines (case_id);
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
    """One call, rehearsed or live (times are ISO 8601 in UTC)."""

    id: int
    case_id: int | None
    mode: str
    counterpart: str
    started: str
    ended: str | None
    outcome: str | None


@dataclass(frozen=True)
class DeadlineRecord:
    """A date that matters, stored when a user or a call names one (``due`` is ISO or None)."""

    id: int
    case_id: int
    call_id: int | None
    due: str | None
    what: str
    source: str


def now_utc() -> str:
    """The store's timestamp format: ISO 8601, UTC, to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


_CASE_COLUMNS = "id, label, counterpart, facts, created, updated"
_CALL_COLUMNS = "id, case_id, mode, counterpart, started, ended, outcome"


# The session's event module, with its payload dataclasses (about 20 ms to import), is imported when
# something reads or writes a call's events or a case's facts, not when the store is opened: home's
# start opens the store and lists its cases and calls without it.


def jsonable(value: Any) -> Any:
    """:func:`coach.session.payloads.jsonable` (imported on first use)."""
    from coach.session.payloads import jsonable as convert

    return convert(value)


def stored_events(rows: Iterable[tuple[Any, ...]]) -> list[Event]:
    """:func:`coach.session.events.stored_events` (imported on first use)."""
    from coach.session.events import stored_events as read

    return read(rows)


def _case(row: tuple[Any, ...]) -> CaseRecord:
    return CaseRecord(row[0], row[1], row[2], json.loads(row[3]), row[4], row[5])


class Store:
    """The case store. Open with :meth:`open`; close when done.

    One connection, usable from several threads (writes take a lock); several
    processes may share the file (SQLite's busy timeout makes them take turns).
    """

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self._lock = threading.RLock()
        self._depth = 0  # open batch() blocks: writes inside join their transaction
        self.path = path

    # -- opening ---------------------------------------------------------

    @classmethod
    def open(cls, path: Path | None = None, *, full_check: bool = False) -> Store:
        """Open (or create) the store; CoachError if it is corrupt, not coach's, or from a newer coach.

        The full integrity check runs after an unclean end (crash, kill, another writer) or when asked
        (``full_check``, or ``COACH_CHECK=full`` in the environment)."""
        full_check = full_check or os.environ.get("COACH_CHECK") == "full"
        path = path or data_dir() / DB_NAME
        untouched = "it was left untouched"
        created = _create_or_check(path, untouched)
        # judged before connecting: the first read of a WAL store creates its -wal file
        full = full_check or not _closed_cleanly(path)
        try:
            connection = sqlite3.connect(path, isolation_level=None, timeout=10, check_same_thread=False)
        except sqlite3.Error as error:
            raise CoachError(f"{path}: cannot open the case file ({error})") from None
        try:
            connection.execute("PRAGMA busy_timeout = 10000")
            connection.execute("BEGIN")  # one snapshot: another process may be creating the tables right now
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            # The integrity check reads every page (58 ms at 100,000 events): run it only when the file may
            # have been hurt since coach last closed it cleanly (a crash, a kill, another program writing it).
            # integrity_check, not quick_check: only the full one compares every index with its table,
            # and a store written on top of an index that lies goes on to lose or double rows
            check = connection.execute("PRAGMA integrity_check(1)").fetchone()[0] if full else "ok"
            tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            connection.execute("COMMIT")
        except sqlite3.DatabaseError as error:
            connection.close()
            if _disk_full(error):
                raise CoachError(f"{path}: cannot open the case file: {DISK_FULL} — {untouched}") from None
            raise CoachError(f"{path}: not a coach case file or damaged ({error}); {untouched}") from None
        problem = None
        if check != "ok":
            detail = " ".join(str(check).replace("*** in database main ***", "").split())
            problem = f"damaged ({detail}); {untouched} — restore it from a backup or move it aside"
        elif version == 0 and tables:
            problem = f"a database, but not a coach case file; {untouched}"
        elif version > SCHEMA_VERSION:
            problem = (
                f"written by a newer coach (schema {version}, this coach knows {SCHEMA_VERSION}); "
                f"upgrade coach — {untouched}"
            )
        if problem:
            connection.close()
            raise CoachError(f"{path}: {problem}")
        store = cls(connection, path)
        try:
            store._configure()
            store._migrate(version)
        except sqlite3.Error as error:
            connection.close()
            if _disk_full(error):
                raise CoachError(f"{path}: cannot prepare the case file: {DISK_FULL}") from None
            raise CoachError(f"{path}: cannot prepare the case file ({error})") from None
        if created:
            store._restrict_permissions()
        return store

    def _configure(self) -> None:
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = FULL")
        # Every step's commit syncs the WAL. While the WAL grows, each sync also has the file's new size
        # to write (about 1.1 ms a commit here, against 0.7 ms writing over pages it already has); the
        # default checkpoint at 1,000 pages leaves a call growing it for its first 300 or so steps. At 200
        # pages the WAL is folded in (synced as ever) and started over every 60 or so steps instead.
        self._db.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
        self._db.execute("PRAGMA foreign_keys = ON")

    def _migrate(self, version: int) -> None:
        """Apply each missing migration in its own transaction (another process may race us)."""
        for number in range(version, SCHEMA_VERSION):
            with self._transaction():
                if self._db.execute("PRAGMA user_version").fetchone()[0] == number:
                    for statement in MIGRATIONS[number].split(";"):
                        if statement.strip():
                            self._db.execute(statement)
                    self._db.execute(f"PRAGMA user_version = {number + 1}")

    def _restrict_permissions(self) -> None:
        """A store coach just created: its -wal and -shm are owner-only too (SQLite copies the mode; make sure)."""
        for suffix in ("", "-wal", "-shm"):
            candidate = Path(f"{self.path}{suffix}")
            if candidate.exists():
                os.chmod(candidate, 0o600)

    def close(self) -> None:
        self._db.close()
        _mark_clean(self.path)

    def check(self) -> str:
        """SQLite's integrity check now ("ok" when sound): on demand, whatever the last shutdown was."""
        with self._lock:
            return str(self._db.execute("PRAGMA integrity_check(1)").fetchone()[0])

    # -- writing ---------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One committed transaction: all of the block, or none of it (inside batch(), part of its one)."""
        with self._lock:
            if self._depth:
                yield self._db
                return
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    @contextmanager
    def _saving(self) -> Iterator[sqlite3.Connection]:
        """A write transaction whose storage errors (disk full, locked too long) read as one line."""
        try:
            with self._transaction() as db:
                yield db
        except sqlite3.OperationalError as error:
            raise self._save_error(error) from None

    def _save_error(self, error: sqlite3.OperationalError) -> CoachError:
        if _disk_full(error):
            return CoachError(
                f"{self.path}: could not save ({error}): the disk is full — free some space and try again; "
                "nothing was changed"
            )
        return CoachError(f"{self.path}: could not save ({error}); nothing was changed")

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Every write inside in one committed transaction (a Session step's events): on disk when the
        block ends, or, if anything in it fails, none of it. Blocks nest (the outermost commits)."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            with self._saving():
                self._depth = 1
                try:
                    yield
                finally:
                    self._depth = 0

    def _write(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        """One statement in its own committed transaction (inside batch(), part of its one); returns the new
        row's id. What ``with self._saving()`` does, written out: every event of every step comes this way."""
        with self._lock:
            db = self._db
            try:
                if self._depth:
                    return int(db.execute(sql, params).lastrowid or 0)
                db.execute("BEGIN IMMEDIATE")
                try:
                    row_id = db.execute(sql, params).lastrowid
                    db.execute("COMMIT")
                except BaseException:
                    if db.in_transaction:
                        db.execute("ROLLBACK")
                    raise
                return int(row_id or 0)
            except sqlite3.OperationalError as error:
                raise self._save_error(error) from None

    # -- cases -----------------------------------------------------------

    def create_case(
        self, facts: dict[str, Any], label: str | None = None, counterpart: str | None = None
    ) -> int:
        now = now_utc()
        return self._write(
            "INSERT INTO cases (label, counterpart, facts, created, updated) VALUES (?, ?, ?, ?, ?)",
            (label or "untitled case", counterpart, json.dumps(jsonable(facts)), now, now),
        )

    def update_case_facts(self, case_id: int, facts: dict[str, Any]) -> None:
        """Replace a case's facts (the caller merges old and new)."""
        self.case(case_id)
        self._write(
            "UPDATE cases SET facts = ?, updated = ? WHERE id = ?",
            (json.dumps(jsonable(facts)), now_utc(), case_id),
        )

    def set_case_facts(self, case_id: int, changes: dict[str, Any], label: str | None = None) -> None:
        """Merge facts (and a new label) into a case in one immediate transaction.

        A value of None forgets that fact. The read and the write happen under one
        write lock, so two processes editing one case at once never lose a change.
        """
        with self._saving() as db:
            self._merge_facts(db, case_id, changes)
            if label is not None:
                db.execute("UPDATE cases SET label = ? WHERE id = ?", (label, case_id))

    def _merge_facts(self, db: sqlite3.Connection, case_id: int, changes: dict[str, Any]) -> None:
        row = db.execute("SELECT facts FROM cases WHERE id = ?", (case_id,)).fetchone()
        if row is None:
            raise CoachError(f"--case: no case {case_id} (see coach case list)")
        facts = json.loads(row[0])
        for name, value in jsonable(changes).items():
            if value is None:
                facts.pop(name, None)
            else:
                facts[name] = value
        db.execute(
            "UPDATE cases SET facts = ?, updated = ? WHERE id = ?", (json.dumps(facts), now_utc(), case_id)
        )

    def name_untitled_case(self, case_id: int) -> None:
        """A case labelled only "untitled case" (or its account number) takes its creditor and account as its label."""
        case = self.case(case_id)
        label = " ".join(str(case.facts[k]) for k in ("creditor", "account_number") if case.facts.get(k))
        placeholder = case.label in ("untitled case", str(case.facts.get("account_number", "")))
        if placeholder and label and label != case.label:
            self._write("UPDATE cases SET label = ?, updated = ? WHERE id = ?", (label, now_utc(), case_id))

    def set_case_counterpart(self, case_id: int, counterpart: str) -> None:
        self._write(
            "UPDATE cases SET counterpart = ?, updated = ? WHERE id = ?", (counterpart, now_utc(), case_id)
        )

    def find_case(self, account_number: str, creditor: str | None) -> CaseRecord | None:
        """The case for this account at this creditor, if one exists (so a facts file never duplicates it)."""
        wanted = (account_number.strip().lower(), (creditor or "").strip().lower())
        for case in self.cases():
            known = (
                str(case.facts.get("account_number", "")).strip().lower(),
                str(case.facts.get("creditor", "")).strip().lower(),
            )
            if known == wanted:
                return case
        return None

    def case(self, case_id: int) -> CaseRecord:
        row = self._db.execute(f"SELECT {_CASE_COLUMNS} FROM cases WHERE id = ?", (case_id,)).fetchone()
        if row is None:
            raise CoachError(f"--case: no case {case_id} (see coach case list)")
        return _case(row)

    def cases(self) -> list[CaseRecord]:
        return [_case(row) for row in self._db.execute(f"SELECT {_CASE_COLUMNS} FROM cases ORDER BY id")]

    # -- calls and events -------------------------------------------------

    def start_call(self, case_id: int | None, mode: str, counterpart: str) -> int:
        return self._write(
            "INSERT INTO calls (case_id, mode, counterpart, started) VALUES (?, ?, ?, ?)",
            (case_id, mode, counterpart, now_utc()),
        )

    def append(self, call_id: int, event: Event) -> None:
        """Commit one event; returns only once it is on disk."""
        self._write(_INSERT_EVENT, _event_row(call_id, event))

    def append_with_fact(self, call_id: int, event: Event, case_id: int) -> None:
        """Commit a fact event and the case's copy of that fact together: both on disk, or neither."""
        from coach.session.payloads import FactData

        fact = event.payload
        if not isinstance(fact, FactData) or fact.name is None:
            raise ValueError(f"event {event.seq} ({event.kind}) is not a fact set: no fact to keep")
        with self._saving() as db:
            db.execute(_INSERT_EVENT, _event_row(call_id, event))
            self._merge_facts(db, case_id, {fact.name: fact.value})

    def sink_for(self, call_id: int) -> EventSink:
        """The Session's sink for this call (a step's events in one transaction)."""
        return EventSink(self, call_id)

    def end_call(self, call_id: int, outcome: str | None) -> None:
        self._write("UPDATE calls SET ended = ?, outcome = ? WHERE id = ?", (now_utc(), outcome, call_id))

    def call(self, call_id: int) -> CallRecord:
        row = self._db.execute(f"SELECT {_CALL_COLUMNS} FROM calls WHERE id = ?", (call_id,)).fetchone()
        if row is None:
            raise CoachError(f"no call {call_id} (see coach review --list)")
        return CallRecord(*row)

    def calls(self, case_id: int | None = None) -> list[CallRecord]:
        sql = f"SELECT {_CALL_COLUMNS} FROM calls"
        rows = (
            self._db.execute(sql + " WHERE case_id = ? ORDER BY id", (case_id,))
            if case_id is not None
            else self._db.execute(sql + " ORDER BY id")
        )
        return [CallRecord(*row) for row in rows]

    def last_node(self, call_id: int, kind: str) -> str | None:
        """The node of a call's last event of this kind (home: where an interrupted call stopped), or None.

        One row read from the end of the call (its key is call, seq), not the call's every event."""
        row = self._db.execute(
            "SELECT node FROM events WHERE call_id = ? AND kind = ? ORDER BY seq DESC LIMIT 1",
            (call_id, kind),
        ).fetchone()
        return str(row[0]) if row else None

    def last_call(self) -> CallRecord | None:
        row = self._db.execute(f"SELECT {_CALL_COLUMNS} FROM calls ORDER BY id DESC LIMIT 1").fetchone()
        return CallRecord(*row) if row else None

    def events(self, call_id: int) -> list[Event]:
        """A call's events in order (``data`` as JSON gave it: amounts and dates are strings)."""
        return stored_events(self.event_rows(call_id))  # 10,000 rows are common

    def event_rows(self, call_id: int) -> list[tuple[int, str, str, str, str, str, str]]:
        """A call's events in order as stored: (seq, at as ISO text, kind, stage, node, text, data as
        JSON text); ``stored_events`` makes them Events."""
        return self._db.execute(
            "SELECT seq, at, kind, stage, node, text, data FROM events WHERE call_id = ? ORDER BY seq",
            (call_id,),
        ).fetchall()

    def review_rows(self, call_id: int) -> list[tuple[int, str, str, str, str]]:
        """A call's events in order as a review reads them: (seq, at, kind, text, data) as stored; the
        stage and node of the few it needs of those come from :meth:`event_places`."""
        return self._db.execute(
            "SELECT seq, at, kind, text, data FROM events WHERE call_id = ? ORDER BY seq", (call_id,)
        ).fetchall()

    def event_places(self, call_id: int, seqs: list[int]) -> dict[int, tuple[str, str]]:
        """The (stage, node) of some of a call's events, by seq: read after their other columns, the
        same (an event is stored once and never changed)."""
        places: dict[int, tuple[str, str]] = {}
        for at in range(0, len(seqs), 500):  # well under SQLite's limit on a statement's parameters
            some = seqs[at : at + 500]
            marks = ", ".join("?" * len(some))
            rows = self._db.execute(
                f"SELECT seq, stage, node FROM events WHERE call_id = ? AND seq IN ({marks})",
                (call_id, *some),
            )
            places.update((seq, (stage, node)) for seq, stage, node in rows)
        return places

    # -- deadlines --------------------------------------------------------

    def add_deadline(
        self, case_id: int, what: str, due: dt.date | None, call_id: int | None = None, source: str = ""
    ) -> int:
        return self._write(
            "INSERT INTO deadlines (case_id, call_id, due, what, source) VALUES (?, ?, ?, ?, ?)",
            (case_id, call_id, due.isoformat() if due else None, what, source),
        )

    def deadlines(self, case_id: int) -> list[DeadlineRecord]:
        rows = self._db.execute(
            "SELECT id, case_id, call_id, due, what, source FROM deadlines WHERE case_id = ? "
            "ORDER BY due IS NULL, due, id",
            (case_id,),
        )
        return [DeadlineRecord(*row) for row in rows]

    # -- import ------------------------------------------------------------

    def import_case(
        self,
        case: CaseRecord,
        calls: list[tuple[CallRecord, list[Event]]],
        deadlines: list[tuple[dt.date | None, str, str]],
    ) -> int:
        """Add a whole case (from an export) in one transaction: all of it or nothing.

        Ids in the records are ignored (new ones are given); times are kept.
        ``deadlines`` holds (due, what, source).
        """
        with self._saving() as db:
            case_id = int(
                db.execute(
                    "INSERT INTO cases (label, counterpart, facts, created, updated) VALUES (?, ?, ?, ?, ?)",
                    (case.label, case.counterpart, json.dumps(jsonable(case.facts)), case.created, now_utc()),
                ).lastrowid
                or 0
            )
            for call, events in calls:
                call_id = int(
                    db.execute(
                        "INSERT INTO calls (case_id, mode, counterpart, started, ended, outcome) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        (case_id, call.mode, call.counterpart, call.started, call.ended, call.outcome),
                    ).lastrowid
                    or 0
                )
                db.executemany(_INSERT_EVENT, [_event_row(call_id, event) for event in events])
            db.executemany(
                "INSERT INTO deadlines (case_id, due, what, source) VALUES (?, ?, ?, ?)",
                [
                    (case_id, due.isoformat() if due else None, what, source)
                    for due, what, source in deadlines
                ],
            )
        return case_id


def _create_or_check(path: Path, untouched: str) -> bool:
    """Create a new store owner-only (True), or check an existing one is this user's and writable.

    A store that is read-only, or belongs to another account, is refused before
    anything opens it: coach never changes a mode it did not set.
    """
    try:
        make_private_folders(path.parent)
        if not os.path.lexists(path):
            _create_store_file(path)
            return True
    except FileExistsError:
        pass
    except OSError as error:
        raise CoachError(f"{path}: cannot create the case file ({_os_reason(error)})") from None
    try:
        info = os.stat(path)
    except OSError as error:
        raise CoachError(f"{path}: cannot open the case file ({error.strerror})") from None
    if stat.S_ISREG(info.st_mode) and info.st_size == 0:
        # coach never leaves an empty store (it is born whole, below): 0 bytes is a damaged file, and
        # SQLite would silently make a fresh one in its place
        raise CoachError(
            f"{path}: empty (0 bytes), not a coach case file or damaged; {untouched} — "
            "restore it from a backup or move it aside"
        )
    if info.st_uid != os.geteuid():
        raise CoachError(
            f"{path}: belongs to another account (uid {info.st_uid}); coach opens only your own case file — "
            f"{untouched}"
        )
    problem = None
    if not info.st_mode & stat.S_IWUSR or not os.access(path, os.R_OK | os.W_OK):
        problem = "the case file is read-only"
    else:
        folder = os.stat(path.parent)
        locked = folder.st_uid == info.st_uid and not folder.st_mode & stat.S_IWUSR
        if locked or not os.access(path.parent, os.W_OK | os.X_OK):
            problem = "its folder is read-only"
    if problem:
        raise CoachError(f"{path}: {problem}; {untouched} (make it writable to use it, or set COACH_HOME)")
    return False


def _create_store_file(path: Path) -> None:
    """A new store appears whole: a valid, empty SQLite file is written beside it and linked into place,
    so no other process (or a crash) ever sees a 0-byte store. FileExistsError if one appeared first."""
    import secrets  # here, not at the top: only a new store needs it, and it is not free on the start path

    temporary = Path(f"{path}.new-{os.getpid()}-{secrets.token_hex(4)}")
    os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600))
    try:
        os.chmod(temporary, 0o600)
        connection = sqlite3.connect(temporary, isolation_level=None)
        try:
            connection.execute("CREATE TABLE coach_new (x)")  # writes the header and first pages
            connection.execute("DROP TABLE coach_new")
        except sqlite3.Error as error:
            raise OSError(errno.ENOSPC if _disk_full(error) else errno.EIO, str(error)) from None
        finally:
            connection.close()
        try:
            os.link(temporary, path)  # fails if another process created the store meanwhile
        except OSError as error:
            if error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP):
                raise
            if os.path.lexists(path):  # a file system without hard links: rename, unless one appeared
                raise FileExistsError(errno.EEXIST, "exists", str(path)) from None
            os.rename(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _disk_full(error: BaseException) -> bool:
    """SQLITE_FULL or ENOSPC: the disk (or the account's quota) has no room, the file is fine."""
    if isinstance(error, OSError):
        return error.errno in (errno.ENOSPC, errno.EDQUOT)
    code = getattr(error, "sqlite_errorcode", None)
    return code == sqlite3.SQLITE_FULL or "disk is full" in str(error)


DISK_FULL = "the disk is full (SQLite: database or disk is full); free some space and try again"


def _os_reason(error: OSError) -> str:
    return "the disk is full; free some space and try again" if _disk_full(error) else str(error.strerror)


_INSERT_EVENT = (
    "INSERT INTO events (call_id, seq, at, kind, stage, node, text, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def _clean_marker(path: Path) -> Path:
    return Path(f"{path}-clean")


def _file_stamp(path: Path) -> str:
    info = path.stat()
    return f"{info.st_ino} {info.st_size} {info.st_mtime_ns}"


def _mark_clean(path: Path) -> None:
    """After the last connection closed (SQLite then folds the WAL in and removes it): note the file as
    it is, so the next open can skip the integrity check if nothing has touched it since."""
    marker = _clean_marker(path)
    try:
        if Path(f"{path}-wal").exists():  # another process still has it open, or the fold-in failed
            marker.unlink(missing_ok=True)
            return
        fd = os.open(marker, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(_file_stamp(path))
    except OSError:
        pass  # no marker: the next open runs the check, which is only slower


def _closed_cleanly(path: Path) -> bool:
    """The file is exactly as coach left it at a clean close (no WAL left over, same inode, size, mtime)."""
    marker = _clean_marker(path)
    try:
        return not Path(f"{path}-wal").exists() and marker.read_text() == _file_stamp(path)
    except OSError:
        return False


class EventSink:
    """Events of one call to the store; ``batch()`` lets a Session write a step's events together."""

    def __init__(self, store: Store, call_id: int, case_id: int | None = None) -> None:
        self.store = store
        self.call_id = call_id
        self.case_id = case_id  # a fact event also updates this case's facts, in the same transaction

    def __call__(self, event: Event) -> None:
        if event.kind == "fact" and self.case_id is not None:
            self.store.append_with_fact(self.call_id, event, self.case_id)
        else:
            self.store.append(self.call_id, event)

    def batch(self) -> contextlib.AbstractContextManager[None]:
        return self.store.batch()


def _event_row(call_id: int, event: Event) -> tuple[Any, ...]:
    return (
        call_id,
        event.seq,
        event.at.isoformat(),
        event.kind,
        event.stage,
        event.node,
        event.text,
        json.dumps(jsonable(event.data)),
    )

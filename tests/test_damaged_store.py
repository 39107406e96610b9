"""Issue 14 part 8: a damaged store is refused and left as it is; a full disk is called a full disk."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from coach.casefile import store as store_module
from coach.casefile.store import Store
from coach.cli.main import main
from coach.errors import CoachError


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()}


def one_line(err: str) -> bool:
    return err.count("\n") == 1 and "internal error" not in err and "Traceback" not in err


# -- a 0-byte store ---------------------------------------------------------------------------


def test_a_zero_byte_store_is_refused_and_left_as_it_is(
    coach_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (coach_home / "coach.db").write_bytes(b"")
    before = snapshot(coach_home)
    assert main(["case", "new", "--set", "balance=1"]) == 2
    err = capsys.readouterr().err
    assert one_line(err) and "empty (0 bytes)" in err and "untouched" in err
    assert snapshot(coach_home) == before  # not re-created, no -wal or -shm beside it


def test_a_new_store_is_never_seen_empty(coach_home: Path) -> None:
    """It is written whole beside its name and linked into place: no 0-byte window for another process."""
    path = coach_home / "new.db"
    seen: list[int] = []
    real_link = store_module.os.link

    def watching_link(source: Any, target: Any) -> None:
        seen.append(Path(source).stat().st_size)
        real_link(source, target)

    store_module.os.link = watching_link  # type: ignore[assignment]
    try:
        Store.open(path).close()
    finally:
        store_module.os.link = real_link  # type: ignore[assignment]
    assert seen and seen[0] > 0
    assert sorted(p.name for p in coach_home.iterdir() if p.name.startswith("new.db")) == [
        "new.db",
        "new.db-clean",
    ]
    with closing(Store.open(path)) as store:  # and it opens again as a coach store
        assert store.create_case({}, "x") == 1


# -- corruption quick_check misses ------------------------------------------------------------------


def lying_index(path: Path) -> None:
    """An index whose entries no longer match its table: quick_check says ok, integrity_check does not."""
    with closing(Store.open(path)) as store:
        case_id = store.create_case({}, "St. Anne")
        store.add_deadline(case_id, "pay", None)
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA writable_schema = ON")
        db.execute(
            "UPDATE sqlite_master SET sql = 'CREATE INDEX deadlines_by_case ON deadlines (what)' "
            "WHERE name = 'deadlines_by_case'"
        )
        db.commit()
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA quick_check").fetchone()[0] == "ok"


def test_corruption_quick_check_misses_is_refused_after_an_unclean_end(
    coach_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = coach_home / "coach.db"
    lying_index(path)  # another program wrote it: the clean-close mark no longer matches
    before = snapshot(coach_home)
    assert main(["case", "new", "--set", "balance=1"]) == 2
    err = capsys.readouterr().err
    assert one_line(err) and "damaged" in err and "missing from index" in err
    assert snapshot(coach_home) == before  # nothing was written into it


def test_the_full_check_runs_on_demand_even_after_a_clean_close(
    coach_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = coach_home / "coach.db"
    lying_index(path)
    store_module._mark_clean(path)  # pretend coach closed it cleanly (the damage came in by itself)
    Store.open(path).close()  # the fast path trusts the mark
    with pytest.raises(CoachError, match="damaged"):
        Store.open(path, full_check=True)
    monkeypatch.setenv("COACH_CHECK", "full")
    with pytest.raises(CoachError, match="damaged"):
        Store.open(path)
    monkeypatch.delenv("COACH_CHECK")
    with closing(Store.open(path)) as store:
        assert "missing from index" in store.check()


# -- a full disk ----------------------------------------------------------------------------------


class _FullDisk:
    """A connection whose every statement fails the way SQLite fails on a full disk."""

    def __init__(self, real: sqlite3.Connection) -> None:
        self.real = real

    def execute(self, *args: Any) -> Any:
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorcode = sqlite3.SQLITE_FULL  # type: ignore[attr-defined]
        raise error

    def close(self) -> None:
        self.real.close()


def test_a_full_disk_at_open_is_reported_as_a_full_disk(
    coach_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    Store.open().close()
    real_connect = sqlite3.connect
    monkeypatch.setattr(store_module.sqlite3, "connect", lambda *a, **k: _FullDisk(real_connect(*a, **k)))
    assert main(["case", "list"]) == 2
    err = capsys.readouterr().err
    assert one_line(err) and "disk is full" in err and "damaged" not in err and "not a coach" not in err


def test_a_full_disk_while_saving_is_reported_as_a_full_disk(coach_home: Path) -> None:
    with closing(Store.open()) as store:
        store.create_case({}, "first")
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        store._db.execute(f"PRAGMA max_page_count = {pages}")  # the disk holds not one page more
        with pytest.raises(CoachError, match="the disk is full") as caught:
            for index in range(200):
                store.create_case({"note": "x" * 2000}, f"case {index}")
        assert "nothing was changed" in str(caught.value) and "damaged" not in str(caught.value)


def test_a_full_disk_while_creating_the_store_is_reported_as_a_full_disk(
    coach_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    def full(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store_module, "_create_store_file", full)
    with pytest.raises(CoachError, match="the disk is full"):
        Store.open(coach_home / "fresh.db")
    assert not (coach_home / "fresh.db").exists()


# -- --out errors never claim a recording ---------------------------------------------------------


def out_targets(base: Path) -> list[str]:
    folder = base / "a-folder"
    folder.mkdir(exist_ok=True)
    return [
        str(folder),  # a folder, not a file
        "/proc/coach-cannot-write-here.txt",
        str(base / ("n" * 300 + ".txt")),  # a name too long
        str(base / "missing" / ("m" * 300) / "x.txt"),
        "/dev/full",
        "/dev/null/x.txt",
    ]


@pytest.mark.parametrize(
    "argv",
    [
        ["review", "--last", "--out"],
        ["plan", "--case", "1", "--out"],
        ["deadlines", "--ics"],
        ["letter", "itemized", "--case", "1", "--out"],
        ["case", "export", "1"],
    ],
)
def test_out_path_errors_are_one_line_and_never_claim_a_recording(
    tmp_path: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    from coach.calls import CallRequest, open_call
    from coach.dialogue.playbook import load_playbook
    from tests.conftest import DIALOGUES

    sets = [
        "creditor=St. Anne",
        "balance=2400",
        "patient_name=Ana",
        "patient_address=1 Main St",
        "account_number=A1",
    ]
    assert main(["case", "new", *[f"--set={pair}" for pair in sets]]) == 0
    with closing(Store.open()) as store:
        open_call(store, load_playbook([DIALOGUES]), CallRequest(case_id=1, counterpart="hospital")).finish(
            "x"
        )
    capsys.readouterr()
    for target in out_targets(tmp_path):
        code = main([*argv, target])
        err = capsys.readouterr().err
        assert code == 2, (target, err)
        assert one_line(err) and "everything recorded" not in err and "nothing" in err, (target, err)

"""Nothing a user typed is turned into a command, and nothing coach writes harms another file (issue 14).

Terminal escapes in user or imported text are printed escaped on every terminal
surface; ``--out`` never writes through a link, onto coach's own store or over
an existing file unless told to; coach sets modes only on what it creates, and
refuses a store it may not write without touching it.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from coach.casefile.store import Store
from coach.cli.main import main
from coach.termtext import has_control, printable
from tests.test_tui_helpers import saved_call

OSC52 = "\x1b]52;c;cHduZWQ=\x07"  # writes "pwned" to the clipboard of a terminal that obeys it
HOSTILE = f"Midstate{OSC52} Recovery\x9b2J\u202e\r"
ROOT = Path(__file__).resolve().parent.parent


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


# -- terminal control characters -------------------------------------------------


def test_printable_escapes_every_control_but_keeps_lines_when_asked() -> None:
    assert printable(HOSTILE) == "Midstate\\x1b]52;c;cHduZWQ=\\x07 Recovery\\x9b2J\\u202e\\x0d"
    assert printable("a\nb\tc\x1b", keep_lines=True) == "a\nb\tc\\x1b"
    assert printable("a\nb") == "a\\x0ab"
    assert printable("bad byte \udcff") == "bad byte \\udcff"  # a lone surrogate would not even encode
    assert has_control("x\x07") and not has_control("St. Anne [ER visit] $1,200 — ok")


def escaped(text: str) -> bool:
    """No raw control character left, and the escaped form is there to read."""
    return not has_control(text.replace("\n", "").replace("\t", "")) and "\\x1b" in text


def hostile_case() -> int:
    store = Store.open()
    case_id = store.create_case(
        {"creditor": HOSTILE, "account_number": f"AC-1{OSC52}", "balance": "100.00"}, HOSTILE, "collections"
    )
    store.add_deadline(case_id, f"pay by{OSC52}", None, source=f"call{OSC52}")
    store.close()
    return case_id


@pytest.mark.parametrize(
    "argv",
    [
        ["case", "list"],
        ["case", "show", "1"],
        ["deadlines"],
        ["deadlines", "--case", "1"],
        ["plan", "--case", "1"],
    ],
)
def test_case_text_is_printed_escaped(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    hostile_case()
    assert main(argv) == 0
    assert escaped(capsys.readouterr().out)


def test_case_new_prints_its_label_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text(json.dumps({"creditor": f"Midstate{OSC52}"}), encoding="utf-8")
    assert main(["case", "new", "--facts", str(facts)]) == 0
    assert escaped(capsys.readouterr().out)


def test_review_text_is_printed_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    call_id = saved_call({"creditor": HOSTILE})
    store = Store.open()
    store._db.execute("UPDATE cases SET label = ?", (HOSTILE,))
    store._db.execute("UPDATE events SET text = ? WHERE kind = 'heard'", (f"we can take{OSC52} $1,200",))
    store._db.execute("UPDATE calls SET outcome = ?", (f"ended{OSC52}",))
    store.close()
    for fmt in ("text", "markdown", "html"):
        assert main(["review", str(call_id), "--format", fmt]) == 0
        assert escaped(capsys.readouterr().out), fmt
    assert main(["review", "--list"]) == 0
    assert escaped(capsys.readouterr().out)


def test_an_error_naming_user_text_is_one_escaped_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["case", "new", "--set", f"balance=12{OSC52}"]) == 2
    err = capsys.readouterr().err
    assert escaped(err) and err.count("\n") == 1


def test_line_mode_acknowledgements_are_escaped(tmp_path: Path) -> None:
    """A rep name, a note and a heard line with escapes: the line mode shows them escaped."""
    lines = f"/rep Dana{OSC52}\n/note call back{OSC52}\nwe can take 60 percent{OSC52}\n/end\n"
    result = subprocess.run(
        [sys.executable, "-m", "coach", "live", "--plain", "--counterpart", "collections"],
        input=lines,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Dana\\x1b]52" in result.stdout and "\x1b" not in result.stdout and "\x07" not in result.stdout


# -- --out ---------------------------------------------------------------------------


@pytest.fixture
def call_id() -> int:
    return saved_call()


def test_out_refuses_coachs_own_store(
    call_id: int, coach_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store_file = coach_home / "coach.db"
    before = store_file.read_bytes()
    for name in ("coach.db", "coach.db-wal", "coach.db-shm"):
        assert main(["review", "--last", "--format", "text", "--out", str(coach_home / name), "--force"]) == 2
        assert "coach's own case file" in capsys.readouterr().err
    os.link(store_file, coach_home.parent / "another-name.db")  # the same file under another name
    assert main(["review", "--last", "--out", str(coach_home.parent / "another-name.db"), "--force"]) == 2
    assert store_file.read_bytes() == before
    assert Store.open().call(call_id).id == call_id


def test_out_never_writes_through_a_symlink(
    call_id: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = tmp_path / "someone-elses.txt"
    victim.write_text("theirs")
    victim.chmod(0o644)
    planted = tmp_path / "report.txt"
    planted.symlink_to(victim)
    assert main(["review", "--last", "--format", "text", "--out", str(planted), "--force"]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert victim.read_text() == "theirs" and mode_of(victim) == 0o644 and planted.is_symlink()
    dangling = tmp_path / "new.txt"
    dangling.symlink_to(tmp_path / "would-be-created")
    assert main(["review", "--last", "--format", "text", "--out", str(dangling)]) == 2
    assert not (tmp_path / "would-be-created").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["review", "--last", "--format", "text", "--out"],
        "letter validation --case 1 --set patient_name=Jo --set patient_address=Elm --set account_number=A --out".split(),
        ["deadlines", "--ics"],
        ["case", "export", "1"],
        ["plan", "--case", "1", "--out"],
    ],
)
def test_an_existing_file_is_replaced_only_with_force(
    argv: list[str], call_id: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "existing.out"
    target.write_text("keep me")
    target.chmod(0o640)
    assert main([*argv, str(target)]) == 2
    err = capsys.readouterr().err
    assert "already exists; add --force" in err and err.count("\n") == 1
    assert target.read_text() == "keep me" and mode_of(target) == 0o640
    assert main([*argv, str(target), "--force"]) == 0
    assert target.read_text() != "keep me" and mode_of(target) == 0o600
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_out_creates_missing_folders_owner_only_whatever_the_umask(call_id: int, tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        assert (
            main(["review", "--last", "--format", "text", "--out", str(tmp_path / "a" / "b" / "c.txt")]) == 0
        )
    finally:
        os.umask(old)
    assert mode_of(tmp_path / "a") == 0o700 and mode_of(tmp_path / "a" / "b") == 0o700
    assert mode_of(tmp_path / "a" / "b" / "c.txt") == 0o600


def test_out_into_a_folder_it_cannot_write_is_one_line(
    call_id: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["review", "--last", "--out", "/proc/coach-cannot-write-here.txt"]) == 2
    err = capsys.readouterr().err
    assert "nothing was written" in err and "everything recorded" not in err and err.count("\n") == 1


# -- modes and read-only stores ---------------------------------------------------------


def test_locate_leaves_an_existing_data_folder_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    monkeypatch.setenv("COACH_HOME", str(shared))
    assert main(["locate"]) == 0
    assert main(["case", "list"]) == 0
    assert mode_of(shared) == 0o1777
    assert mode_of(shared / "coach.db") == 0o600  # what coach creates is owner-only


def test_a_new_data_folder_is_owner_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "new" / "home"))
    old = os.umask(0)
    try:
        assert main(["locate"]) == 0
    finally:
        os.umask(old)
    assert mode_of(tmp_path / "new") == 0o700 and mode_of(tmp_path / "new" / "home") == 0o700


def snapshot(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    return {p.name: (p.stat().st_mode, p.stat().st_mtime_ns, p.read_bytes()) for p in folder.iterdir()}


@pytest.mark.parametrize("locked", ["file", "folder"])
def test_a_read_only_store_is_refused_and_untouched(
    locked: str, coach_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved_call()
    store_file = coach_home / "coach.db"
    store_file.chmod(0o400)
    if locked == "folder":
        coach_home.chmod(0o500)
    before = snapshot(coach_home)
    try:
        for argv in (
            ["case", "list"],
            ["review", "--last", "--format", "text"],
            ["live", "--plain"],
            ["home", "--headless"],
        ):
            assert main(argv) == 2, argv
            err = capsys.readouterr().err
            assert "read-only" in err and "left untouched" in err and err.count("\n") == 1
        assert snapshot(coach_home) == before
        assert mode_of(store_file) == 0o400
    finally:
        coach_home.chmod(0o700)


def test_a_store_of_another_account_is_refused_and_untouched(
    coach_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if os.geteuid() != 0:
        pytest.skip("giving a file to another account needs root")
    saved_call()
    store_file = coach_home / "coach.db"
    os.chown(store_file, 4321, 4321)
    before = snapshot(coach_home)
    assert main(["case", "list"]) == 2
    err = capsys.readouterr().err
    assert "another account (uid 4321)" in err and err.count("\n") == 1
    assert snapshot(coach_home) == before and store_file.stat().st_uid == 4321


def test_review_json_printed_is_valid_json_with_controls_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    call_id = saved_call()
    store = Store.open()
    store._db.execute("UPDATE events SET text = ? WHERE kind = 'heard'", (f"take{OSC52}\x9b2J\u202e $1,200",))
    store.close()
    assert main(["review", str(call_id), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert not has_control(out.replace("\n", "")) and "\\u009b" in out
    texts = json.dumps(json.loads(out))
    assert "\\u001b]52" in texts and "\\u009b2J" in texts and "\\u202e" in texts  # the data itself is kept


def test_a_data_folder_that_cannot_be_made_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "a-file" / "home"))
    assert main(["case", "list"]) == 2
    err = capsys.readouterr().err
    assert "cannot create coach's data folder" in err and err.count("\n") == 1

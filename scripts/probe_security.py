"""Issue 14's probe, repeatable: raw escapes printed, loose modes, --out harm, stores touched, lost edits.

Usage: python scripts/probe_security.py [TREE] [--crashes]   (TREE: a checkout to test, default this one)
Prints one JSON line of counts; every count should be 0 or false. ``--crashes`` runs parts 7-8 instead:
hostile input (bad bytes, year 9999, 5,000 digits, billion laughs, spoiled imports, bad templates) and
damaged stores.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
TREE = ARGS[0] if ARGS else str(Path(__file__).resolve().parent.parent)
OSC = "\x1b]52;c;cHduZWQ=\x07"


def main() -> None:
    base = Path(tempfile.mkdtemp())
    home = base / "a" / "home"
    env = dict(os.environ, PYTHONPATH=TREE, COACH_HOME=str(home))

    def coach(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "coach", *args],
            env=env,
            cwd=TREE,  # `python -m` puts the working folder first on sys.path
            capture_output=True,
            text=True,
            input=stdin,
            preexec_fn=lambda: os.umask(0),  # the loosest umask: what coach creates must still be private
            check=False,
        )

    found: dict[str, object] = {}
    coach("locate")
    coach("case", "new", "--label", f"St. Anne{OSC}", "--set", f"creditor=Mid{OSC}")
    coach("case", "edit", "1", "--set", "account_number=AC-1", "--set", "balance=100")
    runs = [
        coach(*argv)
        for argv in (["case", "list"], ["case", "show", "1"], ["deadlines"], ["plan", "--case", "1"])
    ]
    lines = f"/rep Dana{OSC}\n/note x{OSC}\nthey said{OSC} 60 percent\n/end\n"
    runs.append(coach("live", "--plain", "--case", "1", "--counterpart", "collections", stdin=lines))
    runs += [coach("review", "--last", "--format", fmt) for fmt in ("text", "markdown")]
    found["runs"] = len(runs)
    found["tracebacks"] = sum("Traceback" in r.stderr or "internal error" in r.stderr for r in runs)
    found["raw ESC printed"] = sum((r.stdout + r.stderr).count("\x1b") for r in runs)
    coach("review", "--last", "--out", str(base / "out" / "deep" / "r.txt"))
    coach("deadlines", "--ics", str(base / "cal" / "d.ics"))
    loose = [p for p in base.rglob("*") if not p.is_symlink() and stat.S_IMODE(p.lstat().st_mode) & 0o077]
    found["loose modes (umask 000)"] = len(loose)
    victim = base / "victim"
    victim.write_text("theirs")
    victim.chmod(0o644)
    (base / "link.txt").symlink_to(victim)
    coach("review", "--last", "--out", str(base / "link.txt"))
    found["symlinked --out hit its target"] = (
        victim.read_text() != "theirs" or stat.S_IMODE(victim.stat().st_mode) != 0o644
    )
    existing = base / "existing.txt"
    existing.write_text("keep")
    coach("review", "--last", "--out", str(existing))
    found["existing file replaced without --force"] = existing.read_text() != "keep"
    store = home / "coach.db"
    before = store.read_bytes()
    coach("review", "--last", "--out", str(store))  # refused even with --force
    found["--out onto coach.db changed it"] = store.read_bytes() != before
    shared = base / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    env["COACH_HOME"] = str(shared)
    coach("locate")
    found["shared folder's mode changed"] = stat.S_IMODE(shared.stat().st_mode) != 0o1777
    locked = base / "ro"
    locked.mkdir()
    env["COACH_HOME"] = str(locked)
    coach("case", "new", "--set", "balance=1")
    (locked / "coach.db").chmod(0o400)
    locked.chmod(0o500)
    snapshot = {p.name: (p.stat().st_mode, p.stat().st_mtime_ns) for p in locked.iterdir()}
    result = coach("case", "new", "--set", "balance=2")
    locked.chmod(0o700)
    after = {p.name: (p.stat().st_mode, p.stat().st_mtime_ns) for p in locked.iterdir()}
    found["read-only store touched"] = snapshot != after or result.returncode == 0
    env["COACH_HOME"] = str(base / "race")
    coach("case", "new", "--set", "balance=100")
    lost = failed = 0
    for i in range(40):
        state = "OH" if i % 2 else "CA"
        pair = [
            subprocess.Popen(
                [sys.executable, "-m", "coach", "case", "edit", "1", "--set", setting],
                env=env,
                cwd=TREE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for setting in (f"account_number=A{i}", f"state={state}")
        ]
        codes = [p.wait() for p in pair]
        with sqlite3.connect(base / "race" / "coach.db") as db:
            facts = json.loads(db.execute("SELECT facts FROM cases").fetchone()[0])
        kept = facts.get("account_number") == f"A{i}" and facts.get("state") == state
        failed += codes != [0, 0]
        lost += not kept and codes == [0, 0]  # both said "updated", yet a fact is gone
    found["edit races"] = 40
    found["edits lost while both said updated"] = lost
    found["edits refused (one line, exit 2)"] = failed
    print(json.dumps(found))


BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)


def crashes() -> None:
    """Issue 14 parts 7-8: hostile input and damaged stores; counts attempts, tracebacks, items lost."""
    base = Path(tempfile.mkdtemp())
    env = dict(os.environ, PYTHONPATH=TREE, COACH_HOME=str(base / "home"))
    found: dict[str, object] = {"attempts": 0, "tracebacks": 0, "items lost": 0}
    failed: list[str] = []

    def coach(*args: str, stdin: bytes | None = None, name: str = "") -> subprocess.CompletedProcess[bytes]:
        found["attempts"] = int(str(found["attempts"])) + 1
        try:
            result = subprocess.run(
                [sys.executable, "-m", "coach", *args],
                env=env,
                cwd=TREE,
                capture_output=True,
                input=stdin,
                timeout=30,
                check=False,
            )
        except subprocess.TimeoutExpired:  # the billion laughs before the fix: 45 s into a MemoryError
            found["tracebacks"] = int(str(found["tracebacks"])) + 1
            failed.append(name or args[0])
            return subprocess.CompletedProcess(args, 1, b"", b"timed out")
        err = result.stderr.decode(errors="replace")
        if "Traceback" in err or "internal error" in err:
            found["tracebacks"] = int(str(found["tracebacks"])) + 1
            failed.append(name or " ".join(args)[:40])
        return result

    def notes(call_id: int) -> list[str]:
        with sqlite3.connect(base / "home" / "coach.db") as db:
            rows = db.execute("SELECT text FROM events WHERE call_id = ? AND kind = 'note'", (call_id,))
            return [row[0] for row in rows]

    coach("case", "new", "--set", "creditor=St. Anne", "--set", "balance=2400", "--set", "account_number=A1")
    typed = ["/note before the bad byte", "/note bad \xff byte", "/note after the bad byte"]
    lines = b"/note before the bad byte\n/note bad \xff byte\n/note after the bad byte\n/end\n"
    coach("live", "--plain", "--case", "1", "--counterpart", "collections", stdin=lines, name="bad byte")
    found["items lost"] = int(str(found["items lost"])) + max(0, len(typed) - len(notes(1)))
    # a date near year 9999, typed and saved; then every case's deadlines
    coach("case", "edit", "1", "--set", "first_bill_date=9999-12-31", name="year 9999")
    coach("deadlines", name="deadlines after 9999")
    # facts files
    for name, text in (
        ("feb 30", "creditor: X\nfirst_bill_date: 2025-02-30\n"),
        ("5,000 digits", "creditor: X\nplan_payments: " + "9" * 5000 + "\n"),
        ("household 5,000 digits", "creditor: X\nhousehold_size: " + "9" * 5000 + "\n"),
        ("billion laughs", BILLION_LAUGHS + "creditor: *i\n"),
    ):
        path = base / f"{name}.yaml"
        path.write_text(text)
        coach("case", "new", "--facts", str(path), name=name)
    for household, income in (("9" * 5000, "30000"), ("2", "9" * 5000), ("99999999999999999999", "1")):
        coach(
            "eligibility", "--household", household, "--income", income, "--state", "OR", name="eligibility"
        )
    # imports with bad amounts and dates, then review
    export = base / "export.json"
    coach("case", "export", "1", str(export))
    document = json.loads(export.read_text())
    for index, spoil in enumerate(("amount", "date", "at")):
        spoiled = json.loads(json.dumps(document))
        spoiled["case"]["facts"].pop("first_bill_date", None)
        events = spoiled["calls"][0]["events"]
        if spoil == "amount":
            events.append(
                dict(events[-1], seq=len(events) + 1, kind="note", data={"kind": "offer", "amount": "NaN"})
            )
        elif spoil == "date":
            spoiled["deadlines"] = [{"due": "9999-12-31", "what": "x"}]
            spoiled["case"]["facts"]["payment_due_date"] = "9999-12-31"
        else:
            events[0]["at"] = "9999-12-31T23:59:59-12:00"
        path = base / f"spoiled{index}.json"
        path.write_text(json.dumps(spoiled))
        coach("case", "import", str(path), name=f"import {spoil}")
        coach("review", "--last", name=f"review after import {spoil}")
        coach("deadlines", name=f"deadlines after import {spoil}")
    # coach check on a bad legal_terms regex and ask: given as a list
    dialogues = base / "dialogues"
    shutil.copytree(Path(TREE) / "dialogues", dialogues)
    meta = dialogues / "playbook.yaml"
    meta.write_text(meta.read_text().replace("  legal_terms:\n", "  legal_terms:\n    - '(unclosed'\n", 1))
    coach("check", str(dialogues), name="check legal_terms")
    shutil.rmtree(dialogues)
    shutil.copytree(Path(TREE) / "dialogues", dialogues)
    contact = dialogues / "contact.yaml"
    contact.write_text(
        contact.read_text().replace(
            "    capture: [rep_name, rep_id, reference]",
            "    ask: [balance]\n    capture: [rep_name, rep_id, reference]",
            1,
        )
    )
    coach("check", str(dialogues), name="check ask list")
    # a template that passes check but fails when reached: the call must go on
    shutil.rmtree(dialogues)
    shutil.copytree(Path(TREE) / "dialogues", dialogues)
    contact.write_text(
        contact.read_text().replace("for {{ patient_name }}. I want", "for {{ balance + 'x' }}. I want", 1)
    )
    before = len(list(sqlite3.connect(base / "home" / "coach.db").execute("SELECT id FROM calls")))
    coach(
        "live",
        "--plain",
        "--case",
        "1",
        "--counterpart",
        "hospital",
        "--dialogues",
        str(dialogues),
        stdin=b"/note one\n/note two\n/end\n",
        name="render error",
    )
    call_ids = [r[0] for r in sqlite3.connect(base / "home" / "coach.db").execute("SELECT id FROM calls")]
    found["items lost"] = int(str(found["items lost"])) + (
        2 - len(notes(call_ids[-1])) if len(call_ids) > before else 2
    )
    # damaged stores
    env["COACH_HOME"] = str(base / "empty")
    (base / "empty").mkdir()
    (base / "empty" / "coach.db").write_bytes(b"")
    coach("case", "list")
    found["0-byte store re-created"] = (base / "empty" / "coach.db").stat().st_size > 0
    env["COACH_HOME"] = str(base / "lying")
    coach("case", "new", "--set", "balance=1")
    db_path = base / "lying" / "coach.db"
    with sqlite3.connect(db_path) as db:
        db.execute("INSERT INTO deadlines (case_id, due, what) VALUES (1, NULL, 'x')")
    with sqlite3.connect(db_path) as db:
        db.execute("PRAGMA writable_schema = ON")
        db.execute(
            "UPDATE sqlite_master SET sql = 'CREATE INDEX deadlines_by_case ON deadlines (what)' "
            "WHERE name = 'deadlines_by_case'"
        )
    coach("case", "new", "--set", "balance=2")
    with sqlite3.connect(db_path) as db:
        found["damaged store written into"] = db.execute("SELECT count(*) FROM cases").fetchone()[0] != 1
    found["failed"] = failed
    print(json.dumps(found))


if __name__ == "__main__":
    crashes() if "--crashes" in sys.argv else main()

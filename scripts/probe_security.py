"""Issue 14's probe, repeatable: raw escapes printed, loose modes, --out harm, stores touched, lost edits.

Usage: python scripts/probe_security.py [TREE]   (TREE: a checkout to test, default this one)
Prints one JSON line of counts; every count should be 0 or false.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

TREE = sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).resolve().parent.parent)
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


if __name__ == "__main__":
    main()

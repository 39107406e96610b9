"""Check that review and every export write the very same bytes as an older coach.

    python scripts/review_same.py                 # against main as of b909ab6
    python scripts/review_same.py --old REV       # against another commit
    python scripts/review_same.py --old-tree DIR  # against a checked-out tree

It writes one store of calls (the two 10,000-event calls of ``scripts/bench.py --only review``,
calls played through the Session as the tests play them, and stored rows the writers no longer
write: old payloads, odd JSON, naive and offset times), then renders every call in every format
with each tree's code, in fresh processes, in a few time zones, and compares them byte for byte.
Exit status 1 if anything differs (the first difference is printed).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ZONES = ("UTC", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata")

MAKE = r"""
import datetime as dt, json, sqlite3, sys
from decimal import Decimal
from pathlib import Path
sys.path.insert(0, sys.argv[2])  # scripts/, for bench's payloads
from bench import REVIEW_PAYLOADS, SHOWN_COACH
from coach.casefile.store import Store
from coach.dialogue.playbook import load_playbook
from coach.paths import dialogues_dir
from coach.session.engine import Session
from coach.session.events import Event

store = Store.open(Path(sys.argv[1]))
case_id = store.create_case({"balance": "2480", "validation_notice_date": "2026-11-02"}, "b", "collections")
plain = store.start_call(case_id, "live", "collections")
shaped_id = store.start_call(case_id, "live", "collections")
now = dt.datetime(2026, 3, 8, 6, 59, 58, 123456, tzinfo=dt.UTC)  # across New York's clock change
kinds = ["shown", "step", "heard", "note"]
with store.batch():
    for i in range(1, 10_001):
        kind = kinds[i % 4]
        data = {"kind": "reference"} if kind == "note" else {}
        at = now + dt.timedelta(seconds=i)
        text = f"line {i} <b>{{{{ x }}}}</b> *y* [z]"
        store.append(plain, Event(i, at, kind, "settle", "settle.counter", text, data))
        shaped = REVIEW_PAYLOADS[kind] | ({"coach": f"{text} {SHOWN_COACH}"} if kind == "shown" else {})
        store.append(shaped_id, Event(i, at, kind, "settle", "settle.counter", text, shaped))
store.end_call(plain, "bench")
store.end_call(shaped_id, "bench")

playbook = load_playbook([dialogues_dir()])
HOSTILE = "<script>alert(1)</script> {{ 7*7 }} [bold]x[/] *y* | z"
for counterpart, mode in (("collections", "live"), ("hospital", "rehearse"), ("doctor", "live")):
    case = store.create_case({"account_number": "AC-1"}, "St. Anne", counterpart)
    call = store.start_call(case, mode, counterpart)
    session = Session(playbook, counterpart, {"balance": Decimal("2480")}, sink=store.sink_for(call))
    session.note("rep_name", HOSTILE)
    session.note("reference", "REF-4471")
    session.note("offer", "$1,200")
    session.note("counter", "$75 a month for 12 months")
    session.note("promise", "will mail validation notice")
    session.note("deadline", "by 12/15/2026")
    for line in ("We don't do deletions", "We can take $1,200 if you pay today.",
                 "I can do $100 a month for 24 months.", "OK, I can accept 765 as a settlement in full"):
        session.hear(line)
    session.hear("That sounds fine to me", by="partner")
    session.set_fact("patient_name", HOSTILE)
    session.choose(1)
    session.undo()
    session.choose(1)
    if counterpart != "doctor":
        session.note("agreed", "900 by 12/15/2026")
    session.end()
    store.end_call(call, "ended by user")
open_call = store.start_call(None, "live", "collections")  # never ended: interrupted
Session(playbook, "collections", {}, sink=store.sink_for(open_call)).note("reference", "R-1")
store.close()

# Rows no writer of this version writes: old payloads (amounts as numbers), unknown keys, JSON with
# spaces, naive and offset times, empty texts, kinds with no payload.
db = sqlite3.connect(sys.argv[1])
case = db.execute("INSERT INTO cases (label, counterpart, facts, created, updated) VALUES "
                  "('old', 'collections', '{}', '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00')").lastrowid
call = db.execute("INSERT INTO calls (case_id, mode, counterpart, started, ended, outcome) VALUES "
                  "(?, 'live', 'collections', '2025-01-01T10:00:00+00:00', '2025-01-01T11:00:00', NULL)", (case,)).lastrowid
rows = [
    ("2025-01-01T10:00:00+00:00", "start", "{}", ""),
    ("2025-01-01T10:00:00.999999+00:00", "start", '{"mode": "live", "counterpart": "collections", "x": 1}', ""),
    ("2025-01-01T10:00:01", "shown", '{"coach": "naive time", "warn": "Careful"}', ""),
    ("2025-01-01T05:00:02-05:00", "shown", '  {"coach": "spaces around", "warn": "Careful"}  ', ""),
    ("2025-01-01T10:00:03+00:00", "shown", '{"coach": null, "warn": "Other warning", "choices": ["a"]}', "Said"),
    ("2025-01-01T10:00:04+05:30", "note", '{"kind": "offer", "amount": 1200, "monthly": false}', "1200"),
    ("2025-01-01T10:00:05+00:00", "note", '{"kind": "counter", "amount": "75.5", "monthly": true, "months": 12, "date": "2026-12-15"}', "x"),
    ("2025-01-01T10:00:06+00:00", "note", '{"kind": "agreed", "amount": "bad", "date": "not a date"}', "agreed words"),
    ("2025-01-01T10:00:07+00:00", "note", '{"kind": "agreed", "amount": "900", "months": true, "by": "them"}', "y"),
    ("2025-01-01T10:00:08+00:00", "note", '{}', "untyped note"),
    ("2025-01-01T10:00:09+00:00", "note", '{"kind": "made_up_kind", "other": [1, 2]}', "made up"),
    ("2025-01-01T10:00:10+00:00", "heard", '{"by": "partner", "intent": "accepted", "amount": "500"}', "partner ok"),
    ("2025-01-01T10:00:11+00:00", "heard", '{"intent": "accepted", "amount": 600, "weigh": "Good.", "reply": null}', "ok 600"),
    ("2025-01-01T10:00:12+00:00", "heard", '{"intent": "agreement_reached", "amount": "-5", "reply": "Say thanks"}', "neg"),
    ("2025-01-01T10:00:13+00:00", "heard", '{"by": "user", "intent": "accepted", "amount": "700"}', "user said"),
    ("2025-01-01T10:00:14+00:00", "heard", '{"intents": ["a", "b"], "also": ["c"]}', ""),
    ("2025-01-01T10:00:15+00:00", "fact", '{"name": "balance", "value": "2480", "old": null}', "$2,480.00"),
    ("2025-01-01T10:00:16+00:00", "fact", '{}', "nameless"),
    ("2025-01-01T10:00:17+00:00", "undo", '{"undone_after": 3, "from": "a.b", "to": "settle.counter"}', ""),
    ("2025-01-01T10:00:18+00:00", "undo", '{}', ""),
    ("2025-01-01T10:00:19+00:00", "warning", '{}', "A warning event"),
    ("2025-01-01T10:00:19+00:00", "warning", '{}', "A warning event"),
    ("2025-01-01T10:00:20+00:00", "said", '{"by": "user"}', "I said this"),
    ("2025-01-01T10:00:21+00:00", "step", '{"choice": "x", "from": "a", "to": "b"}', ""),
    ("2025-01-01T10:00:22+00:00", "step", '{"choice": "x"}', "Chose x"),
    ("2025-01-01T10:00:23+00:00", "score", '{"points": 1, "possible": 2, "items": []}', "Score 1/2\n```fence```"),
    ("2025-01-01T10:00:24+00:00", "end", '{"reason": "r"}', ""),
    ("2025-01-01T10:00:25+00:00", "end", '{"reason": "r"}', "by user"),
    ("2025-06-01T10:00:26.5+00:00", "shown", '{"coach": "summer time\\nnew line  spaced \\u00e9", "warn": ""}', ""),
    ("1969-12-31T23:59:59.5+00:00", "shown", '{"coach": "before the epoch"}', ""),
]
db.executemany("INSERT INTO events (call_id, seq, at, kind, stage, node, text, data) VALUES (?, ?, ?, ?, 'settle', ?, ?, ?)",
               [(call, i, at, kind, f"settle.n{i}", text, data) for i, (at, kind, data, text) in enumerate(rows, 1)])
empty = db.execute("INSERT INTO calls (case_id, mode, counterpart, started, ended, outcome) VALUES "
                   "(NULL, 'rehearse', 'hospital', '2025-01-01T10:00:00+00:00', '2025-01-01T10:00:00+00:00', 'x')").lastrowid
db.commit()
db.close()
print(json.dumps([c for c in range(1, empty + 1)]))
"""

RENDER = r"""
import json, sys
from pathlib import Path
from coach.casefile import export
from coach.casefile.store import Store
store = Store.open(Path(sys.argv[1]))
out = {}
for call in json.loads(sys.argv[2]):
    for fmt in export.FORMATS:
        out[f"{call} {fmt}"] = export.render_call(store, call, fmt)
store.close()
sys.stdout.write(json.dumps(out))
"""


def run(code: str, tree: Path, home: Path, zone: str, *args: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(tree), COACH_HOME=str(home), TZ=zone, PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run(
        [PYTHON, "-c", code, *args], env=env, capture_output=True, text=True, check=False, cwd=home
    )
    if done.returncode:
        raise SystemExit(f"{tree}: failed\n{done.stderr}")
    return done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--old", default="b909ab6", help="the commit to compare with (git archive of it)")
    parser.add_argument("--old-tree", type=Path, help="a tree to compare with, instead of --old")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        old = args.old_tree
        if old is None:
            old = base / "old"
            old.mkdir()
            archive = subprocess.run(["git", "archive", args.old], cwd=ROOT, capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
        made = base / "made"
        made.mkdir()
        calls = run(MAKE, old, made, "UTC", str(made / "coach.db"), str(ROOT / "scripts")).strip()
        checked = 0
        for zone in ZONES:
            shown: dict[str, dict[str, str]] = {}
            for name, tree in (("old", old), ("new", ROOT)):
                home = base / f"{name}-{zone.replace('/', '-')}"
                home.mkdir()
                for file in made.iterdir():
                    shutil.copy(file, home / file.name)
                shown[name] = json.loads(run(RENDER, tree, home, zone, str(home / "coach.db"), calls))
            assert shown["old"].keys() == shown["new"].keys()
            for key, text in shown["old"].items():
                if text != shown["new"][key]:
                    new = shown["new"][key]
                    at = next((i for i, (a, b) in enumerate(zip(text, new, strict=False)) if a != b), None)
                    at = min(len(text), len(new)) if at is None else at
                    print(f"DIFFERENT: call {key} in {zone} at character {at}:")
                    print(f"  old: {text[max(0, at - 80) : at + 80]!r}")
                    print(f"  new: {new[max(0, at - 80) : at + 80]!r}")
                    return 1
                checked += 1
        sqlite3.connect(made / "coach.db").close()
        print(f"same: {checked} renders ({len(json.loads(calls))} calls x 4 formats x {len(ZONES)} zones)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

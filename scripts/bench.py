"""coach's benchmarks: every figure of docs/performance.md, measured in one run and printed with its goal.

    python scripts/bench.py            # everything (about 5 minutes on 2 cores)
    python scripts/bench.py --quick    # fewer repetitions

How each figure is taken (docs/performance.md says it at length):
- A ratio comes from paired, alternating runs (A B A B ...): the ratio of the two medians.
- Start-up is a fresh process each time, headless, timed from launch by the monotonic clock that
  scripts/bench_probe.py stamps frames with: to the first frame, and to the first frame that shows
  what the screen settles on ("complete": every cell as in the last frame before it goes quiet).
- A TUI step is timed in a real terminal (tmux): the key as the driver read it → the first frame
  written after the step was handled, at 10 and at 500 transcript lines.
- ``coach check`` runs cold (a fresh process, nothing cached) on generated playbooks whose every
  text is distinct, so no cache flatters it.
- Peak memory is each process's own peak RSS (``wait4``), not tracemalloc's Python heap.
- coach's modules are compiled to bytecode first, as ``pip install .`` leaves them.
These machines are noisy (2 cores, shared): compare figures taken in one run.
"""

from __future__ import annotations

import argparse
import compileall
import copy
import datetime as dt
import math
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DIALOGUES = ROOT / "dialogues"
FACTS = ROOT / "tests" / "fixtures" / "facts.yaml"
PROBE = ROOT / "scripts" / "bench_probe.py"
PYTHON = sys.executable

Row = tuple[str, str, str, str]  # figure, measured, goal, verdict


def verdict(ok: bool | None) -> str:
    return "" if ok is None else ("met" if ok else "NOT MET")


def run_child(command: list[str], env: dict[str, str], cwd: Path = ROOT) -> tuple[float, float, float]:
    """Run a process to its end: (wall ms, CPU ms, peak RSS MB) of that process alone."""
    started = time.monotonic()
    child = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = (time.monotonic() - started) * 1000
    child.returncode = os.waitstatus_to_exitcode(status)
    error = child.stderr.read().decode() if child.stderr else ""
    if child.stderr:
        child.stderr.close()
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{error}")
    return wall, (usage.ru_utime + usage.ru_stime) * 1000, usage.ru_maxrss / 1024


def med(values: list[float]) -> float:
    return statistics.median(values)


# -- start-up ----------------------------------------------------------------

BARE_APP = """
from textual.app import App
from textual.widgets import Static


class Bare(App[None]):
    def compose(self):
        yield Static("floor")


Bare().run()
"""


def startup_once(kind: str, home: Path, bare: Path) -> tuple[float, float, float]:
    """(launch → first frame, launch → complete, peak RSS MB) of one fresh process."""
    log = Path(tempfile.mktemp(prefix="coach-probe-"))
    t0 = time.monotonic()
    env = dict(
        os.environ,
        COACH_HOME=str(home),
        COACH_PROBE_LOG=str(log),
        COACH_PROBE_T0=repr(t0),
        COACH_PROBE_HEADLESS="1",
        COACH_PROBE_QUIET_EXIT="0.4",
        COACH_PROBE_CALL="0",
        COACH_PROBE_CONTENT="1",
        PYTHONPATH=str(ROOT),
        TEXTUAL_ANIMATIONS="none",
    )
    if kind == "bare":
        env["COACH_PROBE_SCRIPT"] = str(bare)
    _, _, rss = run_child([PYTHON, str(PROBE), "home"], env)
    lines = log.read_text().splitlines()
    log.unlink()
    frames = [float(line.split()[1]) for line in lines if line.startswith("frame ")]
    contents = [line.split()[1] for line in lines if line.startswith("content ")]
    complete = frames[contents.index(contents[-1])]
    return (frames[0] - t0) * 1000, (complete - t0) * 1000, rss


def big_store(home: Path, events: int = 100_000) -> None:
    """A store with 100 calls of 1,000 events each (written in batches: this is set-up, not timed)."""
    from coach.casefile.store import Store
    from coach.session.events import Event

    store = Store.open(home / "coach.db")
    case = store.create_case({"account_number": "AC-1", "balance": "2480"}, "a big case", "collections")
    now = dt.datetime.now(dt.UTC)
    per_call = 1_000
    for _ in range(events // per_call):
        call = store.start_call(case, "live", "collections")
        with store.batch():
            for seq in range(1, per_call + 1):
                kind = "note" if seq % 4 == 0 else "heard"
                data = {"kind": "reference"} if kind == "note" else {}
                store.append(call, Event(seq, now, kind, "settle", "settle.counter", f"line {seq}", data))  # type: ignore[arg-type]
        store.end_call(call, "done")
    store.close()


def bench_startup(repeat: int) -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        empty, big, bare = Path(tmp) / "empty", Path(tmp) / "big", Path(tmp) / "bare.py"
        empty.mkdir()
        big.mkdir()
        bare.write_text(BARE_APP)
        big_store(big)
        runs: dict[str, list[tuple[float, float, float]]] = {"bare": [], "home": [], "big": []}
        homes = {"bare": empty, "home": empty, "big": big}
        for kind in runs:  # warm the OS file cache (and create the empty store) once
            startup_once("bare" if kind == "bare" else "home", homes[kind], bare)
        for _ in range(repeat):  # alternating: bare, home, home with 100,000 events, bare, ...
            for kind in runs:
                runs[kind].append(startup_once("bare" if kind == "bare" else "home", homes[kind], bare))
    first = {k: med([r[0] for r in v]) for k, v in runs.items()}
    done = {k: med([r[1] for r in v]) for k, v in runs.items()}
    rss = max(r[2] for v in runs.values() for r in v)
    rows: list[Row] = [
        (
            "cold start: bare one-widget Textual app → first frame",
            f"{first['bare']:,.0f} ms",
            "(the floor)",
            "",
        ),
        ("cold start: bare app → complete", f"{done['bare']:,.0f} ms", "(the floor)", ""),
    ]
    for kind, label in (("home", "empty store"), ("big", "100,000-event store")):
        for what, values in (("first frame", first), ("complete home (key hints painted)", done)):
            ratio = values[kind] / values["bare"]
            floor = first["bare"] if what == "first frame" else done["bare"]
            rows.append(
                (
                    f"cold start: coach home, {label} → {what}",
                    f"{values[kind]:,.0f} ms = {ratio:.2f}× floor",
                    "≤ 1.3× floor",
                    verdict(values[kind] <= 1.3 * floor),
                )
            )
    rows.append(("peak RSS of a start-up process", f"{rss:.0f} MB", "< 120 MB", verdict(rss < 120)))
    return rows


# -- the engine --------------------------------------------------------------


def step_samples(sink_for: Callable[[], Any] | None, count: int) -> list[float]:
    """choose → next view, ``count`` times, walking the shipped playbook (re-started when it ends)."""
    from coach.dialogue.facts import read_facts_file
    from coach.dialogue.playbook import load_playbook
    from coach.session.engine import Session

    playbook = load_playbook([DIALOGUES])
    facts = read_facts_file(FACTS, playbook)

    def new() -> Session:
        return Session(playbook, "collections", facts, sink=sink_for() if sink_for else None)

    session = new()
    samples: list[float] = []
    while len(samples) < count:
        view = session.view()
        if view.finished or not view.choices or (view.ask and not view.ask_current):
            session = new()  # start over (not timed)
            continue
        started = time.perf_counter()
        session.choose(len(view.choices))  # the way on
        session.view()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def call_step_samples(store_path: Path, preload: int, count: int) -> dict[str, list[float]]:
    """Call.submit as the live call screen drives it (``coach live --counterpart collections --facts``),
    with its store: after ``preload`` heard lines, "1" (a pick) and "/back" (ctrl+z) in turn, and a
    typed line of what they said. Each: the key's line in → every event stored and synced."""
    from coach.calls import CallRequest, open_call
    from coach.casefile.store import Store
    from coach.dialogue.playbook import load_playbook

    store = Store.open(store_path)
    call = open_call(
        store, load_playbook([DIALOGUES]), CallRequest("live", counterpart="collections", facts_file=FACTS)
    )
    for number in range(preload):
        call.submit(f"they said line {number}")
    call.pending = None
    samples: dict[str, list[float]] = {"pick": [], "back": [], "typed": []}
    for number in range(count + 5):  # the first few visit their step for the first time (not counted)
        for line, kind in (("1", "pick"), ("/back", "back")):
            started = time.perf_counter()
            call.submit(line)
            if number >= 5:
                samples[kind].append((time.perf_counter() - started) * 1000)
    for _ in range(count // 2):
        started = time.perf_counter()
        call.submit("We can settle for 1500 today")
        samples["typed"].append((time.perf_counter() - started) * 1000)
        call.pending = None
    store.close()
    return samples


def bench_call_steps(repeat: int) -> list[Row]:
    rows: list[Row] = []
    for preload in (10, 500):
        with tempfile.TemporaryDirectory(dir=ROOT) as tmp:  # on the project's disk, not a tmpfs
            samples = call_step_samples(Path(tmp) / "coach.db", preload, repeat * 10)
        pick, back, typed = (med(samples[k]) for k in ("pick", "back", "typed"))
        rows.append(
            (
                f"call step as the live screen takes it, {preload} lines (pick / back / typed line)",
                f"{pick:.2f} / {back:.2f} / {typed:.2f} ms",
                "pick, back < 4 ms",
                verdict(pick < 4 and back < 4),
            )
        )
    return rows


def bench_engine(repeat: int) -> list[Row]:
    from coach.casefile.store import EventSink, Store

    memory = step_samples(None, repeat * 40)
    with tempfile.TemporaryDirectory(dir=ROOT) as tmp:  # on the project's disk, not a tmpfs
        store = Store.open(Path(tmp) / "coach.db")
        case = store.create_case({}, "bench", "collections")
        commits: list[str] = []
        store._db.set_trace_callback(lambda sql: commits.append(sql) if sql == "COMMIT" else None)

        def sink() -> EventSink:
            return EventSink(store, store.start_call(case, "live", "collections"), case)

        stored = step_samples(sink, repeat * 40)
        store._db.set_trace_callback(None)
        per_step = len(commits) / len(stored)  # includes each new call's own commits: an upper bound
        store.close()
    return [
        (
            "engine step (choose → next view), in memory",
            f"{med(memory):.3f} ms",
            "< 1 ms",
            verdict(med(memory) < 1),
        ),
        (
            "engine step with the store, as calls run (median)",
            f"{med(stored):.3f} ms (≤ {per_step:.2f} commits/step)",
            "< 1 ms",
            verdict(med(stored) < 1),
        ),
        *bench_call_steps(repeat),  # the walk above takes the way on; a call screen's step is Call.submit
    ]


def bench_store(repeat: int) -> list[Row]:
    """A durable event write against a bare SQLite insert with the same settings, alternating."""
    from coach.casefile.store import Store
    from coach.session.events import Event

    with tempfile.TemporaryDirectory(dir=ROOT) as tmp:
        store = Store.open(Path(tmp) / "coach.db")
        call = store.start_call(store.create_case({}, "bench", "hospital"), "live", "hospital")
        raw = sqlite3.connect(Path(tmp) / "bare.db", isolation_level=None)
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("PRAGMA synchronous=FULL")
        raw.execute("CREATE TABLE e (a INTEGER, b TEXT)")
        now = dt.datetime.now(dt.UTC)
        ours, bare = [], []
        for seq in range(1, repeat * 40):
            event = Event(seq, now, "note", "assess", "assess.triage", "Dana", {"kind": "rep_name"})
            started = time.perf_counter()
            store.append(call, event)
            ours.append(time.perf_counter() - started)
            started = time.perf_counter()
            raw.execute("BEGIN IMMEDIATE")
            raw.execute("INSERT INTO e VALUES (1, 'Dana')")
            raw.execute("COMMIT")
            bare.append(time.perf_counter() - started)
        store.close()
        raw.close()
    ratio = med(ours) / med(bare)
    return [
        (
            "durable event write (WAL, synchronous=FULL) vs bare insert",
            f"{med(ours) * 1000:.3f} ms = {ratio:.2f}× bare ({med(bare) * 1000:.3f} ms)",
            "≤ 1.5× bare",
            verdict(ratio <= 1.5),
        )
    ]


# -- a step in a real terminal -------------------------------------------------


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=False, capture_output=True, text=True).stdout


def tui_steps(
    preload: int, presses: int, typed: bool = False, settle: float = 0.5
) -> tuple[list[float], list[int], list[int], int]:
    """Key → painted frame in tmux, with ``preload`` transcript lines first.

    Without ``typed`` each key is "1" (a pick) then ctrl+z (a step back), in turn: after the first
    two, steps the screen has drawn before. With ``typed`` each is the Enter after a line of what the
    other side said, each line different (a new reply in the big box, new transcript lines: nothing
    drawn before); the line is typed first and the time counts from its Enter.

    Returns (ms per key, frames per key, every frame per key, rows): *frames* leaves out the frames
    that only repainted the call timer's tick or the cursor's blink (the probe's ``background``),
    which land in a key's 0.3 s by chance; *every frame* counts them too. The first key waits
    ``settle`` seconds after the call screen is up."""
    home = Path(tempfile.mkdtemp(prefix="coach-tmux-"))
    log = home / "probe.log"
    session = f"coach-bench-{os.getpid()}"
    env = {
        "COACH_HOME": str(home),
        "COACH_PROBE_LOG": str(log),
        "COACH_PROBE_PRELOAD": str(preload),
        "PYTHONPATH": str(ROOT),
        "TEXTUAL_ANIMATIONS": "none",
    }
    arguments = ["live", "--counterpart", "collections", "--facts", str(FACTS)]
    command = " ".join(["env", *[f"{k}={v}" for k, v in env.items()], PYTHON, str(PROBE), *arguments])
    tmux("kill-session", "-t", session)
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", "-e", "COLORTERM=truecolor", command)

    def lines() -> list[str]:
        return log.read_text().splitlines() if log.exists() else []

    try:
        deadline = time.monotonic() + 60
        while not any(line.startswith("rows ") for line in lines()):
            if time.monotonic() > deadline:
                raise SystemExit(
                    "the call screen never came up in tmux:\n" + tmux("capture-pane", "-t", session, "-p")
                )
            time.sleep(0.05)
        time.sleep(settle)
        rows = int(next(line for line in lines() if line.startswith("rows ")).split()[1])
        took: list[float] = []
        frames: list[int] = []
        everything: list[int] = []
        for index in range(presses):
            if typed:
                tmux(
                    "send-keys",
                    "-t",
                    session,
                    "-l",
                    f"I will have to ask my supervisor about point {index + 1}",
                )
                time.sleep(0.3)  # the typing's own frames land before the Enter is timed
            seen = len(lines())
            if typed:
                tmux("send-keys", "-t", session, "Enter")
            else:
                tmux("send-keys", "-t", session, "1" if index % 2 == 0 else "C-z")  # a step, then undo it
            deadline = time.monotonic() + 5
            while True:
                new = [line.split() for line in lines()[seen:]]
                keys = [float(v) for k, v in new if k == "key"]
                handled = [float(v) for k, v in new if k == "handled"]
                painted = [float(v) for k, v in new if k == "frame" and handled and float(v) > handled[0]]
                flushed = [float(v) for k, v in new if k == "flushed" and painted and float(v) >= painted[0]]
                if keys and flushed:
                    break
                if time.monotonic() > deadline:
                    raise SystemExit(f"no frame after a key: {new}")
                time.sleep(0.002)
            took.append((flushed[0] - keys[0]) * 1000)  # the step's frame written to the terminal and flushed
            time.sleep(0.3)  # let the step's follow-up frames land before the next key
            settled = [line.split() for line in lines()[seen:]]
            every = sum(1 for k, v in settled if k == "frame" and float(v) >= keys[0])
            background = sum(1 for k, v in settled if k == "background" and float(v) >= keys[0])
            frames.append(every - background)
            everything.append(every)
        return took, frames, everything, rows
    finally:
        tmux("kill-session", "-t", session)
        shutil.rmtree(home, ignore_errors=True)


def bench_tui_step(repeat: int) -> list[Row]:
    if shutil.which("tmux") is None:
        return [("TUI step, key → painted frame (tmux)", "tmux not installed", "≤ 16 ms", "")]
    samples: dict[tuple[int, bool], list[float]] = {}
    frames: list[int] = []
    every: list[int] = []
    rows = {}
    for _ in range(2):  # alternating: a short call, a long one, a short one, a long one
        for preload in (10, 500):
            for typed in (False, True):
                took, counted, all_counted, rows[preload] = tui_steps(preload, repeat * 2, typed)
                samples.setdefault((preload, typed), []).extend(took)
                frames.extend(counted)
                every.extend(all_counted)
    result: list[Row] = []
    for (preload, typed), took in sorted(samples.items()):
        p90 = sorted(took)[int(len(took) * 0.9)]
        what = "a typed line's Enter (new reply)" if typed else "a pick or step back"
        result.append(
            (
                f"TUI step in tmux, key → painted frame: {what}, {rows[preload]} transcript lines",
                f"{med(took):.1f} ms (p90 {p90:.0f} ms)",
                "≤ 16 ms",
                verdict(med(took) <= 16),
            )
        )
    first: list[float] = []
    for _ in range(3):  # a fresh call each time: nothing heard before, as when the rep first speaks
        first.extend(tui_steps(0, 1, typed=True, settle=1.5)[0])
    result.append(
        (
            "TUI step in tmux: a call's first typed line (1.5 s after the call screen is up)",
            f"{med(first):.1f} ms (worst {max(first):.0f} ms)",
            "≤ 16 ms",
            verdict(med(first) <= 16),
        )
    )
    short = samples[(10, False)] + samples[(10, True)]
    long = samples[(500, False)] + samples[(500, True)]
    flat = med(long) / med(short)
    result.append(
        ("TUI step: 500 lines vs 10 lines", f"{flat:.2f}×", "flat (≈ 1×)", verdict(flat < 1.25)),
    )
    result.append(
        (
            "TUI step: frames painted per key (median; mean)",
            f"{med(frames):.0f}; {sum(frames) / len(frames):.2f} (with the timer's and cursor's: {med(every):.0f}; "
            f"{sum(every) / len(every):.2f})",
            "1",
            verdict(med(frames) <= 1),
        )
    )
    return result


# -- coach check -----------------------------------------------------------------


def scaled_playbook(folder: Path, copies: int) -> int:
    """The shipped playbook chained ``copies`` times into ``folder``, every text distinct; the node count."""
    documents = {path.name: yaml.safe_load(path.read_text()) for path in sorted(DIALOGUES.glob("*.yaml"))}
    meta_doc = next(doc for doc in documents.values() if "playbook" in doc)
    start = meta_doc["playbook"]["start"]
    count = 0
    for k in range(copies):
        for name, doc in documents.items():
            if "nodes" not in doc:
                if k == 0:
                    (folder / name).write_text(yaml.safe_dump(doc, sort_keys=False))
                continue
            clone = copy.deepcopy(doc)
            for node in clone["nodes"]:
                node["id"] = _suffix(node["id"], k)
                _distinct(node, k)  # no two copies share a text, so no cache flatters the numbers
                for choice in node.get("choices", []):
                    choice["next"] = _suffix(choice["next"], k)
                if isinstance(node.get("next"), str):
                    node["next"] = _suffix(node["next"], k)
                elif isinstance(node.get("next"), list):
                    for arm in node["next"]:
                        for key in ("then", "else"):
                            if key in arm:
                                arm[key] = _suffix(arm[key], k)
                if node.get("end") and k < copies - 1:
                    del node["end"]
                    node["next"] = _suffix(start, k + 1)
                count += 1
            (folder / f"{Path(name).stem}-{k}.yaml").write_text(yaml.safe_dump(clone, sort_keys=False))
    return count


def _distinct(node: dict[str, Any], k: int) -> None:
    if not k:
        return
    for key in ("coach", "title", "warn"):
        if isinstance(node.get(key), str) and node[key]:
            node[key] += f" (copy {k})"
    say = node.get("say")
    if isinstance(say, str):
        node["say"] = say + f" (copy {k})"
    elif isinstance(say, dict):
        node["say"] = {variant: f"{text} (copy {k})" for variant, text in say.items()}
    for choice in node.get("choices", []):
        if isinstance(choice.get("label"), str):
            choice["label"] += f" (copy {k})"


def _suffix(ref: str, k: int) -> str:
    if k == 0:
        return ref
    stage, dot, node = ref.rpartition(".")
    return f"{stage}{dot}{node}-c{k}" if dot else f"{ref}-c{k}"


def bench_check(repeat: int) -> list[Row]:
    rows: list[Row] = []
    points: list[tuple[int, float]] = []
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        folders = {}
        with tempfile.TemporaryDirectory() as one:
            base = scaled_playbook(Path(one), 1)
        for target in (5_000, 10_000, 20_000):
            folder = Path(tmp) / f"n{target}"
            folder.mkdir()
            folders[scaled_playbook(folder, max(1, round(target / base)))] = folder
        runs: dict[int, list[tuple[float, float, float]]] = {n: [] for n in folders}
        for _ in range(max(2, repeat // 3)):  # cold each time: a fresh process, in turn
            for nodes, folder in folders.items():
                runs[nodes].append(run_child([PYTHON, "-m", "coach", "check", str(folder)], env))
    for nodes, samples in runs.items():
        wall, cpu, rss = (
            med([s[0] for s in samples]),
            med([s[1] for s in samples]),
            max(s[2] for s in samples),
        )
        points.append((nodes, wall))
        goal = "< 2 s" if 9_000 < nodes < 11_000 else ""
        rows.append(
            (
                f"coach check, cold, {nodes:,} generated nodes (distinct texts)",
                f"{wall / 1000:.2f} s (CPU {cpu / 1000:.2f} s, {rss:.0f} MB)",
                goal,
                verdict(wall < 2000) if goal else "",
            )
        )
    (n1, t1), (n2, t2) = points[0], points[-1]
    slope = math.log(t2 / t1) / math.log(n2 / n1)
    rows.append(
        (
            f"coach check: growth {n1:,} → {n2:,} nodes (log-log slope)",
            f"{slope:.2f}",
            "linear (≈ 1)",
            verdict(slope < 1.15),
        )
    )
    return rows


# -- review and export -------------------------------------------------------------

REVIEW_COLD = """
import sys, time
t = time.perf_counter()
from pathlib import Path
from coach.casefile import export
from coach.casefile.store import Store
store = Store.open(Path(sys.argv[1]))
export.render_call(store, 1, sys.argv[2])
print(f"{(time.perf_counter() - t) * 1000:.3f}")
"""


# The payloads a real call writes (coach.session.payloads: what the engine and hearing store), for
# a second run of the review: the call above has 3 events in 4 with no payload at all, and reading
# payloads is most of a real review.
SHOWN_COACH = (
    "Ask for the offer in writing before you agree to anything, and note the name of the person "
    "you spoke to and the reference number of the call."
)
REVIEW_PAYLOADS: dict[str, dict[str, Any]] = {
    "shown": {"phrase_id": "", "coach": "", "warn": "", "choices": ["Continue", "They refused", "Go back"]},
    "step": {"choice": "continue", "from": "settle.counter", "to": "settle.counter"},
    "heard": {
        "by": "counterpart",
        "intent": "verify_identity",
        "intents": ["verify_identity"],
        "amount": None,
        "percent": None,
        "monthly": None,
        "months": None,
        "fee": None,
        "refused": None,
        "reply": "I can confirm my name and mailing address; please send the validation notice.",
        "warning": "Don't say the debt is yours, especially if it is old.",
        "verdict": "none",
        "weigh": "",
        "counter": None,
    },
    "note": {"kind": "reference"},
}


def bench_review(repeat: int) -> list[Row]:
    from coach.casefile import export
    from coach.casefile.store import Store
    from coach.session.events import Event

    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "coach.db"
        store = Store.open(path)
        case_id = store.create_case(
            {"balance": "2480", "validation_notice_date": "2026-11-02"}, "b", "collections"
        )
        call_id = store.start_call(case_id, "live", "collections")
        shaped_id = store.start_call(case_id, "live", "collections")
        now = dt.datetime.now(dt.UTC)
        kinds = ["shown", "step", "heard", "note"]
        with store.batch():
            for i in range(1, 10_001):
                kind = kinds[i % 4]
                data: dict[str, Any] = {"kind": "reference"} if kind == "note" else {}
                at = now + dt.timedelta(seconds=i)
                text = f"line {i} <b>{{{{ x }}}}</b> *y* [z]"
                store.append(call_id, Event(i, at, kind, "settle", "settle.counter", text, data))  # type: ignore[arg-type]
                shaped = REVIEW_PAYLOADS[kind] | (
                    {"coach": f"{text} {SHOWN_COACH}"} if kind == "shown" else {}
                )
                store.append(shaped_id, Event(i, at, kind, "settle", "settle.counter", text, shaped))  # type: ignore[arg-type]
        store.end_call(call_id, "bench")
        store.end_call(shaped_id, "bench")
        env = dict(os.environ, PYTHONPATH=str(ROOT), COACH_HOME=tmp)
        for fmt in export.FORMATS:
            warm = []
            for _ in range(max(3, repeat // 3)):
                started = time.perf_counter()
                export.render_call(store, call_id, fmt)
                warm.append((time.perf_counter() - started) * 1000)
            cold = subprocess.run(
                [PYTHON, "-c", REVIEW_COLD, str(path), fmt],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            inside = float(cold.stdout.strip())
            rows.append(
                (
                    f"review + export {fmt}, 10,000 events",
                    f"{med(warm):,.0f} ms (a fresh process: {inside:,.0f} ms after start)",
                    "< 250 ms",
                    verdict(med(warm) < 250),
                )
            )
        for fmt in export.FORMATS:  # the same call with each event's payload as a real call writes it
            warm = []
            for _ in range(max(3, repeat // 3)):
                started = time.perf_counter()
                export.render_call(store, shaped_id, fmt)
                warm.append((time.perf_counter() - started) * 1000)
            rows.append(
                (
                    f"review + export {fmt}, 10,000 events with real payloads",
                    f"{med(warm):,.0f} ms",
                    "< 250 ms",
                    verdict(med(warm) < 250),
                )
            )
        store.close()
    return rows


# -- the table -------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, load average {load}"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--only", help="comma-separated: startup,engine,store,tui,check,review")
    args = parser.parse_args()
    repeat = 5 if args.quick else 11
    benches = {
        "startup": bench_startup,
        "engine": bench_engine,
        "store": bench_store,
        "tui": bench_tui_step,
        "check": bench_check,
        "review": bench_review,
    }
    chosen = args.only.split(",") if args.only else list(benches)
    # coach as installed: `pip install .` compiles every module, like the Textual the bare app imports.
    # Without this a run timed whatever bytecode earlier processes happened to leave (about a tenth
    # of a start's instructions, varying from run to run).
    compileall.compile_dir(ROOT / "coach", quiet=1)
    print(f"coach benchmarks, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {machine()}")
    rows: list[Row] = []
    for name in chosen:
        rows.extend(benches[name](repeat))
    header = ("figure", "measured", "goal", "")
    widths = [max(len(r[i]) for r in [*rows, header]) for i in range(4)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    print(
        f"(peak RSS of this benchmark process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""coach's benchmarks: each figure measured side by side in one run, printed with its goal.

    python scripts/bench.py            # everything
    python scripts/bench.py --quick    # fewer repetitions

Numbers, not timed tests: these machines are noisy, so compare ratios taken in
one run (see ../shared/STACK.md). Results go to stdout as a table; paste them
into docs/performance.md with the date.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DIALOGUES = ROOT / "dialogues"
FACTS = ROOT / "tests" / "fixtures" / "facts.yaml"

Row = tuple[str, str, str, str]  # figure, measured, goal, peak memory


def median_ms(run: Callable[[], Any], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def peak_kib(run: Callable[[], Any]) -> str:
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return f"{peak / 1024:,.0f} KiB"


# -- engine ------------------------------------------------------------------


def bench_engine(repeat: int) -> list[Row]:
    from coach.engine import Session
    from coach.playbook import load_playbook, read_facts_file

    playbook = load_playbook([DIALOGUES])
    facts = read_facts_file(FACTS, playbook)
    session = Session(playbook, "collections", facts)
    samples = []
    while len(samples) < repeat * 20:
        view = session.view()
        if view.finished or not view.choices or (view.ask and not view.ask_current):
            session = Session(playbook, "collections", facts)  # start over (not timed)
            continue
        started = time.perf_counter()
        session.choose(len(view.choices))  # the way on
        session.view()
        samples.append((time.perf_counter() - started) * 1000)
    build = median_ms(lambda: Session(playbook, "collections", facts), repeat)
    return [
        (
            "engine: choose → next view rendered (median)",
            f"{statistics.median(samples):.3f} ms",
            "< 1 ms",
            "",
        ),
        (
            "engine: new Session (machine built)",
            f"{build:.2f} ms",
            "",
            peak_kib(lambda: Session(playbook, "collections", facts)),
        ),
    ]


def bench_tui_step(repeat: int) -> list[Row]:
    """A step in the app through Pilot: press 1-9, the Session moves, the screen repaints."""
    import argparse
    import asyncio

    from coach.tui.app import make_app
    from coach.tui.screens.call import CallScreen

    os.environ.setdefault("COACH_HOME", tempfile.mkdtemp())
    args = argparse.Namespace(counterpart="collections", case=None, facts=FACTS, dialogues=None)
    samples: list[float] = []

    async def drive() -> None:
        app = make_app("live", args)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            assert isinstance(screen, CallScreen)
            for _ in range(repeat * 2):
                started = time.perf_counter()
                await pilot.press("1")  # triage: "court papers" → the lawsuit step
                await pilot.pause()
                samples.append((time.perf_counter() - started) * 1000)
                screen.action_undo()
                await pilot.pause()

    asyncio.run(drive())
    return [
        ("app: key 1 → next step painted (Pilot, median)", f"{statistics.median(samples):.1f} ms", "", "")
    ]


# -- coach check ---------------------------------------------------------------


def scaled_playbook(folder: Path, copies: int) -> int:
    """Write the shipped playbook chained ``copies`` times into ``folder``; returns the node count."""
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
                if k and isinstance(node.get("coach"), str):
                    node["coach"] += f" (copy {k})"  # distinct texts, so no cache flatters the numbers
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


def _suffix(ref: str, k: int) -> str:
    if k == 0:
        return ref
    stage, dot, node = ref.rpartition(".")
    return f"{stage}{dot}{node}-c{k}" if dot else f"{ref}-c{k}"


def bench_check(repeat: int) -> list[Row]:
    from coach.playbook import check_playbook

    rows: list[Row] = []
    base_nodes = 0
    with tempfile.TemporaryDirectory() as tmp:
        for copies in (1, 10, 100):
            folder = Path(tmp) / f"x{copies}"
            folder.mkdir()
            nodes = scaled_playbook(folder, copies)
            base_nodes = base_nodes or nodes
            _, problems = check_playbook([folder])
            assert not problems, problems[:3]
            took = median_ms(lambda f=folder: check_playbook([f]), max(1, repeat // (copies // 10 + 1)))
            per_node = took / nodes * 1000
            goal = "linear; 10,000 nodes < 2 s" if copies > 1 else ""
            rows.append(
                (
                    f"coach check: {copies}× shipped ({nodes:,} nodes)",
                    f"{took:,.0f} ms ({per_node:.0f} µs/node)",
                    goal,
                    peak_kib(lambda f=folder: check_playbook([f])) if copies < 100 else "",
                )
            )
    return rows


# -- store ---------------------------------------------------------------------


def bench_store(repeat: int) -> list[Row]:
    try:
        from coach.store import Store
    except ImportError:
        return [("durable event write", "store not built yet", "", "")]
    from coach.events import Event

    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "coach.db")
        case_id = store.create_case({}, "bench", "hospital")
        call_id = store.start_call(case_id, "live", "hospital")
        now = dt.datetime.now(dt.UTC)
        seq = iter(range(1, 10**7))
        event = lambda: Event(next(seq), now, "note", "assess", "assess.triage", "Dana", {"kind": "rep_name"})  # noqa: E731
        write = median_ms(lambda: store.append(call_id, event()), repeat * 50)
        store.close()
        raw = sqlite3.connect(Path(tmp) / "bare.db", isolation_level=None)
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("PRAGMA synchronous=FULL")
        raw.execute("CREATE TABLE e (a INTEGER, b TEXT)")
        bare = median_ms(lambda: raw.execute("INSERT INTO e VALUES (1, 'Dana')"), repeat * 50)
        raw.close()
    rows.append(
        (
            "durable event write (store.append, WAL, synchronous=FULL)",
            f"{write:.3f} ms",
            f"bare insert: {bare:.3f} ms",
            "",
        )
    )
    return rows


def bench_review(repeat: int) -> list[Row]:
    try:
        from coach import export, review  # noqa: F401
        from coach.store import Store
    except ImportError:
        return [("review/export of 10,000 events", "not built yet", "< 0.5 s", "")]
    from coach.events import Event

    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "coach.db")
        case_id = store.create_case({}, "bench", "collections")
        call_id = store.start_call(case_id, "live", "collections")
        now = dt.datetime.now(dt.UTC)
        kinds = ["shown", "step", "heard", "note"]
        for i in range(1, 10_001):
            kind = kinds[i % 4]
            data: dict[str, Any] = {"kind": "reference"} if kind == "note" else {}
            store.append(
                call_id, Event(i, now, kind, "settle", "settle.counter", f"line {i} <b>{{{{ x }}}}</b>", data)
            )  # type: ignore[arg-type]
        store.end_call(call_id, "bench")
        events = store.events(call_id)
        for fmt in ("text", "markdown", "json", "html"):
            run = _review_runner(store, call_id, fmt)
            took = median_ms(run, max(1, repeat // 2))
            rows.append(
                (f"review + export {fmt}, 10,000 events", f"{took:,.0f} ms", "< 500 ms", peak_kib(run))
            )
        store.close()
        assert len(events) == 10_000
    return rows


def _review_runner(store: Any, call_id: int, fmt: str) -> Callable[[], Any]:
    from coach import export

    def run() -> Any:
        return export.render_call(store, call_id, fmt)

    return run


# -- start-up ------------------------------------------------------------------

BARE_APP = """
import sys, time
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("floor")
    def on_mount(self):
        self.call_after_refresh(self.exit)
Bare().run(headless=True)
"""


def bench_startup(repeat: int) -> list[Row]:
    if not (ROOT / "coach" / "tui").is_dir():
        return [("cold start to first frame of home", "TUI not built yet", "≤ 1.3× floor", "")]
    env = dict(
        os.environ, COACH_HOME=tempfile.mkdtemp(), TEXTUAL_ANIMATIONS="none", COACH_EXIT_AFTER_FIRST_FRAME="1"
    )
    python = sys.executable

    def bare() -> None:
        subprocess.run([python, "-c", BARE_APP], env=env, check=True, capture_output=True)

    def home() -> None:
        subprocess.run(
            [python, "-m", "coach", "home", "--headless"], env=env, check=True, capture_output=True
        )

    floor_samples, coach_samples = [], []
    for _ in range(repeat):  # interleaved, so both see the same machine noise
        floor_samples.append(median_ms(bare, 1))
        coach_samples.append(median_ms(home, 1))
    floor, ours = statistics.median(floor_samples), statistics.median(coach_samples)
    shutil.rmtree(env["COACH_HOME"], ignore_errors=True)
    return [
        ("cold start: bare Textual app, launch → first frame → exit", f"{floor:,.0f} ms", "(the floor)", ""),
        (
            "cold start: coach home, launch → first frame → exit",
            f"{ours:,.0f} ms ({ours / floor:.2f}× floor)",
            "≤ 1.3× floor",
            "",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    repeat = 5 if args.quick else 15
    rows: list[Row] = []
    for bench in (bench_startup, bench_engine, bench_tui_step, bench_check, bench_store, bench_review):
        rows.extend(bench(repeat))
    widths = [
        max(len(r[i]) for r in [*rows, ("figure", "measured", "goal", "peak memory")]) for i in range(4)
    ]
    header = ("figure", "measured", "goal", "peak memory")
    print(f"coach benchmarks, {dt.date.today()}, Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

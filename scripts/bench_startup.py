"""Start-up: launch to the first frame of coach's home screen, against a bare Textual app.

    python scripts/bench_startup.py [--runs 15]

Both run headless in a fresh process (a throw-away COACH_HOME), report the wall
clock time of their first painted frame on stderr and exit. Runs are
interleaved so both see the same machine noise; the medians are printed, with
the ratio. The goal is home within 1.3x the bare app.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE_APP = """
import sys, time
from textual.app import App
from textual.widgets import Static


class Bare(App[None]):
    def compose(self):
        yield Static("floor")

    def on_mount(self) -> None:
        self.call_after_refresh(self.painted)

    def painted(self) -> None:
        print(f"first-frame {time.time():.6f}", file=sys.stderr)
        self.exit()


Bare().run(headless=True)
"""


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(launch → first frame, launch → exit) in milliseconds."""
    started = time.time()
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    ended = time.time()
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    marks = [line.split()[1] for line in done.stderr.splitlines() if line.startswith("first-frame ")]
    if not marks:
        raise SystemExit(f"{' '.join(command)} never reported its first frame:\n{done.stderr}")
    return (float(marks[-1]) - started) * 1000, (ended - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15, help="runs of each (default 15)")
    args = parser.parse_args()
    env = dict(os.environ, COACH_HOME=tempfile.mkdtemp(prefix="coach-bench-"), TEXTUAL_ANIMATIONS="none")
    env.pop("COACH_EXIT_AFTER_FIRST_FRAME", None)
    commands = {
        "bare Textual app": [sys.executable, "-c", BARE_APP],
        "coach home": [sys.executable, "-m", "coach", "home", "--headless"],
    }
    for command in commands.values():  # warm the OS file cache once
        run_once(command, env)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            samples[name].append(run_once(command, env))
    print(f"{'':<18} {'first frame':>12} {'exit':>9}   (median of {args.runs}, ms after launch)")
    medians = {}
    for name, runs in samples.items():
        first = statistics.median(r[0] for r in runs)
        total = statistics.median(r[1] for r in runs)
        medians[name] = first
        print(f"{name:<18} {first:>12.0f} {total:>9.0f}")
    ratio = medians["coach home"] / medians["bare Textual app"]
    print(f"coach home paints its first frame at {ratio:.2f}x the bare app (goal: at most 1.3x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

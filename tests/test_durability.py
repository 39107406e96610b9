"""Nothing acknowledged is lost: a live call killed with SIGKILL keeps every input it answered.

Each run starts ``coach live --plain`` with a facts file, types N lines (random
N; notes of several kinds and lines heard from the other side), waits until
coach has printed the next prompt after each one (the acknowledgement), kills
the process with SIGKILL, and reopens the store to find all N, in order, on the
case created from the facts.
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coach.casefile.store import Store

RUNS = 24
PROMPT = b"\n> "  # every prompt starts a line
FACTS = Path(__file__).parent / "fixtures" / "facts.yaml"
ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {"note": "/note", "reference": "/ref", "promise": "/promise", "rep_name": "/rep"}


def read_until_prompt(process: subprocess.Popen[bytes], buffer: bytearray, seen: int) -> int:
    """Block until prompt number ``seen + 1`` has been printed; returns the new count."""
    assert process.stdout is not None
    deadline = time.monotonic() + 20
    while buffer.count(PROMPT) < seen + 1:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            pytest.fail(f"no prompt; output so far: {buffer[-500:]!r}")
        ready, _, _ = select.select([process.stdout], [], [], remaining)
        if ready:
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                pytest.fail(f"coach exited early: {buffer[-500:]!r}")
            buffer.extend(chunk)
    return seen + 1


def an_input(rng: random.Random, run: int, index: int) -> tuple[str, tuple[str, str]]:
    """A line to type, and the (kind, text) of the event it must leave in the store."""
    text = f"run {run} line {index} {rng.random():.6f}"
    kind = rng.choice([*COMMANDS, "heard"])
    if kind == "heard":
        return f"they said {text}", ("heard", f"they said {text}")
    return f"{COMMANDS[kind]} {text}", (kind, text)


@pytest.mark.parametrize("run", range(RUNS))
def test_sigkill_mid_call_loses_nothing_acknowledged(tmp_path: Path, run: int) -> None:
    rng = random.Random(run)
    count = rng.randint(1, 15)
    env = dict(os.environ, COACH_HOME=str(tmp_path))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "coach",
            "live",
            "--plain",
            "--counterpart",
            "collections",
            "--facts",
            str(FACTS),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
    )
    assert process.stdin is not None
    try:
        buffer = bytearray()
        prompts = read_until_prompt(process, buffer, 0)
        expected = []
        for index in range(count):
            line, event = an_input(rng, run, index)
            expected.append(event)
            process.stdin.write(line.encode() + b"\n")
            process.stdin.flush()
            prompts = read_until_prompt(process, buffer, prompts)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    store = Store.open(tmp_path / "coach.db")
    try:
        [case] = store.cases()
        [call] = store.calls(case.id)
        found = [
            (event.data["kind"] if event.kind == "note" else event.kind, event.text)
            for event in store.events(call.id)
            if event.kind in ("note", "heard")
        ]
    finally:
        store.close()
    assert case.facts["account_number"] == "AC-558812" and case.counterpart == "collections"
    assert call.ended is None  # killed: never ended, yet every acknowledged input is there
    assert found == expected

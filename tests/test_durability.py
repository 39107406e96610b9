"""Nothing acknowledged is lost: a live call killed with SIGKILL keeps every input it answered.

Each run types N lines (random N), waits until coach has printed the next prompt
for each one (the acknowledgement), kills the process with SIGKILL, and reopens
the store to find all N.
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

from coach.store import Store

RUNS = 20
PROMPT = b"\n> "  # every prompt starts a line


def read_until_prompt(process: subprocess.Popen[bytes], buffer: bytearray, seen: int) -> int:
    """Block until a new prompt appears after ``seen`` prompts; returns the new count."""
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


@pytest.mark.parametrize("run", range(RUNS))
def test_sigkill_mid_call_loses_nothing_acknowledged(tmp_path: Path, run: int) -> None:
    rng = random.Random(run)
    count = rng.randint(1, 12)
    env = dict(os.environ, COACH_HOME=str(tmp_path))
    process = subprocess.Popen(
        [sys.executable, "-m", "coach", "live", "--plain", "--counterpart", "collections"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert process.stdin is not None
    buffer = bytearray()
    prompts = read_until_prompt(process, buffer, 0)
    typed = []
    for index in range(count):
        line = f"/note run {run} line {index} {rng.random():.6f}"
        typed.append(line.removeprefix("/note "))
        process.stdin.write(line.encode() + b"\n")
        process.stdin.flush()
        prompts = read_until_prompt(process, buffer, prompts)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    store = Store.open(tmp_path / "coach.db")
    try:
        notes = [e.text for e in store.events(1) if e.kind == "note"]
    finally:
        store.close()
    assert notes == typed

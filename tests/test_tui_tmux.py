"""The real `coach` in a real terminal (tmux): start a live call from home, and read the screen back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)"
)


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def session(coach_home: Path) -> Iterator[str]:
    name = f"coach-test-{uuid.uuid4().hex[:8]}"
    coach = Path(sys.executable).parent / "coach"
    command = f"{coach if coach.exists() else sys.executable + ' -m coach'}"
    tmux(
        "new-session",
        "-d",
        "-s",
        name,
        "-x",
        "100",
        "-y",
        "30",
        "-e",
        f"COACH_HOME={coach_home}",
        "-e",
        "COLORTERM=truecolor",
        "-e",
        f"PATH={os.environ['PATH']}",
        command,
    )
    tmux("set-option", "-t", name, "remain-on-exit", "on")
    yield name
    subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)


def wait_for(name: str, text: str, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-t", name, "-p", "-J")
        if text in screen:
            return screen
        time.sleep(0.1)
    pytest.fail(f"{text!r} never appeared; screen was:\n{screen}")


def test_live_call_from_home_in_a_real_terminal(session: str, coach_home: Path) -> None:
    wait_for(session, "Live call with a hospital")
    tmux("send-keys", "-t", session, "1")
    wait_for(session, "First, anything urgent?")
    tmux("send-keys", "-t", session, "-l", "/rep Dana Lopez")
    tmux("send-keys", "-t", session, "Enter")
    screen = wait_for(session, "Rep's name: Dana Lopez")
    assert "● Assess" in screen
    tmux("send-keys", "-t", session, "F10")
    screen = wait_for(session, "What was recorded")
    assert "Rep's name: Dana Lopez" in screen
    tmux("resize-window", "-t", session, "-x", "60", "-y", "20")
    time.sleep(0.5)
    assert "Traceback" not in tmux("capture-pane", "-t", session, "-p")

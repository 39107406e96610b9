"""The real `coach` in a real terminal (tmux): a live call from home to its review, read back from the screen."""

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

from coach.store import Store

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it with apt)"
)


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def screen_of(name: str) -> str:
    return tmux("capture-pane", "-t", name, "-p", "-J")


@pytest.fixture
def session(coach_home: Path) -> Iterator[str]:
    name = f"coach-test-{uuid.uuid4().hex[:8]}"
    coach = Path(sys.executable).parent / "coach"
    command = str(coach) if coach.exists() else f"{sys.executable} -m coach"
    env = [
        f"COACH_HOME={coach_home}",
        "COLORTERM=truecolor",
        "TEXTUAL_ANIMATIONS=none",
        f"PATH={os.environ['PATH']}",
    ]
    tmux(
        "new-session", "-d", "-s", name, "-x", "80", "-y", "24", *[a for e in env for a in ("-e", e)], command
    )
    tmux("set-option", "-t", name, "remain-on-exit", "on")
    yield name
    subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)


def wait_for(name: str, *texts: str, timeout: float = 20) -> str:
    """Poll the pane until every text is on it (never a blind sleep)."""
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = screen_of(name)
        if all(text in screen for text in texts):
            return screen
        time.sleep(0.05)
    pytest.fail(f"{texts!r} never all appeared; the screen was:\n{screen}")


def keys(name: str, *names: str) -> None:
    tmux("send-keys", "-t", name, *names)


def typed(name: str, text: str) -> None:
    tmux("send-keys", "-t", name, "-l", text)
    tmux("send-keys", "-t", name, "Enter")


def test_a_live_call_from_home_to_its_review(session: str) -> None:
    wait_for(session, "3  Live call: collection agency", "Recent calls")
    keys(session, "3")
    wait_for(session, "LIVE", "● Assess", "First, anything urgent?", "6  None of these")
    typed(session, "/rep Dana Lopez")  # sent fast, Enter and all: lines must never run together
    typed(session, "They want the full balance today")
    wait_for(session, "Rep's name: Dana Lopez", "heard (")  # the status line: what coach made of it
    keys(session, "C-f")  # typed straight after: the letters must land after "/ref "
    typed(session, "REF-4471")
    wait_for(session, "Reference number: REF-4471")
    keys(session, "6")
    wait_for(session, "Who is asking you to pay")
    typed(session, "Midstate Recovery")
    wait_for(session, "creditor: Midstate")
    keys(session, "F10")
    wait_for(session, "End this call and save it?")
    keys(session, "Enter")
    screen = wait_for(session, "Review", "Dana Lopez", "REF-4471")
    keys(session, "Escape")  # a lone Escape waits ~0.1 s for more keys: wait for home before the next key
    wait_for(session, "Start: press a number", "1 live collections")
    tmux("resize-window", "-t", session, "-x", "60", "-y", "20")
    keys(session, "1")  # a live call with a hospital, at 60x20
    screen = wait_for(session, "LIVE", "1  I was sued")
    assert "Traceback" not in screen
    keys(session, "C-q")
    wait_for(session, "A call is open")
    keys(session, "Enter")
    wait_for(session, "Pane is dead")
    status = tmux("display-message", "-t", session, "-p", "#{pane_dead_status}").strip()
    assert status == "0", screen_of(session)
    store = Store.open()
    first, second = store.calls()
    assert first.outcome == "ended by user" and second.outcome == "app closed"
    events = store.events(first.id)
    assert [e.text for e in events if e.kind == "note"] == ["Dana Lopez", "REF-4471"]
    assert [e.text for e in events if e.kind == "heard"] == ["They want the full balance today"]
    assert [e.data["value"] for e in events if e.kind == "fact"] == ["Midstate Recovery"]

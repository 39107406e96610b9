"""Test isolation: every test gets its own COACH_HOME, never the developer's data."""

from __future__ import annotations

import ipaddress
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DIALOGUES = ROOT / "dialogues"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Lines that take a collections call with the fixture facts from triage to contact.open.
COLLECTIONS_TO_OPEN: list[str] = []  # a call now opens on its first phrase: no key before it


@pytest.fixture(autouse=True)
def coach_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point COACH_HOME at a fresh temp dir for each test."""
    home = tmp_path_factory.mktemp("coach-home")
    monkeypatch.setenv("COACH_HOME", str(home))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.setenv("TZ", "UTC")  # reviews show local time; pictures must not depend on the machine
    time.tzset()
    yield home


@pytest.fixture(scope="session")
def playbook():  # type: ignore[no-untyped-def]
    """The shipped playbook, loaded once."""
    from coach.dialogue.playbook import load_playbook

    return load_playbook([DIALOGUES])


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the shipped dialogues that a test may spoil (see :func:`edit`)."""
    folder = tmp_path / "dialogues"
    shutil.copytree(DIALOGUES, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a dialogue file, failing loudly if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


class NetworkBlocked(OSError):
    """Raised when a test (or coach) tries to reach anything but this machine."""


def _is_loopback(address: Any) -> bool:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        if host in ("localhost", ""):
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False
    return isinstance(address, str | bytes)  # AF_UNIX paths are local


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    if not _is_loopback(address):
        raise NetworkBlocked(f"network access blocked in tests: {address!r}")
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> Any:
    if not _is_loopback(address):
        raise NetworkBlocked(f"network access blocked in tests: {address!r}")
    return _real_connect_ex(self, address)


def pytest_configure(config: pytest.Config) -> None:
    """Block every non-loopback connection for the whole run: coach makes no network calls."""
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]

"""coach is private by default: no network code, and the test run itself is cut off from the network."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

import coach

NETWORK_MODULES = re.compile(
    r"^\s*(?:import|from)\s+(urllib|http\.client|requests|httpx|aiohttp|socket|smtplib|ftplib)\b",
    re.MULTILINE,
)
ALLOWED = {"cli/serve.py"}  # serves the app on loopback only, through textual-serve


def test_no_network_modules_in_coach() -> None:
    root = Path(coach.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.relative_to(root).as_posix() not in ALLOWED and NETWORK_MODULES.search(path.read_text())
    ]
    assert offenders == []


def test_network_is_blocked_during_tests() -> None:
    with pytest.raises(OSError, match="network access blocked"):
        socket.create_connection(("192.0.2.1", 80), timeout=0.5)


def test_loopback_still_works() -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname(), timeout=2)
    client.close()
    server.close()

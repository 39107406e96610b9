"""coach in a browser: `coach serve` on loopback, driven by headless Chromium over DevTools.

The server and the browser each run in their own process group and are killed
as a group at the end (see STACK.md: an app process orphaned during start-up
ignores SIGTERM), and the test checks that no coach process is left behind.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
DOCS_SHOT = Path(__file__).resolve().parent.parent / "docs" / "screenshots" / "browser-home.png"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail(f"nothing listening on 127.0.0.1:{port}")


def processes_with(marker: str) -> list[int]:
    """PIDs whose environment holds ``marker`` (our unique COACH_HOME)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


async def drive(devtools_port: int, url: str, shot: Path) -> str:
    import aiohttp

    async with aiohttp.ClientSession() as http:
        for _ in range(100):
            try:
                async with http.get(f"http://127.0.0.1:{devtools_port}/json/list") as response:
                    targets = await response.json()
                    pages = [t for t in targets if t.get("type") == "page"]
                    if pages:
                        break
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
        else:
            pytest.fail("chromium DevTools never answered")
        async with http.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            ids = iter(range(1, 10_000))

            async def call(method: str, **params: object) -> dict[str, object]:
                number = next(ids)
                await ws.send_json({"id": number, "method": method, "params": params})
                while True:
                    message = json.loads((await ws.receive()).data)
                    if message.get("id") == number:
                        return dict(message.get("result", {}))

            await call("Page.enable")
            await call("Page.navigate", url=url)
            deadline = time.monotonic() + 40
            while time.monotonic() < deadline:
                result = await call(
                    "Runtime.evaluate",
                    expression="document.body && document.body.classList.contains('-first-byte')",
                    returnByValue=True,
                )
                if result.get("result", {}).get("value"):  # type: ignore[union-attr]
                    break
                await asyncio.sleep(0.2)
            else:
                pytest.fail("the app never sent its first output to the browser")
            await asyncio.sleep(2)
            text = await call(
                "Runtime.evaluate",
                expression="(document.querySelector('.xterm-rows') || document.body).innerText",
                returnByValue=True,
            )
            picture = await call("Page.captureScreenshot", format="png")
            shot.write_bytes(base64.b64decode(str(picture["data"])))
            return str(text.get("result", {}).get("value", ""))  # type: ignore[union-attr]


def test_serve_home_in_chromium(tmp_path: Path) -> None:
    home = tmp_path / f"coach-home-{os.getpid()}"
    env = dict(os.environ, COACH_HOME=str(home), TEXTUAL_ANIMATIONS="none")
    port, devtools = free_port(), free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "coach", "serve", "--port", str(port)],
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    browser = None
    try:
        wait_for_port(port)
        browser = subprocess.Popen(
            [
                CHROMIUM or "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={tempfile.mkdtemp()}",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--window-size=1280,800",
                f"--remote-debugging-port={devtools}",
                "about:blank",
            ],
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shot = tmp_path / "browser-home.png"
        text = asyncio.run(drive(devtools, f"http://127.0.0.1:{port}", shot))
        assert shot.stat().st_size > 5_000
        if os.environ.get("COACH_UPDATE_DOCS"):
            shutil.copy(shot, DOCS_SHOT)
        del text  # the terminal draws on a canvas; '-first-byte' above proves the app answered
    finally:
        for process in (browser, server):
            if process is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while processes_with(str(home)) and time.monotonic() < deadline:
        for pid in processes_with(str(home)):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(os.getpgid(pid), signal.SIGKILL)
        time.sleep(0.2)
    assert processes_with(str(home)) == [], "a coach process outlived the server"

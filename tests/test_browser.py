"""coach in a browser: `coach serve` on loopback, driven by headless Chromium over DevTools.

The server and the browser each run in their own process group and are killed
as a group at the end (see STACK.md: an app process orphaned during start-up
ignores SIGTERM), and each test checks that no coach process is left behind.

Who gets in: only the printed URL (it carries this launch's token). A wrong
token, a request naming another Host (DNS rebinding) and a WebSocket opened by
a page of another origin are each refused (issue 14).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)"
)
DOCS_SHOT = Path(__file__).resolve().parent.parent / "docs" / "screenshots" / "browser-home.png"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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


def kill_group(process: subprocess.Popen[Any] | None) -> None:
    if process is not None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@dataclass
class Served:
    url: str  # the URL coach printed, token and all
    port: int
    token: str
    home: Path
    env: dict[str, str]


@contextlib.contextmanager
def serving(tmp_path: Path, host: str = "127.0.0.1") -> Iterator[Served]:
    """``coach serve`` on a free port; the URL it printed; nothing left running afterwards."""
    home = tmp_path / f"coach-home-{os.getpid()}"
    env = dict(os.environ, COACH_HOME=str(home), TEXTUAL_ANIMATIONS="none")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "coach", "serve", "--host", host, "--port", str(port)],
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        found = re.search(r"(http://\S+/\?token=(\S+))", line)
        assert found, f"coach serve printed no URL with a token: {line!r}"
        served = Served(found.group(1), port, found.group(2), home, env)
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        deadline = time.monotonic() + 30
        while True:
            with socket.socket(family) as probe:
                if probe.connect_ex((host, port)) == 0:
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"nothing listening on {host}:{port}")
            time.sleep(0.1)
        yield served
    finally:
        kill_group(server)
        deadline = time.monotonic() + 10
        while processes_with(str(home)) and time.monotonic() < deadline:
            for pid in processes_with(str(home)):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(os.getpgid(pid), signal.SIGKILL)
            time.sleep(0.2)
    assert processes_with(str(home)) == [], "a coach process outlived the server"


async def status_of(url: str, headers: dict[str, str] | None = None) -> int:
    import aiohttp

    async with aiohttp.ClientSession() as http, http.get(url, headers=headers or {}) as response:
        return response.status


async def websocket_status(url: str, origin: str) -> int:
    """The HTTP status a WebSocket handshake gets (101 when it is accepted)."""
    import aiohttp

    async with aiohttp.ClientSession() as http:
        try:
            async with http.ws_connect(url, origin=origin) as ws:
                await ws.close()
                return 101
        except aiohttp.WSServerHandshakeError as error:
            return error.status


def test_a_wrong_token_a_foreign_host_and_a_foreign_origin_are_refused(tmp_path: Path) -> None:
    with serving(tmp_path) as served:
        here = f"127.0.0.1:{served.port}"
        right_ws = f"ws://{here}/ws/{served.token}"

        async def probe() -> dict[str, int]:
            return {
                "right": await status_of(served.url),
                "no token": await status_of(f"http://{here}/"),
                "wrong token": await status_of(f"http://{here}/?token=not-{served.token}"),
                "foreign host": await status_of(served.url, {"Host": f"rebind.example:{served.port}"}),
                "ws wrong token": await websocket_status(f"ws://{here}/ws/wrong", f"http://{here}"),
                "ws no token": await websocket_status(f"ws://{here}/ws", f"http://{here}"),
                "ws foreign origin": await websocket_status(right_ws, "http://evil.example"),
                "ws other port": await websocket_status(right_ws, f"http://127.0.0.1:{served.port + 1}"),
                "ws right": await websocket_status(right_ws, f"http://{here}"),
            }

        found = asyncio.run(probe())
    assert found["right"] == 200 and found["ws right"] == 101
    refused = {name: status for name, status in found.items() if not name.endswith("right")}
    assert all(status in (403, 404) for status in refused.values()), refused


def test_ipv6_loopback_is_printed_in_brackets(tmp_path: Path) -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    with serving(tmp_path, host="::1") as served:
        assert served.url.startswith(f"http://[::1]:{served.port}/?token=")
        assert asyncio.run(status_of(served.url)) == 200
        assert asyncio.run(status_of(f"http://[::1]:{served.port}/?token=wrong")) == 403


class DevTools:
    """Just enough of the Chrome DevTools protocol: navigate, evaluate, screenshot."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.ids = iter(range(1, 100_000))

    async def call(self, method: str, **params: object) -> dict[str, Any]:
        number = next(self.ids)
        await self.ws.send_json({"id": number, "method": method, "params": params})
        while True:
            message = json.loads((await self.ws.receive()).data)
            if message.get("id") == number:
                return dict(message.get("result", {}))

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def wait_for(self, expression: str, timeout: float) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = await self.evaluate(expression)
            if value:
                return value
            await asyncio.sleep(0.2)
        return None

    async def open(self, url: str) -> None:
        await self.call("Page.navigate", url=url)
        await self.wait_for("document.readyState === 'complete'", 20)


async def with_browser(devtools_port: int, script: Any) -> Any:
    import aiohttp

    async with aiohttp.ClientSession() as http:
        for _ in range(150):
            try:
                async with http.get(f"http://127.0.0.1:{devtools_port}/json/list") as response:
                    pages = [t for t in await response.json() if t.get("type") == "page"]
                    if pages:
                        break
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
        else:
            pytest.fail("chromium DevTools never answered")
        async with http.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            tools = DevTools(ws)
            await tools.call("Page.enable")
            return await script(tools)


@contextlib.contextmanager
def chromium(env: dict[str, str], rules: str) -> Iterator[int]:
    devtools = free_port()
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
            f"--host-resolver-rules={rules}",
            "--window-size=1280,800",
            f"--remote-debugging-port={devtools}",
            "about:blank",
        ],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield devtools
    finally:
        kill_group(browser)


@contextlib.contextmanager
def foreign_site(page: str) -> Iterator[int]:
    """A page of another origin (another port on loopback), as a site the user visits would be."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the http.server API names it
            body = page.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


FIRST_BYTE = "document.body && document.body.classList.contains('-first-byte')"
TRY_SOCKET = """<!DOCTYPE html><html><body><script>
window.result = "pending";
const ws = new WebSocket("{url}");
ws.onopen = () => {{ window.result = "open"; }};
ws.onmessage = () => {{ window.result = "read the screen"; }};
ws.onclose = () => {{ if (window.result === "pending") window.result = "refused"; }};
</script></body></html>"""


@needs_chromium
def test_serve_in_chromium_only_the_printed_url_opens_it(tmp_path: Path) -> None:
    with serving(tmp_path) as served:
        socket_url = f"ws://127.0.0.1:{served.port}/ws/{served.token}"  # even with the token
        rules = "MAP rebind.example 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
        shot = tmp_path / "browser-home.png"
        with (
            foreign_site(TRY_SOCKET.format(url=socket_url)) as other,
            chromium(served.env, rules) as devtools,
        ):

            async def script(tools: DevTools) -> dict[str, Any]:
                seen: dict[str, Any] = {}
                await tools.open(served.url.replace(served.token, "not-the-token"))
                seen["wrong token"] = await tools.evaluate("document.body.innerText")
                await tools.open(served.url.replace("127.0.0.1", "rebind.example"))
                seen["rebinding"] = await tools.evaluate("document.body.innerText")
                await tools.open(f"http://127.0.0.1:{other}/")
                seen["foreign page"] = await tools.wait_for(
                    "window.result !== 'pending' && window.result", 15
                )
                await tools.open(served.url)
                seen["right"] = await tools.wait_for(FIRST_BYTE, 40)
                await asyncio.sleep(2)
                picture = await tools.call("Page.captureScreenshot", format="png")
                shot.write_bytes(base64.b64decode(str(picture["data"])))
                return seen

            seen = asyncio.run(with_browser(devtools, script))
    assert "refused" in seen["wrong token"]
    assert "refused" in seen["rebinding"] and "foreign Host" in seen["rebinding"]
    assert seen["foreign page"] == "refused"
    assert seen["right"] is True  # the app sent its first output: the right URL works
    assert shot.stat().st_size > 5_000
    if os.environ.get("COACH_UPDATE_DOCS"):
        shutil.copy(shot, DOCS_SHOT)

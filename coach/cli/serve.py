"""``coach serve``: the app in a browser, served by textual-serve on this machine only.

Each browser tab starts its own ``coach`` process. The page textual-serve ships
links a web font from the internet; coach serves a copy of that page without
the link, so nothing leaves the machine.

Loopback alone does not keep other people out: another account on the machine
can connect, and a web page from any site can make the browser open a
WebSocket to 127.0.0.1 (or resolve its own name there: DNS rebinding). So, as a
notebook server does, each launch makes a secret token and prints the one URL
that carries it; the page and the WebSocket are refused without it, and every
request must name the served address as its Host and, for the WebSocket, come
from a page of that address (its Origin).
"""

from __future__ import annotations

import argparse
import hmac
import ipaddress
import re
import secrets
import shlex
import sys
from pathlib import Path
from typing import Any

from coach.errors import CoachError
from coach.paths import data_dir

_REMOTE_LINK = re.compile(r"<link[^>]*href=\"https?://[^\"]*\"[^>]*/?>", re.IGNORECASE | re.DOTALL)
REFUSED = "coach: refused. Open the address coach serve printed (it carries this launch's token)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (loopback only; default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")


def check_host(host: str) -> str:
    """Only loopback addresses: coach is private by default."""
    if host == "localhost":
        return "127.0.0.1"
    try:
        if ipaddress.ip_address(host).is_loopback:
            return host
    except ValueError:
        pass
    raise CoachError(
        f"--host: '{host}' is not a loopback address; coach serves only this machine (127.0.0.1)"
    )


def authority(host: str, port: int) -> str:
    """``host:port`` as it appears in a URL and a Host header (IPv6 in brackets)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def offline_templates() -> Path:
    """textual-serve's page template without links to remote fonts or styles."""
    import textual_serve

    from coach.casefile.safewrite import write_private

    source = Path(textual_serve.__file__).parent / "templates" / "app_index.html"
    folder = data_dir() / "serve-templates"
    page = _REMOTE_LINK.sub("", source.read_text(encoding="utf-8"))
    write_private(folder / "app_index.html", page, replace=True)
    return folder


def make_server(command: str, host: str, port: int, token: str) -> Any:
    """A textual-serve Server that admits only requests carrying ``token``, to this address, from it."""
    import aiohttp_jinja2
    import jinja2
    from aiohttp import web
    from textual_serve.server import Server

    served = authority(host, port)
    origin = f"http://{served}"

    def same(given: str | None, wanted: str) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), wanted.encode())

    class GuardedServer(Server):
        """The page at ``/?token=…``, its WebSocket at ``/ws/<token>``; nothing for a foreign Host or Origin."""

        @web.middleware
        async def guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
            if (request.headers.get("Host") or "").lower() != served.lower():
                return web.Response(status=403, text=REFUSED + " (foreign Host)")
            path = request.path
            if path == "/" and not same(request.query.get("token"), token):
                return web.Response(status=403, text=REFUSED)
            if path.startswith("/ws"):
                if not same(request.match_info.get("token"), token):
                    return web.Response(status=403, text=REFUSED)
                if request.headers.get("Origin") != origin:
                    return web.Response(status=403, text=REFUSED + " (foreign Origin)")
            response = await handler(request)
            response.headers["Referrer-Policy"] = "no-referrer"
            response.headers["X-Frame-Options"] = "DENY"
            response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
            if path == "/":
                response.headers["Cache-Control"] = "no-store"
            return response

        async def _make_app(self) -> web.Application:
            app = web.Application(middlewares=[self.guard])
            aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
            app.add_routes(
                [
                    web.get("/", self.handle_index, name="index"),
                    web.get("/ws/{token}", self.handle_websocket, name="websocket"),
                    web.get("/download/{key}", self.handle_download, name="download"),
                    web.static("/static", self.statics_path, name="static"),
                ]
            )
            return app

        async def handle_index(self, request: web.Request) -> web.Response:
            static = str(request.app.router["static"].url_for(filename="/")).rstrip("/") + "/"
            context = {
                "font_size": 16,
                "app_websocket_url": f"ws://{served}/ws/{token}",
                "config": {"static": {"url": f"{origin}{static}"}},
                "application": {"name": self.title},
            }
            return aiohttp_jinja2.render_template("app_index.html", request, context)

        async def on_startup(self, app: web.Application) -> None:
            """textual-serve prints its own banner and an address without the token: coach prints its own."""

    return GuardedServer(
        command, host=host, port=port, title="coach", public_url=origin, templates_path=offline_templates()
    )


def run(args: argparse.Namespace) -> int:
    host = check_host(args.host)
    if not 0 < args.port < 65536:
        raise CoachError(f"--port: {args.port} is not a port number (1-65535)")
    try:
        import textual_serve.server  # noqa: F401
    except ImportError:
        raise CoachError("coach serve needs textual-serve: pip install 'coach[serve]'") from None
    token = secrets.token_urlsafe(24)
    command = f"{shlex.quote(sys.executable)} -m coach"
    server = make_server(command, host, args.port, token)
    url = f"http://{authority(host, args.port)}/?token={token}"
    print(
        f"coach is served at {url} (Ctrl+C to stop; only this address, with its token, opens it)", flush=True
    )
    server.serve()
    return 0

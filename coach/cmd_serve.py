"""``coach serve``: the app in a browser, served by textual-serve on this machine only.

Each browser tab starts its own ``coach`` process. The page textual-serve ships
links a web font from the internet; coach serves a copy of that page without
the link, so nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import ipaddress
import re
import shlex
import sys
from pathlib import Path

from coach.errors import CoachError
from coach.paths import data_dir

_REMOTE_LINK = re.compile(r"<link[^>]*href=\"https?://[^\"]*\"[^>]*/?>", re.IGNORECASE | re.DOTALL)


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


def offline_templates() -> Path:
    """textual-serve's page template without links to remote fonts or styles."""
    import textual_serve

    source = Path(textual_serve.__file__).parent / "templates" / "app_index.html"
    folder = data_dir() / "serve-templates"
    folder.mkdir(mode=0o700, exist_ok=True)
    page = _REMOTE_LINK.sub("", source.read_text(encoding="utf-8"))
    (folder / "app_index.html").write_text(page, encoding="utf-8")
    return folder


def run(args: argparse.Namespace) -> int:
    host = check_host(args.host)
    if not 0 < args.port < 65536:
        raise CoachError(f"--port: {args.port} is not a port number (1-65535)")
    try:
        from textual_serve.server import Server
    except ImportError:
        raise CoachError("coach serve needs textual-serve: pip install 'coach[serve]'") from None
    command = f"{shlex.quote(sys.executable)} -m coach"
    server = Server(command, host=host, port=args.port, title="coach", templates_path=offline_templates())
    print(f"coach is served at http://{host}:{args.port} (Ctrl+C to stop)", flush=True)
    server.serve()
    return 0

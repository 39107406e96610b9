"""Where coach keeps things: the user's data dir and the shipped dialogues."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "coach"


def data_dir() -> Path:
    """The user's data folder (``COACH_HOME`` overrides the platform default).

    Created on first use with owner-only permissions (0700).
    """
    override = os.environ.get("COACH_HOME")
    if override:
        path = Path(override).expanduser()
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def dialogues_dir() -> Path:
    """The shipped dialogues: inside the installed package, else the source tree."""
    packaged = Path(__file__).parent / "dialogues"
    if packaged.is_dir():
        return packaged
    return Path(__file__).parent.parent / "dialogues"


def write_private(path: Path, text: str) -> None:
    """Write a file only the user can read (0600): exports, letters and calendars hold personal data.

    An existing file keeps the user's data private too: its mode is reset to 0600.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)

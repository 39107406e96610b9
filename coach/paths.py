"""Where coach keeps things: the user's data dir and the shipped dialogues.

Modes are set only on what coach creates: a data folder that already exists
(a shared folder, one the user locked down, one on a read-only disk) keeps
the mode it has.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "coach"


def data_dir_path() -> Path:
    """The user's data folder (``COACH_HOME`` overrides the platform default), not created."""
    override = os.environ.get("COACH_HOME")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """The user's data folder; created owner-only (0700) on first use, never changed afterwards."""
    path = data_dir_path()
    try:
        make_private_folders(path)
    except OSError as error:
        from coach.errors import CoachError

        raise CoachError(
            f"{path}: cannot create coach's data folder ({error.strerror}); set COACH_HOME"
        ) from None
    return path


def make_private_folders(folder: Path) -> None:
    """Create ``folder`` and any missing parents, each exactly 0700; folders that exist are left alone."""
    missing = []
    probe = folder
    while not os.path.lexists(probe):
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for created in reversed(missing):
        try:
            os.mkdir(created, 0o700)
        except FileExistsError:  # another coach made it meanwhile: it is not ours to change
            continue
        os.chmod(created, 0o700)  # exactly owner-only, whatever the umask


def dialogues_dir() -> Path:
    """The shipped dialogues: inside the installed package, else the source tree."""
    packaged = Path(__file__).parent / "dialogues"
    if packaged.is_dir():
        return packaged
    return Path(__file__).parent.parent / "dialogues"

"""Writing a file the user named (``--out``, ``--ics``, an export) without harming anything else.

Exports, letters and calendars hold personal data, and the path comes from a
person or a dialog: it may name coach's own case file, an existing document, or
a symbolic link someone planted. So a write here:

- never goes through a symbolic link (the link is refused, not followed);
- never lands on coach's own store (``coach.db`` and its ``-wal``/``-shm``);
- never replaces an existing file unless asked (``replace=True``, the CLI's ``--force``);
- is atomic: a temp file in the target folder (created exclusively, 0600, never
  following a link), flushed to disk, then renamed (or hard-linked when nothing
  may be replaced, so a file that appears meanwhile is not clobbered either);
- creates missing folders owner-only (0700), and changes the mode of nothing else.

Every refusal is one line (a CoachError naming the flag and the path).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

from coach.errors import CoachError
from coach.paths import data_dir_path, make_private_folders


class AlreadyExists(CoachError):
    """The path is taken and may not be replaced; ``shown`` is what was written to ("--out FILE").

    The remedy is each front end's to say: the command line's is ``--force``."""

    def __init__(self, shown: str) -> None:
        super().__init__(f"{shown}: already exists (nothing written)")
        self.shown = shown


STORE_FILES = ("coach.db", "coach.db-wal", "coach.db-shm", "coach.db-journal")


def _coach_files() -> list[Path]:
    folder = data_dir_path()
    return [folder / name for name in STORE_FILES]


def is_coach_file(path: Path) -> bool:
    """Whether ``path`` is (or would become) one of coach's own store files."""
    try:
        target = path.parent.resolve() / path.name
    except OSError:
        return False
    for own in _coach_files():
        with contextlib.suppress(OSError):
            if own.parent.resolve() / own.name == target:
                return True
            if path.exists() and own.exists() and os.path.samefile(path, own):
                return True  # a hard link to the store, or the same folder by another name
    return False


def write_private(path: Path, text: str, *, replace: bool = False, what: str = "--out") -> None:
    """Write ``text`` to ``path`` (0600), safely as described above; CoachError says why not."""
    path = Path(path).expanduser()
    shown = f"{what} {path}"
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise CoachError(f"{shown}: cannot write there ({error.strerror}); nothing was written") from None
    if info is not None and stat.S_ISLNK(info.st_mode):
        raise CoachError(f"{shown}: is a symbolic link; coach does not write through links (nothing written)")
    if is_coach_file(path):
        raise CoachError(f"{shown}: that is coach's own case file; choose another name (nothing written)")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise CoachError(f"{shown}: exists and is not a regular file; choose another name (nothing written)")
    if info is not None and not replace:
        raise AlreadyExists(shown)
    folder = path.parent
    temp = folder / f".{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        make_private_folders(folder)
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8", newline="", errors="surrogateescape") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        try:
            if replace:
                os.replace(temp, path)  # replaces a link itself, never its target
            else:
                _link_no_clobber(temp, path, shown)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
    except OSError as error:
        raise CoachError(f"{shown}: cannot write there ({error.strerror}); nothing was written") from None


def _link_no_clobber(temp: Path, path: Path, shown: str) -> None:
    """Put ``temp`` at ``path`` only if nothing is there (checked atomically by link(2) where it works)."""
    try:
        os.link(temp, path, follow_symlinks=False)
    except FileExistsError:
        raise AlreadyExists(shown) from None
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        if os.path.lexists(path):  # a file system without hard links: check, then rename
            raise AlreadyExists(shown) from None
        os.replace(temp, path)

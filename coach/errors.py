"""The one exception type front ends turn into a one-line message."""

from __future__ import annotations


class CoachError(Exception):
    """A problem the user can fix, described in one line (what and where).

    ``message`` says what is wrong in words every front end can show; ``field`` names the
    input it is about ("case", "counterpart", "resume", ...), or None. ``str()`` is the
    command line's line, the input's flag first (``--case: no case 9``), as scripts and
    tests have always read it; the app shows ``message`` under its own name for the input
    (coach.tui.actions.error_text). Front ends never print a traceback.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"--{self.field}: {self.message}" if self.field else self.message

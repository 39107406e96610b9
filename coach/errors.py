"""The one exception type front ends turn into a one-line message."""

from __future__ import annotations


class CoachError(Exception):
    """A problem the user can fix, described in one line (what and where).

    Front ends print ``str(error)`` and never a traceback.
    """

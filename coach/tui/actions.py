"""The app's wording of what coach can do next (coach.casefile.actions), and of errors: its own
screens and keys, never the command line's commands and flags.

The command line says ``coach letter call-summary --call 2``; the app writes letters from the
review screen's Letters tab (key l), for the call shown, so that is what it names. The command
line says ``--resume: call 3 has ended``; the app says ``Resume: call 3 has ended``.
"""

from __future__ import annotations

from functools import lru_cache

from coach.casefile.actions import Action, Letter, Namer
from coach.errors import CoachError


@lru_cache(maxsize=1)
def _titles() -> dict[str, str]:
    """Each letter's title as the Letters tab lists it; {} if the letter files cannot be read."""
    from coach.casefile.letters import letter_kinds

    try:
        return {name: kind.title for name, kind in letter_kinds().items()}
    except CoachError:
        return {}


def letter_title(kind: str) -> str:
    """The title the Letters tab shows for a kind, without its trailing note ("(to the insurer)")."""
    title = _titles().get(kind) or kind.replace("-", " ").capitalize()
    head, paren, _ = title.rpartition(" (")
    return head if paren and title.endswith(")") else title


def on_review(dates_shown: bool) -> Namer:
    """The review screen's wording: its Letters tab (l) writes each letter for the call shown;
    the case's dates are in the same summary, when coach knows any."""

    def name(action: Action) -> str:
        if isinstance(action, Letter):
            return f"Letters (l) › {letter_title(action.kind)}"
        if dates_shown:
            return "under Dates that matter, above"
        return "none known yet (they show here once the case has them)"

    return name


def on_plan(action: Action) -> str:
    """The plan screen's wording: letters are written after a call, from its review."""
    if isinstance(action, Letter):
        return f"after the call: Review › Letters › {letter_title(action.kind)}"
    return "each call's review lists them under Dates that matter"


FIELDS = {
    "case": "Case",
    "counterpart": "Who is on the call",
    "persona": "Who they are",
    "difficulty": "How hard",
    "facts": "Facts file",
    "resume": "Resume",
}
"""The app's name for each input an error can be about (CoachError.field)."""


def error_text(error: CoachError) -> str:
    """An error as the app says it: what is wrong under the app's name for the input, and for a
    letter still missing facts, how the app sets them (``/set`` in a call)."""
    from coach.casefile.letters import MissingFacts

    if isinstance(error, MissingFacts):
        return f"{error.message}: set them during a call on this case, with /set name value"
    if error.field is None:
        return error.message
    return f"{FIELDS.get(error.field, error.field.capitalize())}: {error.message}"

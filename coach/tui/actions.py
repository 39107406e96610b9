"""The app's wording of what coach can do next (coach.casefile.actions): its own screens and keys.

The command line says ``coach letter call-summary --call 2``; the app writes letters from the
review screen's Letters tab (key l), for the call shown, so that is what it names.
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

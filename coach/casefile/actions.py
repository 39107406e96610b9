"""What coach can do next, as data: a letter to write, a case's dates to see.

The core says *what* (the letter's kind, the call and case it is for); each front end says
*how* in its own words: the command line and the exports name a command
(``coach letter call-summary --call 2 --case 1``, coach.casefile.export.command), the app
names its own screen and key (coach.tui.actions). A text that points at an action is
``Words``: plain strings with the actions where a front end names them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Letter:
    """Write a letter of this kind (coach.casefile.letters), for a call and its case when known."""

    kind: str
    call: int | None = None
    case: int | None = None


@dataclass(frozen=True)
class Dates:
    """See every date that matters: for one case, or (``case`` None) for every case."""

    case: int | None = None


Action = Letter | Dates
Words = tuple[str | Action, ...]
Text = str | Words  # a plain string, or words with actions in them
Namer = Callable[[Action], str]  # one front end's wording of an action


def parts(text: Text) -> Words:
    """A text as words (a plain string is one part)."""
    return (text,) if isinstance(text, str) else text


def worded(text: Text, name: Namer) -> str:
    """The text with each action in one front end's words."""
    if isinstance(text, str):
        return text
    return "".join(part if isinstance(part, str) else name(part) for part in text)


def actions(text: Text) -> list[Action]:
    """The actions a text points at, in order."""
    return [part for part in parts(text) if not isinstance(part, str)]


@dataclass(frozen=True)
class Step:
    """One thing to do after a call: what, in words, and what coach can do for it, if anything.

    ``lead`` joins the two: ": " after a clause ("…within a day: <action>"), or a new
    sentence after a full stop ("…in writing. Send: <action>").
    """

    text: str
    action: Action | None = None
    lead: str = ": "

    @property
    def words(self) -> Words:
        return (self.text,) if self.action is None else (self.text, self.lead, self.action)

    def worded(self, name: Namer) -> str:
        return worded(self.words, name)

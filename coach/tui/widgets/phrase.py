"""The big box: the phrase to say, or the reply to what the other side just said."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from coach.session.events import Event
from coach.session.payloads import HeardData
from coach.tui.plain import literal
from coach.tui.widgets.onepass import OnePass


def reply_text(heard: Event) -> Text:
    """What they said (dim), then what to say back (bold), its warning and how an offer weighs."""
    data = heard.payload
    said = data if isinstance(data, HeardData) else HeardData()
    partner = said.by == "partner"
    text = Text()
    text.append(f'{"Them" if partner else "They said"}: "{heard.text}"', style="italic")
    if said.reply:
        text.append(f'\nSay: "{said.reply}"', style="bold")
    else:
        text.append("\nSaved. Pick the choice that fits below, or type what they say next.", style="none")
    if said.warning:
        text.append(f"\n⚠ {said.warning}", style="bold red")
    if said.weigh:
        text.append(f"\nTheir offer: {said.weigh}", style="none")
    return literal(text)


class PhrasePanel(OnePass, Static):
    """Bold text in a heavy box titled "Say this" ("Coach" for guidance-only steps, "Reply" after a heard line)."""

    def __init__(self, **kwargs: str) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]
        self.text = ""

    def show(self, phrase: str, coach: str) -> None:
        self.text = phrase or coach
        self.update(literal(self.text))
        self.restyle(guidance=not phrase, reply=False)
        self.border_title = "Say this" if phrase else "Coach"

    def restyle(self, guidance: bool, reply: bool) -> None:
        """Set both classes, then apply the stylesheet once (each application costs about a millisecond)."""
        before = set(self.classes)
        self.set_class(guidance, "-guidance", update=False)
        self.set_class(reply, "-reply", update=False)
        if set(self.classes) != before:
            self.app.update_styles(self)

    def show_reply(self, heard: Event) -> None:
        text = reply_text(heard)
        self.text = text.plain
        self.update(text)
        self.restyle(guidance=False, reply=True)
        payload = heard.payload
        partner = isinstance(payload, HeardData) and payload.by == "partner"
        self.border_title = "They answered: say back" if partner else "Reply: say this back"


class WarningPanel(OnePass, Static):
    """A warning the user must not miss (red, heavy border); hidden when there is none."""

    def __init__(self, **kwargs: str) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]

    def show(self, *warnings: str) -> None:
        lines = [f"⚠ {w}" for w in warnings if w]
        self.update(literal("\n".join(lines)))
        self.display = bool(lines)

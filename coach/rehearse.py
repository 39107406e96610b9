"""The rehearsal partner and the scorecard.

The partner plays the billing office or collector: after each step the user
takes, it answers with a line from the persona's pushback bank
(``dialogues/rehearse/personas.yaml``), pushing back as often as the difficulty
says before it gives way. Its offers come from a deterministic engine: it starts
at ``opening_ask`` × the balance and concedes in equal steps down to its
``floor``; it accepts once the user's offer reaches its current ask. A seed
makes the choice of lines reproducible: the same seed and inputs give the same call.

The scorecard reads the call's events against ``dialogues/rehearse/scorecard.yaml``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from coach import render
from coach.errors import CoachError
from coach.events import Event
from coach.money import format_money, to_cents
from coach.paths import dialogues_dir
from coach.yamlload import LineDict, YamlProblem, line_of, load_yaml

DIFFICULTIES = ("easy", "normal", "tough")


def rehearse_dir() -> Path:
    return dialogues_dir() / "rehearse"


@lru_cache(maxsize=4)
def load_personas(folder: Path | None = None) -> LineDict:
    """personas.yaml, checked; CoachError with file:line on the first problem."""
    folder = folder or rehearse_dir()
    problems = validate_rehearse(folder)
    if problems:
        raise CoachError(problems[0])
    data: LineDict = load_yaml(folder / "personas.yaml")
    return data


@dataclass(frozen=True)
class PartnerLine:
    """What the other side says, the situation it answers, and any amount it names."""

    text: str
    situation: str
    offer: Decimal | None = None
    accepted: bool = False


@dataclass
class Partner:
    """A simulated counterpart. Call :meth:`respond` after each step the user takes."""

    counterpart: str
    persona: str | None = None
    difficulty: str = "normal"
    seed: int | None = None
    facts: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        data = load_personas()
        personas = data["personas"]
        self.persona = self.persona or data["defaults"][self.counterpart]
        if self.persona not in personas:
            raise CoachError(f"--persona: '{self.persona}' is not one of {', '.join(personas)}")
        spec = personas[self.persona]
        if spec["counterpart"] != self.counterpart:
            raise CoachError(
                f"--persona: '{self.persona}' plays a {spec['counterpart']}, not a {self.counterpart}"
            )
        if self.difficulty not in DIFFICULTIES:
            raise CoachError(f"--difficulty: '{self.difficulty}' is not one of {', '.join(DIFFICULTIES)}")
        self.spec = spec
        self.level = data["difficulty"][self.difficulty]
        self.lines = data["lines"][self.counterpart]
        self.situations = [(re.compile(s["match"]), s["situation"]) for s in data["situations"]]
        self.random = random.Random(self.seed if self.seed is not None else 0)
        self.pushes_left: dict[str, int] = {}
        balance = self.facts.get("balance")
        self.balance = balance if isinstance(balance, Decimal) and balance > 0 else None
        self.round = 0
        self.agreed: Decimal | None = None
        self.seen_events = 0

    # -- the offer engine ---------------------------------------------------------

    @property
    def floor(self) -> Decimal | None:
        """The least this persona will take (the same at every difficulty)."""
        if self.balance is None:
            return None
        return to_cents(self.balance * Decimal(str(self.spec["floor"])))

    def current_ask(self) -> Decimal | None:
        """What the partner asks for now: from opening_ask down to the floor in `steps` rounds."""
        if self.balance is None or self.floor is None:
            return None
        start = to_cents(self.balance * Decimal(str(self.spec["opening_ask"])))
        steps = int(self.level["steps"])
        done = min(self.round, steps)
        return to_cents(start - (start - self.floor) * done / steps)

    def consider(self, offer: Decimal) -> PartnerLine | None:
        """Weigh a user's offer: accept at or above the current ask, else counter and concede a step."""
        ask = self.current_ask()
        if ask is None:
            return None
        if offer >= ask or (
            self.floor is not None and offer >= self.floor and self.round >= int(self.level["steps"])
        ):
            self.agreed = offer
            return PartnerLine(
                f"All right, {format_money(offer)} settles it. I'll note that.", "lump_sum_offer", offer, True
            )
        self.round += 1
        counter = self.current_ask()
        if counter is not None and counter <= offer:  # conceding would pass the user's own number
            self.agreed = offer
            return PartnerLine(
                f"All right, {format_money(offer)} settles it. I'll note that.", "lump_sum_offer", offer, True
            )
        text = self._line("lump_sum_offer", ask=counter)
        return PartnerLine(text, "lump_sum_offer", counter)

    # -- talking -----------------------------------------------------------------

    def opening(self) -> str:
        return str(self.spec["opening"])

    def situation_of(self, node_qid: str) -> str:
        for pattern, situation in self.situations:
            if pattern.search(node_qid):
                return situation
        return "generic"

    def _line(self, situation: str, ask: Decimal | None = None) -> str:
        bank = self.lines.get(situation) or self.lines["generic"]
        left = self.pushes_left.setdefault(situation, int(self.level["pushes"]))
        if left > 0 and bank.get("push"):
            self.pushes_left[situation] = left - 1
            choices = bank["push"]
        else:
            choices = bank.get("give") or bank["push"]
        template = choices[self.random.randrange(len(choices))]
        return render.render(template, {"ask": ask if ask is not None else render.Missing("their amount")})

    def respond(self, session: Any) -> PartnerLine | None:
        """The other side's answer to what the user just did (None when there is nothing to answer)."""
        events: Sequence[Event] = session.events[self.seen_events :]
        self.seen_events = len(session.events)
        offers = [
            e for e in events if e.kind == "note" and e.data.get("kind") == "offer" and e.data.get("amount")
        ]
        if offers and self.agreed is None:
            reply = self.consider(Decimal(str(offers[-1].data["amount"])))
            if reply is not None:
                return reply
        steps = [e for e in events if e.kind == "step"]
        if not steps:
            return None
        left = str(steps[-1].data.get("from", ""))
        left_node = session.playbook.nodes.get(left)
        if left_node is None or left_node.phrase_source(self.counterpart) is None:
            return None  # the user said nothing to the other side at that step
        situation = self.situation_of(left)
        if situation == "none":
            return None
        if situation == "lump_sum_offer":
            if self.agreed is not None:
                return None  # already settled on a number; nothing more to haggle over
            return PartnerLine(self._line(situation, ask=self.current_ask()), situation, self.current_ask())
        return PartnerLine(self._line(situation), situation)


# -- the scorecard -----------------------------------------------------------------


@dataclass(frozen=True)
class ScoreItem:
    id: str
    label: str
    passed: bool | None  # None: does not apply to this call
    why: str


@dataclass(frozen=True)
class Scorecard:
    items: tuple[ScoreItem, ...]

    @property
    def points(self) -> int:
        return sum(1 for item in self.items if item.passed)

    @property
    def possible(self) -> int:
        return sum(1 for item in self.items if item.passed is not None)

    @property
    def summary(self) -> str:
        return f"Scorecard: {self.points} of {self.possible}"


def score(
    events: Sequence[Event], facts: Mapping[str, Any], counterpart: str, folder: Path | None = None
) -> Scorecard:
    """Score a call from its events; every item carries a one-line why."""
    path = (folder or rehearse_dir()) / "scorecard.yaml"
    try:
        spec = load_yaml(path)
    except YamlProblem as error:
        raise CoachError(str(error.problem)) from None
    notes = {str(e.data.get("kind")) for e in events if e.kind == "note"}
    visited = " ".join(e.node for e in events if e.kind in ("shown", "step"))
    typed = [
        e.text.replace(" ", "").replace("-", "")
        for e in events
        if e.kind == "note" and e.data.get("kind") != "reference"
    ]
    items = []
    for item in spec["items"]:
        applies = item.get("applies")
        if applies and counterpart not in applies:
            items.append(ScoreItem(item["id"], item["label"], None, "does not apply to this call"))
            continue
        checks: list[bool] = []
        if "notes_all" in item:
            checks.append(all(kind in notes for kind in item["notes_all"]))
        if "notes_any" in item:
            checks.append(any(kind in notes for kind in item["notes_any"]))
        if "visited" in item:
            checks.append(re.search(item["visited"], visited) is not None)
        if "no_digits_run" in item:
            run = re.compile(r"\d{" + str(int(item["no_digits_run"])) + ",}")
            checks.append(not any(run.search(text) for text in typed))
        if item.get("amount"):
            passed_amount = _amount_check(events, facts, counterpart)
            if passed_amount is None:
                items.append(
                    ScoreItem(item["id"], item["label"], None, "no offer amount or target to compare")
                )
                continue
            checks.append(passed_amount)
        passed = all(checks)
        items.append(ScoreItem(item["id"], item["label"], passed, item["pass"] if passed else item["fail"]))
    return Scorecard(tuple(items))


def _amount_check(events: Sequence[Event], facts: Mapping[str, Any], counterpart: str) -> bool | None:
    offers = [Decimal(str(e.data["amount"])) for e in events if e.kind == "note" and e.data.get("amount")]
    if not offers:
        return None
    from coach.derive import DERIVED

    target = DERIVED["offer_target"](facts, counterpart) or facts.get("lump_sum_available")
    if not isinstance(target, Decimal):
        return None
    return offers[-1] <= target


def format_scorecard(card: Scorecard) -> str:
    """Plain text for the line mode and review."""
    marks = {True: "✓", False: "✗", None: "–"}
    lines = [card.summary]
    lines += [f"  {marks[item.passed]} {item.label}: {item.why}" for item in card.items]
    return "\n".join(lines)


# -- validation ----------------------------------------------------------------------

PERSONA_KEYS = {"counterpart", "name", "opening", "opening_ask", "floor"}
COUNTERPARTS = ("hospital", "doctor", "collections")


def validate_rehearse(folder: Path) -> list[str]:
    """Every problem in the rehearsal files, as ``path:line: message``."""
    problems: list[str] = []
    path = folder / "personas.yaml"
    try:
        data = load_yaml(path)
    except YamlProblem as error:
        return [str(error.problem)]
    shown = str(path)
    if not isinstance(data, LineDict):
        return [f"{shown}:1: expected a mapping"]
    for key in ("personas", "defaults", "difficulty", "situations", "lines"):
        if key not in data:
            problems.append(f"{shown}:1: missing '{key}'")
    if problems:
        return problems
    for name, spec in data["personas"].items():
        line = line_of(data["personas"], name)
        if not isinstance(spec, LineDict):
            problems.append(f"{shown}:{line}: persona '{name}' must be a mapping")
            continue
        for key in spec:
            if key not in PERSONA_KEYS:
                problems.append(f"{shown}:{line_of(spec, key)}: persona '{name}': unknown key '{key}'")
        if spec.get("counterpart") not in COUNTERPARTS:
            problems.append(
                f"{shown}:{line_of(spec, 'counterpart')}: persona '{name}': unknown counterpart '{spec.get('counterpart')}'"
            )
        for key in ("floor", "opening_ask"):
            value = spec.get(key)
            if not isinstance(value, int | float) or not 0 < value <= 1:
                problems.append(
                    f"{shown}:{line_of(spec, key)}: persona '{name}': '{key}' must be a fraction of the balance (0-1]"
                )
        if (
            isinstance(spec.get("floor"), int | float)
            and isinstance(spec.get("opening_ask"), int | float)
            and spec["floor"] > spec["opening_ask"]
        ):
            problems.append(f"{shown}:{line_of(spec, 'floor')}: persona '{name}': floor is above opening_ask")
    for counterpart in COUNTERPARTS:
        if data["defaults"].get(counterpart) not in data["personas"]:
            problems.append(f"{shown}:{line_of(data['defaults'])}: defaults: no persona for {counterpart}")
        bank = data["lines"].get(counterpart)
        if not isinstance(bank, LineDict) or "generic" not in bank:
            problems.append(f"{shown}:{line_of(data['lines'])}: lines: {counterpart} needs a 'generic' entry")
    for level in DIFFICULTIES:
        if level not in data["difficulty"]:
            problems.append(f"{shown}:{line_of(data['difficulty'])}: difficulty: missing '{level}'")
    for entry in data["situations"]:
        try:
            re.compile(str(entry.get("match", "")))
        except re.error as error:
            problems.append(f"{shown}:{line_of(entry)}: situations: bad pattern: {error}")
    return problems

"""The rehearsal partner: the billing office, the practice or the collector, played by coach.

A little over 500 lines: one class, the partner, whose offer engine and lines share its state.

A front end calls :meth:`Partner.answer` (or :meth:`Partner.respond` then
:meth:`Partner.speak`) right after each thing the user does; the partner reads
the Session's new events (the user's words, an offer noted, the node just left)
and answers with lines from its persona's bank in
``dialogues/rehearse/personas.yaml``. It pushes back on each situation as often
as the difficulty says, then gives way (or, where its level ``holds``, never).
Difficulty changes tone and persistence, never the facts. It never says a line
twice while it has another, and says nothing when the user passes again by
something it already granted.

Every number it names comes from a deterministic offer engine: it asks
``opening_ask`` × the balance, gives ground each time the user's offer is below
its ask, reaches its ``floor`` (a fraction of the balance set per persona, the
same at every difficulty) after ``rounds`` counters, never goes below it, and
accepts any offer at or above its current ask. A payment plan works the same way
in months. All chance (which line, which lead-in, the size of each concession,
the rep's ID) comes from one ``random.Random(seed)``, so the same seed and the
same steps give the same call.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.dialogue import render
from coach.errors import CoachError
from coach.money.amounts import to_cents
from coach.rehearsal.files import load_personas
from coach.rehearsal.personas import (
    ALREADY,
    DIFFICULTIES,
    ENGINE_SITUATIONS,
    GENERIC,
    LUMP,
    PLAN,
    SILENT,
    TEMPLATE_NAMES,
    UNCLEAR,
    Bank,
    Line,
)
from coach.rehearsal.record import CallRecord, is_user_line, read_call
from coach.rehearsal.understand import OFFER_PLAN, understand
from coach.session.events import Event
from coach.session.payloads import StepData

if TYPE_CHECKING:
    from coach.session.engine import Session

# -- the partner ----------------------------------------------------------------


@dataclass(frozen=True)
class PartnerLine:
    """What the other side says.

    ``intent`` is what the partner means, in the hearing vocabulary
    (dialogues/hear/intents.yaml); ``offer`` is any amount it names (a monthly
    amount for a plan); ``situation`` what it answered; ``accepted`` whether it
    just took the user's offer.
    """

    text: str
    intent: str
    offer: Decimal | None = None
    situation: str = GENERIC
    accepted: bool = False
    months: int | None = None
    answers: tuple[str, ...] = ()  # the user's meanings this line answers (coach.rehearsal.understand)
    also: tuple[str, ...] = ()  # intents of the other things said in the same turn

    def meaning(self) -> dict[str, Any]:
        """What the line means, as the partner knows it: the data of its ``heard`` event.

        Front ends show the coach's reply from this and never ask the user to say
        whether the partner agreed or countered.
        """
        plan = self.situation == PLAN
        data: dict[str, Any] = {
            "intent": self.intent,
            "amount": None if plan or self.offer is None else str(self.offer),
            "monthly": str(self.offer) if plan and self.offer is not None else None,
            "months": self.months if plan else None,
            "situation": self.situation,
            "accepted": self.accepted,
        }
        if self.answers:
            data["answers"] = list(self.answers)
        if self.also:
            data["also"] = list(self.also)
        return data


def _ceil_dollars(amount: Decimal) -> Decimal:
    return to_cents(amount.to_integral_value(rounding=ROUND_CEILING))


class Partner:
    """A simulated counterpart. Call :meth:`respond` after each step the user takes."""

    def __init__(
        self,
        counterpart: str,
        persona: str | None = None,
        difficulty: str = "normal",
        seed: int | None = None,
        facts: Mapping[str, Any] | None = None,
        *,
        path: Path | None = None,
    ) -> None:
        data = load_personas(path)
        if counterpart not in data.lines:
            raise CoachError(f"'{counterpart}' is not one of {', '.join(data.lines)}", field="counterpart")
        mine = [p.id for p in data.for_counterpart(counterpart)]
        persona = persona or data.defaults[counterpart]
        if persona not in data.personas:
            raise CoachError(f"'{persona}' is not one of {', '.join(mine)}", field="persona")
        chosen = data.personas[persona]
        if chosen.counterpart != counterpart:
            raise CoachError(
                f"'{persona}' plays {chosen.counterpart}, not {counterpart} (try: {', '.join(mine)})",
                field="persona",
            )
        if difficulty not in DIFFICULTIES:
            raise CoachError(f"'{difficulty}' is not one of {', '.join(DIFFICULTIES)}", field="difficulty")
        self.data = data
        self.counterpart = counterpart
        self.persona = persona
        self.difficulty = difficulty
        self.character = chosen
        self.level = chosen.levels[difficulty]
        self.tone = data.tones[self.level.tone]
        # With no seed, draw one (and keep it) so any rehearsal can be replayed with --seed.
        self.seed = seed if seed is not None else random.Random().randrange(1, 1_000_000)
        self.rng = random.Random(self.seed)
        self.facts: dict[str, Any] = dict(facts or {})
        self.rep_id = str(self.rng.randint(1000, 9999))
        self.reference = "".join(self.rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2))
        self.reference += "-" + str(self.rng.randint(100000, 999999))
        weights = [self.rng.randint(5, 15) for _ in range(self.level.rounds)]
        total = sum(weights)
        # How far from its first ask to its floor it has come after each counter (0 … 1).
        self.progress = tuple(Decimal(sum(weights[:k])) / total for k in range(self.level.rounds + 1))
        self.round = 0
        self.plan_round = 0
        self.agreed: Decimal | None = None
        self.agreed_plan: tuple[Decimal, int] | None = None
        self.pushes_left: dict[str, int] = {}
        self.last_pick: dict[tuple[str, str], int] = {}
        self.seen = 0
        self.hardship_heard = False
        self.standing: str | None = None  # the offer engine's situation it last named a number in
        self.spoken: set[str] = set()  # every line it has said, so it never says one twice
        self.given: set[str] = set()  # situations it has given way on

    # -- what front ends show ----------------------------------------------------

    @property
    def name(self) -> str:
        """Who the partner is, e.g. ``Morgan, collection agent``."""
        return self.character.name

    @property
    def spec(self) -> dict[str, str]:
        """The persona as a small mapping (``name``, ``counterpart``, ``persona``, ``difficulty``)."""
        return {
            "name": self.name,
            "counterpart": self.counterpart,
            "persona": self.persona,
            "difficulty": self.difficulty,
        }

    @property
    def replay(self) -> str:
        """The options that replay this rehearsal exactly."""
        return f"--counterpart {self.counterpart} --persona {self.persona} --difficulty {self.difficulty} --seed {self.seed}"

    def opening(self) -> str:
        """The partner's first words, before the user says anything."""
        text = render.render(self.character.openings[self.difficulty], self._context())
        self.spoken.add(text)
        return text

    def opening_line(self) -> PartnerLine:
        """The opening as a line with its meaning, for :meth:`speak`."""
        text = self.opening()
        return PartnerLine(text, self._hear(text), situation="opening")

    # -- the offer engine --------------------------------------------------------

    def _balance(self) -> Decimal | None:
        balance = self.facts.get("balance")
        return balance if isinstance(balance, Decimal) and balance > 0 else None

    @property
    def floor(self) -> Decimal | None:
        """The least it will take: ``floor`` × the balance (the same at every difficulty)."""
        balance = self._balance()
        return to_cents(balance * self.character.floor) if balance is not None else None

    def asks(self) -> tuple[Decimal, ...] | None:
        """Its asking amount before any counter, then after each; the last is at its floor."""
        balance, floor = self._balance(), self.floor
        if balance is None or floor is None:
            return None
        start = to_cents(balance * self.character.opening_ask)
        return tuple(max(_ceil_dollars(start - (start - floor) * p), floor) for p in self.progress)

    def current_ask(self) -> Decimal | None:
        asks = self.asks()
        return asks[min(self.round, self.level.rounds)] if asks is not None else None

    def plans(self) -> tuple[tuple[Decimal, int], ...] | None:
        """(monthly, months) it asks before any counter and after each; the last is its longest plan."""
        balance = self._balance()
        if balance is None:
            return None
        first, most = self.character.plan_months
        result = []
        for p in self.progress:
            months = first + int((Decimal(most - first) * p).to_integral_value())
            result.append((_ceil_dollars(balance / months), months))
        return tuple(result)

    def consider(self, offer: Decimal) -> PartnerLine:
        """Weigh a lump-sum offer: take it at or above the current ask, else give ground and counter."""
        bank = self.data.bank(self.character, LUMP)
        if self.agreed is not None:
            return self._agreed(bank, LUMP)
        asks, balance = self.asks(), self._balance()
        if asks is None or balance is None:
            return self._say(bank.no_amount, LUMP, "unknown")
        last = self.level.rounds
        if offer < asks[min(self.round, last)]:
            self.round = min(self.round + 1, last)
            ask = asks[self.round]
            if offer < ask:
                return self._counter(bank, LUMP, ask, "offer_lump_sum", at_floor=self.round >= last)
        self.agreed = to_cents(min(offer, balance))  # it takes the user's number, never more than is owed
        line = self._say(bank.accept, LUMP, "agreement_reached", offer=self.agreed)
        return PartnerLine(line.text, line.intent, self.agreed, LUMP, accepted=True)

    def consider_plan(self, monthly: Decimal) -> PartnerLine:
        """Weigh a monthly amount the same way, in plan lengths."""
        bank = self.data.bank(self.character, PLAN)
        balance = self._balance()
        if self.agreed_plan is not None:
            return self._agreed(bank, PLAN)
        plans = self.plans()
        if plans is None or balance is None:
            return self._say(bank.no_amount, PLAN, "unknown")
        last = self.level.rounds
        if monthly < plans[min(self.plan_round, last)][0]:
            self.plan_round = min(self.plan_round + 1, last)
            ask, months = plans[self.plan_round]
            if monthly < ask:
                return self._counter(
                    bank, PLAN, ask, "payment_plan_offer", at_floor=self.plan_round >= last, months=months
                )
        pay = to_cents(monthly)
        months = int((balance / pay).to_integral_value(rounding=ROUND_CEILING))
        self.agreed_plan = (pay, months)
        line = self._say(bank.accept, PLAN, "agreement_reached", monthly=pay, months=months)
        return PartnerLine(line.text, line.intent, pay, PLAN, accepted=True, months=months)

    def _counter(
        self, bank: Bank, situation: str, ask: Decimal, intent: str, at_floor: bool, months: int | None = None
    ) -> PartnerLine:
        self.standing = situation  # what a plain "deal" would now say yes to
        amounts: dict[str, Any] = {"ask": ask} if situation == LUMP else {"monthly": ask, "months": months}
        if at_floor:
            line = self._say(bank.final, situation, intent, **amounts)
        elif self._push_left(situation) and bank.push:
            line = self._say(bank.push, situation, intent, lead=self._lead(situation), **amounts)
        else:
            line = self._say(bank.give, situation, intent, **amounts)
        return PartnerLine(line.text, intent, ask, situation, months=months)

    def _state_terms(self, situation: str) -> PartnerLine:
        """No new number from the user: say where the partner stands."""
        bank = self.data.bank(self.character, situation)
        if situation == LUMP:
            if self.agreed is not None:
                return self._agreed(bank, situation)
            ask = self.current_ask()
            if ask is None:
                return self._say(bank.no_amount, situation, "unknown")
            return self._counter(bank, situation, ask, "offer_lump_sum", self.round >= self.level.rounds)
        if self.agreed_plan is not None:
            return self._agreed(bank, situation)
        plans = self.plans()
        if plans is None:
            return self._say(bank.no_amount, situation, "unknown")
        monthly, months = plans[self.plan_round]
        return self._counter(
            bank,
            situation,
            monthly,
            "payment_plan_offer",
            self.plan_round >= self.level.rounds,
            months=months,
        )

    def _agreed(self, bank: Bank, situation: str) -> PartnerLine:
        """A deal is already made: say so (and name it) rather than haggle again."""
        if situation == LUMP and self.agreed is not None:
            line = self._say(bank.agreed, situation, "agreement_reached", agreed=self.agreed)
            return PartnerLine(line.text, line.intent, self.agreed, situation)
        assert self.agreed_plan is not None
        pay, months = self.agreed_plan
        line = self._say(bank.agreed, situation, "agreement_reached", monthly=pay, months=months)
        return PartnerLine(line.text, line.intent, pay, situation, months=months)

    # -- talking -----------------------------------------------------------------

    def _push_left(self, situation: str) -> bool:
        """Whether it still pushes back on this situation (and count the push)."""
        left = self.pushes_left.setdefault(situation, self.level.pushes)
        if left > 0:
            self.pushes_left[situation] = left - 1
            return True
        return False

    def _lead(self, situation: str) -> str:
        repeated = self.pushes_left.get(situation, 0) < self.level.pushes - 1
        return self._pick(self.tone.repeat if repeated else self.tone.push, ("lead", situation))

    def _pick(self, options: Sequence[Any], key: tuple[str, str]) -> Any:
        """One of the options, never the same one twice running for the same key."""
        choices = [i for i in range(len(options)) if i != self.last_pick.get(key) or len(options) == 1]
        index = choices[self.rng.randrange(len(choices))]
        self.last_pick[key] = index
        return options[index]

    def _context(self, **values: Any) -> dict[str, Any]:
        facts = self.facts
        context: dict[str, Any] = {name: render.Missing(name.replace("_", " ")) for name in TEMPLATE_NAMES}
        for name in ("balance", "creditor", "original_creditor", "account_number", "state"):
            if name in facts:
                context[name] = facts[name]
        context |= {"rep_name": self.character.rep_name, "rep_id": self.rep_id, "reference": self.reference}
        ask = values.get("ask", self.current_ask())
        balance = self._balance()
        context["off"] = ""
        if ask is not None and balance is not None and ask < balance:
            context["off"] = f"{int(((1 - ask / balance) * 100).to_integral_value())}%"
        context |= {k: v for k, v in values.items() if v is not None}
        return context

    def _say(
        self, lines: Sequence[Line], situation: str, intent: str | None = None, lead: str = "", **values: Any
    ) -> PartnerLine:
        context = self._context(**values)
        fresh = [
            line
            for line in lines
            if self._with_lead(lead, render.render(line.say, context)) not in self.spoken
        ]
        line: Line = self._pick(fresh or lines, ("line", situation))
        text = self._with_lead(lead, render.render(line.say, context))
        self.spoken.add(text)
        return PartnerLine(text, line.intent or intent or self._hear(text), None, situation)

    @staticmethod
    def _with_lead(lead: str, text: str) -> str:
        return f"{lead} {text}" if lead else text

    def _hear(self, text: str) -> str:
        try:
            from coach.hearing.intents import hear
        except ImportError:  # hearing is not part of this build
            return "unknown"
        try:
            return hear(text, self.counterpart).intent
        except CoachError:
            return "unknown"

    def talk(self, situation: str) -> PartnerLine:
        """A line for a situation: pushback while it still holds out, then giving way."""
        if situation in ENGINE_SITUATIONS:
            return self._state_terms(situation)
        bank = self.data.bank(self.character, situation)
        holds = situation in self.level.holds and bool(bank.push)
        if bank.push and (self._push_left(situation) or holds):
            return self._say(bank.push, situation, lead=self._lead(situation))
        lead = "" if situation in (UNCLEAR, ALREADY) else self._pick(self.tone.give, ("lead", "give"))
        self.given.add(situation)
        return self._say(bank.give or bank.push, situation, lead=lead)

    def respond(self, session: Session) -> PartnerLine | None:
        """The other side's answer to what the user just did, or None when it has nothing to say.

        Reads the events added since the last call. The user's latest words (a
        ``said`` event) are answered point by point: each request, then any offer.
        Otherwise an offer typed as a note (/counter) gets the offer engine's
        answer, and a step answers the phrase the user said at the node just left,
        unless the partner already gave way there (it never says the same twice).
        Nothing new, or a step that said nothing to the other side: None.
        """
        events = session.events
        if len(events) <= self.seen:
            return None
        self.facts = dict(session.facts)
        last_seen, self.seen = self.seen, len(events)
        mode = str(session.mode)
        words = [e for e in events[last_seen:] if is_user_line(e, mode)]
        if words:
            return self.reply_to(words[-1].text)
        record = read_call(events, self.data, self.facts, self.counterpart)
        offers = [o for o in record.offers if o.seq > last_seen]
        if offers:
            offer = offers[-1]
            return self.consider_plan(offer.amount) if offer.monthly else self.consider(offer.amount)
        steps = [e for e in record.steps if e.seq > last_seen]
        if not steps:
            return None
        last = steps[-1].payload
        left = str(last.from_ or "") if isinstance(last, StepData) else ""
        node = session.playbook.nodes.get(left)
        if node is None or node.phrase_source(self.counterpart) is None:
            return None  # the user said nothing to the other side at that step
        if any(
            o.node == left and not o.implied
            for o in record.offers
            if o.seq > _arrival(record, left, steps[-1])
        ):
            return None  # their offer there was answered when they typed it
        situation = self.data.situation_of(left)
        if situation == SILENT or (situation not in ENGINE_SITUATIONS and situation in self.given):
            return None  # already answered in full: moving on past it says nothing new
        return self.talk(situation)

    def reply_to(self, text: str) -> PartnerLine:
        """Answer a line the user said: each request in the persona's way, then any offer.

        Several answers in one turn become one line; its intent is the offer
        engine's when money was on the table (that is what the user must answer),
        else the first request's.
        """
        balance = self._balance()
        heard = understand(text, self.counterpart, balance)
        parts: list[PartnerLine] = []
        for meaning in heard.requests():
            if meaning == "accept":
                parts.append(self._take_their_number())
                continue
            situation = self.data.answers.get(meaning, GENERIC)
            if meaning == "hardship":
                self._give_for_hardship()
            if situation in self.given and situation not in self.level.holds:
                parts.append(self.talk(ALREADY))
            else:
                parts.append(self.talk(situation))
        offer = heard.offer
        if offer == OFFER_PLAN:
            parts.append(self._plan_offer(heard.monthly))
        elif offer is not None:
            parts.append(self._lump_offer(heard.amount))
        if not parts:
            parts.append(self.talk(UNCLEAR))
        money = [p for p in parts if p.situation in ENGINE_SITUATIONS]
        main = money[-1] if money else parts[0]
        others = tuple(p.intent for p in parts if p is not main)
        text_out = " ".join(p.text for p in parts)
        return PartnerLine(
            text_out,
            main.intent,
            main.offer,
            main.situation,
            main.accepted,
            main.months,
            heard.meanings,
            others,
        )

    def _give_for_hardship(self) -> None:
        """Once per call, a stated hardship moves its asks toward the floor (``hardship`` counters' worth)."""
        if self.hardship_heard:
            return
        self.hardship_heard = True
        last = self.level.rounds
        self.round = min(self.round + self.level.hardship, last)
        self.plan_round = min(self.plan_round + self.level.hardship, last)

    def _lump_offer(self, amount: Decimal | None) -> PartnerLine:
        if amount is None:  # a share of a balance it does not know
            return self._say(self.data.bank(self.character, LUMP).no_amount, LUMP, "unknown")
        return self.consider(amount)

    def _plan_offer(self, monthly: Decimal | None) -> PartnerLine:
        if monthly is None:
            return self._say(self.data.bank(self.character, PLAN).no_amount, PLAN, "unknown")
        return self.consider_plan(monthly)

    def _take_their_number(self) -> PartnerLine:
        """The user said yes with no number of their own: they take the partner's standing ask."""
        plans, ask = self.plans(), self.current_ask()
        if self.standing == PLAN and self.agreed_plan is None and plans is not None:
            return self.consider_plan(plans[self.plan_round][0])
        if self.standing == LUMP and self.agreed is None and ask is not None:
            return self.consider(ask)
        if self.agreed is not None or self.agreed_plan is not None:
            return self._state_terms(LUMP if self.agreed is not None else PLAN)
        return self.talk(UNCLEAR)  # nothing was on the table to say yes to

    # -- recording ---------------------------------------------------------------

    def speak(self, session: Session, line: PartnerLine) -> Event:
        """Record the partner's line as a ``heard`` event (``by="partner"``) carrying its meaning.

        Coach's hearing still supplies the reply to show the user. When the
        Session's ``hear`` takes ``meaning=`` the partner's own intent and amounts
        are stored over the heard ones. Before then the event holds what hearing
        makes of the words: right for every line with a declared intent
        (tests/test_rehearse.py checks them), but the offer engine's own lines can
        be misheard ("If you can pay $2,033.00 today..." as a full-balance demand).
        """
        return session.hear(line.text, by="partner", meaning=line.meaning())

    def answer(self, session: Session) -> Event | None:
        """:meth:`respond`, then :meth:`speak` what it said: the call core's one call per turn."""
        line = self.respond(session)
        return self.speak(session, line) if line is not None else None


def _arrival(record: CallRecord, node: str, leaving: Event) -> int:
    """The seq of the step that arrived at ``node`` before ``leaving`` (0 at the start)."""
    arrived = 0
    for step in record.steps:
        if step.seq >= leaving.seq:
            break
        if isinstance(step.payload, StepData) and step.payload.to == node:
            arrived = step.seq
    return arrived


def personas_for(counterpart: str, path: Path | None = None) -> list[tuple[str, str]]:
    """(id, name) of the personas that play a counterpart, the default first."""
    data = load_personas(path)
    default = data.defaults.get(counterpart)
    found = [(p.id, p.name) for p in data.for_counterpart(counterpart)]
    return sorted(found, key=lambda pair: pair[0] != default)

"""The scorecard: a rehearsal's events judged against ``dialogues/rehearse/scorecard.yaml``.

Each item gets a pass, a miss or "does not apply", with a one-line why. Offers
are judged against the user's own numbers (target and walk-away from
``coach.money.derive``, the monthly budget), and an offer too small to be real (built
from a fact stored wrong) never passes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from coach.dialogue import render
from coach.money.amounts import format_money
from coach.rehearsal.files import Condition, ItemSpec, Plausible, ScorecardSpec, load_personas, load_scorecard
from coach.rehearsal.record import CallRecord, Offer, read_call, value_of
from coach.session.events import Event
from coach.session.payloads import HeardData, NoteData, ScoreData

# -- the scorecard -----------------------------------------------------------------


@dataclass(frozen=True)
class ScoreItem:
    id: str
    label: str
    passed: bool | None  # None: does not apply to this call
    why: str


@dataclass
class Scorecard:
    items: list[ScoreItem]
    points: int
    possible: int
    summary: str

    def as_json(self) -> dict[str, Any]:
        """For ``Session.record_score``: the numbers and every item."""
        return {
            "points": self.points,
            "possible": self.possible,
            "items": [{"id": i.id, "label": i.label, "passed": i.passed, "why": i.why} for i in self.items],
        }

    def as_payload(self) -> ScoreData:
        """The ``score`` event's payload (the same keys as :meth:`as_json`)."""
        items = tuple({"id": i.id, "label": i.label, "passed": i.passed, "why": i.why} for i in self.items)
        return ScoreData(points=self.points, possible=self.possible, items=items)


_PHONE = re.compile(r"(?:\+?1[ .-]?)?\(?\b\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b")


class _Judge:
    """Answers scorecard conditions about one call."""

    def __init__(
        self,
        record: CallRecord,
        facts: Mapping[str, Any],
        spec: ScorecardSpec,
    ) -> None:
        self.record = record
        self.facts = facts
        heard = [e.payload for e in record.heard]
        self.intents = [str(h.intent) for h in heard if isinstance(h, HeardData) and h.intent]
        said = list(record.phrases) + [e.text for e in record.typed]
        self.said = said
        notes = [(e, e.payload) for e in record.notes]
        self.notes = {str(n.kind) for _, n in notes if isinstance(n, NoteData)}
        typed = [e.text for e, n in notes if isinstance(n, NoteData) and n.kind not in spec.digits_skip]
        typed += [e.text for e in record.typed]
        account = str(facts.get("account_number") or "")
        self.typed = [self._clean(text, account) for text in typed]
        self.plausible = spec.plausible

    @staticmethod
    def _clean(text: str, account: str) -> str:
        if account:
            text = text.replace(account, " ")
        return _DATE.sub(" ", _PHONE.sub(" ", text))

    def holds(self, condition: Condition) -> bool:
        kind, value = condition.kind, condition.value
        if kind == "any":
            return any(self.holds(part) for part in condition.parts)
        if kind == "all":
            return all(self.holds(part) for part in condition.parts)
        if kind == "not":
            return not self.holds(condition.parts[0])
        if kind == "note":
            return value in self.notes
        if kind == "visited":
            return any(value.search(node) for node in self.record.path)
        if kind == "said_at":
            return any(value.search(node) for node in self.record.spoken)
        if kind == "chose":
            return any(value.search(choice) for choice in self.record.choices)
        if kind == "said":
            return any(value.search(text) for text in self.said)
        if kind == "heard":
            return any(value.fullmatch(intent) for intent in self.intents)
        if kind == "heard_text":
            return any(value.search(event.text) for event in self.record.heard)
        if kind == "fact":
            return self.facts.get(value) not in (None, "")
        if kind == "fact_below":
            name, limit = value
            known = self.facts.get(name)
            return isinstance(known, Decimal | int) and Decimal(known) < limit
        if kind == "digits":
            run = re.compile(r"\d(?:[ -]?\d){" + str(int(value) - 1) + ",}")
            return any(run.search(text) for text in self.typed)
        if kind == "asked":
            return value in self.record.asked
        if kind == "real_offer":
            return any(_implausible(o, self.facts, self.plausible) is None for o in self.record.offers)
        return bool(self.record.offers)  # offer


def score(
    events: Sequence[Event], facts: Mapping[str, Any], counterpart: str, folder: Path | None = None
) -> Scorecard:
    """Score a call from its events; every item carries a one-line why.

    ``facts`` are the facts at the end of the call (``session.facts``).
    """
    spec = load_scorecard(folder)
    personas = load_personas(folder)
    record = read_call(events, personas, facts, counterpart)
    judge = _Judge(record, facts, spec)
    items = [_score_item(item, judge, record, facts, counterpart) for item in spec.items]
    points = sum(1 for item in items if item.passed)
    possible = sum(1 for item in items if item.passed is not None)
    skipped = len(items) - possible
    summary = f"Scorecard: {points} of {possible}" + (f" ({skipped} did not apply)" if skipped else "")
    return Scorecard(items, points, possible, summary)


def _score_item(
    item: ItemSpec, judge: _Judge, record: CallRecord, facts: Mapping[str, Any], counterpart: str
) -> ScoreItem:
    def result(passed: bool | None, why: str) -> ScoreItem:
        return ScoreItem(item.id, item.label, passed, why)

    if item.applies is not None and counterpart not in item.applies:
        return result(None, item.whys.get("na_counterpart") or f"Does not apply to a {counterpart} call.")
    if item.only_if is not None and not judge.holds(item.only_if):
        return result(None, item.whys["na"])
    if item.never is not None and judge.holds(item.never):
        return result(False, item.whys["broke"])
    if item.check == "amount":
        return _amount_item(item, record, facts, counterpart, judge.plausible)
    for condition in item.need:
        if not judge.holds(condition):
            return result(False, condition.why or item.whys["fail"])
    return result(True, item.whys["pass"])


def _amount_item(
    item: ItemSpec, record: CallRecord, facts: Mapping[str, Any], counterpart: str, plausible: Plausible
) -> ScoreItem:
    def result(passed: bool | None, key: str, **values: Any) -> ScoreItem:
        return ScoreItem(item.id, item.label, passed, render.render(item.whys[key], values))

    if not record.offers:
        return result(None, "no_offer")
    last = record.offers[-1]
    unreal = _implausible(last, facts, plausible)
    if unreal is not None:
        key = "implausible_monthly" if last.monthly else "implausible"
        text = render.render(item.whys.get(key) or _UNREAL[key], unreal)
        return ScoreItem(item.id, item.label, False, text)
    if last.monthly:
        budget = facts.get("monthly_budget")
        if not isinstance(budget, Decimal):
            return result(None, "no_target")
        passed = last.amount <= budget
        return result(
            passed, "monthly_pass" if passed else "monthly_fail", monthly=last.amount, budget=budget
        )
    target = value_of("offer_target", facts, counterpart)
    walk_away = value_of("offer_walk_away", facts, counterpart)
    if target is None or walk_away is None:
        target = walk_away = value_of("lump_sum_available", facts, counterpart)
    if target is None or walk_away is None:
        return result(None, "no_target")
    values = {"offer": last.amount, "target": target, "walk_away": walk_away}
    if last.amount <= target:
        return result(True, "pass", **values)
    return result(False, "over_target" if last.amount <= walk_away else "over_walk_away", **values)


_UNREAL = {
    "implausible": "Your last offer, {{ offer | money }}, is under {{ least }} of the {{ balance | money }} "
    "balance, too little to be real: check the facts it came from{{ suspect }}.",
    "implausible_monthly": "{{ monthly | money }} a month would take more than {{ months }} months to clear "
    "{{ balance | money }}: check the facts it came from{{ suspect }}.",
}
# Facts a lump sum or a monthly offer may be built from (coach.derive's ladder and plan).
_SOURCES = {
    False: {
        "lump_sum_available": "what you can pay at once",
        "cash_price": "the cash price",
        "medicare_amount": "the Medicare amount",
        "agb_amount": "the AGB amount",
    },
    True: {"monthly_budget": "your monthly budget"},
}


def _implausible(offer: Offer, facts: Mapping[str, Any], plausible: Plausible) -> dict[str, Any] | None:
    """The values for a "too little to be real" reason, or None when the offer is plausible.

    An offer of $0.60 on a $2,480 debt comes from a fact stored wrong (say $1 for
    the lump sum): it must never pass as "under your target".
    """
    balance = facts.get("balance")
    if not isinstance(balance, Decimal) or balance <= 0:
        return None
    if offer.monthly:
        ok = plausible.monthly_ok(offer.amount, balance)
        least = balance / plausible.most_months
    else:
        ok = plausible.lump_ok(offer.amount, balance)
        least = balance * plausible.least_share
    if ok:
        return None
    suspects = [
        f"{label} is {format_money(value)}"
        for name, label in _SOURCES[offer.monthly].items()
        if isinstance(value := facts.get(name), Decimal) and value < least
    ]
    share = f"{(plausible.least_share * 100).normalize():f}%"
    return {
        "offer": offer.amount,
        "monthly": offer.amount,
        "balance": balance,
        "least": share,
        "months": plausible.most_months,
        "suspect": f" ({'; '.join(suspects)})" if suspects else "",
    }


def format_scorecard(card: Scorecard) -> str:
    """Plain text for the line mode and the review: one line per item, in words."""
    marks = {True: "pass", False: "MISS", None: "n/a "}
    lines = [card.summary]
    lines += [f"  {marks[item.passed]}  {item.label}: {item.why}" for item in card.items]
    return "\n".join(lines)

"""A heard line set against the user's own case: accept, counter, decline a plan, or stop for an old debt.

``weigh`` decides once, in one place, what the reply to an offer should be, so
no caller has to guess from the wording of a sentence. It uses the facts the
session holds (balance, lump sum available, monthly budget, the debt's age) and
the user's own offers in this call. The words come from
``dialogues/hear/weighing.yaml``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from coach.dialogue.problems import YamlProblem
from coach.dialogue.yamlload import load_yaml
from coach.hearing.files import hear_file
from coach.money.amounts import format_money, to_cents
from coach.paths import dialogues_dir

OLD_DEBT_YEARS = 3  # many states' shortest time limit to sue; check before any payment or promise
OFFERS = frozenset({"offer_lump_sum", "offer_percent", "agreement_reached"})
PLANS = frozenset({"payment_plan_offer"})
PAYING = (
    OFFERS
    | PLANS
    | {
        "accepted",
        "small_payment_request",
        "full_balance_demand",
        "asks_payment_details",
        "asks_offer",
        "pay_for_delete_accepted",  # its reply says "I'll pay after..."
        "written_confirmation_refused",  # its reply says "I can't pay until..."
    }
)
"""Intents whose usual reply moves toward paying: an old debt stops them all."""

VERDICTS = (
    "none",  # nothing to weigh (no offer, or the case lacks the numbers)
    "accepted",  # they took the user's own number: get it in writing
    "at_target",  # at or under the target: may accept, in writing
    "counter",  # above the target: counter at ``counter``
    "plan_fits",  # a monthly amount within the budget
    "plan_over_budget",  # a monthly amount above the budget: decline and say the budget
    "old_debt",  # 3+ years old: check the time limit before paying or promising
    "check_number",  # an offer above the whole balance: probably misheard, ask again
    "name_offer",  # they asked what the user can pay: the user's opening (or last) offer and budget
)
ASKS = frozenset({"asks_offer"})


@dataclass(frozen=True)
class Weighing:
    """The decision about a heard line: ``verdict`` (one of VERDICTS), the sentence shown to the user,
    the counter-offer if any, the reply that replaces the intent's own (None: keep it) and a warning."""

    verdict: str = "none"
    sentence: str = ""
    counter: Decimal | None = None
    reply: str | None = None
    warning: str | None = None
    sources: tuple[str, ...] = ()


def weighing_path() -> Path:
    """The shipped replies for weighed lines."""
    return dialogues_dir() / "hear" / "weighing.yaml"


@functools.lru_cache(maxsize=4)
def _texts(path: str) -> dict[str, dict[str, str]]:
    try:
        raw = load_yaml(Path(path))
    except YamlProblem:
        return {}
    return {
        str(key): {str(k): " ".join(str(v).split()) for k, v in value.items()}
        for key, value in (raw or {}).items()
        if isinstance(value, dict)
    }


def _say(verdict: str, part: str, **values: Any) -> str | None:
    text = _texts(hear_file(dialogues_dir, "weighing.yaml")).get(verdict, {}).get(part)
    if text is None:
        return None
    for name, value in values.items():
        shown = format_money(value) if isinstance(value, Decimal) else str(value)
        text = text.replace("{" + name + "}", shown)
    return text


def debt_age(facts: Mapping[str, Any], today: dt.date | None = None) -> int | None:
    """Whole years since the last payment, else since the date of service (``debt_age_years`` if given)."""
    given = facts.get("debt_age_years")
    if isinstance(given, int) and not isinstance(given, bool):
        return given
    if today is None:
        from coach.money.derive import debt_age_years

        return debt_age_years(dict(facts), "")
    for name in ("last_payment_date", "date_of_service"):
        start = facts.get(name)
        if isinstance(start, dt.datetime):
            start = start.date()
        if isinstance(start, dt.date):
            return today.year - start.year - ((today.month, today.day) < (start.month, start.day))
    return None


def accepted_offer(amount: Decimal | None, user_offers: Sequence[Decimal]) -> bool:
    """Whether their amount equals or is under the user's last offer: an agreement, not a new offer."""
    return amount is not None and bool(user_offers) and to_cents(amount) <= to_cents(user_offers[-1])


def _money(value: Any) -> Decimal | None:
    if isinstance(value, Decimal) and value.is_finite():
        return value
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        try:
            found = Decimal(str(value))
        except ArithmeticError:
            return None
        return found if found.is_finite() else None
    return None


def weigh(
    intent: str,
    amount: Decimal | None,
    percent: Decimal | None,
    monthly: Decimal | None,
    facts: Mapping[str, Any] | None,
    counterpart: str | None,
    user_offers: Sequence[Decimal] = (),
) -> Weighing:
    """What this heard line means for the user's case (see VERDICTS); never raises."""
    facts = facts or {}
    balance = _money(facts.get("balance"))
    if amount is None and percent is not None and balance is not None and balance > 0:
        amount = to_cents(balance * percent / 100)
    age = debt_age(facts)
    if age is not None and age >= OLD_DEBT_YEARS and intent in PAYING:
        share = _share_sentence(amount, balance)
        sentence = " ".join(filter(None, (share, _say("old_debt", "sentence", years=age))))
        return Weighing(
            "old_debt",
            sentence,
            reply=_say("old_debt", "reply"),
            warning=_say("old_debt", "warning", years=age),
            sources=tuple(
                filter(
                    None,
                    (_texts(hear_file(dialogues_dir, "weighing.yaml")).get("old_debt", {}).get("source"),),
                )
            ),
        )
    if intent == "accepted" and amount is not None:
        return Weighing(
            "accepted",
            _say("accepted", "sentence", amount=to_cents(amount)) or "",
            reply=_say("accepted", "reply", amount=to_cents(amount)),
        )
    if intent in ASKS:
        return _name_offer(facts, counterpart, user_offers)
    if intent in PLANS and monthly is not None:
        return _weigh_plan(monthly, _money(facts.get("monthly_budget")))
    if intent in OFFERS and amount is not None and balance is not None and balance > 0:
        return _weigh_lump_sum(amount, balance, facts, counterpart, user_offers)
    return Weighing()


def _name_offer(
    facts: Mapping[str, Any], counterpart: str | None, user_offers: Sequence[Decimal]
) -> Weighing:
    """ "How much can you pay?": the user's last offer, else the ladder's opening, and the monthly budget."""
    from coach.money.derive import ladder_for

    offer = user_offers[-1] if user_offers else None
    if offer is None and _money(facts.get("balance")) is not None:
        ladder = ladder_for(dict(facts), counterpart or "hospital")
        offer = getattr(ladder, "opening", None)
    budget = _money(facts.get("monthly_budget"))
    if offer is None:
        return Weighing()
    part = "reply_budget" if budget is not None and budget > 0 else "reply"
    values = {"offer": to_cents(offer), "budget": to_cents(budget) if budget is not None else Decimal(0)}
    return Weighing(
        "name_offer",
        _say("name_offer", "sentence_again" if user_offers else "sentence", **values) or "",
        reply=_say("name_offer", part, **values),
    )


def _share_sentence(amount: Decimal | None, balance: Decimal | None) -> str:
    if amount is None or balance is None or balance <= 0:
        return ""
    percent = (to_cents(amount) / balance * 100).quantize(Decimal(1))
    return f"{format_money(to_cents(amount))} is {percent}% of the balance."


def _weigh_plan(monthly: Decimal, budget: Decimal | None) -> Weighing:
    if budget is None or budget <= 0:
        return Weighing()
    monthly, budget = to_cents(monthly), to_cents(budget)
    if monthly > budget:
        return Weighing(
            "plan_over_budget",
            _say("plan_over_budget", "sentence", monthly=monthly, budget=budget) or "",
            reply=_say("plan_over_budget", "reply", monthly=monthly, budget=budget),
        )
    return Weighing("plan_fits", _say("plan_fits", "sentence", monthly=monthly, budget=budget) or "")


def _weigh_lump_sum(
    amount: Decimal,
    balance: Decimal,
    facts: Mapping[str, Any],
    counterpart: str | None,
    user_offers: Sequence[Decimal],
) -> Weighing:
    from coach.money.derive import ladder_for
    from coach.money.negotiate import weigh_lump_sum

    if to_cents(amount) > to_cents(balance):  # nobody settles for more than is owed: a misheard number
        values = {"amount": to_cents(amount), "balance": to_cents(balance)}
        return Weighing(
            "check_number",
            _say("check_number", "sentence", **values) or "",
            reply=_say("check_number", "reply"),
        )

    ladder = ladder_for(dict(facts), counterpart or "hospital")
    if ladder is None:
        return Weighing()
    floor = user_offers[-1] if user_offers else None
    try:
        weighed = weigh_lump_sum(amount, balance, ladder, floor)
    except ValueError:
        return Weighing()
    if weighed.counter is None:
        return Weighing(
            "at_target", weighed.sentence, reply=_say("at_target", "reply", amount=weighed.amount)
        )
    counter = weighed.counter
    return Weighing(
        "counter", weighed.sentence, counter=counter, reply=_say("counter", "reply", counter=counter)
    )


class OffersSoFar(tuple[Decimal, ...]):
    """The user's own offers in a call (a tuple, oldest first), and ``theirs``: the offers noted as theirs."""

    theirs: tuple[Decimal, ...]

    def __new__(cls, mine: Iterable[Decimal] = (), theirs: Iterable[Decimal] = ()) -> OffersSoFar:
        made = super().__new__(cls, tuple(mine))
        made.theirs = tuple(theirs)
        return made


def within_walk_away(
    amount: Decimal | None, facts: Mapping[str, Any] | None, counterpart: str | None
) -> bool:
    """Whether ``amount`` is at or under the user's walk-away for this case (False when it can't be told)."""
    from coach.money.derive import ladder_for

    if amount is None or not facts or _money(facts.get("balance")) is None:
        return False
    ladder = ladder_for(dict(facts), counterpart or "hospital")
    return ladder is not None and to_cents(amount) <= to_cents(ladder.walk_away)


def user_offers_from(events: Iterable[Any]) -> OffersSoFar:
    """The user's own lump-sum offers so far in a call, oldest first (and, as ``theirs``, their noted offers).

    From note events whose data says ``"by": "user"`` with an ``amount``, from
    the amounts in lines the user said (``said`` events), and, in a live call,
    from the counter-offer the coach gave as the reply to a heard line: the user
    was told to say it, so the rep accepting that amount is an agreement, and the
    next counter never drops below it. (In a rehearsal the user types what they
    say, so only their own ``said`` lines count.)
    """
    offers: list[Decimal] = []
    theirs: list[Decimal] = []
    for event in events:
        kind, data = getattr(event, "kind", ""), getattr(event, "data", {}) or {}
        if kind == "note" and data.get("by") == "them":
            noted = _money(data.get("amount"))
            if noted is not None and noted > 0:
                theirs.append(noted)
            continue
        if kind == "note" and data.get("by") == "user":
            found = _money(data.get("amount"))
        elif kind == "heard" and data.get("by") == "counterpart" and data.get("verdict") == "counter":
            found = _money(data.get("counter"))
        elif kind == "said":
            from coach.hearing.intents import read_numbers

            found = read_numbers(str(getattr(event, "text", ""))).amount
        else:
            continue
        if found is not None and found > 0:
            offers.append(found)
    return OffersSoFar(offers, theirs)

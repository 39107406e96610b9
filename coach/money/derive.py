"""Values computed from facts (deadlines, offer numbers) for phrases and conditions.

The playbook declares each name under ``derived:`` with one line saying what it
is; this registry says how to compute it. A value that cannot be computed yet
(a fact it needs is unknown) is ``None`` and shows as a placeholder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any

from coach.dialogue import appeals, counterparts

Facts = Mapping[str, Any]
Deriver = Callable[[Facts, str], Any]


def add_business_days(start: dt.date, days: int) -> dt.date:
    """Skip Saturdays and Sundays (federal holidays are not counted here)."""
    current = start
    while days > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def validation_end(facts: Facts, counterpart: str) -> dt.date | None:
    """Receipt is assumed 5 business days after the notice was sent; 30 days follow (12 CFR 1006.34(b)(5))."""
    sent = facts.get("validation_notice_date")
    if not isinstance(sent, dt.date):
        return None
    return add_business_days(sent, 5) + dt.timedelta(days=30)


def assistance_deadline(facts: Facts, counterpart: str) -> dt.date | None:
    """At least 240 days from the first post-discharge bill (26 CFR 1.501(r)-6)."""
    first = facts.get("first_bill_date")
    return first + dt.timedelta(days=240) if isinstance(first, dt.date) else None


def assistance_days_left(facts: Facts, counterpart: str) -> int | None:
    """Days until the 240-day minimum ends (negative once it has passed: apply anyway)."""
    deadline = assistance_deadline(facts, counterpart)
    return (deadline - dt.date.today()).days if deadline else None


def gfe_dispute_deadline(facts: Facts, counterpart: str) -> dt.date | None:
    """120 calendar days from the bill date to start patient-provider dispute resolution."""
    first = facts.get("first_bill_date")
    return first + dt.timedelta(days=120) if isinstance(first, dt.date) else None


OLD_DEBT_YEARS = 3  # the shortest common state time limit for suits on a debt (typical range 3-6 years)


def debt_age_years(facts: Facts, counterpart: str) -> int | None:
    """Whole years since the last payment where known, else since the date of service.

    Time limits for a suit usually run from the last payment or the default, so
    the last payment is the better clock; the date of service is the fallback.
    """
    since = facts.get("last_payment_date")
    if not isinstance(since, dt.date):
        since = facts.get("date_of_service")
    if not isinstance(since, dt.date):
        return None
    today = dt.date.today()
    return today.year - since.year - ((today.month, today.day) < (since.month, since.day))


def old_debt(facts: Facts, counterpart: str) -> bool | None:
    """Whether the debt is old enough that a payment or a signed promise may restart a time limit."""
    age = debt_age_years(facts, counterpart)
    return None if age is None else age >= OLD_DEBT_YEARS


def ladder_for(facts: Facts, counterpart: str) -> Any:
    """The offer ladder for these facts, or None while the balance is unknown."""
    return _ladder_cached(
        facts.get("balance"),
        counterpart,
        facts.get("lump_sum_available"),
        tuple((k, facts.get(k)) for k in ("cash_price", "medicare_amount", "agb_amount")),
    )


@lru_cache(maxsize=256)
def _ladder_cached(balance: Any, counterpart: str, available: Any, bench: tuple[tuple[str, Any], ...]) -> Any:
    from coach.money.negotiate import offer_ladder

    if not isinstance(balance, Decimal) or balance <= 0:
        return None
    names = {"cash_price": "cash_price", "medicare_amount": "medicare", "agb_amount": "agb"}
    benchmarks = {names[key]: value for key, value in bench if isinstance(value, Decimal)}
    try:
        return offer_ladder(
            balance, counterpart, available if isinstance(available, Decimal) else None, benchmarks or None
        )
    except (ValueError, ArithmeticError):
        return None


def _ladder_value(attribute: str) -> Deriver:
    def derive(facts: Facts, counterpart: str) -> Any:
        ladder = ladder_for(facts, counterpart)
        return getattr(ladder, attribute, None) if ladder is not None else None

    derive.__doc__ = f"The offer ladder's {attribute.replace('_', ' ')}."
    return derive


def plan_months(facts: Facts, counterpart: str) -> int | None:
    """Months to clear the balance at the monthly budget, no interest."""
    from coach.money.negotiate import payment_plan

    balance, budget = facts.get("balance"), facts.get("monthly_budget")
    if not isinstance(balance, Decimal) or not isinstance(budget, Decimal) or budget <= 0 or balance <= 0:
        return None
    try:
        return payment_plan(balance, monthly_budget=budget).months
    except (ValueError, ArithmeticError):
        return None


def poverty_percent(facts: Facts, counterpart: str) -> Decimal | None:
    """Household income as a percent of the HHS poverty guideline."""
    from coach.errors import CoachError
    from coach.money.eligibility import estimate

    household, income, state = facts.get("household_size"), facts.get("annual_income"), facts.get("state")
    if not isinstance(household, int) or not isinstance(income, Decimal) or not isinstance(state, str):
        return None
    try:
        return estimate(household, income, state).percent_of_poverty
    except (CoachError, KeyError):  # e.g. a state typed as a name: the estimate is simply unknown
        return None


def state_charity(facts: Facts, counterpart: str) -> str | None:
    """The state's charity-care law and what it gives this household
    ("Oregon ... (ORS 442.614, HB 3076) gives, at your income, full (100%) reduction of what you owe"),
    from dialogues/money/state_rules.yaml; None where coach knows no law or the income is above it.
    """
    rule = _state_rule(facts, counterpart)
    return f"{rule['name']} gives, at your income, {rule['text']}" if rule else None


def state_charity_note(facts: Facts, counterpart: str) -> str | None:
    """The caution that goes with the state's rule (who it covers, what is uncertain), if any."""
    rule = _state_rule(facts, counterpart)
    return str(rule["caution"]) if rule and rule.get("caution") else None


def _state_rule(facts: Facts, counterpart: str) -> dict[str, Any] | None:
    """The household's tier of its state's charity-care law. Hospital bills only (in collections
    too): a separately billed doctor is not covered by these laws."""
    if counterparts.lacks(counterpart, "charity-care"):
        return None
    from coach.errors import CoachError
    from coach.money.eligibility import estimate

    household, income, state = facts.get("household_size"), facts.get("annual_income"), facts.get("state")
    if not isinstance(household, int) or not isinstance(income, Decimal) or not isinstance(state, str):
        return None
    try:
        rule = estimate(household, income, state).state_rule
    except (CoachError, KeyError):
        return None
    return rule if rule and rule.get("tier") else None


def assistance_first(facts: Facts, counterpart: str) -> bool | None:
    """Apply for assistance before offering money: the state's law covers this income, or it is
    inside the free-care range of many hospital policies (up to 200% of the poverty guideline)."""
    if counterparts.lacks(counterpart, "charity-care"):
        return None
    if state_charity(facts, counterpart):
        return True
    percent = poverty_percent(facts, counterpart)
    return None if percent is None else percent <= 200


DERIVED: dict[str, Deriver] = {
    "validation_end": validation_end,
    "assistance_deadline": assistance_deadline,
    "assistance_days_left": assistance_days_left,
    "gfe_dispute_deadline": gfe_dispute_deadline,
    "debt_age_years": debt_age_years,
    "old_debt": old_debt,
    "offer_opening": _ladder_value("opening"),
    "offer_target": _ladder_value("target"),
    "offer_walk_away": _ladder_value("walk_away"),
    "plan_months": plan_months,
    "poverty_percent": poverty_percent,
    "state_charity": state_charity,
    "state_charity_note": state_charity_note,
    "assistance_first": assistance_first,
    "appeal_deadline": appeals.appeal_deadline,
    "appeal_route": appeals.appeal_route,
}


def derive_all(facts: Facts, counterpart: str, names: list[str] | None = None) -> dict[str, Any]:
    """Compute the named derived values (all by default); None where unknown."""
    return {name: DERIVED[name](facts, counterpart) for name in (names or list(DERIVED))}

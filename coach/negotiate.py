"""Offer ladders, payment plans and weighing a heard offer, all in ``Decimal``.

The numbers are starting points, not predictions: reported settlement levels are
anecdotal (FACTS §2.H), so every step carries its reason and nothing here
promises an outcome. No amount ever exceeds what the user said they can pay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from coach.money import format_money, to_cents

# Opening and target as fractions of the balance, per counterpart. Collectors that
# own a debt often bought it for cents on the dollar (FTC 2013), so they open lower.
OPENING = {"hospital": Decimal("0.30"), "doctor": Decimal("0.35"), "collections": Decimal("0.25")}
TARGET = {"hospital": Decimal("0.45"), "doctor": Decimal("0.50"), "collections": Decimal("0.40")}
WALK_AWAY = {"hospital": Decimal("0.65"), "doctor": Decimal("0.70"), "collections": Decimal("0.55")}
MEDICARE_MULTIPLE = Decimal("2.54")  # private insurers paid 254% of Medicare in 2022 (RAND 5.1)
COLORADO_CAP = Decimal("0.04")  # hospital plans capped at 4% of monthly income (CO HB 21-1198)


@dataclass(frozen=True)
class Step:
    """One amount on the ladder and why it is reasonable."""

    amount: Decimal
    reason: str


@dataclass(frozen=True)
class Ladder:
    """Opening offer, target, walk-away, and the concession steps between them."""

    opening: Decimal
    target: Decimal
    walk_away: Decimal
    steps: tuple[Step, ...] = field(default_factory=tuple)


def _fair_price(balance: Decimal, benchmarks: dict[str, Decimal]) -> tuple[Decimal, str] | None:
    """The lowest credible benchmark below the balance, with its name."""
    candidates = []
    if "cash_price" in benchmarks:
        candidates.append((benchmarks["cash_price"], "the posted cash price"))
    if "agb" in benchmarks:
        candidates.append((benchmarks["agb"], "the amounts generally billed"))
    if "medicare" in benchmarks:
        candidates.append(
            (to_cents(benchmarks["medicare"] * MEDICARE_MULTIPLE), "about 2.5 times the Medicare rate")
        )
    below = [(amount, name) for amount, name in candidates if 0 < amount < balance]
    return min(below) if below else None


def offer_ladder(
    balance: Decimal,
    counterpart: str,
    lump_sum_available: Decimal | None = None,
    benchmarks: dict[str, Decimal] | None = None,
) -> Ladder:
    """A ladder from opening to walk-away; ValueError for a balance that is not positive."""
    if balance <= 0:
        raise ValueError("balance must be more than $0")
    kind = counterpart if counterpart in OPENING else "hospital"
    opening = to_cents(balance * OPENING[kind])
    target = to_cents(balance * TARGET[kind])
    walk_away = to_cents(balance * WALK_AWAY[kind])
    reason_open = "a low opening leaves room to move; reported settlement levels vary and are anecdotal"
    fair = _fair_price(balance, benchmarks or {})
    if fair is not None:
        amount, name = fair
        walk_away = min(walk_away, amount)
        target = min(target, to_cents(amount * Decimal("0.85")))
        opening = min(opening, to_cents(amount * Decimal("0.6")))
        reason_open = f"anchored below {name} ({format_money(amount)})"
    if lump_sum_available is not None and lump_sum_available < walk_away:
        cap = to_cents(lump_sum_available)  # never above what the user can truly pay
        walk_away = cap
        target = min(target, to_cents(cap * Decimal("0.85")))
        opening = min(opening, to_cents(cap * Decimal("0.6")))
    opening = min(opening, target)
    target = min(target, walk_away)
    middle = to_cents((target + walk_away) / 2)
    steps = (
        Step(opening, f"Opening: {reason_open}."),
        Step(target, "Target: a fair middle you can pay; ask for it with your reason."),
        Step(middle, "Only if needed: a small move, with a reason (a lump sum now)."),
        Step(walk_away, "Walk-away: the most you can pay; say no above it and call back another day."),
    )
    return Ladder(opening, target, walk_away, steps)


@dataclass(frozen=True)
class Plan:
    """A payment plan whose schedule adds up exactly to the total."""

    total: Decimal
    months: int
    monthly: Decimal
    schedule: tuple[Decimal, ...]
    cap_note: str = ""


def payment_plan(
    total: Decimal,
    monthly_budget: Decimal | None = None,
    months: int | None = None,
    monthly_income: Decimal | None = None,
    state: str | None = None,
    interest_rate: Decimal = Decimal(0),
) -> Plan:
    """Months for a budget, or the monthly amount for a number of months; no interest unless given."""
    if total <= 0:
        raise ValueError("total must be more than $0")
    if interest_rate:
        raise ValueError("coach only plans interest-free payment plans; ask for no interest")
    total = to_cents(total)
    if monthly_budget is not None:
        if monthly_budget <= 0:
            raise ValueError("monthly budget must be more than $0")
        monthly = to_cents(monthly_budget)
        count = int((total / monthly).to_integral_value(rounding=ROUND_CEILING))
        schedule = [monthly] * (count - 1)
        schedule.append(total - monthly * (count - 1))  # the last payment takes what is left
    elif months is not None:
        if months < 1:
            raise ValueError("months must be 1 or more")
        total_cents = int(total * 100)
        count = min(months, total_cents)  # never a payment of $0.00
        base, extra = divmod(total_cents, count)
        schedule = [Decimal(base + 1) / 100] * extra + [Decimal(base) / 100] * (count - extra)
        schedule = [to_cents(p) for p in schedule]
        monthly = schedule[0]
    else:
        raise ValueError("give a monthly budget or a number of months")
    note = ""
    if (state or "").upper() == "CO" and monthly_income is not None:
        cap = to_cents(monthly_income * COLORADO_CAP)
        if monthly > cap:
            note = f"Colorado caps hospital payment plans at 4% of monthly income ({format_money(cap)})."
    return Plan(to_cents(total), count, monthly, tuple(schedule), note)


def weigh_offer(amount: Decimal, balance: Decimal, ladder: Ladder) -> str:
    """How a heard offer sits against the balance, the target and the walk-away."""
    share = (amount / balance * 100).quantize(Decimal(1))
    target_share = (ladder.target / balance * 100).quantize(Decimal(1))
    said = f"{format_money(amount)} is {share}% of the balance; your target was {target_share}%"
    if amount <= ladder.target:
        return f"{said}. That is at or under your target: get it in writing before paying."
    counter = min(ladder.walk_away, to_cents((amount + ladder.target) / 2))
    if amount > ladder.walk_away:
        return f"{said}; it is above your walk-away ({format_money(ladder.walk_away)}). Counter at {format_money(ladder.target)}."
    return f"{said}; counter at {format_money(counter)}."

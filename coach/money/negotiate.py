"""Offer ladders, payment plans and weighing a heard offer, all in ``Decimal``.

The numbers are starting points, not predictions: reported settlement levels are
anecdotal (FACTS section 2.H), so every step carries its reason in plain words and
nothing here promises an outcome. No amount ever exceeds the balance or what the
user said they can pay.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_UP, Decimal

from coach.money.amounts import CENT, format_money, to_cents
from coach.money.eligibility import plan_cap

# Opening, target and walk-away as fractions of the balance, per counterpart.
# Collectors that own a debt often bought it for a few cents on the dollar
# (FTC 2013), so the ladder for them starts lower.
OPENING = {"hospital": Decimal("0.30"), "doctor": Decimal("0.35"), "collections": Decimal("0.25")}
TARGET = {"hospital": Decimal("0.45"), "doctor": Decimal("0.50"), "collections": Decimal("0.40")}
WALK_AWAY = {"hospital": Decimal("0.65"), "doctor": Decimal("0.70"), "collections": Decimal("0.55")}
MEDICARE_MULTIPLE = Decimal("2.54")  # private insurers paid 254% of Medicare in 2022 (RAND Round 5.1)
TARGET_OF_CAP = Decimal("0.85")  # when a benchmark or the user's means set the walk-away
OPENING_OF_CAP = Decimal("0.60")
MAX_MONTHS = 1_000_000  # a schedule longer than this is not a plan
WHOLE_DOLLARS_FROM = Decimal(100)  # offers of $100 or more are whole dollars, rounded down

ANECDOTAL = (
    "settlement levels people report (often 25-60% off) are anecdotal, so this is a start, not a promise"
)
WHY_LOW = {
    "collections": "collectors that own a debt often paid a few cents per dollar for it (FTC 2013)",
    "hospital": "hospitals often have self-pay and prompt-pay discounts",
    "doctor": "practices often take less for a prompt lump sum",
}


@dataclass(frozen=True)
class Step:
    """One amount on the ladder and why it is reasonable."""

    amount: Decimal
    reason: str


@dataclass(frozen=True)
class Ladder:
    """Opening offer, target, walk-away, and the steps from the first to the last (lowest first)."""

    opening: Decimal
    target: Decimal
    walk_away: Decimal
    steps: tuple[Step, ...] = ()


def _offer(amount: Decimal) -> Decimal:
    """An offer amount: cents, and whole dollars (rounded down) from $100 up."""
    if amount >= WHOLE_DOLLARS_FROM:
        return amount.quantize(Decimal(1), rounding=ROUND_DOWN).quantize(CENT)
    return amount.quantize(CENT, rounding=ROUND_DOWN)


def _fair_price(balance: Decimal, benchmarks: dict[str, Decimal]) -> tuple[Decimal, str] | None:
    """The lowest credible benchmark below the balance, with a plain description that shows the amount."""
    candidates = []
    if benchmarks.get("cash_price") is not None:
        amount = to_cents(benchmarks["cash_price"])
        candidates.append((amount, f"the hospital's posted cash price ({format_money(amount)})"))
    if benchmarks.get("agb") is not None:
        amount = to_cents(benchmarks["agb"])
        candidates.append(
            (amount, f"the amount generally billed to insured patients, AGB ({format_money(amount)})")
        )
    if benchmarks.get("medicare") is not None:
        amount = to_cents(benchmarks["medicare"] * MEDICARE_MULTIPLE)
        candidates.append(
            (
                amount,
                f"about 2.5 times what Medicare pays ({format_money(amount)}), roughly what private insurers "
                "paid hospitals on average in 2022 (RAND)",
            )
        )
    below = [(amount, name) for amount, name in candidates if 0 < amount < balance]
    return min(below) if below else None


def offer_ladder(
    balance: Decimal,
    counterpart: str,
    lump_sum_available: Decimal | None = None,
    benchmarks: dict[str, Decimal] | None = None,
) -> Ladder:
    """Opening ≤ target ≤ walk-away ≤ balance, and never above ``lump_sum_available``.

    ``counterpart`` is hospital, doctor or collections (anything else is treated
    as a hospital). ``benchmarks`` may hold cash_price, agb and medicare (the
    Medicare amount for the same services); the lowest one below the balance
    anchors the ladder. ValueError for a balance that is not positive or a
    negative amount available.
    """
    if not balance.is_finite() or balance <= 0:
        raise ValueError("balance must be more than $0")
    if lump_sum_available is not None and (not lump_sum_available.is_finite() or lump_sum_available < 0):
        raise ValueError("the amount you can pay must be $0 or more")
    balance = to_cents(balance)
    if balance <= 0:
        raise ValueError("balance must be at least $0.01")
    kind = counterpart if counterpart in OPENING else "hospital"
    opening, target, walk_away = (balance * table[kind] for table in (OPENING, TARGET, WALK_AWAY))
    why_open = f"{WHY_LOW[kind]}, and a low first offer leaves room to move"
    why_walk = (
        "the most to offer; above it, say no politely and ask about financial assistance or a payment plan"
    )
    fair = _fair_price(balance, benchmarks or {})
    if fair is not None:
        amount, name = fair
        if amount < walk_away:
            walk_away = amount
            why_walk = f"{name}; a fair price is a strong reason not to pay more"
        target = min(target, amount * TARGET_OF_CAP)
        opening = min(opening, amount * OPENING_OF_CAP)
        why_open = f"set below {name}, a fair-price benchmark rather than a rule"
    if lump_sum_available is not None and lump_sum_available < walk_away:
        walk_away = lump_sum_available
        target = min(target, walk_away * TARGET_OF_CAP)
        opening = min(opening, walk_away * OPENING_OF_CAP)
        why_walk = "the most you said you can pay; never promise more than that"
        if lump_sum_available < CENT:
            why_walk = (
                "you said you have nothing for a lump sum now, so don't offer one; "
                "ask about financial assistance or an interest-free payment plan instead"
            )
    walk_away = _offer(min(walk_away, balance))
    target = min(_offer(target), walk_away)
    opening = min(_offer(opening), target)
    middle = max(target, min(_offer((target + walk_away) / 2), walk_away))
    steps = (
        Step(opening, f"Opening offer: {why_open}. The {ANECDOTAL}."),
        Step(
            target,
            "Target: where you hope to land; ask for it and give your reason (a lump sum now, hardship, a billing error).",
        ),
        Step(middle, "Only if they move too: a smaller step up, again with a reason. Move slowly."),
        Step(walk_away, f"Walk-away: {why_walk}. Whatever you agree, get it in writing before you pay."),
    )
    return Ladder(opening, target, walk_away, steps)


@dataclass(frozen=True)
class Plan:
    """A payment plan whose schedule adds up exactly to the total."""

    total: Decimal
    months: int
    monthly: Decimal  # the regular payment; the last one may differ by the leftover cents
    schedule: tuple[Decimal, ...]
    cap_note: str = ""  # the state's cap on payment plans: a warning when over it, a reminder without income
    over_cap: bool = False  # True when the payments break the state's cap for this income


def payment_plan(
    total: Decimal,
    monthly_budget: Decimal | None = None,
    months: int | None = None,
    monthly_income: Decimal | None = None,
    state: str | None = None,
    interest_rate: Decimal = Decimal(0),
) -> Plan:
    """Months for a monthly budget, or the monthly amount for a number of months.

    The schedule sums exactly to ``total`` (in cents): every payment is the
    regular amount and the last one takes what is left. Plans are interest-free;
    a non-zero ``interest_rate`` is a ValueError (ask for no interest). Where the
    state caps hospital payment plans (dialogues/money/state_rules.yaml: Colorado
    4% of monthly income, Illinois 25% of income over 12 months), ``cap_note``
    warns when the payments break the cap for ``monthly_income``, and reminds of
    the cap when the income is not given; within the cap it stays empty.
    """
    if not total.is_finite() or total <= 0:
        raise ValueError("total must be more than $0")
    if interest_rate:
        raise ValueError("coach only plans interest-free payment plans; ask for no interest")
    total = to_cents(total)
    if total <= 0:
        raise ValueError("total must be at least $0.01")
    total_cents = int(total / CENT)
    if monthly_budget is not None:
        if not monthly_budget.is_finite():
            raise ValueError("monthly budget must be an amount")
        monthly = monthly_budget.quantize(CENT, rounding=ROUND_DOWN)
        if monthly <= 0:
            raise ValueError("monthly budget must be at least $0.01")
        count = int((total / monthly).to_integral_value(rounding=ROUND_CEILING))
        if count > MAX_MONTHS:
            raise ValueError(
                f"at {format_money(monthly)} a month this would never be paid off; pick a larger amount"
            )
        monthly = min(monthly, total)
    elif months is not None:
        if months < 1:
            raise ValueError("months must be 1 or more")
        count = min(months, total_cents, MAX_MONTHS)  # never a payment of $0.00
        monthly = (total / count).quantize(CENT, rounding=ROUND_HALF_UP)
        if monthly * (count - 1) >= total:  # rounding up would leave nothing for the last payment
            monthly = (total / count).quantize(CENT, rounding=ROUND_DOWN)
    else:
        raise ValueError("give a monthly budget or a number of months")
    schedule = (monthly,) * (count - 1) + (total - monthly * (count - 1),)
    note, over = _cap_check(schedule, state, monthly_income)
    return Plan(total, count, monthly, schedule, note, over)


def _cap_check(
    schedule: tuple[Decimal, ...], state: str | None, monthly_income: Decimal | None
) -> tuple[str, bool]:
    """(note, over the cap) for the state's payment-plan cap, if it has one."""
    cap_rule = plan_cap(state)
    if cap_rule is None:
        return "", False
    if monthly_income is None or not monthly_income.is_finite() or monthly_income <= 0:
        return cap_rule.unknown, False
    window = cap_rule.months
    cap = to_cents(monthly_income * window * cap_rule.share)
    # Every payment but the last is the same, so the first and the last window are the heaviest.
    heaviest = max(sum(schedule[:window], Decimal(0)), sum(schedule[-window:], Decimal(0)))
    if heaviest > cap:
        return cap_rule.over.replace("{cap}", format_money(cap)), True
    return "", False


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    """``part`` as a whole percent of ``whole``, rounded half up."""
    return (part / whole * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _share(part: Decimal, whole: Decimal) -> str:
    """``part`` as a whole percent of ``whole``; "under 1%" rather than a misleading 0%."""
    return _share_text(_percent(part, whole), part)


def _share_text(percent: Decimal, part: Decimal) -> str:
    return "under 1%" if percent == 0 and part > 0 else f"{percent}%"


def counter_for(amount: Decimal, ladder: Ladder, floor: Decimal | None = None) -> Decimal | None:
    """The counter-offer to a heard lump sum, or None when it is at or under the target.

    Above the walk-away: the target. Between: halfway from the target, or from the
    user's own last offer ``floor`` when that is higher, to their offer (rounded
    down, so always below it), never above the walk-away: after "I could do $832"
    and their "$900", $866, not $832.50. Never below ``floor`` (going back down
    loses trust), unless that is already at or over their amount.
    """
    amount = to_cents(amount)
    if amount <= ladder.target:
        return None
    if amount > ladder.walk_away:
        counter = ladder.target
    else:
        start = to_cents(floor) if floor is not None and ladder.target < floor < amount else ladder.target
        halfway = ((amount + start) / 2).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        counter = min(ladder.walk_away, halfway)
    if floor is not None and counter < floor < amount:
        counter = min(to_cents(floor), ladder.walk_away) if floor <= ladder.walk_away else counter
    if floor is not None and counter == to_cents(floor) < ladder.walk_away and floor < amount:
        # they just turned the user's number down: repeating it is no answer; take the next step up
        step_up = min((s.amount for s in ladder.steps if s.amount > floor), default=ladder.walk_away)
        counter = step_up if step_up < amount else counter  # never up to (or past) what they asked
    return counter


@dataclass(frozen=True)
class OfferWeighed:
    """A heard lump sum set against the balance, the target and the walk-away, as data.

    ``share`` and ``target_share`` are whole percents of the balance; ``counter`` is
    :func:`counter_for`'s (None: at or under the target); :attr:`sentence` is the one
    place these are put in words.
    """

    amount: Decimal  # to the cent
    balance: Decimal
    share: Decimal
    target: Decimal
    target_share: Decimal
    walk_away: Decimal
    counter: Decimal | None
    above_walk_away: bool

    @property
    def sentence(self) -> str:
        """``"$1,200.00 is 48% of the balance; your target was 40%; counter at $1,100.00."``"""
        said = (
            f"{format_money(self.amount)} is {_share_text(self.share, self.amount)} of the balance; "
            f"your target was {_share_text(self.target_share, self.target)}"
        )
        if self.counter is None:
            return f"{said}. That is at or under your target: get it in writing before paying."
        if self.above_walk_away:
            return (
                f"{said}; it is above your walk-away ({format_money(self.walk_away)}). "
                f"Counter at {format_money(self.counter)}."
            )
        return f"{said}; counter at {format_money(self.counter)}."


def weigh_lump_sum(
    amount: Decimal, balance: Decimal, ladder: Ladder, floor: Decimal | None = None
) -> OfferWeighed:
    """How a heard offer sits against the balance, the target and the walk-away (see OfferWeighed).

    Raises ValueError for a balance of $0 or less, or a negative offer.
    """
    if not balance.is_finite() or balance <= 0:
        raise ValueError("balance must be more than $0")
    if not amount.is_finite() or amount < 0:
        raise ValueError("the offer must be $0 or more")
    amount = to_cents(amount)
    return OfferWeighed(
        amount=amount,
        balance=balance,
        share=_percent(amount, balance),
        target=ladder.target,
        target_share=_percent(ladder.target, balance),
        walk_away=ladder.walk_away,
        counter=counter_for(amount, ladder, floor),
        above_walk_away=amount > ladder.walk_away,
    )


def weigh_offer(amount: Decimal, balance: Decimal, ladder: Ladder, floor: Decimal | None = None) -> str:
    """How a heard offer sits against the balance, the target and the walk-away, in words.

    ``"$1,200.00 is 48% of the balance; your target was 40%; counter at $1,100.00."``
    The sentence of :func:`weigh_lump_sum`'s result, so the sentence and any reply agree.
    """
    return weigh_lump_sum(amount, balance, ladder, floor).sentence

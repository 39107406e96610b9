"""Hearing the other side: what a billing rep or collector just said, and what to say back.

``hear(text, counterpart, facts, user_offers)`` turns one line into a :class:`Heard`:
an intent name (plus any other meanings the line carries), the numbers in it (a lump
sum, a percentage, a monthly amount, a number of months, a fee, an amount they
refused), a short reply, any warning, and the :class:`~coach.weighing.Weighing` of
the line against the user's case. The words to listen for, the replies, the warnings
and their sources live in ``dialogues/hear/`` (read and checked by coach.hearing.patterns);
the line's numbers are read by coach.hearing.reading; this module scores the patterns,
picks an intent and builds the reply. It never imports Textual.

How a line is read:

1. normalized (coach.hearing.reading): lower case, straight quotes, contractions spelled
   out ("can't" → "can not"), mistyped key words put right (coach.hearing.typos), number
   words as digits ("eleven fifty" → "1150", coach.hearing.spoken), fillers dropped;
2. numbers found, then tagged in the text as ``<money>``, ``<percent>``,
   ``<months>``, ``<fee>`` and ``<refused>`` (an amount they turn down: "I can't
   do 765") so patterns can say ``settle for <money>``;
3. (here) each intent adds up the weights of its patterns that match; the highest
   score at or above the file's ``threshold`` wins (ties: higher ``priority``).
   A crisis always leads; an offer at or under the user's last offer is
   ``accepted``; a line no pattern places takes the meaning of the most similar
   labelled example (coach.examples), with a note, or else is ``unknown``.
   Warnings of other intents marked ``always_warn`` that also matched are added,
   so a safety warning is never lost;
4. with the case (``facts``, ``user_offers``) the line is weighed: counter,
   accept in writing, decline a plan over budget, or stop for an old debt.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from coach.dialogue import counterparts
from coach.hearing.examples import nearest
from coach.hearing.patterns import DECIDED, load_intents
from coach.hearing.reading import Numbers, read_numbers
from coach.hearing.weighing import Weighing, accepted_offer, weigh, within_walk_away


@dataclass(frozen=True)
class Heard:
    """What a line from the other side means.

    ``percent`` is the share of the balance they would accept ("30% off" → 70).
    ``score`` is the winning intent's summed pattern weights (0 for ``unknown``);
    ``also`` names other intents that matched; ``sources`` back the reply and warning.
    """

    intent: str
    amount: Decimal | None = None
    percent: Decimal | None = None
    monthly: Decimal | None = None
    months: int | None = None
    reply: str = ""
    warning: str | None = None
    score: float = 0.0
    also: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    fee: Decimal | None = None
    refused: Decimal | None = None
    weighing: Weighing = field(default_factory=Weighing)

    @property
    def intents(self) -> tuple[str, ...]:
        """Every meaning heard in the line, the main one first."""
        return (self.intent, *self.also)

    def as_data(self) -> dict[str, Any]:
        """The heard event's data: the numbers as Decimals, the weighing as plain values."""
        return {
            "intent": self.intent,
            "intents": list(self.intents),
            "amount": self.amount,
            "percent": self.percent,
            "monthly": self.monthly,
            "months": self.months,
            "fee": self.fee,
            "refused": self.refused,
            "reply": self.reply,
            "warning": self.warning,
            "verdict": self.weighing.verdict,
            "weigh": self.weighing.sentence,
            "counter": self.weighing.counter,
        }

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of ``coach hear --json``: whole numbers as ints, others as floats."""
        return {
            key: _json_number(value) if isinstance(value, Decimal) else value
            for key, value in self.as_data().items()
        }


def _json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _counterpart(name: str | None) -> str | None:
    if not name:
        return None
    return counterparts.resolve(name)


def hear(
    text: str,
    counterpart: str | None = None,
    facts: Mapping[str, Any] | None = None,
    user_offers: Sequence[Decimal] = (),
) -> Heard:
    """What the other side meant by ``text`` and what to say back, for ``counterpart``.

    ``facts`` is the session's fact dict (Decimals for money, dates for dates) and
    ``user_offers`` the user's own offers so far in this call, oldest first: with
    them the line is weighed against the case (see :mod:`coach.hearing.weighing`), and an
    amount at or under the user's last offer is ``accepted``, never countered.
    Never raises for any text; an unplaceable line is ``unknown`` with general
    advice. A counterpart coach doesn't know gets the default reply.
    """
    book = load_intents()
    numbers = read_numbers(text if isinstance(text, str) else str(text))
    who = _counterpart(counterpart)
    scores = book.scores(numbers)  # each intent.score(numbers), with the regexes a line can't match skipped
    ranked = sorted(
        ((scores[name], intent.priority, name) for name, intent in book.intents.items()),
        key=lambda item: (-item[0], -item[1], item[2]),
    )
    matched = [name for score, _, name in ranked if score >= book.threshold and name not in DECIDED]
    guessed = None if matched else nearest(numbers.tagged)
    if guessed is not None:  # no pattern placed it: the most similar labelled example's meaning
        matched = [guessed[0]]
    if "crisis" in matched:  # a person in crisis comes before any bill
        matched.remove("crisis")
        matched.insert(0, "crisis")
    elif (
        guessed is None
        and matched
        and matched[0] in _ACCEPTABLE
        and accepted_offer(numbers.amount, user_offers)
    ):
        # an agreement is heard in their own words, never guessed from a similar line
        matched.insert(0, "accepted")
    elif (
        guessed is None
        and matched
        and matched[0] in _ACCEPTABLE
        and _accepts_noted_offer(numbers, user_offers)
        and within_walk_away(numbers.amount, facts, who)
    ):
        matched.insert(0, "accepted")  # "I can accept 900" after /offer 900, within the user's reach
    has_number = any(value is not None for value in (numbers.amount, numbers.percent, numbers.monthly))
    if matched and matched[0] in _SHOWN_SECOND and has_number and any(n in _MONEY_MEANINGS for n in matched):
        # "400 if you pay by card": the offer is the decision; the card warning still shows
        matched.insert(0, matched.pop(next(i for i, n in enumerate(matched) if n in _MONEY_MEANINGS)))
    top_name = matched[0] if matched else "unknown"
    top = book.intents[top_name]
    warnings: list[str] = []
    sources: list[str] = list(top.sources)
    for name in matched:
        intent = book.intents[name]
        warning = intent.warning_for(who)
        if warning and (name == top_name or intent.always_warn) and warning not in warnings:
            warnings.append(warning)
            sources += [s for s in intent.sources if s not in sources]
    if not matched and top.warning_for(who):
        warnings.append(str(top.warning_for(who)))
    if guessed is not None and book.guess_note:
        warnings.insert(0, book.guess_note)
    reply = top.reply_for(who)
    weighing = Weighing()
    if top_name != "crisis" and (facts is not None or user_offers):
        offers = tuple(user_offers)
        if numbers.refused is not None and numbers.amount is not None and numbers.refused < numbers.amount:
            offers += (numbers.refused,)  # "I can't do 765": the number they turned down was the user's
        weighing = weigh(top_name, numbers.amount, numbers.percent, numbers.monthly, facts, who, offers)
        reply = weighing.reply or reply
        if weighing.warning:
            warnings.insert(0, weighing.warning)
            sources += [s for s in weighing.sources if s not in sources]
    return Heard(
        intent=top_name,
        amount=numbers.amount,
        percent=numbers.percent,
        monthly=numbers.monthly,
        months=numbers.months,
        reply=reply,
        warning=" ".join(warnings) or None,
        score=ranked[0][0] if matched and guessed is None else 0.0,
        also=tuple(matched[1:]),
        sources=tuple(sources),
        fee=numbers.fee,
        refused=numbers.refused,
        weighing=weighing,
    )


_ACCEPTING = re.compile(
    r"\b(?:accept\w*|agree\w*|approved?|we will take|we can take|i can take|works|we can do (?:that|it)|"
    r"is fine|is ok|is okay|deal)\b"
)


def warm_up() -> None:
    """Read everything hearing needs (patterns, typo lists, examples) now, not at the first heard line.

    A process hears its first line in about half a second (reading and compiling those files);
    every later line takes under a millisecond. A call screen calls this as it opens, so the
    first thing the other side says is answered as fast as the rest. The line heard here is
    thrown away: hearing stores nothing."""
    line = "Helo, this is the biling office: we can setle this for twelve hundred today."  # typos, a number
    hear(line)
    nearest(read_numbers(line).tagged)  # the examples, which only a line no pattern places reads


def _accepts_noted_offer(numbers: Numbers, user_offers: Sequence[Decimal]) -> bool:
    """Acceptance words on the very amount noted as on the table ("I can accept 900" after ``/offer 900``).

    The user noted that amount themselves, so repeating it with "accept" settles
    it; it is no new offer to counter (hear() also checks it is within reach).
    """
    theirs: Sequence[Decimal] = getattr(user_offers, "theirs", ())
    return (
        bool(theirs)
        and numbers.amount is not None
        and numbers.amount == theirs[-1]
        and _ACCEPTING.search(numbers.tagged) is not None
    )


_SHOWN_SECOND = frozenset({"asks_payment_details"})
"""Meanings whose warning always shows, but which yield the main reply to an offer in the same line."""
_MONEY_MEANINGS = ("offer_lump_sum", "offer_percent", "payment_plan_offer", "accepted")
_ACCEPTABLE = frozenset({"offer_lump_sum", "agreement_reached", "offer_percent"})
"""Intents that become ``accepted`` when their amount is at or under the user's last offer."""

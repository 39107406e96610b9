"""Hearing the other side: what a billing rep or collector just said, and what to say back.

``hear(text, counterpart, facts, user_offers)`` turns one line into a :class:`Heard`:
an intent name (plus any other meanings the line carries), the numbers in it (a lump
sum, a percentage, a monthly amount, a number of months, a fee, an amount they
refused), a short reply, any warning, and the :class:`~coach.weighing.Weighing` of
the line against the user's case. The words to listen for, the replies, the warnings
and their sources live in ``dialogues/hear/``; this module reads numbers, scores the
patterns and picks an intent. It never imports Textual.

How a line is read:

1. normalized: lower case, straight quotes, contractions spelled out
   ("can't" → "can not"), mistyped key words put right (coach.typos), number
   words as digits ("eleven fifty" → "1150", coach.spoken_numbers), fillers dropped;
2. numbers found, then tagged in the text as ``<money>``, ``<percent>``,
   ``<months>``, ``<fee>`` and ``<refused>`` (an amount they turn down: "I can't
   do 765") so patterns can say ``settle for <money>``;
3. each intent adds up the weights of its patterns that match; the highest
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

import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from coach.dialogue import counterparts
from coach.dialogue.playbook import check_sources
from coach.dialogue.problems import Problem, Problems, YamlProblem
from coach.dialogue.yamlload import LineDict, LineList, line_of, load_yaml
from coach.errors import CoachError
from coach.hearing.examples import nearest
from coach.hearing.numbers import words_to_digits
from coach.hearing.typos import correct
from coach.hearing.weighing import Weighing, accepted_offer, weigh, within_walk_away
from coach.money.amounts import parse_money
from coach.paths import dialogues_dir

INTENTS: tuple[str, ...] = (
    "offer_lump_sum",
    "offer_percent",
    "payment_plan_offer",
    "asks_offer",
    "refuse_discount",
    "full_balance_demand",
    "pay_for_delete_refused",
    "pay_for_delete_accepted",
    "asks_payment_details",
    "asks_documents",
    "verify_identity",
    "hold_or_transfer",
    "threat_legal",
    "threat_credit",
    "assistance_available",
    "assistance_unavailable",
    "itemized_agreed",
    "itemized_refused",
    "agreement_reached",
    "written_confirmation_refused",
    "written_confirmation_agreed",
    "callback",
    "debt_sold_or_transferred",
    "insurance_pending",
    "dispute_received",
    "accepted",
    "crisis",
    "scam_signs",
    "debt_notice",
    "call_recorded",
    "already_in_collections",
    "fee_added",
    "hold_placed",
    "small_payment_request",
    "unknown",
)
"""Every intent ``hear`` can return; intents.yaml must describe each one."""

COUNTERPARTS: tuple[str, ...] = counterparts.keys()  # declared in dialogues/counterparts.yaml
SLOTS: tuple[str, ...] = ("amount", "percent", "monthly", "months", "refused", "fee")
DECIDED: frozenset[str] = frozenset({"accepted", "unknown"})
"""Intents decided in code (from the call so far, or when nothing matched), so they have no patterns."""
MAX_CHARS = 2000  # a spoken line is short; longer input is cut so matching stays fast
MAX_REPLY_WORDS = 40

_TOP_KEYS = {"threshold", "legal_terms", "intents", "guess_note"}
_INTENT_KEYS = {"about", "priority", "patterns", "reply", "warning", "always_warn", "source"}
_PATTERN_KEYS = {"re", "slot", "w"}
_VARIANTS = {"default", *COUNTERPARTS}


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


# -- reading the text ---------------------------------------------------

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": " - ",
        "\u2212": "-",
        "#": " number ",
    }
)
_CONTRACTIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), spelled)
    for pattern, spelled in (
        (r"\bcan'?t\b", "can not"),
        (r"\bcannot\b", "can not"),
        (r"\bwon'?t\b", "will not"),
        (r"\bain'?t\b", "is not"),
        (r"\b(do|does|did|is|are|was|were|could|would|should|has|have|had)n'?t\b", r"\1 not"),
        (r"n't\b", " not"),
        (r"'ll\b", " will"),
        (r"'re\b", " are"),
        (r"'ve\b", " have"),
        (r"\bi'm\b", "i am"),
        (r"'d\b", " would"),
        (r"\b(it|that|there|what|here|he|she|who|where|how|this)'s\b", r"\1 is"),
        (r"\blet's\b", "let us"),
        (r"\blemme\b", "let me"),
        (r"\bgonna\b", "going to"),
        (r"\bwanna\b", "want to"),
        (r"\bgotta\b", "have to"),
        (r"\bcuz\b", "because"),
        (r"'s\b", "s"),
        (r"'", " "),
        (r"\s+", " "),
    )
)


def normalize(text: str) -> str:
    """Lower case, straight quotes, contractions spelled out, single spaces, at most MAX_CHARS."""
    text = unicodedata.normalize("NFKC", str(text)[:MAX_CHARS]).translate(_TRANSLATE).lower()
    for pattern, spelled in _CONTRACTIONS:
        text = pattern.sub(spelled, text)
    return text.strip()


@dataclass(frozen=True)
class Numbers:
    """The numbers in a line, and the line as patterns see it (numbers tagged)."""

    amount: Decimal | None
    percent: Decimal | None
    monthly: Decimal | None
    months: int | None
    tagged: str
    refused: Decimal | None = None  # an amount they turned down ("we would never take 500")
    fee: Decimal | None = None  # a fee they add to the balance ("plus a $35 processing fee")


_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_PERCENT = re.compile(rf"(?<![\w.,])(?P<num>{_NUM})\s?(?:%|percent\b|per cent\b|pct\b)")
_QUARTER = re.compile(r"\ba quarter\b(?! of an? (?:hour|year|month))")
_HALF = re.compile(r"(?<!and a )\bhalf\b(?!\s+(?:an?\s+)?(?:hour|year|month|day|week)s?\b)")
_NOT_OFFER_PERCENT = re.compile(r"\s*(?:interest|apr|annual|finance|late|fee|a year|per year|of income)")
_DISCOUNT_AFTER = re.compile(r"\s*(?:off|discount|reduction|courtesy|adjustment|prompt|self)\b")
_DISCOUNT_BEFORE = re.compile(
    r"(?:discount|reduction|knock|reduce|lower|cut|take off|knock off)\w*\b[^.;%]{0,25}$"
)
_SHARE_CUE = re.compile(r"\b(?:settle|accept|take|pay|for|of)\b[^.;%]{0,15}$")
_MONTHS = re.compile(
    r"(?<![\w.,])(?P<num>\d+(?:\.\d+)?|an?|one)\s?(?:-\s?)?(?P<unit>months?|mos|years?|yrs?)\b"
    r"(?P<half> and a half)?(?!\s*(?:old|ago|overdue|past|late|delinquent|behind))"
)
_NEXT_YEAR = re.compile(r"\b(?:for|over|within|during) (?:the )?(?:next|coming|following) year\b")
_COUNT = re.compile(r"(?<![\w.,])(?P<num>\d+)\s(?:equal\s|monthly\s)?(?:payments|installments)\b")
_MONEY = re.compile(
    rf"(?<![\w.,-])(?P<dollar>\$\s?)?(?P<num>{_NUM})(?P<mult>\s?k\b|\s?grand\b|\s?thousand\b|\s?million\b)?"
    r"(?P<unit>\s?(?:dollars?|bucks|usd)\b)?(?P<cents>\s?(?:and\s)?\d{1,2}\scents\b)?(?![\w-]*\d)"
)
_NOT_MONEY_AFTER = re.compile(
    r"\s?(?:-\s?)?(?:days?|weeks?|hours?|minutes?|mins?|years?|months?|business|calls?|times?|am|pm|a\.m|"
    r"p\.m|o clock|people|patients|accounts?|bureaus|payments|installments|st|nd|rd|th|of the|of your)\b|"
    r"[a-z]|-\d"
)
_NOT_MONEY_BEFORE = re.compile(
    r"(?:#|\bno\.|\bnumber|\baccount|\bacct|\bending|\breference|\bref|\bclaim|\bextension|\bext|\bid|\bzip|"
    r"\bcode|\bphone|\bcall|\bdial|(?<!bottom )\bline|\broom|\bsuite|\bbox|\bapt|\boption|\bpress|\bin|\bsince|\bfrom)"
    r"(?:\s(?:is|in|number|of|at|was))*\s?[#:]?\s?$"
)
_MONEY_CUE = re.compile(
    r"\b(?:take|accept|settle|settlement|for|do|pay|paying|payment|send|owe|owed|balance|total|down to|"
    r"to|offer|offering|approve|approved|is|be|just|only|around|about|of|as low as|as little as|get us|get me|"
    r"send us|give us|give me|need|needs|want|wants|at least|least|amount|sum|together|about|roughly|at|under|"
    r"below|than|above|over|with|meet you at|number is|swing|manage|come up with|go to|like|put|on|say|said)(?: the)?(?: maybe| perhaps| probably| say| even)?\s?,?\s?$"
)
_HEDGED_CUE = re.compile(  # "a small payment today, maybe twenty five"
    r"\b(?:payment|pay|send|put|do|give)\b[^.;!?]{0,25}(?:\b(?:maybe|perhaps|say|like|about|around|roughly)\s?,?|,)\s?$"
)
_FILLER_WORDS = re.compile(r"\b(?:uh+|um+|uhm|erm?|hmm+|ah|huh)\b,? ?")  # spoken fillers carry no meaning
_FILLER = re.compile(
    r"(?<!number )(?<!something )\blike (?=\$?\d)"
)  # "settle for like 975": "like" before a number is a filler
_MONEY_CUE_AFTER = re.compile(
    r"\s?(?:and (?:it is|its|we are|we can|i can|we will|i will|we would|call it|consider it|you are)|is (?:the |my |our )?(?:lowest|best|final|"
    r"most|least|bottom|minimum)|to settle|as (?:a |the )?(?:settlement|lump sum|payment in full|final)|in full|"
    r"would (?:do|work|settle|close|be fine|be ok|be okay)|will (?:do|settle|work|close)|work (?:as|for)|works|"
    r"is fine|is ok|is okay|it is|is accepted|is approved|today|by friday|this week|"
    r"and done|even|flat|by (?:the )?end of|gets? (?:this|it|the account|you)|(?:that )?you (?:mentioned|offered|said|suggested|proposed))\b"
)
_MONTHLY_AFTER = re.compile(
    r"\s?(?:dollars\s?)?(?:(?:a|an|per|each|every|/)\s?(?:month|mo|mnth|mth)\b|monthly\b)"
)
_ABOUT_NUMBER = re.compile(r"~\s?(?=\$?\d)|(?<=\d)\s?-?ish\b")
_MONTHLY_BEFORE = re.compile(
    r"(?:\bmonthly|\ba month|\bper month|\beach month|\bevery month|"
    r"\b\d+\s?(?:months?|mos|monthly payments|payments|installments) (?:at|of)|"
    r"(?<!one.time )(?<!one time )(?<!single )(?<!token )(?<!small )(?<!final )(?<!lump sum )(?<!settlement )(?<!partial )"
    r"\b(?:payments?|installments?) of)"
    r"(?:\s(?:payments?|installments?|amount|payment amount|(?:payment |installment )?(?:arrangement|plan)))?"
    r"(?:\s(?:of|is|at|would be|will be|could be|can be|set at|just|only|around|about|of just|of only|i can set up is|"
    r"we (?:can|could) do|i (?:can|could) do|you (?:can|could) pay|it would be|that would be|say))*"
    r"\s?:?\s?$"
)
_ONE_PAYMENT_OF = re.compile(r"\b(?:a|one|the) payment of\s?\$?\s?$")
_PLAN_WORDS = re.compile(
    r"\b(?:month\w*|plans?|arrangements?|installments?|each|every|per|for <months>)\b|<months>"
)
_CENTS_ON_DOLLAR = re.compile(
    r"(?<![\w.,])(?P<num>\d{1,2})\s?cents\s(?:on|per|for every|of|for each)\s(?:the|a|each|every)\sdollar\b"
)
_CLAUSE_END = re.compile(r"[.;!?,]|\b(?:but|however|though|although|instead|rather)\b")
_REFUSED_BEFORE = re.compile(
    r"(?:\b(?:not|never|no way|unable to|refuse to)\s+(?:\w+\s+){0,3}?(?:do|doing|tak(?:e|ing)|accept\w*|go|going|"
    r"settl\w*|approv\w*|offer\w*|agree\w*|consider\w*|work with|get|authoriz\w*|honou?r)\b[^.;,]*|"
    r"\b(?:not|never)\s*|\b(?:refuse\w*|reject\w*|decline\w*)\b[^.;,]*|\b(?:a no|said no|say no) (?:on|to|for)\s?)$"
)
_FLOOR_BEFORE = re.compile(r"\b(?:less|lower|below|under|than|least|minimum|anything|nothing)\b[^.;,]*$")
_REFUSED_AFTER = re.compile(
    r"(?:\?+|,|!+)?\s?(?:dollars\s)?(?:(?:huh|hmm+|yeah|well|right|ok|okay|oh)\s?[,?!]?\s?)*"
    r"(?:you (?:mentioned|said|offered|suggested|proposed)\s)?(?:no,?\s)?"
    r"(?:(?:is|was|would be|are|that is|that|it|just|simply|really|still)\s?)*(?:way |far |much |a bit |too )*"
    r"(?:too low|not enough|will not work|does not work|(?:is )?not going to (?:work|fly|happen|get approved|do it|cut it|be enough)|no good|"
    r"not a chance|no chance|no way|not happening|not even close|come on|seriously|are you (?:kidding|serious)|"
    r"(?:was|is|has been|got) (?:not|never) (?:approved|accepted|authorized)|(?:was|got|has been) (?:declined|rejected|denied|turned down)|"
    r"(?:will|would) not (?:cut it|fly|do|get approved|be enough|be accepted|be approved|work)|"
    r"not (?:acceptable|possible|an option|going to (?:fly|work|happen))|"
    r"not something (?:\w+ ){0,3}?(?:will|would|can|could|is going to|are going to|(?:is|are|am) able to) (?:take|accept|approve|do|go for|agree to|consider|sign off on)|"
    r"(?:a )?no.go|off the table|nowhere near (?:enough|what|it|the)|not (?:anywhere )?near enough|(?:a )?non.starter|(?:way |far |much |well )?(?:under|below|less than) (?:what|anything) (?:they|we|i|the client|my manager)|"
    r"(?:i|we|they|the client|my (?:manager|supervisor)) (?:can not|will not|would not|could not|do not|does not) "
    r"(?:get|do|take|accept|approve|go (?:with|for)|work with|agree to) (?:that|it|this)\b)"
)
_FEE_AFTER = re.compile(r"\s?(?:\w+\s){0,2}?(?:fees?|charges?|surcharge)\b")
_FEE_NUMBER_AFTER = re.compile(
    r"\s?(?:dollars?\s|bucks\s)?(?:(?:processing|late|service|collection|convenience|admin\w*|finance|interest)\s)?"
    r"fee\b|\s(?:in|of) (?:\w+ )?(?:fees|charges)\b"
)
_FEE_BEFORE = re.compile(
    r"\b(?:fees?|surcharge|(?:late|finance|service|processing|collection|admin\w*|interest|convenience) charges?) "
    r"(?:of|is|was|will be)\s?$"
)
_OFFER_CUE = re.compile(
    r"\b(?:take|accept|settle|settlement|for|down to|reduce|bring|offer|do|close|approved?|authorized|"
    r"agreed on|agree on|price)\b"
)


def read_numbers(text: str) -> Numbers:
    """Find the amount, percent, monthly amount and months in a line; never raises.

    The amount is the lump sum being discussed: among several, the first that
    follows an offer word ("take", "settle for", "down to"), else the first.
    """
    line = _FILLER.sub("", words_to_digits(_FILLER_WORDS.sub("", correct(normalize(text)))))
    line = _ABOUT_NUMBER.sub("", line)  # "900ish", "~900": about that amount is that amount
    taken: list[tuple[int, int, str]] = []  # spans already read, with their tag

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e, _ in taken)

    percent = _read_percent(line, taken)
    months = _read_months(line, taken, free)
    monthly: Decimal | None = None
    refused: Decimal | None = None
    fee: Decimal | None = None
    lumps: list[tuple[int, int, Decimal]] = []
    for match in _MONEY.finditer(line):
        start, end = match.span()
        if not free(start, end):
            continue
        value = _money_value(match)
        if value is None:
            continue
        before, after = line[max(0, start - 40) : start], line[end : end + 30]
        strong = any(match.group(g) for g in ("dollar", "mult", "unit", "cents")) or bool(
            re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d\d)?|\d+\.\d\d", match.group("num"))
        )
        is_monthly = bool(_MONTHLY_AFTER.match(after) or _MONTHLY_BEFORE.search(before))
        if is_monthly and not _MONTHLY_AFTER.match(after) and _ONE_PAYMENT_OF.search(before):
            # "wipe out the balance for a payment of $890" is one payment; "a plan with a payment of $75" is monthly
            is_monthly = bool(_PLAN_WORDS.search(_tag(line, taken)))
        if not strong and not is_monthly:
            if value < 10 or _NOT_MONEY_AFTER.match(after) or _NOT_MONEY_BEFORE.search(before):
                continue
            cued_after = _MONEY_CUE_AFTER.match(after) or _REFUSED_AFTER.match(after)
            cued = _MONEY_CUE.search(before) or _HEDGED_CUE.search(before) or _FEE_NUMBER_AFTER.match(after)
            if not cued and not (value >= 100 and (cued_after or _plain_amount(value))):
                continue
        if not is_monthly and (_FEE_AFTER.match(after) or _FEE_BEFORE.search(before)):
            taken.append((start, end, "<fee>"))
            fee = fee if fee is not None else value
            continue
        if not is_monthly and _is_refused(line, start, end, _scope_start(line, taken, start)):
            taken.append((start, end, "<refused>"))
            refused = refused if refused is not None else value
            continue
        taken.append((start, end, "<money>"))
        if is_monthly:
            monthly = value  # the last monthly amount said is the one on the table
        else:
            lumps.append((start, end, value))
    return Numbers(
        amount=_pick_amount(line, lumps),
        percent=percent,
        monthly=monthly,
        months=months,
        tagged=_tag(line, taken),
        refused=refused,
        fee=fee,
    )


def _plain_amount(value: Decimal) -> bool:
    """A bare number of 100 or more said on a billing call is money, unless it reads like a year."""
    return value == value.to_integral_value() and not Decimal(1950) <= value <= Decimal(2040)


_JOINED = re.compile(r"\s*(?:,\s*)?(?:or|nor|and|to|or even|and even|-)?\s*(?:\$\s?)?")


def _scope_start(line: str, taken: list[tuple[int, int, str]], start: int) -> int:
    """Where a negation before ``start`` stops reaching: after an earlier amount, unless joined to it.

    "it's not 800, it's more like 1250" and "not 800 it's 1250" refuse only 800;
    "never 500 or 600" refuses both.
    """
    ends = [e for _, e, tag in taken if e <= start and tag in ("<money>", "<refused>")]
    if not ends or _JOINED.fullmatch(line[max(ends) : start]):
        return 0
    return max(ends)


def _is_refused(line: str, start: int, end: int, scope: int = 0) -> bool:
    """Whether the amount at ``start:end`` is one they turn down, not one they offer.

    "I can't do 765", "we would never take 500", "not 1,000", "500 is too low" are
    refused; "we can't go lower than 1,100" is a floor, which is an offer. A
    negation reaches back no further than ``scope``.
    """
    clause_start = max((m.end() for m in _CLAUSE_END.finditer(line, 0, start)), default=scope)
    clause_start = max(clause_start, scope)
    before = line[clause_start:start]
    if _REFUSED_BEFORE.search(before) and not _FLOOR_BEFORE.search(before):
        return True
    return bool(_REFUSED_AFTER.match(line[end : end + 70]))


def _money_value(match: re.Match[str]) -> Decimal | None:
    try:
        value = parse_money(match.group("num"))
    except ValueError:
        return None
    multiplier = (match.group("mult") or "").strip()
    if multiplier:
        value *= {"k": 1000, "grand": 1000, "thousand": 1000, "million": 1_000_000}[multiplier]
    cents = match.group("cents")
    if cents:
        value += Decimal(re.search(r"\d+", cents).group()) / 100  # type: ignore[union-attr]
    return parse_money(value) if value < Decimal(10) ** 12 else None


def _read_percent(line: str, taken: list[tuple[int, int, str]]) -> Decimal | None:
    """The first percent that is an offer (not interest), as the share of the balance to pay."""
    found: Decimal | None = None
    spans = [
        (m.start(), m.end(), Decimal(m.group("num").replace(",", "")), False) for m in _PERCENT.finditer(line)
    ]
    spans += [(m.start(), m.end(), Decimal(50), True) for m in _HALF.finditer(line)]
    spans += [(m.start(), m.end(), Decimal(25), False) for m in _QUARTER.finditer(line)]
    # "fifty cents on the dollar" is a share of the balance, never a discount
    spans += [(m.start(), m.end(), Decimal(m.group("num")), True) for m in _CENTS_ON_DOLLAR.finditer(line)]
    for start, end, value, is_share in sorted(spans):
        taken.append((start, end, "<percent>"))
        after = line[end : end + 20]
        if found is not None or value > 100 or _NOT_OFFER_PERCENT.match(after):
            continue
        if is_share:
            found = value
            continue
        before = line[max(0, start - 40) : start]
        discount = bool(_DISCOUNT_AFTER.match(after) or _DISCOUNT_BEFORE.search(before))
        if not discount and not _SHARE_CUE.search(before) and not after.startswith(" of") and value <= 20:
            discount = True  # "best we can do is 10%": nobody settles for a tenth unprompted
        found = 100 - value if discount else value
    return found


def _read_months(line: str, taken: list[tuple[int, int, str]], free: Any) -> int | None:
    """How many months a plan runs: "12 months", "over a year" → 12, "18 payments" → 18."""
    found: int | None = None
    for match in _MONTHS.finditer(line):
        word = match.group("num")
        unit = match.group("unit")
        if unit.startswith("mo") and not word[0].isdigit():
            continue  # "a month" belongs to "$100 a month"
        count = Decimal(1) if not word[0].isdigit() else Decimal(word)
        if match.group("half"):
            count += Decimal("0.5")
        if unit.startswith("y"):
            count *= 12
        if 0 < count <= 600 and count == count.to_integral_value():
            taken.append((match.start(), match.end(), "<months>"))
            found = found if found is not None else int(count)
    for match in _NEXT_YEAR.finditer(line):  # "for the next year"
        if free(*match.span()):
            taken.append((*match.span(), "<months>"))
            found = found if found is not None else 12
    for match in _COUNT.finditer(line):
        if free(*match.span("num")) and 0 < int(match.group("num")) <= 600:
            taken.append((*match.span("num"), "<months>"))
            found = found if found is not None else int(match.group("num"))
    return found


_FORMER_BEFORE = re.compile(
    r"\b(?:instead of|rather than|other than|down from|compared to|versus|vs|original(?:ly)?|you owe|owed|"
    r"(?:not|no longer) (?:looking|asking|going) for|"
    r"owe|balance (?:is|of|was)|total (?:is|of|was)|billed|full balance of)\s?(?:the |your |a |an |about )?$"
)


def _pick_amount(line: str, lumps: list[tuple[int, int, Decimal]]) -> Decimal | None:
    """The lump sum on the table: the first after an offer word, never one named as what is owed.

    "instead of 2480 you could pay 1600" → 1600: an amount after "instead of",
    "you owe" or "balance of" is the starting point, not the offer.
    """
    offers = [lump for lump in lumps if not _FORMER_BEFORE.search(line[max(0, lump[0] - 30) : lump[0]])]
    previous_end = 0
    for start, end, value in lumps:
        if (start, end, value) in offers and _OFFER_CUE.search(line[previous_end:start]):
            return value
        previous_end = end
    if offers:
        return offers[0][2]
    return lumps[0][2] if lumps else None


def _tag(line: str, taken: list[tuple[int, int, str]]) -> str:
    pieces: list[str] = []
    position = 0
    for start, end, tag in sorted(taken):
        if start < position:
            continue
        pieces += [line[position:start], tag]
        position = end
    pieces.append(line[position:])
    return "".join(pieces)


# -- the intents file ---------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    """One cue: a regex on the tagged line, or a number having been read (``slot``)."""

    weight: float
    regex: re.Pattern[str] | None = None
    slot: str | None = None

    def matches(self, numbers: Numbers) -> bool:
        if self.regex is not None:
            return self.regex.search(numbers.tagged) is not None
        return getattr(numbers, str(self.slot)) is not None


@dataclass(frozen=True)
class Intent:
    """One intent as intents.yaml describes it."""

    name: str
    about: str
    priority: int
    patterns: tuple[Pattern, ...]
    replies: Mapping[str, str]
    warnings: Mapping[str, str]
    sources: tuple[str, ...]
    always_warn: bool

    def score(self, numbers: Numbers) -> float:
        return sum(p.weight for p in self.patterns if p.matches(numbers))

    def reply_for(self, counterpart: str | None) -> str:
        return self.replies.get(counterpart or "default") or self.replies["default"]

    def warning_for(self, counterpart: str | None) -> str | None:
        return self.warnings.get(counterpart or "default") or self.warnings.get("default")


@dataclass(frozen=True)
class IntentBook:
    """The whole intents file, compiled."""

    threshold: float
    intents: Mapping[str, Intent]
    guess_note: str = ""  # shown when the meaning was guessed from similar examples


def intents_path() -> Path:
    """The shipped intents file."""
    return dialogues_dir() / "hear" / "intents.yaml"


def load_intents(path: Path | None = None) -> IntentBook:
    """The compiled intents file, read once per path; a broken file is a CoachError."""
    return _load_cached(str(Path(path) if path is not None else intents_path()))


def extra_intent_files(path: Path) -> list[Path]:
    """The intents files beside the main one (``intents_*.yaml``, e.g. the insurer's): each adds intents."""
    return sorted(path.parent.glob("intents_*.yaml"))


@functools.lru_cache(maxsize=8)
def _load_cached(path: str) -> IntentBook:
    book, problems = _read_book(Path(path))
    for extra in extra_intent_files(Path(path)):
        more, extra_problems = _read_book(extra, extra=True)
        problems += extra_problems
        if book is not None and more is not None:
            book = IntentBook(book.threshold, {**book.intents, **more.intents}, book.guess_note)
    if book is None or problems:
        raise CoachError(f"{problems[0]} (run 'coach check' for every problem)")
    return book


def check_intents(path: Path | str, problems: Problems, extra: bool = False) -> None:
    """Every problem in an intents file added to ``problems``, in file order.

    ``extra``: a file beside intents.yaml that adds intents of its own (see extra_intent_files).
    """
    problems.extend(_read_book(Path(path), extra)[1])


def validate_intents(path: Path | str, extra: bool = False) -> list[str]:
    """Every problem in an intents file, as ``path:line: message``, in file order (see check_intents)."""
    problems = Problems()
    check_intents(path, problems, extra)
    return [str(p) for p in problems]


def _read_book(path: Path, extra: bool = False) -> tuple[IntentBook | None, list[Problem]]:
    shown = str(path)
    try:
        raw = load_yaml(path, shown)
    except YamlProblem as error:
        return None, [error.problem]
    reader = _Reader(shown)
    reader.extra = extra
    book = reader.book(raw)
    reader.problems.sort(key=lambda p: p.line)
    return book, reader.problems


class _Reader:
    """Builds an IntentBook from loaded YAML, collecting every problem with its line."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.legal_terms: re.Pattern[str] | None = None
        self.extra = False  # an extra file declares new intents, and need not describe INTENTS

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def book(self, raw: Any) -> IntentBook | None:
        if not isinstance(raw, LineDict):
            self.problem(line_of(raw), "an intents file is a mapping with 'threshold' and 'intents'")
            return None
        self.unknown_keys(raw, _TOP_KEYS, "intents file")
        threshold = raw.get("threshold", 1)
        if isinstance(threshold, bool) or not isinstance(threshold, int | float) or threshold <= 0:
            self.problem(line_of(raw, "threshold"), "'threshold' must be a number above 0")
            threshold = 1
        self.read_legal_terms(raw)
        entries = raw.get("intents")
        if not isinstance(entries, LineDict):
            self.problem(line_of(raw, "intents"), "'intents' must be a mapping of intent names")
            return None
        intents: dict[str, Intent] = {}
        for name, entry in entries.items():
            line = line_of(entries, name)
            if self.extra and name in INTENTS:
                self.problem(line, f"intent '{name}' is described in intents.yaml; give a new name")
                continue
            if name not in INTENTS and not self.extra:
                self.problem(
                    line, f"unknown intent '{name}' (the names coach knows are INTENTS in coach/intents.py)"
                )
                continue
            if not isinstance(entry, LineDict):
                self.problem(line, f"intent '{name}': expected a mapping with 'patterns' and 'reply'")
                continue
            intent = self.intent(name, entry)
            if intent is not None:
                intents[name] = intent
        for name in () if self.extra else INTENTS:
            if name not in entries:
                self.problem(line_of(raw, "intents"), f"intent '{name}' is missing")
        note = raw.get("guess_note", "")
        if not isinstance(note, str):
            self.problem(line_of(raw, "guess_note"), "'guess_note' must be text")
            note = ""
        return IntentBook(float(threshold), intents, " ".join(note.split()))

    def read_legal_terms(self, raw: LineDict) -> None:
        terms = raw.get("legal_terms", [])
        if not isinstance(terms, LineList) or not all(isinstance(t, str) for t in terms):
            self.problem(line_of(raw, "legal_terms"), "'legal_terms' must be a list of patterns")
            return
        try:
            self.legal_terms = re.compile("|".join(terms), re.IGNORECASE) if terms else None
        except re.error as error:
            self.problem(line_of(raw, "legal_terms"), f"'legal_terms': bad regex: {error}")

    def intent(self, name: str, raw: LineDict) -> Intent | None:
        label = f"intent '{name}'"
        self.unknown_keys(raw, _INTENT_KEYS, label)
        priority = raw.get("priority", 0)
        if isinstance(priority, bool) or not isinstance(priority, int):
            self.problem(line_of(raw, "priority"), f"{label}: 'priority' must be a whole number")
            priority = 0
        always_warn = raw.get("always_warn", False)
        if not isinstance(always_warn, bool):
            self.problem(line_of(raw, "always_warn"), f"{label}: 'always_warn' must be true or false")
        patterns = self.patterns(name, raw)
        replies = self.texts(label, raw, "reply")
        warnings = self.texts(label, raw, "warning")
        sources = self.sources(label, raw)
        if "reply" not in raw:
            self.problem(raw.line, f"{label}: no reply (add 'reply:' with the words to say back)")
        elif replies and "default" not in replies:
            self.problem(line_of(raw, "reply"), f"{label}: 'reply' needs a 'default'")
        if "warning" in raw and warnings and "default" not in warnings:
            self.problem(line_of(raw, "warning"), f"{label}: 'warning' needs a 'default'")
        if not sources and self.legal_terms is not None:
            for key in ("reply", "warning"):
                for variant, text in (replies if key == "reply" else warnings).items():
                    match = self.legal_terms.search(text)
                    if match:
                        line = self.text_line(raw, key, variant)
                        self.problem(
                            line, f"{label}: states law or money ('{match.group(0)}') without 'source:'"
                        )
                        break
        if "default" not in replies:
            return None
        return Intent(
            name=name,
            about=str(raw.get("about", name.replace("_", " "))),
            priority=priority,
            patterns=patterns,
            replies=replies,
            warnings=warnings,
            sources=sources,
            always_warn=always_warn is True,
        )

    def patterns(self, name: str, raw: LineDict) -> tuple[Pattern, ...]:
        label = f"intent '{name}'"
        entries = raw.get("patterns", [])
        if not isinstance(entries, list):
            self.problem(line_of(raw, "patterns"), f"{label}: 'patterns' must be a list")
            return ()
        if not entries and name not in DECIDED:
            self.problem(
                line_of(raw, "patterns", raw.line), f"{label}: no patterns, so it can never be heard"
            )
        found: list[Pattern] = []
        for entry in entries:
            if not isinstance(entry, LineDict):
                self.problem(
                    line_of(entry, default=getattr(entries, "line", 1)),
                    f"{label}: a pattern is a mapping like {{re: '...', w: 1}}",
                )
                continue
            self.unknown_keys(entry, _PATTERN_KEYS, label)
            weight = entry.get("w", 1)
            if isinstance(weight, bool) or not isinstance(weight, int | float):
                self.problem(line_of(entry, "w"), f"{label}: 'w' must be a number")
                continue
            if ("re" in entry) == ("slot" in entry):
                self.problem(entry.line, f"{label}: a pattern needs exactly one of 're' or 'slot'")
                continue
            if "slot" in entry:
                if entry["slot"] not in SLOTS:
                    self.problem(
                        line_of(entry, "slot"),
                        f"{label}: unknown slot '{entry['slot']}' (known: {', '.join(SLOTS)})",
                    )
                    continue
                found.append(Pattern(float(weight), slot=entry["slot"]))
                continue
            source = entry["re"]
            if not isinstance(source, str) or not source:
                self.problem(line_of(entry, "re"), f"{label}: 're' must be a non-empty regex")
                continue
            try:
                regex = re.compile(source)
            except re.error as error:
                self.problem(line_of(entry, "re"), f"{label}: bad regex '{source}': {error}")
                continue
            if regex.search("") is not None:
                self.problem(line_of(entry, "re"), f"{label}: pattern '{source}' matches empty text")
                continue
            found.append(Pattern(float(weight), regex=regex))
        return tuple(found)

    def texts(self, label: str, raw: LineDict, key: str) -> dict[str, str]:
        """A reply or warning: a plain string (the default) or a mapping by counterpart."""
        if key not in raw:
            return {}
        value = raw[key]
        variants = {"default": value} if isinstance(value, str) else value
        if not isinstance(variants, dict):
            self.problem(line_of(raw, key), f"{label}: '{key}' must be text or a mapping by counterpart")
            return {}
        texts: dict[str, str] = {}
        for variant, text in variants.items():
            line = self.text_line(raw, key, variant)
            if variant not in _VARIANTS:
                self.problem(line, f"{label}: '{key}' variant for unknown counterpart '{variant}'")
            elif not isinstance(text, str) or not text.strip():
                self.problem(line, f"{label}: '{key}' ({variant}) must be non-empty text")
            elif "{{" in text or "{%" in text:
                self.problem(line, f"{label}: '{key}' ({variant}) is plain text; remove the template markup")
            else:
                words = len(text.split())
                if key == "reply" and words > MAX_REPLY_WORDS:
                    self.problem(
                        line, f"{label}: reply ({variant}) has {words} words; keep it to {MAX_REPLY_WORDS}"
                    )
                texts[variant] = " ".join(text.split())
        return texts

    @staticmethod
    def text_line(raw: LineDict, key: str, variant: str) -> int:
        value = raw.get(key)
        return line_of(value, variant) if isinstance(value, LineDict) else line_of(raw, key)

    def sources(self, label: str, raw: LineDict) -> tuple[str, ...]:
        if "source" not in raw:
            return ()
        from coach.dialogue.sources import public_source_problems

        sources, problems = check_sources(raw["source"], label)
        for message in problems + public_source_problems(sources, label):
            self.problem(line_of(raw, "source"), message)
        return sources

    def unknown_keys(self, mapping: LineDict, allowed: set[str], label: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.problem(
                    line_of(mapping, key),
                    f"{label}: unknown key '{key}' (allowed: {', '.join(sorted(allowed))})",
                )


# -- hearing --------------------------------------------------------------


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
    ranked = sorted(
        ((intent.score(numbers), intent.priority, name) for name, intent in book.intents.items()),
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

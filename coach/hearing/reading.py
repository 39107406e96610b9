"""How a heard line is read: normalized, its numbers found, and tagged for the patterns.

``read_numbers(text)`` gives :class:`Numbers`: the lump sum, percentage, monthly
amount, number of months, fee and refused amount a line carries, and the line as
the patterns in ``dialogues/hear/intents*.yaml`` see it (lower case, contractions
spelled out, mistyped key words put right, number words as digits, and each
number replaced by its tag: ``<money>``, ``<percent>``, ``<months>``, ``<fee>``,
``<refused>``). It exists apart from the matching (coach.hearing.intents) because
it is the one place that reads amounts as people say them: the weighing reads
with it too, and the rehearsal reads the user's offers through ``hear()``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from coach.hearing.spoken import words_to_digits
from coach.hearing.typos import correct
from coach.money.amounts import parse_money

MAX_CHARS = 2000  # a spoken line is short; longer input is cut so matching stays fast

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

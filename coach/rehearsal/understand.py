"""What the user means by a line typed in a rehearsal.

In a rehearsal the user types their own words to the partner ("can you do pay
for delete?", "how about 75 a month"). This module turns one such line into
:class:`Understood`: the requests it carries (meanings named in
``dialogues/rehearse/understand.yaml``) and the offer, if any, as a lump sum, a
share of the balance or a monthly plan.

Words are matched tolerantly because people type fast: fillers are dropped, and
a long word may carry a typo. Numbers are read by coach's hearing
(:func:`coach.hearing.intents.hear`), the one place that reads amounts as people say
them; this module decides only whether an amount is offered, refused or quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from coach.dialogue.problems import Problem, Problems, YamlProblem
from coach.dialogue.yamlload import LineDict, LineList, line_of, load_yaml
from coach.errors import CoachError
from coach.money.amounts import to_cents
from coach.paths import dialogues_dir

UNDERSTAND_FILE = "understand.yaml"
OFFER_LUMP = "offer_lump"
OFFER_PERCENT = "offer_percent"
OFFER_PLAN = "offer_plan"
OFFERS = (OFFER_LUMP, OFFER_PERCENT, OFFER_PLAN)
# The requests the partner knows how to answer; understand.yaml must describe each.
REQUESTS = (
    "pay_for_delete",
    "in_writing",
    "itemized",
    "validation",
    "assistance",
    "supervisor",
    "hardship",
    "accept",
)
MEANINGS = (*OFFERS, *REQUESTS)
_TOP_KEYS = {
    "fillers",
    "spellings",
    "meanings",
    "refusals",
    "quotes",
    "percents",
    "not_typos",
    "not_money_after",
}
_MEANING_KEYS = {"about", "phrases", "patterns"}
AMOUNT = "AMOUNT"  # where a quote pattern holds the amount it quotes
_PLAN_SHARE = Decimal("1.25")  # "100 for 12 months" is 100 a month while 12 × 100 stays near the balance


@dataclass(frozen=True)
class PercentRule:
    pattern: re.Pattern[str]
    group: int | None
    value: Decimal | None


@dataclass(frozen=True)
class Meaning:
    name: str
    phrases: tuple[tuple[str, ...], ...]
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Vocabulary:
    """Everything in understand.yaml, checked and compiled."""

    fillers: tuple[tuple[str, ...], ...]
    spellings: dict[str, str]
    meanings: tuple[Meaning, ...]
    refusals: tuple[re.Pattern[str], ...]
    quotes: tuple[str, ...]
    percents: tuple[PercentRule, ...]
    not_typos: frozenset[str]
    not_money_after: re.Pattern[str] | None


@dataclass(frozen=True)
class Understood:
    """What one user line means to the partner.

    ``meanings`` lists offers first, then requests, in the file's order.
    ``amount`` is the lump sum offered (a percent of a known balance included);
    ``monthly`` and ``months`` describe a plan.
    """

    text: str
    meanings: tuple[str, ...] = ()
    amount: Decimal | None = None
    percent: Decimal | None = None
    monthly: Decimal | None = None
    months: int | None = None
    refused: tuple[Decimal, ...] = field(default=())

    @property
    def offer(self) -> str | None:
        """The kind of offer the line makes, or None."""
        return next((m for m in self.meanings if m in OFFERS), None)

    def requests(self) -> tuple[str, ...]:
        return tuple(m for m in self.meanings if m not in OFFERS)

    def as_data(self) -> dict[str, Any]:
        """The JSON-ready shape tests and event data use."""
        return {
            "meanings": list(self.meanings),
            "amount": str(self.amount) if self.amount is not None else None,
            "percent": str(self.percent) if self.percent is not None else None,
            "monthly": str(self.monthly) if self.monthly is not None else None,
            "months": self.months,
        }


# -- reading the file --------------------------------------------------------------


def understand_path(folder: Path | None = None) -> Path:
    return (folder or dialogues_dir() / "rehearse") / UNDERSTAND_FILE


def check_understand(path: Path, problems: Problems) -> None:
    """Every problem in understand.yaml added to ``problems``."""
    problems.extend(_read(path)[1])


def validate_understand(path: Path) -> list[str]:
    """Every problem in understand.yaml as ``path:line: message`` (see check_understand)."""
    return [str(p) for p in _read(path)[1]]


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    """understand.yaml (default the shipped one), checked; CoachError names the first problem."""
    path = path or understand_path()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = 0
    return _load_cached(str(path), stamp)


@lru_cache(maxsize=4)
def _load_cached(path: str, stamp: int) -> Vocabulary:
    vocabulary, problems = _read(Path(path))
    if vocabulary is None:
        more = f" (and {len(problems) - 1} more; run coach check)" if len(problems) > 1 else ""
        raise CoachError(f"{problems[0]}{more}")
    return vocabulary


def _read(path: Path) -> tuple[Vocabulary | None, list[Problem]]:
    problems: list[Problem] = []

    def problem(line: int, message: str) -> None:
        problems.append(Problem(str(path), line, message))

    try:
        data = load_yaml(path)
    except YamlProblem as error:
        return None, [error.problem]
    if not isinstance(data, LineDict):
        return None, [Problem(str(path), 1, "expected a mapping at the top of the file")]
    for key in data:
        if key not in _TOP_KEYS:
            problem(line_of(data, key), f"unknown key '{key}' (allowed: {', '.join(sorted(_TOP_KEYS))})")

    def words(key: str, lower: bool = True) -> list[str]:
        value = data.get(key, LineList())
        if not isinstance(value, LineList) or not all(isinstance(v, str) and v.strip() for v in value):
            problem(line_of(data, key), f"'{key}' must be a list of text")
            return []
        return [v.strip().lower() if lower else v.strip() for v in value]

    def regex(value: Any, line: int, label: str) -> re.Pattern[str] | None:
        if not isinstance(value, str) or not value:
            problem(line, f"{label}a pattern must be text")
            return None
        try:
            return re.compile(value)
        except re.error as error:
            problem(line, f"{label}bad pattern '{value}': {error}")
            return None

    fillers = tuple(tuple(f.split()) for f in sorted(words("fillers"), key=lambda f: -len(f.split())))
    not_typos = frozenset(words("not_typos"))
    spellings: dict[str, str] = {}
    raw_spellings = data.get("spellings", LineDict())
    if isinstance(raw_spellings, LineDict):
        for wrong, right in raw_spellings.items():
            if not isinstance(right, str):
                problem(line_of(raw_spellings, wrong), f"spellings: '{wrong}' must map to a word")
            else:
                spellings[str(wrong).lower()] = right.lower()
    else:
        problem(line_of(data, "spellings"), "'spellings' must map misspellings to words")

    meanings: list[Meaning] = []
    raw = data.get("meanings")
    if not isinstance(raw, LineDict):
        problem(line_of(data, "meanings"), "'meanings' must be a mapping")
        raw = LineDict()
    for name in raw:
        if name not in REQUESTS:
            problem(line_of(raw, name), f"meanings: unknown meaning '{name}' (known: {', '.join(REQUESTS)})")
    for name in REQUESTS:
        spec = raw.get(name)
        label = f"meanings: {name}: "
        if not isinstance(spec, LineDict):
            problem(line_of(raw), f"meanings: '{name}' is missing")
            continue
        for key in spec:
            if key not in _MEANING_KEYS:
                problem(line_of(spec, key), f"{label}unknown key '{key}'")
        phrases = spec.get("phrases", LineList())
        patterns = spec.get("patterns", LineList())
        if not isinstance(phrases, LineList) or not all(isinstance(p, str) for p in phrases):
            problem(line_of(spec, "phrases"), f"{label}'phrases' must be a list of text")
            phrases = LineList()
        if not isinstance(patterns, LineList):
            problem(line_of(spec, "patterns"), f"{label}'patterns' must be a list of patterns")
            patterns = LineList()
        if not phrases and not patterns:
            problem(line_of(spec), f"{label}needs 'phrases' or 'patterns'")
        compiled = [regex(p, line_of(patterns), label) for p in patterns]
        meanings.append(
            Meaning(
                name,
                tuple(tuple(_clean(p).split()) for p in phrases if _clean(p)),
                tuple(p for p in compiled if p is not None),
            )
        )

    refusals = tuple(
        p
        for p in (regex(v, line_of(data, "refusals"), "refusals: ") for v in words("refusals", lower=False))
        if p
    )
    quotes = tuple(words("quotes", lower=False))
    for quote in quotes:
        if AMOUNT not in quote:
            problem(line_of(data, "quotes"), f"quotes: '{quote}' must contain {AMOUNT}")
        else:
            regex(quote.replace(AMOUNT, "1"), line_of(data, "quotes"), "quotes: ")
    percents: list[PercentRule] = []
    raw_percents = data.get("percents", LineList())
    for entry in raw_percents if isinstance(raw_percents, LineList) else []:
        line = line_of(entry, default=line_of(raw_percents))
        if not isinstance(entry, LineDict) or "re" not in entry or ("group" in entry) == ("value" in entry):
            problem(line, "percents: each entry is {re: PATTERN, group: N} or {re: PATTERN, value: N}")
            continue
        pattern = regex(entry["re"], line, "percents: ")
        if pattern is None:
            continue
        group, value = entry.get("group"), entry.get("value")
        if group is not None and (not isinstance(group, int) or not 0 < group <= pattern.groups):
            problem(line, "percents: 'group' must name a group of the pattern")
            continue
        if value is not None and (not isinstance(value, int) or not 0 < value <= 100):
            problem(line, "percents: 'value' must be a percent from 1 to 100")
            continue
        percents.append(PercentRule(pattern, group, Decimal(value) if value is not None else None))
    not_money_after = None
    if "not_money_after" in data:
        not_money_after = regex(
            data["not_money_after"], line_of(data, "not_money_after"), "not_money_after: "
        )
    if problems:
        return None, problems
    vocabulary = Vocabulary(
        fillers, spellings, tuple(meanings), refusals, quotes, tuple(percents), not_typos, not_money_after
    )
    return vocabulary, []


# -- cleaning a line ----------------------------------------------------------------

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "`": "'", "\u201c": '"', "\u201d": '"'})
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_NOT_WORD = re.compile(r"[^a-z0-9$%.\s]|(?<!\d)\.|\.(?!\d)")


def _clean(text: str) -> str:
    """Lower case, no apostrophes (can't → cant), no thousands commas, no punctuation."""
    text = str(text).translate(_QUOTES).lower().replace("'", "")
    text = _THOUSANDS.sub("", text)
    return " ".join(_NOT_WORD.sub(" ", text).split())


def _tidy(text: str, vocabulary: Vocabulary) -> list[str]:
    """The cleaned line's words, with fillers dropped and known misspellings put right."""
    tokens = [vocabulary.spellings.get(t, t) for t in _clean(text).split()]
    kept: list[str] = []
    i = 0
    while i < len(tokens):
        filler = next((f for f in vocabulary.fillers if tuple(tokens[i : i + len(f)]) == f), None)
        if filler is not None:
            i += len(filler)
            continue
        kept.append(tokens[i])
        i += 1
    return kept


def _distance(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, change, swap two neighbours) from a to b; ``limit + 1`` once past it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _close(word: str, wanted: str, vocabulary: Vocabulary) -> bool:
    """The same word, or a typo of it: one slip from five letters, two from eight."""
    if word == wanted:
        return True
    allowed = 2 if len(wanted) >= 8 else 1 if len(wanted) >= 5 else 0
    if not allowed or word in vocabulary.not_typos or word.isdigit():
        return False
    return _distance(word, wanted, allowed) <= allowed


def _has_phrase(tokens: list[str], phrase: tuple[str, ...], vocabulary: Vocabulary) -> bool:
    size = len(phrase)
    return any(
        all(_close(tokens[i + k], phrase[k], vocabulary) for k in range(size))
        for i in range(len(tokens) - size + 1)
    )


# -- understanding ----------------------------------------------------------------


def understand(
    text: str,
    counterpart: str = "collections",
    balance: Decimal | None = None,
    *,
    path: Path | None = None,
) -> Understood:
    """What the user means by ``text``: requests, and an offer read against ``balance``.

    Never raises for any text; a line with nothing the partner can answer has no meanings.
    """
    vocabulary = load_vocabulary(path)
    tokens = _tidy(text, vocabulary)
    line = " ".join(tokens)
    found = [
        meaning.name
        for meaning in vocabulary.meanings
        if any(p.search(line) for p in meaning.patterns)
        or any(_has_phrase(tokens, phrase, vocabulary) for phrase in meaning.phrases)
    ]
    offer = _offer(text, line, counterpart, balance, vocabulary)
    if offer.offer is not None and "accept" in found:
        found.remove("accept")  # "ok, 900 works": their own number, weighed as an offer
    meanings = tuple(m for m in (offer.offer,) if m) + tuple(found)
    return Understood(text, meanings, offer.amount, offer.percent, offer.monthly, offer.months, offer.refused)


def _offer(
    text: str, line: str, counterpart: str, balance: Decimal | None, vocabulary: Vocabulary
) -> Understood:
    """The offer in a line (meanings hold at most its kind), from coach's reading of the numbers."""
    from coach.hearing.intents import hear

    heard = hear(text, counterpart)
    percent = _percent(line, vocabulary) or heard.percent
    monthly, months, amount = heard.monthly, heard.months, heard.amount
    if percent is not None:
        share = Decimal(percent)
        lump = to_cents(balance * share / 100) if balance else None
        return Understood(text, (OFFER_PERCENT,), lump, share)
    if monthly is not None and monthly > 0:
        return Understood(text, (OFFER_PLAN,), None, None, to_cents(monthly), months)
    refused: tuple[Decimal, ...] = ()
    if amount is None and not months:
        amount = _bare_amount(line, vocabulary, text)  # to the partner, a number the user says is put forward
    if amount is not None:
        amount, refused = _not_refused(line, amount, vocabulary)
    if amount is None or amount <= 0:
        if months and balance and not refused:  # "can I pay it over 12 months?"
            return Understood(text, (OFFER_PLAN,), None, None, _ceil(balance / months), months, refused)
        return Understood(text, (), refused=refused)
    if months:
        if balance is None or amount * months <= balance * _PLAN_SHARE:
            return Understood(text, (OFFER_PLAN,), None, None, to_cents(amount), months, refused)
        return Understood(text, (OFFER_PLAN,), None, None, _ceil(amount / months), months, refused)
    return Understood(text, (OFFER_LUMP,), to_cents(amount), refused=refused)


def _ceil(amount: Decimal) -> Decimal:
    return to_cents(amount.to_integral_value(rounding=ROUND_CEILING))


def _percent(line: str, vocabulary: Vocabulary) -> Decimal | None:
    for rule in vocabulary.percents:
        match = rule.pattern.search(line)
        if match:
            return rule.value if rule.value is not None else Decimal(match.group(rule.group or 0))
    return None


# Digits joined to letters or a hyphen are an account or reference number ("AC-558812"), never money.
_DIGITS = re.compile(r"(?<![\w-])\$?(\d+(?:\.\d{1,2})?)(k\b)?(?![\w-])")


_CODE = re.compile(r"[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*-?\d[\w-]*|\d+-[\w-]+")  # AC-558812, 4471-B, REF9


def _codes(text: str) -> set[str]:
    """Digit runs that belong to an account or reference number in what was typed."""
    return {digits for code in _CODE.findall(text) for digits in re.findall(r"\d+", code)}


def _bare_amount(line: str, vocabulary: Vocabulary, text: str = "") -> Decimal | None:
    """The last plain number in the line that is not a count of months, days, or part of an account number."""
    found = None
    codes = _codes(text)
    for match in _DIGITS.finditer(line):
        if match.group(1) in codes:
            continue
        after = line[match.end() :]
        if vocabulary.not_money_after is not None and vocabulary.not_money_after.search(after):
            continue
        found = Decimal(match.group(1)) * (1000 if match.group(2) else 1)
    return found


def _not_refused(
    line: str, amount: Decimal, vocabulary: Vocabulary
) -> tuple[Decimal | None, tuple[Decimal, ...]]:
    """The amount offered, once amounts refused ("can't pay 2480") or quoted are set aside.

    Returns (amount or None, the refused or quoted amounts).
    """
    candidates: list[tuple[Decimal, int, int]] = []
    for match in _DIGITS.finditer(line):
        value = Decimal(match.group(1)) * (1000 if match.group(2) else 1)
        candidates.append((value, match.start(), match.end()))
    if not candidates:  # said in words: only the line as a whole can refuse it
        before = line
        if any(p.search(before) for p in vocabulary.refusals):
            return None, (amount,)
        return amount, ()
    set_aside: list[Decimal] = []
    kept: list[Decimal] = []
    for value, start, end in candidates:
        before = " ".join(line[:start].split()[-6:])
        quoted = any(
            re.search(q.replace(AMOUNT, re.escape(line[start:end].lstrip("$"))), line)
            for q in vocabulary.quotes
        )
        if quoted or any(p.search(before) for p in vocabulary.refusals):
            set_aside.append(value)
        else:
            kept.append(value)
    if to_cents(amount) in {to_cents(v) for v in kept}:
        return amount, tuple(set_aside)
    if to_cents(amount) in {to_cents(v) for v in set_aside}:
        return (kept[-1] if kept else None), tuple(set_aside)
    return amount, tuple(set_aside)

"""``scorecard.yaml``: what a good rehearsed call does, and its reader.

Each scorecard item's conditions (nodes visited, things said, notes taken, an
offer within the user's target) as :class:`ScorecardSpec`, and
:class:`ScorecardReader`, which checks the file and collects every problem with
its line. Scoring a call against it is coach.rehearsal.scoring's job; loading it
checked and cached is coach.rehearsal.files's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from coach.dialogue.yamlload import LineDict, LineList, line_of
from coach.rehearsal.reader import KEBAB, RehearsalReader, listed

SCORECARD_FILE = "scorecard.yaml"
AMOUNT_NAMES = frozenset(
    {"offer", "target", "walk_away", "monthly", "budget", "balance", "least", "months", "suspect"}
)


# -- the data, as read from scorecard.yaml ----------------------------------------


@dataclass(frozen=True)
class Condition:
    """One test of a call: ``kind`` is a condition key, ``parts`` the inner ones of any/all/not."""

    kind: str
    value: Any = None
    parts: tuple[Condition, ...] = ()
    why: str | None = None


@dataclass(frozen=True)
class ItemSpec:
    id: str
    label: str
    applies: tuple[str, ...] | None
    only_if: Condition | None
    need: tuple[Condition, ...]
    never: Condition | None
    check: str | None
    whys: Mapping[str, str]


@dataclass(frozen=True)
class ScorecardSpec:
    digits_skip: tuple[str, ...]
    items: tuple[ItemSpec, ...]
    plausible: Plausible = field(default_factory=lambda: Plausible())


@dataclass(frozen=True)
class Plausible:
    """Below these an offer is not a real one: a fact it came from is likely wrong.

    ``least_share`` of the balance for a lump sum; a monthly amount must clear the
    balance within ``most_months``.
    """

    least_share: Decimal = Decimal("0.05")
    most_months: int = 120

    def lump_ok(self, amount: Decimal, balance: Decimal) -> bool:
        return amount >= balance * self.least_share

    def monthly_ok(self, monthly: Decimal, balance: Decimal) -> bool:
        return monthly * self.most_months >= balance


# -- reading and checking the file ----------------------------------------------

SCORECARD_TOP = {"digits_skip", "plausible", "items"}
ITEM_KEYS = {"id", "label", "applies", "only_if", "need", "never", "check", "pass", "fail", "na"}
ITEM_KEYS |= {"na_counterpart", "broke"}
AMOUNT_WHYS = (
    "pass",
    "over_target",
    "over_walk_away",
    "monthly_pass",
    "monthly_fail",
    "no_offer",
    "no_target",
)
AMOUNT_OPTIONAL_WHYS = ("implausible", "implausible_monthly")  # built-in wording when left out
CHECKS = {"amount"}
REGEX_CONDITIONS = {"visited", "said_at", "chose", "said", "heard", "heard_text"}
CONDITIONS = REGEX_CONDITIONS | {"note", "fact", "fact_below", "digits", "offer", "any", "all", "not"}
CONDITIONS |= {"asked", "real_offer"}


class ScorecardReader(RehearsalReader):
    """Reads and checks scorecard.yaml, adding every problem to the reader's list."""

    def scorecard(self) -> ScorecardSpec | None:
        data = self.load(SCORECARD_FILE)
        if data is None:
            return None
        before = len(self.problems)
        self.keys(data, SCORECARD_TOP, "")
        skip = data.get("digits_skip", LineList())
        if not isinstance(skip, LineList) or not all(isinstance(k, str) for k in skip):
            self.problem(line_of(data, "digits_skip"), "'digits_skip' must be a list of note kinds")
            skip = LineList()
        for kind in skip:
            self.note_kind(kind, line_of(data, "digits_skip"), "digits_skip: ")
        raw = data.get("items")
        items: list[ItemSpec] = []
        if not isinstance(raw, LineList) or not raw:
            self.problem(line_of(data, "items"), "'items' must be a list of scorecard items")
            raw = LineList()
        seen: dict[str, int] = {}
        for entry in raw:
            item = self.read_item(entry, seen)
            if item is not None:
                items.append(item)
        plausible = self.read_plausible(data)
        if len(self.problems) > before:
            return None
        return ScorecardSpec(tuple(skip), tuple(items), plausible)

    def read_plausible(self, data: LineDict) -> Plausible:
        raw = self.mapping(data, "plausible", "", required=False)
        if raw is None:
            return Plausible()
        self.keys(raw, {"least_share", "most_months"}, "plausible: ")
        share = raw.get("least_share", 0.05)
        months = raw.get("most_months", 120)
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share < 1:
            self.problem(line_of(raw, "least_share"), "plausible: 'least_share' must be a share from 0 to 1")
            share = 0.05
        if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 1200:
            self.problem(line_of(raw, "most_months"), "plausible: 'most_months' must be from 1 to 1200")
            months = 120
        return Plausible(Decimal(str(share)), int(months))

    def note_kind(self, kind: Any, line: int, label: str) -> None:
        if self.notes is not None and kind not in self.notes:
            self.problem(line, f"{label}unknown note kind '{kind}' (known: {listed(self.notes)})")

    def read_item(self, entry: Any, seen: dict[str, int]) -> ItemSpec | None:
        if not isinstance(entry, LineDict):
            self.problem(line_of(entry), "items: each item must be a mapping")
            return None
        item_id = entry.get("id")
        if not isinstance(item_id, str) or not KEBAB.match(item_id):
            self.problem(
                line_of(entry, "id"), "items: each item needs an 'id' (lower-case words joined by '-')"
            )
            return None
        label = f"item '{item_id}': "
        if item_id in seen:
            self.problem(line_of(entry, "id"), f"{label}duplicate id (first on line {seen[item_id]})")
        seen[item_id] = line_of(entry, "id")
        check = entry.get("check")
        allowed = ITEM_KEYS | (set(AMOUNT_WHYS) | set(AMOUNT_OPTIONAL_WHYS) if check == "amount" else set())
        self.keys(entry, allowed, label)
        if check is not None and check not in CHECKS:
            self.problem(line_of(entry, "check"), f"{label}unknown check '{check}' (known: {listed(CHECKS)})")
        title = self.text(entry, "label", label)
        applies = entry.get("applies")
        if applies is not None:
            if not isinstance(applies, LineList) or not applies:
                self.problem(line_of(entry, "applies"), f"{label}'applies' must be a list of counterparts")
                applies = None
            else:
                for who in applies:
                    if who not in self.counterparts:
                        self.problem(line_of(entry, "applies"), f"{label}unknown counterpart '{who}'")
                applies = tuple(str(w) for w in applies)
        only_if = self.condition(entry, "only_if", label)
        never = self.condition(entry, "never", label)
        need: tuple[Condition, ...] = ()
        raw_need = entry.get("need")
        if isinstance(raw_need, LineList):
            need = tuple(
                c for c in (self.read_condition(v, line_of(raw_need), label, True) for v in raw_need) if c
            )
        elif raw_need is not None:
            single = self.read_condition(raw_need, line_of(entry, "need"), label, False)
            need = (single,) if single else ()
        if check is None and "need" not in entry and "never" not in entry:
            self.problem(line_of(entry), f"{label}needs 'need', 'never' or 'check'")
        wanted = list(AMOUNT_WHYS) if check == "amount" else ["pass", "fail"] if "need" in entry else ["pass"]
        if never is not None:
            wanted.append("broke")
        if only_if is not None:
            wanted.append("na")
        whys: dict[str, str] = {}
        for key in wanted:
            whys[key] = self.text(entry, key, label)
            if check == "amount":
                self.template(whys[key], line_of(entry, key), label, AMOUNT_NAMES)
        for key in ("fail", "na", "na_counterpart", *AMOUNT_OPTIONAL_WHYS):
            if key not in whys and isinstance(entry.get(key), str):
                whys[key] = str(entry[key]).strip()
                if key in AMOUNT_OPTIONAL_WHYS:
                    self.template(whys[key], line_of(entry, key), label, AMOUNT_NAMES)
        return ItemSpec(item_id, title, applies, only_if, need, never, check, whys)

    def condition(self, entry: LineDict, key: str, label: str) -> Condition | None:
        if key not in entry:
            return None
        return self.read_condition(entry[key], line_of(entry, key), label, False)

    def read_condition(self, raw: Any, line: int, label: str, may_explain: bool) -> Condition | None:
        line = line_of(raw, default=line)
        if not isinstance(raw, LineDict):
            self.problem(line, f"{label}a condition must be a mapping like {{visited: PATTERN}}")
            return None
        why = raw.get("why") if may_explain else None
        keys = [k for k in raw if k != "why" or not may_explain]
        unknown = [k for k in keys if k not in CONDITIONS]
        for key in unknown:
            self.problem(line_of(raw, key), f"{label}unknown condition '{key}' (known: {listed(CONDITIONS)})")
        if unknown:
            return None
        if len(keys) != 1:
            self.problem(line, f"{label}a condition has exactly one key, not {len(keys)}")
            return None
        kind = keys[0]
        value = raw[kind]
        where = line_of(raw, kind)
        if why is not None and not isinstance(why, str):
            self.problem(line_of(raw, "why"), f"{label}'why' must be text")
            why = None
        if kind in ("any", "all"):
            if not isinstance(value, LineList) or not value:
                self.problem(where, f"{label}'{kind}' must be a list of conditions")
                return None
            parts = tuple(self.read_condition(v, where, label, False) for v in value)
            if any(p is None for p in parts):
                return None
            return Condition(kind, None, tuple(p for p in parts if p), why)
        if kind == "not":
            inner = self.read_condition(value, where, label, False)
            return Condition(kind, None, (inner,), why) if inner else None
        if kind in REGEX_CONDITIONS:
            pattern = self.regex(value, where, label)
            return Condition(kind, pattern, (), why) if pattern else None
        if kind == "note":
            self.note_kind(value, where, label)
            return Condition(kind, str(value), (), why)
        if kind == "fact":
            if not isinstance(value, str) or not self.known_value(value):
                self.problem(where, f"{label}unknown fact '{value}'")
                return None
            return Condition(kind, value, (), why)
        if kind == "fact_below":
            if (
                not isinstance(value, LineDict)
                or len(value) != 1
                or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value.values())
            ):
                self.problem(where, f"{label}'fact_below' must be {{FACT: AMOUNT}}")
                return None
            name, amount = next(iter(value.items()))
            if not self.known_value(name):
                self.problem(where, f"{label}unknown fact '{name}'")
                return None
            return Condition(kind, (name, Decimal(str(amount))), (), why)
        if kind == "digits":
            if isinstance(value, bool) or not isinstance(value, int) or not 4 <= value <= 30:
                self.problem(where, f"{label}'digits' must be a whole number from 4 to 30")
                return None
            return Condition(kind, value, (), why)
        if kind == "asked":
            from coach.rehearsal.understand import MEANINGS

            if value not in MEANINGS:
                self.problem(where, f"{label}unknown meaning '{value}' (known: {listed(MEANINGS)})")
                return None
            return Condition(kind, value, (), why)
        # offer, real_offer
        if value is not True:
            self.problem(where, f"{label}'{kind}' must be true")
            return None
        return Condition(kind, True, (), why)

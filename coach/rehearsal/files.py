"""The rehearsal files: ``personas.yaml`` and ``scorecard.yaml``, read, checked and cached.

Who coach plays (personas, their difficulty levels and tones), which situation
each step is, what each side may say, and what a good call does. One reader
walks both files and collects every problem (path, line, message) for
``coach check``; a rehearsal loads them checked, or stops on the first problem.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError

from coach.dialogue import render
from coach.dialogue.problems import Problem, Problems, YamlProblem
from coach.dialogue.yamlload import LineDict, LineList, line_of, load_yaml
from coach.errors import CoachError
from coach.paths import dialogues_dir

DIFFICULTIES = ("easy", "normal", "tough")
LUMP = "lump_sum_offer"
PLAN = "payment_plan_request"
ENGINE_SITUATIONS = (LUMP, PLAN)
GENERIC = "generic"
UNCLEAR = "unclear"  # a user line with nothing the partner can answer
ALREADY = "already"  # the user asks again for what the partner already gave
BUILT_IN = (GENERIC, *ENGINE_SITUATIONS, UNCLEAR, ALREADY)
SILENT = "none"
PERSONAS_FILE = "personas.yaml"
SCORECARD_FILE = "scorecard.yaml"

# Names a partner line may use; the values are coach's own data (facts are passed
# as values, never compiled as templates).
TEMPLATE_NAMES = frozenset(
    {
        "ask",
        "off",
        "offer",
        "agreed",
        "monthly",
        "months",
        "balance",
        "rep_name",
        "rep_id",
        "reference",
        "creditor",
        "original_creditor",
        "account_number",
        "state",
    }
)
AMOUNT_NAMES = frozenset(
    {"offer", "target", "walk_away", "monthly", "budget", "balance", "least", "months", "suspect"}
)


def rehearse_dir() -> Path:
    """The shipped ``dialogues/rehearse`` folder."""
    return dialogues_dir() / "rehearse"


# -- the data, as read from personas.yaml -----------------------------------------


@dataclass(frozen=True)
class Line:
    """One thing the partner can say, and (if given) what coach's hearing should make of it."""

    say: str
    intent: str | None = None


@dataclass(frozen=True)
class Bank:
    """The lines for one situation: pushback, giving way, and the offer engine's lines."""

    push: tuple[Line, ...] = ()
    give: tuple[Line, ...] = ()
    final: tuple[Line, ...] = ()
    accept: tuple[Line, ...] = ()
    agreed: tuple[Line, ...] = ()
    no_amount: tuple[Line, ...] = ()

    def over(self, base: Bank) -> Bank:
        """This bank's lines where it has some, ``base``'s elsewhere (a persona's own lines)."""
        return Bank(*(getattr(self, k) or getattr(base, k) for k in BANK_KEYS))


BANK_KEYS = ("push", "give", "final", "accept", "agreed", "no_amount")
ENGINE_KEYS = ("give", "final", "accept", "agreed", "no_amount")


@dataclass(frozen=True)
class Level:
    """One difficulty for one persona: how it sounds and how long it holds out.

    ``holds`` are situations it never gives way on at this difficulty (a
    collector that never agrees to pay-for-delete); ``hardship`` is how many
    counters' worth of ground it gives, once, when the user states a hardship.
    """

    tone: str
    pushes: int
    rounds: int
    holds: tuple[str, ...] = ()
    hardship: int = 0


@dataclass(frozen=True)
class Tone:
    """Lead-ins that colour a line: a first pushback, a repeated one, or giving way."""

    push: tuple[str, ...]
    repeat: tuple[str, ...]
    give: tuple[str, ...]


@dataclass(frozen=True)
class Persona:
    id: str
    counterpart: str
    name: str
    rep_name: str
    openings: Mapping[str, str]
    opening_ask: Decimal
    floor: Decimal
    plan_months: tuple[int, int]
    levels: Mapping[str, Level]
    lines: Mapping[str, Bank]


@dataclass(frozen=True)
class OfferRule:
    """Leaving a node that matches means the user offered this derived value or fact."""

    pattern: re.Pattern[str]
    name: str
    monthly: bool


@dataclass(frozen=True)
class Personas:
    """Everything in personas.yaml, checked."""

    personas: Mapping[str, Persona]
    defaults: Mapping[str, str]
    tones: Mapping[str, Tone]
    situations: tuple[tuple[re.Pattern[str], str], ...]
    offers: tuple[OfferRule, ...]
    lines: Mapping[str, Mapping[str, Bank]]
    answers: Mapping[str, str] = field(default_factory=dict)

    def situation_of(self, node: str) -> str:
        """The situation a node id stands for (first pattern that matches), else ``generic``."""
        for pattern, situation in self.situations:
            if pattern.search(node):
                return situation
        return GENERIC

    def bank(self, persona: Persona, situation: str) -> Bank:
        """The persona's lines for a situation, over its counterpart's, over ``generic``."""
        shared = self.lines[persona.counterpart]
        base = shared.get(situation) or shared[GENERIC]
        own = persona.lines.get(situation)
        return own.over(base) if own is not None else base

    def for_counterpart(self, counterpart: str) -> list[Persona]:
        return [p for p in self.personas.values() if p.counterpart == counterpart]


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


# -- reading and checking the files ----------------------------------------------

PERSONAS_TOP = {"personas", "defaults", "tones", "situations", "offers", "answers", "lines"}
PERSONA_KEYS = {
    "counterpart",
    "name",
    "rep_name",
    "opening",
    "opening_ask",
    "floor",
    "plan_months",
    "levels",
    "lines",
}
LEVEL_KEYS = {"tone", "pushes", "rounds", "holds", "hardship"}
TONE_KEYS = {"push", "repeat", "give"}
LINE_KEYS = {"say", "intent"}
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
_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
_KEBAB = re.compile(r"^[a-z][a-z0-9-]*$")


def _names(names: Any) -> str:
    return ", ".join(sorted(names))


class _Reader:
    """Reads one folder's rehearsal files, collecting every problem with its path and line."""

    def __init__(self, folder: Path, cross_check: bool = True) -> None:
        self.folder = folder
        self.problems = Problems()
        self.path = ""
        self.counterparts, notes, facts = _playbook_names(folder.parent)
        # Names owned by other files (facts, note kinds, hearing's intents) are checked by
        # `coach check` only, so another file's change never stops a rehearsal from loading.
        self.notes, self.facts = (notes, facts) if cross_check else (None, None)
        self.intents = _known_intents() if cross_check else frozenset()

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def load(self, name: str) -> LineDict | None:
        path = self.folder / name
        self.path = str(path)
        if not path.is_file():
            self.problem(1, f"missing file {name}")
            return None
        try:
            data = load_yaml(path)
        except YamlProblem as error:
            self.problems.append(error.problem)
            return None
        if not isinstance(data, LineDict):
            self.problem(1, "expected a mapping at the top of the file")
            return None
        return data

    def keys(self, mapping: LineDict, allowed: set[str], label: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.problem(
                    line_of(mapping, key), f"{label}unknown key '{key}' (allowed: {_names(allowed)})"
                )

    def mapping(self, parent: LineDict, key: str, label: str, required: bool = True) -> LineDict | None:
        value = parent.get(key)
        if value is None:
            if required:
                self.problem(line_of(parent), f"{label}missing '{key}'")
            return None
        if not isinstance(value, LineDict):
            self.problem(line_of(parent, key), f"{label}'{key}' must be a mapping")
            return None
        return value

    def text(self, parent: LineDict, key: str, label: str) -> str:
        value = parent.get(key)
        if not isinstance(value, str) or not value.strip():
            where = "missing" if key not in parent else "must be text"
            self.problem(line_of(parent, key), f"{label}'{key}' {where}")
            return ""
        return value.strip()

    def regex(self, value: Any, line: int, label: str) -> re.Pattern[str] | None:
        if not isinstance(value, str) or not value:
            self.problem(line, f"{label}a pattern must be text")
            return None
        try:
            return re.compile(value, re.IGNORECASE)
        except re.error as error:
            self.problem(line, f"{label}bad pattern '{value}': {error}")
            return None

    def template(self, source: str, line: int, label: str, names: frozenset[str]) -> None:
        if "{" not in source:
            return
        try:
            tree = render.parse(source)
        except TemplateSyntaxError as error:
            self.problem(line, f"{label}template error: {error.message}")
            return
        used, problems = render.undeclared_problems(tree)
        for message in problems:
            self.problem(line, f"{label}template error: {message}")
        for name in sorted(used - names):
            self.problem(line, f"{label}unknown name '{name}' (known: {_names(names)})")

    # -- personas.yaml --

    def personas(self) -> Personas | None:
        data = self.load(PERSONAS_FILE)
        if data is None:
            return None
        self.keys(data, PERSONAS_TOP, "")
        before = len(self.problems)
        tones = self.read_tones(data)
        situations, declared = self.read_situations(data)
        offers = self.read_offers(data)
        answers = self.read_answers(data, declared)
        lines = self.read_lines(data, declared)
        personas = self.read_personas(data, tones, declared, lines)
        defaults = self.read_defaults(data, personas)
        if len(self.problems) > before:
            return None
        return Personas(personas, defaults, tones, situations, offers, lines, answers)

    def read_answers(self, data: LineDict, declared: set[str]) -> dict[str, str]:
        """Which situation answers each request the user can make in their own words.

        Its situations are declared here too: no node need lead to them.
        """
        from coach.rehearsal.understand import REQUESTS

        raw = self.mapping(data, "answers", "", required=False)
        if raw is None:
            return {}
        result: dict[str, str] = {}
        for meaning, situation in raw.items():
            line = line_of(raw, meaning)
            if meaning not in REQUESTS:
                self.problem(line, f"answers: unknown request '{meaning}' (known: {', '.join(REQUESTS)})")
            elif not isinstance(situation, str) or not _SNAKE.match(situation) or situation == SILENT:
                self.problem(line, f"answers: {meaning}: a situation is a snake_case name")
            else:
                result[meaning] = situation
                declared.add(situation)
        return result

    def read_tones(self, data: LineDict) -> dict[str, Tone]:
        tones: dict[str, Tone] = {}
        raw = self.mapping(data, "tones", "")
        for name, spec in (raw or {}).items():
            label = f"tone '{name}': "
            if not isinstance(spec, LineDict):
                self.problem(line_of(raw, name), f"{label}must be a mapping")
                continue
            self.keys(spec, TONE_KEYS, label)
            parts = []
            for key in ("push", "repeat", "give"):
                value = spec.get(key)
                if not isinstance(value, LineList) or not value or not all(isinstance(v, str) for v in value):
                    self.problem(
                        line_of(spec, key), f"{label}'{key}' must be a list of lead-ins ('' for none)"
                    )
                    parts.append(("",))
                else:
                    parts.append(tuple(v.strip() for v in value))
            tones[name] = Tone(*parts)
        return tones

    def read_situations(self, data: LineDict) -> tuple[tuple[tuple[re.Pattern[str], str], ...], set[str]]:
        result: list[tuple[re.Pattern[str], str]] = []
        declared = set(BUILT_IN)
        raw = data.get("situations")
        if not isinstance(raw, LineList):
            self.problem(line_of(data, "situations"), "'situations' must be a list of {match, situation}")
            return (), declared
        for entry in raw:
            line = line_of(entry, default=line_of(raw))
            if not isinstance(entry, LineDict):
                self.problem(line, "situations: each entry must be {match: PATTERN, situation: NAME}")
                continue
            self.keys(entry, {"match", "situation"}, "situations: ")
            name = entry.get("situation")
            if not isinstance(name, str) or not _SNAKE.match(name):
                self.problem(line_of(entry, "situation"), "situations: 'situation' must be a snake_case name")
                continue
            pattern = self.regex(entry.get("match"), line_of(entry, "match"), "situations: ")
            if pattern is not None:
                result.append((pattern, name))
                declared.add(name)
        return tuple(result), declared

    def read_offers(self, data: LineDict) -> tuple[OfferRule, ...]:
        raw = data.get("offers", LineList())
        if not isinstance(raw, LineList):
            self.problem(line_of(data, "offers"), "'offers' must be a list of {match, amount or monthly}")
            return ()
        rules = []
        for entry in raw:
            line = line_of(entry, default=line_of(raw))
            if not isinstance(entry, LineDict):
                self.problem(line, "offers: each entry must be {match: PATTERN, amount: NAME}")
                continue
            self.keys(entry, {"match", "amount", "monthly"}, "offers: ")
            kinds = [k for k in ("amount", "monthly") if k in entry]
            if len(kinds) != 1:
                self.problem(line, "offers: give exactly one of 'amount' or 'monthly'")
                continue
            name = entry[kinds[0]]
            if not isinstance(name, str) or not self.known_value(name):
                self.problem(line_of(entry, kinds[0]), f"offers: unknown fact or derived value '{name}'")
                continue
            pattern = self.regex(entry.get("match"), line_of(entry, "match"), "offers: ")
            if pattern is not None:
                rules.append(OfferRule(pattern, name, kinds[0] == "monthly"))
        return tuple(rules)

    def known_value(self, name: str) -> bool:
        from coach.money.derive import DERIVED

        if not _SNAKE.match(name):
            return False
        return self.facts is None or name in self.facts or name in DERIVED

    def read_lines(self, data: LineDict, declared: set[str]) -> dict[str, dict[str, Bank]]:
        result: dict[str, dict[str, Bank]] = {}
        raw = self.mapping(data, "lines", "")
        if raw is None:
            return result
        for counterpart, banks in raw.items():
            label = f"lines: {counterpart}: "
            if counterpart not in self.counterparts:
                self.problem(
                    line_of(raw, counterpart),
                    f"lines: unknown counterpart '{counterpart}' (known: {', '.join(self.counterparts)})",
                )
                continue
            if not isinstance(banks, LineDict):
                self.problem(line_of(raw, counterpart), f"{label}must be a mapping of situations")
                continue
            result[counterpart] = self.read_banks(banks, declared, label)
            line = line_of(raw, counterpart)
            for situation in (GENERIC, *ENGINE_SITUATIONS):
                if situation not in banks:
                    self.problem(line, f"{label}missing lines for '{situation}'")
            for situation, bank in result[counterpart].items():
                needed = ENGINE_KEYS if situation in ENGINE_SITUATIONS else ("give",)
                for key in needed:
                    if not getattr(bank, key):
                        self.problem(line_of(banks, situation), f"{label}{situation}: missing '{key}' lines")
        for counterpart in self.counterparts:
            if counterpart not in raw:
                self.problem(line_of(raw), f"lines: no lines for counterpart '{counterpart}'")
        return result

    def read_banks(self, banks: LineDict, declared: set[str], label: str) -> dict[str, Bank]:
        result: dict[str, Bank] = {}
        for situation, spec in banks.items():
            where = f"{label}{situation}: "
            if situation not in declared or situation == SILENT:
                self.problem(
                    line_of(banks, situation),
                    f"{label}unknown situation '{situation}' (add it to 'situations' or use one of {_names(declared - {SILENT})})",
                )
                continue
            if not isinstance(spec, LineDict):
                self.problem(line_of(banks, situation), f"{where}must be a mapping of {', '.join(BANK_KEYS)}")
                continue
            allowed = set(BANK_KEYS) if situation in ENGINE_SITUATIONS else {"push", "give"}
            self.keys(spec, allowed, where)
            parts = [self.read_line_list(spec, key, where) if key in allowed else () for key in BANK_KEYS]
            result[situation] = Bank(*parts)
        return result

    def read_line_list(self, spec: LineDict, key: str, label: str) -> tuple[Line, ...]:
        raw = spec.get(key)
        if raw is None:
            return ()
        if not isinstance(raw, LineList) or not raw:
            self.problem(line_of(spec, key), f"{label}'{key}' must be a non-empty list of lines")
            return ()
        lines = []
        for item in raw:
            line = line_of(item, default=line_of(raw))
            if isinstance(item, str):
                say, intent = item.strip(), None
            elif isinstance(item, LineDict):
                self.keys(item, LINE_KEYS, label)
                say = item.get("say", "")
                intent = item.get("intent")
                if not isinstance(say, str):
                    say = ""
                say = say.strip()
                if intent is not None and (
                    not isinstance(intent, str) or (self.intents and intent not in self.intents)
                ):
                    self.problem(line_of(item, "intent"), f"{label}unknown intent '{intent}'")
                    intent = None
            else:
                self.problem(line, f"{label}a line must be text or {{say: TEXT, intent: NAME}}")
                continue
            if not say:
                self.problem(line, f"{label}empty line")
                continue
            self.template(say, line, label, TEMPLATE_NAMES)
            lines.append(Line(say, intent))
        return tuple(lines)

    def read_personas(
        self, data: LineDict, tones: dict[str, Tone], declared: set[str], lines: dict[str, dict[str, Bank]]
    ) -> dict[str, Persona]:
        result: dict[str, Persona] = {}
        raw = self.mapping(data, "personas", "")
        for pid, spec in (raw or {}).items():
            label = f"persona '{pid}': "
            if not isinstance(spec, LineDict):
                self.problem(line_of(raw, pid), f"{label}must be a mapping")
                continue
            if not _KEBAB.match(pid):
                self.problem(line_of(raw, pid), f"{label}ids are lower-case words joined by '-'")
            self.keys(spec, PERSONA_KEYS, label)
            counterpart = spec.get("counterpart")
            if counterpart not in self.counterparts:
                self.problem(
                    line_of(spec, "counterpart"),
                    f"{label}unknown counterpart '{counterpart}' (known: {', '.join(self.counterparts)})",
                )
            name = self.text(spec, "name", label)
            rep_name = self.text(spec, "rep_name", label)
            openings = self.read_openings(spec, label)
            opening_ask = self.fraction(spec, "opening_ask", label)
            floor = self.fraction(spec, "floor", label)
            if opening_ask is not None and floor is not None and floor > opening_ask:
                self.problem(line_of(spec, "floor"), f"{label}'floor' is above 'opening_ask'")
            months = self.read_plan_months(spec, label)
            levels = self.read_levels(spec, tones, label, declared)
            own = self.mapping(spec, "lines", label, required=False)
            banks = self.read_banks(own, declared, f"{label}lines: ") if own is not None else {}
            if isinstance(counterpart, str) and counterpart in self.counterparts and counterpart in lines:
                result[pid] = Persona(
                    pid,
                    counterpart,
                    name,
                    rep_name,
                    openings,
                    opening_ask or Decimal(1),
                    floor or Decimal(1),
                    months,
                    levels,
                    banks,
                )
        return result

    def read_openings(self, spec: LineDict, label: str) -> dict[str, str]:
        raw = spec.get("opening")
        if isinstance(raw, str) and raw.strip():
            self.template(raw, line_of(spec, "opening"), label, TEMPLATE_NAMES)
            return dict.fromkeys(DIFFICULTIES, raw.strip())
        if isinstance(raw, LineDict):
            self.keys(raw, set(DIFFICULTIES), f"{label}opening: ")
            result = {}
            for level in DIFFICULTIES:
                text = self.text(raw, level, f"{label}opening: ")
                self.template(text, line_of(raw, level), label, TEMPLATE_NAMES)
                result[level] = text
            return result
        self.problem(line_of(spec, "opening"), f"{label}'opening' must be text, or text per difficulty")
        return dict.fromkeys(DIFFICULTIES, "")

    def fraction(self, spec: LineDict, key: str, label: str) -> Decimal | None:
        value = spec.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
            self.problem(
                line_of(spec, key),
                f"{label}'{key}' must be a share of the balance, more than 0 and at most 1",
            )
            return None
        return Decimal(str(value))

    def read_plan_months(self, spec: LineDict, label: str) -> tuple[int, int]:
        value = spec.get("plan_months")
        if (
            isinstance(value, LineList)
            and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 120 for v in value)
            and value[0] <= value[1]
        ):
            return int(value[0]), int(value[1])
        self.problem(
            line_of(spec, "plan_months"), f"{label}'plan_months' must be [first, most], from 1 to 120"
        )
        return 1, 1

    def read_levels(
        self, spec: LineDict, tones: dict[str, Tone], label: str, declared: set[str]
    ) -> dict[str, Level]:
        raw = self.mapping(spec, "levels", label)
        result: dict[str, Level] = {}
        if raw is None:
            return result
        self.keys(raw, set(DIFFICULTIES), f"{label}levels: ")
        for level in DIFFICULTIES:
            entry = raw.get(level)
            where = f"{label}levels: {level}: "
            if not isinstance(entry, LineDict):
                self.problem(line_of(raw, level), f"{label}levels: missing '{level}'")
                continue
            self.keys(entry, LEVEL_KEYS, where)
            tone = entry.get("tone")
            if tone not in tones:
                self.problem(line_of(entry, "tone"), f"{where}unknown tone '{tone}' (known: {_names(tones)})")
            counts = []
            for key, low in (("pushes", 0), ("rounds", 1), ("hardship", 0)):
                if key == "hardship" and key not in entry:
                    counts.append(0)
                    continue
                value = entry.get(key)
                if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= 10:
                    self.problem(
                        line_of(entry, key), f"{where}'{key}' must be a whole number from {low} to 10"
                    )
                    value = low
                counts.append(value)
            holds = entry.get("holds", LineList())
            if not isinstance(holds, LineList) or not all(h in declared for h in holds):
                self.problem(line_of(entry, "holds"), f"{where}'holds' must list known situations")
                holds = LineList()
            result[level] = Level(str(tone), counts[0], counts[1], tuple(str(h) for h in holds), counts[2])
        return result

    def read_defaults(self, data: LineDict, personas: dict[str, Persona]) -> dict[str, str]:
        raw = self.mapping(data, "defaults", "")
        result: dict[str, str] = {}
        if raw is None:
            return result
        for counterpart in raw:
            if counterpart not in self.counterparts:
                self.problem(line_of(raw, counterpart), f"defaults: unknown counterpart '{counterpart}'")
        for counterpart in self.counterparts:
            pid = raw.get(counterpart)
            persona = personas.get(pid) if isinstance(pid, str) else None
            if pid is None:
                self.problem(line_of(raw), f"defaults: no persona for '{counterpart}'")
            elif persona is None:
                self.problem(line_of(raw, counterpart), f"defaults: unknown persona '{pid}'")
            elif persona.counterpart != counterpart:
                self.problem(
                    line_of(raw, counterpart),
                    f"defaults: persona '{pid}' plays {persona.counterpart}, not {counterpart}",
                )
            else:
                result[counterpart] = pid
        return result

    # -- scorecard.yaml --

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
            self.problem(line, f"{label}unknown note kind '{kind}' (known: {_names(self.notes)})")

    def read_item(self, entry: Any, seen: dict[str, int]) -> ItemSpec | None:
        if not isinstance(entry, LineDict):
            self.problem(line_of(entry), "items: each item must be a mapping")
            return None
        item_id = entry.get("id")
        if not isinstance(item_id, str) or not _KEBAB.match(item_id):
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
            self.problem(line_of(entry, "check"), f"{label}unknown check '{check}' (known: {_names(CHECKS)})")
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
            self.problem(line_of(raw, key), f"{label}unknown condition '{key}' (known: {_names(CONDITIONS)})")
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
                self.problem(where, f"{label}unknown meaning '{value}' (known: {_names(MEANINGS)})")
                return None
            return Condition(kind, value, (), why)
        # offer, real_offer
        if value is not True:
            self.problem(where, f"{label}'{kind}' must be true")
            return None
        return Condition(kind, True, (), why)


def _playbook_names(folder: Path) -> tuple[tuple[str, ...], set[str] | None, set[str] | None]:
    """Counterparts, note kinds and fact names declared in the playbook files beside the folder.

    None for what no file there declares (a test fixture folder), so it is not checked.
    """
    from coach.dialogue import counterparts as declared

    counterparts: tuple[str, ...] = declared.keys()  # the shipped ones, unless the folder declares its own
    notes: set[str] | None = None
    facts: set[str] | None = None
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    for path in files:
        try:
            document = load_yaml(path)
        except YamlProblem:
            continue  # the playbook checker reports that file's own problems
        if not isinstance(document, LineDict):
            continue
        block = document.get("playbook")
        if isinstance(block, LineDict):
            if isinstance(block.get("counterparts"), LineList) and block["counterparts"]:
                counterparts = tuple(str(c) for c in block["counterparts"])
            if isinstance(block.get("notes"), LineDict):
                notes = set(block["notes"])
        if isinstance(document.get("counterparts"), LineDict) and document["counterparts"]:
            counterparts = tuple(str(c) for c in document["counterparts"])  # counterparts.yaml
        if isinstance(document.get("facts"), LineDict) and "stage" not in document:
            facts = (facts or set()) | set(document["facts"])
            if isinstance(document.get("derived"), LineDict):
                facts |= set(document["derived"])
    return counterparts, notes, facts


def _known_intents() -> frozenset[str]:
    try:
        from coach.hearing.patterns import INTENTS
    except ImportError:  # hearing is not part of this build: intents are not checked
        return frozenset()
    try:
        from coach.hearing.patterns import load_intents

        return frozenset(INTENTS) | frozenset(load_intents().intents)  # with the extra intents files
    except CoachError:  # a broken intents file: coach check reports it there
        return frozenset(INTENTS)


def check_rehearse(folder: Path, problems: Problems) -> None:
    """Every problem in ``personas.yaml``, ``scorecard.yaml`` and ``understand.yaml`` added to ``problems``,
    by file and line."""
    reader = _Reader(Path(folder))
    reader.personas()
    reader.scorecard()
    understand_file = Path(folder) / "understand.yaml"
    if understand_file.is_file():
        from coach.rehearsal.understand import check_understand

        check_understand(understand_file, reader.problems)
    problems.extend(sorted(reader.problems, key=_file_and_line))


def validate_rehearse(folder: Path) -> list[str]:
    """Every problem in the rehearsal files as ``path:line: message``, by file and line (see check_rehearse)."""
    problems = Problems()
    check_rehearse(folder, problems)
    return [str(p) for p in problems]


def _file_and_line(problem: Problem) -> tuple[str, int]:
    return problem.path, problem.line


def _folder_of(path: Path | None) -> Path:
    if path is None:
        return rehearse_dir()
    path = Path(path)
    return path.parent if path.suffix in (".yaml", ".yml") else path


def _stamp(folder: Path, name: str) -> int:
    try:
        return (folder / name).stat().st_mtime_ns
    except OSError:
        return 0


@lru_cache(maxsize=8)
def _load_personas(folder: Path, stamp: int) -> Personas:
    reader = _Reader(folder, cross_check=False)
    personas = reader.personas()
    if personas is None:
        raise CoachError(_first(reader.problems))
    return personas


@lru_cache(maxsize=8)
def _load_scorecard(folder: Path, stamp: int) -> ScorecardSpec:
    reader = _Reader(folder, cross_check=False)
    spec = reader.scorecard()
    if spec is None:
        raise CoachError(_first(reader.problems))
    return spec


def _first(problems: Problems) -> str:
    more = len(problems) - 1
    first = min(problems, key=_file_and_line)
    return str(first) + (f" (and {more} more; run coach check)" if more > 0 else "")


def load_personas(path: Path | None = None) -> Personas:
    """personas.yaml (a file, or the folder holding it; default the shipped one), checked.

    Raises CoachError naming the first problem as ``path:line: message``.
    """
    folder = _folder_of(path)
    return _load_personas(folder, _stamp(folder, PERSONAS_FILE))


def load_scorecard(path: Path | None = None) -> ScorecardSpec:
    """scorecard.yaml (a file, or the folder holding it), checked; CoachError on a problem."""
    folder = _folder_of(path)
    return _load_scorecard(folder, _stamp(folder, SCORECARD_FILE))

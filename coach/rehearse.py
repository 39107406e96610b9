"""The rehearsal partner and the scorecard.

The partner plays the billing office, the practice or the collector. A front end
calls :meth:`Partner.respond` right after each thing the user does; the partner
reads the Session's new events (the node just left, an offer noted or implied by
a phrase) and answers with a line from its persona's bank in
``dialogues/rehearse/personas.yaml``. It pushes back on each situation as often
as the difficulty says, then gives way. Difficulty changes tone and persistence,
never the facts.

Every number it names comes from a deterministic offer engine: it asks
``opening_ask`` × the balance, gives ground each time the user's offer is below
its ask, reaches its ``floor`` (a fraction of the balance set per persona, the
same at every difficulty) after ``rounds`` counters, never goes below it, and
accepts any offer at or above its current ask. A payment plan works the same way
in months. All chance (which line, which lead-in, the size of each concession,
the rep's ID) comes from one ``random.Random(seed)``, so the same seed and the
same steps give the same call.

:func:`score` reads a call's events against ``dialogues/rehearse/scorecard.yaml``
and gives each item a pass, a miss or "does not apply", with a one-line why.
:func:`validate_rehearse` checks both files for ``coach check``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import TemplateSyntaxError

from coach import render
from coach.errors import CoachError
from coach.events import Event
from coach.money import format_money, to_cents
from coach.paths import dialogues_dir
from coach.yamlload import LineDict, LineList, YamlProblem, line_of, load_yaml

if TYPE_CHECKING:
    from coach.engine import Session

DIFFICULTIES = ("easy", "normal", "tough")
DEFAULT_COUNTERPARTS = ("hospital", "doctor", "collections")
LUMP = "lump_sum_offer"
PLAN = "payment_plan_request"
ENGINE_SITUATIONS = (LUMP, PLAN)
GENERIC = "generic"
UNCLEAR = "unclear"  # a user line with nothing the partner can answer
ALREADY = "already"  # the user asks again for what the partner already gave
BUILT_IN = (GENERIC, *ENGINE_SITUATIONS, UNCLEAR, ALREADY)
ONCE = ("opening", "closing")  # it introduces itself and signs off once, however often the user passes by
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
    collector that never agrees to pay-for-delete).
    """

    tone: str
    pushes: int
    rounds: int
    holds: tuple[str, ...] = ()


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
LEVEL_KEYS = {"tone", "pushes", "rounds", "holds"}
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
    """Reads one folder's rehearsal files, collecting every problem as ``path:line: message``."""

    def __init__(self, folder: Path, cross_check: bool = True) -> None:
        self.folder = folder
        self.problems: list[str] = []
        self.path = ""
        self.counterparts, notes, facts = _playbook_names(folder.parent)
        # Names owned by other files (facts, note kinds, hearing's intents) are checked by
        # `coach check` only, so another file's change never stops a rehearsal from loading.
        self.notes, self.facts = (notes, facts) if cross_check else (None, None)
        self.intents = _known_intents() if cross_check else frozenset()

    def problem(self, line: int, message: str) -> None:
        self.problems.append(f"{self.path}:{line}: {message}")

    def load(self, name: str) -> LineDict | None:
        path = self.folder / name
        self.path = str(path)
        if not path.is_file():
            self.problem(1, f"missing file {name}")
            return None
        try:
            data = load_yaml(path)
        except YamlProblem as error:
            self.problems.append(str(error.problem))
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
        from coach.derive import DERIVED

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
            for key, low in (("pushes", 0), ("rounds", 1)):
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
            result[level] = Level(str(tone), counts[0], counts[1], tuple(str(h) for h in holds))
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
    counterparts: tuple[str, ...] = DEFAULT_COUNTERPARTS
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
        if isinstance(document.get("facts"), LineDict) and "stage" not in document:
            facts = (facts or set()) | set(document["facts"])
            if isinstance(document.get("derived"), LineDict):
                facts |= set(document["derived"])
    return counterparts, notes, facts


def _known_intents() -> frozenset[str]:
    try:
        from coach.intents import INTENTS
    except ImportError:  # hearing is not part of this build: intents are not checked
        return frozenset()
    return frozenset(INTENTS)


def validate_rehearse(folder: Path) -> list[str]:
    """Every problem in ``personas.yaml``, ``scorecard.yaml`` and ``understand.yaml``, as ``path:line: message``."""
    reader = _Reader(Path(folder))
    reader.personas()
    reader.scorecard()
    understand_file = Path(folder) / "understand.yaml"
    if understand_file.is_file():
        from coach.rehearsal.understand import validate_understand

        reader.problems += validate_understand(understand_file)
    return sorted(reader.problems, key=_file_and_line)


def _file_and_line(problem: str) -> tuple[str, int]:
    path, _, rest = problem.partition(".yaml:")
    number = rest.partition(":")[0]
    return path, int(number) if number.isdigit() else 0


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


def _first(problems: list[str]) -> str:
    more = len(problems) - 1
    first = min(problems, key=_file_and_line)
    return first + (f" (and {more} more; run coach check)" if more > 0 else "")


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


# -- reading a call's events (shared by the partner and the scorecard) ----------


@dataclass(frozen=True)
class Offer:
    """An amount the user put forward: ``monthly`` for a payment plan, else a lump sum."""

    seq: int
    amount: Decimal
    monthly: bool
    node: str
    implied: bool = False


@dataclass
class CallRecord:
    """What a call's events say happened, with undone steps left out."""

    mode: str = "live"
    path: list[str] = field(default_factory=list)
    spoken: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    choices: list[str] = field(default_factory=list)
    steps: list[Event] = field(default_factory=list)
    notes: list[Event] = field(default_factory=list)
    heard: list[Event] = field(default_factory=list)
    typed: list[Event] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    asked: set[str] = field(default_factory=set)  # what the user's own lines asked for (understand.yaml)


def read_call(
    events: Sequence[Event], personas: Personas, facts: Mapping[str, Any], counterpart: str
) -> CallRecord:
    """The path, phrases, choices, notes, heard lines and offers of a call.

    A step or fact change that was later undone does not count; notes and heard
    lines stay (they were said). In a rehearsal, a line the user typed (heard, but
    not by the partner) is the user's own words.
    """
    record = CallRecord()
    undone: list[tuple[int, int]] = []
    for event in events:
        if event.kind == "undo":
            undone.append((int(event.data.get("undone_after", event.seq)), event.seq))
        elif event.kind == "start":
            record.mode = str(event.data.get("mode", "live"))

    def counts(event: Event) -> bool:
        return not any(low < event.seq < high for low, high in undone)

    arrived: dict[str, int] = {}
    offered_at: dict[str, int] = {}  # node -> seq of the last /offer typed there
    for event in events:
        if event.kind == "shown" and counts(event):
            record.path.append(event.node)
            if event.text:
                record.spoken.append(event.node)
                record.phrases.append(event.text)
        elif event.kind == "step" and counts(event):
            source, target = str(event.data.get("from", event.node)), str(event.data.get("to", ""))
            record.steps.append(event)
            record.choices.append(f"{source}:{event.data.get('choice', '')}")
            implied = _implied_offer(event, source, personas, facts, counterpart)
            if implied is not None and offered_at.get(source, -1) <= arrived.get(source, 0):
                record.offers.append(implied)
            arrived[target] = event.seq
        elif event.kind == "note":
            record.notes.append(event)
            if _users_money(event, record.mode):
                monthly = bool(event.data.get("monthly")) or personas.situation_of(event.node) == PLAN
                record.offers.append(
                    Offer(event.seq, Decimal(str(event.data["amount"])), monthly, event.node)
                )
                offered_at[event.node] = event.seq
        elif is_user_line(event, record.mode):
            record.typed.append(event)
            meanings, offer = _offer_in_words(event.text, facts, counterpart, event.seq, event.node)
            record.asked |= set(meanings)
            if offer is None and "accept" in meanings:
                offer = _their_number(record.heard, event)  # "deal": they take the partner's number
            if offer is not None:
                record.offers.append(offer)
                offered_at[event.node] = event.seq
        elif event.kind == "heard":
            record.heard.append(event)
    record.offers.sort(key=lambda offer: offer.seq)
    return record


def is_user_line(event: Event, mode: str) -> bool:
    """Words the user said: a ``said`` event, or (calls recorded before ``said`` existed) a
    rehearsal line heard but not from the partner."""
    if event.kind == "said":
        return True
    return event.kind == "heard" and mode == "rehearse" and event.data.get("by") != "partner"


def _users_money(event: Event, mode: str) -> bool:
    """A money note that records the user's own offer: /counter, and in a rehearsal /offer too
    (there the partner records its own offers; a user typing /offer means their number)."""
    kind, by = event.data.get("kind"), event.data.get("by")
    if kind not in ("offer", "counter") or not event.data.get("amount"):
        return False
    return by == "user" or mode == "rehearse" or by is None


def _offer_in_words(
    text: str, facts: Mapping[str, Any], counterpart: str, seq: int, node: str
) -> tuple[tuple[str, ...], Offer | None]:
    """What a user's own line means, and the offer it makes if any (coach.rehearsal.understand)."""
    from coach.rehearsal.understand import understand

    balance = facts.get("balance")
    heard = understand(text, counterpart, balance if isinstance(balance, Decimal) else None)
    if heard.monthly is not None:
        return heard.meanings, Offer(seq, heard.monthly, True, node)
    if heard.amount is not None:
        return heard.meanings, Offer(seq, heard.amount, False, node)
    return heard.meanings, None


def _their_number(heard: Sequence[Event], said: Event) -> Offer | None:
    """The amount the other side named last before ``said``: saying yes to it offers it."""
    for event in reversed(heard):
        monthly, amount = event.data.get("monthly"), event.data.get("amount")
        if monthly or amount:
            return Offer(said.seq, Decimal(str(monthly or amount)), bool(monthly), said.node)
    return None


def _implied_offer(
    step: Event, source: str, personas: Personas, facts: Mapping[str, Any], counterpart: str
) -> Offer | None:
    for rule in personas.offers:
        if rule.pattern.search(source):
            value = _value_of(rule.name, facts, counterpart)
            if value is None:
                return None
            return Offer(step.seq, value, rule.monthly, source, implied=True)
    return None


def _value_of(name: str, facts: Mapping[str, Any], counterpart: str) -> Decimal | None:
    from coach.derive import DERIVED

    value = DERIVED[name](facts, counterpart) if name in DERIVED else facts.get(name)
    return value if isinstance(value, Decimal) and value > 0 else None


# -- the partner ----------------------------------------------------------------


@dataclass(frozen=True)
class PartnerLine:
    """What the other side says.

    ``intent`` is what the partner means, in the hearing vocabulary
    (dialogues/hear/intents.yaml); ``offer`` is any amount it names (a monthly
    amount for a plan); ``situation`` what it answered; ``accepted`` whether it
    just took the user's offer.
    """

    text: str
    intent: str
    offer: Decimal | None = None
    situation: str = GENERIC
    accepted: bool = False
    months: int | None = None
    answers: tuple[str, ...] = ()  # the user's meanings this line answers (coach.rehearsal.understand)
    also: tuple[str, ...] = ()  # intents of the other things said in the same turn

    def meaning(self) -> dict[str, Any]:
        """What the line means, as the partner knows it: the data of its ``heard`` event.

        Front ends show the coach's reply from this and never ask the user to say
        whether the partner agreed or countered.
        """
        plan = self.situation == PLAN
        data: dict[str, Any] = {
            "intent": self.intent,
            "amount": None if plan or self.offer is None else str(self.offer),
            "monthly": str(self.offer) if plan and self.offer is not None else None,
            "months": self.months if plan else None,
            "situation": self.situation,
            "accepted": self.accepted,
        }
        if self.answers:
            data["answers"] = list(self.answers)
        if self.also:
            data["also"] = list(self.also)
        return data


def _ceil_dollars(amount: Decimal) -> Decimal:
    return to_cents(amount.to_integral_value(rounding=ROUND_CEILING))


class Partner:
    """A simulated counterpart. Call :meth:`respond` after each step the user takes."""

    def __init__(
        self,
        counterpart: str,
        persona: str | None = None,
        difficulty: str = "normal",
        seed: int | None = None,
        facts: Mapping[str, Any] | None = None,
        *,
        path: Path | None = None,
    ) -> None:
        data = load_personas(path)
        if counterpart not in data.lines:
            raise CoachError(f"--counterpart: '{counterpart}' is not one of {', '.join(data.lines)}")
        mine = [p.id for p in data.for_counterpart(counterpart)]
        persona = persona or data.defaults[counterpart]
        if persona not in data.personas:
            raise CoachError(f"--persona: '{persona}' is not one of {', '.join(mine)}")
        chosen = data.personas[persona]
        if chosen.counterpart != counterpart:
            raise CoachError(
                f"--persona: '{persona}' plays {chosen.counterpart}, not {counterpart} (try: {', '.join(mine)})"
            )
        if difficulty not in DIFFICULTIES:
            raise CoachError(f"--difficulty: '{difficulty}' is not one of {', '.join(DIFFICULTIES)}")
        self.data = data
        self.counterpart = counterpart
        self.persona = persona
        self.difficulty = difficulty
        self.character = chosen
        self.level = chosen.levels[difficulty]
        self.tone = data.tones[self.level.tone]
        # With no seed, draw one (and keep it) so any rehearsal can be replayed with --seed.
        self.seed = seed if seed is not None else random.Random().randrange(1, 1_000_000)
        self.rng = random.Random(self.seed)
        self.facts: dict[str, Any] = dict(facts or {})
        self.rep_id = str(self.rng.randint(1000, 9999))
        self.reference = "".join(self.rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2))
        self.reference += "-" + str(self.rng.randint(100000, 999999))
        weights = [self.rng.randint(5, 15) for _ in range(self.level.rounds)]
        total = sum(weights)
        # How far from its first ask to its floor it has come after each counter (0 … 1).
        self.progress = tuple(Decimal(sum(weights[:k])) / total for k in range(self.level.rounds + 1))
        self.round = 0
        self.plan_round = 0
        self.agreed: Decimal | None = None
        self.agreed_plan: tuple[Decimal, int] | None = None
        self.pushes_left: dict[str, int] = {}
        self.last_pick: dict[tuple[str, str], int] = {}
        self.seen = 0
        self.standing: str | None = None  # the offer engine's situation it last named a number in
        self.spoken: set[str] = set()  # every line it has said, so it never says one twice
        self.given: set[str] = set()  # situations it has given way on

    # -- what front ends show ----------------------------------------------------

    @property
    def name(self) -> str:
        """Who the partner is, e.g. ``Morgan, collection agent``."""
        return self.character.name

    @property
    def spec(self) -> dict[str, str]:
        """The persona as a small mapping (``name``, ``counterpart``, ``persona``, ``difficulty``)."""
        return {
            "name": self.name,
            "counterpart": self.counterpart,
            "persona": self.persona,
            "difficulty": self.difficulty,
        }

    @property
    def replay(self) -> str:
        """The options that replay this rehearsal exactly."""
        return f"--counterpart {self.counterpart} --persona {self.persona} --difficulty {self.difficulty} --seed {self.seed}"

    def opening(self) -> str:
        """The partner's first words, before the user says anything."""
        text = render.render(self.character.openings[self.difficulty], self._context())
        self.spoken.add(text)
        return text

    def opening_line(self) -> PartnerLine:
        """The opening as a line with its meaning, for :meth:`speak`."""
        text = self.opening()
        return PartnerLine(text, self._hear(text), situation="opening")

    # -- the offer engine --------------------------------------------------------

    def _balance(self) -> Decimal | None:
        balance = self.facts.get("balance")
        return balance if isinstance(balance, Decimal) and balance > 0 else None

    @property
    def floor(self) -> Decimal | None:
        """The least it will take: ``floor`` × the balance (the same at every difficulty)."""
        balance = self._balance()
        return to_cents(balance * self.character.floor) if balance is not None else None

    def asks(self) -> tuple[Decimal, ...] | None:
        """Its asking amount before any counter, then after each; the last is at its floor."""
        balance, floor = self._balance(), self.floor
        if balance is None or floor is None:
            return None
        start = to_cents(balance * self.character.opening_ask)
        return tuple(max(_ceil_dollars(start - (start - floor) * p), floor) for p in self.progress)

    def current_ask(self) -> Decimal | None:
        asks = self.asks()
        return asks[min(self.round, self.level.rounds)] if asks is not None else None

    def plans(self) -> tuple[tuple[Decimal, int], ...] | None:
        """(monthly, months) it asks before any counter and after each; the last is its longest plan."""
        balance = self._balance()
        if balance is None:
            return None
        first, most = self.character.plan_months
        result = []
        for p in self.progress:
            months = first + int((Decimal(most - first) * p).to_integral_value())
            result.append((_ceil_dollars(balance / months), months))
        return tuple(result)

    def consider(self, offer: Decimal) -> PartnerLine:
        """Weigh a lump-sum offer: take it at or above the current ask, else give ground and counter."""
        bank = self.data.bank(self.character, LUMP)
        if self.agreed is not None:
            return self._agreed(bank, LUMP)
        asks, balance = self.asks(), self._balance()
        if asks is None or balance is None:
            return self._say(bank.no_amount, LUMP, "unknown")
        last = self.level.rounds
        if offer < asks[min(self.round, last)]:
            self.round = min(self.round + 1, last)
            ask = asks[self.round]
            if offer < ask:
                return self._counter(bank, LUMP, ask, "offer_lump_sum", at_floor=self.round >= last)
        self.agreed = to_cents(min(offer, balance))  # it takes the user's number, never more than is owed
        line = self._say(bank.accept, LUMP, "agreement_reached", offer=self.agreed)
        return PartnerLine(line.text, line.intent, self.agreed, LUMP, accepted=True)

    def consider_plan(self, monthly: Decimal) -> PartnerLine:
        """Weigh a monthly amount the same way, in plan lengths."""
        bank = self.data.bank(self.character, PLAN)
        balance = self._balance()
        if self.agreed_plan is not None:
            return self._agreed(bank, PLAN)
        plans = self.plans()
        if plans is None or balance is None:
            return self._say(bank.no_amount, PLAN, "unknown")
        last = self.level.rounds
        if monthly < plans[min(self.plan_round, last)][0]:
            self.plan_round = min(self.plan_round + 1, last)
            ask, months = plans[self.plan_round]
            if monthly < ask:
                return self._counter(
                    bank, PLAN, ask, "payment_plan_offer", at_floor=self.plan_round >= last, months=months
                )
        pay = to_cents(monthly)
        months = int((balance / pay).to_integral_value(rounding=ROUND_CEILING))
        self.agreed_plan = (pay, months)
        line = self._say(bank.accept, PLAN, "agreement_reached", monthly=pay, months=months)
        return PartnerLine(line.text, line.intent, pay, PLAN, accepted=True, months=months)

    def _counter(
        self, bank: Bank, situation: str, ask: Decimal, intent: str, at_floor: bool, months: int | None = None
    ) -> PartnerLine:
        self.standing = situation  # what a plain "deal" would now say yes to
        amounts: dict[str, Any] = {"ask": ask} if situation == LUMP else {"monthly": ask, "months": months}
        if at_floor:
            line = self._say(bank.final, situation, intent, **amounts)
        elif self._push_left(situation) and bank.push:
            line = self._say(bank.push, situation, intent, lead=self._lead(situation), **amounts)
        else:
            line = self._say(bank.give, situation, intent, **amounts)
        return PartnerLine(line.text, intent, ask, situation, months=months)

    def _state_terms(self, situation: str) -> PartnerLine:
        """No new number from the user: say where the partner stands."""
        bank = self.data.bank(self.character, situation)
        if situation == LUMP:
            if self.agreed is not None:
                return self._agreed(bank, situation)
            ask = self.current_ask()
            if ask is None:
                return self._say(bank.no_amount, situation, "unknown")
            return self._counter(bank, situation, ask, "offer_lump_sum", self.round >= self.level.rounds)
        if self.agreed_plan is not None:
            return self._agreed(bank, situation)
        plans = self.plans()
        if plans is None:
            return self._say(bank.no_amount, situation, "unknown")
        monthly, months = plans[self.plan_round]
        return self._counter(
            bank,
            situation,
            monthly,
            "payment_plan_offer",
            self.plan_round >= self.level.rounds,
            months=months,
        )

    def _agreed(self, bank: Bank, situation: str) -> PartnerLine:
        """A deal is already made: say so (and name it) rather than haggle again."""
        if situation == LUMP and self.agreed is not None:
            line = self._say(bank.agreed, situation, "agreement_reached", agreed=self.agreed)
            return PartnerLine(line.text, line.intent, self.agreed, situation)
        assert self.agreed_plan is not None
        pay, months = self.agreed_plan
        line = self._say(bank.agreed, situation, "agreement_reached", monthly=pay, months=months)
        return PartnerLine(line.text, line.intent, pay, situation, months=months)

    # -- talking -----------------------------------------------------------------

    def _push_left(self, situation: str) -> bool:
        """Whether it still pushes back on this situation (and count the push)."""
        left = self.pushes_left.setdefault(situation, self.level.pushes)
        if left > 0:
            self.pushes_left[situation] = left - 1
            return True
        return False

    def _lead(self, situation: str) -> str:
        repeated = self.pushes_left.get(situation, 0) < self.level.pushes - 1
        return self._pick(self.tone.repeat if repeated else self.tone.push, ("lead", situation))

    def _pick(self, options: Sequence[Any], key: tuple[str, str]) -> Any:
        """One of the options, never the same one twice running for the same key."""
        choices = [i for i in range(len(options)) if i != self.last_pick.get(key) or len(options) == 1]
        index = choices[self.rng.randrange(len(choices))]
        self.last_pick[key] = index
        return options[index]

    def _context(self, **values: Any) -> dict[str, Any]:
        facts = self.facts
        context: dict[str, Any] = {name: render.Missing(name.replace("_", " ")) for name in TEMPLATE_NAMES}
        for name in ("balance", "creditor", "original_creditor", "account_number", "state"):
            if name in facts:
                context[name] = facts[name]
        context |= {"rep_name": self.character.rep_name, "rep_id": self.rep_id, "reference": self.reference}
        ask = values.get("ask", self.current_ask())
        balance = self._balance()
        context["off"] = ""
        if ask is not None and balance is not None and ask < balance:
            context["off"] = f"{int(((1 - ask / balance) * 100).to_integral_value())}%"
        context |= {k: v for k, v in values.items() if v is not None}
        return context

    def _say(
        self, lines: Sequence[Line], situation: str, intent: str | None = None, lead: str = "", **values: Any
    ) -> PartnerLine:
        context = self._context(**values)
        fresh = [
            line
            for line in lines
            if self._with_lead(lead, render.render(line.say, context)) not in self.spoken
        ]
        line: Line = self._pick(fresh or lines, ("line", situation))
        text = self._with_lead(lead, render.render(line.say, context))
        self.spoken.add(text)
        return PartnerLine(text, line.intent or intent or self._hear(text), None, situation)

    @staticmethod
    def _with_lead(lead: str, text: str) -> str:
        return f"{lead} {text}" if lead else text

    def _hear(self, text: str) -> str:
        try:
            from coach.intents import hear
        except ImportError:  # hearing is not part of this build
            return "unknown"
        try:
            return hear(text, self.counterpart).intent
        except CoachError:
            return "unknown"

    def talk(self, situation: str) -> PartnerLine:
        """A line for a situation: pushback while it still holds out, then giving way."""
        if situation in ENGINE_SITUATIONS:
            return self._state_terms(situation)
        bank = self.data.bank(self.character, situation)
        holds = situation in self.level.holds and bool(bank.push)
        if bank.push and (self._push_left(situation) or holds):
            return self._say(bank.push, situation, lead=self._lead(situation))
        lead = "" if situation in (UNCLEAR, ALREADY) else self._pick(self.tone.give, ("lead", "give"))
        self.given.add(situation)
        return self._say(bank.give or bank.push, situation, lead=lead)

    def respond(self, session: Session) -> PartnerLine | None:
        """The other side's answer to what the user just did, or None when it has nothing to say.

        Reads the events added since the last call. The user's latest words (a
        ``said`` event) are answered point by point: each request, then any offer.
        Otherwise an offer typed as a note (/counter) gets the offer engine's
        answer, and a step answers the phrase the user said at the node just left,
        unless the partner already gave way there (it never says the same twice).
        Nothing new, or a step that said nothing to the other side: None.
        """
        events = session.events
        if len(events) <= self.seen:
            return None
        self.facts = dict(session.facts)
        last_seen, self.seen = self.seen, len(events)
        mode = str(session.mode)
        words = [e for e in events[last_seen:] if is_user_line(e, mode)]
        if words:
            return self.reply_to(words[-1].text)
        record = read_call(events, self.data, self.facts, self.counterpart)
        offers = [o for o in record.offers if o.seq > last_seen]
        if offers:
            offer = offers[-1]
            return self.consider_plan(offer.amount) if offer.monthly else self.consider(offer.amount)
        steps = [e for e in record.steps if e.seq > last_seen]
        if not steps:
            return None
        left = str(steps[-1].data.get("from", ""))
        node = session.playbook.nodes.get(left)
        if node is None or node.phrase_source(self.counterpart) is None:
            return None  # the user said nothing to the other side at that step
        if any(
            o.node == left and not o.implied
            for o in record.offers
            if o.seq > _arrival(record, left, steps[-1])
        ):
            return None  # their offer there was answered when they typed it
        situation = self.data.situation_of(left)
        if situation == SILENT or (situation not in ENGINE_SITUATIONS and situation in self.given):
            return None  # already answered in full: moving on past it says nothing new
        return self.talk(situation)

    def reply_to(self, text: str) -> PartnerLine:
        """Answer a line the user said: each request in the persona's way, then any offer.

        Several answers in one turn become one line; its intent is the offer
        engine's when money was on the table (that is what the user must answer),
        else the first request's.
        """
        from coach.rehearsal.understand import OFFER_PLAN, understand

        balance = self._balance()
        heard = understand(text, self.counterpart, balance)
        parts: list[PartnerLine] = []
        for meaning in heard.requests():
            if meaning == "accept":
                parts.append(self._take_their_number())
                continue
            situation = self.data.answers.get(meaning, GENERIC)
            if situation in self.given and situation not in self.level.holds:
                parts.append(self.talk(ALREADY))
            else:
                parts.append(self.talk(situation))
        offer = heard.offer
        if offer == OFFER_PLAN:
            parts.append(self._plan_offer(heard.monthly))
        elif offer is not None:
            parts.append(self._lump_offer(heard.amount))
        if not parts:
            parts.append(self.talk(UNCLEAR))
        money = [p for p in parts if p.situation in ENGINE_SITUATIONS]
        main = money[-1] if money else parts[0]
        others = tuple(p.intent for p in parts if p is not main)
        text_out = " ".join(p.text for p in parts)
        return PartnerLine(
            text_out,
            main.intent,
            main.offer,
            main.situation,
            main.accepted,
            main.months,
            heard.meanings,
            others,
        )

    def _lump_offer(self, amount: Decimal | None) -> PartnerLine:
        if amount is None:  # a share of a balance it does not know
            return self._say(self.data.bank(self.character, LUMP).no_amount, LUMP, "unknown")
        return self.consider(amount)

    def _plan_offer(self, monthly: Decimal | None) -> PartnerLine:
        if monthly is None:
            return self._say(self.data.bank(self.character, PLAN).no_amount, PLAN, "unknown")
        return self.consider_plan(monthly)

    def _take_their_number(self) -> PartnerLine:
        """The user said yes with no number of their own: they take the partner's standing ask."""
        plans, ask = self.plans(), self.current_ask()
        if self.standing == PLAN and self.agreed_plan is None and plans is not None:
            return self.consider_plan(plans[self.plan_round][0])
        if self.standing == LUMP and self.agreed is None and ask is not None:
            return self.consider(ask)
        if self.agreed is not None or self.agreed_plan is not None:
            return self._state_terms(LUMP if self.agreed is not None else PLAN)
        return self.talk(UNCLEAR)  # nothing was on the table to say yes to

    # -- recording ---------------------------------------------------------------

    def speak(self, session: Session, line: PartnerLine) -> Event:
        """Record the partner's line as a ``heard`` event (``by="partner"``) carrying its meaning.

        Coach's hearing still supplies the reply to show the user. When the
        Session's ``hear`` takes ``meaning=`` the partner's own intent and amounts
        are stored over the heard ones; before then the hearing agrees with them
        (tests/test_rehearse.py checks every declared line).
        """
        import inspect

        if "meaning" in inspect.signature(session.hear).parameters:
            return session.hear(line.text, by="partner", meaning=line.meaning())  # type: ignore[call-arg]
        return session.hear(line.text, by="partner")

    def answer(self, session: Session) -> Event | None:
        """:meth:`respond`, then :meth:`speak` what it said: the call core's one call per turn."""
        line = self.respond(session)
        return self.speak(session, line) if line is not None else None


def _arrival(record: CallRecord, node: str, leaving: Event) -> int:
    """The seq of the step that arrived at ``node`` before ``leaving`` (0 at the start)."""
    arrived = 0
    for step in record.steps:
        if step.seq >= leaving.seq:
            break
        if step.data.get("to") == node:
            arrived = step.seq
    return arrived


def personas_for(counterpart: str, path: Path | None = None) -> list[tuple[str, str]]:
    """(id, name) of the personas that play a counterpart, the default first."""
    data = load_personas(path)
    default = data.defaults.get(counterpart)
    found = [(p.id, p.name) for p in data.for_counterpart(counterpart)]
    return sorted(found, key=lambda pair: pair[0] != default)


# -- the scorecard -----------------------------------------------------------------


@dataclass(frozen=True)
class ScoreItem:
    id: str
    label: str
    passed: bool | None  # None: does not apply to this call
    why: str


@dataclass
class Scorecard:
    items: list[ScoreItem]
    points: int
    possible: int
    summary: str

    def as_json(self) -> dict[str, Any]:
        """For ``Session.record_score``: the numbers and every item."""
        return {
            "points": self.points,
            "possible": self.possible,
            "items": [{"id": i.id, "label": i.label, "passed": i.passed, "why": i.why} for i in self.items],
        }


_PHONE = re.compile(r"(?:\+?1[ .-]?)?\(?\b\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b")


class _Judge:
    """Answers scorecard conditions about one call."""

    def __init__(
        self,
        record: CallRecord,
        facts: Mapping[str, Any],
        spec: ScorecardSpec,
    ) -> None:
        self.record = record
        self.facts = facts
        self.intents = [str(e.data.get("intent", "")) for e in record.heard if e.data.get("intent")]
        said = list(record.phrases) + [e.text for e in record.typed]
        self.said = said
        self.notes = {str(e.data.get("kind")) for e in record.notes}
        typed = [e.text for e in record.notes if e.data.get("kind") not in spec.digits_skip]
        typed += [e.text for e in record.typed]
        account = str(facts.get("account_number") or "")
        self.typed = [self._clean(text, account) for text in typed]
        self.plausible = spec.plausible

    @staticmethod
    def _clean(text: str, account: str) -> str:
        if account:
            text = text.replace(account, " ")
        return _DATE.sub(" ", _PHONE.sub(" ", text))

    def holds(self, condition: Condition) -> bool:
        kind, value = condition.kind, condition.value
        if kind == "any":
            return any(self.holds(part) for part in condition.parts)
        if kind == "all":
            return all(self.holds(part) for part in condition.parts)
        if kind == "not":
            return not self.holds(condition.parts[0])
        if kind == "note":
            return value in self.notes
        if kind == "visited":
            return any(value.search(node) for node in self.record.path)
        if kind == "said_at":
            return any(value.search(node) for node in self.record.spoken)
        if kind == "chose":
            return any(value.search(choice) for choice in self.record.choices)
        if kind == "said":
            return any(value.search(text) for text in self.said)
        if kind == "heard":
            return any(value.fullmatch(intent) for intent in self.intents)
        if kind == "heard_text":
            return any(value.search(event.text) for event in self.record.heard)
        if kind == "fact":
            return self.facts.get(value) not in (None, "")
        if kind == "fact_below":
            name, limit = value
            known = self.facts.get(name)
            return isinstance(known, Decimal | int) and Decimal(known) < limit
        if kind == "digits":
            run = re.compile(r"\d(?:[ -]?\d){" + str(int(value) - 1) + ",}")
            return any(run.search(text) for text in self.typed)
        if kind == "asked":
            return value in self.record.asked
        if kind == "real_offer":
            return any(_implausible(o, self.facts, self.plausible) is None for o in self.record.offers)
        return bool(self.record.offers)  # offer


def score(
    events: Sequence[Event], facts: Mapping[str, Any], counterpart: str, folder: Path | None = None
) -> Scorecard:
    """Score a call from its events; every item carries a one-line why.

    ``facts`` are the facts at the end of the call (``session.facts``).
    """
    spec = load_scorecard(folder)
    personas = load_personas(folder)
    record = read_call(events, personas, facts, counterpart)
    judge = _Judge(record, facts, spec)
    items = [_score_item(item, judge, record, facts, counterpart) for item in spec.items]
    points = sum(1 for item in items if item.passed)
    possible = sum(1 for item in items if item.passed is not None)
    skipped = len(items) - possible
    summary = f"Scorecard: {points} of {possible}" + (f" ({skipped} did not apply)" if skipped else "")
    return Scorecard(items, points, possible, summary)


def _score_item(
    item: ItemSpec, judge: _Judge, record: CallRecord, facts: Mapping[str, Any], counterpart: str
) -> ScoreItem:
    def result(passed: bool | None, why: str) -> ScoreItem:
        return ScoreItem(item.id, item.label, passed, why)

    if item.applies is not None and counterpart not in item.applies:
        return result(None, item.whys.get("na_counterpart") or f"Does not apply to a {counterpart} call.")
    if item.only_if is not None and not judge.holds(item.only_if):
        return result(None, item.whys["na"])
    if item.never is not None and judge.holds(item.never):
        return result(False, item.whys["broke"])
    if item.check == "amount":
        return _amount_item(item, record, facts, counterpart, judge.plausible)
    for condition in item.need:
        if not judge.holds(condition):
            return result(False, condition.why or item.whys["fail"])
    return result(True, item.whys["pass"])


def _amount_item(
    item: ItemSpec, record: CallRecord, facts: Mapping[str, Any], counterpart: str, plausible: Plausible
) -> ScoreItem:
    def result(passed: bool | None, key: str, **values: Any) -> ScoreItem:
        return ScoreItem(item.id, item.label, passed, render.render(item.whys[key], values))

    if not record.offers:
        return result(None, "no_offer")
    last = record.offers[-1]
    unreal = _implausible(last, facts, plausible)
    if unreal is not None:
        key = "implausible_monthly" if last.monthly else "implausible"
        text = render.render(item.whys.get(key) or _UNREAL[key], unreal)
        return ScoreItem(item.id, item.label, False, text)
    if last.monthly:
        budget = facts.get("monthly_budget")
        if not isinstance(budget, Decimal):
            return result(None, "no_target")
        passed = last.amount <= budget
        return result(
            passed, "monthly_pass" if passed else "monthly_fail", monthly=last.amount, budget=budget
        )
    target = _value_of("offer_target", facts, counterpart)
    walk_away = _value_of("offer_walk_away", facts, counterpart)
    if target is None or walk_away is None:
        target = walk_away = _value_of("lump_sum_available", facts, counterpart)
    if target is None or walk_away is None:
        return result(None, "no_target")
    values = {"offer": last.amount, "target": target, "walk_away": walk_away}
    if last.amount <= target:
        return result(True, "pass", **values)
    return result(False, "over_target" if last.amount <= walk_away else "over_walk_away", **values)


_UNREAL = {
    "implausible": "Your last offer, {{ offer | money }}, is under {{ least }} of the {{ balance | money }} "
    "balance, too little to be real: check the facts it came from{{ suspect }}.",
    "implausible_monthly": "{{ monthly | money }} a month would take more than {{ months }} months to clear "
    "{{ balance | money }}: check the facts it came from{{ suspect }}.",
}
# Facts a lump sum or a monthly offer may be built from (coach.derive's ladder and plan).
_SOURCES = {
    False: {
        "lump_sum_available": "what you can pay at once",
        "cash_price": "the cash price",
        "medicare_amount": "the Medicare amount",
        "agb_amount": "the AGB amount",
    },
    True: {"monthly_budget": "your monthly budget"},
}


def _implausible(offer: Offer, facts: Mapping[str, Any], plausible: Plausible) -> dict[str, Any] | None:
    """The values for a "too little to be real" reason, or None when the offer is plausible.

    An offer of $0.60 on a $2,480 debt comes from a fact stored wrong (say $1 for
    the lump sum): it must never pass as "under your target".
    """
    balance = facts.get("balance")
    if not isinstance(balance, Decimal) or balance <= 0:
        return None
    if offer.monthly:
        ok = plausible.monthly_ok(offer.amount, balance)
        least = balance / plausible.most_months
    else:
        ok = plausible.lump_ok(offer.amount, balance)
        least = balance * plausible.least_share
    if ok:
        return None
    suspects = [
        f"{label} is {format_money(value)}"
        for name, label in _SOURCES[offer.monthly].items()
        if isinstance(value := facts.get(name), Decimal) and value < least
    ]
    share = f"{(plausible.least_share * 100).normalize():f}%"
    return {
        "offer": offer.amount,
        "monthly": offer.amount,
        "balance": balance,
        "least": share,
        "months": plausible.most_months,
        "suspect": f" ({'; '.join(suspects)})" if suspects else "",
    }


def format_scorecard(card: Scorecard) -> str:
    """Plain text for the line mode and the review: one line per item, in words."""
    marks = {True: "pass", False: "MISS", None: "n/a "}
    lines = [card.summary]
    lines += [f"  {marks[item.passed]}  {item.label}: {item.why}" for item in card.items]
    return "\n".join(lines)

"""``personas.yaml``: who the rehearsal partner plays, and its reader.

A little over 500 lines: the data and the one reader of ``personas.yaml``, checked together.

The personas (their counterpart, difficulty levels and tones, how far they give
way), which situation each step of a call is, the lines each side may say, and
which nodes mean the user offered an amount: the data as :class:`Personas`, and
:class:`PersonasReader`, which checks the file and collects every problem with its
line. Loading it checked and cached is coach.rehearsal.files's job.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from coach.dialogue.yamlload import LineDict, LineList, line_of
from coach.rehearsal.reader import KEBAB, SNAKE, RehearsalReader, listed

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


# -- reading and checking the file ----------------------------------------------

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


class PersonasReader(RehearsalReader):
    """Reads and checks personas.yaml, adding every problem to the reader's list."""

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
            elif not isinstance(situation, str) or not SNAKE.match(situation) or situation == SILENT:
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
            if not isinstance(name, str) or not SNAKE.match(name):
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
                    f"{label}unknown situation '{situation}' (add it to 'situations' or use one of {listed(declared - {SILENT})})",
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
            if not KEBAB.match(pid):
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
                self.problem(line_of(entry, "tone"), f"{where}unknown tone '{tone}' (known: {listed(tones)})")
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

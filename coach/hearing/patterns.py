"""Reading and checking ``dialogues/hear/intents*.yaml``: the patterns, replies and warnings of each intent.

A :class:`IntentBook` holds every intent as the files describe it (its patterns,
weights, priority, replies and warnings by counterpart, and their sources),
compiled and checked: ``load_intents`` reads it once per path for hearing, and
``check_intents`` adds every problem of a file, with its line, to ``coach check``'s
collector. It exists apart from the matching (coach.hearing.intents) because the
file's rules (names, slots, regexes, reply lengths, sources for law and money)
are an author's concern, not a caller's.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach.dialogue import counterparts
from coach.dialogue.playbook import check_sources
from coach.dialogue.problems import Problem, Problems, YamlProblem
from coach.dialogue.yamlload import LineDict, LineList, line_of, load_yaml
from coach.errors import CoachError
from coach.hearing.files import hear_file
from coach.hearing.needs import required_text
from coach.hearing.reading import Numbers
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
MAX_REPLY_WORDS = 40

_TOP_KEYS = {"threshold", "legal_terms", "intents", "guess_note"}
_INTENT_KEYS = {"about", "priority", "patterns", "reply", "warning", "always_warn", "source"}
_PATTERN_KEYS = {"re", "slot", "w"}
_VARIANTS = {"default", *COUNTERPARTS}


@dataclass(frozen=True)
class Pattern:
    """One cue: a regex on the tagged line, or a number having been read (``slot``).

    ``needs``: pieces of text one of which every match of ``regex`` contains (worked
    out from the regex when it is made, see :func:`required_text`); a line holding
    none of them cannot match, so the regex is not run. Empty: always run it.
    """

    weight: float
    regex: re.Pattern[str] | None = None
    slot: str | None = None
    needs: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if self.regex is not None and not self.needs:
            object.__setattr__(self, "needs", required_text(self.regex))

    def matches(self, numbers: Numbers) -> bool:
        if self.regex is not None:
            tagged = numbers.tagged
            if self.needs and not any(piece in tagged for piece in self.needs):
                return False
            return self.regex.search(tagged) is not None
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
        return sum([p.weight for p in self.patterns if p.matches(numbers)])

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

    def scores(self, numbers: Numbers) -> dict[str, float]:
        """Every intent's :meth:`Intent.score` for one line, by name, in file order.

        The same sums, added in the same order, as scoring each intent alone; but
        which needed pieces (see :attr:`Pattern.needs`) the line holds is looked up
        once for the whole book, and only the patterns one of those pieces (or
        nothing) is needed for are tried, so most regexes are never run.
        """
        plan = self._plan
        tagged = numbers.tagged
        # a piece in the line starts with one of the line's three-letter runs: only those are looked for
        starts = plan.by_start.keys() & {tagged[i : i + 3] for i in range(len(tagged) - 2)}
        tried = set(plan.always)
        for start in starts:
            for piece, indices in plan.by_start[start]:
                if piece in tagged:
                    tried.update(indices)
        for piece, indices in plan.short:
            if piece in tagged:
                tried.update(indices)
        weights: dict[str, list[float]] = {name: [] for name in self.intents}
        for index in sorted(tried):  # file order: the sums add up as Intent.score adds them
            name, pattern = plan.patterns[index]
            if pattern.regex is None:
                if getattr(numbers, str(pattern.slot)) is not None:
                    weights[name].append(pattern.weight)
            elif pattern.regex.search(tagged) is not None:
                weights[name].append(pattern.weight)
        return {name: sum(found) for name, found in weights.items()}

    @functools.cached_property
    def _plan(self) -> _Plan:
        """Where each needed piece leads (worked out once per book)."""
        patterns = tuple((name, p) for name, intent in self.intents.items() for p in intent.patterns)
        always: list[int] = []
        leads: dict[str, list[int]] = {}
        for index, (_, pattern) in enumerate(patterns):
            if pattern.regex is None or not pattern.needs:
                always.append(index)
            for piece in pattern.needs:
                leads.setdefault(piece, []).append(index)
        by_start: dict[str, list[tuple[str, tuple[int, ...]]]] = {}
        short: list[tuple[str, tuple[int, ...]]] = []
        for piece in sorted(leads):
            entry = (piece, tuple(leads[piece]))
            if len(piece) >= 3:
                by_start.setdefault(piece[:3], []).append(entry)
            else:
                short.append(entry)
        return _Plan(
            patterns, tuple(always), {key: tuple(found) for key, found in by_start.items()}, tuple(short)
        )


@dataclass(frozen=True)
class _Plan:
    """An IntentBook's patterns in file order, and which of them each needed piece leads to."""

    patterns: tuple[tuple[str, Pattern], ...]  # (intent name, pattern), every intent's in file order
    always: tuple[int, ...]  # slots, and regexes that need no piece: always tried
    by_start: Mapping[str, tuple[tuple[str, tuple[int, ...]], ...]]  # first three letters → (piece, indices)
    short: tuple[tuple[str, tuple[int, ...]], ...]  # pieces under three letters, with their indices


def intents_path() -> Path:
    """The shipped intents file."""
    return dialogues_dir() / "hear" / "intents.yaml"


def load_intents(path: Path | None = None) -> IntentBook:
    """The compiled intents file, read once per path; a broken file is a CoachError."""
    return _load_cached(str(Path(path)) if path is not None else hear_file(dialogues_dir, "intents.yaml"))


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
                    line,
                    f"unknown intent '{name}' (the names coach knows are INTENTS in coach/hearing/patterns.py)",
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

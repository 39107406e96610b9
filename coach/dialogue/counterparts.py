"""Who can be on the other side of a call, read once from ``dialogues/counterparts.yaml``.

Front ends never spell a counterpart out: menus, ``--counterpart`` options, the
plan's "who to call" and the hearing's aliases all come from here, so adding a
counterpart (the insurer) touches YAML and templates, not Python. Rules that
differ by counterpart ask for a *trait* (``has(c, "debt-collector")``) instead
of comparing names. ``parse`` is the one reader: the playbook loader calls it
for ``coach check`` (every problem with its line), the cached ``load`` for the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from coach.dialogue.problems import Problem, Problems, YamlProblem
from coach.dialogue.yamlload import LineDict, LineList, line_of, load_yaml
from coach.errors import CoachError
from coach.paths import dialogues_dir

FILE = "counterparts.yaml"
TRAITS = ("debt-collector", "charity-care", "negotiates-balance", "claims")
KEYS = {"name", "the", "aliases", "traits", "facts", "inferred_from"}


@dataclass(frozen=True)
class Counterpart:
    """One counterpart as declared: its key, how it is shown, its aliases, traits and facts."""

    key: str
    name: str  # "a hospital billing office"
    the: str  # "the hospital billing office"
    aliases: tuple[str, ...] = ()
    traits: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    inferred_from: tuple[str, ...] = ()  # facts that, when known, mean this is who is on the line

    @property
    def title(self) -> str:
        """The name as a menu line starts it: "A hospital billing office"."""
        return self.name[:1].upper() + self.name[1:]


def parse(raw: Any, report: Callable[[int, str], None]) -> dict[str, Counterpart]:
    """The ``counterparts:`` mapping; every author mistake passed to ``report(line, message)``."""
    if not isinstance(raw, LineDict) or not raw:
        report(line_of(raw), "'counterparts' must be a mapping of key: {name, the, traits, ...}")
        return {}
    found: dict[str, Counterpart] = {}
    for key, spec in raw.items():
        line = line_of(raw, key)
        label = f"counterpart '{key}'"
        if not isinstance(spec, LineDict):
            report(line, f"{label}: expected a mapping with 'name' and 'the'")
            continue
        for extra in spec:
            if extra not in KEYS:
                report(
                    line_of(spec, extra),
                    f"{label}: unknown key '{extra}' (allowed: {', '.join(sorted(KEYS))})",
                )
        texts = {k: spec.get(k) for k in ("name", "the")}
        for k, value in texts.items():
            if not isinstance(value, str) or not value.strip():
                report(line_of(spec, k) if k in spec else line, f"{label}: '{k}' must be non-empty text")
        lists: dict[str, tuple[str, ...]] = {}
        for k in ("aliases", "traits", "facts", "inferred_from"):
            value = spec.get(k, [])
            if not isinstance(value, LineList | list) or not all(isinstance(v, str) for v in value):
                report(line_of(spec, k), f"{label}: '{k}' must be a list of names")
                value = []
            lists[k] = tuple(value)
        for trait in lists["traits"]:
            if trait not in TRAITS:
                report(
                    line_of(spec, "traits"), f"{label}: unknown trait '{trait}' (known: {', '.join(TRAITS)})"
                )
        found[key] = Counterpart(
            key=key,
            name=str(texts["name"] or key).strip(),
            the=str(texts["the"] or key).strip(),
            aliases=lists["aliases"],
            traits=tuple(t for t in lists["traits"] if t in TRAITS),
            facts=lists["facts"],
            inferred_from=lists["inferred_from"],
        )
    return found


@lru_cache(maxsize=4)
def load(folder: Path | None = None) -> dict[str, Counterpart]:
    """The declared counterparts, in file order; CoachError with path:line on a broken file."""
    path = (folder or dialogues_dir()) / FILE
    try:
        document = load_yaml(path)
    except YamlProblem as error:
        raise CoachError(str(error.problem)) from None
    problems = Problems()
    raw = document.get("counterparts") if isinstance(document, LineDict) else None
    found = parse(raw, lambda line, message: problems.append(Problem(str(path), line, message)))
    if problems or not found:
        first = problems.items[0] if problems else Problem(str(path), 1, "no counterparts")
        raise CoachError(f"{first} (run 'coach check')")
    return found


def keys() -> tuple[str, ...]:
    """Every counterpart key, in the order the file declares them (the first is the default)."""
    return tuple(load())


def default() -> str:
    """Who is on the line when nothing says otherwise: the first declared."""
    return keys()[0]


def get(key: str | None) -> Counterpart:
    """The counterpart ``key`` (the default one for None or an unknown key)."""
    declared = load()
    return declared.get(key or "", declared[default()])


def name(key: str | None) -> str:
    return get(key).name


def has(key: str | None, trait: str) -> bool:
    """Whether rules marked ``trait`` apply to this counterpart (False for an unknown one)."""
    assert trait in TRAITS, trait
    declared = load()
    return key in declared and trait in declared[str(key)].traits


def infer(facts: Mapping[str, Any]) -> str:
    """Who is on the line when nobody said: the first whose ``inferred_from`` facts are known, else the default."""
    for key, counterpart in load().items():
        if any(facts.get(fact) not in (None, "") for fact in counterpart.inferred_from):
            return key
    return default()


def lacks(key: str | None, trait: str) -> bool:
    """A declared counterpart without ``trait`` (False for an unknown one, which keeps the general rules)."""
    assert trait in TRAITS, trait
    declared = load()
    return key in declared and trait not in declared[str(key)].traits


def with_trait(trait: str) -> tuple[str, ...]:
    return tuple(key for key, c in load().items() if trait in c.traits)


def resolve(text: str | None) -> str | None:
    """A typed counterpart ("agency", "Insurer") as its key, or None if it names none."""
    if not text:
        return None
    word = str(text).strip().lower()
    for key, counterpart in load().items():
        if word == key or word in counterpart.aliases:
            return key
    return None


class _Choices:
    """The keys for argparse ``choices=``, read only when argparse looks (so a broken
    counterparts.yaml never stops ``coach check`` from starting to report it)."""

    def _keys(self) -> tuple[str, ...]:
        try:
            return keys()
        except CoachError:
            return ()

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys())

    def __contains__(self, value: object) -> bool:
        return value in self._keys()

    def __len__(self) -> int:
        return len(self._keys())


CHOICES = _Choices()

"""The playbook: what coach knows, loaded from ``dialogues/*.yaml`` and checked.

Longer than most modules on purpose: the reader is one object that knows what has been declared
and where, and every check needs that; the schema and fact values live in their own modules.

``load_playbook`` reads every file, builds plain dataclasses and collects
*every* problem at once (``path:line: message``), the way ``coach check``
prints them. A playbook with problems is never handed to a Session.

File shapes (any file may hold any of these top-level keys):

- ``playbook:`` (exactly one file) stages in order, start node, counterparts,
  note kinds, and the words that mark a legal or money claim;
- ``facts:`` / ``derived:`` declared facts and values computed from them;
- ``stage:`` + ``nodes:`` the nodes of one stage (``title:`` optional).

See ``docs/dialogue-schema.md`` for every key.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import re
from collections import deque
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from decimal import Decimal
from pathlib import Path
from typing import Any

from coach.dialogue import render
from coach.dialogue.facts import parse_fact
from coach.dialogue.problems import Problem, YamlProblem
from coach.dialogue.schema import (
    BRANCH_KEYS,
    CHOICE_KEYS,
    DEFAULT_VARIANT,
    DERIVED_KEYS,
    FACT_KEYS,
    FACT_TYPES,
    META_KEYS,
    NODE_KEYS,
    NOTE_FIELDS,
    NOTE_KEYS,
    RESERVED_NAMES,
    TOP_KEYS,
    Branch,
    Choice,
    FactSpec,
    Node,
    NoteKind,
    Playbook,
    PlaybookProblems,
)
from coach.dialogue.yamlload import LineDict, LineList, line_of, load_yaml

ID_RULE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
FACT_NAME_RULE = re.compile(r"^[a-z][a-z0-9_]*$")
SOURCE_DATE = re.compile(r"checked (\d{4}-\d{2}-\d{2})")


def playbook_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into their top-level ``*.yaml`` files, sorted; files stay as given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file()))
        else:
            found.append(path)
    return found


def load_playbook(paths: Iterable[Path]) -> Playbook:
    """Load and validate; raises PlaybookProblems listing every problem."""
    playbook, problems = check_playbook(paths)
    if problems or playbook is None:
        raise PlaybookProblems(problems or [Problem("dialogues", 1, "no playbook found")])
    return playbook


def check_playbook(paths: Iterable[Path]) -> tuple[Playbook | None, list[Problem]]:
    """Load and validate, returning the playbook (if buildable) and every problem found."""
    return _Builder().build(playbook_files(paths))


def read_playbook(paths: Iterable[Path]) -> Playbook:
    """Load for reading its labels, titles and fact declarations (review, export): the structure is
    checked as load_playbook does, but not the Jinja2 in its texts nor its graph, which a reader of
    those never runs. Raises PlaybookProblems as load_playbook does."""
    playbook, problems = _Builder(validate=False).build(playbook_files(paths))
    if problems or playbook is None:
        raise PlaybookProblems(problems or [Problem("dialogues", 1, "no playbook found")])
    return playbook


class LegalTerms:
    r"""The legal_terms patterns as one regex (``re.IGNORECASE``), with a prefilter that finds the same matches.

    Most texts contain none of the terms, and the regex engine would try every one of them at every
    position (they mostly start with ``\b``, which it cannot skip ahead to). Each term's longest run of
    literal ASCII characters at its top level (``\bFDCPA\b`` → ``fdcpa``, ``\b\d+ days\b`` → `` days``)
    is in every text it matches, case aside; so an ASCII text that holds none of the runs, lowercased,
    cannot match, and is answered without the regex. Any other text — not ASCII (``ſ`` matches ``s``
    when case is ignored), or holding a run — is searched as before, and a term with no such run turns
    the prefilter off."""

    def __init__(self, terms: list[str]) -> None:
        self.pattern = re.compile("|".join(f"(?:{term})" for term in terms), re.IGNORECASE)
        runs = [_required_run(term) for term in terms]
        self.runs: tuple[str, ...] | None = tuple(runs) if all(runs) else None  # type: ignore[arg-type]

    def search(self, text: str) -> re.Match[str] | None:
        runs = self.runs
        if runs is not None and text.isascii():
            lowered = text.lower()
            for run in runs:
                if run in lowered:
                    break
            else:
                return None
        return self.pattern.search(text)


def _required_run(term: str) -> str | None:
    """The longest run of ASCII literal characters at the top level of a regex, lowercased (every match
    of the term holds it, case aside), or None when there is none or the term cannot be read."""
    try:
        import importlib

        parser = importlib.import_module("re._parser")  # the regex compiler's own parser (CPython 3.11+)
        parsed = parser.parse(term, re.IGNORECASE)
        literal = importlib.import_module("re._constants").LITERAL
        best = run = ""
        for op, argument in parsed:
            if op is literal and argument < 128:
                run += chr(argument).lower()
                if len(run) > len(best):
                    best = run
            else:
                run = ""
        return best or None
    except Exception:  # a private module: without it (or should it change), no prefilter, the regex alone
        return None


class _Builder:
    """Collects problems while turning YAML documents into a Playbook."""

    def __init__(self, validate: bool = True) -> None:
        self.validate = validate  # False: skip the template and graph checks (read_playbook)
        self.problems: list[Problem] = []
        self.meta: LineDict | None = None
        self.meta_path = ""
        self.facts: dict[str, FactSpec] = {}
        self.derived: dict[str, str] = {}
        self._known: tuple[tuple[int, int], set[str]] | None = None  # known_names(), for these sizes
        self.nodes: dict[str, Node] = {}
        self.stage_titles: dict[str, str] = {}
        self.raw_nodes: list[tuple[str, str, LineDict]] = []  # (path, stage, node mapping)
        self.legal_terms: LegalTerms | None = None
        self.stage_lines: list[tuple[str, str, int]] = []
        self.unreadable = False  # a file failed to parse: links into it would only echo that
        self.raw_guards: list[tuple[str, Any]] = []  # (path, the 'guards:' mapping): see coach.guards
        self.declared: dict[str, Any] | None = None  # counterparts.yaml, read by coach.counterparts.parse
        self.declared_at: tuple[str, int] = ("", 1)

    def problem(self, path: str, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, message))

    # -- reading files -------------------------------------------------

    def build(self, files: list[Path]) -> tuple[Playbook | None, list[Problem]]:
        if not files:
            return None, [Problem("dialogues", 1, "no dialogue files found")]
        shown_files = [str(path) for path in files]
        # Nearly everything made here lives on in the playbook: the cyclic garbage collector would only walk
        # the growing heap again and again (a sixth of a large check). Paused for the build; what little
        # cyclic garbage it leaves is collected once it runs again.
        collecting = gc.isenabled()
        gc.disable()
        try:
            for path, shown in zip(files, shown_files, strict=True):
                self.read_file(path, shown)
            playbook = self.assemble(shown_files)
        finally:
            if collecting:
                gc.enable()
        self.problems.sort(key=lambda p: (p.path, p.line, p.message))
        return playbook, self.problems

    def read_file(self, path: Path, shown: str) -> None:
        try:
            document = load_yaml(path, shown)
        except YamlProblem as error:
            self.problems.append(error.problem)
            self.unreadable = True
            return
        if document is None:
            self.problem(shown, 1, "empty file: expected 'playbook:', 'facts:' or 'stage:' with 'nodes:'")
            return
        if not isinstance(document, LineDict):
            self.problem(shown, line_of(document), "expected a mapping at the top of the file")
            return
        for key in document:
            if key not in TOP_KEYS:
                self.problem(
                    shown, line_of(document, key), f"unknown key '{key}' (expected one of {_names(TOP_KEYS)})"
                )
        if "playbook" in document:
            if self.meta is not None:
                self.problem(
                    shown,
                    line_of(document, "playbook"),
                    f"second 'playbook:' block (first in {self.meta_path})",
                )
            elif isinstance(document["playbook"], LineDict):
                self.meta, self.meta_path = document["playbook"], shown
            else:
                self.problem(shown, line_of(document, "playbook"), "'playbook' must be a mapping")
        if "facts" in document:
            self.read_facts(shown, document)
        if "derived" in document:
            self.read_derived(shown, document)
        if "nodes" in document or "stage" in document:
            self.read_stage(shown, document)
        if "guards" in document:
            self.raw_guards.append((shown, document["guards"]))
        if "counterparts" in document:
            from coach.dialogue.counterparts import parse

            self.declared_at = (shown, line_of(document, "counterparts"))
            self.declared = parse(
                document["counterparts"], lambda line, message: self.problem(shown, line, message)
            )

    def read_facts(self, path: str, document: LineDict) -> None:
        facts = document["facts"]
        if not isinstance(facts, LineDict):
            self.problem(path, line_of(document, "facts"), "'facts' must be a mapping of name: declaration")
            return
        for name, spec in facts.items():
            line = line_of(facts, name)
            if not FACT_NAME_RULE.match(name) or name in RESERVED_NAMES:
                self.problem(
                    path,
                    line,
                    f"fact name '{name}' must be snake_case and not one of {_names(RESERVED_NAMES)}",
                )
                continue
            if name in self.facts or name in self.derived:
                self.problem(path, line, f"fact '{name}' declared twice")
                continue
            if not isinstance(spec, LineDict):
                self.problem(path, line, f"fact '{name}' must be a mapping with 'type' and 'prompt'")
                continue
            self.unknown_keys(path, spec, FACT_KEYS, f"fact '{name}'")
            kind = spec.get("type")
            if kind not in FACT_TYPES:
                self.problem(
                    path, line_of(spec, "type"), f"fact '{name}': type must be one of {', '.join(FACT_TYPES)}"
                )
                continue
            prompt = spec.get("prompt")
            if not isinstance(prompt, str) or not prompt.strip():
                self.problem(path, line_of(spec, "prompt"), f"fact '{name}': missing 'prompt'")
                continue
            options: tuple[str, ...] = ()
            if kind == "choice":
                raw = spec.get("options")
                if not isinstance(raw, LineList) or not raw or not all(isinstance(o, str) for o in raw):
                    self.problem(
                        path,
                        line_of(spec, "options"),
                        f"fact '{name}': a choice needs 'options', a list of words",
                    )
                    continue
                options = tuple(raw)
            elif "options" in spec:
                self.problem(
                    path, line_of(spec, "options"), f"fact '{name}': 'options' only apply to type choice"
                )
            required = spec.get("required", False)
            if not isinstance(required, bool):
                self.problem(
                    path, line_of(spec, "required"), f"fact '{name}': 'required' must be true or false"
                )
                required = False
            bounds: dict[str, Decimal | None] = {}
            for key in ("min", "max"):
                raw_bound = spec.get(key)
                if raw_bound is None:
                    bounds[key] = None
                elif isinstance(raw_bound, int | float) and not isinstance(raw_bound, bool):
                    bounds[key] = Decimal(str(raw_bound))
                else:
                    self.problem(path, line_of(spec, key), f"fact '{name}': '{key}' must be a number")
                    bounds[key] = None
            self.facts[name] = FactSpec(
                name,
                kind,
                prompt.strip(),
                required,
                options,
                str(spec.get("help", "")).strip(),
                bounds["min"],
                bounds["max"],
            )

    def read_derived(self, path: str, document: LineDict) -> None:
        from coach.money.derive import DERIVED

        derived = document["derived"]
        if not isinstance(derived, LineDict):
            self.problem(
                path, line_of(document, "derived"), "'derived' must be a mapping of name: declaration"
            )
            return
        for name, spec in derived.items():
            line = line_of(derived, name)
            if name in self.facts or name in self.derived:
                self.problem(path, line, f"derived value '{name}' declared twice")
                continue
            if not isinstance(spec, LineDict) or not isinstance(spec.get("about"), str):
                self.problem(path, line, f"derived value '{name}' needs 'about', one line saying what it is")
                continue
            self.unknown_keys(path, spec, DERIVED_KEYS, f"derived value '{name}'")
            if name not in DERIVED:
                self.problem(
                    path, line, f"derived value '{name}' is not computed by coach (known: {_names(DERIVED)})"
                )
                continue
            self.derived[name] = spec["about"]

    def read_stage(self, path: str, document: LineDict) -> None:
        stage = document.get("stage")
        if not isinstance(stage, str):
            self.problem(path, line_of(document, "stage"), "a file with 'nodes' needs 'stage: NAME'")
            return
        self.stage_lines.append((path, stage, line_of(document, "stage")))
        if isinstance(document.get("title"), str):
            self.stage_titles.setdefault(stage, document["title"])
        nodes = document.get("nodes")
        if not isinstance(nodes, LineList):
            self.problem(
                path, line_of(document, "nodes" if "nodes" in document else "stage"), "'nodes' must be a list"
            )
            return
        for raw in nodes:
            if not isinstance(raw, LineDict):
                self.problem(
                    path, line_of(raw, default=nodes.line), "each node must be a mapping with an 'id'"
                )
                continue
            self.raw_nodes.append((path, stage, raw))

    # -- building ------------------------------------------------------

    def assemble(self, files: list[str]) -> Playbook | None:
        if self.meta is None:
            self.problem(
                files[0], 1, "no 'playbook:' block found in any file (it names stages and the start)"
            )
            return None
        meta, meta_path = self.meta, self.meta_path
        self.unknown_keys(meta_path, meta, META_KEYS, "playbook")
        stages = meta.get("stages")
        if not isinstance(stages, LineList) or not stages or not all(isinstance(s, str) for s in stages):
            self.problem(
                meta_path, line_of(meta, "stages"), "playbook: 'stages' must be a list of stage names"
            )
            return None
        for stage in stages:
            if not ID_RULE.match(stage):
                self.problem(
                    meta_path, line_of(stages), f"stage name '{stage}' must be kebab-case (a-z, 0-9, -)"
                )
        counterparts = meta.get("counterparts")
        if counterparts is None and self.declared is not None:  # declared once, in counterparts.yaml
            counterparts = LineList(self.declared)
            counterparts.line = self.declared_at[1]
            self.check_declared_facts()
        elif self.declared is not None:
            self.problem(
                meta_path,
                line_of(meta, "counterparts"),
                f"playbook: counterparts are declared in {self.declared_at[0]}; remove this list",
            )
        if not isinstance(counterparts, LineList) or not all(isinstance(c, str) for c in counterparts):
            self.problem(
                meta_path,
                line_of(meta, "counterparts"),
                "playbook: no counterparts (declare them in counterparts.yaml)",
            )
            counterparts = LineList()
        notes = self.read_notes(meta_path, meta)
        terms = meta.get("legal_terms", [])
        if isinstance(terms, list) and all(isinstance(t, str) for t in terms) and terms:
            self.legal_terms = self.compile_terms(meta_path, terms, line_of(meta, "legal_terms"))
        elif "legal_terms" in meta:
            self.problem(
                meta_path, line_of(meta, "legal_terms"), "playbook: 'legal_terms' must be a list of patterns"
            )
        for path, stage, line in self.stage_lines:
            if stage not in stages:
                self.problem(path, line, f"unknown stage '{stage}' (stages: {', '.join(stages)})")
        for path, stage, raw in self.raw_nodes:
            if stage in stages:
                self.build_node(path, stage, raw, list(counterparts), notes)
        self.apply_guards(list(stages), notes)
        start = meta.get("start")
        start_line = line_of(meta, "start")
        if not isinstance(start, str):
            self.problem(meta_path, start_line, "playbook: missing 'start' (the first node, as stage.node)")
            return None
        if start not in self.nodes:
            if self.unreadable:
                return None
            self.problem(meta_path, start_line, f"start node '{start}' does not exist")
            return None
        call_start = meta.get("call_start", start)  # a playbook without a prepare stage calls from its start
        if not isinstance(call_start, str) or call_start not in self.nodes:
            self.problem(
                meta_path,
                line_of(meta, "call_start") or start_line,
                f"playbook: 'call_start' must name the node a call opens on (got {call_start!r})",
            )
            return None
        prepare_stage = self.nodes[start].stage
        for node in self.nodes.values():
            if node.ask and node.stage != prepare_stage:
                self.problem(
                    node.path,
                    node.line,
                    f"node '{node.id}': asks for '{node.ask}' during a call; only {prepare_stage} nodes "
                    "ask (record it with a note or a choice's 'set' instead)",
                )
        playbook = Playbook(
            stages=list(stages),
            stage_titles=self.stage_titles,
            counterparts=list(counterparts),
            start=start,
            call_start=call_start,
            facts=self.facts,
            derived=self.derived,
            notes=notes,
            nodes=self.nodes,
            files=files,
        )
        if self.validate and not self.unreadable and self.check_references(playbook):
            self.check_graph(playbook)  # a broken link would make every node upstream look stuck
        return playbook

    def compile_terms(self, path: str, terms: list[str], line: int) -> LegalTerms | None:
        """The legal_terms patterns as one regex; a pattern that does not compile is a problem at its line."""
        good = []
        for index, term in enumerate(terms):
            try:
                re.compile(f"(?:{term})")  # as it is joined: '(?i)law' alone compiles, joined it does not
            except (re.error, RecursionError, OverflowError) as error:
                where = line_of(terms, default=line) + index if isinstance(terms, LineList) else line
                self.problem(
                    path, where, f"playbook: legal_terms pattern '{term}' is not a valid regex ({error})"
                )
                continue
            good.append(term)
        return LegalTerms(good) if good else None

    def check_declared_facts(self) -> None:
        """Every fact a counterpart lists (the side of the case it shows) must be declared."""
        path, line = self.declared_at
        for counterpart in (self.declared or {}).values():
            for fact in counterpart.facts:
                if fact not in self.facts:
                    self.problem(
                        path, line, f"counterpart '{counterpart.key}': lists undeclared fact '{fact}'"
                    )

    def apply_guards(self, stages: list[str], notes: dict[str, NoteKind]) -> None:
        """Check each shared warning (coach.guards) and fold it into the nodes it covers."""
        from coach.dialogue.guards import apply_guard, read_guards

        for path, raw in self.raw_guards:
            for guard in read_guards(path, raw, self.problem, check_sources):
                label = f"guard '{guard.name}'"
                self.check_expression(path, guard.lines.get("when", guard.line), guard.when, label)
                self.check_template(path, guard.lines.get("warn", guard.line), guard.warn, label)
                for stage in guard.stages:
                    if stage not in stages:
                        self.problem(
                            path, guard.lines.get("stages", guard.line), f"{label}: unknown stage '{stage}'"
                        )
                for kind in guard.captures:
                    if kind not in notes:
                        self.problem(
                            path,
                            guard.lines.get("captures", guard.line),
                            f"{label}: unknown note kind '{kind}'",
                        )
                for key, qids in (("nodes", guard.nodes), ("except", guard.skip)):
                    for qid in qids:
                        if qid not in self.nodes and not self.unreadable:
                            self.problem(
                                path, guard.lines.get(key, guard.line), f"{label}: unknown node '{qid}'"
                            )
                if guard.choice is not None and guard.choice[2] not in self.nodes and not self.unreadable:
                    self.problem(
                        path,
                        guard.lines.get("choice", guard.line),
                        f"{label}: choice leads to unknown node '{guard.choice[2]}'",
                    )
                    guard.choice = None
                if not apply_guard(guard, self.nodes) and not self.unreadable:
                    self.problem(path, guard.line, f"{label}: covers no node")

    def read_notes(self, path: str, meta: LineDict) -> dict[str, NoteKind]:
        raw = meta.get("notes", LineDict())
        notes: dict[str, NoteKind] = {}
        if not isinstance(raw, LineDict):
            self.problem(
                path, line_of(meta, "notes"), "playbook: 'notes' must be a mapping of kind: {label, command}"
            )
            return notes
        for name, spec in raw.items():
            if not isinstance(spec, LineDict) or not isinstance(spec.get("label"), str):
                self.problem(path, line_of(raw, name), f"note kind '{name}' needs a 'label'")
                continue
            self.unknown_keys(path, spec, NOTE_KEYS, f"note kind '{name}'")
            kind = spec.get("type", "text")
            if kind not in ("text", "money", "date"):
                self.problem(
                    path, line_of(spec, "type"), f"note kind '{name}': type must be text, money or date"
                )
                kind = "text"
            by = str(spec.get("by", ""))
            if by not in ("", "them", "user") or (by and kind != "money"):
                self.problem(
                    path, line_of(spec, "by"), f"note kind '{name}': by is them or user, on a money note only"
                )
                by = ""
            mapped: list[tuple[str, str]] = []
            raw_facts = spec.get("facts") or LineDict()
            for record_field, fact in raw_facts.items() if isinstance(raw_facts, LineDict) else ():
                if record_field not in NOTE_FIELDS or fact not in self.facts:
                    self.problem(
                        path,
                        line_of(raw_facts, record_field),
                        f"note kind '{name}': facts maps {', '.join(NOTE_FIELDS)} to declared facts "
                        f"(not {record_field}: {fact})",
                    )
                    continue
                mapped.append((str(record_field), str(fact)))
            notes[name] = NoteKind(
                name, spec["label"], str(spec.get("command", name)), kind, by, tuple(mapped)
            )
        return notes

    def build_node(
        self, path: str, stage: str, raw: LineDict, counterparts: list[str], notes: dict[str, NoteKind]
    ) -> None:
        node_id = raw.get("id")
        if not isinstance(node_id, str):
            self.problem(path, raw.line, "node without an 'id'")
            return
        label = f"node '{node_id}'"
        if not ID_RULE.match(node_id):
            self.problem(
                path, line_of(raw, "id"), f"{label}: id must be kebab-case (a-z, 0-9, -), like 'ask-itemized'"
            )
            return
        node = Node(stage=stage, id=node_id, path=path, line=raw.line)
        if node.qid in self.nodes:
            first = self.nodes[node.qid]
            self.problem(
                path,
                line_of(raw, "id"),
                f"duplicate node id '{node.qid}' (first at {first.path}:{first.line})",
            )
            return
        self.unknown_keys(path, raw, NODE_KEYS, label)
        node.title = self.text(path, raw, "title", label)
        node.coach = self.text(path, raw, "coach", label)
        node.warn = self.text(path, raw, "warn", label)
        node.say = self.read_say(path, raw, label, counterparts)
        node.sources = self.read_sources(path, raw, label)
        if not (node.coach or node.say):
            self.problem(path, raw.line, f"{label}: needs 'coach' (guidance) or 'say' (a phrase)")
        if "ask" in raw:
            if not isinstance(raw["ask"], str):
                self.problem(path, line_of(raw, "ask"), f"{label}: 'ask' must be one fact name, like balance")
            elif raw["ask"] not in self.facts:
                self.problem(path, line_of(raw, "ask"), f"{label}: asks for undeclared fact '{raw['ask']}'")
            else:
                node.ask = raw["ask"]
        if "capture" in raw:
            capture = raw["capture"]
            if not isinstance(capture, list) or not all(isinstance(c, str) for c in capture):
                self.problem(
                    path, line_of(raw, "capture"), f"{label}: 'capture' must be a list of note kinds"
                )
            else:
                for kind in capture:
                    if kind not in notes:
                        self.problem(path, line_of(raw, "capture"), f"{label}: unknown note kind '{kind}'")
                node.capture = tuple(c for c in capture if c in notes)
        ways = [key for key in ("choices", "next", "end") if key in raw]
        if not ways:
            self.problem(path, raw.line, f"{label}: dead end: needs 'choices', 'next' or 'end: true'")
        elif len(ways) > 1:
            self.problem(path, line_of(raw, ways[1]), f"{label}: use only one of 'choices', 'next' and 'end'")
        if "choices" in raw:
            self.read_choices(path, raw, node)
        if "next" in raw:
            self.read_next(path, raw, node)
        if "end" in raw:
            if raw["end"] is not True:
                self.problem(path, line_of(raw, "end"), f"{label}: 'end' must be true (or left out)")
            else:
                node.end = True
        self.check_texts(path, raw, node)
        self.nodes[node.qid] = node

    def read_say(self, path: str, raw: LineDict, label: str, counterparts: list[str]) -> dict[str, str]:
        if "say" not in raw:
            return {}
        say = raw["say"]
        line = line_of(raw, "say")
        if isinstance(say, str):
            return {DEFAULT_VARIANT: say.strip()} if say.strip() else {}
        if not isinstance(say, LineDict):
            self.problem(path, line, f"{label}: 'say' must be text or a mapping of counterpart: text")
            return {}
        variants: dict[str, str] = {}
        for key, text in say.items():
            key_line = line_of(say, key)
            if key != DEFAULT_VARIANT and key not in counterparts:
                self.problem(path, key_line, f"{label}: 'say' variant for unknown counterpart '{key}'")
                continue
            if not isinstance(text, str) or not text.strip():
                self.problem(path, key_line, f"{label}: 'say.{key}' must be non-empty text")
                continue
            variants[key] = text.strip()
        if DEFAULT_VARIANT not in variants and variants:
            missing = [c for c in counterparts if c not in variants]
            if missing:
                self.problem(
                    path, line, f"{label}: 'say' has no default and no variant for {', '.join(missing)}"
                )
        return variants

    def read_sources(self, path: str, raw: LineDict, label: str) -> tuple[str, ...]:
        if "source" not in raw:
            return ()
        sources, problems = check_sources(raw["source"], label)
        # as coach.sources.public_source_problems, each distinct citation judged once (they recur)
        problems += [f"{label}: {problem}" for problem in map(_source_problem, sources) if problem]
        for message in problems:
            self.problem(path, line_of(raw, "source"), message)
        return sources

    def read_choices(self, path: str, raw: LineDict, node: Node) -> None:
        label = f"node '{node.id}'"
        choices = raw["choices"]
        if not isinstance(choices, LineList) or not choices:
            self.problem(path, line_of(raw, "choices"), f"{label}: 'choices' must be a non-empty list")
            return
        seen: set[str] = set()
        for item in choices:
            line = line_of(item, default=choices.line)
            if not isinstance(item, LineDict):
                self.problem(path, line, f"{label}: each choice must be a mapping with id, label and next")
                continue
            if not item.keys() <= CHOICE_KEYS:
                self.unknown_keys(path, item, CHOICE_KEYS, f"{label} choice")
            missing = [key for key in ("id", "label", "next") if not isinstance(item.get(key), str)]
            if missing:
                self.problem(path, line, f"{label}: choice is missing {', '.join(repr(m) for m in missing)}")
                continue
            choice_id = item["id"]
            if not ID_RULE.match(choice_id):
                self.problem(
                    path, line_of(item, "id"), f"{label}: choice id '{choice_id}' must be kebab-case"
                )
                continue
            if choice_id in seen:
                self.problem(path, line_of(item, "id"), f"{label}: duplicate choice id '{choice_id}'")
                continue
            seen.add(choice_id)
            when = item.get("when")
            if when is not None and not isinstance(when, str):
                self.problem(
                    path, line_of(item, "when"), f"{label}: 'when' must be a condition like 'balance > 500'"
                )
                when = None
            if when is not None:
                self.check_expression(path, line_of(item, "when"), when, label)
            sets = self.read_sets(path, item, label)
            target = self.qualify(node.stage, item["next"])
            node.choices.append(
                Choice(choice_id, item["label"].strip(), target, when, sets, line_of(item, "next"))
            )
            self.check_template(path, line_of(item, "label"), item["label"], label)

    def read_sets(self, path: str, item: LineDict, label: str) -> tuple[tuple[str, Any], ...]:
        if "set" not in item:
            return ()
        sets = item["set"]
        if not isinstance(sets, LineDict):
            self.problem(path, line_of(item, "set"), f"{label}: 'set' must be a mapping of fact: value")
            return ()
        result = []
        for name, value in sets.items():
            spec = self.facts.get(name)
            if spec is None:
                self.problem(path, line_of(sets, name), f"{label}: sets undeclared fact '{name}'")
                continue
            try:
                result.append((name, parse_fact(spec, value)))
            except ValueError as error:
                self.problem(path, line_of(sets, name), f"{label}: set {name}: {error}")
        return tuple(result)

    def read_next(self, path: str, raw: LineDict, node: Node) -> None:
        label = f"node '{node.id}'"
        value = raw["next"]
        line = line_of(raw, "next")
        if isinstance(value, str):
            node.branches.append(Branch(None, self.qualify(node.stage, value), line))
            return
        if not isinstance(value, LineList) or not value:
            self.problem(
                path, line, f"{label}: 'next' must be a node id or a list of if/then with a final else"
            )
            return
        for index, arm in enumerate(value):
            arm_line = line_of(arm, default=line)
            if not isinstance(arm, LineDict):
                self.problem(path, arm_line, f"{label}: each 'next' arm must be 'if:'+'then:' or 'else:'")
                return
            if not arm.keys() <= BRANCH_KEYS:
                self.unknown_keys(path, arm, BRANCH_KEYS, f"{label} next")
            last = index == len(value) - 1
            if "else" in arm:
                if not last or "if" in arm or "then" in arm:
                    self.problem(path, arm_line, f"{label}: 'else' must be alone and last")
                    return
                if isinstance(arm["else"], str):
                    node.branches.append(Branch(None, self.qualify(node.stage, arm["else"]), arm_line))
                continue
            if not isinstance(arm.get("if"), str) or not isinstance(arm.get("then"), str):
                self.problem(
                    path, arm_line, f"{label}: a 'next' arm needs 'if' (a condition) and 'then' (a node)"
                )
                return
            self.check_expression(path, line_of(arm, "if"), arm["if"], label)
            node.branches.append(Branch(arm["if"], self.qualify(node.stage, arm["then"]), arm_line))
            if last:
                self.problem(
                    path, arm_line, f"{label}: 'next' list must end with 'else:' so there is always a way on"
                )

    # -- text checks ---------------------------------------------------

    def text(self, path: str, raw: LineDict, key: str, label: str) -> str:
        value = raw.get(key, "")
        if not isinstance(value, str):
            self.problem(path, line_of(raw, key), f"{label}: '{key}' must be text")
            return ""
        return value.strip()

    def known_names(self) -> set[str]:
        """Every name a text may use (asked for each template; made again only when a fact is added)."""
        sizes = (len(self.facts), len(self.derived))  # facts and derived values are only ever added
        if self._known is None or self._known[0] != sizes:
            self._known = (sizes, set(self.facts) | set(self.derived) | {"counterpart", "mode"})
        return self._known[1]

    def check_template(self, path: str, line: int, source: str, label: str) -> None:
        if "{" not in source or not self.validate:
            return  # plain text: nothing for Jinja2 to find
        quick = render.check_scan(source)
        if quick is None:
            self._check_tree(path, line, source, source, label, "template")
        else:
            self._report_names(path, line, label, "template", *quick)

    def check_expression(self, path: str, line: int, source: str, label: str) -> None:
        if not self.validate:
            return
        quick = render.check_expression(source)
        if quick is None:
            self._check_tree(path, line, "{{ " + source + " }}", source, label, "condition")
        else:
            self._report_names(path, line, label, "condition", quick[0], list(quick[1]))

    def _check_tree(self, path: str, line: int, template: str, shown: str, label: str, what: str) -> None:
        from jinja2 import TemplateSyntaxError

        try:
            tree = render.parse(template)
        except TemplateSyntaxError as error:
            where = line + (error.lineno or 1) - 1 if what == "template" else line
            detail = f" in '{shown}'" if what == "condition" else ""
            message = (error.message or "").replace("'end of print statement'", "end of condition")
            self.problem(path, where, f"{label}: {what} error{detail}: {message}")
            return
        self._report_names(path, line, label, what, *render.undeclared_problems(tree))

    def _report_names(
        self, path: str, line: int, label: str, what: str, names: AbstractSet[str], problems: list[str]
    ) -> None:
        for message in problems:
            self.problem(path, line, f"{label}: {what} error: {message}")
        for name in sorted(names - self.known_names()):
            self.problem(path, line, f"{label}: {what} uses undeclared fact '{name}'")

    def check_texts(self, path: str, raw: LineDict, node: Node) -> None:
        label = f"node '{node.id}'"
        lines = raw.key_lines  # line_of(raw, key), for the keys a node has
        texts: list[tuple[int, str]] = [
            (lines.get(key, raw.line), text)
            for key, text in (("title", node.title), ("coach", node.coach), ("warn", node.warn))
            if text
        ]
        say = raw.get("say")
        for variant, text in node.say.items():
            line = line_of(say, variant) if isinstance(say, LineDict) else lines.get("say", raw.line)
            texts.append((line, text))
        for line, text in texts:
            self.check_template(path, line, text, label)
        if self.legal_terms is not None and not node.sources:
            for line, text in texts:
                match = self.legal_terms.search(text)
                if match:
                    self.problem(
                        path, line, f"{label}: states law or money ('{match.group(0)}') without 'source:'"
                    )
                    break

    def unknown_keys(self, path: str, mapping: LineDict, allowed: set[str], label: str) -> None:
        if mapping.keys() <= allowed:
            return  # the common case, without a look at each key
        for key in mapping:
            if key not in allowed:
                self.problem(
                    path, line_of(mapping, key), f"{label}: unknown key '{key}' (allowed: {_names(allowed)})"
                )

    # -- whole-graph checks -------------------------------------------

    @staticmethod
    def qualify(stage: str, target: str) -> str:
        return target if "." in target else f"{stage}.{target}"

    def check_references(self, playbook: Playbook) -> bool:
        """Report links to missing nodes; True when every link resolves."""
        intact = True
        for node in playbook.nodes.values():
            arms: list[Choice | Branch] = [*node.choices, *node.branches]
            for arm in arms:
                if arm.target not in playbook.nodes:
                    intact = False
                    self.problem(
                        node.path,
                        arm.line or node.line,
                        f"node '{node.id}': goes to missing node '{arm.target}'",
                    )
        return intact

    def check_graph(self, playbook: Playbook) -> None:
        nodes = playbook.nodes
        last_stage = playbook.stages[-1]
        targets = {qid: [t for t in node.targets() if t in nodes] for qid, node in nodes.items()}  # made once
        reachable = _walk([playbook.start], targets.__getitem__)
        incoming: dict[str, list[str]] = {qid: [] for qid in nodes}
        for qid, outgoing in targets.items():
            for target in outgoing:
                incoming[target].append(qid)
        ends = [qid for qid, node in nodes.items() if node.end]
        can_finish = _walk(ends, lambda qid: incoming[qid])
        for qid, node in nodes.items():
            if node.end and node.stage != last_stage:
                self.problem(
                    node.path,
                    node.line,
                    f"node '{node.id}': ends the call outside the last stage '{last_stage}'",
                )
            if qid not in reachable:
                self.problem(
                    node.path, node.line, f"node '{node.id}': unreachable from the start '{playbook.start}'"
                )
            elif qid not in can_finish and (node.choices or node.branches):
                self.problem(node.path, node.line, f"node '{node.id}': no way from here reaches an end")


@functools.lru_cache(maxsize=4096)
def _source_problem(source: str) -> str | None:
    from coach.dialogue.sources import public_source_problem

    return public_source_problem(source)


def check_sources(value: Any, label: str) -> tuple[tuple[str, ...], list[str]]:
    """A ``source:`` value as citations, and what is wrong with it (each needs 'checked YYYY-MM-DD').

    Shared by every file that states law or money: the playbook, hearing replies.
    """
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(s, str) for s in items):
        return (), [f"{label}: 'source' must be a citation or a list of them"]
    problems = [f"{label}: source '{item}' {problem}" for item in items if (problem := _source_date(item))]
    return tuple(items), problems


@functools.lru_cache(maxsize=4096)
def _source_date(item: str) -> str | None:
    """What is wrong with a citation's date, or None (each distinct citation judged once: they recur)."""
    match = SOURCE_DATE.search(item)
    if not match:
        return "needs the date it was checked ('checked YYYY-MM-DD')"
    try:
        dt.date.fromisoformat(match.group(1))
    except ValueError:
        return "has an impossible date"
    return None


def _walk(starts: list[str], neighbours: Any) -> set[str]:
    seen = set(starts)
    queue = deque(starts)
    while queue:
        for nxt in neighbours(queue.popleft()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _names(names: Iterable[str]) -> str:
    return ", ".join(sorted(names))

"""``coach check`` beyond the playbook: letters, their templates, the money tables, and stray files.

Every file under ``dialogues/`` has one reader that checks it; a file no reader
knows is itself a problem (coach would silently ignore it). All readers fill
one :class:`~coach.dialogue.problems.Problems` collector, so every mistake in every file
is printed at once as ``path:line: message``.
"""

from __future__ import annotations

from pathlib import Path

from coach.dialogue.problems import Problems
from coach.dialogue.schema import Playbook

# Files checked elsewhere: the playbook's own YAML (top level), hearing and rehearsal data.
_CHECKED_ELSEWHERE = (
    "hear/intents.yaml",
    "rehearse/personas.yaml",
    "rehearse/scorecard.yaml",
    "rehearse/understand.yaml",
)
# Hearing data read here: each file's top key and the shape of every entry under it.
_HEAR_DATA = {
    "hear/weighing.yaml": "a mapping of verdict: {part: text}",
    "hear/vocabulary.yaml": "'words:' (and optional 'keep:', 'numbers:') lists of words, optional 'spelled:' map",
    "hear/examples.yaml": "'examples:' a list of {tokens, intent}",
}
_MONEY_FILES = ("money/poverty.yaml", "money/state_rules.yaml")
_APPEALS_FILE = "insurer/appeals.yaml"


def check_content(folder: Path, playbook: Playbook | None, problems: Problems | None = None) -> Problems:
    """Every problem in the letters, the money tables and any file no check covers, added to ``problems``
    (a new collector when none is given), which is returned."""
    problems = Problems() if problems is None else problems
    if (folder / "letters").is_dir():
        check_letters(folder / "letters", playbook, problems)
    if (folder / "money").is_dir():
        from coach.money.eligibility import read_money

        read_money(folder / "money", problems)
    if (folder / _APPEALS_FILE).is_file():
        from coach.dialogue.appeals import read_appeals

        read_appeals(folder / _APPEALS_FILE, problems)
    for relative in _HEAR_DATA:
        if (folder / relative).is_file():
            check_hear_data(folder / relative, relative, problems)
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not _covered(folder, path):
            problems.add(path, 1, "no check covers this file (coach ignores it): remove it or add a reader")
    return problems


def _covered(folder: Path, path: Path) -> bool:
    relative = path.relative_to(folder).as_posix()
    if "/" not in relative:
        return path.suffix in (".yaml", ".yml")  # playbook files, checked by check_playbook
    if relative.startswith("letters/"):
        return relative.count("/") == 1 and (
            relative.endswith(".txt.j2") or relative == "letters/letters.yaml"
        )
    return (
        relative in _CHECKED_ELSEWHERE
        or relative in _MONEY_FILES
        or relative in _HEAR_DATA
        or relative == _APPEALS_FILE
        or (relative.startswith("hear/intents_") and relative.endswith(".yaml"))  # checked by coach.cli.check
    )


def check_letters(folder: Path, playbook: Playbook | None, problems: Problems) -> None:
    """letters.yaml, one template per kind, and each template's syntax, names and includes."""
    from coach.casefile.letters import CONTEXT_NAMES, _environment, read_letter_kinds

    index = folder / "letters.yaml"
    declared = playbook.counterparts if playbook is not None else None
    kinds = read_letter_kinds(index, problems, declared) if index.is_file() else {}
    if not index.is_file():
        problems.add(index, 1, "missing: the index of letters (title, when, needs, sources)")
    for name, kind in kinds.items():
        if not (folder / f"{name}.txt.j2").is_file():
            problems.add(index, 1, f"letter {name}: no template {name}.txt.j2 beside letters.yaml")
        for fact in (*kind.needs, *kind.needs_one_of):
            if playbook is not None and fact not in playbook.facts:
                problems.add(index, 1, f"letter {name}: needs undeclared fact '{fact}'")
    known = set(CONTEXT_NAMES)
    if playbook is not None:
        known |= set(playbook.facts) | set(playbook.derived)
    environment = _environment(folder)
    for template in sorted(folder.glob("*.txt.j2")):
        stem = template.name.removesuffix(".txt.j2")
        if not stem.startswith("_") and stem not in kinds and kinds:
            problems.add(template, 1, f"template for no letter: add '{stem}' to letters.yaml or remove it")
        _check_template(template, environment, known if playbook is not None else None, problems)


def _check_template(path: Path, environment: object, known: set[str] | None, problems: Problems) -> None:
    from jinja2 import Environment, TemplateSyntaxError, meta, nodes

    assert isinstance(environment, Environment)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problems.add(path, 1, f"cannot read template: {error}")
        return
    try:
        tree = environment.parse(source, path.name, str(path))
        environment.compile(source, path.name, str(path))  # unknown filters and tests fail here
    except TemplateSyntaxError as error:
        problems.add(path, error.lineno or 1, f"template syntax error: {error.message}")
        return
    for include in tree.find_all(nodes.Include):
        target = include.template
        if isinstance(target, nodes.Const) and not (path.parent / str(target.value)).is_file():
            problems.add(path, include.lineno, f"includes missing template '{target.value}'")
    if known is None:
        return
    for name in sorted(meta.find_undeclared_variables(tree) - known):
        line = next((n.lineno for n in tree.find_all(nodes.Name) if n.name == name and n.ctx == "load"), 1)
        problems.add(path, line, f"unknown name '{name}' (not a fact, derived value or letter field)")


def check_hear_data(path: Path, relative: str, problems: Problems) -> None:
    """The hearing's word lists, reply texts and examples: readable YAML of the expected shape."""
    from coach.dialogue.problems import YamlProblem
    from coach.dialogue.yamlload import line_of, load_yaml

    try:
        raw = load_yaml(path)
    except YamlProblem as error:
        problems.append(error.problem)
        return
    expected = _HEAR_DATA[relative]
    if not isinstance(raw, dict):
        problems.add(path, 1, f"expected {expected}")
        return
    if relative == "hear/weighing.yaml":
        for verdict, parts in raw.items():
            if not isinstance(parts, dict) or not all(isinstance(t, str) for t in parts.values()):
                problems.add(path, line_of(raw, verdict), f"verdict '{verdict}': expected {{part: text}}")
    elif relative == "hear/vocabulary.yaml":
        for key in ("words", "keep", "numbers"):
            items = raw.get(key, [])
            if not isinstance(items, list) or not all(isinstance(w, str) for w in items):
                problems.add(path, line_of(raw, key), f"'{key}' must be a list of words")
        spelled = raw.get("spelled", {})
        if not isinstance(spelled, dict) or not all(isinstance(v, str) for v in spelled.values()):
            problems.add(
                path, line_of(raw, "spelled"), "'spelled' must map a word to the words it stands for"
            )
        if not raw.get("words"):
            problems.add(path, 1, f"expected {expected}")
    else:
        items = raw.get("examples")
        if not isinstance(items, list):
            problems.add(path, 1, f"expected {expected}")
            return
        for number, item in enumerate(items, 1):
            if not isinstance(item, dict) or not {"tokens", "intent"} <= set(item):
                problems.add(path, line_of(raw, "examples"), f"example {number}: needs tokens and intent")

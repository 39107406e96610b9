"""The package's layering, as import contracts read from the source (every import, also inside functions).

Each rule says which modules may not import which; an exception names the one import it allows and
why. ``test_a_forbidden_import_is_caught`` shows the checker failing on a module that breaks a rule.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import coach

ROOT = Path(coach.__file__).parent


@dataclass(frozen=True)
class Rule:
    """Modules named by ``importers`` (prefixes) may not import anything starting with ``forbidden``."""

    name: str
    importers: tuple[str, ...]
    forbidden: tuple[str, ...]
    outside: bool = False  # True: the rule binds every module *except* the importers


UI = ("textual", "rich", "coach.tui")
LOWER = ("coach.session", "coach.calls", "coach.prepare", "coach.casefile", "coach.rehearsal")
RULES = (
    Rule(
        "only the app and the command line use Textual, Rich or coach.tui",
        ("coach.tui", "coach.cli"),
        UI,
        True,
    ),
    Rule("only the command line imports coach.cli", ("coach.cli",), ("coach.cli",), True),
    Rule(
        "money and hearing stand below the session, the calls and the case file",
        ("coach.money", "coach.hearing"),
        LOWER,
    ),
    Rule(
        "the dialogue files' readers stand below everything that uses them",
        ("coach.dialogue",),
        (*LOWER, "coach.hearing", "coach.money"),
    ),
)

# (importer, imported): why this one import is allowed.
EXCEPTIONS = {
    ("coach.__main__", "coach.cli.main"): "`python -m coach` is the command line's other door",
    (
        "coach.dialogue.render",
        "coach.money.amounts",
    ): "the money filters; amounts is a leaf that imports nothing",
    ("coach.dialogue.facts", "coach.money.amounts"): "money facts are read as Decimal by the one parser",
    ("coach.dialogue.playbook", "coach.money.derive"): (
        "`derived:` declarations are checked against the values derive can compute (imported at check time)"
    ),
}


def imports_of(source: str) -> list[tuple[str, int]]:
    """Every module a source imports, with its line: top level, in functions, under TYPE_CHECKING."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno))
    return found


def module_name(path: Path) -> str:
    parts = ("coach", *path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def violations(modules: dict[str, str]) -> list[str]:
    """``module:line imports X (rule)`` for every import a rule forbids and no exception allows."""
    problems = []
    for module, source in sorted(modules.items()):
        for imported, line in imports_of(source):
            for rule in RULES:
                bound = under(module, rule.importers) != rule.outside
                if bound and under(imported, rule.forbidden) and (module, imported) not in EXCEPTIONS:
                    problems.append(f"{module}:{line} imports {imported} ({rule.name})")
    return problems


def coach_modules() -> dict[str, str]:
    return {module_name(path): path.read_text() for path in sorted(ROOT.rglob("*.py"))}


def test_the_package_keeps_its_layers() -> None:
    assert violations(coach_modules()) == []


def test_a_forbidden_import_is_caught() -> None:
    modules = coach_modules()
    modules["coach.money.negotiate"] += "\n\ndef later():\n    from coach.casefile.store import Store\n"
    modules["coach.session.engine"] += "\nimport textual\n"
    modules["coach.casefile.review"] += "\nfrom coach.cli.main import main\n"
    found = violations(modules)
    assert len(found) == 3
    assert any(v.startswith("coach.money.negotiate:") and "coach.casefile.store" in v for v in found)
    assert any(v.startswith("coach.session.engine:") and "imports textual" in v for v in found)
    assert any(v.startswith("coach.casefile.review:") and "coach.cli.main" in v for v in found)


def test_every_exception_is_still_needed() -> None:
    """An exception nobody uses any more is a rule quietly loosened: drop it."""
    used = {
        (module, imported) for module, source in coach_modules().items() for imported, _ in imports_of(source)
    }
    assert sorted(set(EXCEPTIONS) - used) == []


def test_the_tree_has_no_flat_command_modules_left() -> None:
    """Each folder has one job; the top level keeps only the shared basics and the two lifecycles."""
    top = sorted(path.stem for path in ROOT.glob("*.py"))
    assert top == ["__init__", "__main__", "calls", "checks", "errors", "paths", "prepare", "termtext"]


def test_every_import_of_coach_names_something_that_exists() -> None:
    """A module moved or renamed leaves no import behind: in coach, the tests and the scripts,
    including imports inside functions that no test may happen to run."""
    import importlib

    project = ROOT.parent
    missing = []
    for folder in ("coach", "tests", "scripts"):
        for path in sorted((project / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    not isinstance(node, ast.ImportFrom)
                    or node.level
                    or not (node.module or "").startswith("coach")
                ):
                    continue
                module = importlib.import_module(node.module or "")
                for alias in node.names:
                    if not hasattr(module, alias.name):
                        try:
                            importlib.import_module(f"{node.module}.{alias.name}")
                        except ImportError:
                            missing.append(
                                f"{path.relative_to(project)}:{node.lineno} {node.module}.{alias.name}"
                            )
    assert missing == []


def test_a_long_module_says_at_its_top_why_it_is_long() -> None:
    """About 500 lines is the size a newcomer reads in one sitting; a module past it says why."""
    unexplained = []
    for path in sorted(ROOT.rglob("*.py")):
        source = path.read_text()
        if source.count("\n") > 520:
            summary = ast.get_docstring(ast.parse(source)) or ""
            if "on purpose" not in summary and "over 500 lines" not in summary:
                unexplained.append(str(path.relative_to(ROOT)))
    assert unexplained == []

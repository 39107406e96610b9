"""The rehearsal folder as a whole: every file checked for ``coach check``, and each loaded checked and cached.

``dialogues/rehearse/`` holds ``personas.yaml`` (coach.rehearsal.personas),
``scorecard.yaml`` (coach.rehearsal.scorecard_file) and ``understand.yaml``
(coach.rehearsal.understand). ``check_rehearse`` walks all three with one reader
and adds every problem, by file and line, to ``coach check``'s collector; a
rehearsal loads personas and scorecard checked (read again when a file changes),
or stops on the first problem.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from coach.dialogue.problems import Problem, Problems
from coach.errors import CoachError
from coach.paths import dialogues_dir
from coach.rehearsal.personas import PERSONAS_FILE, Personas, PersonasReader
from coach.rehearsal.scorecard_file import SCORECARD_FILE, ScorecardReader, ScorecardSpec


def rehearse_dir() -> Path:
    """The shipped ``dialogues/rehearse`` folder."""
    return dialogues_dir() / "rehearse"


class _Reader(PersonasReader, ScorecardReader):
    """Reads both of one folder's rehearsal files into one problems list, with one look-up of the names
    other files declare."""


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
    reader = PersonasReader(folder, cross_check=False)
    personas = reader.personas()
    if personas is None:
        raise CoachError(_first(reader.problems))
    return personas


@lru_cache(maxsize=8)
def _load_scorecard(folder: Path, stamp: int) -> ScorecardSpec:
    reader = ScorecardReader(folder, cross_check=False)
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

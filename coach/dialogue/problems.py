"""One thing wrong in a dialogue file, and the one collector every reader under ``dialogues/`` fills.

A problem is a :class:`Problem` (path, line, message) from the moment a reader
finds it to the moment ``coach check`` prints it as ``path:line: message``: no
reader turns it into text that another has to parse back (a path or a message
holding ``:`` would come apart). ``coach check`` starts one :class:`Problems` with
the playbook's problems; the hearing's patterns, the rehearsal files, the letters,
the appeals and the money tables add theirs to it, in the order they are printed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file, printed as ``path:line: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class YamlProblem(Exception):
    """The file could not be read as YAML at all."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class Problems:
    """The one problem collector every content reader fills (playbook, hearing, rehearsal, letters, money).

    Readers add as they find and keep going, so ``coach check`` can print every
    problem of every file at once, each as ``path:line: message``.
    """

    def __init__(self, problems: Iterable[Problem] = ()) -> None:
        self.items: list[Problem] = list(problems)

    def add(self, path: str | Path, line: int, message: str) -> None:
        self.items.append(Problem(str(path), max(1, int(line)), message))

    def append(self, problem: Problem) -> None:
        """A problem found as it is (a YamlProblem's, or one a reader built with its own line)."""
        self.items.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

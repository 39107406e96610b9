"""The shipped hearing files, found once per process: ``dialogues/hear/<name>`` as a string.

Hearing a line reads three of them (intents, vocabulary, weighing); finding the
dialogues folder costs a ``stat`` each time, so the path is kept per finder
function. The key is the ``dialogues_dir`` function the caller currently holds,
so a test (or a tool) that swaps a module's ``dialogues_dir`` is followed.
``coach.paths.dialogues_dir`` itself has no override (no option, no environment
variable): it is the installed package's folder, else the source tree's.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path


@functools.lru_cache(maxsize=32)
def hear_file(finder: Callable[[], Path], name: str) -> str:
    """``str(finder() / "hear" / name)``, worked out once per ``finder`` and ``name``."""
    return str(finder() / "hear" / name)

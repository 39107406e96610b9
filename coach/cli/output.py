"""What a printing command does with its text: write it to the file the user named, or show it.

Shared by ``coach letter``, ``coach plan`` and ``coach review``, so ``--out`` means the same in each:
written safely (coach.casefile.safewrite), a one-line "wrote …", and otherwise the text on stdout
with control characters escaped.
"""

from __future__ import annotations

import sys
from pathlib import Path

from coach.casefile.safewrite import write_private
from coach.termtext import json_printable, printable


def deliver(text: str, out: Path | None, force: bool, *, json: bool = False) -> None:
    """``text`` to ``out`` (replaced only with ``force``), else to stdout, escaped for a terminal
    (``json``: as JSON escapes, so the output stays valid JSON)."""
    if out:
        write_private(out, text, replace=force)
        print(f"wrote {printable(out)}")
    else:
        sys.stdout.write(json_printable(text) if json else printable(text, keep_lines=True))

"""The literal text every match of a regex holds: a cheap test run before the regex.

A pattern of ``dialogues/hear/intents*.yaml`` can only match a line that holds
one of its needed pieces ("settle for <money>" needs that very text; an
alternation of words needs one of them). coach.hearing.patterns works them out
when a pattern is made, and an IntentBook tries only the patterns whose pieces
a line holds; the answer only ever errs towards running the regex.
"""

from __future__ import annotations

import re
import re._constants as _constants
import re._parser as _parser
from typing import Any


def required_text(regex: re.Pattern[str]) -> tuple[str, ...]:
    """Pieces of literal text one of which is in every match of ``regex``; () when none can be told.

    Read from the parsed regex: a run of plain characters in a sequence must be
    there as it stands; a group, a repeat done at least once and an alternation
    whose every branch needs something pass their needs up. Anything it does not
    follow (case-folding, classes, lookarounds, backreferences) needs nothing, so
    the answer only ever errs towards running the regex.
    """
    if regex.flags & re.IGNORECASE:
        return ()
    try:
        parsed = _parser.parse(regex.pattern, regex.flags)
    except Exception:
        return ()
    return _needs(list(parsed)) or ()


def _needs(items: list[Any]) -> tuple[str, ...] | None:
    """The best need of a sequence of parsed items (the one whose shortest piece is longest)."""
    options: list[tuple[str, ...]] = []
    run: list[str] = []
    for op, arg in [*items, (None, None)]:
        if op is _constants.LITERAL:
            run.append(chr(arg))
            continue
        if run:
            options.append(("".join(run),))
            run = []
        need = _item_needs(op, arg)
        if need:
            options.append(need)
    if not options:
        return None
    return max(options, key=lambda need: (min(len(piece) for piece in need), -len(need)))


def _item_needs(op: Any, arg: Any) -> tuple[str, ...] | None:
    if op is _constants.SUBPATTERN:
        _group, add_flags, _del_flags, body = arg
        if add_flags & re.IGNORECASE:
            return None
        return _needs(list(body))
    if op is _constants.ATOMIC_GROUP:
        return _needs(list(arg))
    if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT):
        low, _high, body = arg
        return _needs(list(body)) if low >= 1 else None
    if op is _constants.BRANCH:
        pieces: list[str] = []
        for branch in arg[1]:
            need = _needs(list(branch))
            if not need:
                return None
            pieces += [piece for piece in need if piece not in pieces]
        return tuple(pieces)
    return None

"""Mistyped key words put right before a heard line is matched.

People type fast during a call: "setle for 900", "balence", "fourty". A word of
four letters or more that is one edit away from a key word (two for words of
eight letters or more) is read as that key word. The key words, and the real
words that must never be "corrected", live in ``dialogues/hear/vocabulary.yaml``.
An edit is an insertion, deletion, substitution or a swap of two neighbours.
Before that, the file's ``spelled`` shorthand is written out ("u" → "you",
"thats" → "that is"), so rushed typing meets the same patterns as careful typing.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from coach.dialogue.problems import YamlProblem
from coach.dialogue.yamlload import load_yaml
from coach.hearing.files import hear_file
from coach.paths import dialogues_dir

_WORD = re.compile(r"[a-z]{5,}")
_SHORT_WORD = re.compile(r"(?<![\w'-])[a-z]{4}(?![\w'-])")
_ANY_WORD = re.compile(r"(?<![\w'-])[a-z]+(?![\w'-])")  # "w" is "with", never the w of "w-2"
_SUFFIXES = frozenset({"s", "es", "ed", "d", "ing", "er", "ers", "ly", "ment", "ments"})
_FORM_ENDINGS = (
    "ments",
    "ment",
    "ions",
    "ion",
    "ing",
    "ors",
    "ies",
    "ied",
    "ity",
    "ify",
    "ers",
    "ed",
    "er",
    "or",
    "es",
    "ly",
    "s",
    "y",
    "e",
    "",
)
_PREFIXES = ("re", "un", "non", "pre", "dis", "mis", "in", "im")


def _stems(word: str) -> set[tuple[str, str]]:
    """(stem, ending) for each known ending the word has (stems of four letters or more)."""
    return {
        (word[: len(word) - len(end)], end)
        for end in _FORM_ENDINGS
        if word.endswith(end) and len(word) - len(end) >= 4
    }


def _same_stem(a: str, b: str) -> bool:
    """Two endings on one stem, one of them two letters or more ("collecting", "collection")."""
    return any(sa == sb and max(len(ea), len(eb)) >= 2 for sa, ea in _stems(a) for sb, eb in _stems(b))


def _same_word(word: str, candidate: str) -> bool:
    """Whether ``word`` is another form of ``candidate``, not a mistyping of it.

    A suffix ("purposes", "approve"), a changed ending on the same stem ("collecting"
    for "collection", "creditor" for "credit", "managed" for "manager") or a prefix
    ("unauthorized", "reprocessing") makes a different word.
    """
    if (word.startswith(candidate) and word[len(candidate) :] in _SUFFIXES) or (
        candidate.startswith(word) and candidate[len(word) :] in _SUFFIXES
    ):
        return True
    if _same_stem(word, candidate):
        return True
    return any(word.startswith(p) and _same_stem(word[len(p) :], candidate) for p in _PREFIXES)


def vocabulary_path() -> Path:
    """The shipped list of key words."""
    return dialogues_dir() / "hear" / "vocabulary.yaml"


@functools.lru_cache(maxsize=4)
def _vocabulary(path: str) -> tuple[frozenset[str], dict[int, tuple[tuple[str, frozenset[str]], ...]]]:
    """(words never changed, key words by length); empty when the file is unreadable."""
    try:
        raw = load_yaml(Path(path))
    except YamlProblem:
        return frozenset(), {}
    words = [str(w) for w in raw.get("words", []) if isinstance(w, str)]
    keep = frozenset(str(w) for w in raw.get("keep", []) if isinstance(w, str)) | frozenset(words)
    by_length: dict[int, list[tuple[str, frozenset[str]]]] = {}
    for word in words:
        if len(word) >= 4:
            by_length.setdefault(len(word), []).append((word, frozenset(word)))
    return keep, {length: tuple(found) for length, found in by_length.items()}


@functools.lru_cache(maxsize=4)
def _numbers(path: str) -> tuple[str, ...]:
    """The number words a four-letter word may be read as; empty when the file is unreadable."""
    try:
        raw = load_yaml(Path(path))
    except YamlProblem:
        return ()
    numbers = raw.get("numbers", [])
    return tuple(str(w) for w in numbers if isinstance(w, str)) if isinstance(numbers, list) else ()


@functools.lru_cache(maxsize=4)
def _spelled(path: str) -> dict[str, str]:
    """Shorthand and apostrophe-less contractions, word → words; empty when unreadable."""
    try:
        raw = load_yaml(Path(path))
    except YamlProblem:
        return {}
    spelled = raw.get("spelled", {})
    if not isinstance(spelled, dict):
        return {}
    return {str(k): str(v).lower() for k, v in spelled.items() if isinstance(k, str) and isinstance(v, str)}


_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_VOWELS = set("aeiou")
_SOUND_ALIKE = [{"c", "s"}, {"c", "k"}, {"s", "z"}, {"i", "y"}]  # "balanse", "itemised": spelled as heard


def _neighbours() -> dict[str, set[str]]:
    near: dict[str, set[str]] = {}
    for r, row in enumerate(_ROWS):
        for c, key in enumerate(row):
            found = near.setdefault(key, set())
            for dr, dc in ((0, -1), (0, 1), (-1, 0), (-1, 1), (1, 0), (1, -1)):
                rr, cc = r + dr, c + dc
                if 0 <= rr < len(_ROWS) and 0 <= cc < len(_ROWS[rr]):
                    found.add(_ROWS[rr][cc])
    return near


_NEAR = _neighbours()
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _substitution(a: str, b: str) -> int:
    """A wrong letter costs 1 when it is a typing slip (a neighbouring key) or a vowel for a vowel, else 2.

    A letter that sounds the same ("balanse", "itemised") also costs 1. So "balence"
    is "balance" and "setrle" is "settle", but "waiting" is not "writing".
    """
    if a == b:
        return 0
    near = b in _NEAR.get(a, ()) or (a in _VOWELS and b in _VOWELS) or {a, b} in _SOUND_ALIKE
    return 1 if near else 2


_COST = {(a, b): _substitution(a, b) for a in _LETTERS for b in _LETTERS}


def distance(a: str, b: str, limit: int) -> int:
    """Typing edit distance (optimal string alignment, see _substitution); anything over ``limit`` is limit+1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = _COST.get((char_a, char_b), 0 if char_a == char_b else 2)
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                row[j] = min(row[j], previous2[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
        previous2, previous = previous, row
    return previous[-1]


def correct_word(word: str) -> str:
    """The key word ``word`` was meant to be, or ``word`` itself."""
    return _correct_word(word, hear_file(dialogues_dir, "vocabulary.yaml"))


@functools.lru_cache(maxsize=4096)
def _correct_word(word: str, path: str) -> str:
    keep, by_length = _vocabulary(path)
    if word in keep or len(word) < 4:
        return word
    limit = 2 if len(word) >= 8 else 1
    best, best_rank = word, (limit + 1, 0, 0)
    letters = frozenset(word)
    for length in range(len(word) - limit, len(word) + limit + 1):
        for candidate, candidate_letters in by_length.get(length, ()):
            if len(letters ^ candidate_letters) > 2 * limit:
                continue  # each edit changes at most two letters of the set: too far apart
            if len(candidate) < 5 and len(word) != len(candidate):
                continue  # short key words: only a wrong or swapped letter, never a missing one
            if _same_word(word, candidate):
                return word  # "purposes", "collecting", "unauthorized": a key word's own form, not a typo
            found = distance(word, candidate, limit)
            rank = (found, abs(len(word) - len(candidate)), -len(candidate))
            if found <= limit and rank < best_rank:
                best, best_rank = candidate, rank
    return best


@functools.lru_cache(maxsize=4096)
def _correct_short(word: str, path: str) -> str:
    """A four-letter word one slip from a number word ("sevn", "nien", "thre") as that word; others as typed."""
    keep, _ = _vocabulary(path)
    if word in keep:
        return word
    found = [n for n in _numbers(path) if abs(len(n) - 4) <= 1 and distance(word, n, 1) <= 1]
    return found[0] if len(found) == 1 else word


def correct(line: str) -> str:
    """``line`` (lower case) with mistyped key words put right."""
    path = hear_file(dialogues_dir, "vocabulary.yaml")  # str(vocabulary_path()), found once
    spelled = _spelled(path)
    if spelled:
        line = _ANY_WORD.sub(lambda match: spelled.get(match.group(), match.group()), line)
    line = _SHORT_WORD.sub(lambda match: _correct_short(match.group(), path), line)
    return _WORD.sub(lambda match: _correct_word(match.group(), path), line)

"""Numbers as people say them on the phone, turned into digits.

``words_to_digits`` rewrites number words in a normalized line so the money
reader only has to deal with digits:

- plain counting: "two thousand four hundred fifty" → 2450, "a hundred and fifty" → 150;
- decimals said with "point": "two point one k" → "2.1 k", "one point five" → 1.5;
- prices said in pairs: "eleven fifty" → 1150, "nine seventy five" → 975,
  "one twenty-five" → 125 (the first word counts hundreds);
- restated or corrected numbers keep only the last full one:
  "two thousand... two thousand four hundred fifty" → 2450, "1,200, sorry, 1,250" → 1250.

It expects :func:`coach.hearing.reading.normalize`'s output (lower case, single spaces).
"""

from __future__ import annotations

import re

_UNITS = {w: n for n, w in enumerate("one two three four five six seven eight nine".split(), 1)}
_TEENS = {
    w: n
    for n, w in enumerate(
        "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split(), 10
    )
}
_TENS = {w: n * 10 for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_SCALES = {"thousand": 1000, "million": 1_000_000}
_SMALL = {**_UNITS, **_TEENS, **_TENS}
_WORD = re.compile(r"[a-z]+")
_GAP = re.compile(r" ?-? ?")
_AND_A_HALF = re.compile(r"\b(\d+) (grand|thousand|k) and a half\b")  # "a grand and a half" → 1.5 grand
_EVEN_SCALE = re.compile(  # "an even thousand", "an even twelve hundred"
    r"\b(an?) even (?=(?:(?:eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    r"one|two|three|four|five|six|seven|eight|nine|ten) )?(?:hundred|thousand|grand)\b)"
)
_JOINED = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(hundred|thousand|grand|one|two|three|four|five|six|seven|eight|nine)\b"
)
_TEEN_EVEN = re.compile(  # "eleven even" is said of 1,100, as "eleven fifty" is 1,150
    r"\b(eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen) even\b"
    r"(?! (?:hundred|thousand|grand|dollars?|bucks|cents|months?|payments?|days?|weeks?)\b)"
)

Token = tuple[str, int, int]  # word, start, end


def words_to_digits(text: str) -> str:
    """Spell number words as digits, then drop numbers that were restated or corrected.

    A lone "one" stays a word ("one payment"), and "a" (or "the") counts only
    before a scale ("a hundred" → "100", "the thousand you said" → "1000").
    """
    text = _EVEN_SCALE.sub(  # "an even thousand" is "a thousand", "an even twelve hundred" is "twelve hundred"
        lambda m: m.group(1) + " " if text[m.end() :].startswith(("hundred", "thousand", "grand")) else "",
        text,
    )
    text = _JOINED.sub(r"\1 \2", text)  # "fourhundred", "twothousand", "fortyfive" typed as one word
    text = _TEEN_EVEN.sub(r"\1 hundred", text)
    tokens = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    pieces: list[str] = []
    last_end = 0
    i = 0
    while i < len(tokens):
        value, used = read_number(text, tokens, i)
        decimals, extra = _decimals(text, tokens, i + used) if used else ("", 0)
        if used and not extra and _and_a_half(tokens, i + used):
            decimals, extra = "5", 3  # "two and a half grand" → "2.5 grand"
        if used and not (used == 1 and tokens[i][0] == "one" and not extra):
            pieces += [text[last_end : tokens[i][1]], f"{value}.{decimals}" if extra else str(value)]
            last_end = tokens[i + used + extra - 1][2]
            i += used + extra
        else:
            i += 1
    pieces.append(text[last_end:])
    return drop_restated(_AND_A_HALF.sub(r"\1.5 \2", "".join(pieces)))


_DIGIT_WORDS = {**{w: str(n) for w, n in _UNITS.items()}, "zero": "0", "oh": "0"}


def _and_a_half(tokens: list[Token], i: int) -> bool:
    """Whether "and a half" follows at ``i``, itself followed by a scale ("and a half grand")."""
    words = [t[0] for t in tokens[i : i + 4]]
    return (
        words[:3] == ["and", "a", "half"]
        and len(words) == 4
        and words[3] in ("grand", "thousand", "k", "million")
    )


def _decimals(text: str, tokens: list[Token], i: int) -> tuple[str, int]:
    """Digits said after "point" ("two point one" → "1"), and the tokens they take; ("", 0) if none."""
    if i + 1 >= len(tokens) or tokens[i][0] != "point" or tokens[i + 1][0] not in _DIGIT_WORDS:
        return "", 0
    digits = ""
    j = i + 1
    while j < len(tokens) and tokens[j][0] in _DIGIT_WORDS and len(digits) < 2:
        if not _GAP.fullmatch(text[tokens[j - 1][2] : tokens[j][1]]):
            break
        digits += _DIGIT_WORDS[tokens[j][0]]
        j += 1
    return digits, j - i


def read_number(text: str, tokens: list[Token], i: int) -> tuple[int, int]:
    """The longest well-formed number starting at token ``i``: (value, tokens used); (0, 0) if none.

    When a scale word cannot attach ("two thousand two thousand"), the number
    ends at the last scale, so the restatement is read as a number of its own.
    """
    total = current = 0
    last = ""  # kind of the last number word: unit, teen, ten, hundred, scale, zero, pair
    top_scale = 10**12
    best = (0, 0)
    best_at_scale = (0, 0)
    for j in range(i, len(tokens)):
        word = tokens[j][0]
        gap = text[tokens[j - 1][2] : tokens[j][1]] if j > i else ""
        if j > i and not _GAP.fullmatch(gap) and not (gap == ". " and word in ("hundred", "thousand")):
            break  # "twelve. hundred." said word by word still counts
        following = tokens[j + 1][0] if j + 1 < len(tokens) else ""
        if word in ("a", "an", "the") and not last and following in ("hundred", *_SCALES):
            current, last = 1, "unit"
            continue
        if word in ("a", "one") and not last and following == "grand":
            return 1, 1  # "a grand" → "1 grand", which the money reader counts as 1,000
        if word == "and" and last in ("hundred", "scale") and following in _SMALL:
            continue
        if word == "zero" and not last:
            last = "zero"
        elif word in ("oh", "o") and last == "unit" and current < 10 and total == 0 and following in _UNITS:
            current, last = current * 100, "oh"  # "two oh five" is 205
            continue
        elif word in _UNITS and last in ("", "ten", "hundred", "scale", "pair-ten", "oh"):
            current, last = current + _UNITS[word], "unit"
        elif word in _TEENS and last in ("", "hundred", "scale"):
            current, last = current + _TEENS[word], "teen"
        elif word in _TENS and last in ("", "hundred", "scale"):
            current, last = current + _TENS[word], "ten"
        elif word in (*_TENS, *_TEENS) and last in ("unit", "teen") and current < (20 if total == 0 else 10):
            # "eleven fifty", "nine seventy", "one thousand two fifty": the word before counts hundreds
            current, last = current * 100 + _SMALL[word], "pair-ten" if word in _TENS else "pair"
        elif word in (*_TENS, *_TEENS) and last == "unit" and total == 0 and 20 < current < 100:
            # "twenty four eighty" is 2,480, as a balance is read out
            current, last = current * 100 + _SMALL[word], "pair-ten" if word in _TENS else "pair"
        elif word == "hundred" and last in ("unit", "teen") and 0 < current < 100:
            current, last = current * 100, "hundred"
        elif word in _SCALES and last in ("unit", "teen", "ten", "hundred") and _SCALES[word] < top_scale:
            top_scale = _SCALES[word]
            total, current, last = total + current * top_scale, 0, "scale"
            best_at_scale = (total, j - i + 1)
        else:
            if word in ("hundred", *_SCALES) and best_at_scale[1]:
                return best_at_scale
            break
        best = (total + current, j - i + 1)
    return best


_DIGITS = r"\$?\d{1,3}(?:,\d{3})+(?:\.\d+)?|\$?\d+(?:\.\d+)?"
_CORRECTION_WORDS = (
    r"(?:sorry|i mean|no|make that|actually|rather|uh|um|er|wait|hold on|scratch that|correction|oops|my bad|"
    r"excuse me|let me correct that)"
)
_RESTATED = re.compile(
    rf"(?<![\w.,$])(?P<first>{_DIGITS})(?![\d,.]*\d)(?:\s?(?:k|grand|thousand)\b)?"
    rf"(?P<gap>(?:\s*(?:\.\.\.|…|,|-)?\s*(?:{_CORRECTION_WORDS}\b)?)*?(?:\s|\.\.\.|…)\s*)"
    rf"(?P<second>{_DIGITS})(?![\w.]*\d)"
)


def drop_restated(line: str) -> str:
    """Keep only the last of two numbers said one after the other as a correction.

    "2000 2450" (a restart) or "1200, sorry, 1250" (a correction) → the second.
    Two numbers side by side count as one restated number when a correction
    word sits between them, or the second begins the way the first did.
    """

    def replace(match: re.Match[str]) -> str:
        first, second = match.group("first").lstrip("$"), match.group("second").lstrip("$")
        corrected = re.search(_CORRECTION_WORDS, match.group("gap")) is not None
        if corrected or (first[0] == second[0] and len(second) >= len(first) >= 3):
            dollar = (
                "$" if match.group("first").startswith("$") or match.group("second").startswith("$") else ""
            )
            return dollar + second
        return match.group()

    previous = None
    while previous != line:
        previous, line = line, _RESTATED.sub(replace, line)
    return line

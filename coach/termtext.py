"""Text safe to print on a terminal: control characters in user or file text are shown escaped.

A case label, a creditor's name or a line read from an import may hold an
escape sequence (OSC 52 writes the clipboard, others retitle the window or hide
text), a carriage return that overwrites what was printed, bidi overrides that
reorder it, or a lone surrogate that cannot be encoded at all. Every terminal
surface passes user text through :func:`printable`, which shows each such
character as a visible escape (``\\x1b``) instead of sending it.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, bidi marks and overrides, lone surrogates (from undecodable bytes).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_IN_LINES = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, keep_lines: bool = False) -> str:
    """``text`` with every control character escaped; ``keep_lines`` leaves newlines and tabs alone."""
    pattern = _UNSAFE_IN_LINES if keep_lines else _UNSAFE
    return pattern.sub(_escape, str(text))


def json_printable(text: str) -> str:
    """JSON text with every control character left as a ``\\uXXXX`` escape: still valid JSON, still safe.

    ``json.dumps(..., ensure_ascii=False)`` escapes C0 controls itself but leaves
    C1 controls, bidi overrides and lone surrogates raw; outside strings JSON has none.
    """
    return _UNSAFE_IN_LINES.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ESC shows as ␛
    return "\u2421" if code == 0x7F else "\ufffd"


def visible(text: str, keep_lines: bool = True) -> str:
    """``text`` with each control character replaced by one visible symbol (␛ for ESC, � for others).

    For the app: the length is kept, so styles laid over the text stay where they were.
    """
    pattern = _UNSAFE_IN_LINES if keep_lines else _UNSAFE
    return pattern.sub(_picture, text)


def has_control(text: str) -> bool:
    """Whether ``text`` holds a character :func:`printable` would escape (newlines and tabs included)."""
    return _UNSAFE.search(text) is not None

"""What counts as a source a user can look up (``coach sources`` looks them up for a node).

Every source a user sees must name something public: a statute or regulation
(``12 CFR 1006.26(b)``, ``15 U.S.C. 1692g``, ``ORS 442.614``, ``HB 21-1198``),
a Federal Register notice, an agency or publisher's site (``consumerfinance.gov``,
``nolo.com``), or a named study or article with its year. Coach's own research
notebook is not one: a user has no copy of it, so a source that cites it (or
names nothing) is refused by ``coach check``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_CHECKED = re.compile(r"[,;(]?\s*checked \d{4}-\d{2}-\d{2}\)?\s*$")
_INTERNAL = re.compile(r"\bFACTS\b|\bnotebook\b|\bour notes\b", re.IGNORECASE)
_LEGAL = re.compile(
    r"\bU\.S\.C\b|\bCFR\b|\b\d+ FR \d|\bILCS\b|\bORS\b|\bIRC\b|\bCPLR\b|§|"
    r"\b(?:H\.?B|S\.?B|AB|LD|SS|S|A|P\.A)\.? ?\d|\bAct\b|\bCode\b|\bLaw\b|\bHealth-General\b|"
    r"\bBulletin\b|\bForm \d|\bPub\. \d|\bFR Doc\b",
)
_SITE = re.compile(r"\b[\w-]+\.(?:gov|org|com|net|edu|us)\b")
_NAMED_WITH_YEAR = re.compile(
    r"\b[A-Z][\w&'.-]+(?:\s+[A-Z][\w&'.-]+)*\b.*\b(?:19|20)\d{2}\b|\b(?:19|20)\d{2}\b.*\b[A-Z]"
)


def public_source_problem(source: str) -> str | None:
    """Why ``source`` is not a public source a user can look up, or None when it is."""
    cited = _CHECKED.sub("", source).strip()
    if _INTERNAL.search(cited):
        return (
            f"source '{source}' cites coach's research notes, which users do not have: "
            "name the public source (statute, regulation, agency page or article, with its date)"
        )
    if not cited:
        return f"source '{source}' names no source, only a date"
    if _LEGAL.search(cited) or _SITE.search(cited) or _NAMED_WITH_YEAR.search(cited):
        return None
    return (
        f"source '{source}' names no public source: cite a statute or regulation, a site "
        "(like consumerfinance.gov), or a named publication with its year"
    )


def public_source_problems(sources: Iterable[str], label: str) -> list[str]:
    """Sources a user cannot look up (coach's own notes, or nothing named), each labelled."""
    found = (public_source_problem(source) for source in sources)
    return [f"{label}: {problem}" for problem in found if problem]

"""One case, both sides: the provider's bill and the insurer's claim.

A case holds the facts of both (facts.yaml and facts-insurer.yaml); a call is
with one of them. ``other_side`` says what the case knows about the side not on
the line, from the facts that side's counterpart lists in counterparts.yaml,
so the plan and the review show both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from coach.dialogue import counterparts


@dataclass(frozen=True)
class Side:
    """The side of the case not on this call: who it is, and what the case knows of it."""

    key: str
    name: str  # "a health insurer"
    lines: tuple[str, ...]  # "claim number: CLM-77", ...


def _show(value: Any) -> str:
    from coach.session.engine import show_value

    if isinstance(value, bool):
        return show_value("bool", value)
    if hasattr(value, "quantize"):
        return show_value("money", value)
    if hasattr(value, "isoformat"):
        return show_value("date", value)
    return str(value)


def other_side(facts: Mapping[str, Any], counterpart: str) -> Side | None:
    """The insurer's claim on a provider's call, or the provider's bill on the insurer's; None if unknown."""
    if counterparts.has(counterpart, "claims"):
        key = counterparts.infer(facts)  # who billed: a collector if the bill started elsewhere
    else:
        insurers = counterparts.with_trait("claims")
        if not insurers:
            return None
        key = insurers[0]
    side = counterparts.get(key)
    lines = tuple(
        f"{fact.replace('_', ' ')}: {_show(facts[fact])}"
        for fact in side.facts
        if facts.get(fact) not in (None, "")
    )
    return Side(key, side.name, lines) if lines else None


def side_summary(side: Side) -> str:
    """One line: "The other side: a health insurer (claim number: CLM-77; ...)"."""
    return f"The other side of this case, {side.name}: " + "; ".join(side.lines)

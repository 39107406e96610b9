"""The rehearsal, under the names front ends and tests have always imported.

The work is in :mod:`coach.rehearsal`, one module per job: ``files`` (personas
and scorecard files, checked), ``understand`` (what the user's own words mean),
``record`` (a call's events read for the rehearsal), ``partner`` (the simulated
other side and its offer engine) and ``scoring`` (the scorecard).
"""

from __future__ import annotations

from coach.rehearsal.files import (
    BANK_KEYS,
    DIFFICULTIES,
    ENGINE_SITUATIONS,
    GENERIC,
    LUMP,
    PLAN,
    TEMPLATE_NAMES,
    Bank,
    Line,
    Persona,
    Personas,
    ScorecardSpec,
    load_personas,
    load_scorecard,
    rehearse_dir,
    validate_rehearse,
)
from coach.rehearsal.partner import Partner, PartnerLine, personas_for
from coach.rehearsal.record import CallRecord, Offer, is_user_line, read_call
from coach.rehearsal.scoring import Scorecard, ScoreItem, format_scorecard, score

__all__ = [
    "BANK_KEYS",
    "DIFFICULTIES",
    "ENGINE_SITUATIONS",
    "GENERIC",
    "LUMP",
    "PLAN",
    "TEMPLATE_NAMES",
    "Bank",
    "CallRecord",
    "Line",
    "Offer",
    "Partner",
    "PartnerLine",
    "Persona",
    "Personas",
    "ScoreItem",
    "Scorecard",
    "ScorecardSpec",
    "format_scorecard",
    "is_user_line",
    "load_personas",
    "load_scorecard",
    "personas_for",
    "read_call",
    "rehearse_dir",
    "score",
    "validate_rehearse",
]

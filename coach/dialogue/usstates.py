"""US states (and DC) by two-letter code, so "Ohio", "ohio" and "OH" all read as OH."""

from __future__ import annotations

STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}  # fmt: skip
_BY_NAME = {name.lower(): code for code, name in STATES.items()}
_BY_NAME |= {"washington dc": "DC", "washington, dc": "DC", "d.c.": "DC"}


def parse_state(text: str) -> str:
    """ "Ohio" / "oh" / "OH" → "OH"; ValueError names what was typed."""
    cleaned = " ".join(str(text).replace(".", " ").split()) if len(str(text)) > 4 else str(text).strip()
    code = cleaned.upper()
    if code in STATES:
        return code
    found = _BY_NAME.get(cleaned.lower()) or _BY_NAME.get(str(text).strip().lower())
    if found:
        return found
    raise ValueError(f"'{text}' is not a US state (type it like OH or Ohio)")

"""Audience profile content, validated as plain data (no Django).

A profile is sections of fields; every field is a list of *claims*, and every claim carries its source,
the date it was true and an Admiralty grade (source reliability A-F, information credibility 1-6, e.g.
``B2``). An analyst who cannot name a source writes "F6" (reliability cannot be judged, truth cannot be
judged) rather than leave it blank: the grade tells the writer how far to lean on the claim.
"""

from __future__ import annotations

import re
from datetime import date

from meari.errors import MeariError

#: section -> fields (doctrine: who, conditions, vulnerabilities, susceptibility, accessibility by channel)
SECTIONS: dict[str, tuple[str, ...]] = {
    "who": ("unit_type", "origin", "age_range", "service_length", "deployed"),
    "conditions": ("food", "casualties", "treatment_by_russian_commanders", "phone_contact_rules",
                   "told_about_capture"),
    "vulnerabilities": ("vulnerabilities",),
    "susceptibility": ("susceptibility",),
    "accessibility": ("leaflet", "loudspeaker", "interpreter", "phone"),
}
FIELDS = tuple(f"{s}.{f}" for s, fs in SECTIONS.items() for f in fs)
RELIABILITY = {"A": "completely reliable", "B": "usually reliable", "C": "fairly reliable",
               "D": "not usually reliable", "E": "unreliable", "F": "reliability cannot be judged"}
CREDIBILITY = {"1": "confirmed by other sources", "2": "probably true", "3": "possibly true",
               "4": "doubtful", "5": "improbable", "6": "truth cannot be judged"}
GRADE = re.compile(r"^[A-F][1-6]$")
MAX_TEXT = 4000


def grade_meaning(grade: str) -> str:
    """``B2`` -> 'usually reliable source; probably true'."""
    g = normalise_grade(grade)
    return f"{RELIABILITY[g[0]]} source; {CREDIBILITY[g[1]]}"


def normalise_grade(grade: str) -> str:
    g = str(grade or "").strip().upper()
    if not GRADE.match(g):
        raise MeariError(f"Admiralty grade {grade!r} is not A1-F6 (source reliability A-F, information "
                         "credibility 1-6)", "grade")
    return g


def validate_claim(c: object, where: str) -> dict:
    """One claim: text, source, date (YYYY-MM-DD or YYYY-MM), grade."""
    if not isinstance(c, dict):
        raise MeariError("a claim needs text, source, date and grade", where)
    text = str(c.get("text", "")).strip()
    source = str(c.get("source", "")).strip()
    when = str(c.get("date", "")).strip()
    if not text:
        raise MeariError("a claim has no text", where)
    if len(text) > MAX_TEXT:
        raise MeariError(f"claim text longer than {MAX_TEXT} characters", where)
    if not source:
        raise MeariError("a claim has no source (name it; grade F6 if it cannot be judged)", where)
    if not re.match(r"^\d{4}-\d{2}(-\d{2})?$", when):
        raise MeariError(f"claim date {when!r} is not YYYY-MM-DD or YYYY-MM", where)
    try:
        y, m, *d = (int(x) for x in when.split("-"))
        date(y, m, d[0] if d else 1)
    except ValueError:
        raise MeariError(f"claim date {when!r} is not a real date", where) from None
    import unicodedata

    return {"text": unicodedata.normalize("NFC", text), "source": unicodedata.normalize("NFC", source),
            "date": when, "grade": normalise_grade(c.get("grade", ""))}


def validate_profile(data: object) -> dict:
    """The profile's content in canonical form: every known field present (a list of claims, maybe empty).

    Unknown sections or fields are refused by name, so a typo does not silently drop a claim.
    """
    if not isinstance(data, dict):
        raise MeariError("a profile is a mapping of sections", "profile")
    out: dict[str, dict[str, list[dict]]] = {}
    for s in data:
        if s not in SECTIONS:
            raise MeariError(f"unknown section {s!r} (known: {', '.join(SECTIONS)})", "profile")
    for s, fields in SECTIONS.items():
        sec = data.get(s) or {}
        if not isinstance(sec, dict):
            raise MeariError("a section is a mapping of fields", s)
        for f in sec:
            if f not in fields:
                raise MeariError(f"unknown field {f!r} (known: {', '.join(fields)})", s)
        out[s] = {}
        for f in fields:
            claims = sec.get(f) or []
            if isinstance(claims, dict):
                claims = [claims]
            if not isinstance(claims, list):
                raise MeariError("a field is a list of claims", f"{s}.{f}")
            out[s][f] = [validate_claim(c, f"{s}.{f}[{i + 1}]") for i, c in enumerate(claims)]
    return out


def claims(data: dict) -> list[tuple[str, dict]]:
    """(field path, claim) for every claim of validated profile data, in section order."""
    return [(f"{s}.{f}", c) for s, fs in SECTIONS.items() for f in fs for c in data.get(s, {}).get(f, [])]

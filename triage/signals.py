"""What the lexicon cues of a message say, read as rules: urgency first, then negation."""

from __future__ import annotations

from dataclasses import dataclass

from triage.lexicon import CueHit
from triage.taxonomy import GRIEVANCES

# Cues of harm to a person; "take" is taking someone away (wa-me-m-chukua, took him).
HARM = frozenset(
    {"killing", "disappearance", "arrest_detention", "violence_abuse", "community_tension", "take"}
)
_TAKEN = frozenset({"take", "arrest_detention", "disappearance", "killing"})
_ALWAYS_CRITICAL = frozenset({"injury", "threat", "ongoing"})
# "now" counts for a harm only this close to it: "sasa" far away is a discourse word.
_IMMEDIACY_REACH = 8
_THREAT_REACH = 7


@dataclass(frozen=True)
class Signals:
    """Rule-level reading of a message's cues."""

    labels: frozenset[str]  # cue labels with at least one cue that is not negated
    negated_labels: frozenset[str]  # cue labels whose every cue is negated
    critical: bool  # a life or safety at risk now, by the rules
    detained_now: bool
    praise: bool
    past: bool
    complaint_after_praise: str | None  # "thank you, but they still take bribes" -> that category


def read_signals(hits: list[CueHit]) -> Signals:
    """Combine cue hits into signals; negated cues never raise urgency."""
    active = [hit for hit in hits if not hit.negated]
    labels = {hit.label for hit in active}
    negated = {hit.label for hit in hits if hit.negated} - labels
    past = bool(labels & {"past_time", "released", "told_past"}) or _told_in_past_tense(active)
    return Signals(
        labels=frozenset(labels),
        negated_labels=frozenset(negated),
        critical=_is_critical(active, labels, past),
        detained_now="detained_now" in labels,
        praise="praise" in labels or _help_was_given(active),
        past=past,
        complaint_after_praise=_complaint_after_contrast(active),
    )


def _is_critical(active: list[CueHit], labels: set[str], past: bool) -> bool:
    if labels & _ALWAYS_CRITICAL:
        return True
    if _threat_to_kill(active):
        return True
    detained = "detained_now" in labels  # "held five days now" is grave, not an emergency
    if not past and not detained and _near(active, {"immediacy"}, HARM):
        return True
    if labels & {"disappearance", "take"} and _recent_only(active):
        return True  # taken this morning and not found: may still be found alive
    if {"disappearance", "take"} <= labels and not past:
        return True  # taken and missing, no sign it was long ago
    for hit in active:
        if hit.label in HARM and hit.tense == "progressive":
            return True  # wa-na-m-piga: they are beating him
        if hit.label == "killing" and hit.tense == "future":
            return True  # wa-ta-mu-ua: they will kill him
        if hit.label in _TAKEN and hit.tense == "perfect" and not past and not detained:
            return True  # wa-me-m-chukua: they have just taken him
    return "just_taken" in labels and not past


def _complaint_after_contrast(active: list[CueHit]) -> str | None:
    turns = [hit.start for hit in active if hit.label == "contrast"]
    if not turns:
        return None
    after = [hit for hit in active if hit.label in GRIEVANCES and hit.start > min(turns)]
    return after[0].label if after else None


def _threat_to_kill(active: list[CueHit]) -> bool:
    """a-me-tishia ku-mu-ua, threatened to shoot him: a threat on a life."""
    threats = [hit.start for hit in active if hit.label == "threaten"]
    return any(
        0 < hit.start - start <= _THREAT_REACH
        for hit in active
        if hit.label == "killing"
        for start in threats
    )


def _told_in_past_tense(active: list[CueHit]) -> bool:
    """a-li-pigwa, wa-li-m-kamata: the harm is narrated as done, whatever "sasa" follows."""
    return any(hit.label in HARM and hit.tense == "past" for hit in active)


def _recent_only(active: list[CueHit]) -> bool:
    """A "recent" cue and no other time cue ("jana usiku" is recent though "jana" is past)."""
    recent = [(hit.start, hit.end) for hit in active if hit.label == "recent"]
    pasts = [hit for hit in active if hit.label == "past_time"]
    return bool(recent) and all(
        any(start <= hit.start and hit.end <= end for start, end in recent) for hit in pasts
    )


def _near(active: list[CueHit], first: set[str], second: frozenset[str]) -> bool:
    starts = [hit.start for hit in active if hit.label in first]
    return any(
        abs(hit.start - start) <= _IMMEDIACY_REACH
        for hit in active
        if hit.label in second and hit.tense != "past"  # "walikamata ... sasa": then, not now
        for start in starts
    )


def _help_was_given(active: list[CueHit]) -> bool:
    # wa-me-tu-saidia, wa-na-tu-heshimu: help given or being given; a bare "saidia" is a plea.
    return any(hit.label == "help_given" and hit.tense is not None for hit in active)

"""Emergencies told in everyday words rather than named: a clash breaking out, stones or teargas
thrown, shops looted, someone fallen in a cell, screams while someone is forced, a plea that
lives are in danger, a person driven off in a car. ``triage.signals`` adds these reasons to its
own; hearsay and questions switch them off there as they do the others.
"""

from __future__ import annotations

from dataclasses import replace

from triage.lexicon import CueHit

# "vita imeanza", "clashes have started": the fight and its start this close.
_OUTBREAK_REACH = 4
# "wanarusha teargas", "mawe inarushwa", "throwing stones at": the throw and what is thrown.
_THROW_REACH = 4
# "wanavunja maduka", "shops being looted": the wrecking and the shops or homes.
_WRECK_REACH = 3
# Done (wa-me-vunja duka: broke into the shop), done then, a habit or an "if": not under way.
_NOT_NOW = frozenset({"perfect", "past", "habitual", "conditional"})
# Where a fall is no accident: in custody or where force is used.
_HELD_OR_FORCED = frozenset(
    {"arrest_detention", "detained_now", "violence_abuse", "ongoing", "shots", "community_tension"}
)
# Screams heard with one of these: someone hurt, taken or forced as it happens.
_SCREAMED_AT = frozenset({"killing", "violence_abuse", "take", "just_taken", "forcing", "disappearance"})
_TAKEN = frozenset({"take", "taking", "just_taken", "disappearance"})
_FALLEN = frozenset({"perfect", "progressive"})


def unfolding_reasons(active: list[CueHit], labels: frozenset[str], past: bool, still: bool) -> list[str]:
    """The everyday emergencies the cues tell; ``still`` when nothing says it is over."""
    found = []
    if still and _within(active, "clash", {"outbreak"}, _OUTBREAK_REACH):
        found.append("clash_under_way")
    if not past and _within(active, "throw", {"missile"}, _THROW_REACH):
        found.append("thrown_now")
    if not past and _within(active, "wreck", {"property"}, _WRECK_REACH):
        found.append("looting_now")
    if still and labels & _HELD_OR_FORCED and _fallen(active):
        found.append("collapsed")
    if still and "in_danger" in labels:
        found.append("in_danger")
    if not past and "distress" in labels and labels & _SCREAMED_AT:
        found.append("screams")
    if not past and labels & _TAKEN and {"vehicle", "approaching"} <= labels:
        found.append("driven_off")
    return found


def as_shakedown(active: list[CueHit]) -> list[CueHit]:
    """ "wananyaka wasee ... 500 ndio uachiliwe": arrests made to be paid off are extortion told
    as a habit, not someone taken now."""
    if not any(hit.label == "shakedown" for hit in active):
        return active
    arrests = {hit.start for hit in active if hit.label == "arrest_detention"}
    return [
        replace(hit, tense="habitual")
        if hit.label == "arrest_detention" and hit.tense == "progressive"
        else hit
        for hit in active
        if not (hit.label == "ongoing" and hit.start in arrests)
    ]


def while_then(active: list[CueHit]) -> list[CueHit]:
    """ "walivunja mkono wakimnyaka": a wa-ki- verb after one in the past tense (a-li-) went on
    while that happened, then, not now; so did "they were beating him"."""
    pasts = [hit.start for hit in active if hit.label == "past_clause"]
    over = {hit.start for hit in active if hit.language == "en" and hit.tense == "past"}
    return [
        replace(hit, tense="past")
        if hit.mood == "while_or_if"
        and hit.tense == "progressive"
        and any(start < hit.start for start in pasts)
        else hit
        for hit in active
        if not (hit.label == "ongoing" and hit.start in over)
    ]


def _within(active: list[CueHit], label: str, others: set[str], reach: int) -> bool:
    """A cue of ``label``, not told as past, a habit or a condition, near one of ``others``."""
    starts = [hit.start for hit in active if hit.label in others]
    return any(
        abs(hit.start - start) <= reach
        for hit in active
        if hit.label == label and hit.tense not in _NOT_NOW
        for start in starts
    )


def _fallen(active: list[CueHit]) -> bool:
    """a-me-anguka, a-na-zirai: someone has fallen or is fainting (not a-li-anguka, long ago)."""
    return any(hit.label == "collapse" and hit.tense in _FALLEN for hit in active)

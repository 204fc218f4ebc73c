"""Lives at risk from a hazard rather than a person: people buried under a fallen building,
a flood rising round people or onto their roofs, someone fallen into a pit or a well. Told
in the past tense as they are ("the wall collapsed, we hear them"), they are now unless a
time gone by is named or the person is found.
"""

from __future__ import annotations

from triage.lexicon import CueHit

# Water rising where people are stuck, up on a roof or calling for help; not a dam filling.
_CUT_OFF = frozenset({"trapped", "refuge", "plea", "in_danger", "distress", "swept", "drowning"})
# Heard calling, stuck, or out of reach under what fell: someone alive under it now.
_ALIVE_UNDER = frozenset({"trapped", "heard_now", "crying", "distress", "plea"})
_OVER = frozenset({"released", "found_dead", "past_time", "for_long"})
# "fell into a manhole": the fall and the pit this close.
_PIT_REACH = 5
_NOT_NOW = frozenset({"past", "habitual", "conditional", "future"})


def hazard_reasons(active: list[CueHit], labels: frozenset[str]) -> list[str]:
    """The hazards the cues tell a life is at risk from now."""
    if labels & _OVER:
        return []
    found = []
    if "rubble" in labels and labels & _ALIVE_UNDER:
        found.append("buried")
    if "rising_water" in labels and labels & _CUT_OFF:
        found.append("flood_rising")
    if _fallen_in(active):
        found.append("fallen_in")
    return found


def _fallen_in(active: list[CueHit]) -> bool:
    """ "ametumbukia shimoni", "fell into a manhole": someone fallen into a pit, not long ago."""
    pits = [hit.start for hit in active if hit.label == "pit"]
    return any(
        0 < start - hit.start <= _PIT_REACH
        for hit in active
        if hit.label == "fallen_in" and hit.tense not in _NOT_NOW
        for start in pits
    )

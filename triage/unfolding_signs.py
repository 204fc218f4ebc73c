"""Emergencies told by their signs rather than named: someone not arrived for hours, armed men
gathering or on the move while people flee, a fight "any minute" with stones ready, death
foretold for tonight, someone gone under water, a group surrounded by armed men, someone struck
while a gang shoots, a detainee whose body fails or whose illness goes untreated. An identity
swoop with no harm and no "now" is the everyday harassment it is.
"""

from __future__ import annotations

from dataclasses import replace

from triage.lexicon import CueHit

# An hour or a part of today, or "now": absence counted in hours. "Since" a raid or a month
# counts days.
_TODAY = frozenset({"recent", "clock", "day_time", "immediacy", "just"})
_PEOPLE = frozenset({"person", "vulnerable"})
# Found, freed, dead or gone for days: no longer missing for hours.
_SETTLED = frozenset({"for_long", "released", "killing", "found_dead", "told_past"})
# "wameanza kukusanya mawe", "gathering with machetes": the gathering and the arms this close.
_GATHER_REACH = 4
_ARMS = frozenset({"armed", "missile"})
_SET_TO_FIGHT = frozenset({"clash", "community_tension"})
_ATTACKS = frozenset({"violence_abuse", "killing", "community_tension"})
_ATTACK_REACH = 2
_NOT_NOW = frozenset({"past", "habitual", "conditional"})
# Armed men or a clash: what people run from and what surrounds them.
_MENACING = frozenset({"armed", "missile", "community_tension", "shots"})
# A death foretold is a threat when it has a time or comes with a threat or a visit.
_PRESSING = frozenset({"immediacy", "recent", "at_door", "threat", "threaten", "menace"})
_SOON = frozenset({"immediacy", "recent"})
# Struck where a gang or a gun is at work: someone hit now.
_ATTACK = frozenset({"shots", "armed", "community_tension", "violence_abuse"})
_HELD = frozenset({"arrest_detention", "detained_now"})
_UNTREATED = frozenset({"no_medicine", "worsening"})
_OVER = frozenset({"released", "found_dead", "killing"})
_DATED = frozenset({"past_time", "for_long"})
# An identity swoop turns urgent with one of these: a harm, a weapon or "now".
_SWOOP_DANGER = frozenset(
    {"violence_abuse", "killing", "injury", "armed", "shots", "immediacy", "take", "just_taken"}
    | {"disappearance", "unmarked", "vehicle", "threat", "plea"}
)


def sign_reasons(active: list[CueHit], labels: frozenset[str], past: bool, still: bool) -> list[str]:
    """The emergencies the signs in the cues tell; ``still`` when nothing says it is over."""
    found = []
    if _missing_for_hours(active, labels):
        found.append("missing_hours")
    if still and _arming(active):
        found.append("arming_now")
    if still and labels & _SOON and near(active, "gather", _SET_TO_FIGHT, _GATHER_REACH, _NOT_NOW):
        found.append("fight_set_for_today")  # "wanajipanga kupigana leo jioni"
    if still and labels & _SOON and _threatening_now(active, labels):
        found.append("threatened_now")
    if still and {"clash", "imminent"} <= labels and labels & _ARMS:
        found.append("clash_imminent")  # stones ready and a fight "any minute": not a meeting
    if still and "fleeing" in labels and labels & _MENACING:
        found.append("people_fleeing")
    if still and "doom" in labels and labels & _PRESSING:
        found.append("threat_to_kill")
    if still and "menace" in labels and labels & _SOON:
        found.append("threat_to_kill")
    if _under_water(labels):
        found.append("drowning")
    # "surrounded" is also a cue of men at the door, which alone makes ``still`` hold.
    # ... by armed men or a mob, or so that no one can get out ("tumezingirwa, hatuwezi toka").
    surrounded = "surrounded" in labels and labels & (_MENACING | {"trapped"}) and not labels & _OVER
    if surrounded and (not past or "immediacy" in labels):
        found.append("surrounded")
    if still and "struck" in labels and labels & _ATTACK:
        found.append("struck_now")
    if _sick_in_custody(active, labels, still):
        found.append("sick_in_custody")
    return found


def as_swoop(active: list[CueHit]) -> list[CueHit]:
    """ "mapolo wanashika kila mtu hana ID": arrests for identity papers, with no harm, weapon
    or "now" told, are a swoop that keeps happening, not someone taken now."""
    labels = {hit.label for hit in active}
    if "id_check" not in labels or labels & _SWOOP_DANGER:
        return active
    return arrests_as_habit(active)


def arrests_as_habit(active: list[CueHit]) -> list[CueHit]:
    """The arrests told as going on, told as a habit instead, and no longer "now"."""
    arrests = {hit.start for hit in active if hit.label == "arrest_detention"}
    return [
        replace(hit, tense="habitual")
        if hit.label == "arrest_detention" and hit.tense == "progressive"
        else hit
        for hit in active
        if not (hit.label == "ongoing" and hit.start in arrests)
    ]


def _missing_for_hours(active: list[CueHit], labels: frozenset[str]) -> bool:
    """ "left at 2pm, its 9pm and he never reached", "hajarudi tangu asubuhi": someone not
    arrived, told by the hours, or a child not home; nobody found, freed, dead or gone long."""
    if labels & _SETTLED or _before_now(active):
        return False
    # ha-ja-fika has a person for its subject; "has not arrived" may be a parcel.
    absent = {hit.language for hit in active if hit.label == "not_arrived"}
    someone = bool(absent - {"en"}) or bool(labels & _PEOPLE)
    by_the_clock = someone and bool(labels & _TODAY)
    # "not home" may be a stay with granny; at a late hour of today, someone is missing.
    if "not_home" in labels and by_the_clock:
        return True
    return bool(absent) and ("vulnerable" in labels or by_the_clock)


def _before_now(active: list[CueHit]) -> bool:
    """A time gone by, other than the "mpaka" of "mpaka sasa" (until now)."""
    untils = {hit.start for hit in active if hit.label == "until_now"}
    return any(hit.label == "past_time" and hit.start not in untils for hit in active)


def _under_water(labels: frozenset[str]) -> bool:
    """ "went under and has not come up", "amesombwa na maji": told in the past tense as it
    is, a drowning is now unless a time gone by is named or the body is found."""
    swept = "swept" in labels and bool(labels & _PEOPLE)
    return ("drowning" in labels or swept) and not labels & (_OVER | _DATED)


def _arming(active: list[CueHit]) -> bool:
    """ "wameanza kukusanya mawe", "gathering with pangas": weapons gathered now."""
    return near(active, "gather", _ARMS, _GATHER_REACH, _NOT_NOW)


def _threatening_now(active: list[CueHit], labels: frozenset[str]) -> bool:
    """ "yuko nje ya ploti sasa ananitishia": threatening the reporter at the door now; "mbogi
    inatishia kuvamia leo": threatening an attack for today."""
    threats = [hit for hit in active if hit.label == "threaten" and hit.tense == "progressive"]
    attacks = [hit.start for hit in active if hit.label in _ATTACKS]
    at_me_here = "at_door" in labels
    return any(
        (hit.first_person and at_me_here) or any(0 < at - hit.start <= _ATTACK_REACH for at in attacks)
        for hit in threats
    )


def near(
    active: list[CueHit], label: str, others: frozenset[str], reach: int, not_now: frozenset[str]
) -> bool:
    """A cue of ``label`` in a tense not in ``not_now``, this close to one of ``others``."""
    starts = [hit.start for hit in active if hit.label in others]
    return any(
        abs(hit.start - start) <= reach
        for hit in active
        if hit.label == label and hit.tense not in not_now
        for start in starts
    )


def _sick_in_custody(active: list[CueHit], labels: frozenset[str], still: bool) -> bool:
    """A detainee with chest pain or fits, or whose illness goes without medicine or worsens;
    held still, whatever "since yesterday" says, unless told only as past."""
    if not labels & _HELD or labels & _OVER:
        return False
    held_then = all(hit.tense == "past" for hit in active if hit.label in _HELD)
    failing = "acute" in labels or "worsening" in labels or ("chronic" in labels and labels & _UNTREATED)
    return bool(failing) and (still or not held_then)

"""Emergencies told in everyday words rather than named: a clash breaking out, stones or teargas
thrown, shops looted, someone fallen in a cell, screams while someone is forced, a plea that
lives are in danger, a person driven off in a car, a harm done minutes ago, a body starting to
fail, a hanging in a cell, a hunt from door to door, people forced into a car, gunfire or crying
heard. ``triage.signals`` adds these reasons to its own; hearsay and questions switch them off
there as they do the others. Music played all night, a gang at work "in the evenings" and a
threat of revenge for a harm done are read as the everyday troubles they are.
"""

from __future__ import annotations

from dataclasses import replace

from triage.lexicon import CueHit
from triage.unfolding_hazards import hazard_reasons
from triage.unfolding_signs import arrests_as_habit, as_swoop, near, sign_reasons

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
_SCREAMED_AT = frozenset(
    {"killing", "violence_abuse", "take", "taking", "just_taken", "forcing", "disappearance", "locked_in"}
)
_TAKEN = frozenset({"take", "taking", "just_taken", "disappearance"})
_FALLEN = frozenset({"perfect", "progressive"})
# A harm done to a person: with "just" or minutes ago, done a moment ago.
_HURT = frozenset(
    {"killing", "disappearance", "arrest_detention", "violence_abuse", "take", "taking", "just_taken"}
)
# Taking may be of a phone or a bag: a person must be named near it.
_TAKING = frozenset({"take", "taking"})
_PEOPLE = frozenset({"person", "vulnerable"})
# A time or a state that says it is not a moment ago.
_LONG_AGO = frozenset({"past_time", "released", "for_long"})
_HABITS = frozenset({"every", "usually"})
# Taken or arrested and not known where: missing since this morning may still be found.
_UNKNOWN_WHERE = frozenset({"whereabouts", "disappearance"})
_TAKEN_AWAY = frozenset({"take", "taking", "just_taken", "arrest_detention"})
# "ameuawa dakika chache zilizopita", "just got snatched": the moment and the harm this close.
_JUST_REACH = 4
_PERSON_REACH = 6
# "dakika tano zilizopita", "5 mins ago", "saa kumi na moja jioni": the two words this close.
_MINUTES_REACH = 3
# "ameanza kuzimia", "is starting to faint": the start and the failing body this close.
_ONSET_REACH = 2
_FAILING = frozenset({"symptom", "collapse", "injury", "down"})
# "tangu jana" names when it began, not that it is over.
_SINCE_REACH = 2
# "risasi zinalia", "we can hear gunshots": the sound and what is heard.
_HEARD_REACH = 4
_GUNFIRE = frozenset({"shots", "bullet"})
# "wanalazimishwa kuingia gari": forced, and the car they are forced into.
_VEHICLE_REACH = 5
_VEHICLES = frozenset({"vehicle", "police_vehicle"})
_NOT_FORCED_NOW = frozenset({"past", "habitual", "conditional"})
# Held, or a person named: a hanging that is no picture on a wall.
# A cue that begins inside one of these tells nothing of its own: the "now" of "hadi sasa",
# "until now" and "we are safe now" is no immediacy, the "ago" of "5 mins ago" no time gone by,
# the "movie" of "it was like a movie" and the song of "nyimbo za chuki" no fiction, the "i heard"
# of "i heard one say" no rumour.
_INSIDE: dict[str, frozenset[str]] = {
    "immediacy": frozenset({"past_time", "released"}),
    "past_time": frozenset({"just"}),
    "fiction": frozenset({"simile", "chant"}),
    "released": frozenset({"at_door"}),
    "rumour": frozenset({"heard_said"}),
}
# "naogopa [polisi] wataniua": the fear a word or two before the killing it fears.
_FEAR_REACH = 2
_HANGED = frozenset({"arrest_detention", "detained_now", "person", "vulnerable", "killing"})
_DEATH_TOLD = frozenset({"found_dead", "died"})
# Searching door to door for someone, or armed: a hunt, not a campaign.
_SOUGHT = frozenset({"approaching", "armed", "to_me", "take", "taking"})
# A harm or a danger told: a time of day or music is then no habit.
_DANGER = frozenset(
    {"ongoing", "threat", "threaten", "at_door", "in_danger", "injury", "shots", "down", "distress"}
)
# Music played all night is a nuisance unless someone is in danger too, armed or not.
_NOT_A_NUISANCE = _DANGER | {"armed"}
# A time of day ("jioni") is a habit only when nothing says it is now, then or dangerous.
_NOT_A_HABIT = _DANGER | frozenset(
    {"recent", "immediacy", "just", "past_time", "since", "every", "usually", "approaching", "plea"}
    | {"trapped", "leaving", "hunted", "forcing"}
)
# "wa-ta-mu-ua kulipiza kisasi": a killing still to come is a threat on a life, revenge or not.
_TO_COME = frozenset({"progressive", "future"})
# "beating drums", "a-na-piga ngoma": the harm word right before the nuisance plays it.
_PLAYED_REACH = 2


def unfolding_reasons(active: list[CueHit], labels: frozenset[str], past: bool, still: bool) -> list[str]:
    """The everyday emergencies the cues tell; ``still`` when nothing says it is over."""
    found = []
    if still and near(active, "clash", frozenset({"outbreak"}), _OUTBREAK_REACH, _NOT_NOW):
        found.append("clash_under_way")
    if not past and near(active, "throw", frozenset({"missile"}), _THROW_REACH, _NOT_NOW):
        found.append("thrown_now")
    if not past and near(active, "wreck", frozenset({"property"}), _WRECK_REACH, _NOT_NOW):
        found.append("looting_now")
    if still and labels & _HELD_OR_FORCED and _fallen(active):
        found.append("collapsed")
    if still and "in_danger" in labels:
        found.append("in_danger")
    if not past and "distress" in labels and labels & _SCREAMED_AT:
        found.append("screams")
    if not past and labels & _TAKEN and {"vehicle", "approaching"} <= labels:
        found.append("driven_off")
    signs = sign_reasons(active, labels, past, still) + hazard_reasons(active, labels)
    return found + _sudden_reasons(active, labels, past, still) + signs


def _sudden_reasons(active: list[CueHit], labels: frozenset[str], past: bool, still: bool) -> list[str]:
    """A harm a moment ago, a body failing, a hanging, a hunt, a forcing into a car, gunfire or
    crying heard: told in words that name no emergency."""
    habit = bool(labels & _HABITS)
    found = []
    if _just_harmed(active, labels):
        found.append("just_harmed")
    if labels & _UNKNOWN_WHERE and labels & _TAKEN_AWAY and _today_only(active, labels):
        found.append("taken_today")
    if _failing(active, labels):
        found.append("failing_now")
    if not past and "hanging" in labels and labels & _HANGED and not labels & _DEATH_TOLD:
        found.append("hanging")
    sought = "hunted" in labels or ("door_to_door" in labels and labels & _SOUGHT)
    if still and sought and not habit:
        found.append("hunted")
    if still and near(active, "forcing", _VEHICLES, _VEHICLE_REACH, _NOT_FORCED_NOW):
        found.append("forced_into_vehicle")
    if not past and not habit and near(active, "heard_now", _GUNFIRE, _HEARD_REACH, frozenset()):
        found.append("gunfire_heard")
    if not past and not habit and _crying_heard(active, labels):
        found.append("crying_heard")
    return found


def moments_ago(active: list[CueHit]) -> list[CueHit]:
    """ "dakika tano zilizopita", "10 mins ago": minutes, then "ago", read as one "just" cue,
    so the "ago" in it tells no time gone by; "saa nne asubuhi", "at 10 in the morning": an
    hour of the day, with no day named, read as a "recent" cue (today)."""
    return active + _joined(active, "minutes", "ago", "just") + _joined(active, "clock", "day_time", "recent")


def without_inside(active: list[CueHit]) -> list[CueHit]:
    """Drop a cue that begins inside another's span (``_INSIDE``)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for hit in active:
        spans.setdefault(hit.label, []).append((hit.start, hit.end))
    return [
        hit
        for hit in active
        if not any(
            start <= hit.start < end
            for container in _INSIDE.get(hit.label, ())
            for start, end in spans.get(container, [])
        )
    ]


def _joined(active: list[CueHit], first: str, second: str, label: str) -> list[CueHit]:
    """A ``label`` cue over a ``first`` cue followed shortly by a ``second``."""
    seconds = [hit for hit in active if hit.label == second]
    return [
        CueHit(label, hit.language, hit.start, after.end)
        for hit in active
        if hit.label == first
        for after in seconds
        if 0 < after.start - hit.start <= _MINUTES_REACH
    ]


def as_everyday(active: list[CueHit]) -> list[CueHit]:
    """Drums played, a gang at work "jioni" (in the evenings), "you will pay for it", a swoop
    for IDs: an everyday nuisance, a habit, a revenge for a harm done, not an emergency."""
    return as_swoop(_as_revenge(_as_daily(_as_nuisance(active))))


def as_feared(active: list[CueHit]) -> list[CueHit]:
    """ "anaogopa atauawa na polisi", "afraid they will kill me": a killing feared is no threat
    made; "wamesema wataniua, naogopa" is still one."""
    fears = [hit.end for hit in active if hit.label == "fear"]
    kept = []
    for hit in active:
        feared = any(0 <= hit.start - end <= _FEAR_REACH for end in fears)
        if feared and hit.label == "threat":
            continue
        to_come = hit.tense == "future" or hit.mood == "subjunctive"
        kept.append(replace(hit, tense="feared") if feared and hit.label == "killing" and to_come else hit)
    return kept


def as_shakedown(active: list[CueHit]) -> list[CueHit]:
    """ "wananyaka wasee ... 500 ndio uachiliwe": arrests made to be paid off are extortion told
    as a habit, not someone taken now."""
    if not any(hit.label == "shakedown" for hit in active):
        return active
    return arrests_as_habit(active)


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


def _fallen(active: list[CueHit]) -> bool:
    """a-me-anguka, a-na-zirai: someone has fallen or is fainting (not a-li-anguka, long ago)."""
    return any(hit.label == "collapse" and hit.tense in _FALLEN for hit in active)


def _just_harmed(active: list[CueHit], labels: frozenset[str]) -> bool:
    """ "just got snatched", "ameuawa dakika chache zilizopita", "ndo wamemchukua": a harm to a
    person beside a word for a moment ago, and no word for a time long gone."""
    if labels & _LONG_AGO or labels & _HABITS:
        return False
    justs = [(hit.start, hit.label) for hit in active if hit.label in {"just", "just_then"}]
    people = [hit.start for hit in active if hit.label in _PEOPLE]
    # "ndio" is "just then" only before a verb that was done: "ndio tumwone" is "so that we see him".
    return any(
        abs(hit.start - start) <= _JUST_REACH
        and (hit.tense in {"perfect", "past"} or (hit.language == "en" and just == "just"))
        and (hit.label not in _TAKING or any(abs(hit.start - at) <= _PERSON_REACH for at in people))
        for hit in active
        if hit.label in _HURT and hit.tense not in {"habitual", "conditional"}
        for start, just in justs
    )


def _today_only(active: list[CueHit], labels: frozenset[str]) -> bool:
    """Told as today ("this morning", "saa nne asubuhi") and at no time before it ("jana" of
    "jana usiku" is inside "today"); no one found, freed or dead."""
    if labels & {"released", "killing", "for_long", "detained_now"}:
        return False
    today = [(hit.start, hit.end) for hit in active if hit.label in {"recent", "just"}]
    return bool(today) and all(
        any(start <= hit.start < end for start, end in today) for hit in active if hit.label == "past_time"
    )


def _failing(active: list[CueHit], labels: frozenset[str]) -> bool:
    """ "ameanza kuzimia", "is starting to vomit": a body beginning to fail, unless a time
    other than the one "since" names says it is over."""
    if "released" in labels or _dated_before(active):
        return False
    onsets = [hit.end for hit in active if hit.label == "onset"]
    return any(
        0 <= hit.start - end <= _ONSET_REACH for hit in active if hit.label in _FAILING for end in onsets
    )


def _dated_before(active: list[CueHit]) -> bool:
    """A time gone by not named by "since" ("tangu jana" is when it began)."""
    sinces = [hit.start for hit in active if hit.label == "since"]
    return any(
        not any(0 < hit.start - start <= _SINCE_REACH for start in sinces)
        for hit in active
        if hit.label == "past_time"
    )


def _crying_heard(active: list[CueHit], labels: frozenset[str]) -> bool:
    """ "tunamsikia akilia", "we can hear her crying" while a harm goes on."""
    crying = bool(labels & {"crying", "distress"})
    heard = "heard_now" in labels or any(hit.tense == "progressive" for hit in active if hit.label in _HURT)
    return crying and heard and bool(labels & _SCREAMED_AT)


def _as_nuisance(active: list[CueHit]) -> list[CueHit]:
    """ "inapiga ngoma", "beating drums": the music played is no beating; with no harm left, a
    nuisance told is a habit."""
    played = [hit.start for hit in active if hit.label == "nuisance"]
    if not played:
        return active
    kept = [
        hit
        for hit in active
        if not (
            hit.label in {"violence_abuse", "ongoing"}
            and any(0 < start - hit.start <= _PLAYED_REACH for start in played)
        )
    ]
    return _as_habit_if_calm(kept, "nuisance", _NOT_A_NUISANCE)


def _as_daily(active: list[CueHit]) -> list[CueHit]:
    """ "wanaibanga watu jioni": a time of day with no harm told in a tense, no "now" and no
    danger, is when it keeps happening."""
    return _as_habit_if_calm(active, "daypart", _NOT_A_HABIT)


def _as_habit_if_calm(active: list[CueHit], label: str, danger: frozenset[str]) -> list[CueHit]:
    """``label`` cues read as "every" when no harm is told in a tense and no ``danger`` cue."""
    calm = not any(hit.label in danger or (hit.label in _HURT and hit.tense is not None) for hit in active)
    return [replace(hit, label="every") if calm and hit.label == label else hit for hit in active]


def _as_revenge(active: list[CueHit]) -> list[CueHit]:
    """ "the officer who beat our son ... we will pay for it": a threat of revenge names a harm
    done, told as past unless it is going on or a life is threatened."""
    labels = {hit.label for hit in active}
    if "revenge" not in labels or labels & {"threat", "ongoing", "doom", "menace"}:
        return active
    return [
        replace(hit, tense="past") if hit.label in _HURT and hit.tense not in _TO_COME else hit
        for hit in active
    ]

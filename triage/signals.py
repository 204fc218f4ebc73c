"""What the lexicon cues of a message say, read as rules: the safety net for urgency.

Each rule names one way a life or safety is at risk now (harm going on, an armed person at
the door or on the way, someone hurt or in need of medicine, shots with someone down, someone
just taken in a car without plates, young people leaving tonight, a threat to kill). Hearsay,
questions, a harm that is denied, a film, a song or a dream, and a harm told as history, as a
habit or as a condition lower urgency: they switch the rules off, and what the rules would
have said is kept as ``dampened`` so triage can still ask a person to check the message now
(not for a film, a song or a dream).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from triage.lexicon import CueHit
from triage.taxonomy import GRIEVANCES
from triage.unfolding import (
    as_everyday,
    as_feared,
    as_shakedown,
    moments_ago,
    unfolding_reasons,
    while_then,
    without_inside,
)

# Cues of harm to a person; "take" is taking someone away (wa-me-m-chukua, took him).
HARM = frozenset(
    {"killing", "disappearance", "arrest_detention", "violence_abuse", "community_tension", "take"}
)
_TAKEN = frozenset({"take", "arrest_detention", "disappearance", "killing"})
_NOW = frozenset({"immediacy", "ongoing", "recent"})
_HEARSAY = frozenset({"rumour", "denial", "fiction"})
_HABIT = frozenset({"usually", "every"})
_HARM_OR_THREAT = HARM | {"threaten", "threat"}
# Asking what to do about one of these is a plea, not a question whether it happened.
_PRESSING = frozenset(
    {
        "immediacy",
        "ongoing",
        "recent",
        "threat",
        "threaten",
        "in_danger",
        "throw",
        "wreck",
        "distress",
        "outbreak",
    }
)
# A weapon alone may be praise; with one of these it is someone armed and threatening now.
_ARMED_AND = frozenset({"at_door", "threat", "threaten", "shots", "ongoing", "immediacy", "approaching"})
# "msaliti utakufa" (traitor, you will die) to a returnee: a threat on a life.
_THREATENING = frozenset({"threat", "armed", "doom"})
# Force being used where someone is down: a beating, a chase, shots, weapons, a clash.
_FORCE = frozenset({"violence_abuse", "pressure", "ongoing", "shots", "armed", "community_tension"})
# "now" counts for a harm only this close to it: "sasa" far away is a discourse word.
_IMMEDIACY_REACH = 8
_THREAT_REACH = 7
_TAKEN_REACH = 3
# "walikuwa (bado) wanatuchapa", "were beating us": the auxiliary comes right before the verb.
_AUXILIARY_GAP = 1
# "amepotea tangu makarao walikuja kwa raid jana": "since" and the time or event it names.
_SINCE_REACH = 7
_BULLET_REACH = 2
# A plea this short is all the reporter had time to type: "help pls", "saidieni".
_SHORT_PLEA = 5


@dataclass(frozen=True)
class Signals:
    """Rule-level reading of a message's cues."""

    labels: frozenset[str]  # cue labels with at least one cue that is not negated
    negated_labels: frozenset[str]  # cue labels whose every cue is negated
    reasons: frozenset[str]  # which emergency rules hold (before hearsay is considered)
    hearsay: bool  # a rumour, a question, a denial or a film
    detained_now: bool
    praise: bool
    past: bool
    grave: bool  # a harm grave in itself (rape, a miscarriage, a broken limb) is told
    released: bool  # the person is back, found or safe
    habitual: bool  # the harm is told as one that keeps happening ("huwa", "every friday")
    complaint_after_praise: str | None  # "thank you, but they still take bribes" -> that category
    thanks_first: bool = False  # thanks before any harm told: "asante kwa kumkamata mwizi"

    @property
    def critical(self) -> bool:
        """A life or safety at risk now, by the rules."""
        return bool(self.reasons) and not self.hearsay

    @property
    def dampened(self) -> bool:
        """The rules saw an emergency, but it was hearsay or a question: check it, not certain.
        A film, a song or a dream is no emergency to check."""
        return bool(self.reasons) and self.hearsay and "fiction" not in self.labels

    def rule_names(self) -> list[str]:
        """The signals as model features (``rule:<name>``)."""
        names = [f"why:{reason}" for reason in sorted(self.reasons)]
        flags = {
            "critical": self.critical,
            "dampened": self.dampened,
            "hearsay": self.hearsay,
            "detained": self.detained_now,
            "praise": self.praise,
            "past": self.past,
            "only_negated_harm": bool(self.negated_labels & HARM) and not self.labels & HARM,
        }
        return names + [name for name, on in flags.items() if on]


def read_signals(hits: list[CueHit], length: int = 0) -> Signals:
    """Combine cue hits into signals; negated cues never raise urgency.

    ``length`` is the message's number of words, for the rule on very short pleas.
    """
    active = without_inside(moments_ago([hit for hit in hits if not hit.negated]))
    active = as_feared(as_shakedown(_as_habit(as_everyday(_as_condition(while_then(_told_as_then(active)))))))
    labels = frozenset(hit.label for hit in active)
    negated = frozenset(hit.label for hit in hits if hit.negated) - labels
    past = bool(labels & {"past_time", "released", "told_past"}) or _told_in_past_tense(active)
    praise = "praise" in labels or _help_was_given(active)
    return Signals(
        labels=labels,
        negated_labels=negated,
        reasons=frozenset(_reasons(active, labels, past, praise, length)),
        hearsay=(bool(labels & _HEARSAY) or _asks_more_than_advice(active)) and not _pleads_now(labels),
        detained_now="detained_now" in labels,
        praise=praise,
        past=past,
        grave="grave" in labels,
        released="released" in labels,
        habitual=any(hit.label in _HABIT or hit.tense == "habitual" for hit in active),
        complaint_after_praise=_complaint_after_contrast(active),
        thanks_first=_thanks_first(active),
    )


def _reasons(
    active: list[CueHit], labels: frozenset[str], past: bool, praise: bool, length: int
) -> list[str]:
    # "...last month, now they are at our gate"; "beaten on Saturday, sahii ako KNH": now in care.
    now = (bool(labels & _NOW) or "at_door" in labels) and not (past and "in_care" in labels)
    still = not past or now  # "beaten yesterday and now vomiting blood" is still an emergency
    gone_long = past or "for_long" in labels  # missing for ten days: grave, no longer hours
    found = unfolding_reasons(active, labels, past, still)
    if "ongoing" in labels and not _told_as_over(labels):
        found.append("harm_now")
    if "injury" in labels and still:
        found.append("medical")
    threat = "threat" in labels or _threat_to_kill(active) or _threat_to_shoot(active)
    if (threat or _person_after(active, "finishing")) and still and not _threat_long_past(active, labels):
        found.append("threat_to_kill")
    if "armed" in labels and labels & _ARMED_AND and still and not praise:
        found.append("armed_present")
    if "shots" in labels and labels & {"down", "injury", "immediacy"} and still and not praise:
        found.append("shots_fired")
    if "unmarked" in labels and labels & {"take", "just_taken", "vehicle", "disappearance"} and still:
        found.append("taken_unmarked")
    if "recruitment_concern" in labels and "leaving" in labels and still:
        found.append("leaving_tonight")
    if "down" in labels and labels & _FORCE and still and not praise:
        found.append("someone_down")  # someone fallen or lying where force is being used
    at_door_now = "at_door" in labels and bool(labels & _NOW)
    if "returnee_support" in labels and (labels & _THREATENING or at_door_now) and still:
        found.append("returnee_threatened")
    if _intends_harm(active) and labels & {"at_door", "armed", "approaching"} and still and not praise:
        found.append("about_to_harm")  # at the door, wanting to take him
    if "trapped" in labels and labels & {"fire", "vulnerable", "injury"} and still:
        found.append("trapped")  # children trapped in a burning plot
    if "plea" in labels and 0 < length <= _SHORT_PLEA and not praise:
        found.append("short_plea")
    if _harm_told_now(active, labels, gone_long):
        found.append("harm_now")
    if _child_missing(labels, gone_long) and not praise:
        found.append("child_missing")
    headline = _person_before(active, "taking") and "if" not in labels  # not "if my son is taken"
    taken = _person_after(active, "taking") or headline
    hours_ago = "recent" in labels and "for_long" not in labels  # "was taken an hour ago"
    if taken and (hours_ago or not gone_long) and "detained_now" not in labels:
        found.append("taken_now")
    return found


def _pleads_now(labels: frozenset[str]) -> bool:
    """ "...watu wanasema amekufa. Tuma msaada sasa hivi": a plea for help now is made by someone
    there, whatever they heard said besides; a film or a song stays one."""
    return {"plea", "immediacy"} <= labels and "fiction" not in labels


def _intends_harm(active: list[CueHit]) -> bool:
    """ "wanataka kumbeba", "came to take him": wanting to harm or take someone."""
    intents = [hit.end for hit in active if hit.label == "intent"]
    return any(hit.label == "intent_harm" for hit in active) or any(
        0 <= hit.start - end <= _AUXILIARY_GAP
        for hit in active
        if hit.label in HARM and hit.tense not in ("past", "habitual")
        for end in intents
    )


def _person_after(active: list[CueHit], verb: str) -> bool:
    """ "have taken my son", "to finish him": the verb with a person right after it."""
    people = [hit.start for hit in active if hit.label == "person"]
    return any(
        0 < start - hit.start <= _TAKEN_REACH for hit in active if hit.label == verb for start in people
    )


def _person_before(active: list[CueHit], verb: str) -> bool:
    """ "my daughter grabbed by a man": a named person (not "him"), then the verb, as a headline."""
    people = [hit.end for hit in active if hit.label == "person" and hit.end - hit.start > 1]
    return any(0 <= hit.start - end < _TAKEN_REACH for hit in active if hit.label == verb for end in people)


def _harm_told_now(active: list[CueHit], labels: frozenset[str], past: bool) -> bool:
    detained = "detained_now" in labels  # "held five days now" is grave, not an emergency
    over = _told_as_over(labels)  # "they told us we would be slaughtered; now we live well"
    if not past and not detained and _near(active, {"immediacy"}, HARM):
        return True
    # found dead this morning: grave; back home or found: no longer missing
    missing = not labels & {"killing", "released"}
    if missing and labels & {"disappearance", "take"} and _recent_only(active):
        return True  # taken this morning and not found: may still be found alive
    if missing and {"disappearance", "take"} <= labels and not past:
        return True  # taken and missing, no sign it was long ago
    for hit in active:
        if hit.label in HARM and hit.tense == "progressive":
            return True  # wa-na-m-piga: they are beating him
        if hit.label == "killing" and (hit.tense == "future" or hit.mood == "subjunctive") and not over:
            return True  # wa-ta-mu-ua: they will kill him; wa-mu-u-e: (they said) to kill him
        just_done = hit.tense == "perfect" and not past and not detained
        if hit.label in _TAKEN and just_done and (hit.label == "killing" or missing):
            return True  # wa-me-m-chukua: they have just taken him
    return "just_taken" in labels and not past


def _thanks_first(active: list[CueHit]) -> bool:
    thanks = [hit.start for hit in active if hit.label == "praise"]
    harms = [hit.start for hit in active if hit.label in HARM]
    return bool(thanks) and (not harms or min(thanks) < min(harms))


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


def _threat_long_past(active: list[CueHit], labels: frozenset[str]) -> bool:
    """ "mwaka 2020 alinitishia kuniua, sasa amehamishwa": every threat told in the past tense,
    at a time gone by, is no threat now, whatever "sasa" follows."""
    threats = [hit for hit in active if hit.label in {"threat", "threaten"}]
    return "past_time" in labels and bool(threats) and all(hit.tense == "past" for hit in threats)


def _told_as_over(labels: frozenset[str]) -> bool:
    """ "there was shooting yesterday, it's calm now": the harm told is over, and no word says
    it is happening now."""
    return "released" in labels and not labels & (_NOW - {"ongoing"})


def _told_in_past_tense(active: list[CueHit]) -> bool:
    """a-li-pigwa, wa-li-m-kamata: the harm is narrated as done, whatever "sasa" follows."""
    return any(hit.label in HARM and hit.tense == "past" for hit in active)


def _recent_only(active: list[CueHit]) -> bool:
    """A "recent" cue and no other time cue ("jana usiku" is recent though "jana" is past);
    "since yesterday", "tangu jana" count as recent."""
    recent = [(hit.start, hit.end) for hit in active if hit.label == "recent"] + _since_lately(active)
    pasts = [hit for hit in active if hit.label in {"past_time", "for_long"}]
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


def _threat_to_shoot(active: list[CueHit]) -> bool:
    """wa-ta-ni-pig-a risasi, a-ta-ku-pig-a risasi: they will shoot me, he will shoot you;
    a-ni-pig-e risasi: (he said) he would shoot me."""
    bullets = [hit.start for hit in active if hit.label == "bullet"]
    return any(
        0 < start - hit.start <= _BULLET_REACH
        for hit in active
        if hit.label == "violence_abuse" and (hit.tense == "future" or hit.mood == "subjunctive")
        for start in bullets
    )


def _child_missing(labels: frozenset[str], past: bool) -> bool:
    """A child (or a frail person) missing, with no sign it was long ago or is over."""
    missing = "disappearance" in labels and not labels & {"killing", "released", "detained_now"}
    return missing and "vulnerable" in labels and not past


def _since_lately(active: list[CueHit]) -> list[tuple[int, int]]:
    """Spans of a "lately" cue (yesterday, this morning, the police came) that "since" names."""
    starts = [hit.start for hit in active if hit.label == "since"]
    return [
        (hit.start, hit.end)
        for hit in active
        if hit.label == "lately" and any(0 < hit.start - start <= _SINCE_REACH for start in starts)
    ]


def _told_as_then(active: list[CueHit]) -> list[CueHit]:
    """ "walikuwa wanatuchapa", "were beating us": a harm going on then, told as past."""
    ends = [hit.end for hit in active if hit.label == "then"]
    kept = []
    for hit in active:
        then = any(0 <= hit.start - end <= _AUXILIARY_GAP for end in ends)
        if then and hit.label == "ongoing":
            continue
        kept.append(replace(hit, tense="past") if then and hit.label in HARM else hit)
    return kept


def _as_condition(active: list[CueHit]) -> list[CueHit]:
    """ "wa-ki-m-piga tena, ni-ta-enda kortini": if they beat him again, I will go to court. A
    wa-ki-... harm before a verb in the future, or after "if", is a condition, not a harm now;
    otherwise it is going on ("nimewaona wakimpiga", I saw them beating him)."""
    futures = [hit.start for hit in active if hit.label == "future_clause"]
    ifs = [hit.start for hit in active if hit.label == "if"]
    return [
        replace(hit, tense="conditional")
        if hit.mood == "while_or_if"
        and hit.tense == "progressive"
        and (any(start > hit.start for start in futures) or any(start < hit.start for start in ifs))
        else hit
        for hit in active
    ]


def _as_habit(active: list[CueHit]) -> list[CueHit]:
    """ "huwa wanatuchapa", "wanatuchapa kila ijumaa": a harm that keeps happening, told as a
    habit, is no harm going on now unless "now" is said."""
    usual = [hit.end for hit in active if hit.label == "usually"]
    every = any(hit.label == "every" for hit in active) and not any(
        hit.label in _NOW - {"ongoing"} for hit in active
    )
    kept = []
    for hit in active:
        habit = every or any(0 <= hit.start - end <= _AUXILIARY_GAP for end in usual)
        if habit and hit.label == "ongoing":
            continue
        kept.append(
            replace(hit, tense="habitual")
            if habit and hit.label in HARM and hit.tense == "progressive"
            else hit
        )
    return kept


def _asks_more_than_advice(active: list[CueHit]) -> bool:
    """A question, unless it only asks what to do about a harm to the reporter, a threat or a
    harm going on ("nimetishiwa kuuawa, nifanye nini"): that is a report and a plea."""
    asks = [hit for hit in active if hit.label in {"question", "advice"}]
    if not (_harms_me(active) or any(hit.label in _PRESSING for hit in active)):
        return bool(asks)
    advice = [(hit.start, hit.end) for hit in asks if hit.label == "advice"]
    return any(
        not any(start <= hit.start and hit.end <= end for start, end in advice)
        for hit in asks
        if hit.label == "question"
    )


def _harms_me(active: list[CueHit]) -> bool:
    """ "they will shoot me", wa-ta-ni-ua: the threat or the harm is to the reporter."""
    return any(hit.label == "to_me" or (hit.first_person and hit.label in _HARM_OR_THREAT) for hit in active)

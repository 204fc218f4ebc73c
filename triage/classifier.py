"""classify(text): language, category, urgency, ward and how sure triage is.

Urgency is decided for recall. A message is critical when the critical head's probability
reaches its threshold or when a rule sees a life at risk now (see ``triage.signals``); a
message below critical that the head or the rules still suspect is a *possible emergency*,
which the emergency desk checks at once.
"""

from __future__ import annotations

from functools import lru_cache

from triage.classification import Classification
from triage.language import language_of
from triage.lexicon import default_lexicon
from triage.model import TriageModel, load_model
from triage.places import extract_ward
from triage.redaction import without_contact_details
from triage.signals import HARM, Signals, read_signals
from triage.taxonomy import GRIEVANCES, TRANSLATION_LANGUAGES, more_urgent
from triage.tokens import without_references

# Below this category probability a person triages the message.
REVIEW_BELOW = 0.55
UNTRANSLATED_VERSION = "untranslated"
_GRAVE = frozenset({"killing", "disappearance"})
_SURE_PRAISE = 0.8
_DENIABLE_HARM = frozenset({"killing", "disappearance", "arrest_detention", "violence_abuse"})
# Told by others or seen on a screen: the model's suspicion alone does not make it critical.
_NOT_WITNESSED = frozenset({"rumour", "fiction"})
# A harm, a weapon, a plea or a threat told: danger, whenever it was.
_DANGER = HARM | {"plea", "armed", "shots", "injury", "threat", "down"}
_TIME_OF_DAY = frozenset({"immediacy", "recent", "clock", "day_time", "daypart"})
# What makes a message nobody here can read yet worth a translator's look at once.
_PRESSING_UNREAD = _DANGER | {"immediacy"}


@lru_cache(maxsize=1)
def shipped_model() -> TriageModel:
    """The model shipped in ``triage/model``, loaded once."""
    return load_model()


def classify(text: str, model: TriageModel | None = None) -> Classification:
    """Classify one message; Somali, Arabic and other languages are left for translation.

    A report reference in the text (K7F-3QX) is taken out first: it names another report,
    it says nothing about this one; so are phone, ID and passport numbers and emails.
    """
    text = without_contact_details(without_references(text))
    lexicon = default_lexicon()
    tokens = lexicon.tokens(text)
    hits = lexicon.find(tokens)
    signals = read_signals(hits, len(tokens))
    language = language_of(text, tokens)
    ward = extract_ward(text, tokens=tokens)
    if language in TRANSLATION_LANGUAGES:
        return _untranslated(language, ward, signals)
    model = model or shipped_model()
    if lexicon.only_greets(tokens):
        return _greeting(language, ward, model.version)
    prediction = model.predict(tokens, hits, signals)
    # Hearsay ("nimesikia eti..."), a habit ("huwa wanatupiga") and a harm told as over ("we
    # are safe now") are checked now, not taken for an emergency seen.
    unseen = bool(signals.labels & _NOT_WITNESSED)
    suspected = prediction.critical >= model.thresholds.critical and not (
        unseen or signals.habitual or signals.released
    )
    critical = suspected or signals.critical
    category, confidence = _category(prediction.category, signals, critical)
    if _leaving_soon(category, confidence, signals):
        critical = True
    # Thanks that mention guns or arrests: the rules saw no emergency. Sure thanks for what was
    # done ("asante kwa kumkamata mwizi, sasa tuko na amani") outweigh the rules; checked at once.
    thanks_over_rules = signals.critical and not suspected and _surely_thanks(category, confidence, signals)
    if category == "feedback" and signals.praise and (not signals.critical or thanks_over_rules):
        critical = False
    urgency = "critical" if critical else _below_critical(category, confidence, prediction.urgency, signals)
    needs_review = confidence < REVIEW_BELOW
    if needs_review and urgency == "low":
        urgency = "normal"  # unsure is never the low queue
    return Classification(
        category=category,
        urgency=urgency,
        language=language,
        ward=ward,
        confidence=round(confidence, 4),
        model_version=model.version,
        needs_translation=False,
        needs_human_review=needs_review,
        possible_emergency=not critical
        and "fiction" not in signals.labels
        and (
            signals.dampened
            or thanks_over_rules
            or (prediction.critical >= model.thresholds.possible and not _told_safe(signals))
        ),
    )


def _leaving_soon(category: str, confidence: float, signals: Signals) -> bool:
    """Read as recruitment, with a departure at an hour named ("leaving for the border at 4am",
    "tonight", "kesho alfajiri"): the last hours to stop someone leaving, whatever words said
    who drew them in. "Anaondoka kesho" (tomorrow) names no hour: grave, not yet an emergency."""
    return (
        category == "recruitment_concern"
        and confidence >= REVIEW_BELOW
        and "leaving" in signals.labels
        and bool(signals.labels & _TIME_OF_DAY)
        and not (signals.hearsay or signals.released)
    )


def _surely_thanks(category: str, confidence: float, signals: Signals) -> bool:
    """Thanks first, then what officers did ("asante kwa kumkamata mwizi"), read as thanks by the
    model; "wanachapa wasee, asante" tells the harm first."""
    return (
        category == "feedback"
        and confidence >= _SURE_PRAISE
        and signals.thanks_first
        and not signals.complaint_after_praise
    )


def _told_safe(signals: Signals) -> bool:
    """ "Thank you, we are fine now": safe or thankful, with no danger told at all."""
    return (signals.released or signals.praise) and not signals.labels & _DANGER


def _category(probabilities: dict[str, float], signals: Signals, critical: bool) -> tuple[str, float]:
    category = max(probabilities, key=probabilities.__getitem__)
    confidence = probabilities[category]
    if _is_praise_with_denied_harm(signals) or _changed_for_the_better(signals, critical):
        return "feedback", max(confidence, probabilities["feedback"])
    if category == "feedback" and signals.complaint_after_praise:
        return _complaint(probabilities, signals.complaint_after_praise)
    if category == "feedback" and critical and confidence < _SURE_PRAISE:
        # "...wanachapa wasee, asante": a thank-you does not cancel an emergency
        return _complaint(probabilities, fallback="violence_abuse")
    return category, confidence


def _below_critical(
    category: str, confidence: float, probabilities: dict[str, float], signals: Signals
) -> str:
    if category == "feedback":
        return "low"
    if "fiction" in signals.labels:
        return "normal"  # a play, a song or a dream that tells of harm
    choices = {key: value for key, value in probabilities.items() if key != "critical"}
    urgency = max(choices, key=choices.__getitem__)
    released = signals.released and not (signals.detained_now or signals.grave)
    if category == "arrest_detention" and released:
        return "normal"  # the detention is over, and nothing grave is told
    if _stays_grave(category, confidence, signals):
        urgency = more_urgent(urgency, "high")
    if signals.grave and not signals.hearsay and category in GRIEVANCES:
        urgency = more_urgent(urgency, "high")  # raped, a limb broken: grave whenever it was
    if signals.detained_now and category == "arrest_detention":
        urgency = more_urgent(urgency, "high")
    if category in GRIEVANCES:
        urgency = more_urgent(urgency, "normal")
    return urgency


def _stays_grave(category: str, confidence: float, signals: Signals) -> bool:
    """A killing or disappearance is at least high, unless it is denied ("hawakumuua") or on a
    screen, the person is back or found alive, or the model barely leans that way and no cue
    says so."""
    if category not in _GRAVE or category in signals.negated_labels or "fiction" in signals.labels:
        return False
    if signals.negated_labels & HARM and not signals.labels & HARM:
        return False  # "hakuna aliyepigwa risasi": every harm told is denied
    if signals.released and "killing" not in signals.labels:
        return False  # "amepatikana" (found) is over; "amepatikana amekufa" (found dead) is not
    return confidence >= REVIEW_BELOW or category in signals.labels


def _complaint(probabilities: dict[str, float], fallback: str) -> tuple[str, float]:
    """Praise, "but" a complaint: the complaint is what a panel must act on."""
    complaints = {key: value for key, value in probabilities.items() if key in GRIEVANCES}
    best = max(complaints, key=complaints.__getitem__) if complaints else fallback
    return best, max(probabilities.get(best, 0.0), REVIEW_BELOW)


# What says a harm used to happen: "walikuwa wana-", "every Friday", "usually".
_USED_TO = frozenset({"then", "every", "usually"})


def _changed_for_the_better(signals: Signals, critical: bool) -> bool:
    """ "walikuwa wanatunyanyasa kila ijumaa lakini wamebadilika": a harm told as what used to
    happen, then praise after a "but" with no complaint after it, is feedback on how officers
    are now. One harm told ("beat my son last week, but the OCS helped") stays the complaint."""
    return (
        signals.praise
        and signals.past
        and bool(signals.labels & _USED_TO)
        and "contrast" in signals.labels
        and not signals.complaint_after_praise
        and not critical
    )


def _is_praise_with_denied_harm(signals: Signals) -> bool:
    """ "Police did not beat us, they helped": the harm is denied, the praise stands."""
    return (
        signals.praise
        and bool(signals.negated_labels & _DENIABLE_HARM)
        and not (signals.labels & _DENIABLE_HARM)
    )


def _greeting(language: str, ward: str | None, version: str) -> Classification:
    """ "Sasa msee": a greeting alone tells of nothing, whatever the model makes of "sasa"
    (now), a word it mostly saw in emergencies."""
    return Classification(
        category="other",
        urgency="low",
        language=language,
        ward=ward,
        confidence=1.0,
        model_version=version,
        needs_translation=False,
        needs_human_review=False,
    )


def _untranslated(language: str, ward: str | None, signals: Signals) -> Classification:
    """Left for translation; the rules alone decide whether it cannot wait for a translator."""
    return Classification(
        category="other",
        urgency="critical" if signals.critical else "normal",
        language=language,
        ward=ward,
        confidence=0.0,
        model_version=UNTRANSLATED_VERSION,
        needs_translation=True,
        needs_human_review=True,
        # a harm, a weapon or a plea told without a sign it is over: a translator should look now
        possible_emergency=not signals.critical
        and (
            signals.dampened
            or (bool(signals.labels & _PRESSING_UNREAD) and not (signals.past or signals.praise))
        ),
    )

"""classify(text): language, category, urgency, ward and how sure triage is."""

from __future__ import annotations

from functools import lru_cache

from triage.classification import Classification
from triage.language import language_of
from triage.lexicon import default_lexicon
from triage.model import TriageModel, load_model
from triage.places import extract_ward
from triage.signals import Signals, read_signals
from triage.taxonomy import GRIEVANCES, TRANSLATION_LANGUAGES, more_urgent

# Recall first: a message this likely to be critical is treated as critical.
CRITICAL_PROBABILITY = 0.40
# Below this category probability a person triages the message.
REVIEW_BELOW = 0.55
UNTRANSLATED_VERSION = "untranslated"
_GRAVE = frozenset({"killing", "disappearance"})
_SURE_PRAISE = 0.8
_DENIABLE_HARM = frozenset({"killing", "disappearance", "arrest_detention", "violence_abuse"})


@lru_cache(maxsize=1)
def shipped_model() -> TriageModel:
    """The model artifact shipped in ``triage/model``, loaded once."""
    return load_model()


def classify(text: str, model: TriageModel | None = None) -> Classification:
    """Classify one message; Somali, Arabic and other languages are left for translation."""
    lexicon = default_lexicon()
    tokens = lexicon.tokens(text)
    hits = lexicon.find(tokens)
    signals = read_signals(hits)
    language = language_of(text, tokens)
    ward = extract_ward(text)
    if language in TRANSLATION_LANGUAGES:
        return _untranslated(language, ward, signals)
    model = model or shipped_model()
    category_probabilities, urgency_probabilities = model.predict(tokens, hits)
    category = max(category_probabilities, key=category_probabilities.__getitem__)
    confidence = category_probabilities[category]
    if _is_praise_with_denied_harm(signals):
        category, confidence = "feedback", max(confidence, category_probabilities["feedback"])
    elif category == "feedback" and signals.complaint_after_praise:
        category, confidence = _complaint(category_probabilities, signals.complaint_after_praise)
    if category == "feedback" and signals.critical and confidence < _SURE_PRAISE:
        # "...wanachapa wasee, asante": a thank-you does not cancel an emergency
        category, confidence = _complaint(category_probabilities, fallback="violence_abuse")
    urgency = _urgency(category, urgency_probabilities, signals)
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
    )


def _urgency(category: str, probabilities: dict[str, float], signals: Signals) -> str:
    if category == "feedback":
        # Feedback waits in the low queue; only an emergency cue without praise lifts it.
        return "critical" if signals.critical and not signals.praise else "low"
    if probabilities.get("critical", 0.0) >= CRITICAL_PROBABILITY or signals.critical:
        urgency = "critical"
    else:
        urgency = max(probabilities, key=probabilities.__getitem__)
    if category in _GRAVE:
        urgency = more_urgent(urgency, "high")
    if signals.detained_now and category == "arrest_detention":
        urgency = more_urgent(urgency, "high")
    if category in GRIEVANCES:
        urgency = more_urgent(urgency, "normal")
    return urgency


def _complaint(probabilities: dict[str, float], fallback: str) -> tuple[str, float]:
    """Praise, "but" a complaint: the complaint is what a panel must act on."""
    complaints = {key: value for key, value in probabilities.items() if key in GRIEVANCES}
    best = max(complaints, key=complaints.__getitem__) if complaints else fallback
    return best, max(probabilities.get(best, 0.0), REVIEW_BELOW)


def _is_praise_with_denied_harm(signals: Signals) -> bool:
    """ "Police did not beat us, they helped": the harm is denied, the praise stands."""
    return (
        signals.praise
        and bool(signals.negated_labels & _DENIABLE_HARM)
        and not (signals.labels & _DENIABLE_HARM)
    )


def _untranslated(language: str, ward: str | None, signals: Signals) -> Classification:
    return Classification(
        category="other",
        urgency="critical" if signals.critical else "normal",
        language=language,
        ward=ward,
        confidence=0.0,
        model_version=UNTRANSLATED_VERSION,
        needs_translation=True,
        needs_human_review=True,
    )

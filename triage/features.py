"""Features the statistical model reads: words, word pairs, letter n-grams and lexicon cues."""

from __future__ import annotations

from itertools import pairwise

from triage.lexicon import CueHit, default_lexicon
from triage.signals import HARM, read_signals

_CHAR_SIZES = (3, 4, 5)


def message_features(text: str) -> list[str]:
    """All features of ``text``; the analyzer the vectoriser is trained with."""
    lexicon = default_lexicon()
    tokens = lexicon.tokens(text)
    return features_of(tokens, lexicon.find(tokens))


def features_of(tokens: list[str], hits: list[CueHit]) -> list[str]:
    """Features from already tokenised text and its cue hits (so classify reads them once)."""
    features = [f"w:{token}" for token in tokens]
    features.extend(f"b:{first}_{second}" for first, second in pairwise(tokens))
    for token in tokens:
        padded = f" {token} "
        for size in _CHAR_SIZES:
            features.extend(f"c:{padded[start : start + size]}" for start in range(len(padded) - size + 1))
    features.extend(_cue_features(hits))
    return features


def _cue_features(hits: list[CueHit]) -> list[str]:
    features = []
    for hit in hits:
        state = "not" if hit.negated else "yes"
        features.append(f"cue:{hit.label}:{state}")
        if hit.tense:
            features.append(f"cue:{hit.label}:{state}:{hit.tense}")
    signals = read_signals(hits)
    if signals.critical:
        features.append("rule:critical")
    if signals.detained_now:
        features.append("rule:detained")
    if signals.praise:
        features.append("rule:praise")
    if signals.past:
        features.append("rule:past")
    if signals.negated_labels & HARM and not signals.labels & HARM:
        features.append("rule:only_negated_harm")
    return features

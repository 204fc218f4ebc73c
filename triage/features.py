"""Features the statistical model reads: words, word pairs, letter n-grams and cue signals."""

from __future__ import annotations

from itertools import pairwise

from triage.lexicon import CueHit, default_lexicon
from triage.signals import Signals, read_signals

_CHAR_SIZES = (3, 4, 5)


def message_features(text: str) -> list[str]:
    """All features of ``text``; the analyzer the vectoriser is trained with."""
    lexicon = default_lexicon()
    tokens = lexicon.tokens(text)
    return features_of(tokens, lexicon.find(tokens))


def features_of(tokens: list[str], hits: list[CueHit]) -> list[str]:
    """Features from already tokenised text and its cue hits (so classify reads them once)."""
    features = [name for token in tokens for name in token_features(token)]
    features.extend(pair_features(tokens))
    features.extend(cue_features(hits, read_signals(hits, len(tokens))))
    return features


def token_features(token: str) -> list[str]:
    """A word's own features: the word and its letter n-grams (padded with spaces)."""
    padded = f" {token} "
    features = [f"w:{token}"]
    for size in _CHAR_SIZES:
        features.extend(f"c:{padded[start : start + size]}" for start in range(len(padded) - size + 1))
    return features


def pair_features(tokens: list[str]) -> list[str]:
    return [pair_feature(first, second) for first, second in pairwise(tokens)]


def pair_feature(first: str, second: str) -> str:
    return f"b:{first}_{second}"


def cue_features(hits: list[CueHit], signals: Signals) -> list[str]:
    """Each cue with its negation and tense, and what the rules read from them (``signals``)."""
    features = [name for hit in hits for name in hit_features(hit.label, hit.negated, hit.tense)]
    features.extend(rule_features(signals))
    return features


def hit_features(label: str, negated: bool, tense: str | None) -> list[str]:
    """A cue hit's features: the cue, negated or not, and with its tense if it has one."""
    state = "not" if negated else "yes"
    base = f"cue:{label}:{state}"
    return [base, f"{base}:{tense}"] if tense else [base]


def rule_features(signals: Signals) -> list[str]:
    return [f"rule:{name}" for name in signals.rule_names()]

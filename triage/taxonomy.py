"""The keys every part of Sauti agrees on: categories, urgencies, languages."""

from __future__ import annotations

CATEGORIES = (
    "killing",
    "disappearance",
    "arrest_detention",
    "violence_abuse",
    "extortion_harassment",
    "recruitment_concern",
    "returnee_support",
    "community_tension",
    "feedback",
    "other",
)
# Most severe first.
URGENCIES = ("critical", "high", "normal", "low")
LANGUAGES = ("en", "sw", "so", "ar", "other")
TRANSLATION_LANGUAGES = frozenset({"so", "ar", "other"})
# Reports of harm to a person; never put in the low queue.
GRIEVANCES = frozenset(
    {"killing", "disappearance", "arrest_detention", "violence_abuse", "extortion_harassment"}
)


def more_urgent(first: str, second: str) -> str:
    """The more urgent of two urgency keys."""
    return min(first, second, key=URGENCIES.index)

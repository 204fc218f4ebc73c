"""The result of triaging one message."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Classification:
    """What triage concluded about a message; keys are those of DESIGN.md's taxonomy."""

    category: str
    urgency: str
    language: str
    ward: str | None
    confidence: float
    model_version: str
    needs_translation: bool
    needs_human_review: bool
    # Below critical, yet it may be an emergency: the emergency desk checks it now.
    possible_emergency: bool = False

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form, as the CLI and the API print it."""
        return asdict(self)

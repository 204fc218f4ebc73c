"""Where each input of a USSD session ended, so that a `*` typed inside a report is not taken
for the gateway's separator between inputs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class UssdInput(Base):
    """One request of a USSD session: the length of the `text` it carried (every input so far,
    joined by `*`). Lengths only, never the text; kept for minutes."""

    __tablename__ = "ussd_inputs"
    # A session's first request sweeps the rows of sessions long over.
    __table_args__ = (Index("ix_ussd_inputs_seen_at", "seen_at"),)

    session_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ends_at: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)

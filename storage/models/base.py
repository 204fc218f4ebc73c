"""The declarative base every table derives from, the one datetime type they all use, and the
largest id their integer keys hold."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import DateTime, Dialect, LargeBinary
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# The largest id an integer primary key holds: PostgreSQL's INTEGER is 32 bits. An id from
# outside beyond it names no row, and binding it would fail in the database.
MAX_ROW_ID = 2**31 - 1


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A moment in UTC, always handed back timezone-aware. PostgreSQL keeps the zone itself;
    SQLite keeps no zone at all, so what it returns is read as the UTC it was written in."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            return value.astimezone(UTC)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is not None:
            return value  # type: ignore[no-any-return]
        return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[type, object]] = {
        datetime: UTCDateTime(),
        bytes: LargeBinary,
    }

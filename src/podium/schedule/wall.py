"""Schedule dates are wall-clock times; the database stores them as that time in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["to_db", "to_wall"]


def to_db(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def to_wall(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value

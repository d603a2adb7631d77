from __future__ import annotations

from datetime import datetime

from django import template

from podium.schedule.wall import to_wall

register = template.Library()


@register.filter
def wall(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A schedule date as the wall-clock time of its calendar."""
    local = to_wall(value)
    return local.strftime(fmt) if local else ""


@register.filter
def hours(minutes: int | None) -> str:
    if minutes is None:
        return ""
    return f"{minutes / 60:g}"


@register.filter
def days(minutes: int | None) -> str:
    """Working minutes as 8-hour days."""
    if minutes is None:
        return ""
    return f"{minutes / 480:g}"

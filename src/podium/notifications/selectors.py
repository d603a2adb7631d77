"""Reads of a user's own notifications (nobody reads anyone else's)."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When

from podium.notifications.models import Notification

__all__ = ["notifications_of", "unread_count"]


def notifications_of(user: Any, *, unread: bool = False) -> QuerySet[Notification]:
    """``user``'s notifications, unread first, then newest first."""
    qs = Notification.objects.filter(user=user).select_related("program")
    if unread:
        qs = qs.filter(read_at__isnull=True)
    unread_first = Case(
        When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return qs.order_by(unread_first, "-created_at", "-id")


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()

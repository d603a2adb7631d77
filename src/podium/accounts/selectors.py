"""Reads about users."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from podium.accounts.models import User

__all__ = ["user_directory"]


def user_directory(q: str = "") -> QuerySet[User]:
    users = User.objects.filter(is_active=True)
    if q:
        users = users.filter(
            Q(username__icontains=q) | Q(display_name__icontains=q) | Q(email__icontains=q)
        )
    return users.order_by("username")

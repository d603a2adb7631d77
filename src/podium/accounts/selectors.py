"""Reads about users."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from podium.accounts.models import TotpDevice, User

__all__ = ["user_directory", "users_for_administrators"]


def user_directory(q: str = "") -> QuerySet[User]:
    return _search(User.objects.filter(is_active=True), q).order_by("username")


def users_for_administrators(q: str = "") -> QuerySet[User]:
    """Every user, active or not, with ``two_factor`` (an authenticator is set up)."""
    enrolled = TotpDevice.objects.filter(user=OuterRef("pk"), confirmed_at__isnull=False)
    return (
        _search(User.objects.all(), q)
        .annotate(two_factor=Exists(enrolled))
        .order_by("-is_active", "username")
    )


def _search(users: QuerySet[User], q: str) -> QuerySet[User]:
    if not q:
        return users
    return users.filter(
        Q(username__icontains=q) | Q(display_name__icontains=q) | Q(email__icontains=q)
    )

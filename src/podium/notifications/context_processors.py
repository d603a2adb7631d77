"""``notifications_unread``: the signed-in user's unread count, for the header link."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from podium.notifications.selectors import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    # Lazy: counted only when a template shows it.
    return {"notifications_unread": SimpleLazyObject(lambda: unread_count(user))}

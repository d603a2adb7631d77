"""API of the signed-in user's own notifications and e-mail preferences. Someone else's
notification answers 404, like a missing one."""

from typing import Any

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from podium.core.api import WRITE_ERRORS, ErrorOut, Pages
from podium.core.views import AuthedRequest
from podium.notifications import selectors, services
from podium.notifications.schemas import (
    NotificationFilter,
    NotificationOut,
    PreferencesIn,
    PreferencesOut,
)

__all__ = ["router"]

router = Router(tags=["notifications"])

READ_ERRORS: dict[int, type[Schema]] = {404: ErrorOut}


@router.get("/notifications", response=list[NotificationOut])
@paginate(Pages, page_size=50)
def list_notifications(request: AuthedRequest, filters: Query[NotificationFilter]) -> Any:
    """Your notifications, unread first, newest first."""
    return selectors.notifications_of(request.user, unread=filters.unread)


@router.post(
    "/notifications/{notification_id}/read", response={200: NotificationOut, **WRITE_ERRORS}
)
def read_notification(request: AuthedRequest, notification_id: int) -> Any:
    notification = services.get_notification(request.user, notification_id)
    return services.mark_read(request.user, notification)


@router.post("/notifications/read-all", response={200: dict[str, int], **WRITE_ERRORS})
def read_all_notifications(request: AuthedRequest) -> Any:
    return {"marked": services.mark_all_read(request.user)}


@router.get("/notifications/preferences", response={200: PreferencesOut, **READ_ERRORS})
def get_notification_preferences(request: AuthedRequest) -> Any:
    """Per category: ``immediately`` (e-mail at once), ``daily`` (digest) or ``off``."""
    return services.preferences_of(request.user)


@router.put("/notifications/preferences", response={200: PreferencesOut, **WRITE_ERRORS})
def set_notification_preferences(request: AuthedRequest, payload: PreferencesIn) -> Any:
    """Change the categories given; the others keep their mode."""
    modes = {k: str(v) for k, v in payload.dict(exclude_none=True).items()}
    return services.set_preferences(request.user, modes)

"""API endpoints about the signed-in user."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    is_administrator: bool


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> Any:
    user = request.user
    return {
        "id": user.pk,
        "username": user.get_username(),
        "display_name": str(user),
        "email": getattr(user, "email", ""),
        "is_administrator": getattr(user, "is_administrator", False),
    }

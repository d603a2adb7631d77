"""API endpoints about the signed-in user."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from podium.accounts.selectors import user_directory
from podium.accounts.services import create_user
from podium.core.api import ErrorOut, Pages
from podium.core.views import AuthedRequest

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


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    is_administrator: bool

    @staticmethod
    def resolve_display_name(obj: Any) -> str:
        return str(obj)


class UserIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1)
    email: str = ""
    display_name: str = ""
    is_administrator: bool = False


@router.get("/users", response=list[UserOut])
@paginate(Pages, page_size=100)
def list_users(request: AuthedRequest, q: str = "") -> Any:
    """Active users (to pick members from). Names only: no e-mail, no roles elsewhere."""
    return user_directory(q)


@router.post("/users", response={201: UserOut, 403: ErrorOut, 422: ErrorOut})
def create_user_endpoint(request: AuthedRequest, payload: UserIn) -> Any:
    user = create_user(
        actor=request.user,
        username=payload.username,
        password=payload.password,
        email=payload.email,
        display_name=payload.display_name,
        is_staff=payload.is_administrator,
    )
    return Status(201, user)

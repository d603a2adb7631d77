"""State changes for users and tokens."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from podium.accounts.models import ApiToken, User, hash_token
from podium.core import audit
from podium.core.errors import NotFound, PermissionDenied, ValidationFailed

__all__ = ["authenticate_token", "create_token", "create_user", "revoke_token"]

TOKEN_PREFIX = "pdm_"


@transaction.atomic
def create_user(
    *,
    actor: User | None,
    username: str,
    password: str,
    email: str = "",
    display_name: str = "",
    is_staff: bool = False,
) -> User:
    """Create a user; ``actor`` None is the command line acting as the system."""
    if actor is not None and not actor.is_administrator:
        raise PermissionDenied("Only an administrator can create users.")
    username = username.strip()
    if not username:
        raise ValidationFailed({"username": ["This field is required."]})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed({"username": [f"A user named {username!r} already exists."]})
    user = User(username=username, email=email, display_name=display_name, is_staff=is_staff)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed({"password": list(exc.messages)}) from exc
    user.set_password(password)
    user.save()
    audit.record(user=actor, action="create", obj=user, before=None, after=audit.snapshot(user))
    return user


@transaction.atomic
def create_token(
    *, actor: User | None, user: User, name: str = "", days: int | None = None
) -> tuple[ApiToken, str]:
    """Make a token for ``user``; returns the row and the raw token (shown only now)."""
    if actor is not None and actor.pk != user.pk and not actor.is_administrator:
        raise PermissionDenied("You can create tokens only for yourself.")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires: datetime | None = timezone.now() + timedelta(days=days) if days else None
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[:12], digest=hash_token(raw), expires_at=expires
    )
    audit.record(
        user=actor,
        action="token",
        obj=user,
        before=None,
        after={"token": token.prefix + "…"},
        note=f"API token {name!r} created",
    )
    return token, raw


@transaction.atomic
def revoke_token(*, actor: User, token_id: int) -> None:
    token = ApiToken.objects.filter(pk=token_id, revoked_at__isnull=True).first()
    if token is None or (token.user_id != actor.pk and not actor.is_administrator):
        raise NotFound("No such token.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        user=actor,
        action="token",
        obj=token.user,
        before={"token": token.prefix + "…"},
        after=None,
        note=f"API token {token.name!r} revoked",
    )


def authenticate_token(raw: str) -> User | None:
    """The active user a raw token belongs to, or None (unknown, revoked or expired)."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user

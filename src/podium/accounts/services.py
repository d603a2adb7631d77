"""State changes for users and tokens."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from podium.accounts import twofactor
from podium.accounts.models import ApiToken, RecoveryCode, TotpDevice, User, hash_token
from podium.core import audit
from podium.core.errors import NotFound, PermissionDenied, ValidationFailed

__all__ = [
    "authenticate_token",
    "change_password",
    "check_second_factor",
    "confirm_totp",
    "create_token",
    "create_user",
    "disable_totp",
    "new_recovery_codes",
    "reset_totp",
    "revoke_token",
    "set_active",
    "start_totp",
]

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


def _revoke_all_tokens(user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def end_sessions(user: User, keep: str | None = None) -> int:
    """Delete the stored sessions of ``user`` except the one keyed ``keep``."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.session_key != keep and session.get_decoded().get(SESSION_KEY) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def change_password(
    *, actor: User, user: User, old_password: str, new_password: str, revoke_tokens: bool
) -> int:
    """Set a new password. The user's other sessions end at their next request (the
    session carries a hash of the password); with ``revoke_tokens`` their API tokens
    stop working too. Returns the number of tokens revoked."""
    if actor.pk != user.pk:
        raise PermissionDenied("You can change only your own password.")
    if not user.check_password(old_password):
        raise ValidationFailed({"old_password": ["This is not your current password."]})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationFailed({"new_password": list(exc.messages)}) from exc
    user.set_password(new_password)
    user.save(update_fields=["password"])
    revoked = _revoke_all_tokens(user) if revoke_tokens else 0
    audit.record(
        user=actor, action="update", obj=user, before=None, after=None,
        note="password changed" + (f", {revoked} API token(s) revoked" if revoked else ""),
    )  # fmt: skip
    return revoked


@transaction.atomic
def set_active(*, actor: User, user: User, active: bool) -> None:
    """An administrator deactivates (or reactivates) a user. Deactivation ends all of
    the user's sessions and revokes all of their API tokens."""
    if not actor.is_administrator:
        raise PermissionDenied("Only an administrator can deactivate users.")
    if user.pk == actor.pk and not active:
        raise ValidationFailed({"__all__": ["You cannot deactivate yourself."]})
    if user.is_active == active:
        return
    before = audit.snapshot(user, ["is_active"])
    user.is_active = active
    user.save(update_fields=["is_active"])
    note = ""
    if not active:
        revoked = _revoke_all_tokens(user)
        ended = end_sessions(user)
        note = f"{ended} session(s) ended, {revoked} API token(s) revoked"
    audit.record(
        user=actor, action="update", obj=user, before=before,
        after=audit.snapshot(user, ["is_active"]), note=note,
    )  # fmt: skip


# Two-factor sign-in ------------------------------------------------------------------

CODE_FAILURE_LIMIT = 5  # wrong codes in a row before the authenticator pauses


@transaction.atomic
def start_totp(*, user: User) -> TotpDevice:
    """The user's unconfirmed authenticator (made with a new secret if there is none)."""
    device = TotpDevice.objects.filter(user=user).first()
    if device is not None and device.confirmed_at is not None:
        raise ValidationFailed({"__all__": ["Two-factor sign-in is already on."]})
    if device is None:
        device = TotpDevice.objects.create(user=user, secret=twofactor.new_secret())
    return device


@transaction.atomic
def new_recovery_codes(*, user: User) -> list[str]:
    """Replace the user's recovery codes; returns the new ones (shown only now)."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = [twofactor.new_recovery_code() for _ in range(twofactor.RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, digest=hash_token(c)) for c in codes)
    audit.record(
        user=user, action="update", obj=user, before=None, after=None,
        note="two-factor recovery codes issued",
    )  # fmt: skip
    return codes


@transaction.atomic
def confirm_totp(*, user: User, code: str) -> list[str]:
    """Turn two-factor sign-in on once ``code`` matches; returns the recovery codes."""
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is None or device.confirmed_at is not None:
        raise ValidationFailed({"code": ["Start the set-up again."]})
    step = twofactor.matching_step(device.secret, code, timezone.now(), device.last_step)
    if step is None:
        raise ValidationFailed(
            {"code": ["This code does not match. Check the clock of your device."]}
        )
    device.confirmed_at = timezone.now()
    device.last_step = step
    device.save(update_fields=["confirmed_at", "last_step"])
    audit.record(
        user=user, action="update", obj=user, before=None, after=None,
        note="two-factor sign-in turned on",
    )  # fmt: skip
    return new_recovery_codes(user=user)


def check_second_factor(*, user: User, code: str) -> str:
    """Accept a TOTP code (not used before) or an unused recovery code of ``user``;
    returns ``"totp"`` or ``"recovery"``. Wrong codes count: after
    ``CODE_FAILURE_LIMIT`` in a row the authenticator pauses for the sign-in cool-off.
    Not atomic on purpose: a failure must be counted even though it raises."""
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        raise ValidationFailed({"code": ["Two-factor sign-in is not on for this account."]})
    now = timezone.now()
    if device.locked_until is not None and device.locked_until > now:
        raise ValidationFailed(
            {"code": ["Too many wrong codes. Try again in a few minutes, or ask an administrator."]}
        )
    step = twofactor.matching_step(device.secret, code, now, device.last_step)
    if step is not None and TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(
        last_step=step, failures=0, locked_until=None
    ):
        return "totp"
    recovery = hash_token(twofactor.normalize_recovery_code(code))
    if RecoveryCode.objects.filter(user=user, digest=recovery, used_at__isnull=True).update(
        used_at=now
    ):
        TotpDevice.objects.filter(pk=device.pk).update(failures=0, locked_until=None)
        audit.record(
            user=user, action="update", obj=user, before=None, after=None,
            note="signed in with a recovery code",
        )  # fmt: skip
        return "recovery"
    TotpDevice.objects.filter(pk=device.pk).update(failures=F("failures") + 1)
    device.refresh_from_db(fields=["failures"])
    if device.failures >= CODE_FAILURE_LIMIT:
        pause = timedelta(hours=float(settings.AXES_COOLOFF_TIME))
        TotpDevice.objects.filter(pk=device.pk).update(failures=0, locked_until=now + pause)
    raise ValidationFailed({"code": ["This code is wrong or was already used."]})


def disable_totp(*, user: User, password: str, code: str) -> None:
    """The user turns two-factor sign-in off with their password and a current code."""
    if settings.PODIUM_REQUIRE_2FA:
        raise PermissionDenied("Two-factor sign-in is required on this site.")
    if not user.check_password(password):
        raise ValidationFailed({"password": ["This is not your password."]})
    check_second_factor(user=user, code=code)
    with transaction.atomic():
        TotpDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        audit.record(
            user=user, action="update", obj=user, before=None, after=None,
            note="two-factor sign-in turned off",
        )  # fmt: skip


@transaction.atomic
def reset_totp(*, actor: User, user: User) -> None:
    """An administrator removes a user's authenticator (a lost phone); the user signs in
    with the password alone, or sets a new one up if two-factor sign-in is required."""
    if not actor.is_administrator:
        raise PermissionDenied("Only an administrator can reset two-factor sign-in.")
    deleted, _ = TotpDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    if deleted:
        audit.record(
            user=actor, action="update", obj=user, before=None, after=None,
            note="two-factor sign-in reset by an administrator",
        )  # fmt: skip

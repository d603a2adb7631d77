"""Creating, e-mailing and reading notifications.

Other apps call :func:`notify`; it never reveals a program the recipient cannot see
(it drops the notification instead). E-mail goes through Django's e-mail backend once
the surrounding transaction commits, so a refused change never sends mail.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from podium.core import audit
from podium.core.errors import NotFound, ValidationFailed
from podium.core.jobs import JobContext, job_handler
from podium.notifications.models import Category, Mode, Notification, NotificationPreference
from podium.programs.models import Program
from podium.programs.permissions import visible_programs

__all__ = [
    "get_notification",
    "mark_all_read",
    "mark_read",
    "mode_for",
    "notify",
    "send_digests",
    "set_preferences",
]


def mode_for(user: Any, category: str) -> str:
    """The user's e-mail mode for ``category`` (``immediately`` when never chosen)."""
    mode = (
        NotificationPreference.objects.filter(user=user, category=category)
        .values_list("mode", flat=True)
        .first()
    )
    return mode or Mode.IMMEDIATELY


def _absolute(url: str) -> str:
    base = getattr(settings, "PODIUM_BASE_URL", "")
    return f"{base.rstrip('/')}{url}" if base and url.startswith("/") else url


def _send_one(notification_id: int) -> None:
    n = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if n is None or n.emailed_at is not None or not n.user.email:
        return
    body = n.body
    if n.url:
        body = f"{body}\n\n{_absolute(n.url)}".strip()
    send_mail(n.title, body, None, [n.user.email])
    Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())


@transaction.atomic
def notify(
    *,
    user: Any,
    title: str,
    body: str = "",
    url: str = "",
    program: Program | None = None,
    category: str = "updates",
) -> Notification | None:
    """Tell ``user`` something: always in the app; by e-mail per their preference.

    Returns None (and stores nothing) when ``program`` is given and ``user`` cannot see
    it, or when ``user`` is missing or inactive. The e-mail of an ``immediately``
    notification is sent when the surrounding transaction commits.
    """
    if user is None or not getattr(user, "is_active", False):
        return None
    if category not in Category.values:
        raise ValidationFailed({"category": [f"Unknown category {category!r}."]})
    if program is not None and not visible_programs(user).filter(pk=program.pk).exists():
        return None
    notification = Notification.objects.create(
        user=user,
        program=program,
        category=category,
        title=title[:200],
        body=body,
        url=url[:500],
    )
    if mode_for(user, category) == Mode.IMMEDIATELY and user.email:
        pk = notification.pk
        transaction.on_commit(lambda: _send_one(pk))
    return notification


def get_notification(user: Any, pk: int) -> Notification:
    """The user's own notification ``pk``; anyone else's answers 404 like a missing one."""
    n = Notification.objects.filter(pk=pk, user=user).first() if user.is_authenticated else None
    if n is None:
        raise NotFound(f"No notification {pk}.")
    return n


@transaction.atomic
def mark_read(user: Any, notification: Notification) -> Notification:
    if notification.user_id != user.pk:
        raise NotFound(f"No notification {notification.pk}.")
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


@transaction.atomic
def mark_all_read(user: Any) -> int:
    """Mark every unread notification of ``user`` read; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def set_preferences(user: Any, modes: dict[str, str]) -> dict[str, str]:
    """Set the e-mail mode of each category given; returns every category's mode."""
    errors: dict[str, list[str]] = {}
    for category, mode in modes.items():
        if category not in Category.values:
            errors[category] = [f"Unknown category {category!r}."]
        elif mode not in Mode.values:
            errors[category] = [f"Choose one of: {', '.join(Mode.values)}."]
    if errors:
        raise ValidationFailed(errors)
    before = preferences_of(user)
    for category, mode in modes.items():
        NotificationPreference.objects.update_or_create(
            user=user, category=category, defaults={"mode": mode}
        )
    after = preferences_of(user)
    if after != before:
        audit.record(user=user, action="update", obj=user, before={"e-mail": before},
                     after={"e-mail": after}, note="notification preferences")  # fmt: skip
    return after


def preferences_of(user: Any) -> dict[str, str]:
    """Every category's e-mail mode for ``user``, defaults filled in."""
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("category", "mode"))
    return {c: stored.get(c, Mode.IMMEDIATELY.value) for c in Category.values}


def send_digests(now: dt.datetime | None = None) -> int:
    """E-mail each user with a ``daily`` category one digest of that category's
    notifications of the last day not yet e-mailed; marks them e-mailed.

    Returns the number of digests sent.
    """
    now = now or timezone.now()
    since = now - dt.timedelta(days=1)
    daily = NotificationPreference.objects.filter(mode=Mode.DAILY).values_list(
        "user_id", "category"
    )
    by_user: dict[int, set[str]] = {}
    for user_id, category in daily:
        by_user.setdefault(user_id, set()).add(category)
    sent = 0
    for user_id, categories in by_user.items():
        with transaction.atomic():
            pending = list(
                Notification.objects.select_related("user")
                .filter(
                    user_id=user_id,
                    category__in=categories,
                    emailed_at__isnull=True,
                    created_at__gt=since,
                    created_at__lte=now,
                )
                .order_by("created_at", "id")
            )
            if not pending or not pending[0].user.email or not pending[0].user.is_active:
                continue
            lines = [f"{len(pending)} notification(s) in Podium since yesterday:", ""]
            for n in pending:
                lines.append(f"- {n.title}")
                if n.url:
                    lines.append(f"  {_absolute(n.url)}")
            subject = f"Podium daily digest: {len(pending)} notification(s)"
            send_mail(subject, "\n".join(lines), None, [pending[0].user.email])
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
            sent += 1
    return sent


@job_handler("notifications.digest")
def digest_job(ctx: JobContext) -> dict[str, int]:
    """Background job: send the daily digests now."""
    return {"sent": send_digests()}

"""notify(): in-app always, e-mail per preference, nothing about hidden programs;
the daily digest; reading."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from podium.core.errors import NotFound, ValidationFailed
from podium.core.jobs import start_job
from podium.core.models import Job
from podium.notifications import services
from podium.notifications.models import Notification
from tests.conftest import World


@pytest.fixture
def mailed(world: World) -> World:
    for user in (world.team, world.pm, world.outsider, world.stakeholder):
        user.email = f"{user.username}@example.org"
        user.save()
    return world


def test_immediately_is_the_default_and_sends_one_email(
    mailed: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        n = services.notify(
            user=mailed.team, title="You were assigned Survey", body="Due Friday.",
            url="/programs/ALPHA/", program=mailed.alpha, category="assignments",
        )  # fmt: skip
    assert n is not None and n.unread
    assert list(Notification.objects.filter(user=mailed.team)) == [n]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["team@example.org"]
    assert mail.outbox[0].subject == "You were assigned Survey"
    assert "Due Friday." in mail.outbox[0].body and "/programs/ALPHA/" in mail.outbox[0].body
    n.refresh_from_db()
    assert n.emailed_at is not None


def test_no_email_when_the_transaction_is_rolled_back(
    mailed: World, django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                services.notify(user=mailed.team, title="Never happened")
                raise RuntimeError("refused")
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not Notification.objects.filter(title="Never happened").exists()


def test_off_stores_in_app_but_sends_no_email(
    mailed: World, django_capture_on_commit_callbacks: Any
) -> None:
    services.set_preferences(mailed.team, {"mentions": "off"})
    with django_capture_on_commit_callbacks(execute=True):
        n = services.notify(user=mailed.team, title="pm mentioned you", category="mentions")
        other = services.notify(user=mailed.team, title="An update", category="updates")
    assert n is not None and other is not None
    assert [m.subject for m in mail.outbox] == ["An update"]


def test_daily_waits_for_one_digest_with_every_title(
    mailed: World, django_capture_on_commit_callbacks: Any
) -> None:
    services.set_preferences(mailed.pm, {"feedback": "daily", "approvals": "daily"})
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(user=mailed.pm, title="New feedback F-1", category="feedback")
        services.notify(user=mailed.pm, title="New feedback F-2", category="feedback")
        services.notify(user=mailed.pm, title="CR-3 awaits you", category="approvals")
    assert mail.outbox == []
    old = services.notify(user=mailed.pm, title="Last week's feedback", category="feedback")
    assert old is not None
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=3))

    assert services.send_digests() == 1
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == ["pm@example.org"]
    for title in ("New feedback F-1", "New feedback F-2", "CR-3 awaits you"):
        assert title in digest.body
    assert "Last week's feedback" not in digest.body
    # Sent once: a second run finds nothing new.
    assert services.send_digests() == 0
    assert len(mail.outbox) == 1


def test_digest_job_runs_through_the_job_queue(mailed: World) -> None:
    services.set_preferences(mailed.pm, {"updates": "daily"})
    services.notify(user=mailed.pm, title="Weekly status is out")
    job = start_job("notifications.digest", user=None, params={})
    from podium.core.jobs import run_job

    run_job.call(job.pk)
    job = Job.objects.get(pk=job.pk)
    assert job.status == Job.Status.SUCCEEDED and job.result == {"sent": 1}
    assert "Weekly status is out" in mail.outbox[0].body


def test_a_hidden_program_drops_the_notification(
    mailed: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        result = services.notify(
            user=mailed.outsider, title="Alpha secret", program=mailed.alpha, category="mentions"
        )
    assert result is None
    assert not Notification.objects.filter(user=mailed.outsider).exists()
    assert mail.outbox == []


def test_unknown_category_is_refused(mailed: World) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.notify(user=mailed.team, title="x", category="gossip")
    assert "category" in exc.value.errors


def test_mark_read_only_own(mailed: World) -> None:
    n = services.notify(user=mailed.team, title="Yours")
    assert n is not None
    with pytest.raises(NotFound):
        services.get_notification(mailed.pm, n.pk)
    with pytest.raises(NotFound):
        services.mark_read(mailed.pm, n)
    assert services.mark_read(mailed.team, n).read_at is not None
    services.notify(user=mailed.team, title="Second")
    services.notify(user=mailed.team, title="Third")
    assert services.mark_all_read(mailed.team) == 2
    assert not Notification.objects.filter(user=mailed.team, read_at__isnull=True).exists()

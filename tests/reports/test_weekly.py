"""Subscribing, and the weekly job that e-mails each subscriber their own report."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from podium.core.errors import NotFound, ValidationFailed
from podium.core.models import AuditRecord
from podium.core.periodic import periodic_jobs
from podium.programs.services import remove_member
from podium.reports.jobs import send_weekly_reports
from podium.reports.models import ReportSubscription
from podium.reports.services import is_subscribed, subscribe, unsubscribe
from tests.conftest import World
from tests.reports.conftest import pdf_text


def test_the_job_is_registered_weekly() -> None:
    weekly = {p.kind: p.every for p in periodic_jobs()}
    assert weekly["reports.weekly"] == dt.timedelta(days=7)


def test_each_subscriber_gets_their_own_report_once(alpha: World) -> None:
    for user in (alpha.pm, alpha.stakeholder, alpha.viewer):
        subscribe(actor=user, program=alpha.alpha)
    unsubscribe(actor=alpha.viewer, program=alpha.alpha)
    result = send_weekly_reports(None, today="2026-11-25")
    assert result == {"sent": 2, "skipped": 0}
    by_user = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_user) == ["pm@example.org", "stakeholder@example.org"]
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert message.subject == "[ALPHA] Status report week 2026-W48"
        ((name, content, mimetype),) = message.attachments
        assert name == "ALPHA-status-2026-W48.pdf" and mimetype == "application/pdf"
        assert "Status report — week 2026-W48" in pdf_text(content)
    theirs = pdf_text(by_user["stakeholder@example.org"].attachments[0][1])
    assert "Left out for your role: cost figures" in theirs
    assert "Left out" not in pdf_text(by_user["pm@example.org"].attachments[0][1])
    assert "Cost: No data — Not visible with your role" in by_user["stakeholder@example.org"].body
    assert ReportSubscription.objects.get(user=alpha.pm).last_sent_at is not None


def test_nobody_who_left_the_program_gets_it(alpha: World) -> None:
    subscribe(actor=alpha.team, program=alpha.alpha)
    remove_member(actor=alpha.pm, membership=alpha.alpha.memberships.get(user=alpha.team))
    assert send_weekly_reports(None, today="2026-11-25") == {"sent": 0, "skipped": 1}
    assert mail.outbox == []


def test_subscribing_is_audited_and_kept_once(alpha: World) -> None:
    subscribe(actor=alpha.team, program=alpha.alpha)
    subscribe(actor=alpha.team, program=alpha.alpha)
    assert ReportSubscription.objects.filter(user=alpha.team).count() == 1
    assert is_subscribed(alpha.team, alpha.alpha)
    unsubscribe(actor=alpha.team, program=alpha.alpha)
    assert not is_subscribed(alpha.team, alpha.alpha)
    actions = list(
        AuditRecord.objects.filter(object_type="reports.reportsubscription")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update"]


def test_subscribing_needs_membership_and_an_address(alpha: World) -> None:
    with pytest.raises(NotFound):
        subscribe(actor=alpha.outsider, program=alpha.alpha)
    alpha.team.email = ""
    alpha.team.save(update_fields=["email"])
    with pytest.raises(ValidationFailed) as err:
        subscribe(actor=alpha.team, program=alpha.alpha)
    assert "email" in err.value.errors


def test_the_periodic_tick_runs_the_job(
    alpha: World, django_capture_on_commit_callbacks: Any
) -> None:
    from podium.core.models import Job
    from podium.core.periodic import tick

    subscribe(actor=alpha.cm, program=alpha.alpha)
    with django_capture_on_commit_callbacks(execute=True):
        started = tick()
    job = Job.objects.get(pk=next(j.pk for j in started if j.kind == "reports.weekly"))
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result == {"sent": 1, "skipped": 0}
    assert [m.to for m in mail.outbox] == [["cm@example.org"]]

"""Filing, changing, submitting and reopening updates: the rules (a reason for amber and
red, and for departing from the suggestion), the read-only submitted state, the audit
trail, the notification to the program manager and the reminders."""

from __future__ import annotations

import datetime as dt

import pytest

from podium.core.errors import (
    PermissionDenied,
    TransitionRefused,
    ValidationFailed,
    VersionConflict,
)
from podium.core.models import AuditRecord
from podium.notifications.models import Notification
from podium.updates import services
from podium.updates.models import ComponentUpdate, UpdateReminder
from tests.conftest import World
from tests.updates.conftest import LAST_WEEK, THIS_WEEK, complete, file


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"schedule_rag": "amber", "schedule_reason": ""}, "schedule_reason"),
        ({"overall_rag": "red", "overall_reason": "  "}, "overall_reason"),
        ({"risks_rag": "purple"}, "risks_rag"),
        ({"scope_reason": "x" * 301}, "scope_reason"),
    ],
)
def test_bad_ratings_are_refused(active: World, overrides: dict[str, str], field: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.create_update(actor=active.cm, component=active.comp, **complete(**overrides))
    assert field in exc.value.errors
    assert not ComponentUpdate.objects.exists()


def test_departing_from_the_suggestion_needs_a_reason(active: World) -> None:
    update = services.create_update(actor=active.cm, component=active.comp, **complete())
    suggested = update.figures["suggested"]["risks"]["rag"]
    assert suggested == "grey"  # no risks registered: no opinion, green needs no reason
    ComponentUpdate.objects.filter(pk=update.pk).update(
        figures={**update.figures, "suggested": {"risks": {"rag": "amber"}}}
    )
    update.refresh_from_db()
    with pytest.raises(ValidationFailed) as exc:
        services.change_update(
            actor=active.cm, update=update, expected_version=None, risks_reason=""
        )
    assert "Podium suggests amber" in exc.value.errors["risks_reason"][0]


def test_a_submission_needs_every_colour_and_the_narrative(active: World) -> None:
    update = services.create_update(
        actor=active.cm, component=active.comp, overall_rag="green", overall_reason="Fine."
    )  # a draft may be partial
    with pytest.raises(ValidationFailed) as exc:
        services.submit_update(actor=active.cm, update=update)
    assert {"schedule_rag", "accomplishments", "next_steps"} <= set(exc.value.errors)
    assert ComponentUpdate.objects.get().status == "draft"


def test_one_update_per_component_and_period(active: World) -> None:
    file(active.cm, active.comp, THIS_WEEK, submit=False)
    with pytest.raises(ValidationFailed) as exc:
        services.create_update(actor=active.cm, component=active.comp, **complete())
    assert "already has an update" in exc.value.errors["period"][0]
    with pytest.raises(ValidationFailed):
        services.create_update(
            actor=active.cm, component=active.comp, period=THIS_WEEK + dt.timedelta(days=7)
        )
    with pytest.raises(ValidationFailed):
        services.create_update(
            actor=active.cm, component=active.comp, period=LAST_WEEK + dt.timedelta(days=2)
        )


def test_submit_is_read_only_audited_and_tells_the_program_manager(active: World) -> None:
    update = file(active.cm, active.comp, THIS_WEEK, submit=False)
    submitted = services.submit_update(
        actor=active.cm, update=update, expected_version=update.version
    )
    assert submitted.status == "submitted" and submitted.revision == 1
    assert submitted.submitted_by == active.cm and submitted.figures["as_of"]
    note = Notification.objects.get(user=active.pm)
    assert note.category == "updates" and "C1 status update" in note.title
    assert note.url.endswith(f"/updates/{update.pk}/")
    with pytest.raises(TransitionRefused):
        services.change_update(
            actor=active.cm, update=submitted, expected_version=None, blockers="x"
        )
    with pytest.raises(TransitionRefused):
        services.submit_update(actor=active.cm, update=submitted)
    actions = list(
        AuditRecord.objects.filter(object_type="updates.componentupdate")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "transition"]


def test_the_program_manager_reopens_for_a_correction(active: World) -> None:
    update = file(active.cm, active.comp, THIS_WEEK)
    with pytest.raises(PermissionDenied):
        services.reopen_update(actor=active.cm, update=update, note="Typo")
    with pytest.raises(ValidationFailed):
        services.reopen_update(actor=active.pm, update=update, note=" ")
    reopened = services.reopen_update(actor=active.pm, update=update, note="Cost reason wrong")
    assert reopened.status == "draft"
    assert Notification.objects.filter(user=active.cm, title__contains="reopened").exists()
    fixed = services.change_update(
        actor=active.cm, update=reopened, expected_version=reopened.version,
        cost_reason="Invoices booked late",
    )  # fmt: skip
    again = services.submit_update(actor=active.cm, update=fixed)
    assert again.revision == 2
    record = AuditRecord.objects.filter(note__startswith="reopened").get()
    assert record.user == active.pm and "Cost reason wrong" in record.note


def test_a_stale_version_is_refused(active: World) -> None:
    update = file(active.cm, active.comp, THIS_WEEK, submit=False)
    services.change_update(actor=active.cm, update=update, expected_version=1, blockers="a")
    with pytest.raises(VersionConflict):
        services.change_update(actor=active.cm, update=update, expected_version=1, blockers="b")


@pytest.mark.parametrize("role", ["team_member", "stakeholder", "viewer"])
def test_only_managers_file(active: World, role: str) -> None:
    user = active.by_role(role)
    with pytest.raises(PermissionDenied):
        services.create_update(actor=user, component=active.comp, **complete())


def test_the_program_manager_files_too(active: World) -> None:
    update = file(active.pm, active.comp, THIS_WEEK)
    assert update.submitted and not Notification.objects.filter(user=active.pm).exists()


def test_reminders_from_friday_once_per_period(active: World) -> None:
    monday = THIS_WEEK
    friday = monday + dt.timedelta(days=4)
    assert services.send_reminders(monday + dt.timedelta(days=3)) == 0  # Thursday: not yet
    assert services.send_reminders(friday) == 1
    assert services.send_reminders(friday + dt.timedelta(days=1)) == 0  # idempotent
    note = Notification.objects.get(user=active.cm)
    assert note.category == "overdue" and "C1" in note.title
    assert UpdateReminder.objects.get().period == monday
    # next week: a new period, a new reminder — unless the update is in by then
    next_monday = monday + dt.timedelta(days=7)
    ComponentUpdate.objects.create(
        program=active.alpha, component=active.comp, period=next_monday, status="submitted"
    )
    assert services.send_reminders(next_monday + dt.timedelta(days=4)) == 0


def test_the_reminder_job_is_registered(active: World) -> None:
    from podium.core.jobs import _HANDLERS
    from podium.core.periodic import periodic_jobs

    assert "updates.reminders" in {p.kind for p in periodic_jobs()}
    assert "updates.reminders" in _HANDLERS

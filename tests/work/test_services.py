"""Reporting and approving time and progress through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from podium.core.errors import (
    NotFound,
    PermissionDenied,
    TransitionRefused,
    ValidationFailed,
    VersionConflict,
)
from podium.core.models import AuditRecord
from podium.finance.models import ActualCost
from podium.notifications.models import Notification
from podium.resources.models import Resource
from podium.resources.services import assign, create_resource, update_resource
from podium.schedule import services as schedule_services
from podium.schedule.models import ScheduleSettings
from podium.schedule.wall import to_wall
from podium.work import services
from podium.work.models import ProgressReport, TimeEntry, Timesheet
from tests.conftest import make_user
from tests.work.conftest import RATE, Setup

H = services.HoursIn
P = services.ProgressIn


def report(s: Setup, hours: str = "6", percent: float = 40.0) -> Timesheet:
    [ts] = services.save_week(
        actor=s.world.team, week=s.monday,
        hours=[H(s.a.pk, s.today, Decimal(hours))],
        progress=[P(s.a.pk, s.monday, None, percent, Decimal("1.5"))],
    )  # fmt: skip
    [ts] = services.submit_week(actor=s.world.team, week=s.monday)
    return ts


# -- the resource's account -------------------------------------------------------------


def test_only_a_person_resource_links_to_a_member_account(setup: Setup) -> None:
    s = setup
    with pytest.raises(ValidationFailed) as role:
        create_resource(actor=s.world.pm, program=s.budget.program, code="CREW", name="Crew",
                        kind=Resource.Kind.ROLE, user=s.world.team)  # fmt: skip
    assert "person" in role.value.errors["user"][0]
    with pytest.raises(ValidationFailed) as outsider:
        create_resource(actor=s.world.pm, program=s.budget.program, code="OUT", name="Out",
                        kind=Resource.Kind.PERSON, user=s.world.outsider)  # fmt: skip
    assert "not a member" in outsider.value.errors["user"][0]
    with pytest.raises(ValidationFailed):
        update_resource(actor=s.world.pm, resource=s.resource, expected_version=None,
                        kind=Resource.Kind.ROLE)  # fmt: skip
    unlinked = update_resource(
        actor=s.world.pm, resource=s.resource, expected_version=None, user=None
    )
    assert unlinked.user is None


def test_an_assignment_notifies_the_linked_person(setup: Setup) -> None:
    s = setup
    n = Notification.objects.filter(user=s.world.team, category="assignments")
    assert n.count() == 2  # A and B in the fixture
    assign(actor=s.world.cm, activity=s.c, resource=s.resource)
    latest = n.first()
    assert latest is not None and "C Order beds" in latest.title and latest.url == "/my-work/"


# -- reporting ---------------------------------------------------------------------------


def test_a_team_member_reports_only_on_own_assignments(setup: Setup, world: Any) -> None:
    s = setup
    with pytest.raises(PermissionDenied):
        services.save_week(actor=s.world.team, week=s.monday,
                           hours=[H(s.c.pk, s.monday, Decimal(2))], progress=[])  # fmt: skip
    with pytest.raises(NotFound):  # an activity of a program the user can't see
        services.save_week(actor=s.world.outsider, week=s.monday,
                           hours=[H(s.a.pk, s.monday, Decimal(2))], progress=[])  # fmt: skip
    assert not Timesheet.objects.exists()


@pytest.mark.parametrize(
    ("hours", "progress", "field", "words"),
    [
        ("25", None, "hours.{a}.{day}", "at most 24"),
        ("0.3", None, "hours.{a}.{day}", "quarter hours"),
        ("-1", None, "hours.{a}.{day}", "more than 0"),
        (None, {"percent_complete": 120.0}, "percent_complete.{a}", "between 0 and 100"),
        (None, {"percent_complete": -5.0}, "percent_complete.{a}", "between 0 and 100"),
        (None, {"actual_finish": "start-1"}, "actual_finish.{a}", "before the actual start"),
        (None, {"remaining_days": Decimal(-1)}, "remaining_days.{a}", "negative"),
        (
            None,
            {"actual_start": None, "percent_complete": 30.0},
            "actual_start.{a}",
            "actual start",
        ),
    ],
)
def test_invalid_input_names_the_field_and_stores_nothing(
    setup: Setup, hours: str | None, progress: dict[str, Any] | None, field: str, words: str
) -> None:
    s = setup
    entries = [H(s.a.pk, s.monday, Decimal(hours))] if hours else []
    reports = []
    if progress is not None:
        values: dict[str, Any] = {"actual_start": s.monday, "percent_complete": 10.0}
        values.update(progress)
        if values.get("actual_finish") == "start-1":
            values["actual_finish"] = s.monday - dt.timedelta(days=1)
        reports = [P(s.a.pk, **values)]
    with pytest.raises(ValidationFailed) as refused:
        services.save_week(actor=s.world.team, week=s.monday, hours=entries, progress=reports)
    key = field.format(a=s.a.pk, day=s.monday.isoformat())
    assert key in refused.value.errors
    message = refused.value.errors[key][0]
    assert words in message and "A Strip out" in message
    if key.startswith("hours"):
        assert s.monday.isoformat() in message
    assert not Timesheet.objects.exists() and not TimeEntry.objects.exists()


def test_more_than_24_hours_a_day_in_total_is_refused(setup: Setup) -> None:
    s = setup
    with pytest.raises(ValidationFailed) as refused:
        services.save_week(actor=s.world.team, week=s.monday, progress=[], hours=[
            H(s.a.pk, s.monday, Decimal(13)), H(s.b.pk, s.monday, Decimal("11.25")),
        ])  # fmt: skip
    key = f"day.{s.monday.isoformat()}"
    assert "24.25 hours in total" in refused.value.errors[key][0]
    assert not TimeEntry.objects.exists()


def test_a_day_still_to_come_is_refused(setup: Setup) -> None:
    s = setup
    with pytest.raises(ValidationFailed) as refused:
        services.save_week(actor=s.world.team, week=s.monday, progress=[],
                           hours=[H(s.a.pk, s.monday + dt.timedelta(days=3), Decimal(1))],
                           today=s.monday + dt.timedelta(days=1))  # fmt: skip
    assert "still to come" in next(iter(refused.value.errors.values()))[0]


def test_saving_again_replaces_the_draft_and_a_submitted_week_is_read_only(setup: Setup) -> None:
    s = setup
    services.save_week(actor=s.world.team, week=s.monday, progress=[],
                       hours=[H(s.a.pk, s.monday, Decimal(4))])  # fmt: skip
    [ts] = services.save_week(actor=s.world.team, week=s.monday, progress=[],
                              hours=[H(s.b.pk, s.monday, Decimal(3))])  # fmt: skip
    assert [(e.activity_id, e.hours) for e in ts.entries.all()] == [(s.b.pk, Decimal(3))]
    with pytest.raises(VersionConflict):
        services.save_week(actor=s.world.team, week=s.monday, progress=[],
                           hours=[H(s.b.pk, s.monday, Decimal(2))], versions={"C1": 1})  # fmt: skip
    services.submit_week(actor=s.world.team, week=s.monday)
    with pytest.raises(ValidationFailed) as locked:
        services.save_week(actor=s.world.team, week=s.monday, progress=[],
                           hours=[H(s.b.pk, s.monday, Decimal(2))])  # fmt: skip
    assert "submitted" in next(iter(locked.value.errors.values()))[0]


def test_unchanged_progress_is_not_reported(setup: Setup) -> None:
    s = setup
    [ts] = services.save_week(
        actor=s.world.team, week=s.monday, hours=[H(s.a.pk, s.monday, Decimal(1))],
        progress=[services.current_progress(s.a), services.current_progress(s.b)],
    )  # fmt: skip
    assert not ProgressReport.objects.filter(timesheet=ts).exists()


# -- submitting and deciding -----------------------------------------------------------


def test_submit_notifies_each_approver(setup: Setup) -> None:
    s = setup
    ts = report(s)
    assert ts.status == Timesheet.Status.SUBMITTED
    approvals = Notification.objects.filter(category="approvals")
    assert {n.user for n in approvals} == {s.world.cm, s.world.pm}
    assert approvals.first().url == f"/programs/ALPHA/timesheets/{ts.pk}/"  # type: ignore[union-attr]
    with pytest.raises(ValidationFailed):  # nothing left to submit
        services.submit_week(actor=s.world.team, week=s.monday)


def test_approval_records_progress_and_cost(setup: Setup) -> None:
    s = setup
    ts = report(s, hours="6")
    done = services.approve(actor=s.world.cm, timesheet=ts, expected_version=ts.version)
    assert done.status == Timesheet.Status.APPROVED and done.cost_note == ""
    s.a.refresh_from_db()
    assert to_wall(s.a.actual_start) == dt.datetime.combine(s.monday, dt.time(8))
    assert s.a.percent_complete == 40.0 and s.a.remaining_minutes == 720
    assert to_wall(s.a.start) == dt.datetime.combine(s.monday, dt.time(8))
    settings = ScheduleSettings.objects.get(program=s.budget.program)
    last = min(s.monday + dt.timedelta(days=6), s.today)
    assert to_wall(settings.data_date) == dt.datetime.combine(last + dt.timedelta(days=1),
                                                              dt.time())  # fmt: skip
    cost = ActualCost.objects.get(source=ActualCost.Source.TIMESHEET)
    assert cost.amount == 6 * RATE and cost.activity_id == s.a.pk and cost.date == s.today
    assert cost.cost_account.code == "C1-LAB"
    assert TimeEntry.objects.get().actual_cost == cost
    note = AuditRecord.objects.filter(object_type="work.timesheet", action="transition").first()
    assert note is not None and "reported by team" in note.note and note.user == s.world.cm
    told = Notification.objects.filter(user=s.world.team, title__startswith="Timesheet approved")
    assert told.exists()


def test_approval_is_all_or_nothing(setup: Setup, monkeypatch: Any) -> None:
    s = setup
    ts = report(s)
    before = (s.a.actual_start, s.a.percent_complete, s.a.start, s.a.finish)

    def broken(**kwargs: Any) -> None:
        raise ValidationFailed({"cost_account": ["The ledger is closed."]})

    monkeypatch.setattr(services, "record_time", broken)
    with pytest.raises(ValidationFailed):
        services.approve(actor=s.world.cm, timesheet=ts, expected_version=None)
    s.a.refresh_from_db()
    assert (s.a.actual_start, s.a.percent_complete, s.a.start, s.a.finish) == before
    assert Timesheet.objects.get().status == Timesheet.Status.SUBMITTED
    assert not ActualCost.objects.filter(source=ActualCost.Source.TIMESHEET).exists()
    assert ScheduleSettings.objects.get(program=s.budget.program).data_date is None


def test_only_the_component_or_program_manager_decides(setup: Setup) -> None:
    s = setup
    ts = report(s)
    for user in (s.world.team, s.world.viewer):
        with pytest.raises(PermissionDenied):
            services.approve(actor=user, timesheet=ts, expected_version=None)
    done = services.reject(actor=s.world.pm, timesheet=ts, expected_version=None,
                           reason="Hours on Monday look doubled.")  # fmt: skip
    assert done.status == Timesheet.Status.REJECTED


def test_stale_decisions_are_refused(setup: Setup) -> None:
    s = setup
    ts = report(s)
    with pytest.raises(VersionConflict):
        services.approve(actor=s.world.cm, timesheet=ts, expected_version=ts.version - 1)
    schedule_services.update_activity(actor=s.world.cm, activity=s.a, expected_version=None,
                                      name="Strip out (renamed)")  # fmt: skip
    with pytest.raises(TransitionRefused) as changed:
        services.approve(actor=s.world.cm, timesheet=ts, expected_version=None)
    assert "changed after" in changed.value.message
    assert Timesheet.objects.get().status == Timesheet.Status.SUBMITTED


def test_rejected_week_needs_a_reason_and_can_be_resubmitted(setup: Setup) -> None:
    s = setup
    ts = report(s)
    with pytest.raises(ValidationFailed) as empty:
        services.reject(actor=s.world.cm, timesheet=ts, expected_version=None, reason="  ")
    assert "reason" in empty.value.errors
    services.reject(actor=s.world.cm, timesheet=ts, expected_version=None, reason="Too many")
    assert Notification.objects.filter(user=s.world.team, body__contains="Too many").exists()
    services.save_week(actor=s.world.team, week=s.monday, progress=[],
                       hours=[H(s.a.pk, s.today, Decimal(2))])  # fmt: skip
    [again] = services.submit_week(actor=s.world.team, week=s.monday)
    assert again.status == Timesheet.Status.SUBMITTED and again.reason == ""


def test_no_cost_account_or_rate_books_hours_without_cost(setup: Setup) -> None:
    s = setup
    free = create_resource(
        actor=s.world.pm, program=s.budget.program, code="VOL", name="Volunteer",
        kind=Resource.Kind.PERSON, user=s.world.cm,
    )  # fmt: skip
    assign(actor=s.world.pm, activity=s.a, resource=free)
    services.save_week(actor=s.world.cm, week=s.monday, progress=[],
                       hours=[H(s.a.pk, s.monday, Decimal(3))])  # fmt: skip
    [ts] = services.submit_week(actor=s.world.cm, week=s.monday)
    done = services.approve(actor=s.world.pm, timesheet=ts, expected_version=None)
    assert done.status == Timesheet.Status.APPROVED
    assert "VOL has no standard rate" in done.cost_note
    assert TimeEntry.objects.get(timesheet=ts).hours == 3
    assert not ActualCost.objects.filter(source=ActualCost.Source.TIMESHEET).exists()


def test_reminders_once_a_week(setup: Setup) -> None:
    s = setup
    monday = s.monday
    other = make_user("idle")
    assert services.send_reminders(today=monday) == 1  # last week: A was due to run
    sent = Notification.objects.filter(user=s.world.team, category="overdue")
    assert sent.count() == 1
    assert services.send_reminders(today=monday + dt.timedelta(days=1)) == 0
    assert sent.count() == 1
    assert not Notification.objects.filter(user=other).exists()
    next_week = monday + dt.timedelta(days=7)
    services.save_week(actor=s.world.team, week=monday, progress=[],
                       hours=[H(s.a.pk, monday, Decimal(1))], today=monday)  # fmt: skip
    services.submit_week(actor=s.world.team, week=monday)
    assert services.send_reminders(today=next_week) == 0
    assert not sent.filter(url=f"/my-work/week/{monday.isoformat()}/").exists()

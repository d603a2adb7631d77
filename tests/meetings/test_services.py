"""Meeting services: who plans and changes what, the minutes lock, links kept inside the
program, decisions into the decision log, actions, carry-over and the notifications."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from podium.changes import services as changes
from podium.core.errors import NotFound, PermissionDenied, TransitionRefused, ValidationFailed
from podium.core.models import AuditRecord
from podium.core.periodic import periodic_jobs
from podium.feedback import services as feedback
from podium.governance.models import Decision
from podium.governance.selectors import decision_list
from podium.meetings import selectors, services
from podium.meetings.links import link_view
from podium.meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    ItemStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from podium.meetings.services import Guest
from podium.notifications.models import Notification
from podium.programs import services as programs
from podium.risks import services as risks
from tests.conftest import World
from tests.meetings.conftest import at, plan

# -- planning and seeing --------------------------------------------------------------------


def test_program_manager_plans_both_kinds_component_manager_only_coordination(
    world: World,
) -> None:
    board = plan(world, MeetingKind.BOARD, title="Program board")
    assert board.organizer == world.pm
    coordination = plan(world, actor=world.cm, guests=[Guest(user=world.team)])
    assert coordination.organizer == world.cm
    with pytest.raises(PermissionDenied):
        plan(world, MeetingKind.BOARD, actor=world.cm)
    for user in (world.team, world.viewer, world.stakeholder):
        with pytest.raises(PermissionDenied):
            plan(world, actor=user)


def test_attendees_are_members_or_guests_with_an_address(world: World) -> None:
    with pytest.raises(ValidationFailed) as exc:
        plan(world, guests=[Guest(user=world.outsider)])
    assert "user" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        plan(world, guests=[Guest(name="Vendor", email="not-an-address")])
    assert "email" in exc.value.errors
    meeting = plan(world, guests=[Guest(name="Ana Vendor", email="Ana@Vendor.example")])
    names = [(a.display_name, a.mail, a.required) for a in meeting.attendees.all()]
    assert names == [("pm", "", True), ("Ana Vendor", "ana@vendor.example", True)]


def test_invited_members_are_told_with_a_link(world: World) -> None:
    meeting = plan(world)
    told = Notification.objects.filter(title=f"Invitation: {meeting.title}")
    assert sorted(n.user.username for n in told) == ["cm", "team"]
    assert {n.category for n in told} == {"updates"}
    assert told.first().url == f"/programs/ALPHA/meetings/{meeting.pk}/"  # type: ignore[union-attr]
    # The organizer does not notify themself.
    assert not Notification.objects.filter(user=world.pm).exists()


def test_members_see_meetings_stakeholders_only_when_invited(world: World) -> None:
    meeting = plan(world)
    for user in (world.pm, world.cm, world.team, world.viewer, world.admin):
        assert selectors.get_meeting(world.alpha, meeting.pk, user) == meeting
    with pytest.raises(NotFound):
        selectors.get_meeting(world.alpha, meeting.pk, world.stakeholder)
    services.add_attendee(actor=world.pm, meeting=meeting, guest=Guest(user=world.stakeholder))
    assert selectors.get_meeting(world.alpha, meeting.pk, world.stakeholder) == meeting
    with pytest.raises(NotFound):
        selectors.meetings_program(world.outsider, "ALPHA")


# -- changes and the minutes lock -----------------------------------------------------------


def test_only_organizer_or_program_manager_change_it(world: World) -> None:
    meeting = plan(world, actor=world.cm, guests=[Guest(user=world.team)])
    services.update_meeting(actor=world.cm, meeting=meeting, expected_version=None, title="Sync")
    services.update_meeting(actor=world.pm, meeting=meeting, expected_version=None, title="Sync 2")
    with pytest.raises(PermissionDenied):
        services.update_meeting(
            actor=world.team, meeting=meeting, expected_version=None, title="Mine"
        )
    with pytest.raises(PermissionDenied):
        services.add_agenda_item(actor=world.team, meeting=meeting, title="Extra")


def test_time_or_place_change_bumps_the_sequence_and_tells_attendees(world: World) -> None:
    meeting = plan(world)
    same = services.update_meeting(
        actor=world.pm, meeting=meeting, expected_version=1, title="Renamed"
    )
    assert same.sequence == 0
    moved = services.update_meeting(
        actor=world.pm, meeting=same, expected_version=2, starts_at=at(4), location="Room 2"
    )
    assert moved.sequence == 1 and moved.version == 3
    assert Notification.objects.filter(user=world.cm, title="Meeting moved: Renamed").exists()
    from podium.core.errors import VersionConflict

    with pytest.raises(VersionConflict):
        services.update_meeting(actor=world.pm, meeting=moved, expected_version=1, title="Old")


def test_holding_locks_the_minutes_except_for_the_program_manager(world: World) -> None:
    meeting = plan(world, actor=world.cm, guests=[Guest(user=world.team)])
    item = services.add_agenda_item(actor=world.cm, meeting=meeting, title="Interfaces")
    team = meeting.attendees.get(user=world.team)
    held = services.hold_meeting(
        actor=world.cm, meeting=meeting, minutes="All on track.", attended=[team.pk]
    )
    assert held.status == MeetingStatus.HELD and held.held_at is not None
    attendance = {a.user.username: a.attended for a in held.attendees.select_related("user")}
    assert attendance == {"cm": False, "team": True}
    with pytest.raises(TransitionRefused):
        services.update_meeting(
            actor=world.cm, meeting=held, expected_version=None, minutes="Rewritten"
        )
    with pytest.raises(TransitionRefused):
        services.update_agenda_item(actor=world.cm, item=item, notes="later")
    with pytest.raises(TransitionRefused):
        services.hold_meeting(actor=world.pm, meeting=held)
    corrected = services.update_meeting(
        actor=world.pm, meeting=held, expected_version=None, minutes="All on track (corrected)."
    )
    assert corrected.minutes == "All on track (corrected)."
    record = AuditRecord.objects.filter(object_type="meetings.meeting").first()
    assert record is not None and record.user == world.pm
    assert record.note == "changed after the meeting was held"
    assert record.changes == [("minutes", "All on track.", "All on track (corrected).")]


def test_cancel_tells_attendees_and_stops_changes(world: World) -> None:
    meeting = plan(world)
    cancelled = services.cancel_meeting(actor=world.pm, meeting=meeting)
    assert cancelled.status == MeetingStatus.CANCELLED and cancelled.sequence == 1
    assert Notification.objects.filter(
        user=world.cm, title__startswith="Meeting cancelled"
    ).exists()
    with pytest.raises(TransitionRefused):
        services.add_agenda_item(actor=world.pm, meeting=cancelled, title="Too late")


# -- links ----------------------------------------------------------------------------------


def test_links_stay_inside_the_program(world: World) -> None:
    meeting = plan(world)
    risk = risks.create_risk(actor=world.pm, program=world.alpha, title="Vendor late")
    other = risks.create_risk(actor=world.pm_b, program=world.beta, title="Beta secret plan")
    item = services.add_agenda_item(
        actor=world.pm, meeting=meeting, title="Vendor", link_type="risk", link_id=risk.pk
    )
    assert item.risk == risk
    with pytest.raises(ValidationFailed) as exc:
        services.add_agenda_item(
            actor=world.pm, meeting=meeting, title="X", link_type="risk", link_id=other.pk
        )
    # The refusal reads like a missing risk: nothing about the other program's risk.
    assert "Beta secret plan" not in str(exc.value.errors)
    with pytest.raises(ValidationFailed):
        services.add_agenda_item(
            actor=world.pm, meeting=meeting, title="X", link_type="budget", link_id=1
        )


def test_linked_objects_show_only_to_those_who_may_see_them(world: World) -> None:
    meeting = plan(world, guests=[Guest(user=world.stakeholder), Guest(user=world.team)])
    cr = changes.create_change_request(actor=world.pm, program=world.alpha, title="Secret ward")
    risk = risks.create_risk(actor=world.pm, program=world.alpha, title="Vendor late")
    on_cr = services.add_agenda_item(
        actor=world.pm,
        meeting=meeting,
        title="Decide the ward",
        link_type="change_request",
        link_id=cr.pk,
    )
    on_risk = services.add_agenda_item(
        actor=world.pm, meeting=meeting, title="Vendor", link_type="risk", link_id=risk.pk
    )
    seen = link_view(world.team, on_cr)
    assert seen is not None and not seen.restricted and "Secret ward" in seen.text
    assert seen.url == f"/programs/ALPHA/changes/{cr.pk}/"
    hidden = link_view(world.stakeholder, on_cr)
    assert hidden is not None and hidden.restricted
    assert hidden.text == "restricted item" and hidden.url == ""
    # A risk is visible to every member of the program, stakeholders included ...
    shown = link_view(world.stakeholder, on_risk)
    assert shown is not None and not shown.restricted
    # ... and to nobody once they leave it (their roles are read afresh).
    programs.remove_member(actor=world.pm, membership=world.alpha.memberships.get(user=world.team))
    world.team.__dict__.pop("_podium_roles", None)
    gone = link_view(world.team, on_risk)
    assert gone is not None and gone.restricted and "Vendor" not in gone.text


def test_feedback_link_visible_to_its_submitter_only_among_stakeholders(world: World) -> None:
    item = feedback.submit_feedback(
        actor=world.stakeholder, program=world.alpha, text="Signs are confusing."
    )
    meeting = plan(world, guests=[Guest(user=world.stakeholder)])
    linked = services.add_agenda_item(
        actor=world.pm,
        meeting=meeting,
        title="Signage",
        link_type="feedback_item",
        link_id=item.pk,
    )
    mine = link_view(world.stakeholder, linked)
    assert mine is not None and not mine.restricted and item.reference in mine.text


# -- board agenda ---------------------------------------------------------------------------


def test_prefill_from_the_board_agenda_links_each_entry_once(world: World) -> None:
    from podium.governance import services as governance

    review = governance.open_review(actor=world.pm, program=world.alpha)
    risk = risks.create_risk(
        actor=world.pm, program=world.alpha, component=world.comp, title="Vendor late"
    )
    risks.escalate_risk(actor=world.cm, risk=risk, reason="Needs money.", expected_version=None)
    board = plan(world, MeetingKind.BOARD, title="Program board")
    created = services.prefill_board_agenda(actor=world.pm, meeting=board)
    assert [(i.gate_review, i.risk) for i in created] == [(review, None), (None, risk)]
    assert created[1].title == f"Risk {risk.code} Vendor late"
    assert created[1].notes == "Needs money."
    assert services.prefill_board_agenda(actor=world.pm, meeting=board) == []
    with pytest.raises(ValidationFailed):
        services.prefill_board_agenda(actor=world.pm, meeting=plan(world))


# -- decisions ------------------------------------------------------------------------------


def test_decision_goes_into_the_decision_log_referencing_the_meeting(world: World) -> None:
    board = plan(world, MeetingKind.BOARD, title="Program board")
    item = services.add_agenda_item(actor=world.pm, meeting=board, title="Funding tranche 2")
    link = services.record_meeting_decision(
        actor=world.pm,
        meeting=board,
        outcome="approved",
        rationale="Release it.",
        agenda_item=item,
    )
    decision = decision_list(world.alpha).get()
    assert link.decision == decision and decision.number == 1
    assert decision.subject_type == "meetings.meeting"
    assert decision.subject_id == str(board.pk)
    assert "Program board" in decision.subject_label
    assert decision.rationale == "Agenda item “Funding tranche 2”: Release it."
    assert decision.decided_by == world.pm
    with pytest.raises(ValidationFailed):
        services.record_meeting_decision(
            actor=world.pm, meeting=board, outcome="approved", rationale=" "
        )
    with pytest.raises(PermissionDenied):
        services.record_meeting_decision(
            actor=world.team, meeting=board, outcome="approved", rationale="Me too."
        )
    assert Decision.objects.count() == 1


# -- actions and carry-over -----------------------------------------------------------------


def test_action_owner_is_told_and_may_mark_it_done(world: World) -> None:
    meeting = plan(world)
    action = services.add_action(
        actor=world.pm,
        meeting=meeting,
        title="Book the room",
        owner=world.team,
        due_date=timezone.localdate(),
    )
    told = Notification.objects.get(user=world.team, category="assignments")
    assert told.title == "Action for you: Book the room"
    with pytest.raises(ValidationFailed):
        services.add_action(actor=world.pm, meeting=meeting, title="X", owner=world.outsider)
    with pytest.raises(PermissionDenied):
        services.update_action(actor=world.viewer, action=action, status=ActionStatus.DONE)
    with pytest.raises(PermissionDenied):
        services.update_action(actor=world.team, action=action, title="Changed by owner")
    done = services.update_action(actor=world.team, action=action, status=ActionStatus.DONE)
    assert done.status == ActionStatus.DONE and done.done_at is not None


def test_next_meeting_carries_open_items_and_actions(world: World) -> None:
    first = plan(world, days=-7)
    open_item = services.add_agenda_item(actor=world.pm, meeting=first, title="Interfaces")
    closed = services.add_agenda_item(actor=world.pm, meeting=first, title="Wi-Fi")
    services.update_agenda_item(actor=world.pm, item=closed, status=ItemStatus.CLOSED)
    open_action = services.add_action(
        actor=world.pm,
        meeting=first,
        title="Test data",
        owner=world.cm,
        due_date=timezone.localdate() + dt.timedelta(days=3),
    )
    done = services.add_action(actor=world.pm, meeting=first, title="Minutes", owner=world.pm)
    services.update_action(actor=world.pm, action=done, status=ActionStatus.DONE)
    services.hold_meeting(actor=world.pm, meeting=first, minutes="ok")

    second = services.plan_next_meeting(actor=world.pm, meeting=Meeting.objects.get(pk=first.pk))
    assert second.previous_id == first.pk and second.kind == first.kind
    assert second.starts_at == first.starts_at + dt.timedelta(weeks=1)
    assert second.status == MeetingStatus.PLANNED
    assert sorted(a.display_name for a in second.attendees.all()) == ["cm", "pm", "team"]
    carried = list(second.agenda_items.all())
    assert [(i.title, i.carried_from_id, i.carry_count) for i in carried] == [
        ("Interfaces", open_item.pk, 1)
    ]
    actions = list(second.actions.all())
    assert [(a.title, a.owner, a.carried_from_id) for a in actions] == [
        ("Test data", world.cm, open_action.pk)
    ]
    with pytest.raises(TransitionRefused):
        services.plan_next_meeting(actor=world.pm, meeting=first)

    # Carried again: the count goes up; closing the copy closes the chain and stops it.
    third = services.plan_next_meeting(actor=world.pm, meeting=second)
    again = third.agenda_items.get()
    assert again.carry_count == 2 and again.carried_from_id == carried[0].pk
    services.update_agenda_item(actor=world.pm, item=again, status=ItemStatus.CLOSED)
    assert set(AgendaItem.objects.filter(title="Interfaces").values_list("status", flat=True)) == {
        ItemStatus.CLOSED
    }
    action_copy = third.actions.get()
    services.update_action(actor=world.cm, action=action_copy, status=ActionStatus.DONE)
    assert set(ActionItem.objects.filter(title="Test data").values_list("status", flat=True)) == {
        ActionStatus.DONE
    }
    fourth = services.plan_next_meeting(actor=world.pm, meeting=third)
    assert not fourth.agenda_items.exists() and not fourth.actions.exists()
    # "My actions" shows the current copy only.
    assert list(selectors.my_actions(world.cm, world.alpha)) == []


def test_next_board_meeting_is_four_weeks_later_by_default(world: World) -> None:
    board = plan(world, MeetingKind.BOARD, title="Program board")
    nxt = services.plan_next_meeting(actor=world.pm, meeting=board)
    assert nxt.starts_at - board.starts_at == dt.timedelta(weeks=4)
    with pytest.raises(PermissionDenied):
        services.plan_next_meeting(actor=world.cm, meeting=nxt)


def test_overdue_actions_notify_their_owner_once(world: World) -> None:
    meeting = plan(world, days=-10)
    late = services.add_action(
        actor=world.pm,
        meeting=meeting,
        title="Send the report",
        owner=world.cm,
        due_date=timezone.localdate() - dt.timedelta(days=1),
    )
    services.add_action(
        actor=world.pm,
        meeting=meeting,
        title="Later",
        owner=world.cm,
        due_date=timezone.localdate() + dt.timedelta(days=5),
    )
    assert services.notify_overdue_actions() == 1
    overdue = Notification.objects.filter(user=world.cm, category="overdue")
    assert [n.title for n in overdue] == ["Overdue action: Send the report"]
    assert services.notify_overdue_actions() == 0
    # Carried over, it is still the same action: no second notification.
    services.plan_next_meeting(actor=world.pm, meeting=meeting)
    assert services.notify_overdue_actions() == 0
    # Done actions are never overdue.
    copy = ActionItem.objects.get(carried_from=late)
    services.update_action(
        actor=world.pm, action=copy, due_date=timezone.localdate() - dt.timedelta(days=2)
    )
    services.update_action(actor=world.cm, action=copy, status=ActionStatus.DONE)
    assert services.notify_overdue_actions() == 0
    assert overdue.count() == 1


def test_overdue_job_is_registered_daily() -> None:
    jobs = {p.kind: p.every for p in periodic_jobs()}
    assert jobs["meetings.overdue_actions"] == dt.timedelta(days=1)
    from podium.core.jobs import _HANDLERS

    assert _HANDLERS["meetings.overdue_actions"] is services.overdue_actions_job

"""The demo's meetings of HDT, dated from today (:func:`django.utils.timezone.localdate`):

- the program board met five days ago (chaired by the sponsor), with minutes, two
  decisions in the decision log and three actions, one of them done; the next board
  meeting is three weeks ahead with the open items and actions carried over;
- the weekly coordination meeting was held two days ago; the next one is planned.

``podium.demo.load_demo`` calls :func:`seed_meetings` last. People missing from
``users`` (or not members of the program) are left out.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from podium.accounts.models import User
from podium.governance.access import can_decide
from podium.governance.models import DecisionOutcome
from podium.meetings import services
from podium.meetings.models import ActionStatus, ItemStatus, Meeting, MeetingKind
from podium.meetings.services import Guest
from podium.programs.models import Program

__all__ = ["seed_meetings"]

MANAGERS = ("cm.okafor", "cm.brandt", "cm.singh", "cm.dubois")


def _at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _people(program: Program, users: dict[str, User], names: tuple[str, ...]) -> list[User]:
    found = [users[name] for name in names if name in users]
    members = set(program.memberships.values_list("user_id", flat=True))
    return [user for user in found if user.pk in members]


def _board(program: Program, pm: User, users: dict[str, User]) -> Meeting:
    chair = _people(program, users, ("sh.nakamura",))
    board = _people(program, users, ("sh.osei", "viewer.audit"))
    managers = _people(program, users, MANAGERS)
    meeting = services.plan_meeting(
        actor=pm,
        program=program,
        kind=MeetingKind.BOARD,
        title="Program board",
        starts_at=_at(-5, 14),
        duration=120,
        location="Board room, admin building level 4",
        description="Monthly program board: gates, changes, escalations and conditions.",
        guests=[
            *(Guest(user=u) for u in chair + board + managers[:2]),
            *(Guest(user=u, required=False) for u in managers[2:]),
        ],
    )
    status = services.add_agenda_item(
        actor=pm,
        meeting=meeting,
        title="Program status: schedule, cost and benefits",
        presenter=pm,
        notes="EHR wave 1 two weeks late; costs within budget; portal on plan.",
    )
    services.prefill_board_agenda(actor=pm, meeting=meeting)
    budget = services.add_agenda_item(
        actor=pm,
        meeting=meeting,
        title="Data platform: release the second funding tranche",
        presenter=managers[2] if len(managers) > 2 else None,
    )
    services.update_agenda_item(
        actor=pm,
        item=status,
        status=ItemStatus.CLOSED,
        outcome="Noted; recovery plan for EHR wave 1 to be shown next month.",
    )
    services.update_agenda_item(
        actor=pm,
        item=budget,
        status=ItemStatus.CLOSED,
        outcome="Approved, see decision.",
    )
    # The chair decides for the board (the program manager when there is no chair).
    decider = chair[0] if chair and can_decide(chair[0], program) else pm
    services.record_meeting_decision(
        actor=decider,
        meeting=meeting,
        outcome=DecisionOutcome.APPROVED,
        agenda_item=budget,
        rationale="Release the second funding tranche of the data platform: the first "
        "quality dashboards were delivered on budget.",
    )
    services.record_meeting_decision(
        actor=decider,
        meeting=meeting,
        outcome=DecisionOutcome.APPROVED,
        rationale="EHR wave 1 go-live moves two weeks so that ward training completes first; "
        "no change to the program end date.",
    )
    owners = [*managers, pm]
    services.add_action(
        actor=pm,
        meeting=meeting,
        title="Show the EHR wave 1 recovery plan to the board",
        owner=owners[0],
        due_date=timezone.localdate() + dt.timedelta(days=14),
    )
    services.add_action(
        actor=pm,
        meeting=meeting,
        title="Brief the nursing directorate on the training plan",
        owner=owners[min(1, len(owners) - 1)],
        due_date=timezone.localdate() - dt.timedelta(days=1),
    )
    done = services.add_action(
        actor=pm,
        meeting=meeting,
        title="Circulate the updated benefits profile",
        owner=pm,
        due_date=timezone.localdate() - dt.timedelta(days=2),
    )
    services.update_action(actor=pm, action=done, status=ActionStatus.DONE)
    present = [a.pk for a in meeting.attendees.all() if a.required]
    return services.hold_meeting(
        actor=pm,
        meeting=meeting,
        attended=present,
        minutes="The board reviewed the program status, the data platform funding and the "
        "items waiting for it. EHR wave 1 slips two weeks for training; the end date holds. "
        "Open items carry over to the next board.",
    )


def _coordination(program: Program, pm: User, users: dict[str, User]) -> Meeting:
    managers = _people(program, users, MANAGERS)
    team = _people(program, users, ("tm.lindqvist", "tm.haddad"))
    meeting = services.plan_meeting(
        actor=pm,
        program=program,
        kind=MeetingKind.COORDINATION,
        title="Weekly component coordination",
        starts_at=_at(-2, 9, 30),
        duration=60,
        online_link="https://meet.riverside.example/hdt-weekly",
        guests=[*(Guest(user=u) for u in managers), *(Guest(user=u, required=False) for u in team)],
    )
    for title, owner in (
        ("Interfaces EHR → data platform: test data ready?", managers[2:3]),
        ("Network cut-over weekend and ward Wi-Fi", managers[3:4]),
        ("Portal booking pilot: feedback from the first clinics", managers[1:2]),
    ):
        services.add_agenda_item(
            actor=pm, meeting=meeting, title=title, presenter=owner[0] if owner else None
        )
    first = meeting.agenda_items.order_by("position").first()
    if first is not None:
        services.update_agenda_item(
            actor=pm, item=first, status=ItemStatus.CLOSED, outcome="Test data delivered."
        )
    if managers:
        services.add_action(
            actor=pm,
            meeting=meeting,
            title="Confirm the cut-over weekend with the wards",
            owner=managers[-1],
            due_date=timezone.localdate() + dt.timedelta(days=3),
        )
    return services.hold_meeting(
        actor=pm,
        meeting=meeting,
        attended=[a.pk for a in meeting.attendees.all()],
        minutes="Round of the components. Interfaces test data delivered; cut-over weekend "
        "to be confirmed with the wards.",
    )


def seed_meetings(program: Program, pm: User, users: dict[str, User]) -> None:
    """HDT's board and coordination meetings: the last ones held, the next ones planned."""
    board = _board(program, pm, users)
    services.plan_next_meeting(actor=pm, meeting=board, starts_at=_at(21, 14))
    weekly = _coordination(program, pm, users)
    services.plan_next_meeting(actor=pm, meeting=weekly)

"""The demo's meetings, seeded on the test world (its people stand in for HDT's)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from podium.governance.models import Decision
from podium.governance.services import add_board_member
from podium.meetings.demo import seed_meetings
from podium.meetings.models import ActionStatus, Meeting, MeetingKind, MeetingStatus
from podium.programs import services as programs
from podium.programs.models import Role
from tests.conftest import World


def test_seed_meetings(world: World) -> None:
    users = {
        "sh.nakamura": world.stakeholder,
        "sh.osei": world.viewer,
        "cm.okafor": world.cm,
        "tm.lindqvist": world.team,
        "pm.alvarez": world.pm,
    }
    programs.add_member(actor=world.pm, program=world.alpha, user=world.admin, role=Role.VIEWER)
    add_board_member(actor=world.pm, program=world.alpha, user=world.stakeholder, role="chair")
    seed_meetings(world.alpha, world.pm, users)
    today = timezone.localdate()
    boards = list(Meeting.objects.filter(kind=MeetingKind.BOARD).order_by("starts_at"))
    assert [m.status for m in boards] == [MeetingStatus.HELD, MeetingStatus.PLANNED]
    held, nxt = boards
    assert timezone.localtime(held.starts_at).date() == today - dt.timedelta(days=5)
    assert timezone.localtime(nxt.starts_at).date() == today + dt.timedelta(days=21)
    assert held.minutes and nxt.previous_id == held.pk
    decisions = Decision.objects.filter(subject_type="meetings.meeting")
    assert [d.decided_by for d in decisions] == [world.stakeholder] * 2  # the chair
    assert sorted(held.actions.values_list("status", flat=True)) == [
        ActionStatus.DONE,
        ActionStatus.OPEN,
        ActionStatus.OPEN,
    ]
    assert nxt.actions.count() == 2 and all(a.carried_from_id for a in nxt.actions.all())
    weekly = list(Meeting.objects.filter(kind=MeetingKind.COORDINATION).order_by("starts_at"))
    assert [m.status for m in weekly] == [MeetingStatus.HELD, MeetingStatus.PLANNED]
    assert timezone.localtime(weekly[0].starts_at).date() == today - dt.timedelta(days=2)
    assert weekly[1].agenda_items.count() == 2  # the closed item stays behind

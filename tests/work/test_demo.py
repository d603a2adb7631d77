"""The demo seeder on the test world (the demo's own program is too slow to load here)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from podium.finance.models import ActualCost
from podium.programs import services as program_services
from podium.programs.models import Role
from podium.work.demo import seed_work
from podium.work.models import Timesheet
from tests.conftest import World, make_user
from tests.work.conftest import build_setup


def test_seed_work(world: World) -> None:
    s = build_setup(world)
    users: dict[str, Any] = {"tm.lindqvist": world.team}
    for name in ("tm.haddad", "tm.kowalski"):
        users[name] = make_user(name)
        program_services.add_member(actor=world.pm, program=s.budget.program, user=users[name],
                                    role=Role.TEAM_MEMBER)  # fmt: skip
    seed_work(s.budget.program, world.pm, users)
    S = Timesheet.Status
    lindqvist = Timesheet.objects.get(user=world.team)
    assert lindqvist.status == S.APPROVED and lindqvist.decided_by == world.cm
    assert lindqvist.week == s.monday - dt.timedelta(days=7)
    assert ActualCost.objects.filter(source="timesheet").exists()
    assert Timesheet.objects.get(user=users["tm.haddad"]).status == S.SUBMITTED
    kowalski = Timesheet.objects.get(user=users["tm.kowalski"])
    assert kowalski.status == S.DRAFT and kowalski.week == s.monday
    assert kowalski.entries.exists()

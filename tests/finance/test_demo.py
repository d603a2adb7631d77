"""The demo's budget: what ``seed_finance`` leaves behind."""

from __future__ import annotations

from typing import Any

from podium.finance import selectors
from podium.finance.demo import seed_finance
from podium.finance.models import ActualCost, BudgetBaseline, BudgetChangeRequest
from podium.programs import services as program_services
from podium.resources.services import assign, create_resource
from tests.conftest import World
from tests.governance.helpers import advance


def test_seed_finance_leaves_two_versions_a_decided_request_and_actuals(world: World) -> None:
    program = advance(world.pm, world.alpha, "Charter approved")
    create_resource(actor=None, program=program, code="DEV", name="Developers", standard_rate=90)

    current = seed_finance(program, world.pm)

    versions = list(BudgetBaseline.objects.filter(program=program).order_by("number"))
    assert [(v.number, v.status) for v in versions] == [(1, "superseded"), (2, "approved")]
    assert current == versions[1]
    request = BudgetChangeRequest.objects.get(program=program)
    assert request.status == "approved" and request.resulting_baseline == current
    cmp = selectors.compare(versions[0], versions[1])
    assert cmp.total_b - cmp.total_a == 180000
    assert ActualCost.objects.filter(program=program, source="manual").count() == 6 * 2
    assert ActualCost.objects.filter(program=program, source="timesheet").count() == 1


def _progressed_schedule(world: World) -> Any:
    """C1: a chain of eight 20-day tasks from Mon 2026-01-05 (until about September),
    baselined, progressed at Mon 2026-08-17 08:00 exactly as planned."""
    import datetime as dt

    from podium.engine import Activity as EActivity
    from podium.engine import Calendar, Link, Network
    from podium.interchange.base import ProjectFile
    from podium.programs.models import Program
    from podium.schedule import services as schedule_services
    from podium.schedule.models import Activity
    from podium.schedule.wall import to_wall

    program = advance(world.pm, world.alpha, "Charter approved")
    program_services.update_component(
        actor=world.pm, component=world.comp, expected_version=None,
        start_date=dt.date(2026, 1, 5),
    )  # fmt: skip
    acts = [EActivity("0", "Phase", kind="summary")]
    acts += [EActivity(str(i), f"Step {i}", 20 * 480, parent="0") for i in range(1, 9)]
    links = [Link(str(i), str(i + 1)) for i in range(1, 8)]
    network = Network(acts, links, project_start=dt.datetime(2026, 1, 5, 8),
                      default_calendar=Calendar.standard("Standard"))  # fmt: skip
    schedule_services.import_project(
        actor=world.pm, program=program, component=world.comp,
        project=ProjectFile(name="Steps", format="json", network=network, source="t.json"),
    )  # fmt: skip
    schedule_services.save_baseline(actor=world.pm, program=program, name="Plan")
    dev = create_resource(actor=None, program=program, code="DEV", name="Devs", standard_rate=90)
    for task in Activity.objects.filter(program=program, kind="task"):
        assign(actor=world.pm, activity=task, resource=dev, units=1)
    data_date = dt.datetime(2026, 8, 17, 8)
    updates = []
    for task in Activity.objects.filter(program=program, kind="task"):
        start, finish = to_wall(task.start), to_wall(task.finish)
        assert start is not None and finish is not None
        if finish <= data_date:
            updates.append(schedule_services.Progress(task, start, finish, 100.0, 0))
        elif start < data_date:
            updates.append(schedule_services.Progress(task, start, None, 50.0, 10 * 480))
    schedule_services.record_progress(
        actor=world.pm, program=program, data_date=data_date, updates=updates
    )
    return Program.objects.get(pk=program.pk)


def test_seed_earned_value_tells_a_story(world: World, monkeypatch: Any) -> None:
    import datetime as dt

    from podium.finance import demo, evm
    from podium.finance.demo import seed_earned_value
    from podium.schedule.models import Activity

    program = _progressed_schedule(world)
    seed_finance(program, world.pm)
    v2 = selectors.current_baseline(program)
    assert v2 is not None
    v2_total = selectors.budget_view(v2).lines_total
    monkeypatch.setitem(demo.COST_FACTORS, "C1", [("2026-01", 1.0), ("2026-05", 1.3)])

    snapshots = seed_earned_value(program, world.pm)

    v3 = selectors.current_baseline(program)
    assert v3 is not None and v3.number == 3 and v3.status == "approved"
    assert selectors.budget_view(v3).lines_total == v2_total  # detailed, not changed
    tasks = set(Activity.objects.filter(program=program, kind="task").values_list("pk", flat=True))
    assert {line.activity_id for line in v3.lines.all()} == tasks
    assert [s.name for s in snapshots] == ["April 2026", "May 2026", "June 2026", "July 2026"]
    trend = evm.evm_trend(program)
    cpis = [t.cpi for t in trend]
    assert all(c is not None for c in cpis)
    assert cpis[0] > cpis[-1] and cpis[-1] < 0.95  # the overrun from May shows
    assert ActualCost.objects.filter(program=program, date__gt=dt.date(2026, 8, 16)).count() == 0
    # seed_finance's workshop, and a day of the task in progress in the last period
    assert ActualCost.objects.filter(program=program, source="timesheet").count() == 2
    status = evm.program_evm(program)
    assert status.status_date == dt.date(2026, 8, 16)
    assert status.program.ev > 0 and status.program.cpi is not None
    assert status.program.cpi < 1

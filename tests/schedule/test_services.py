"""Importing, computing, linking across components, baselines and progress."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from podium.core.errors import PermissionDenied, ValidationFailed
from podium.core.models import AuditRecord
from podium.engine import Link
from podium.programs.models import Component
from podium.schedule import selectors, services
from podium.schedule.models import Activity, Baseline, Calendar
from podium.schedule.wall import to_wall
from tests.conftest import World
from tests.schedule.conftest import DAY, small_project

MON_8 = dt.datetime(2026, 3, 2, 8)


def _by_code(component: Component) -> dict[str, Activity]:
    return {a.code: a for a in Activity.objects.filter(component=component)}


def test_import_stores_the_schedule_and_computes_it(world: World, scheduled: Any) -> None:
    acts = _by_code(scheduled.component)
    assert (scheduled.activities, scheduled.links, scheduled.calendars) == (5, 4, 1)
    assert to_wall(acts["B"].start) == dt.datetime(2026, 3, 4, 8)
    assert to_wall(acts["D"].finish) == dt.datetime(2026, 3, 6, 17)
    assert acts["C"].total_float_minutes == 2 * DAY and not acts["C"].critical
    assert acts["A"].critical and acts["B"].critical
    assert acts["A"].parent == acts["P"]
    assert to_wall(acts["P"].start) == dt.datetime(2026, 3, 2, 8)  # summary rolls up
    assert Calendar.objects.filter(program=world.alpha, name="Hospital").exists()
    record = AuditRecord.objects.filter(action="import").get()
    assert record.after["activities"] == 5 and record.user == world.pm


def test_import_with_a_cycle_stores_nothing(world: World) -> None:
    project = small_project(links=[Link("A", "B"), Link("B", "C"), Link("C", "A")])
    before = (Component.objects.count(), Activity.objects.count(), AuditRecord.objects.count())
    with pytest.raises(services.ScheduleRefused, match="cycle"):
        services.import_project(actor=world.pm, program=world.alpha, project=project)
    after = (Component.objects.count(), Activity.objects.count(), AuditRecord.objects.count())
    assert after == before


def test_only_the_program_manager_imports(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.import_project(actor=world.cm, program=world.alpha, project=small_project())


def test_import_refuses_a_component_that_has_a_schedule(world: World, scheduled: Any) -> None:
    with pytest.raises(ValidationFailed, match="already has a schedule"):
        services.import_project(
            actor=world.pm, program=world.alpha, project=small_project(),
            component=scheduled.component,
        )  # fmt: skip


def test_cross_component_link_moves_the_successor(world: World, scheduled: Any) -> None:
    second = services.import_project(
        actor=world.pm, program=world.alpha, project=small_project("Second ward")
    )
    first, other = _by_code(scheduled.component), _by_code(second.component)
    services.add_link(actor=world.pm, pred=first["D"], succ=other["A"])
    moved = Activity.objects.get(pk=other["A"].pk)
    assert to_wall(moved.start) == dt.datetime(2026, 3, 9, 8)  # the Monday after D
    links = selectors.cross_component_links(world.alpha)
    assert [(ln.pred.code, ln.succ.code) for ln in links] == [("D", "A")]
    # closing a cycle across components is refused and leaves nothing behind
    with pytest.raises(services.ScheduleRefused, match="cycle"):
        services.add_link(actor=world.pm, pred=other["D"], succ=first["A"])
    assert Activity.objects.get(pk=first["A"].pk).start == first["A"].start


def test_baseline_variance_after_a_change(world: World, scheduled: Any) -> None:
    baseline = services.save_baseline(actor=world.pm, program=world.alpha, name="Plan")
    a = _by_code(scheduled.component)["A"]
    services.update_activity(
        actor=world.cm if a.component.manager == world.cm else world.pm, activity=a,
        expected_version=a.version, duration_minutes=4 * DAY,
    )  # fmt: skip
    rows = {
        v.activity.code: v
        for v in selectors.variance(baseline, list(selectors.activity_list(world.alpha)))
    }
    assert rows["B"].start_variance_days == 2.0
    assert rows["D"].finish_variance_days == 4.0  # two working days over a weekend
    assert rows["C"].finish_variance_days == 2.0


def test_imported_baseline_is_kept(world: World, scheduled: Any) -> None:
    baseline = Baseline.objects.get(component=scheduled.component)
    rows = selectors.variance(baseline, list(Activity.objects.filter(code="B")))
    assert to_wall(rows[0].baseline_start) == dt.datetime(2026, 3, 4, 8)


def test_progress_at_a_data_date(world: World, scheduled: Any) -> None:
    acts = _by_code(scheduled.component)
    services.record_progress(
        actor=world.pm, program=world.alpha, data_date=dt.datetime(2026, 3, 5, 8),
        updates=[services.Progress(acts["A"], MON_8, dt.datetime(2026, 3, 4, 17), 100, 0)],
    )  # fmt: skip
    b = Activity.objects.get(pk=acts["B"].pk)
    assert to_wall(b.start) == dt.datetime(2026, 3, 5, 8)  # not before the data date
    assert to_wall(Activity.objects.get(pk=acts["A"].pk).finish) == dt.datetime(2026, 3, 4, 17)


def test_stale_activity_edit_is_refused(world: World, scheduled: Any) -> None:
    from podium.core.errors import VersionConflict

    a = _by_code(scheduled.component)["A"]
    services.update_activity(actor=world.pm, activity=a, expected_version=1, name="Strip")
    with pytest.raises(VersionConflict):
        services.update_activity(actor=world.pm, activity=a, expected_version=1, name="Late")

"""Split activities in the schedule app: stored, scheduled with their gaps, exported."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from podium.interchange.mspdi import read_mspdi, write_mspdi
from podium.interchange.native import read_native, write_native
from podium.programs.models import Component
from podium.schedule import services
from podium.schedule.convert import engine_splits, project_file_for
from podium.schedule.models import Activity
from podium.schedule.wall import to_wall
from tests.conftest import World
from tests.schedule.conftest import DAY, small_project

# B (3 days) works Wed 4, waits Thu 5 and Fri 6, works Mon 9 and Tue 10.
GAP = ((DAY, 2 * DAY),)


def _by_code(component: Component) -> dict[str, Activity]:
    return {a.code: a for a in Activity.objects.filter(component=component)}


def test_stored_splits_lengthen_the_schedule_and_survive_export(
    world: World, scheduled: Any
) -> None:
    Activity.objects.filter(component=scheduled.component, code="B").update(
        splits=[list(p) for p in GAP]
    )
    services.recompute(actor=world.pm, program=world.alpha)
    acts = _by_code(scheduled.component)
    assert to_wall(acts["B"].finish) == dt.datetime(2026, 3, 10, 17)
    assert to_wall(acts["D"].finish) == dt.datetime(2026, 3, 10, 17)
    assert acts["C"].total_float_minutes == 4 * DAY  # 2 days + B's 2-day gap
    exported = project_file_for(world.alpha, scheduled.component)
    b = next(a for a in exported.network.activities if a.id == "B")
    assert b.splits == GAP
    assert read_native(write_native(exported)).network.activities == exported.network.activities
    again = read_mspdi(write_mspdi(exported))
    assert [a.splits for a in again.network.activities] == [
        a.splits for a in exported.network.activities
    ]


def test_splits_outside_a_shortened_duration_are_dropped(world: World, scheduled: Any) -> None:
    b = _by_code(scheduled.component)["B"]
    b.splits = [[DAY, DAY], [2 * DAY, DAY]]
    assert engine_splits(b) == ((DAY, DAY), (2 * DAY, DAY))
    b.duration_minutes = 2 * DAY  # edited after the import: the second split no longer fits
    assert engine_splits(b) == ((DAY, DAY),)


def test_import_keeps_the_splits_of_the_file(world: World) -> None:
    project = small_project()
    acts = [
        dataclasses.replace(a, splits=GAP) if a.id == "B" else a for a in project.network.activities
    ]
    network = dataclasses.replace(project.network, activities=acts)
    summary = services.import_project(
        actor=world.pm, program=world.alpha, project=dataclasses.replace(project, network=network)
    )
    b = _by_code(summary.component)["B"]
    assert b.splits == [list(p) for p in GAP]
    assert to_wall(b.finish) == dt.datetime(2026, 3, 10, 17)

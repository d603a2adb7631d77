"""``bulk_set`` stores what ``bulk_update`` would: dates, nulls, integers and booleans,
only for the rows given; a recompute writes only the activities whose dates moved."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from podium.core.bulk import bulk_set
from podium.schedule import services
from podium.schedule.models import Activity
from tests.conftest import World
from tests.schedule.conftest import small_project

FIELDS = ("start", "finish", "late_start", "total_float_minutes", "critical")


def _row(a: Activity) -> tuple[Any, ...]:
    return tuple(getattr(a, f) for f in FIELDS)


def test_bulk_set_writes_the_given_fields_of_the_given_rows(world: World) -> None:
    services.import_project(actor=world.pm, program=world.alpha, project=small_project())
    rows = {a.code: a for a in Activity.objects.filter(program=world.alpha)}
    untouched = {code: _row(a) for code, a in rows.items()}
    moment = dt.datetime(2027, 1, 4, 7, 30, 15, 123456, tzinfo=dt.UTC)
    a, b = rows["A"], rows["B"]
    a.start, a.finish, a.late_start, a.total_float_minutes, a.critical = (
        moment, moment + dt.timedelta(days=2), None, -480, not a.critical,
    )  # fmt: skip
    b.total_float_minutes, b.critical, b.name = None, True, "not written"

    assert bulk_set(Activity, [a, b], FIELDS) == 2

    stored = {x.code: x for x in Activity.objects.filter(program=world.alpha)}
    assert _row(stored["A"]) == _row(a)
    assert stored["A"].start == moment  # to the microsecond, as an aware time
    assert _row(stored["B"]) == _row(b)
    assert stored["B"].name == "Rewire"  # a field not named stays as it was
    for code in ("C", "D", "P"):
        assert _row(stored[code]) == untouched[code]


def test_bulk_set_of_nothing_writes_nothing(world: World) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert bulk_set(Activity, [], FIELDS) == 0
    assert len(queries) == 0


def test_recompute_writes_only_the_activities_that_moved(world: World) -> None:
    services.import_project(actor=world.pm, program=world.alpha, project=small_project())
    before = {a.code: a.finish for a in Activity.objects.filter(program=world.alpha)}
    # C has two days of float: one more day of C moves C alone.
    c = Activity.objects.get(program=world.alpha, code="C")
    Activity.objects.filter(pk=c.pk).update(duration_minutes=2 * 480)
    with CaptureQueriesContext(connection) as queries:
        services.recompute(actor=world.pm, program=world.alpha)
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("WITH V(")]
    assert len(writes) == 1 and writes[0].count("),") == 0  # one statement, one row
    after = {a.code: a.finish for a in Activity.objects.filter(program=world.alpha)}
    assert after["C"] == before["C"] + dt.timedelta(days=1)
    assert {k: v for k, v in after.items() if k != "C"} == {
        k: v for k, v in before.items() if k != "C"
    }

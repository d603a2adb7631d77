"""``Activity.float_calendar``: float measured on another calendar (worked out by hand).

MS Project schedules a task on its resource's calendar but measures its slack on the
task's own calendar. Here the tasks run on a 24-hour calendar and measure float on the
Standard calendar (08-12, 13-17, Monday-Friday; ``W`` = its working minutes since
Monday 1 January 2024 08:00, the project start).

* ``P`` (Standard, 1 day): Mon 08:00-17:00, then ``P -> A``.
* ``C`` (24 h, 3480 min = 58 h): Mon 08:00 - Wed 18:00, the project finish.
* ``A`` (24 h, 600 min): ES Mon 17:00, EF Tue 03:00; LF Wed 18:00, LS Wed 08:00.
  Start slack :math:`W(\\text{Wed }08{:}00) - W(\\text{Mon }17{:}00) = 960 - 480 = 480`,
  finish slack :math:`W(\\text{Wed }18{:}00) - W(\\text{Tue }03{:}00) = 1440 - 480 = 960`:
  TF = 480 (the start slack). On its own 24 h calendar it would be 39 h = 2340.
* ``B`` (24 h, 600 min) -> ``Q`` (Standard, 1 day, LS Wed 08:00): ES Mon 08:00,
  EF Mon 18:00; LF Wed 08:00, LS Tue 22:00. Start slack ``960 - 0 = 960``, finish slack
  ``960 - 480 = 480``: TF = 480 (the finish slack); FF = 0 (``Q`` starts Tue 08:00,
  ``W = 480`` as for Mon 18:00). On 24 h: TF 38 h = 2280, FF 14 h = 840.
"""

from datetime import datetime

import pytest

from podium.engine import (
    Activity,
    Calendar,
    ConstraintType,
    EngineError,
    Link,
    Network,
    ScheduleOptions,
    schedule,
)
from podium.engine.cpm_fast import fast_path_reason

START = datetime(2024, 1, 1, 8)
STD = Calendar.standard()
H24 = Calendar.twenty_four_hour()


def d(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 1, day, hour, minute)


def network(float_cal: Calendar | None) -> Network:
    acts = [
        Activity("P", duration_minutes=480),
        Activity("C", duration_minutes=3480, calendar=H24),
        Activity("A", duration_minutes=600, calendar=H24, float_calendar=float_cal),
        Activity("B", duration_minutes=600, calendar=H24, float_calendar=float_cal),
        Activity("Q", duration_minutes=480),
    ]
    return Network(acts, [Link("P", "A"), Link("B", "Q")], START, default_calendar=STD)


def test_dates_do_not_change() -> None:
    got = schedule(network(STD))
    plain = schedule(network(None))
    for i in ("P", "C", "A", "B", "Q"):
        g, p = got[i], plain[i]
        assert (g.start, g.finish, g.late_start, g.late_finish) == (
            p.start,
            p.finish,
            p.late_start,
            p.late_finish,
        )
    a, b = got["A"], got["B"]
    assert (a.early_start, a.early_finish) == (d(1, 17), d(2, 3))
    assert (a.late_start, a.late_finish) == (d(3, 8), d(3, 18))
    assert (b.early_start, b.early_finish) == (d(1, 8), d(1, 18))
    assert (b.late_start, b.late_finish) == (d(2, 22), d(3, 8))


def test_total_float_is_the_lesser_of_start_and_finish_slack() -> None:
    got = schedule(network(STD))
    assert got["A"].total_float_minutes == 480  # start slack 480 < finish slack 960
    assert got["A"].free_float_minutes == 480  # 960 on Standard, capped by TF
    assert got["B"].total_float_minutes == 480  # finish slack 480 < start slack 960
    assert got["B"].free_float_minutes == 0
    assert got["C"].total_float_minutes == 0
    assert got["C"].critical


def test_default_measures_on_the_scheduling_calendar() -> None:
    got = schedule(network(None))
    assert got["A"].total_float_minutes == 2340
    assert got["B"].total_float_minutes == 2280
    assert got["B"].free_float_minutes == 840


def test_started_activity_uses_the_finish_slack() -> None:
    acts = [
        Activity("C", duration_minutes=3480, calendar=H24),
        Activity(
            "S",
            duration_minutes=600,
            calendar=H24,
            float_calendar=STD,
            actual_start=d(1, 17),
            remaining_minutes=600,
        ),
    ]
    got = schedule(Network(acts, [], START, default_calendar=STD))["S"]
    assert (got.early_start, got.early_finish) == (d(1, 17), d(2, 3))
    assert got.late_finish == d(3, 18)
    assert got.total_float_minutes == 960  # finish slack; the start slack (480) is moot


def test_alap_moves_by_the_free_float_of_its_scheduling_calendar() -> None:
    def run(float_cal: Calendar | None) -> tuple[datetime | None, datetime | None]:
        acts = [
            Activity("C", duration_minutes=3480, calendar=H24),
            Activity(
                "L",
                duration_minutes=600,
                calendar=H24,
                float_calendar=float_cal,
                constraint_type=ConstraintType.ALAP,
            ),
        ]
        got = schedule(Network(acts, [], START, default_calendar=STD))["L"]
        return got.start, got.finish

    assert run(STD) == run(None) == (d(3, 8), d(3, 18))


def test_fast_path_is_not_used() -> None:
    acts = [
        Activity("A", duration_minutes=480, float_calendar=H24),
        Activity("B", duration_minutes=960),
    ]
    net = Network(acts, [Link("A", "B")], START)
    assert fast_path_reason(net, net.options) == "activity 'A' has a float calendar"
    with pytest.raises(EngineError, match="float calendar"):
        schedule(net, ScheduleOptions(fast_path=True))
    got = schedule(net)
    assert got.method == "general"
    assert got["A"].total_float_minutes == 0

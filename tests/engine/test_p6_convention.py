"""Primavera P6 conventions (``ScheduleOptions(convention="p6")``), worked out by hand.

Project start Monday 1 January 2024 08:00, Standard calendar (08:00-12:00, 13:00-17:00),
``DAY`` = 480 minutes. Each test also pins the default (MS Project) answer, which must
not change.
"""

from datetime import datetime
from typing import Any

import pytest

from podium.engine import Activity, Link, Network, ScheduleOptions, ScheduleResult, schedule
from podium.engine.errors import NetworkError

DAY = 480
START = datetime(2024, 1, 1, 8)
P6 = ScheduleOptions(convention="p6")
MSP = ScheduleOptions()


def d(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 1, day, hour, minute)


def task(i: str, minutes: int = DAY, **kw: Any) -> Activity:
    return Activity(i, f"task {i}", minutes, **kw)


def mile(i: str, **kw: Any) -> Activity:
    return Activity(i, f"milestone {i}", 0, kind="milestone", **kw)


def run(
    acts: list[Activity], links: list[Link], opts: ScheduleOptions, **kw: Any
) -> ScheduleResult:
    return schedule(Network(acts, links, START, **kw), opts)


def test_start_milestone_sits_at_the_next_working_minute() -> None:
    # A: Mon 08-17. A start milestone after it is Tue 08:00, a finish milestone Mon 17:00.
    acts = [task("A"), mile("S", start_milestone=True), mile("F")]
    for opts in (P6, MSP):  # the flag itself says "start"; no convention needed
        res = run(acts, [Link("A", "S"), Link("A", "F")], opts)
        assert (res["S"].early_start, res["S"].early_finish) == (d(2, 8), d(2, 8))
        assert res["F"].early_finish == d(1, 17)
        assert res["S"].total_float_minutes == res["F"].total_float_minutes == 0


def test_only_a_milestone_can_be_a_start_milestone() -> None:
    with pytest.raises(NetworkError, match="start milestone"):
        task("A", start_milestone=True)


def test_finish_milestone_late_date_is_the_previous_working_end() -> None:
    # A (Mon) -> M -> B (Tue 08-17). B's late start is Tue 08:00; P6 puts M's late finish
    # at the working end before it, Mon 17:00; MS Project keeps Tue 08:00.
    acts = [task("A"), mile("M"), task("B")]
    links = [Link("A", "M"), Link("M", "B")]
    assert run(acts, links, P6)["M"].late_finish == d(1, 17)
    assert run(acts, links, MSP)["M"].late_finish == d(2, 8)
    assert run(acts, links, P6)["M"].total_float_minutes == 0


def test_sf_link_keeps_the_finish_at_a_working_start() -> None:
    # X Mon, A Tue (starts Tue 08:00). A -SF-> B: EF_B >= ES_A = Tue 08:00, so B runs
    # Mon 08:00 to "Tue 08:00" in P6 (same working offset as Mon 17:00).
    acts = [task("X"), task("A"), task("B")]
    links = [Link("X", "A"), Link("A", "B", "SF")]
    p6, ms = run(acts, links, P6)["B"], run(acts, links, MSP)["B"]
    assert (p6.early_start, p6.early_finish) == (d(1, 8), d(2, 8))
    assert (ms.early_start, ms.early_finish) == (d(1, 8), d(1, 17))
    assert p6.total_float_minutes == ms.total_float_minutes == DAY  # LF = Tue 17:00


def test_sf_link_keeps_the_late_start_at_a_working_end() -> None:
    # Mirror: C (Mon) precedes E (Tue-Fri), so LF_C = Mon 17:00. B -SF-> C bounds
    # LS_B <= LF_C = Mon 17:00: P6 keeps LS_B there, MS Project moves it to Tue 08:00.
    acts = [task("B"), task("C"), task("E", 4 * DAY)]
    links = [Link("B", "C", "SF"), Link("C", "E")]
    p6 = run(acts, links, P6)
    assert p6["C"].late_finish == d(1, 17)
    assert (p6["B"].late_start, p6["B"].late_finish) == (d(1, 17), d(2, 17))
    assert p6["B"].total_float_minutes == DAY
    ms = run(acts, links, MSP)["B"]
    assert (ms.late_start, ms.late_finish) == (d(2, 8), d(2, 17))


def test_mandatory_finish_never_before_the_data_date() -> None:
    # B must finish Wed 17:00, but the data date is Thu 08:00: P6 schedules B Thu and keeps
    # the late dates at the constraint (TF = -1 day); MS Project keeps the constraint dates.
    acts = [task("A"), task("B", constraint_type="MANDATORY_FINISH", constraint_date=d(3, 17))]
    kw = {"data_date": d(4, 8)}
    p6 = run(acts, [], P6, **kw)["B"]
    assert (p6.early_start, p6.early_finish) == (d(4, 8), d(4, 17))
    assert (p6.late_start, p6.late_finish) == (d(3, 8), d(3, 17))
    assert p6.total_float_minutes == -DAY
    ms = run(acts, [], MSP, **kw)["B"]
    assert (ms.early_start, ms.late_finish, ms.total_float_minutes) == (d(3, 8), d(3, 17), 0)


def test_alap_early_dates_move_and_float_is_taken_from_them() -> None:
    # B (ALAP, 1 day) and C (3 days) both precede D. B has 2 days of free float: P6 moves
    # its early dates to Wed and leaves it no float; MS Project only moves start/finish.
    acts = [task("B", constraint_type="ALAP"), task("C", 3 * DAY), task("D")]
    links = [Link("B", "D"), Link("C", "D")]
    p6 = run(acts, links, P6)["B"]
    assert (p6.early_start, p6.early_finish, p6.start) == (d(3, 8), d(3, 17), d(3, 8))
    assert (p6.total_float_minutes, p6.free_float_minutes) == (0, 0)
    ms = run(acts, links, MSP)["B"]
    assert (ms.early_start, ms.start, ms.total_float_minutes) == (d(1, 8), d(3, 8), 2 * DAY)


@pytest.mark.parametrize("opts", [P6, MSP])
@pytest.mark.parametrize(
    ("must_finish_by", "late_finish", "total_float"),
    [
        (None, d(1, 17), 0),
        (datetime(2024, 1, 3), d(2, 17), DAY),  # Wed 00:00 -> previous working end
        (d(1, 12), d(1, 12), -DAY // 2),  # before the early finish: negative float
    ],
)
def test_must_finish_by_starts_the_backward_pass(
    opts: ScheduleOptions, must_finish_by: datetime | None, late_finish: datetime, total_float: int
) -> None:
    res = run([task("A")], [], opts, must_finish_by=must_finish_by)
    assert (res["A"].late_finish, res["A"].total_float_minutes) == (late_finish, total_float)
    assert res.project_finish == d(1, 17)


def test_completed_predecessor_finishing_after_the_data_date() -> None:
    # A's actual finish (Wed 17:00) is past the data date (Tue 08:00): P6 starts B at the
    # data date, MS Project after A's actual finish.
    a = task("A", actual_start=d(1, 8), actual_finish=d(3, 17))
    kw = {"data_date": d(2, 8)}
    assert run([a, task("B")], [Link("A", "B")], P6, **kw)["B"].early_start == d(2, 8)
    assert run([a, task("B")], [Link("A", "B")], MSP, **kw)["B"].early_start == d(4, 8)


def test_ss_lag_already_run_by_progress_does_not_bound_the_late_start() -> None:
    # A (5 days) started Mon 08:00, 2 days left at the data date Wed 08:00 (Wed-Thu).
    # A -SS 2d-> B: B starts Wed 08:00, late Thu. The 2-day lag ran Mon-Tue: P6 bounds A
    # by LS_B - 0 (TF 0); MS Project by LS_B - 2 days = Tue 08:00, so LF_A Wed 17:00.
    acts = [task("A", 5 * DAY, actual_start=d(1, 8), remaining_minutes=2 * DAY), task("B")]
    links = [Link("A", "B", "SS", 2 * DAY)]
    kw = {"data_date": d(3, 8)}
    p6 = run(acts, links, P6, **kw)
    assert (p6["B"].early_start, p6["B"].late_start) == (d(3, 8), d(4, 8))
    assert (p6["A"].late_finish, p6["A"].total_float_minutes) == (d(4, 17), 0)
    ms = run(acts, links, MSP, **kw)["A"]
    assert (ms.late_finish, ms.total_float_minutes) == (d(3, 17), -DAY)


def test_p6_convention_leaves_the_fast_path_where_conventions_agree() -> None:
    net = Network([task("A"), task("B")], [Link("A", "B")], START)
    assert schedule(net, P6).method == "fast"
    mil = Network([task("A"), mile("M")], [Link("A", "M")], START)
    assert schedule(mil, P6).method == "general"
    with pytest.raises(NetworkError, match="convention"):
        ScheduleOptions(convention="primavera")  # type: ignore[arg-type]

"""Date constraints, deadlines and progress against a data date (worked out by hand).

Project start Monday 1 January 2024 08:00, Standard calendar, ``DAY`` = 480 minutes.
"""

from datetime import datetime
from typing import Any

import pytest

from podium.engine import Activity, Link, Network, ScheduleOptions, ScheduleResult, schedule

DAY = 480
START = datetime(2024, 1, 1, 8)
DATA_DATE = datetime(2024, 1, 3, 8)  # Wednesday


def d(day: int, hour: int) -> datetime:
    return datetime(2024, 1, day, hour)


def task(i: str, minutes: int = DAY, **kw: Any) -> Activity:
    return Activity(i, f"task {i}", minutes, **kw)


def run(acts: list[Activity], links: list[Link], **kw: Any) -> ScheduleResult:
    opts = kw.pop("options", None)
    return schedule(Network(acts, links, START, **kw), opts)


@pytest.mark.parametrize(
    ("constraint", "when", "start", "finish", "total_float"),
    [
        ("SNET", d(3, 8), d(3, 8), d(3, 17), 0),  # pushed to Wednesday
        ("FNET", d(4, 17), d(4, 8), d(4, 17), 0),
        ("MSO", d(2, 8), d(2, 8), d(2, 17), 0),  # ignores A, which ends Tue 17:00
        ("MANDATORY_START", d(2, 8), d(2, 8), d(2, 17), 0),
        ("MFO", d(5, 17), d(5, 8), d(5, 17), 0),
        ("MANDATORY_FINISH", d(5, 17), d(5, 8), d(5, 17), 0),
        ("SNLT", d(2, 8), d(3, 8), d(3, 17), -DAY),  # logic wins, float goes negative
        ("FNLT", d(2, 17), d(3, 8), d(3, 17), -DAY),
    ],
)
def test_constraint_on_the_successor(
    constraint: str, when: datetime, start: datetime, finish: datetime, total_float: int
) -> None:
    b = task("B", constraint_type=constraint, constraint_date=when)
    res = run([task("A", 2 * DAY), b], [Link("A", "B")])
    got = res["B"]
    assert (got.start, got.finish, got.total_float_minutes) == (start, finish, total_float)
    assert got.critical


def test_must_start_on_gives_the_predecessor_negative_float() -> None:
    b = task("B", constraint_type="MSO", constraint_date=d(2, 8))
    res = run([task("A", 2 * DAY), b], [Link("A", "B")])
    assert res["A"].late_finish == d(1, 17)
    assert res["A"].total_float_minutes == -DAY


def test_must_finish_on_leaves_float_upstream() -> None:
    b = task("B", constraint_type="MFO", constraint_date=d(5, 17))
    res = run([task("A"), b], [Link("A", "B")])
    assert res["A"].late_finish == d(4, 17)
    assert res["A"].total_float_minutes == 3 * DAY


def test_deadline_lowers_the_late_finish() -> None:
    c = task("C", 240, deadline=d(2, 12))
    res = run([task("A", 2 * DAY), c], [Link("A", "C")])
    assert (res["C"].start, res["C"].finish) == (d(3, 8), d(3, 12))
    assert res["C"].late_finish == d(2, 12)
    assert res["C"].total_float_minutes == -DAY
    assert res["A"].total_float_minutes == -DAY


def test_alap_uses_the_free_float() -> None:
    acts = [task("A", 2 * DAY), task("B", constraint_type="ALAP"), task("C", 240)]
    res = run(acts, [Link("A", "C"), Link("B", "C")])
    b = res["B"]
    assert (b.start, b.finish) == (d(2, 8), d(2, 17))
    assert b.early_start == d(1, 8)


def progressed(**b_kw: Any) -> list[Activity]:
    return [
        task("A", actual_start=d(1, 8), actual_finish=d(1, 17)),
        task("B", 2 * DAY, actual_start=d(2, 8), **b_kw),
        task("C"),
        task("D"),
    ]


@pytest.mark.parametrize(
    "b_kw", [{"remaining_minutes": DAY}, {"percent_complete": 50}, {}], ids=str
)
def test_progress_from_the_data_date(b_kw: dict[str, Any]) -> None:
    links = [Link("A", "B"), Link("B", "C")]
    res = run(progressed(**b_kw), links, data_date=DATA_DATE)
    a = res["A"]
    assert (a.start, a.finish, a.complete) == (d(1, 8), d(1, 17), True)
    assert a.early_start is None and a.total_float_minutes == 0 and not a.critical  # MSP
    b = res["B"]
    assert (b.start, b.finish, b.early_start) == (d(2, 8), d(3, 17), d(3, 8))
    assert (res["C"].start, res["C"].finish) == (d(4, 8), d(4, 17))
    assert res["D"].start == DATA_DATE  # nothing remaining is scheduled before the data date
    assert res["D"].total_float_minutes == DAY
    assert res.project_finish == d(4, 17)


def out_of_sequence(mode: str) -> ScheduleResult:
    acts = [
        task("A", 3 * DAY, actual_start=d(1, 8), remaining_minutes=2 * DAY),
        task("B", DAY, actual_start=d(2, 8), remaining_minutes=240),
    ]
    opts = ScheduleOptions(progress=mode)  # type: ignore[arg-type]
    return run(acts, [Link("A", "B")], data_date=DATA_DATE, options=opts)


def test_retained_logic_waits_for_the_predecessor() -> None:
    res = out_of_sequence("retained_logic")
    assert res["A"].finish == d(4, 17)
    assert (res["B"].early_start, res["B"].finish) == (d(5, 8), d(5, 12))


def test_progress_override_continues_from_the_data_date() -> None:
    res = out_of_sequence("progress_override")
    assert (res["B"].early_start, res["B"].finish) == (d(3, 8), d(3, 12))
    assert res["A"].total_float_minutes == 0


def test_data_date_alone_moves_unstarted_work() -> None:
    res = run([task("A"), task("B")], [Link("A", "B")], data_date=DATA_DATE)
    assert (res["A"].start, res["B"].start) == (DATA_DATE, d(4, 8))
    assert res.method == "general"


@pytest.mark.parametrize(
    ("constraint", "when"),
    [
        ("SNET", datetime(2023, 12, 11, 8)),
        ("MSO", datetime(2023, 12, 11, 8)),
        ("FNET", datetime(2023, 12, 12, 17)),
        ("MFO", datetime(2023, 12, 12, 17)),
    ],
)
def test_ms_project_honours_a_constraint_before_the_project_start(
    constraint: str, when: datetime
) -> None:
    # MS Project: the project start (Mon 1 Jan) is only the default early start of
    # unconstrained tasks. B (2 days) keeps its Mon 11 Dec 08:00 - Tue 12 Dec 17:00
    # dates; A stays at the project start. P6 floors B at the project start instead.
    b = task("B", 2 * DAY, constraint_type=constraint, constraint_date=when)
    res = run([task("A"), b], [])
    assert (res["B"].start, res["B"].finish) == (
        datetime(2023, 12, 11, 8),
        datetime(2023, 12, 12, 17),
    )
    assert (res["A"].start, res["A"].finish) == (d(1, 8), d(1, 17))
    assert res.project_finish == d(1, 17)
    if constraint in ("SNET", "FNET"):
        p6 = run([task("A"), b], [], options=ScheduleOptions(convention="p6"))
        assert (p6["B"].start, p6["B"].finish) == (d(1, 8), d(2, 17))


@pytest.mark.parametrize(
    "a_kw", [{"remaining_minutes": 2 * DAY}, {"percent_complete": 60}], ids=str
)
def test_ms_project_resumes_remaining_work_without_a_data_date(a_kw: dict[str, Any]) -> None:
    # A: 5 days, started Mon 1 Jan 08:00, 3 days done, no status date. MS Project resumes
    # the 2 remaining days at ActualStart + 3 days = Thu 4 Jan 08:00, so A finishes
    # Fri 5 Jan 17:00 (= ActualStart + Duration) and B (1 day, FS) runs Mon 8 Jan.
    acts = [task("A", 5 * DAY, actual_start=d(1, 8), **a_kw), task("B")]
    res = run(acts, [Link("A", "B")])
    a = res["A"]
    assert (a.start, a.early_start, a.finish) == (d(1, 8), d(4, 8), d(5, 17))
    assert (res["B"].start, res["B"].finish) == (d(8, 8), d(8, 17))
    assert a.total_float_minutes == 0 and a.critical
    # P6 (no data date): the remaining work starts at the project start.
    p6 = run(acts, [Link("A", "B")], options=ScheduleOptions(convention="p6"))
    assert (p6["A"].early_start, p6["A"].finish) == (d(1, 8), d(2, 17))

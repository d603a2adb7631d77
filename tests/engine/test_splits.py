"""Split activities (a gap inside the work, as MS Project's split tasks), by hand.

Standard calendar (Mon-Fri 08:00-12:00 and 13:00-17:00), project start Monday
1 January 2024 08:00, ``DAY`` = 480 minutes. ``Activity("S", duration, splits=((w, g),))``
works ``w`` minutes, waits ``g`` working minutes, then does the rest.
"""

from datetime import datetime
from typing import Any

import pytest

from podium.engine import (
    Activity,
    EngineError,
    Link,
    Network,
    NetworkError,
    ScheduleOptions,
    ScheduleResult,
    schedule,
)

DAY = 480
START = datetime(2024, 1, 1, 8)


def d(day: int, hour: int) -> datetime:
    return datetime(2024, 1, day, hour)


def run(acts: list[Activity], links: list[Link] = (), **kw: Any) -> ScheduleResult:  # type: ignore[assignment]
    opts = kw.pop("options", None)
    return schedule(Network(acts, list(links), START, **kw), opts)


def split_task(**kw: Any) -> Activity:
    # 3 days of work: 1 day, a 2-day gap, 2 days.
    return Activity("S", "split", 3 * DAY, splits=((DAY, 2 * DAY),), **kw)


def test_fs_chain_through_a_split_task() -> None:
    acts = [Activity("A", "a", DAY), split_task(), Activity("C", "c", DAY)]
    res = run(acts, [Link("A", "S"), Link("S", "C")])
    # S: works Tue 2, waits Wed 3 and Thu 4, works Fri 5 and Mon 8.
    assert (res["S"].start, res["S"].finish) == (d(2, 8), d(8, 17))
    assert (res["C"].start, res["C"].finish) == (d(9, 8), d(9, 17))
    assert res.project_finish == d(9, 17)
    assert res.critical_ids() == ["A", "S", "C"]


def test_backward_pass_keeps_the_gap_inside_the_span() -> None:
    long = Activity("X", "long", 10 * DAY)  # the project finishes Fri 12 17:00
    res = run([split_task(), long])
    s = res["S"]
    assert (s.early_start, s.early_finish) == (d(1, 8), d(5, 17))
    # LS = LF - (3 days of work + the 2-day gap), not LF - 3 days (Wed 10).
    assert (s.late_start, s.late_finish) == (d(8, 8), d(12, 17))
    assert s.total_float_minutes == 5 * DAY
    assert s.free_float_minutes == 5 * DAY
    assert not s.critical


def test_float_of_a_predecessor_counts_the_successors_gap() -> None:
    # A -> S and B (6 days) in parallel: S's gap makes A's path 1 + 5 = 6 days too.
    acts = [Activity("A", "a", DAY), split_task(), Activity("B", "b", 6 * DAY)]
    res = run(acts, [Link("A", "S")])
    assert res["A"].total_float_minutes == 0
    assert res["S"].total_float_minutes == 0
    assert res["S"].finish == res["B"].finish == d(8, 17)


def test_the_gap_moves_with_the_task() -> None:
    # The same split task behind a 2-day predecessor: the gap is Thu 4 and Fri 5.
    acts = [Activity("A", "a", 2 * DAY), split_task()]
    res = run(acts, [Link("A", "S")])
    assert (res["S"].start, res["S"].finish) == (d(3, 8), d(9, 17))


def test_split_before_the_data_date_is_history() -> None:
    # 4 days: 1 day, gap Tue 2 - Wed 3, 3 days. At Fri 5 08:00 two days of work are done
    # (Mon 1 and Thu 4), the gap is behind: the rest runs Fri 5 and Mon 8 as planned.
    s = Activity("S", "split", 4 * DAY, splits=((DAY, 2 * DAY),), actual_start=d(1, 8))
    res = run([s], data_date=d(5, 8))
    got = res["S"]
    assert (got.start, got.early_start, got.finish) == (d(1, 8), d(5, 8), d(8, 17))


def test_split_after_the_data_date_still_lengthens_the_remaining_work() -> None:
    # 4 days: 3 days, a 2-day gap, 1 day. At Wed 3 08:00 two days are done: one more
    # day (Wed 3), the gap (Thu 4, Fri 5), the last day (Mon 8).
    s = Activity("S", "split", 4 * DAY, splits=((3 * DAY, 2 * DAY),), actual_start=d(1, 8))
    res = run([s], data_date=d(3, 8))
    assert (res["S"].early_start, res["S"].finish) == (d(3, 8), d(8, 17))


def test_gap_at_the_stop_delays_the_resume_past_the_data_date() -> None:
    # Stopped after its first day (Mon 1); the data date falls inside the gap (Tue 2
    # 13:00): the work resumes when the gap ends, Thu 4 08:00, not at the data date.
    res = run([split_task(actual_start=d(1, 8), remaining_minutes=2 * DAY)], data_date=d(2, 13))
    assert (res["S"].early_start, res["S"].finish) == (d(4, 8), d(5, 17))


def test_ms_project_resumes_after_the_work_done_and_its_gaps() -> None:
    # No data date (MS Project): 3 of 4 days done, the gap behind, so the last day
    # resumes at AS + 3 days of work + 2 days of gap = Mon 8.
    s = Activity(
        "S", "split", 4 * DAY, splits=((DAY, 2 * DAY),), actual_start=d(1, 8),
        remaining_minutes=DAY,
    )  # fmt: skip
    res = run([s])
    assert (res["S"].early_start, res["S"].finish) == (d(8, 8), d(8, 17))


def test_a_split_network_takes_the_general_path() -> None:
    net = Network([split_task()], [], START)
    assert net.single_calendar_blocker == "activity 'S' is split"
    assert schedule(net).method == "general"
    with pytest.raises(EngineError, match="is split"):
        schedule(net, ScheduleOptions(fast_path=True))


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"kind": "milestone", "duration_minutes": 0, "splits": ((1, 1),)}, "only a task"),
        ({"splits": ((3 * DAY, DAY),)}, "not inside the duration"),
        ({"splits": ((0, DAY),)}, "not inside the duration"),
        ({"splits": ((DAY, DAY), (DAY, DAY))}, "not after the previous split"),
        ({"splits": ((DAY, 0),)}, "must be positive"),
        ({"splits": ((DAY,),)}, "a \\(work, gap\\) pair"),
    ],
)
def test_invalid_splits_are_refused(kw: dict[str, Any], message: str) -> None:
    fields: dict[str, Any] = {"duration_minutes": 3 * DAY, **kw}
    with pytest.raises(NetworkError, match=message):
        Activity("S", "split", **fields)


def test_splits_given_as_lists_are_kept_as_tuples() -> None:
    a = Activity("S", "split", 3 * DAY, splits=[[DAY, DAY]])  # type: ignore[arg-type]
    assert a.splits == ((DAY, DAY),)
    assert hash(a) == hash(Activity("S", "split", 3 * DAY, splits=((DAY, DAY),)))


@pytest.mark.parametrize(("convention", "floats"), [("msproject", (0, 0)), ("p6", (None, None))])
def test_a_completed_task_under_each_convention(convention: str, floats: tuple[Any, Any]) -> None:
    done = Activity("A", "a", DAY, actual_start=d(1, 8), actual_finish=d(1, 17))
    res = run([done, Activity("B", "b", DAY)], options=ScheduleOptions(convention=convention))  # type: ignore[arg-type]
    a = res["A"]
    assert (a.start, a.finish) == (d(1, 8), d(1, 17))
    # nothing remains: no remaining early/late dates under either convention
    assert (a.early_start, a.early_finish, a.late_start, a.late_finish) == (None,) * 4
    assert (a.total_float_minutes, a.free_float_minutes) == floats
    assert a.complete and not a.critical

"""Forward/backward passes, link types, lags, floats (dates worked out by hand).

Project start Monday 1 January 2024 08:00 on the Standard calendar (08-12, 13-17,
Monday-Friday); ``DAY`` = 480 working minutes.
"""

from datetime import datetime
from typing import Any

import pytest

from podium.engine import (
    Activity,
    Calendar,
    EngineError,
    InfeasibleError,
    Link,
    Network,
    ScheduleOptions,
    ScheduleResult,
    schedule,
)

DAY = 480
START = datetime(2024, 1, 1, 8)


def d(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 1, day, hour, minute)


def run(acts: list[Activity], links: list[Link], **kw: Any) -> ScheduleResult:
    opts = kw.pop("options", None)
    return schedule(Network(acts, links, START, **kw), opts)


def both(acts: list[Activity], links: list[Link]) -> list[ScheduleResult]:
    """Schedule on the fast and on the general path."""
    net = Network(acts, links, START)
    return [schedule(net, ScheduleOptions(fast_path=f)) for f in (True, False)]


def task(i: str, minutes: int = DAY, **kw: Any) -> Activity:
    return Activity(i, f"task {i}", minutes, **kw)


@pytest.mark.parametrize(
    ("link", "pred_minutes", "succ_minutes", "start", "finish"),
    [
        (Link("A", "B"), DAY, DAY, d(2, 8), d(2, 17)),
        (Link("A", "B", lag_minutes=DAY), DAY, DAY, d(3, 8), d(3, 17)),
        (Link("A", "B", lag_minutes=-240), 2 * DAY, DAY, d(2, 13), d(3, 12)),
        (Link("A", "B", "SS", 120), DAY, DAY, d(1, 10), d(2, 10)),
        (Link("A", "B", "SS", 300), DAY, DAY, d(1, 14), d(2, 14)),
        (Link("A", "B", "FF"), 2 * DAY, DAY, d(2, 8), d(2, 17)),
        (Link("A", "B", "FF", 60), 2 * DAY, DAY, d(2, 9), d(3, 9)),
        (Link("A", "B", "FF", -DAY), 2 * DAY, 240, d(1, 13), d(1, 17)),
        (Link("A", "B", "SF", DAY), DAY, 240, d(1, 13), d(1, 17)),
        (Link("A", "B", "SF", 2 * DAY), DAY, 240, d(2, 13), d(2, 17)),
    ],
)
def test_link_types_and_lags(
    link: Link, pred_minutes: int, succ_minutes: int, start: datetime, finish: datetime
) -> None:
    for res in both([task("A", pred_minutes), task("B", succ_minutes)], [link]):
        b = res["B"]
        assert (b.early_start, b.early_finish) == (start, finish), res.method


@pytest.mark.parametrize(
    ("link", "start", "finish"),
    [
        # A is held to Tuesday by SNET; negative lags reach back into Monday
        (Link("A", "B", "SS", -60), d(1, 16), d(2, 16)),
        (Link("A", "B", "SF", -120), d(1, 10), d(1, 15)),
    ],
)
def test_negative_start_lags(link: Link, start: datetime, finish: datetime) -> None:
    a = task("A", constraint_type="SNET", constraint_date=d(2, 8))
    b = task("B", 240 if link.type == "SF" else DAY)
    res = run([a, b], [link])
    assert (res["B"].early_start, res["B"].early_finish) == (start, finish)


def test_milestones_sit_at_the_predecessor_finish() -> None:
    acts = [task("A"), Activity("M", kind="milestone"), task("B")]
    for res in both(acts, [Link("A", "M"), Link("M", "B")]):
        assert res["M"].start == res["M"].finish == d(1, 17)
        assert res["B"].start == d(2, 8)
        assert res["M"].total_float_minutes == 0 and res["M"].critical


def test_start_milestone_sits_at_the_project_start() -> None:
    for res in both([Activity("M"), task("A")], [Link("M", "A")]):
        assert res["M"].start == START and res["A"].start == START


def test_floats_critical_path_and_project_finish() -> None:
    acts = [task("A", 2 * DAY), task("B"), task("C", 240)]
    for res in both(acts, [Link("A", "C"), Link("B", "C")]):
        assert res.project_finish == d(3, 12)
        b = res["B"]
        assert (b.late_start, b.late_finish) == (d(2, 8), d(2, 17))
        assert (b.total_float_minutes, b.free_float_minutes, b.critical) == (DAY, DAY, False)
        assert res["A"].total_float_minutes == 0
        assert res.critical_ids() == ["A", "C"]
        assert res.longest_path() == ["A", "C"]


def test_free_float_differs_from_total_float() -> None:
    # A(1d) -> B(1d) -> D(1d); C(4d) -> D. A and B share 3 days of total float, only B
    # has free float.
    acts = [task("A"), task("B"), task("C", 4 * DAY), task("D")]
    links = [Link("A", "B"), Link("B", "D"), Link("C", "D")]
    for res in both(acts, links):
        assert res["A"].total_float_minutes == 2 * DAY
        assert res["A"].free_float_minutes == 0
        assert res["B"].free_float_minutes == 2 * DAY


def test_critical_threshold_option() -> None:
    acts = [task("A", 2 * DAY), task("B"), task("C")]
    opts = ScheduleOptions(critical_float_minutes=DAY)
    res = run(acts, [Link("A", "C"), Link("B", "C")], options=opts)
    assert res["B"].critical


def test_late_dates_respect_lags() -> None:
    for res in both([task("A"), task("B")], [Link("A", "B", lag_minutes=DAY)]):
        assert res["A"].late_finish == d(1, 17)
        assert res["A"].total_float_minutes == 0


def test_percent_lag_is_a_share_of_the_predecessor_duration() -> None:
    link = Link("A", "B", "SS", lag_kind="percent", lag_percent=50)
    for res in both([task("A", 2 * DAY), task("B")], [link]):
        assert res["B"].start == d(2, 8)


def test_elapsed_lag_counts_the_weekend() -> None:
    a = task("A", constraint_type="SNET", constraint_date=d(4, 8))  # Thursday
    res = run([a, task("B")], [Link("A", "B", lag_minutes=2 * 1440, lag_kind="elapsed")])
    assert res["B"].start == d(8, 8)  # Thu 17:00 + 48h = Sat 17:00, next work Monday


@pytest.mark.parametrize(
    ("where", "start"), [("predecessor", d(2, 16)), ("successor", d(3, 8)), ("24h", d(2, 16))]
)
def test_lag_calendar_option(where: str, start: datetime) -> None:
    a = task("A", 1440, calendar=Calendar.twenty_four_hour())  # Mon 08:00 - Tue 08:00
    opts = ScheduleOptions(lag_calendar=where)  # type: ignore[arg-type]
    res = run([a, task("B")], [Link("A", "B", lag_minutes=DAY)], options=opts)
    assert res["A"].finish == d(2, 8)
    assert res["B"].start == start


def test_activity_calendar_and_elapsed_duration() -> None:
    weekend = Calendar([(), (), (), (), (), ((480, 960),), ((480, 960),)], name="Weekend")
    acts = [task("A"), task("W", DAY, calendar=weekend), task("E", 2 * 1440, elapsed=True)]
    res = run(acts, [Link("A", "W"), Link("A", "E")])
    assert (res["W"].start, res["W"].finish) == (d(6, 8), d(6, 16))
    assert (res["E"].start, res["E"].finish) == (d(1, 17), d(3, 17))


def test_summary_rolls_up_and_links_apply_to_its_children() -> None:
    acts = [
        task("X"),
        Activity("S", "phase", kind="summary"),
        task("A", parent="S"),
        task("B", parent="S"),
        task("Y"),
    ]
    links = [Link("X", "S"), Link("A", "B"), Link("S", "Y")]
    res = run(acts, links)
    assert res["A"].start == d(2, 8)
    s = res["S"]
    assert (s.start, s.finish, s.summary) == (d(2, 8), d(3, 17), True)
    assert res["Y"].start == d(4, 8)
    assert res.method == "general"
    assert res.longest_path() == ["X", "A", "B", "Y"]


def test_summary_without_links_on_the_fast_path() -> None:
    acts = [Activity("S", kind="summary"), task("A", parent="S"), task("B", 2 * DAY, parent="S")]
    for res in both(acts, []):
        assert (res["S"].start, res["S"].finish) == (d(1, 8), d(2, 17))
        assert res["S"].total_float_minutes == 0


def test_level_of_effort_spans_its_neighbours() -> None:
    acts = [task("A"), task("C", 2 * DAY), Activity("L", "supervision", DAY, kind="loe")]
    links = [Link("A", "C"), Link("A", "L", "SS"), Link("L", "C", "FF")]
    res = run(acts, links)
    assert (res["L"].start, res["L"].finish) == (d(1, 8), d(3, 17))
    assert not res["L"].critical


def test_forcing_the_fast_path_on_a_constrained_network_fails() -> None:
    acts = [task("A", constraint_type="SNET", constraint_date=d(2, 8))]
    with pytest.raises(EngineError, match="constraint"):
        run(acts, [], options=ScheduleOptions(fast_path=True))


def test_large_chain_on_both_paths() -> None:
    acts = [task(f"T{i}", 60) for i in range(2000)]
    links = [Link(f"T{i}", f"T{i + 1}") for i in range(1999)]
    fast, general = both(acts, links)
    # 2000 hours = 250 days = 50 weeks: Friday 13 December 2024 17:00
    assert fast.project_finish == general.project_finish == datetime(2024, 12, 13, 17)


def test_links_across_components() -> None:
    acts = [task("A", component="civil"), task("B", component="systems")]
    res = run(acts, [Link("A", "B", "FS", 60)])
    assert res["B"].start == d(2, 9)
    assert res.longest_path() == ["A", "B"]


def test_calendar_without_working_time_is_infeasible() -> None:
    never = Calendar([()] * 7, name="Never")
    with pytest.raises(InfeasibleError, match="Never"):
        run([task("A", calendar=never)], [])


def test_result_iteration_and_datetime_arrays() -> None:
    res = run([task("A"), task("B")], [Link("A", "B")])
    assert [r.id for r in res] == ["A", "B"] and len(res) == 2
    assert res.datetimes("finish").tolist() == [d(1, 17), d(2, 17)]
    assert res.position("B") == 1


def test_alap_milestone_moves_to_its_successor() -> None:
    acts = [task("A", 2 * DAY), Activity("M", constraint_type="ALAP"), task("C")]
    res = run(acts, [Link("M", "C"), Link("A", "C")])
    assert res["M"].start == res["M"].finish == d(2, 17)

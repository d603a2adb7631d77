"""P6's backward pass around progress (``ScheduleOptions(convention="p6")``), by hand.

Project start Monday 1 January 2024 08:00, data date Wednesday 3 January 00:00,
Standard calendar (08:00-12:00, 13:00-17:00), ``DAY`` = 480 minutes. Each test also pins
the default (MS Project) answer, which must not change.

Rules (read from P6 exports: SixTerminal mt_juliet update 8, xer_pro BFBPS13, Jaggelas
project 10001):

* retained logic: a completed activity still bounds its open predecessors, as if its
  late dates were :math:`\\max(DD, \\min \\text{its successors' bounds})`;
* progress override: a started successor still bounds its predecessors through FF/SF
  links (its finish), not through FS/SS links; a completed one not at all.
"""

from datetime import datetime
from typing import Any

from podium.engine import Activity, Link, Network, ScheduleOptions, ScheduleResult, schedule

DAY = 480
START = datetime(2024, 1, 1, 8)
DD = datetime(2024, 1, 3)
RETAINED_P6 = ScheduleOptions(convention="p6")
OVERRIDE_P6 = ScheduleOptions(progress="progress_override", convention="p6")


def d(day: int, hour: int) -> datetime:
    return datetime(2024, 1, day, hour)


def task(i: str, minutes: int = DAY, **kw: Any) -> Activity:
    return Activity(i, f"task {i}", minutes, **kw)


def run(acts: list[Activity], links: list[Link], opts: ScheduleOptions) -> ScheduleResult:
    return schedule(Network(acts, links, START, data_date=DD), opts)


def _completed_successor_network() -> tuple[list[Activity], list[Link]]:
    # A (in progress, 2 days left) -SS-> B (complete) -FS-> E (4 days, critical);
    # A -FS-> C (1 day) ends at the project finish Mon 8th.
    acts = [
        task("A", 5 * DAY, actual_start=d(1, 8), remaining_minutes=2 * DAY),
        task("B", actual_start=d(2, 8), actual_finish=d(2, 17)),
        task("C"),
        task("E", 4 * DAY),
    ]
    links = [Link("A", "B", "SS"), Link("B", "E"), Link("A", "C")]
    return acts, links


def test_completed_ss_successor_bounds_the_late_start_at_its_late_dates() -> None:
    acts, links = _completed_successor_network()
    r = run(acts, links, RETAINED_P6)
    assert r["E"].late_start == d(3, 8)  # critical from the data date
    # B is done; its late dates would be E's late start, Wed 08:00, so A's too (SS)
    assert r["A"].late_start == d(3, 8) and r["A"].late_finish == d(4, 17)
    assert r["A"].total_float_minutes == 0


def test_completed_successor_is_ignored_by_ms_project() -> None:
    acts, links = _completed_successor_network()
    r = run(acts, links, ScheduleOptions())
    assert r["A"].late_finish == d(5, 17)  # from C's late start Mon 08:00
    assert r["A"].total_float_minutes == DAY


def test_completed_successor_bound_never_before_the_data_date() -> None:
    # B's successor E is complete too: B's late dates fall back to the project finish,
    # and a completed successor with no open successors does not bind at all.
    acts = [
        task("A", 2 * DAY),
        task("B", actual_start=d(1, 8), actual_finish=d(1, 17)),
        task("C", 4 * DAY),
    ]
    r = run(acts, [Link("A", "B", "FF")], RETAINED_P6)
    assert r["A"].late_finish == d(8, 17)  # C's finish, the project finish
    assert r["A"].total_float_minutes == 2 * DAY


def _override_network() -> tuple[list[Activity], list[Link]]:
    # B started (1 day left), S after it ends at the project finish Fri 5th; A -FF-> B,
    # A2 -FS-> B; under progress override B ignores both for its early dates.
    acts = [
        task("A"),
        task("A2"),
        task("B", 3 * DAY, actual_start=d(1, 8), remaining_minutes=DAY),
        task("S", 2 * DAY),
    ]
    links = [Link("A", "B", "FF"), Link("A2", "B"), Link("B", "S")]
    return acts, links


def test_override_started_successor_still_bounds_through_its_finish() -> None:
    acts, links = _override_network()
    r = run(acts, links, OVERRIDE_P6)
    assert r["B"].late_finish == d(3, 17)
    assert r["A"].late_finish == d(3, 17) and r["A"].total_float_minutes == 0
    assert r["A2"].late_finish == d(5, 17)  # an FS into a started activity: no bound
    assert r["A2"].total_float_minutes == 2 * DAY


def test_override_started_successor_is_ignored_by_ms_project() -> None:
    acts, links = _override_network()
    r = run(acts, links, ScheduleOptions(progress="progress_override"))
    assert r["A"].late_finish == d(5, 17) and r["A"].total_float_minutes == 2 * DAY


def test_override_completed_successor_does_not_bound() -> None:
    acts, links = _completed_successor_network()
    r = run(acts, links, OVERRIDE_P6)
    assert r["A"].late_finish == d(5, 17)  # C only; B is complete

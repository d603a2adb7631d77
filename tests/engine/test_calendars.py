"""Working-time arithmetic on calendars (dates worked out by hand, Standard = 8-12, 13-17)."""

from datetime import date, datetime

import numpy as np
import pytest

from podium.engine.calendars import (
    Calendar,
    CalendarException,
    YearlyException,
    from_minutes,
    to_minutes,
)
from podium.engine.errors import InfeasibleError, NetworkError

STD = Calendar.standard()
MON = datetime(2024, 1, 1, 8)  # Monday 1 January 2024


def dt(day: int, hour: int, minute: int = 0, month: int = 1, year: int = 2024) -> datetime:
    return datetime(year, month, day, hour, minute)


@pytest.mark.parametrize(
    ("start", "minutes", "expected"),
    [
        (MON, 480, dt(1, 17)),  # one day finishes at 17:00, not next day 08:00
        (MON, 240, dt(1, 12)),  # half a day finishes before lunch
        (MON, 241, dt(1, 13, 1)),
        (MON, 960, dt(2, 17)),
        (dt(5, 16), 120, dt(8, 9)),  # Friday 16:00 + 2h crosses the weekend
        (dt(6, 10), 60, dt(8, 9)),  # from Saturday: the first working hour is Monday
        (dt(1, 12, 30), 30, dt(1, 13, 30)),  # from inside the lunch break
        (MON, 480 * 260, dt(27, 17, month=12)),  # 52 whole weeks in one jump
        (MON, 0, MON),
    ],
)
def test_add_work_forward(start: datetime, minutes: int, expected: datetime) -> None:
    assert STD.add_work(start, minutes) == expected


@pytest.mark.parametrize(
    ("start", "minutes", "expected"),
    [
        (dt(2, 17), 480, dt(2, 8)),  # a start lands on the start of the day
        (dt(8, 9), 120, dt(5, 16)),  # back over the weekend
        (dt(1, 14), 120, dt(1, 11)),  # back over lunch
        (dt(1, 13), 240, dt(1, 8)),
        (dt(27, 17, month=12), 480 * 260, MON),
    ],
)
def test_subtract_work_and_negative_add(start: datetime, minutes: int, expected: datetime) -> None:
    assert STD.subtract_work(start, minutes) == expected
    assert STD.add_work(start, -minutes) == expected


def test_next_work_start_snaps_forward() -> None:
    assert STD.next_work_start(dt(1, 12)) == dt(1, 13)
    assert STD.next_work_start(dt(1, 12, 30)) == dt(1, 13)
    assert STD.next_work_start(dt(1, 17)) == dt(2, 8)
    assert STD.next_work_start(dt(6, 10)) == dt(8, 8)
    assert STD.next_work_start(dt(1, 9, 15)) == dt(1, 9, 15)


def test_prev_work_end_snaps_backward() -> None:
    assert STD.prev_work_end(dt(1, 13)) == dt(1, 12)
    assert STD.prev_work_end(dt(8, 8)) == dt(5, 17)
    assert STD.prev_work_end(dt(7, 3)) == dt(5, 17)
    assert STD.prev_work_end(dt(1, 9, 15)) == dt(1, 9, 15)


def test_work_between() -> None:
    assert STD.work_between(MON, dt(8, 8)) == 2400
    assert STD.work_between(dt(8, 8), MON) == -2400
    assert STD.work_between(dt(5, 16), dt(8, 9)) == 120
    assert STD.work_between(dt(6, 0), dt(7, 23)) == 0


def test_single_holiday_and_range() -> None:
    one = Calendar(STD.week, [CalendarException(date(2024, 1, 2))])
    assert one.add_work(MON, 960) == dt(3, 17)
    assert one.next_work_start(dt(1, 17)) == dt(3, 8)
    rng = Calendar(STD.week, [CalendarException(date(2024, 1, 2), date(2024, 1, 4))])
    assert rng.add_work(MON, 960) == dt(5, 17)
    assert rng.work_between(MON, dt(8, 8)) == 960
    assert rng.day_intervals(date(2024, 1, 3)) == ()


def test_working_exception_on_a_saturday() -> None:
    cal = Calendar(STD.week, [CalendarException(date(2024, 1, 6), intervals=((540, 780),))])
    assert cal.add_work(dt(5, 13), 480) == dt(6, 13)
    assert cal.next_work_start(dt(5, 17)) == dt(6, 9)
    assert cal.prev_work_end(dt(8, 8)) == dt(6, 13)


def test_yearly_holiday_recurs_and_explicit_exception_wins() -> None:
    xmas = YearlyException(12, 25)
    cal = Calendar(STD.week, yearly=[xmas])
    assert cal.add_work(dt(22, 8, month=12, year=2023), 960) == dt(26, 17, month=12, year=2023)
    assert cal.add_work(dt(24, 8, month=12, year=2030), 960) == dt(26, 17, month=12, year=2030)
    worked = CalendarException(date(2030, 12, 25), intervals=((480, 720),))
    both = Calendar(STD.week, [worked], [xmas])
    assert both.add_work(dt(24, 8, month=12, year=2030), 960) == dt(26, 12, month=12, year=2030)


def test_yearly_holiday_bounded_by_years_and_leap_day() -> None:
    cal = Calendar(STD.week, yearly=[YearlyException(2, 29), YearlyException(1, 2, last_year=2023)])
    assert cal.day_intervals(date(2024, 2, 29)) == ()
    assert cal.day_intervals(date(2024, 1, 2)) == ((480, 720), (780, 1020))
    assert cal.day_intervals(date(2023, 1, 2)) == ()


def test_24_hour_and_7_day_calendars() -> None:
    h24 = Calendar.twenty_four_hour()
    assert h24.add_work(datetime(2024, 1, 1), 1440) == datetime(2024, 1, 2)
    assert h24.add_work(dt(6, 10), 600) == dt(6, 20)
    assert h24.subtract_work(dt(8, 2), 180) == dt(7, 23)
    seven = Calendar.seven_day()
    assert seven.add_work(dt(6, 8), 480) == dt(6, 17)
    assert seven.next_work_start(dt(5, 17)) == dt(6, 8)


def test_several_intervals_a_day() -> None:
    shifts = Calendar([((0, 240), (360, 600), (720, 960))] * 5 + [(), ()])
    assert shifts.add_work(MON.replace(hour=0), 480) == dt(1, 10)  # 00-04 and 06-10
    assert shifts.add_work(MON.replace(hour=0), 481) == dt(1, 12, 1)
    assert shifts.next_work_start(dt(1, 10)) == dt(1, 12)
    assert shifts.is_working(dt(1, 7)) and not shifts.is_working(dt(1, 4))


def test_far_dates_and_backward_extension() -> None:
    assert STD.add_work(datetime(2090, 1, 2, 8), 480) == datetime(2090, 1, 2, 17)
    assert STD.add_work(datetime(1990, 1, 2, 8), 480) == datetime(1990, 1, 2, 17)
    assert STD.work_between(datetime(1990, 1, 1), datetime(2090, 1, 1)) > 0


def test_no_working_time_is_infeasible() -> None:
    never = Calendar([()] * 7, name="Never")
    with pytest.raises(InfeasibleError, match="Never"):
        never.add_work(MON, 60)


@pytest.mark.parametrize(
    "week",
    [
        [((700, 600),)] * 7,
        [((-1, 10),)] * 7,
        [((0, 1441),)] * 7,
        [((480, 720), (700, 800))] * 7,
        [()] * 6,
    ],
)
def test_invalid_weeks_raise(week: list[tuple[tuple[int, int], ...]]) -> None:
    with pytest.raises(NetworkError):
        Calendar(week)


@pytest.mark.parametrize(
    "make",
    [
        lambda: CalendarException(date(2024, 1, 5), date(2024, 1, 1)),
        lambda: CalendarException(date(2024, 1, 5), intervals=((600, 500),)),
        lambda: YearlyException(2, 30),
    ],
)
def test_invalid_exceptions_raise(make: object) -> None:
    with pytest.raises(NetworkError):
        make()  # type: ignore[operator]


def test_minutes_round_trip_and_equality() -> None:
    moment = datetime(2031, 7, 9, 13, 47)
    assert from_minutes(to_minutes(moment)) == moment
    assert Calendar.standard("A") == Calendar.standard("B")
    assert hash(Calendar.standard()) == hash(STD)
    assert Calendar.standard() != Calendar.seven_day()


def test_vectorised_instants_match_scalar() -> None:
    cal = Calendar(STD.week, [CalendarException(date(2024, 1, 10), intervals=((600, 660),))])
    base = cal.w_m(to_minutes(MON))
    x = base + np.arange(-2000, 12000, 7, dtype=np.int64)
    for side in (True, False):
        got = cal.instants_m(x, np.full(x.size, side))
        scalar = cal.start_at_m if side else cal.finish_at_m
        assert got.tolist() == [scalar(int(v)) for v in x]

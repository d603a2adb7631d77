"""MSPDI reader and writer: parsing, safety, round trip and the schema's element order."""

from __future__ import annotations

import itertools
import time
from datetime import date, datetime
from xml.etree import ElementTree as ET

import pytest

from podium.engine import ConstraintType, ParseError, schedule
from podium.engine.calendars import CalendarException, YearlyException
from podium.interchange.base import Assignment, BaselineEntry, Resource
from podium.interchange.mspdi import NS, read_mspdi, write_mspdi

Q = "{" + NS + "}"

STANDARD = """
<Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>
 <BaseCalendarUID>-1</BaseCalendarUID><WeekDays>
  <WeekDay><DayType>1</DayType><DayWorking>0</DayWorking></WeekDay>
  {weekdays}
  <WeekDay><DayType>7</DayType><DayWorking>0</DayWorking></WeekDay>
 </WeekDays>{exceptions}</Calendar>""".replace(
    "{weekdays}",
    "".join(
        f"<WeekDay><DayType>{d}</DayType><DayWorking>1</DayWorking><WorkingTimes>"
        "<WorkingTime><FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime>"
        "<WorkingTime><FromTime>13:00:00</FromTime><ToTime>17:00:00</ToTime></WorkingTime>"
        "</WorkingTimes></WeekDay>"
        for d in range(2, 7)
    ),
)


def doc(tasks: str, *, calendars: str | None = None, props: str = "", extra: str = "") -> bytes:
    """A small MSPDI document: Standard calendar, project start Monday 2024-01-01 08:00."""
    cals = STANDARD.replace("{exceptions}", "") if calendars is None else calendars
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Project xmlns="{NS}">'
        f"<Name>Test</Name><StartDate>2024-01-01T08:00:00</StartDate>{props}"
        f"<CalendarUID>1</CalendarUID><Calendars>{cals}</Calendars>"
        f"<Tasks>{tasks}</Tasks>{extra}</Project>"
    ).encode()


def task(uid: int, dur: str = "PT8H0M0S", *, level: int = 1, more: str = "") -> str:
    return (
        f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>T{uid}</Name>"
        f"<OutlineLevel>{level}</OutlineLevel><Duration>{dur}</Duration>"
        f"<DurationFormat>7</DurationFormat>{more}</Task>"
    )


def link(pred: int, type_: int = 1, lag: int = 0, fmt: int = 7) -> str:
    return (
        f"<PredecessorLink><PredecessorUID>{pred}</PredecessorUID><Type>{type_}</Type>"
        f"<LinkLag>{lag}</LinkLag><LagFormat>{fmt}</LagFormat></PredecessorLink>"
    )


# --------------------------------------------------------------------------- tasks, links
@pytest.mark.parametrize(
    ("code", "kind", "b_start", "b_finish"),
    [
        (1, "FS", datetime(2024, 1, 3, 8), datetime(2024, 1, 3, 17)),
        (3, "SS", datetime(2024, 1, 1, 8), datetime(2024, 1, 1, 17)),
        (0, "FF", datetime(2024, 1, 2, 8), datetime(2024, 1, 2, 17)),
        (2, "SF", datetime(2023, 12, 29, 8), datetime(2024, 1, 1, 8)),
    ],
)
def test_link_types(code: int, kind: str, b_start: datetime, b_finish: datetime) -> None:
    p = read_mspdi(doc(task(1, "PT16H0M0S") + task(2, more=link(1, code))))
    (ln,) = p.network.links
    assert (ln.pred, ln.succ, ln.type) == ("1", "2", kind)
    if kind != "SF":  # SF from a start-of-project predecessor is bounded by the start
        got = schedule(p.network)["2"]
        assert (got.start, got.finish) == (b_start, b_finish)


@pytest.mark.parametrize(
    ("lag", "fmt", "kind", "minutes", "percent"),
    [
        (4800, 7, "work", 480, 0.0),  # 1 day
        (600, 5, "work", 60, 0.0),  # 1 hour
        (24000, 9, "work", 2400, 0.0),  # 1 week
        (14400, 8, "elapsed", 1440, 0.0),  # 1 elapsed day
        (600, 6, "elapsed", 60, 0.0),  # 1 elapsed hour
        (14400, 40, "elapsed", 1440, 0.0),  # estimated elapsed day
        (-4800, 7, "work", -480, 0.0),  # a lead
        (50, 19, "percent", 0, 50.0),  # 50 % of the predecessor
    ],
)
def test_lag_formats(lag: int, fmt: int, kind: str, minutes: int, percent: float) -> None:
    p = read_mspdi(doc(task(1, "PT16H0M0S") + task(2, more=link(1, 1, lag, fmt))))
    (ln,) = p.network.links
    assert (ln.lag_kind, ln.lag_minutes, ln.lag_percent) == (kind, minutes, percent)


def test_elapsed_lag_runs_over_the_weekend() -> None:
    # Friday task, FS + 1 elapsed day: Saturday 17:00 -> next work start Monday 08:00
    props = "<StartDate>2024-01-05T08:00:00</StartDate>"
    p = read_mspdi(
        doc(task(1) + task(2, more=link(1, 1, 14400, 8))).replace(
            b"<StartDate>2024-01-01T08:00:00</StartDate>", props.encode()
        )
    )
    assert schedule(p.network)["2"].start == datetime(2024, 1, 8, 8)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (0, ConstraintType.ASAP),
        (1, ConstraintType.ALAP),
        (2, ConstraintType.MSO),
        (3, ConstraintType.MFO),
        (4, ConstraintType.SNET),
        (5, ConstraintType.SNLT),
        (6, ConstraintType.FNET),
        (7, ConstraintType.FNLT),
    ],
)
def test_constraints(code: int, expected: ConstraintType) -> None:
    more = (
        f"<ConstraintType>{code}</ConstraintType>"
        "<ConstraintDate>2024-01-10T08:00:00</ConstraintDate>"
    )
    (a,) = read_mspdi(doc(task(1, more=more))).network.activities
    assert a.constraint_type is expected
    dated = expected not in (ConstraintType.ASAP, ConstraintType.ALAP)
    assert a.constraint_date == (datetime(2024, 1, 10, 8) if dated else None)


def test_snet_moves_the_task() -> None:
    more = "<ConstraintType>4</ConstraintType><ConstraintDate>2024-01-10T08:00:00</ConstraintDate>"
    got = schedule(read_mspdi(doc(task(1, more=more))).network)["1"]
    assert got.start == datetime(2024, 1, 10, 8)


@pytest.mark.parametrize(
    ("dur", "fmt", "elapsed", "minutes", "finish"),
    [
        ("PT24H0M0S", 8, True, 1440, datetime(2024, 1, 2, 8)),  # 1 ed
        ("PT168H0M0S", 10, True, 10080, datetime(2024, 1, 8, 8)),  # 1 ew
        ("PT1H0M0S", 6, True, 60, datetime(2024, 1, 1, 9)),  # 1 eh
        ("PT40H0M0S", 9, False, 2400, datetime(2024, 1, 5, 17)),  # 1 w
        ("PT0H30M0S", 3, False, 30, datetime(2024, 1, 1, 8, 30)),  # 30 m
    ],
)
def test_durations(dur: str, fmt: int, elapsed: bool, minutes: int, finish: datetime) -> None:
    xml = task(1, dur).replace(
        "<DurationFormat>7</DurationFormat>", f"<DurationFormat>{fmt}</DurationFormat>"
    )
    p = read_mspdi(doc(xml))
    (a,) = p.network.activities
    assert (a.elapsed, a.duration_minutes) == (elapsed, minutes)
    assert schedule(p.network)["1"].finish == finish


def test_summary_hierarchy_project_summary_and_null_tasks() -> None:
    tasks = (
        "<Task><UID>0</UID><ID>0</ID><OutlineLevel>0</OutlineLevel><Summary>1</Summary>"
        "<Duration>PT16H0M0S</Duration></Task>"
        + task(1, level=1, more="<Summary>1</Summary>")
        + task(2, level=2)
        + "<Task><UID>9</UID><ID>3</ID><IsNull>1</IsNull></Task>"
        + task(3, level=2, more=link(2))
        + task(4, "PT0H0M0S", level=1, more="<Milestone>1</Milestone>" + link(1))
    )
    p = read_mspdi(doc(tasks))
    acts = {a.id: a for a in p.network.activities}
    assert set(acts) == {"0", "1", "2", "3", "4"}  # the null task is skipped
    assert acts["0"].kind == acts["1"].kind == "summary"
    assert acts["0"].name == "Test"  # the project summary carries the project's name
    assert [acts[i].parent for i in "01234"] == [None, "0", "1", "1", "0"]
    assert acts["4"].kind == "milestone"
    res = schedule(p.network)
    assert (res["1"].start, res["1"].finish) == (datetime(2024, 1, 1, 8), datetime(2024, 1, 2, 17))
    assert res["4"].start == datetime(2024, 1, 2, 17)
    assert res["0"].finish == datetime(2024, 1, 2, 17)


def test_stored_dates_progress_and_baseline() -> None:
    more = (
        "<Start>2024-01-01T08:00:00</Start><Finish>2024-01-02T17:00:00</Finish>"
        "<Critical>1</Critical><EarlyStart>2024-01-01T08:00:00</EarlyStart>"
        "<FreeSlack>0</FreeSlack><TotalSlack>4800</TotalSlack>"
        "<PercentComplete>50</PercentComplete><ActualStart>2024-01-01T08:00:00</ActualStart>"
        "<RemainingDuration>PT8H0M0S</RemainingDuration>"
        "<Baseline><Number>1</Number><Start>2023-01-01T08:00:00</Start></Baseline>"
        "<Baseline><Number>0</Number><Start>2024-01-01T08:00:00</Start>"
        "<Finish>2024-01-02T17:00:00</Finish><Duration>PT16H0M0S</Duration>"
        "<Cost>100</Cost></Baseline>"
    )
    p = read_mspdi(doc(task(1, "PT16H0M0S", more=more)))
    s = p.stored["1"]
    assert (s.start, s.finish, s.total_float_minutes, s.free_float_minutes, s.critical) == (
        datetime(2024, 1, 1, 8),
        datetime(2024, 1, 2, 17),
        480,
        0,
        True,
    )
    a = p.network.activities[0]
    assert (a.actual_start, a.remaining_minutes, a.percent_complete) == (
        datetime(2024, 1, 1, 8),
        480,
        50.0,
    )
    assert p.baselines["1"] == BaselineEntry(
        datetime(2024, 1, 1, 8), datetime(2024, 1, 2, 17), 960, 100.0
    )


def test_project_properties_and_options() -> None:
    props = (
        "<CriticalSlackLimit>2</CriticalSlackLimit><CurrencyCode>EUR</CurrencyCode>"
        "<MinutesPerDay>480</MinutesPerDay><SplitsInProgressTasks>0</SplitsInProgressTasks>"
        "<StatusDate>2024-01-03T17:00:00</StatusDate>"
    )
    p = read_mspdi(doc(task(1), props=props))
    assert p.name == "Test" and p.currency == "EUR" and p.format == "mspdi"
    opts = p.network.options
    assert (opts.progress, opts.critical_float_minutes, opts.lag_calendar) == (
        "progress_override",
        960,
        "project",
    )
    assert p.network.data_date == datetime(2024, 1, 3, 17)
    assert p.network.project_start == datetime(2024, 1, 1, 8)


def test_resources_and_assignments() -> None:
    extra = (
        "<Resources><Resource><UID>0</UID><ID>0</ID><IsNull>0</IsNull></Resource>"
        "<Resource><UID>1</UID><ID>1</ID><Name>Ann</Name><Type>1</Type><MaxUnits>0.5</MaxUnits>"
        "<StandardRate>40</StandardRate><OvertimeRate>60</OvertimeRate>"
        "<CostPerUse>5</CostPerUse><CalendarUID>1</CalendarUID></Resource>"
        "<Resource><UID>2</UID><ID>2</ID><Name>Sand</Name><Type>0</Type></Resource>"
        "</Resources><Assignments>"
        "<Assignment><UID>1</UID><TaskUID>1</TaskUID><ResourceUID>1</ResourceUID>"
        "<Cost>320</Cost><Units>0.5</Units><Work>PT4H0M0S</Work></Assignment>"
        "<Assignment><UID>2</UID><TaskUID>1</TaskUID><ResourceUID>-65535</ResourceUID>"
        "<Units>1</Units></Assignment></Assignments>"
    )
    p = read_mspdi(doc(task(1), extra=extra))
    assert p.resources == [
        Resource("1", "Ann", "work", 0.5, "1", 40.0, 60.0, 5.0),
        Resource("2", "Sand", "material"),
    ]
    assert p.assignments == [Assignment("1", "1", 0.5, 240, 320.0)]


# --------------------------------------------------------------------------- resource calendars
def _base_cal(uid: int, name: str, hours: dict[int, tuple[str, str]], excs: str = "") -> str:
    """A base calendar working ``hours[day_type]`` (1 = Sunday .. 7 = Saturday) only."""
    days = "".join(
        f"<WeekDay><DayType>{d}</DayType><DayWorking>1</DayWorking><WorkingTimes>"
        f"<WorkingTime><FromTime>{hours[d][0]}</FromTime><ToTime>{hours[d][1]}</ToTime>"
        "</WorkingTime></WorkingTimes></WeekDay>"
        if d in hours
        else f"<WeekDay><DayType>{d}</DayType><DayWorking>0</DayWorking></WeekDay>"
        for d in range(1, 8)
    )
    return (
        f"<Calendar><UID>{uid}</UID><Name>{name}</Name><IsBaseCalendar>1</IsBaseCalendar>"
        f"<BaseCalendarUID>-1</BaseCalendarUID><WeekDays>{days}</WeekDays>{excs}</Calendar>"
    )


HOLIDAY_JAN_2 = (
    "<Exceptions><Exception><TimePeriod><FromDate>2024-01-02T00:00:00</FromDate>"
    "<ToDate>2024-01-02T23:59:00</ToDate></TimePeriod><Type>1</Type>"
    "<DayWorking>0</DayWorking></Exception></Exceptions>"
)
RESOURCE_CALENDARS = (
    STANDARD.replace("{exceptions}", "")
    + _base_cal(3, "Late", {d: ("13:00:00", "21:00:00") for d in range(2, 7)}, HOLIDAY_JAN_2)
    + _base_cal(4, "Weekend", {1: ("08:00:00", "16:00:00"), 7: ("08:00:00", "16:00:00")})
    # a resource calendar that is the Standard calendar unchanged
    + "<Calendar><UID>5</UID><Name>R3</Name><IsBaseCalendar>0</IsBaseCalendar>"
    "<BaseCalendarUID>1</BaseCalendarUID></Calendar>"
)


def _staff(*assignments: tuple[int, int]) -> str:
    """Resources 1 (Late), 2 (Weekend), 3 (Standard), 4 (material) and their assignments."""
    resources = "".join(
        f"<Resource><UID>{uid}</UID><ID>{uid}</ID><Name>R{uid}</Name><Type>{kind}</Type>"
        f"<CalendarUID>{cal}</CalendarUID></Resource>"
        for uid, kind, cal in ((1, 1, 3), (2, 1, 4), (3, 1, 5), (4, 0, 3))
    )
    return (
        f"<Resources>{resources}</Resources><Assignments>"
        + "".join(
            f"<Assignment><UID>{k}</UID><TaskUID>{t}</TaskUID><ResourceUID>{r}</ResourceUID>"
            "<Units>1</Units></Assignment>"
            for k, (t, r) in enumerate(assignments, 1)
        )
        + "</Assignments>"
    )


def test_task_without_calendar_runs_on_its_resource_calendar() -> None:
    p = read_mspdi(
        doc(
            task(1) + task(2) + task(3) + task(4) + task(5),
            calendars=RESOURCE_CALENDARS,
            extra=_staff((1, 1), (2, 2), (3, 3), (4, 4)),
        )
    )
    acts = {a.id: a for a in p.network.activities}
    assert acts["1"].calendar is p.calendars["3"]
    assert acts["2"].calendar is p.calendars["4"]
    assert acts["3"].calendar is None  # the resource works like the project calendar
    assert acts["4"].calendar is None  # a material resource has no say
    assert acts["5"].calendar is None  # no resource at all
    got = schedule(p.network)
    assert (got["1"].start, got["1"].finish) == (datetime(2024, 1, 1, 13), datetime(2024, 1, 1, 21))
    assert (got["2"].start, got["2"].finish) == (datetime(2024, 1, 6, 8), datetime(2024, 1, 6, 16))


def test_task_calendar_meets_resource_calendar() -> None:
    own = "<CalendarUID>3</CalendarUID>"
    tasks = task(1, more=own) + task(
        2, more=own + "<IgnoreResourceCalendar>1</IgnoreResourceCalendar>"
    )
    p = read_mspdi(doc(tasks, calendars=RESOURCE_CALENDARS, extra=_staff((1, 3), (2, 3))))
    acts = {a.id: a for a in p.network.activities}
    assert acts["2"].calendar is p.calendars["3"]  # the resource calendar is ignored
    both = acts["1"].calendar
    assert both is not None
    assert both.week[0] == ((780, 1020),)  # Late 13-21 and Standard 8-12, 13-17 share 13-17
    assert both.day_intervals(date(2024, 1, 2)) == ()  # Late's holiday stays
    got = schedule(p.network)
    assert (got["1"].start, got["1"].finish) == (datetime(2024, 1, 1, 13), datetime(2024, 1, 3, 17))


def test_several_resources_work_when_any_of_them_works() -> None:
    p = read_mspdi(
        doc(task(1, "PT16H0M0S"), calendars=RESOURCE_CALENDARS, extra=_staff((1, 1), (1, 3)))
    )
    cal = p.network.activities[0].calendar
    assert cal is not None
    assert cal.week[0] == ((480, 720), (780, 1260))  # 8-12 (Standard), 13-21 (both)
    assert cal.day_intervals(date(2024, 1, 2)) == ((480, 720), (780, 1020))  # Late's holiday
    got = schedule(p.network)["1"]
    assert (got.start, got.finish) == (datetime(2024, 1, 1, 8), datetime(2024, 1, 2, 12))


def test_resource_calendars_survive_the_round_trip() -> None:
    tasks = task(1) + task(2, more="<CalendarUID>3</CalendarUID>") + task(3, "PT16H0M0S")
    first = read_mspdi(
        doc(tasks, calendars=RESOURCE_CALENDARS, extra=_staff((1, 2), (2, 3), (3, 1), (3, 3)))
    )
    result = schedule(first.network)
    again = read_mspdi(write_mspdi(first, result))
    assert again.network.activities == first.network.activities
    assert list(schedule(again.network)) == list(result)


def test_manual_tasks_are_read_written_and_never_critical() -> None:
    p = read_mspdi(doc(task(1, more="<Manual>1</Manual>") + task(2, more="<Manual>0</Manual>")))
    assert [a.manual for a in p.network.activities] == [True, False]
    result = schedule(p.network)
    assert [(r.total_float_minutes, r.critical) for r in result] == [(0, False), (0, True)]
    again = read_mspdi(write_mspdi(p, result))
    assert [a.manual for a in again.network.activities] == [True, False]
    assert [s.critical for s in again.stored.values()] == [False, True]


# --------------------------------------------------------------------------- calendars
def _cal(exceptions: str = "", weekdays: str = "", uid: int = 1, base: int = -1) -> str:
    if base == -1:
        return STANDARD.replace("{exceptions}", exceptions).replace(
            "<UID>1</UID>", f"<UID>{uid}</UID>", 1
        )
    return (
        f"<Calendar><UID>{uid}</UID><Name>Derived</Name><IsBaseCalendar>0</IsBaseCalendar>"
        f"<BaseCalendarUID>{base}</BaseCalendarUID><WeekDays>{weekdays}</WeekDays>"
        f"{exceptions}</Calendar>"
    )


def test_calendar_weekdays_and_2007_exceptions() -> None:
    excs = (
        "<Exceptions><Exception><EnteredByOccurrences>0</EnteredByOccurrences>"
        "<TimePeriod><FromDate>2024-01-02T00:00:00</FromDate><ToDate>2024-01-03T23:59:00</ToDate>"
        "</TimePeriod><Occurrences>1</Occurrences><Name>Holiday</Name><Type>1</Type>"
        "<Period>1</Period><DayWorking>0</DayWorking></Exception>"
        "<Exception><TimePeriod><FromDate>2024-01-06T00:00:00</FromDate>"
        "<ToDate>2024-01-06T23:59:00</ToDate></TimePeriod><Type>1</Type><DayWorking>1</DayWorking>"
        "<WorkingTimes><WorkingTime><FromTime>09:00:00</FromTime><ToTime>11:00:00</ToTime>"
        "</WorkingTime></WorkingTimes></Exception></Exceptions>"
    )
    p = read_mspdi(doc(task(1, "PT16H0M0S"), calendars=_cal(excs)))
    cal = p.calendars["1"]
    assert cal.week[0] == ((480, 720), (780, 1020)) and cal.week[6] == ()
    assert cal.exceptions == (
        CalendarException(date(2024, 1, 2), date(2024, 1, 3)),
        CalendarException(date(2024, 1, 6), date(2024, 1, 6), ((540, 660),)),
    )
    assert schedule(p.network)["1"].finish == datetime(2024, 1, 4, 17)


def test_calendar_2003_exceptions_and_inheritance() -> None:
    excs = (
        "<WeekDay><DayType>0</DayType><DayWorking>0</DayWorking><TimePeriod>"
        "<FromDate>2024-01-02T00:00:00</FromDate><ToDate>2024-01-02T23:59:00</ToDate>"
        "</TimePeriod></WeekDay>"
    )
    base = STANDARD.replace("{exceptions}", "").replace("</WeekDays>", excs + "</WeekDays>")
    derived = _cal(
        weekdays="<WeekDay><DayType>7</DayType><DayWorking>1</DayWorking><WorkingTimes>"
        "<WorkingTime><FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime>"
        "</WorkingTimes></WeekDay>",
        uid=2,
        base=1,
    )
    p = read_mspdi(doc(task(1, more="<CalendarUID>2</CalendarUID>"), calendars=base + derived))
    cal = p.calendars["2"]
    assert cal.week[5] == ((480, 720),)  # Saturday from the derived calendar
    assert cal.week[0] == p.calendars["1"].week[0]  # Monday inherited
    assert cal.exceptions == (CalendarException(date(2024, 1, 2), date(2024, 1, 2)),)
    assert p.network.activities[0].calendar is cal


def test_recurring_exceptions() -> None:
    excs = (
        "<Exceptions><Exception><TimePeriod><FromDate>2024-12-25T00:00:00</FromDate>"
        "<ToDate>2026-12-25T23:59:00</ToDate></TimePeriod><Occurrences>3</Occurrences>"
        "<Type>2</Type><Period>1</Period><Month>11</Month><MonthDay>25</MonthDay>"
        "<DayWorking>0</DayWorking></Exception>"
        "<Exception><TimePeriod><FromDate>2024-02-01T00:00:00</FromDate>"
        "<ToDate>2024-02-29T23:59:00</ToDate></TimePeriod><Type>6</Type><Period>1</Period>"
        "<DaysOfWeek>2</DaysOfWeek><DayWorking>0</DayWorking></Exception>"
        "<Exception><EnteredByOccurrences>1</EnteredByOccurrences><TimePeriod>"
        "<FromDate>2024-03-01T00:00:00</FromDate><ToDate>2024-06-30T23:59:00</ToDate></TimePeriod>"
        "<Occurrences>2</Occurrences><Type>5</Type><Period>1</Period><MonthItem>8</MonthItem>"
        "<MonthPosition>4</MonthPosition><DayWorking>0</DayWorking></Exception>"
        "</Exceptions>"
    )
    cal = read_mspdi(doc(task(1), calendars=_cal(excs))).calendars["1"]
    assert cal.yearly == (YearlyException(12, 25, (), 2024, 2026),)
    mondays = [e.start for e in cal.exceptions if e.start.month == 2]
    assert mondays == [date(2024, 2, d) for d in (5, 12, 19, 26)]
    last_fridays = [e.start for e in cal.exceptions if e.start.month in (3, 4, 5)]
    assert last_fridays == [date(2024, 3, 29), date(2024, 4, 26)]
    assert cal.day_intervals(date(2025, 12, 25)) == ()


# --------------------------------------------------------------------------- errors
def test_malformed_xml_names_the_line() -> None:
    data = doc(task(1)).replace(b"</Tasks>", b"</Task>\n</Tasks>")
    with pytest.raises(ParseError) as info:
        read_mspdi(data, source="bad.xml")
    assert info.value.file == "bad.xml" and isinstance(info.value.line_or_element, int)
    line = data[: data.index(b"</Task>\n</Tasks>")].count(b"\n") + 1  # the stray </Task>
    assert info.value.line_or_element == line and "malformed XML" in str(info.value)


def test_unknown_predecessor() -> None:
    data = doc(task(1) + "\n" + task(2, more="\n" + link(99)))
    line = data[: data.index(b"<PredecessorLink>")].count(b"\n") + 1
    with pytest.raises(ParseError) as info:
        read_mspdi(data, source="plan.xml")
    assert str(info.value) == f"plan.xml:{line}: task 2: unknown predecessor UID '99'"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            "<Tasks><Task><UID>x</UID><Duration>PT8H</Duration><OutlineLevel>a</OutlineLevel>"
            "</Task></Tasks>",
            "OutlineLevel 'a' is not a number",
        ),
        (
            "<Tasks><Task><UID>1</UID><Name>A</Name><Duration>8 hours</Duration></Task></Tasks>",
            "Duration '8 hours' is not an ISO 8601 duration",
        ),
        (
            "<Tasks><Task><UID>1</UID><Name>A</Name><ConstraintType>4</ConstraintType></Task>"
            "</Tasks>",
            "ConstraintType 4 needs a ConstraintDate",
        ),
        (
            "<Tasks><Task><UID>1</UID><Name>A</Name><CalendarUID>7</CalendarUID></Task></Tasks>",
            "unknown CalendarUID 7",
        ),
    ],
)
def test_bad_values(body: str, reason: str) -> None:
    data = f'<Project xmlns="{NS}"><StartDate>2024-01-01T08:00:00</StartDate>{body}</Project>'
    with pytest.raises(ParseError, match=reason):
        read_mspdi(data.encode(), source="x.xml")


def test_not_a_project_file() -> None:
    with pytest.raises(ParseError, match="not an MSPDI document"):
        read_mspdi(b"<html/>", source="x.xml")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Project xmlns="http://schemas.microsoft.com/project"><Name>&lol9;</Name></Project>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Project xmlns="http://schemas.microsoft.com/project"><Name>&xxe;</Name></Project>"""

XXE_NO_DTD_CHECK = b"""<?xml version="1.0"?>
<!DOCTYPE Project SYSTEM "http://example.invalid/evil.dtd">
<Project xmlns="http://schemas.microsoft.com/project"><Name>x</Name></Project>"""


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE, XXE_NO_DTD_CHECK])
def test_unsafe_xml_is_refused_in_one_line(payload: bytes) -> None:
    started = time.perf_counter()
    with pytest.raises(ParseError) as info:
        read_mspdi(payload, source="evil.xml")
    message = str(info.value)
    assert message.startswith("evil.xml:") and "refused unsafe XML" in message
    assert "\n" not in message and "root:" not in message  # nothing was expanded or read
    assert time.perf_counter() - started < 1.0


def test_read_from_a_path(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "plan.xml"  # type: ignore[operator]
    path.write_bytes(doc(task(1)))
    p = read_mspdi(path)
    assert p.source == str(path) and [a.id for a in p.network.activities] == ["1"]
    with pytest.raises(ParseError, match="cannot read the file"):
        read_mspdi(tmp_path / "missing.xml")  # type: ignore[operator]


# --------------------------------------------------------------------------- round trip
RICH_CALENDARS = _cal(
    "<Exceptions><Exception><TimePeriod><FromDate>2024-01-09T00:00:00</FromDate>"
    "<ToDate>2024-01-10T23:59:00</ToDate></TimePeriod><Type>1</Type><DayWorking>0</DayWorking>"
    "</Exception><Exception><TimePeriod><FromDate>2024-12-25T00:00:00</FromDate>"
    "<ToDate>2030-12-25T23:59:00</ToDate></TimePeriod><Type>2</Type><Month>11</Month>"
    "<MonthDay>25</MonthDay><DayWorking>0</DayWorking></Exception>"
    "<Exception><TimePeriod><FromDate>2024-01-13T00:00:00</FromDate>"
    "<ToDate>2024-01-13T23:59:00</ToDate></TimePeriod><Type>1</Type><DayWorking>1</DayWorking>"
    "<WorkingTimes><WorkingTime><FromTime>22:00:00</FromTime><ToTime>00:00:00</ToTime>"
    "</WorkingTime></WorkingTimes></Exception></Exceptions>"
) + _cal(
    weekdays="<WeekDay><DayType>1</DayType><DayWorking>1</DayWorking></WeekDay>", uid=2, base=1
)

RICH_TASKS = (
    "<Task><UID>0</UID><ID>0</ID><OutlineLevel>0</OutlineLevel><Summary>1</Summary></Task>"
    + task(1, "PT16H0M0S", level=1, more="<Summary>1</Summary>")
    + task(2, "PT16H0M0S", level=2)
    + task(3, "PT24H0M0S", level=2, more=link(2, 3, 4800, 7) + link(2, 0, 600, 5)).replace(
        "<DurationFormat>7</DurationFormat>", "<DurationFormat>8</DurationFormat>"
    )
    + task(
        5,
        level=1,
        more="<ConstraintType>6</ConstraintType>"
        "<ConstraintDate>2024-01-16T17:00:00</ConstraintDate><CalendarUID>2</CalendarUID>"
        + link(1, 1, 14400, 8),
    )
    + task(
        6,
        "PT0H0M0S",
        level=1,
        more="<Milestone>1</Milestone><Deadline>2024-01-31T17:00:00"
        "</Deadline>" + link(5, 2, 0, 7) + link(3, 1, 50, 19),
    )
    + task(
        7,
        "PT40H0M0S",
        level=1,
        more="<ActualStart>2024-01-01T08:00:00</ActualStart>"
        "<PercentComplete>25</PercentComplete><RemainingDuration>PT30H0M0S</RemainingDuration>"
        + link(2, 3, -4800, 7),
    )
)


def test_round_trip_same_network_and_schedule() -> None:
    extra = (
        "<Resources><Resource><UID>4</UID><ID>1</ID><Name>Ann</Name><Type>1</Type>"
        "<MaxUnits>1</MaxUnits><StandardRate>50</StandardRate><CalendarUID>2</CalendarUID>"
        "</Resource></Resources><Assignments><Assignment><UID>1</UID><TaskUID>2</TaskUID>"
        "<ResourceUID>4</ResourceUID><Units>1</Units><Work>PT16H0M0S</Work></Assignment>"
        "</Assignments>"
    )
    props = "<CriticalSlackLimit>1</CriticalSlackLimit><StatusDate>2024-01-02T17:00:00</StatusDate>"
    first = read_mspdi(doc(RICH_TASKS, calendars=RICH_CALENDARS, props=props, extra=extra))
    result = schedule(first.network)
    again = read_mspdi(write_mspdi(first, result), source="rt.xml")
    a, b = first.network, again.network
    assert a.activities == b.activities and a.links == b.links
    assert (a.project_start, a.data_date, a.options) == (b.project_start, b.data_date, b.options)
    assert a.default_calendar == b.default_calendar
    assert first.calendars == again.calendars
    assert (first.resources, first.assignments) == (again.resources, again.assignments)
    assert list(schedule(b)) == list(result)
    for r in result:  # what was written as MS Project's stored values reads back
        s = again.stored[r.id]
        assert (s.start, s.finish, s.critical) == (r.start, r.finish, r.critical)
        assert s.total_float_minutes == r.total_float_minutes


def test_write_without_result_and_foreign_ids() -> None:
    from podium.engine import Activity, Link, Network
    from podium.interchange.base import ProjectFile

    net = Network(
        [
            Activity("A", "Design", 480),
            Activity("B", "Build", 960),
            Activity("7", "Ship", 0, kind="milestone"),
        ],
        [Link("A", "B", "SS", 60), Link("B", "7")],
        project_start=datetime(2024, 1, 1, 8),
    )
    back = read_mspdi(write_mspdi(ProjectFile("P", "mspdi", net)))
    names = {a.name: a.id for a in back.network.activities}
    assert names == {"Design": "8", "Build": "9", "Ship": "7"}  # numeric ids are kept
    assert [(ln.pred, ln.succ, ln.type, ln.lag_minutes) for ln in back.network.links] == [
        ("8", "9", "SS", 60),
        ("9", "7", "FS", 0),
    ]
    assert [r.finish for r in schedule(back.network)] == [r.finish for r in schedule(net)]


# --------------------------------------------------------------------------- schema order
# Child sequences copied from MS Project's mspdi_pj12.xsd (Project 2007 schema); only
# the relative order matters, so the elements Podium never writes may be left out.
SCHEMA_PROJECT = [
    "SaveVersion",
    "UID",
    "Name",
    "Title",
    "Subject",
    "Category",
    "Company",
    "Manager",
    "Author",
    "CreationDate",
    "Revision",
    "LastSaved",
    "ScheduleFromStart",
    "StartDate",
    "FinishDate",
    "FYStartDate",
    "CriticalSlackLimit",
    "CurrencyDigits",
    "CurrencySymbol",
    "CurrencyCode",
    "CurrencySymbolPosition",
    "CalendarUID",
    "DefaultStartTime",
    "DefaultFinishTime",
    "MinutesPerDay",
    "MinutesPerWeek",
    "DaysPerMonth",
    "DefaultTaskType",
    "DefaultFixedCostAccrual",
    "DefaultStandardRate",
    "DefaultOvertimeRate",
    "DurationFormat",
    "WorkFormat",
    "EditableActualCosts",
    "HonorConstraints",
    "EarnedValueMethod",
    "InsertedProjectsLikeSummary",
    "MultipleCriticalPaths",
    "NewTasksEffortDriven",
    "NewTasksEstimated",
    "SplitsInProgressTasks",
    "SpreadActualCost",
    "SpreadPercentComplete",
    "TaskUpdatesResource",
    "FiscalYearStart",
    "WeekStartDay",
    "MoveCompletedEndsBack",
    "MoveRemainingStartsBack",
    "MoveRemainingStartsForward",
    "MoveCompletedEndsForward",
    "BaselineForEarnedValue",
    "AutoAddNewResourcesAndTasks",
    "StatusDate",
    "CurrentDate",
    "MicrosoftProjectServerURL",
    "Autolink",
    "NewTaskStartDate",
    "DefaultTaskEVMethod",
    "ProjectExternallyEdited",
    "ExtendedCreationDate",
    "ActualsInSync",
    "RemoveFileProperties",
    "AdminProject",
    "OutlineCodes",
    "WBSMasks",
    "ExtendedAttributes",
    "Calendars",
    "Tasks",
    "Resources",
    "Assignments",
]
SCHEMA_TASK = [
    "UID",
    "ID",
    "Name",
    "Manual",  # Project 2010's schema (mspdi_pj14.xsd); written for manual tasks only
    "Type",
    "IsNull",
    "CreateDate",
    "Contact",
    "WBS",
    "WBSLevel",
    "OutlineNumber",
    "OutlineLevel",
    "Priority",
    "Start",
    "Finish",
    "Duration",
    "DurationFormat",
    "Work",
    "Stop",
    "Resume",
    "ResumeValid",
    "EffortDriven",
    "Recurring",
    "OverAllocated",
    "Estimated",
    "Milestone",
    "Summary",
    "Critical",
    "IsSubproject",
    "IsSubprojectReadOnly",
    "SubprojectName",
    "ExternalTask",
    "ExternalTaskProject",
    "EarlyStart",
    "EarlyFinish",
    "LateStart",
    "LateFinish",
    "StartVariance",
    "FinishVariance",
    "WorkVariance",
    "FreeSlack",
    "TotalSlack",
    "FixedCost",
    "FixedCostAccrual",
    "PercentComplete",
    "PercentWorkComplete",
    "Cost",
    "OvertimeCost",
    "OvertimeWork",
    "ActualStart",
    "ActualFinish",
    "ActualDuration",
    "ActualCost",
    "ActualOvertimeCost",
    "ActualWork",
    "ActualOvertimeWork",
    "RegularWork",
    "RemainingDuration",
    "RemainingCost",
    "RemainingWork",
    "RemainingOvertimeCost",
    "RemainingOvertimeWork",
    "ACWP",
    "CV",
    "ConstraintType",
    "CalendarUID",
    "ConstraintDate",
    "Deadline",
    "LevelAssignments",
    "LevelingCanSplit",
    "LevelingDelay",
    "LevelingDelayFormat",
    "PreLeveledStart",
    "PreLeveledFinish",
    "Hyperlink",
    "HyperlinkAddress",
    "HyperlinkSubAddress",
    "IgnoreResourceCalendar",
    "Notes",
    "HideBar",
    "Rollup",
    "BCWS",
    "BCWP",
    "PhysicalPercentComplete",
    "EarnedValueMethod",
    "PredecessorLink",
    "ActualWorkProtected",
    "ActualOvertimeWorkProtected",
    "ExtendedAttribute",
    "Baseline",
    "OutlineCode",
]
SCHEMA_CALENDAR = [
    "UID",
    "Name",
    "IsBaseCalendar",
    "BaseCalendarUID",
    "WeekDays",
    "Exceptions",
    "WorkWeeks",
]
SCHEMA_WEEKDAY = ["DayType", "DayWorking", "TimePeriod", "WorkingTimes"]
SCHEMA_EXCEPTION = [
    "EnteredByOccurrences",
    "TimePeriod",
    "Occurrences",
    "Name",
    "Type",
    "Period",
    "DaysOfWeek",
    "MonthItem",
    "MonthPosition",
    "Month",
    "MonthDay",
    "DayWorking",
    "WorkingTimes",
]
SCHEMA_LINK = ["PredecessorUID", "Type", "CrossProject", "CrossProjectName", "LinkLag", "LagFormat"]
SCHEMA_BASELINE = [
    "TimephasedData",
    "Number",
    "Interim",
    "Start",
    "Finish",
    "Duration",
    "DurationFormat",
    "EstimatedDuration",
    "Work",
    "Cost",
    "BCWS",
    "BCWP",
    "FixedCost",
]
SCHEMA_RESOURCE = [
    "UID",
    "ID",
    "Name",
    "Type",
    "IsNull",
    "Initials",
    "Phonetics",
    "NTAccount",
    "MaterialLabel",
    "Code",
    "Group",
    "WorkGroup",
    "EmailAddress",
    "Hyperlink",
    "HyperlinkAddress",
    "HyperlinkSubAddress",
    "MaxUnits",
    "PeakUnits",
    "OverAllocated",
    "AvailableFrom",
    "AvailableTo",
    "Start",
    "Finish",
    "CanLevel",
    "AccrueAt",
    "Work",
    "RegularWork",
    "OvertimeWork",
    "ActualWork",
    "RemainingWork",
    "ActualOvertimeWork",
    "RemainingOvertimeWork",
    "PercentWorkComplete",
    "StandardRate",
    "StandardRateFormat",
    "Cost",
    "OvertimeRate",
    "OvertimeRateFormat",
    "OvertimeCost",
    "CostPerUse",
    "ActualCost",
    "ActualOvertimeCost",
    "RemainingCost",
    "RemainingOvertimeCost",
    "WorkVariance",
    "CostVariance",
    "SV",
    "CV",
    "ACWP",
    "CalendarUID",
]
SCHEMA_ASSIGNMENT = [
    "UID",
    "TaskUID",
    "ResourceUID",
    "PercentWorkComplete",
    "ActualCost",
    "ActualFinish",
    "ActualOvertimeCost",
    "ActualOvertimeWork",
    "ActualStart",
    "ActualWork",
    "ACWP",
    "Confirmed",
    "Cost",
    "CostRateTable",
    "CostVariance",
    "CV",
    "Delay",
    "Finish",
    "FinishVariance",
    "Hyperlink",
    "HyperlinkAddress",
    "HyperlinkSubAddress",
    "WorkVariance",
    "HasFixedRateUnits",
    "FixedMaterial",
    "LevelingDelay",
    "LevelingDelayFormat",
    "LinkedFields",
    "Milestone",
    "Notes",
    "Overallocated",
    "OvertimeCost",
    "OvertimeWork",
    "PeakUnits",
    "RegularWork",
    "RemainingCost",
    "RemainingOvertimeCost",
    "RemainingOvertimeWork",
    "RemainingWork",
    "ResponsePending",
    "Start",
    "Stop",
    "Resume",
    "StartVariance",
    "Units",
    "UpdateNeeded",
    "VAC",
    "Work",
]
REPEATABLE = {"PredecessorLink", "Baseline", "ExtendedAttribute", "OutlineCode"}


def assert_schema_order(el: ET.Element, order: list[str]) -> None:
    names = [child.tag.removeprefix(Q) for child in el]
    assert all(child.tag.startswith(Q) for child in el), "every element in the MSPDI namespace"
    unknown = [n for n in names if n not in order]
    assert not unknown, f"{el.tag}: elements not in the schema: {unknown}"
    positions = [order.index(n) for n in names]
    assert positions == sorted(positions), f"{el.tag}: out of schema order: {names}"
    dupes = {n for n in names if names.count(n) > 1} - REPEATABLE
    assert not dupes, f"{el.tag}: repeated {dupes}"


def test_written_xml_follows_the_schema_order() -> None:
    extra = (
        "<Resources><Resource><UID>4</UID><ID>1</ID><Name>Ann</Name><CalendarUID>2</CalendarUID>"
        "</Resource></Resources><Assignments><Assignment><UID>1</UID><TaskUID>2</TaskUID>"
        "<ResourceUID>4</ResourceUID><Cost>3</Cost><Units>1</Units><Work>PT16H0M0S</Work>"
        "</Assignment></Assignments>"
    )
    tasks = RICH_TASKS.replace(
        "</Task>",
        "<Baseline><Number>0</Number><Start>2024-01-01T08:00:00</Start>"
        "<Duration>PT8H0M0S</Duration></Baseline></Task>",
        1,
    ) + task(99, more="<Manual>1</Manual>")
    first = read_mspdi(
        doc(
            tasks,
            calendars=RICH_CALENDARS,
            extra=extra,
            props="<StatusDate>2024-01-02T17:00:00</StatusDate>",
        )
    )
    root = ET.fromstring(write_mspdi(first, schedule(first.network)))
    assert root.tag == Q + "Project"
    assert [m.text for m in root.iter(Q + "Manual")] == ["1"]
    assert root.find(f".//{Q}Task/{Q}IgnoreResourceCalendar") is not None
    assert_schema_order(root, SCHEMA_PROJECT)
    checked = {"Task": 0, "Calendar": 0, "Exception": 0, "PredecessorLink": 0, "Baseline": 0}
    for name, order in (
        ("Task", SCHEMA_TASK),
        ("Calendar", SCHEMA_CALENDAR),
        ("WeekDay", SCHEMA_WEEKDAY),
        ("Exception", SCHEMA_EXCEPTION),
        ("PredecessorLink", SCHEMA_LINK),
        ("Baseline", SCHEMA_BASELINE),
        ("Resource", SCHEMA_RESOURCE),
        ("Assignment", SCHEMA_ASSIGNMENT),
    ):
        for el in root.iter(Q + name):
            assert_schema_order(el, order)
            checked[name] = checked.get(name, 0) + 1
    assert all(checked.values()), checked
    tasks_el = root.find(Q + "Tasks")
    assert tasks_el is not None
    levels = [int(t.findtext(Q + "OutlineLevel") or -1) for t in tasks_el]
    ids = [int(t.findtext(Q + "ID") or -1) for t in tasks_el]
    assert levels[0] == 0 and ids == list(range(len(ids)))  # project summary first, IDs in order
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))  # outline order


def _work(uid: int, start: str, finish: str, value: str | None) -> str:
    val = "" if value is None else f"<Value>{value}</Value>"
    return (
        f"<TimephasedData><Type>1</Type><UID>{uid}</UID><Start>{start}</Start>"
        f"<Finish>{finish}</Finish><Unit>2</Unit>{val}</TimephasedData>"
    )


# Task 1: 3 days of work split after Mon 1 by a 2-day gap (Tue 2, Wed 3), as MS Project
# writes it: work records, zero-work records across the gap, no value on the weekend.
SPLIT_ASSIGNMENT = (
    "<Assignments><Assignment><UID>1</UID><TaskUID>1</TaskUID><ResourceUID>-65535</ResourceUID>"
    + _work(1, "2024-01-01T08:00:00", "2024-01-01T17:00:00", "PT8H0M0S")
    + _work(1, "2024-01-01T17:00:00", "2024-01-02T17:00:00", "PT0H0M0S")
    + _work(1, "2024-01-02T17:00:00", "2024-01-03T17:00:00", "PT0H0M0S")
    + _work(1, "2024-01-03T17:00:00", "2024-01-04T17:00:00", "PT8H0M0S")
    + _work(1, "2024-01-04T17:00:00", "2024-01-05T17:00:00", "PT8H0M0S")
    + "</Assignment></Assignments>"
)


def test_split_task_is_read_from_zero_work_timephased_data() -> None:
    project = read_mspdi(doc(task(1, "PT24H0M0S") + task(2), extra=SPLIT_ASSIGNMENT))
    one, two = project.network.activities
    assert one.splits == ((480, 960),) and two.splits == ()
    res = schedule(project.network)
    assert res["1"].finish == datetime(2024, 1, 5, 17)  # 3 days of work + the 2-day gap


def test_seconds_of_contoured_work_are_not_a_split() -> None:
    tiny = SPLIT_ASSIGNMENT.replace("PT0H0M0S", "PT0H0M9S")
    project = read_mspdi(doc(task(1, "PT24H0M0S"), extra=tiny))
    assert project.network.activities[0].splits == ()


def test_split_task_round_trips_with_and_without_a_resource() -> None:
    res_doc = SPLIT_ASSIGNMENT.replace("<ResourceUID>-65535", "<ResourceUID>4").replace(
        "<Assignments>",
        "<Resources><Resource><UID>4</UID><ID>1</ID><Name>Ann</Name><Type>1</Type>"
        "</Resource></Resources><Assignments>",
    )
    for extra in (SPLIT_ASSIGNMENT, res_doc):
        first = read_mspdi(doc(task(1, "PT24H0M0S") + task(2), extra=extra))
        assert first.network.activities[0].splits == ((480, 960),)
        for result in (schedule(first.network), None):
            again = read_mspdi(write_mspdi(first, result), source="rt.xml")
            assert again.network.activities == first.network.activities
            assert again.assignments == first.assignments

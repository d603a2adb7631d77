r"""Microsoft Project XML (MSPDI): read a project into the engine model, write it back.

:func:`read_mspdi` parses a document of the namespace ``http://schemas.microsoft.com/project``
safely (defusedxml: no DTD, no entities, no external references) into a
:class:`~podium.interchange.base.ProjectFile`; :func:`write_mspdi` (implemented in
:mod:`podium.interchange.mspdi_write`) turns one back into MSPDI.

What the reader maps
--------------------
==========================  ===============================================================
MSPDI                       engine / ProjectFile
==========================  ===============================================================
``Project/StartDate``       ``Network.project_start``
``Project/StatusDate``      ``Network.data_date``
``Project/CalendarUID``     ``Network.default_calendar``
``Calendars/Calendar``      :class:`~podium.engine.calendars.Calendar` keyed by ``UID``;
                            ``BaseCalendarUID`` is resolved (a derived calendar inherits the
                            weekdays it does not define and its base's exceptions);
                            exceptions in the 2007+ ``Exceptions`` form (recurring ones are
                            expanded into dated exceptions, yearly-by-date ones become
                            :class:`~podium.engine.calendars.YearlyException`) or the 2003
                            ``WeekDay/DayType=0`` form
``Task``                    :class:`~podium.engine.network.Activity` with ``id = UID``
``Duration``                working minutes; elapsed ``DurationFormat`` (em, eh, ed, ew,
                            emo, e%) gives ``elapsed=True`` and clock minutes
``ConstraintType`` 0..7     ASAP, ALAP, MSO, MFO, SNET, SNLT, FNET, FNLT
``PredecessorLink``         :class:`~podium.engine.network.Link`: ``Type`` 0 FF, 1 FS, 2 SF,
                            3 SS; ``LinkLag`` in tenths of a minute; elapsed ``LagFormat``
                            gives ``lag_kind="elapsed"``; 19/20/51/52 (``%``) give
                            ``lag_kind="percent"`` with ``LinkLag`` as the percentage
``Manual``                  ``Activity.manual`` (never critical, as in MS Project 2010+)
``CalendarUID``, resources  ``Activity.calendar``: the calendar MS Project schedules the
                            task on, its assigned work resources' calendars unless
                            ``IgnoreResourceCalendar`` (see :class:`_EffectiveCalendars`);
                            when that is a resource calendar, ``Activity.float_calendar``
                            is the task's own (or the project) calendar, where MS Project
                            measures its slack
``TotalSlack``/``FreeSlack``  ``StoredDates`` floats (tenths of a minute / 10)
==========================  ===============================================================

The project summary task (``UID 0``, outline level 0) is kept as a ``"summary"``
activity with id ``"0"`` that is the parent of every top-level task: its dates roll up
like MS Project's and its stored Start/Finish/TotalSlack/Critical can be compared like
any other task's. Null tasks (``IsNull=1``, blank rows) are skipped; cross-project links
are ignored. Schedule options: MS Project keeps "retained logic" unless the file turns
``SplitsInProgressTasks`` off (then "progress override"); lags are measured on the
project calendar; the critical threshold is ``CriticalSlackLimit`` days.

Examples
--------
>>> doc = b'''<Project xmlns="http://schemas.microsoft.com/project">
...   <StartDate>2024-01-01T08:00:00</StartDate>
...   <Tasks>
...     <Task><UID>1</UID><Name>Design</Name><Duration>PT16H0M0S</Duration></Task>
...     <Task><UID>2</UID><Name>Build</Name><Duration>PT8H0M0S</Duration>
...       <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type></PredecessorLink>
...     </Task>
...   </Tasks>
... </Project>'''
>>> project = read_mspdi(doc, source="plan.xml")
>>> [(a.id, a.duration_minutes) for a in project.network.activities]
[('1', 960), ('2', 480)]
>>> project.network.links[0].label
'1 -> 2 (FS)'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from os import PathLike, fspath
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from xml.etree.ElementTree import Element, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from defusedxml.ElementTree import ParseError as XMLSyntaxError

from podium.engine.calendars import Calendar, CalendarException, Interval, YearlyException
from podium.engine.errors import NetworkError, ParseError
from podium.engine.network import (
    Activity,
    ActivityKind,
    ConstraintType,
    LagKind,
    Link,
    LinkType,
    Network,
    ScheduleOptions,
)
from podium.interchange.base import (
    Assignment,
    BaselineEntry,
    ProjectFile,
    Resource,
    StoredDates,
)

if TYPE_CHECKING:
    from podium.engine.results import ScheduleResult

__all__ = [
    "CONSTRAINT_CODES",
    "ELAPSED_FORMATS",
    "LINK_TYPE_CODES",
    "NS",
    "PERCENT_FORMATS",
    "PROJECT_SUMMARY_UID",
    "read_mspdi",
    "write_mspdi",
]

NS = "http://schemas.microsoft.com/project"
_Q = "{" + NS + "}"
PROJECT_SUMMARY_UID = "0"

CONSTRAINT_CODES: dict[int, ConstraintType] = {
    0: ConstraintType.ASAP,
    1: ConstraintType.ALAP,
    2: ConstraintType.MSO,
    3: ConstraintType.MFO,
    4: ConstraintType.SNET,
    5: ConstraintType.SNLT,
    6: ConstraintType.FNET,
    7: ConstraintType.FNLT,
}
"""MSPDI ``ConstraintType`` code to engine constraint."""

LINK_TYPE_CODES: dict[int, LinkType] = {0: "FF", 1: "FS", 2: "SF", 3: "SS"}
"""MSPDI ``PredecessorLink/Type`` code to engine link type."""

ELAPSED_FORMATS = frozenset({4, 6, 8, 10, 12, 20, 36, 38, 40, 42, 44, 52})
"""Duration/lag format codes in elapsed time: em, eh, ed, ew, emo, e% (and their ``?``)."""

PERCENT_FORMATS = frozenset({19, 20, 51, 52})
"""Lag format codes that are a percentage of the predecessor's duration."""

_DEFAULT_DAY: tuple[Interval, ...] = ((480, 720), (780, 1020))
_NULL_RESOURCE_UID = -65535
_MAX_RECURRENCES = 20000  # occurrences expanded from one recurring exception


# --------------------------------------------------------------------------- XML
class _LineBuilder(TreeBuilder):
    """A tree builder that remembers the source line of every element."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.parser: Any = None

    def start(self, tag: Any, attrs: Any) -> Element:
        el = super().start(tag, attrs)
        expat = getattr(self.parser, "parser", None)
        if expat is not None:
            self.lines[id(el)] = int(expat.CurrentLineNumber)
        return el


@dataclass
class _Doc:
    """The parsed document plus what error messages need."""

    root: Element
    name: str
    lines: dict[int, int]

    def line(self, el: Element) -> int | str:
        got = self.lines.get(id(el))
        return got if got is not None else el.tag.replace(_Q, "")

    def error(self, el: Element, reason: str) -> ParseError:
        return ParseError(self.name, self.line(el), reason)


def _parse(data: bytes, name: str) -> _Doc:
    builder = _LineBuilder()
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except XMLSyntaxError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else 1
        raise ParseError(name, line, f"malformed XML: {exc}") from None
    except DefusedXmlException as exc:
        raise ParseError(name, 1, f"refused unsafe XML ({type(exc).__name__}): {exc}") from None
    if root.tag != _Q + "Project":
        raise ParseError(
            name, builder.lines.get(id(root), 1), f"not an MSPDI document (root {root.tag!r})"
        )
    return _Doc(root, name, builder.lines)


def _child(el: Element, tag: str) -> Element | None:
    return el.find(_Q + tag)


def _children(el: Element | None, tag: str) -> list[Element]:
    return [] if el is None else el.findall(_Q + tag)


def _text(el: Element, tag: str) -> str | None:
    got = el.find(_Q + tag)
    if got is None or got.text is None:
        return None
    value = got.text.strip()
    return value or None


# --------------------------------------------------------------------------- values
_DURATION = re.compile(
    r"^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


class _Reader:
    """Typed field access with ``ParseError`` naming the element on bad values."""

    def __init__(self, doc: _Doc) -> None:
        self.doc = doc

    def integer(self, el: Element, tag: str, default: int | None = None) -> int | None:
        raw = _text(el, tag)
        if raw is None:
            return default
        try:
            return int(float(raw))
        except ValueError:
            raise self._bad(el, tag, raw, "a number") from None

    def number(self, el: Element, tag: str, default: float | None = None) -> float | None:
        raw = _text(el, tag)
        if raw is None:
            return default
        try:
            return float(raw)
        except ValueError:
            raise self._bad(el, tag, raw, "a number") from None

    def flag(self, el: Element, tag: str, default: bool = False) -> bool:
        raw = _text(el, tag)
        if raw is None:
            return default
        if raw.lower() in ("1", "true"):
            return True
        if raw.lower() in ("0", "false"):
            return False
        raise self._bad(el, tag, raw, "0 or 1")

    def instant(self, el: Element, tag: str) -> datetime | None:
        raw = _text(el, tag)
        if raw is None:
            return None
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            raise self._bad(el, tag, raw, "an ISO 8601 date-time") from None
        return value.replace(tzinfo=None, second=0, microsecond=0)

    def clock(self, el: Element, tag: str) -> int | None:
        """A ``HH:MM:SS`` time as minutes from midnight (``24:00``/``00:00`` end: 1440)."""
        raw = _text(el, tag)
        if raw is None:
            return None
        match = re.match(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$", raw)
        if match is None or int(match.group(1)) > 24 or int(match.group(2)) > 59:
            raise self._bad(el, tag, raw, "a time HH:MM:SS")
        return int(match.group(1)) * 60 + int(match.group(2))

    def duration(self, el: Element, tag: str) -> int | None:
        """An ISO 8601 duration (``PT8H0M0S``) as whole minutes (days count 24 h)."""
        raw = _text(el, tag)
        if raw is None:
            return None
        match = _DURATION.match(raw)
        if match is None:
            raise self._bad(el, tag, raw, "an ISO 8601 duration such as PT8H0M0S")
        sign, years, months, days, hours, minutes, seconds = match.groups()
        if years or months:
            raise self._bad(el, tag, raw, "a duration without years or months")
        total = (
            float(days or 0) * 1440
            + float(hours or 0) * 60
            + float(minutes or 0)
            + float(seconds or 0) / 60
        )
        return -round(total) if sign else round(total)

    def _bad(self, el: Element, tag: str, raw: str, expected: str) -> ParseError:
        where = _child(el, tag)
        return self.doc.error(
            where if where is not None else el, f"{tag} {raw!r} is not {expected}"
        )


# --------------------------------------------------------------------------- calendars
@dataclass
class _RawCalendar:
    uid: str
    name: str
    base: str | None
    week: list[tuple[Interval, ...] | None]  # Monday..Sunday; None inherits from the base
    exceptions: list[CalendarException]
    yearly: list[YearlyException]
    element: Element


def _intervals(r: _Reader, day: Element) -> tuple[Interval, ...]:
    """Working intervals of a WeekDay/Exception; working without times is 8-12, 13-17."""
    if not r.flag(day, "DayWorking", default=False):
        return ()
    out: list[Interval] = []
    for wt in _children(_child(day, "WorkingTimes"), "WorkingTime"):
        start, end = r.clock(wt, "FromTime"), r.clock(wt, "ToTime")
        if start is None or end is None:
            continue
        if end == 0 or end <= start:  # 00:00 closes the day
            end = 1440
        out.append((start, end))
    if not out and _child(day, "WorkingTimes") is None:
        return _DEFAULT_DAY
    return tuple(sorted(out))


def _period(r: _Reader, el: Element) -> tuple[date, date] | None:
    tp = _child(el, "TimePeriod")
    if tp is None:
        return None
    start, end = r.instant(tp, "FromDate"), r.instant(tp, "ToDate")
    if start is None:
        return None
    if end is None:
        end = start
    last = end.date()
    if end.time() == time(0) and last > start.date():  # an exclusive midnight end
        last -= timedelta(days=1)
    if last < start.date():
        raise r.doc.error(tp, f"exception ends ({last}) before it starts ({start.date()})")
    return start.date(), last


def _months_after(d: date, months: int) -> tuple[int, int]:
    k = d.year * 12 + d.month - 1 + months
    return k // 12, k % 12 + 1


def _nth_in_month(year: int, month: int, position: int, item: int) -> date | None:
    """The ``position``-th (0..3, 4 = last) day of kind ``item`` in a month.

    ``item``: 0 any day, 1 weekday, 2 weekend day, 3..9 Sunday..Saturday.
    """
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    days = [first + timedelta(days=k) for k in range((nxt - first).days)]

    def fits(d: date) -> bool:
        if item == 0:
            return True
        if item == 1:
            return d.weekday() < 5
        if item == 2:
            return d.weekday() >= 5
        return (d.weekday() + 1) % 7 == item - 3  # 3 = Sunday

    matches = [d for d in days if fits(d)]
    if not matches:
        return None
    if position >= 4:
        return matches[-1]
    return matches[position] if position < len(matches) else None


def _recurrences(r: _Reader, exc: Element, first: date, last: date) -> Iterator[date]:
    """Dates of a recurring MSPDI exception (types 1-8) within ``first..last``."""
    kind = r.integer(exc, "Type", 1) or 1
    period = max(r.integer(exc, "Period", 1) or 1, 1)
    by_count = r.flag(exc, "EnteredByOccurrences")
    limit = r.integer(exc, "Occurrences") if by_count else None
    limit = _MAX_RECURRENCES if limit is None else min(limit, _MAX_RECURRENCES)
    month_day = r.integer(exc, "MonthDay", first.day) or first.day
    month = (r.integer(exc, "Month", first.month - 1) or 0) + 1
    position = r.integer(exc, "MonthPosition", 0) or 0
    item = r.integer(exc, "MonthItem", 0) or 0
    dow = r.integer(exc, "DaysOfWeek", 0) or 0

    def candidates() -> Iterator[date | None]:
        if kind in (1, 7):  # daily / by day count
            d = first
            while True:
                yield d
                d += timedelta(days=period)
        elif kind in (6, 8):  # weekly on DaysOfWeek (1 = Sunday .. 64 = Saturday)
            mask = dow or (1 << ((first.weekday() + 1) % 7))
            week0 = first - timedelta(days=(first.weekday() + 1) % 7)  # its Sunday
            k = 0
            while True:
                sunday = week0 + timedelta(weeks=k * period)
                for j in range(7):
                    if mask & (1 << j):
                        yield sunday + timedelta(days=j)
                k += 1
        elif kind in (4, 5):  # monthly by day / by position
            k = 0
            while True:
                y, m = _months_after(first.replace(day=1), k * period)
                if kind == 4:
                    yield _safe_date(y, m, month_day)
                else:
                    yield _nth_in_month(y, m, position, item)
                k += 1
        else:  # 2, 3: yearly by date / by position
            y = first.year
            while True:
                if kind == 3:
                    yield _nth_in_month(y, month, position, item)
                else:
                    yield _safe_date(y, month, month_day)
                y += period

    steps = count = 0
    for d in candidates():
        steps += 1
        if steps > 10 * _MAX_RECURRENCES:
            return
        if d is None or d < first:
            continue
        if (count >= limit) if by_count else (d > last):
            return
        yield d
        count += 1


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _read_exception(
    r: _Reader, exc: Element, out: list[CalendarException], yearly: list[YearlyException]
) -> None:
    span = _period(r, exc)
    if span is None:
        return
    first, last = span
    ivs = _intervals(r, exc)
    kind = r.integer(exc, "Type")
    if kind is None or kind == 9 or not 1 <= kind <= 8:
        out.append(CalendarException(first, last, ivs))
        return
    if (
        kind == 1
        and (r.integer(exc, "Period", 1) or 1) == 1
        and not r.flag(exc, "EnteredByOccurrences")
    ):
        out.append(CalendarException(first, last, ivs))  # every day of the range
        return
    if (
        kind == 2
        and not r.flag(exc, "EnteredByOccurrences")
        and (r.integer(exc, "Period", 1) or 1) == 1
    ):
        month = (r.integer(exc, "Month", first.month - 1) or 0) + 1
        day = r.integer(exc, "MonthDay", first.day) or first.day
        if _safe_date(2000, month, day) is not None:
            first_year, last_year = first.year, last.year
            if (_safe_date(first.year, month, day) or last) < first:
                first_year += 1
            if (_safe_date(last.year, month, day) or first) > last:
                last_year -= 1
            yearly.append(YearlyException(month, day, ivs, first_year, last_year))
            return
    for d in _recurrences(r, exc, first, last):
        out.append(CalendarException(d, d, ivs))


def _read_calendar(r: _Reader, el: Element) -> _RawCalendar:
    uid = _text(el, "UID")
    if uid is None:
        raise r.doc.error(el, "calendar without UID")
    base = _text(el, "BaseCalendarUID")
    is_base = r.flag(el, "IsBaseCalendar", default=base in (None, "-1"))
    week: list[tuple[Interval, ...] | None] = [None] * 7
    exceptions: list[CalendarException] = []
    yearly: list[YearlyException] = []
    legacy: list[CalendarException] = []
    for wd in _children(_child(el, "WeekDays"), "WeekDay"):
        day_type = r.integer(wd, "DayType")
        if day_type is None or not 0 <= day_type <= 7:
            raise r.doc.error(wd, f"WeekDay has DayType {day_type!r}, expected 0-7")
        if day_type == 0:  # Project 2003 exception
            span = _period(r, wd)
            if span is not None:
                legacy.append(CalendarException(span[0], span[1], _intervals(r, wd)))
            continue
        if _child(wd, "DayWorking") is None:
            continue  # a derived calendar's "use base" day
        week[(day_type + 5) % 7] = _intervals(r, wd)  # 1 = Sunday -> index 6
    exc_el = _child(el, "Exceptions")
    if exc_el is not None:
        for exc in _children(exc_el, "Exception"):
            _read_exception(r, exc, exceptions, yearly)
    else:
        exceptions = legacy
    _read_work_weeks(r, el, week, exceptions)
    return _RawCalendar(
        uid=uid,
        name=_text(el, "Name") or f"Calendar {uid}",
        base=None if is_base or base in (None, "-1") else base,
        week=week,
        exceptions=exceptions,
        yearly=yearly,
        element=el,
    )


def _read_work_weeks(
    r: _Reader, el: Element, week: list[tuple[Interval, ...] | None], out: list[CalendarException]
) -> None:
    """Alternative work weeks (2007+) become dated exceptions before the explicit ones."""
    extra: list[CalendarException] = []
    for ww in _children(_child(el, "WorkWeeks"), "WorkWeek"):
        span = _period(r, ww)
        if span is None:
            continue
        days: dict[int, tuple[Interval, ...]] = {}
        for wd in _children(_child(ww, "WeekDays"), "WeekDay") + _children(ww, "WeekDay"):
            day_type = r.integer(wd, "DayType")
            if day_type is not None and 1 <= day_type <= 7 and _child(wd, "DayWorking") is not None:
                days[(day_type + 5) % 7] = _intervals(r, wd)
        d = span[0]
        while d <= span[1] and len(extra) < _MAX_RECURRENCES:
            if d.weekday() in days:
                extra.append(CalendarException(d, d, days[d.weekday()]))
            d += timedelta(days=1)
    out[:0] = extra


def _resolve_calendars(doc: _Doc, raw: dict[str, _RawCalendar]) -> dict[str, Calendar]:
    done: dict[str, Calendar] = {}

    def build(uid: str, seen: tuple[str, ...]) -> Calendar:
        if uid in done:
            return done[uid]
        rc = raw[uid]
        if uid in seen:
            raise doc.error(rc.element, f"calendar {uid} is its own base calendar")
        base = None
        if rc.base is not None:
            if rc.base not in raw:
                raise doc.error(rc.element, f"calendar {uid}: unknown base calendar {rc.base}")
            base = build(rc.base, (*seen, uid))
        base_week = base.week if base is not None else (_DEFAULT_DAY,) * 5 + ((), ())
        week = [d if d is not None else base_week[i] for i, d in enumerate(rc.week)]
        excs = [*(base.exceptions if base else ()), *rc.exceptions]
        yearly = [*(base.yearly if base else ()), *rc.yearly]
        try:
            cal = Calendar(week, excs, yearly, name=rc.name)
        except NetworkError as exc:
            raise doc.error(rc.element, f"calendar {uid}: {exc}") from None
        done[uid] = cal
        return cal

    for uid in raw:
        build(uid, ())
    return done


# --------------------------------------------------------------------------- resource calendars
_YEARS_BEFORE, _YEARS_AFTER = 5, 30  # window over which yearly exceptions are combined


def _combine_days(
    days: list[tuple[Interval, ...]], mode: Literal["all", "any"]
) -> tuple[Interval, ...]:
    """Intersection (``"all"`` work) or union (``"any"`` works) of one day's intervals."""
    if mode == "any":
        merged: list[Interval] = []
        for s, e in sorted(iv for day in days for iv in day):
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], e))
            else:
                merged.append((s, e))
        return tuple(merged)
    common: list[Interval] = list(days[0]) if days else []
    for day in days[1:]:
        common = [
            (max(s1, s2), min(e1, e2))
            for s1, e1 in common
            for s2, e2 in day
            if max(s1, s2) < min(e1, e2)
        ]
    return tuple(sorted(common))


def _combined_calendar(
    cals: list[Calendar], mode: Literal["all", "any"], years: tuple[int, int]
) -> Calendar:
    """One calendar working when all (``"all"``) or any (``"any"``) of ``cals`` work.

    The week combines weekday by weekday; every date on which one of the calendars has a
    dated exception, or a yearly one within ``years``, becomes a dated exception of the
    result when the combined day differs from the combined week.
    """
    week = [_combine_days([c.week[i] for c in cals], mode) for i in range(7)]
    dates: set[date] = set()
    for c in cals:
        for exc in c.exceptions:
            end = exc.end or exc.start
            dates.update(exc.start + timedelta(days=k) for k in range((end - exc.start).days + 1))
        for y in c.yearly:
            for year in range(max(years[0], y.first_year), min(years[1], y.last_year) + 1):
                try:
                    dates.add(date(year, y.month, y.day))
                except ValueError:  # 29 February of a common year
                    continue
    excs: list[CalendarException] = []
    for d in sorted(dates):
        ivs = _combine_days([c.day_intervals(d) for c in cals], mode)
        if ivs == week[d.weekday()]:
            continue
        last = excs[-1] if excs else None
        if last is not None and last.end == d - timedelta(days=1) and last.intervals == ivs:
            excs[-1] = CalendarException(last.start, d, ivs)
        else:
            excs.append(CalendarException(d, d, ivs))
    joiner = " & " if mode == "all" else " | "
    return Calendar(week, excs, name=joiner.join(c.name for c in cals))


class _EffectiveCalendars:
    """The calendar MS Project schedules a task on, given its assigned work resources.

    * no work resource assigned: the task calendar (``None``: the project calendar);
    * a task calendar with ``IgnoreResourceCalendar=1``: the task calendar;
    * otherwise the resources' calendars: one resource's calendar, or with several
      resources the times when any of them works (each assignment runs on its own
      resource's calendar and the task spans them all) — intersected with the task
      calendar when the task has one (the task works only when both allow it).

    A resource without a calendar of its own works on the project calendar. Combined
    calendars are cached so tasks sharing resources share one calendar object.
    """

    def __init__(
        self,
        default: Calendar,
        calendars: dict[str, Calendar],
        resources: list[Resource],
        assignments: list[Assignment],
        years: tuple[int, int],
    ) -> None:
        self.default = default
        self.years = years
        res_cal = {
            res.id: calendars.get(res.calendar or "", default)
            for res in resources
            if res.kind == "work"
        }
        self.by_task: dict[str, list[Calendar]] = {}
        for asg in assignments:
            cal = res_cal.get(asg.resource_id)
            if cal is None:
                continue
            got = self.by_task.setdefault(asg.activity_id, [])
            if all(cal != c for c in got):
                got.append(cal)
        self.cache: dict[tuple[str, tuple[int, ...]], Calendar] = {}

    def _combine(self, cals: list[Calendar], mode: Literal["all", "any"]) -> Calendar:
        key = (mode, tuple(id(c) for c in cals))
        got = self.cache.get(key)
        if got is None:
            got = self.cache[key] = _combined_calendar(cals, mode, self.years)
        return got

    def of(self, task: str, own: Calendar | None, ignore_resources: bool) -> Calendar | None:
        res_cals = self.by_task.get(task, [])
        if not res_cals or (own is not None and ignore_resources):
            return own
        res = res_cals[0] if len(res_cals) == 1 else self._combine(res_cals, "any")
        if own is None:
            return None if res == self.default else res
        return own if own == res else self._combine([own, res], "all")


# --------------------------------------------------------------------------- tasks
@dataclass
class _RawTask:
    uid: str
    name: str
    level: int
    element: Element
    summary: bool


def _is_null(r: _Reader, t: Element) -> bool:
    if r.flag(t, "IsNull"):
        return True
    return (
        _text(t, "Name") is None
        and _text(t, "UID") not in (PROJECT_SUMMARY_UID,)
        and (_text(t, "Duration") is None and _child(t, "PredecessorLink") is None)
    )


def _kind_and_duration(r: _Reader, t: Element, summary: bool) -> tuple[ActivityKind, int, bool]:
    fmt = r.integer(t, "DurationFormat")
    elapsed = fmt in ELAPSED_FORMATS
    minutes = r.duration(t, "Duration") or 0
    if minutes < 0:
        raise r.doc.error(t, f"task {_text(t, 'UID')}: negative Duration")
    if summary:
        return "summary", minutes, elapsed
    if r.flag(t, "Milestone") and minutes == 0:
        return "milestone", 0, elapsed
    return "task", minutes, elapsed


def _constraint(r: _Reader, t: Element) -> tuple[ConstraintType, datetime | None]:
    code = r.integer(t, "ConstraintType", 0) or 0
    ctype = CONSTRAINT_CODES.get(code)
    if ctype is None:
        raise r.doc.error(t, f"task {_text(t, 'UID')}: unknown ConstraintType {code}")
    cdate = r.instant(t, "ConstraintDate")
    if ctype not in (ConstraintType.ASAP, ConstraintType.ALAP) and cdate is None:
        raise r.doc.error(
            t, f"task {_text(t, 'UID')}: ConstraintType {code} needs a ConstraintDate"
        )
    if ctype in (ConstraintType.ASAP, ConstraintType.ALAP):
        cdate = None
    return ctype, cdate


def _links(r: _Reader, t: Element, uid: str, known: set[str], notes: list[str]) -> Iterator[Link]:
    for pl in _children(t, "PredecessorLink"):
        pred = _text(pl, "PredecessorUID")
        if r.flag(pl, "CrossProject"):
            notes.append(f"task {uid}: cross-project link from {pred} ignored")
            continue
        if pred is None:
            raise r.doc.error(pl, f"task {uid}: PredecessorLink without PredecessorUID")
        if pred not in known:
            raise r.doc.error(pl, f"task {uid}: unknown predecessor UID {pred!r}")
        code = r.integer(pl, "Type", 1)
        ltype = LINK_TYPE_CODES.get(code if code is not None else 1)
        if ltype is None:
            raise r.doc.error(pl, f"task {uid}: unknown link Type {code}")
        raw_lag = r.integer(pl, "LinkLag", 0) or 0
        fmt = r.integer(pl, "LagFormat", 7) or 7
        kind: LagKind = "work"
        percent = 0.0
        minutes = round(raw_lag / 10)
        if fmt in PERCENT_FORMATS:
            kind, percent, minutes = "percent", float(raw_lag), 0
        elif fmt in ELAPSED_FORMATS:
            kind = "elapsed"
        if pred == uid:
            raise r.doc.error(pl, f"task {uid} is its own predecessor")
        yield Link(pred, uid, ltype, minutes, kind, percent)


def _stored(r: _Reader, t: Element) -> StoredDates:
    ts = r.integer(t, "TotalSlack")
    fs = r.integer(t, "FreeSlack")
    crit = _text(t, "Critical")
    return StoredDates(
        start=r.instant(t, "Start"),
        finish=r.instant(t, "Finish"),
        early_start=r.instant(t, "EarlyStart"),
        early_finish=r.instant(t, "EarlyFinish"),
        late_start=r.instant(t, "LateStart"),
        late_finish=r.instant(t, "LateFinish"),
        total_float_minutes=None if ts is None else round(ts / 10),
        free_float_minutes=None if fs is None else round(fs / 10),
        critical=None if crit is None else r.flag(t, "Critical"),
    )


def _baseline(r: _Reader, t: Element) -> BaselineEntry | None:
    for b in _children(t, "Baseline"):
        if (r.integer(b, "Number", 0) or 0) != 0:
            continue
        return BaselineEntry(
            start=r.instant(b, "Start"),
            finish=r.instant(b, "Finish"),
            duration_minutes=r.duration(b, "Duration"),
            cost=r.number(b, "Cost"),
        )
    return None


def _hierarchy(tasks: list[_RawTask]) -> dict[str, str | None]:
    """Parent of each task from outline levels in file order (a stack of open levels)."""
    parents: dict[str, str | None] = {}
    stack: list[_RawTask] = []
    for t in tasks:
        while stack and stack[-1].level >= t.level:
            stack.pop()
        parents[t.uid] = stack[-1].uid if stack else None
        stack.append(t)
    return parents


# --------------------------------------------------------------------------- read
def _load(path_or_bytes: str | PathLike[str] | bytes, source: str | None) -> tuple[bytes, str]:
    if isinstance(path_or_bytes, bytes | bytearray):
        return bytes(path_or_bytes), source or "<bytes>"
    name = source or fspath(path_or_bytes)
    try:
        return Path(path_or_bytes).read_bytes(), name
    except OSError as exc:
        raise ParseError(name, 0, f"cannot read the file: {exc.strerror or exc}") from None


def read_mspdi(
    path_or_bytes: str | PathLike[str] | bytes, *, source: str | None = None
) -> ProjectFile:
    """Read a Microsoft Project XML (MSPDI) document.

    Parameters
    ----------
    path_or_bytes : str, path-like or bytes
        A file path, or the document itself.
    source : str, optional
        Name used in error messages and ``ProjectFile.source`` (defaults to the path,
        or ``"<bytes>"``).

    Returns
    -------
    ProjectFile
        ``network`` ready for :func:`podium.engine.schedule` with the options the file
        declares, plus calendars (keyed by calendar UID), resources, assignments,
        baseline 0 and the dates MS Project stored (``stored``, keyed by task UID).

    Raises
    ------
    ParseError
        Malformed XML (with its line), a DTD, entity or external reference (refused,
        never expanded), an unknown predecessor or calendar, a bad value; the message
        is one line ``FILE:LINE: reason``.
    """
    data, name = _load(path_or_bytes, source)
    doc = _parse(data, name)
    r = _Reader(doc)
    root = doc.root
    notes: list[str] = []

    raw_cals = {
        rc.uid: rc
        for rc in (_read_calendar(r, c) for c in _children(_child(root, "Calendars"), "Calendar"))
    }
    calendars = _resolve_calendars(doc, raw_cals)
    cal_uid = _text(root, "CalendarUID")
    if cal_uid is not None and cal_uid not in calendars and cal_uid != "-1":
        raise doc.error(_child(root, "CalendarUID") or root, f"unknown project calendar {cal_uid}")
    default_cal = calendars.get(cal_uid or "") or next(
        iter(calendars.values()), Calendar.standard()
    )
    minutes_per_day = r.integer(root, "MinutesPerDay", 480) or 480

    # tasks ---------------------------------------------------------------------------
    raw: list[_RawTask] = []
    seen: set[str] = set()
    for t in _children(_child(root, "Tasks"), "Task"):
        if _is_null(r, t):
            continue
        uid = _text(t, "UID")
        if uid is None:
            raise doc.error(t, "task without UID")
        if uid in seen:
            raise doc.error(t, f"duplicate task UID {uid}")
        seen.add(uid)
        level = r.integer(t, "OutlineLevel")
        if level is None:
            number = _text(t, "OutlineNumber")
            level = 0 if uid == PROJECT_SUMMARY_UID else (number.count(".") + 1 if number else 1)
        raw.append(_RawTask(uid, _text(t, "Name") or "", level, t, r.flag(t, "Summary")))
    parents = _hierarchy(raw)
    has_children = {p for p in parents.values() if p is not None}

    start = r.instant(root, "StartDate")
    if start is None:
        starts = [d for d in (r.instant(t.element, "Start") for t in raw) if d is not None]
        if not starts:
            raise doc.error(root, "no StartDate and no task Start to schedule from")
        start = min(starts)

    resources, res_uids = _read_resources(r, root, calendars)
    assignments = _read_assignments(r, root, seen, res_uids)
    effective = _EffectiveCalendars(
        default_cal,
        calendars,
        resources,
        assignments,
        (start.year - _YEARS_BEFORE, start.year + _YEARS_AFTER),
    )
    activities: list[Activity] = []
    links: list[Link] = []
    stored: dict[str, StoredDates] = {}
    baselines: dict[str, BaselineEntry] = {}
    wbs: dict[str, str] = {}
    for rt in raw:
        t = rt.element
        summary = rt.summary or rt.uid in has_children
        kind, minutes, elapsed = _kind_and_duration(r, t, summary)
        ctype, cdate = _constraint(r, t)
        tcal_uid = _text(t, "CalendarUID")
        tcal = None
        if tcal_uid not in (None, "-1"):
            if tcal_uid not in calendars:
                raise doc.error(t, f"task {rt.uid}: unknown CalendarUID {tcal_uid}")
            tcal = calendars[tcal_uid]
        fcal = None
        if not summary:
            own = tcal
            tcal = effective.of(rt.uid, own, r.flag(t, "IgnoreResourceCalendar"))
            if tcal is not own:  # on its resources' calendar: slack on its own
                fcal = default_cal if own is None else own
        actual_start = actual_finish = None
        remaining = None
        pct = None
        if not summary:
            actual_start = r.instant(t, "ActualStart")
            actual_finish = r.instant(t, "ActualFinish") if actual_start else None
            if actual_start is not None:
                remaining = r.duration(t, "RemainingDuration")
                pct = r.number(t, "PercentComplete")
        title = rt.name or (_text(root, "Name") or "" if rt.uid == PROJECT_SUMMARY_UID else "")
        try:
            activities.append(
                Activity(
                    id=rt.uid,
                    name=title,
                    duration_minutes=minutes,
                    calendar=tcal,
                    kind=kind,
                    parent=parents[rt.uid],
                    constraint_type=ctype,
                    constraint_date=cdate,
                    deadline=r.instant(t, "Deadline"),
                    actual_start=actual_start,
                    actual_finish=actual_finish,
                    remaining_minutes=remaining,
                    percent_complete=pct,
                    elapsed=elapsed,
                    manual=r.flag(t, "Manual"),
                    float_calendar=fcal,
                )
            )
        except NetworkError as exc:
            raise doc.error(t, str(exc)) from None
        links.extend(_links(r, t, rt.uid, seen, notes))
        stored[rt.uid] = _stored(r, t)
        base = _baseline(r, t)
        if base is not None:
            baselines[rt.uid] = base
        code = _text(t, "WBS") or _text(t, "OutlineNumber")
        if code is not None:
            wbs[rt.uid] = code

    slack_days = r.integer(root, "CriticalSlackLimit", 0) or 0
    options = ScheduleOptions(
        progress="retained_logic"
        if r.flag(root, "SplitsInProgressTasks", default=True)
        else "progress_override",
        lag_calendar="project",
        critical_float_minutes=slack_days * minutes_per_day,
    )
    try:
        network = Network(
            activities=activities,
            links=links,
            project_start=start,
            default_calendar=default_cal,
            data_date=r.instant(root, "StatusDate"),
            options=options,
        )
    except NetworkError as exc:
        raise ParseError(name, "Tasks", str(exc)) from None

    return ProjectFile(
        name=_text(root, "Name") or _text(root, "Title") or Path(name).stem,
        format="mspdi",
        network=network,
        source=name,
        calendars=calendars,
        resources=resources,
        assignments=assignments,
        baselines=baselines,
        stored=stored,
        wbs=wbs,
        currency=_text(root, "CurrencyCode") or _text(root, "CurrencySymbol"),
    )


_RESOURCE_KINDS: dict[int, Literal["work", "material", "cost"]] = {
    0: "material",
    1: "work",
    2: "cost",
}


def _read_resources(
    r: _Reader, root: Element, calendars: dict[str, Calendar]
) -> tuple[list[Resource], set[str]]:
    out: list[Resource] = []
    for el in _children(_child(root, "Resources"), "Resource"):
        uid = _text(el, "UID")
        name = _text(el, "Name")
        if uid is None or r.flag(el, "IsNull") or (name is None and uid == "0"):
            continue
        kind = _RESOURCE_KINDS.get(r.integer(el, "Type", 1) or 0, "work")
        if r.flag(el, "IsCostResource"):
            kind = "cost"
        cal = _text(el, "CalendarUID")
        out.append(
            Resource(
                id=uid,
                name=name or "",
                kind=kind,
                max_units=r.number(el, "MaxUnits", 1.0) or 0.0,
                calendar=cal if cal in calendars else None,
                standard_rate=r.number(el, "StandardRate", 0.0) or 0.0,
                overtime_rate=r.number(el, "OvertimeRate", 0.0) or 0.0,
                cost_per_use=r.number(el, "CostPerUse", 0.0) or 0.0,
            )
        )
    return out, {res.id for res in out}


def _read_assignments(
    r: _Reader, root: Element, tasks: set[str], resources: set[str]
) -> list[Assignment]:
    out: list[Assignment] = []
    for el in _children(_child(root, "Assignments"), "Assignment"):
        task, res = _text(el, "TaskUID"), _text(el, "ResourceUID")
        if task is None or res is None or res == str(_NULL_RESOURCE_UID):
            continue
        if task not in tasks or res not in resources:
            continue  # null tasks, the blank resource
        out.append(
            Assignment(
                activity_id=task,
                resource_id=res,
                units=r.number(el, "Units", 1.0) or 0.0,
                work_minutes=r.duration(el, "Work"),
                cost=r.number(el, "Cost"),
            )
        )
    return out


def write_mspdi(project: ProjectFile, result: ScheduleResult | None = None) -> bytes:
    """Write ``project`` as an MSPDI document (see :mod:`podium.interchange.mspdi_write`).

    Parameters
    ----------
    project : ProjectFile
        What to write: network, calendars, resources, assignments, baselines.
    result : ScheduleResult, optional
        Scheduled dates, slack and criticality to store with the tasks.

    Returns
    -------
    bytes
        A UTF-8 MSPDI document whose elements follow the order of ``mspdi_pj12.xsd``.
    """
    from podium.interchange.mspdi_write import write_mspdi as _write

    return _write(project, result)

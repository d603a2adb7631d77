"""MSPDI reading, part 2: calendars (base calendars, exceptions, recurrences, work
weeks) and the effective calendar of a task scheduled on its resources' calendars.

See :mod:`podium.interchange.mspdi`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import TYPE_CHECKING, Literal
from xml.etree.ElementTree import Element

from podium.engine.calendars import Calendar, CalendarException, Interval, YearlyException
from podium.engine.errors import NetworkError
from podium.interchange.base import (
    Assignment,
    Resource,
)

if TYPE_CHECKING:
    pass

from podium.interchange.mspdi_xml import (
    _DEFAULT_DAY,
    _MAX_RECURRENCES,
    _child,
    _children,
    _Doc,
    _Reader,
    _text,
)

__all__: list[str] = []


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

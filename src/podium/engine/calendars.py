r"""Working-time calendars and working-time arithmetic.

A :class:`Calendar` says when work happens: working intervals per weekday (several per
day, in minutes from midnight), exceptions on dates or date ranges (non-working, or
working with their own intervals) and yearly recurring exceptions (holidays).

Time is measured in whole minutes. Internally an instant is an integer ``t`` — minutes
since 0001-01-01 00:00 (see :func:`to_minutes`) — and a calendar defines the cumulative
working time

.. math:: W(t) = \int_{t_0}^{t} \mathbf{1}[\text{working at } s]\, ds,

counted from a fixed anchor ``t_0``. ``W`` is non-decreasing, so every operation is a
lookup in ``W`` or its inverse:

* ``work_between(a, b) = W(b) - W(a)``;
* ``add_work(t, n)`` is the *earliest* instant ``u`` with ``W(u) = W(t) + n`` — a finish
  that ends exactly at the end of a working interval stays there (MS Project's
  convention: one 8-hour day from Mon 08:00 finishes Mon 17:00, not Tue 08:00);
* ``subtract_work(t, n)`` is the *latest* instant ``u`` with ``W(u) = W(t) - n`` — a
  start lands on the start of a working interval;
* ``next_work_start(t)`` is the latest instant with ``W(u) = W(t)`` (a start snaps
  forward to the next working minute) and ``prev_work_end(t)`` the earliest.

``W`` is tabulated per day (a cumulative sum of working minutes per day, built with
numpy over a window of days that grows on demand), so each operation costs one
``bisect`` plus a walk over one day's intervals, whatever the distance.

Examples
--------
>>> from datetime import datetime
>>> cal = Calendar.standard()
>>> cal.add_work(datetime(2024, 1, 1, 8), 480)    # Monday, one 8-hour day
datetime.datetime(2024, 1, 1, 17, 0)
>>> cal.next_work_start(datetime(2024, 1, 1, 17))
datetime.datetime(2024, 1, 2, 8, 0)
>>> cal.work_between(datetime(2024, 1, 5, 16), datetime(2024, 1, 8, 9))
120
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import numpy.typing as npt

from podium.engine.errors import InfeasibleError, NetworkError

__all__ = [
    "MINUTES_PER_DAY",
    "Calendar",
    "CalendarException",
    "Interval",
    "YearlyException",
    "from_minutes",
    "to_minutes",
]

MINUTES_PER_DAY = 1440
Interval = tuple[int, int]
"""A working interval ``(start, end)`` in minutes from midnight, ``0 <= start < end <= 1440``."""

_EPOCH = datetime(1, 1, 1)
_MAX_DAY = date.max.toordinal() - 1
_BUCKET_BITS = 6
_BUCKET = 1 << _BUCKET_BITS  # working minutes per bucket of the vectorised day lookup
_STANDARD_DAY: tuple[Interval, ...] = ((480, 720), (780, 1020))


def to_minutes(dt: datetime) -> int:
    """Return the instant ``dt`` as minutes since 0001-01-01 00:00 (seconds dropped)."""
    return (dt.toordinal() - 1) * MINUTES_PER_DAY + dt.hour * 60 + dt.minute


def from_minutes(t: int) -> datetime:
    """Inverse of :func:`to_minutes`."""
    return _EPOCH + timedelta(minutes=int(t))


def _check_intervals(intervals: Iterable[Sequence[int]], where: str) -> tuple[Interval, ...]:
    out: list[Interval] = []
    last = -1
    for item in intervals:
        s, e = (int(v) for v in item)
        if not 0 <= s < e <= MINUTES_PER_DAY:
            raise NetworkError(f"{where}: interval {s}-{e} is not within 0-1440 minutes")
        if s < last:
            raise NetworkError(f"{where}: intervals overlap or are not sorted at {s}-{e}")
        if s == last and out:  # touching intervals merge
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
        last = e
    return tuple(out)


@dataclass(frozen=True, slots=True)
class CalendarException:
    """Dates ``start..end`` (inclusive) that follow ``intervals`` instead of the week.

    An empty ``intervals`` makes the dates non-working (holidays); otherwise they are
    working exceptions with their own hours.
    """

    start: date
    end: date | None = None
    intervals: tuple[Interval, ...] = ()

    def __post_init__(self) -> None:
        end = self.start if self.end is None else self.end
        if end < self.start:
            raise NetworkError(f"calendar exception ends ({end}) before it starts ({self.start})")
        object.__setattr__(self, "end", end)
        object.__setattr__(
            self, "intervals", _check_intervals(self.intervals, f"exception {self.start}")
        )


@dataclass(frozen=True, slots=True)
class YearlyException:
    """A date that recurs every year (``month``/``day``), e.g. 25 December.

    ``first_year``/``last_year`` bound the recurrence; 29 February only exists in leap
    years. Explicit :class:`CalendarException` entries win over a yearly one.
    """

    month: int
    day: int
    intervals: tuple[Interval, ...] = ()
    first_year: int = 1
    last_year: int = 9999

    def __post_init__(self) -> None:
        try:
            date(2000, self.month, self.day)
        except ValueError as exc:
            raise NetworkError(f"yearly exception {self.month}-{self.day}: {exc}") from None
        object.__setattr__(
            self, "intervals", _check_intervals(self.intervals, f"yearly {self.month}-{self.day}")
        )


class Calendar:
    r"""Working time: a weekly pattern plus dated and yearly exceptions.

    Parameters
    ----------
    week : sequence of 7 sequences of intervals
        Working intervals for Monday..Sunday, minutes from midnight, e.g.
        ``[(480, 720), (780, 1020)]`` for 08:00-12:00 and 13:00-17:00.
    exceptions : iterable of CalendarException
        Dated exceptions; a later entry wins over an earlier one on the same day.
    yearly : iterable of YearlyException
        Exceptions recurring every year.
    name : str
        Display name (not part of equality).

    Notes
    -----
    Operations on :class:`~datetime.datetime` have integer twins suffixed ``_m`` that work
    on minutes since 0001-01-01 (:func:`to_minutes`); the scheduler uses those.
    A calendar caches its day table and is therefore not thread-safe.
    """

    __slots__ = (
        "_cum",
        "_cum_np",
        "_explicit",
        "_hi",
        "_lo",
        "_special",
        "_tables",
        "_week_work",
        "_yearly_map",
        "_years_done",
        "exceptions",
        "name",
        "week",
        "yearly",
    )

    def __init__(
        self,
        week: Sequence[Iterable[Sequence[int]]],
        exceptions: Iterable[CalendarException] = (),
        yearly: Iterable[YearlyException] = (),
        name: str = "Calendar",
    ) -> None:
        if len(week) != 7:
            raise NetworkError(f"calendar {name!r}: week needs 7 days, got {len(week)}")
        self.name = name
        self.week: tuple[tuple[Interval, ...], ...] = tuple(
            _check_intervals(day, f"calendar {name!r} weekday {i}") for i, day in enumerate(week)
        )
        self.exceptions: tuple[CalendarException, ...] = tuple(exceptions)
        self.yearly: tuple[YearlyException, ...] = tuple(yearly)
        self._week_work = tuple(sum(e - s for s, e in day) for day in self.week)
        self._explicit: dict[int, tuple[Interval, ...]] = {}
        for exc in self.exceptions:
            assert exc.end is not None
            for k in range(exc.start.toordinal() - 1, exc.end.toordinal()):
                self._explicit[k] = exc.intervals
        self._yearly_map = {(y.month, y.day): y for y in self.yearly}
        self._special: dict[int, tuple[Interval, ...]] = dict(self._explicit)
        self._years_done: set[int] = set()
        self._lo = 0
        self._hi = 0
        self._cum: list[int] = [0]
        self._cum_np: npt.NDArray[np.int64] = np.zeros(1, dtype=np.int64)
        self._tables: tuple[npt.NDArray[np.int64], ...] | None = None

    # ----------------------------------------------------------------- constructors
    @classmethod
    def standard(cls, name: str = "Standard") -> Calendar:
        """Monday-Friday 08:00-12:00 and 13:00-17:00 (MS Project's Standard calendar)."""
        return cls([_STANDARD_DAY] * 5 + [(), ()], name=name)

    @classmethod
    def twenty_four_hour(cls, name: str = "24 Hours") -> Calendar:
        """Every minute of every day is working time (also used for elapsed durations)."""
        return cls([((0, MINUTES_PER_DAY),)] * 7, name=name)

    @classmethod
    def seven_day(
        cls, intervals: Iterable[Sequence[int]] = _STANDARD_DAY, name: str = "7 Days"
    ) -> Calendar:
        """The same working intervals on all seven days of the week."""
        day = tuple(tuple(i) for i in intervals)
        return cls([day] * 7, name=name)

    # ----------------------------------------------------------------- identity
    def _key(self) -> tuple[object, ...]:
        return (self.week, self.exceptions, self.yearly)

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        return isinstance(other, Calendar) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Calendar({self.name!r}, {sum(self._week_work)} min/week)"

    # ----------------------------------------------------------------- day table
    def day_intervals(self, day: date) -> tuple[Interval, ...]:
        """Working intervals on ``day`` after exceptions are applied."""
        k = day.toordinal() - 1
        self._ensure_day(k)
        return self._intervals(k)

    def _intervals(self, k: int) -> tuple[Interval, ...]:
        got = self._special.get(k)
        return self.week[k % 7] if got is None else got

    def _add_years(self, first: int, last: int) -> None:
        for year in range(first, last + 1):
            if year in self._years_done:
                continue
            self._years_done.add(year)
            for (month, day), y in self._yearly_map.items():
                if not y.first_year <= year <= y.last_year:
                    continue
                try:
                    k = date(year, month, day).toordinal() - 1
                except ValueError:  # 29 February in a common year
                    continue
                if k not in self._explicit:
                    self._special[k] = y.intervals

    def _rebuild(self, lo: int, hi: int) -> None:
        lo, hi = max(lo, 0), min(hi, _MAX_DAY + 1)
        if self._yearly_map:
            self._add_years(date.fromordinal(lo + 1).year, date.fromordinal(hi).year)
        days = np.arange(lo, hi, dtype=np.int64)
        work = np.asarray(self._week_work, dtype=np.int64)[days % 7]
        for k, ivs in self._special.items():
            if lo <= k < hi:
                work[k - lo] = sum(e - s for s, e in ivs)
        cum = np.zeros(hi - lo + 1, dtype=np.int64)
        np.cumsum(work, out=cum[1:])
        if self._hi > self._lo:  # keep W anchored where it was: old cum[0] stays put
            cum -= cum[self._lo - lo] - self._cum[0]
        self._lo, self._hi = lo, hi
        self._cum_np = cum
        self._cum = cum.tolist()
        self._tables = None

    def _ensure_day(self, k: int) -> None:
        if self._lo <= k < self._hi:
            return
        if not 0 <= k <= _MAX_DAY:
            raise InfeasibleError(f"calendar {self.name!r}: date out of range")
        if self._hi == self._lo:
            self._rebuild(k - 800, k + 3000)
            return
        span = max(self._hi - self._lo, 3000)
        lo = min(self._lo, k - span) if k < self._lo else self._lo
        hi = max(self._hi, k + span) if k >= self._hi else self._hi
        self._rebuild(lo, hi)

    def _extend_for(self, x: int, *, upper: bool) -> None:
        """Grow the window until working offset ``x`` is strictly inside it."""
        while True:
            cum = self._cum
            if (cum[0] < x if upper else cum[0] <= x) and (x <= cum[-1] if upper else x < cum[-1]):
                return
            below = x <= cum[0] if upper else x < cum[0]
            if (below and self._lo == 0) or (not below and self._hi > _MAX_DAY):
                raise InfeasibleError(
                    f"calendar {self.name!r} has no working time to reach that date"
                )
            self._ensure_day(self._lo - 1 if below else self._hi)

    # ----------------------------------------------------------------- W and its inverse
    def w_m(self, t: int) -> int:
        """Cumulative working minutes ``W(t)`` up to instant ``t`` (minutes)."""
        k, m = divmod(t, MINUTES_PER_DAY)
        if not self._lo <= k < self._hi:
            self._ensure_day(k)
        w = self._cum[k - self._lo]
        if m:
            for s, e in self._intervals(k):
                if m <= s:
                    break
                w += (m if m < e else e) - s
        return w

    def finish_at_m(self, x: int) -> int:
        """Earliest instant ``u`` with ``W(u) = x`` (ends stay on interval ends)."""
        cum = self._cum
        if not cum[0] < x <= cum[-1]:
            self._extend_for(x, upper=True)
            cum = self._cum
        i = bisect.bisect_left(cum, x) - 1
        k = self._lo + i
        r = x - cum[i]
        for s, e in self._intervals(k):
            if r <= e - s:
                return k * MINUTES_PER_DAY + s + r
            r -= e - s
        raise AssertionError("unreachable: day table out of sync")  # pragma: no cover

    def start_at_m(self, x: int) -> int:
        """Latest instant ``u`` with ``W(u) = x`` (starts snap to the next working minute)."""
        cum = self._cum
        if not cum[0] <= x < cum[-1]:
            self._extend_for(x, upper=False)
            cum = self._cum
        i = bisect.bisect_right(cum, x) - 1
        k = self._lo + i
        r = x - cum[i]
        for s, e in self._intervals(k):
            if r < e - s:
                return k * MINUTES_PER_DAY + s + r
            r -= e - s
        raise AssertionError("unreachable: day table out of sync")  # pragma: no cover

    # ----------------------------------------------------------------- minute operations
    def add_work_m(self, t: int, minutes: int) -> int:
        """``t`` plus ``minutes`` of working time (negative: backwards); ``0`` returns ``t``."""
        if minutes > 0:
            return self.finish_at_m(self.w_m(t) + minutes)
        if minutes < 0:
            return self.start_at_m(self.w_m(t) + minutes)
        return t

    def next_work_start_m(self, t: int) -> int:
        """First working minute at or after ``t``."""
        return self.start_at_m(self.w_m(t))

    def prev_work_end_m(self, t: int) -> int:
        """End of the last working minute at or before ``t``."""
        return self.finish_at_m(self.w_m(t))

    # ----------------------------------------------------------------- datetime API
    def add_work(self, dt: datetime, minutes: int) -> datetime:
        r"""Move ``minutes`` of working time forward from ``dt`` (backward when negative).

        Returns the earliest ``u`` with :math:`W(u) = W(dt) + n` for :math:`n > 0`, the
        latest ``u`` with :math:`W(u) = W(dt) + n` for :math:`n < 0`, and ``dt`` for 0.

        Examples
        --------
        >>> from datetime import datetime
        >>> Calendar.standard().add_work(datetime(2024, 1, 5, 16), 120)   # Friday
        datetime.datetime(2024, 1, 8, 9, 0)
        """
        return from_minutes(self.add_work_m(to_minutes(dt), minutes))

    def subtract_work(self, dt: datetime, minutes: int) -> datetime:
        """Move ``minutes`` of working time backward from ``dt`` (``add_work(dt, -minutes)``).

        Examples
        --------
        >>> from datetime import datetime
        >>> Calendar.standard().subtract_work(datetime(2024, 1, 2, 17), 480)
        datetime.datetime(2024, 1, 2, 8, 0)
        """
        return from_minutes(self.add_work_m(to_minutes(dt), -minutes))

    def work_between(self, a: datetime, b: datetime) -> int:
        """Working minutes from ``a`` to ``b``: :math:`W(b) - W(a)` (negative if ``b < a``)."""
        return self.w_m(to_minutes(b)) - self.w_m(to_minutes(a))

    def next_work_start(self, dt: datetime) -> datetime:
        """``dt`` if it is working time, else the start of the next working interval."""
        return from_minutes(self.next_work_start_m(to_minutes(dt)))

    def prev_work_end(self, dt: datetime) -> datetime:
        """``dt`` if it is working time, else the end of the previous working interval."""
        return from_minutes(self.prev_work_end_m(to_minutes(dt)))

    def is_working(self, dt: datetime) -> bool:
        """Whether the minute starting at ``dt`` is working time."""
        t = to_minutes(dt)
        return self.w_m(t + 1) > self.w_m(t)

    # ----------------------------------------------------------------- vectorised
    def _day_tables(self) -> tuple[npt.NDArray[np.int64], ...]:
        """Lookup tables for :meth:`instants_m`, rebuilt with the window.

        Over the window's *working* days ``j``: ``start[j]``/``end[j]`` (working minutes
        of the window before the day starts/ends), ``base[j]`` (instant of its midnight)
        and ``row[j]`` (its interval pattern). ``lut[(2p + side) * 1441 + r]`` is the
        minute of day of within-day working offset ``r`` in pattern ``p``, and
        ``bucket[b]`` the working day holding the window's working minute ``64 b``.
        """
        if self._tables is None:
            patterns: dict[tuple[Interval, ...], int] = {}
            for day in self.week:
                patterns.setdefault(day, len(patterns))
            special = {k: v for k, v in self._special.items() if self._lo <= k < self._hi}
            for ivs in special.values():
                patterns.setdefault(ivs, len(patterns))
            week_pat = np.array([patterns[d] for d in self.week], dtype=np.int64)
            pat = week_pat[np.arange(self._lo, self._hi) % 7]
            for k, ivs in special.items():
                pat[k - self._lo] = patterns[ivs]
            lut = np.zeros((2 * len(patterns), MINUTES_PER_DAY + 1), dtype=np.int64)
            for ivs, p in patterns.items():
                mins = np.concatenate([np.arange(s, e) for s, e in ivs] or [np.zeros(0, int)])
                lut[2 * p + 1, : mins.size] = mins  # start side: the r-th working minute begins
                lut[2 * p, 1 : mins.size + 1] = mins + 1  # finish side: it ends
            rel = self._cum_np - self._cum_np[0]
            work = np.diff(rel)
            days = np.flatnonzero(work > 0)
            start = rel[days]
            end = start + work[days]
            marks = np.arange(0, int(rel[-1]) + _BUCKET, _BUCKET)
            bucket = np.searchsorted(start, marks, side="right") - 1
            base = (self._lo + days) * MINUTES_PER_DAY
            short = np.array([int(work[days].min(initial=_BUCKET) < _BUCKET)])
            self._tables = (start, end, base, pat[days], lut.ravel(), bucket, short)
        return self._tables

    def instants_m(
        self, x: npt.NDArray[np.int64], start_side: npt.NDArray[np.bool_]
    ) -> npt.NDArray[np.int64]:
        """Vectorised :meth:`start_at_m` (where ``start_side``) / :meth:`finish_at_m`.

        Parameters
        ----------
        x : ndarray of int64
            Working offsets on this calendar's ``W`` scale.
        start_side : ndarray of bool
            ``True`` for the latest instant with ``W = x`` (a start), ``False`` for the
            earliest (a finish).

        Returns
        -------
        ndarray of int64
            Instants in minutes since 0001-01-01.
        """
        if x.size == 0:
            return np.zeros(0, dtype=np.int64)
        self._extend_for(int(x.min()), upper=False)
        self._extend_for(int(x.min()), upper=True)
        self._extend_for(int(x.max()), upper=False)
        self._extend_for(int(x.max()), upper=True)
        start, end, base, row, lut, bucket, short = self._day_tables()
        side = start_side.astype(np.int64)
        # working minute y (0-based in the window) ends at x (finish side) or starts at x
        # (start side); find its working day j: start[j] <= y < end[j]
        y = x + (side - 1 - self._cum[0])
        j = bucket[y >> _BUCKET_BITS]
        j += end[j] <= y
        while short[0] and (end[j] <= y).any():  # days shorter than a bucket
            j += end[j] <= y
        r = y + 1 - side - start[j]
        out: npt.NDArray[np.int64] = base[j] + lut[(2 * row[j] + side) * (MINUTES_PER_DAY + 1) + r]
        return out

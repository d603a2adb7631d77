r"""Split tasks in MSPDI: assignment ``TimephasedData`` to engine splits and back.

MS Project has no task element for a split (a gap inside a task). It shows in the work
of the task's assignments, distributed over time as ``Assignment/TimephasedData``
records (``Type`` 1 remaining work, 2 actual work; ``Start``, ``Finish``, ``Value`` an
ISO duration of work). Across a split the records carry ``Value`` ``PT0H0M0S``, and
records over non-working time carry no ``Value`` at all. MS Project writes these records
also for a task without resources, on an assignment to the null resource (``-65535``).

Reading: on each assignment, a *gap* is a run of zero-work records between two records
with work (records without a value, non-working time, do not break the run). Its length
is the working time of the task's scheduling calendar ``c`` it covers,
:math:`gap = W_c(\text{end}) - W_c(\text{start})`, and it comes after
:math:`work = W_c(\text{start}) - W_c(\text{first work}) - \sum \text{earlier gaps}`
minutes of the task's duration: the engine's
:attr:`~podium.engine.network.Activity.splits`. A task with several assignments keeps
the gaps that all of them share. Leading or trailing zero runs (a delayed or ended
assignment) are not splits.

Writing: :func:`split_records` lays the parts of a split activity out from its start,
one record per calendar day of each part, work in the work parts and ``PT0H0M0S`` in the
gaps, which reads back to the same splits.

Examples
--------
>>> from datetime import datetime
>>> from podium.engine.calendars import Calendar
>>> cal = Calendar.standard()
>>> recs = split_records(datetime(2024, 1, 1, 8), 4 * 480, ((480, 960),), cal)
>>> [(r.start.day, r.finish.day, r.minutes) for r in recs]
[(1, 1, 480), (2, 3, 0), (3, 3, 0), (4, 5, 480), (5, 6, 480), (8, 8, 480)]
>>> splits_of([recs], cal, 4 * 480)
((480, 960),)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from podium.engine.calendars import Calendar

__all__ = ["WORK_TYPES", "Record", "split_records", "splits_of"]

WORK_TYPES = frozenset({1, 2})
"""``TimephasedData/Type`` codes of assignment work: 1 remaining, 2 actual."""


@dataclass(frozen=True, slots=True)
class Record:
    """One timephased work record: ``minutes`` of work, ``None`` for no value."""

    start: datetime
    finish: datetime
    minutes: int | None


def _gaps_of(records: Iterable[Record], cal: Calendar) -> list[tuple[datetime, datetime]]:
    """The zero-work runs between records with work, as (start, end) instants."""
    gaps: list[tuple[datetime, datetime]] = []
    seen_work = False
    run: tuple[datetime, datetime] | None = None
    for rec in sorted(records, key=lambda x: (x.start, x.finish)):
        if rec.minutes is None:
            continue
        if rec.minutes == 0:
            if seen_work:
                run = (run[0] if run else rec.start, rec.finish)
            continue
        if run is not None and cal.work_between(run[0], run[1]) > 0:
            gaps.append(run)
        run = None
        seen_work = True
    return gaps


def _first_work(records: Iterable[Record]) -> datetime | None:
    starts = [r.start for r in records if r.minutes]
    return min(starts) if starts else None


def splits_of(
    assignments: Sequence[Sequence[Record]], cal: Calendar, duration_minutes: int
) -> tuple[tuple[int, int], ...]:
    """The task's splits from its assignments' work records (see the module notes).

    Parameters
    ----------
    assignments : sequence of sequences of Record
        The work records of each assignment of the task.
    cal : Calendar
        The calendar the task is scheduled on.
    duration_minutes : int
        The task's duration; a split not strictly inside it is dropped.

    Returns
    -------
    tuple of (int, int)
        ``(work, gap)`` pairs in working minutes of ``cal``, by increasing ``work``.
    """
    found: list[set[tuple[int, int]]] = []
    for records in assignments:
        begin = _first_work(records)
        if begin is None:
            continue
        pairs: set[tuple[int, int]] = set()
        before = 0
        for s, e in _gaps_of(records, cal):
            gap = cal.work_between(s, e)
            work = cal.work_between(begin, s) - before
            pairs.add((work, gap))
            before += gap
        found.append(pairs)
    if not found:
        return ()
    common = set.intersection(*found)
    out: list[tuple[int, int]] = []
    for work, gap in sorted(common):
        if out and work <= out[-1][0]:
            continue
        if 0 < work < duration_minutes and gap > 0:
            out.append((work, gap))
    return tuple(out)


def _by_day(start: datetime, end: datetime, minutes: int | None, cal: Calendar) -> list[Record]:
    """``[start, end)`` cut at midnights; ``minutes`` of work spread by working time."""
    out: list[Record] = []
    t = start
    while t < end:
        nxt = min(end, datetime.combine(t.date() + timedelta(days=1), datetime.min.time()))
        work = cal.work_between(t, nxt)
        if work:
            out.append(Record(t, nxt, None if minutes is None else (work if minutes else 0)))
        t = nxt
    return out


def split_records(
    start: datetime, duration_minutes: int, splits: Sequence[tuple[int, int]], cal: Calendar
) -> list[Record]:
    """Work records of a split activity from ``start`` on ``cal`` (one per day and part).

    Work parts carry their working minutes; gaps carry ``0``. Days without working time
    get no record.
    """
    out: list[Record] = []
    t = cal.next_work_start(start)
    done = 0
    for work, gap in (*splits, (duration_minutes, 0)):
        stop = cal.add_work(t, work - done)
        out.extend(_by_day(t, stop, work - done, cal))
        done = work
        if gap:
            resume = cal.add_work(stop, gap)
            out.extend(_by_day(stop, resume, 0, cal))
            t = cal.next_work_start(resume)
    return out

r"""The forward pass of :mod:`podium.engine.cpm_general`, vectorised across iterations.

Every activity's dates are rows of ``N`` instants (one per iteration); activities are
visited once, in the general scheduler's topological order, and every formula of its
forward pass (project-start and data-date floors, link types and lags on the lag
calendar, FF/SF floors :math:`\ominus d`, SNET/FNET/MSO/MFO and mandatory constraints,
progress, splits, start and finish milestones, summaries, levels of effort, P6's kept
finishes) is applied to whole rows with numpy. The durations differ per iteration;
where one is zero in an iteration the activity behaves as a milestone there, as the
scalar scheduler would.

Working time is looked up in per-calendar tables built once for the window of dates the
simulation reaches (:class:`CalendarTable`): ``W`` at every minute of the window and the
instant of every working minute, so :math:`W(t)`, "earliest instant with
:math:`W = x`" (a finish) and "latest instant with :math:`W = x`" (a start) are single
array lookups; the window grows when an iteration runs past it.

Criticality (per iteration) follows the driving links back from the activities that
finish last: an activity is critical in an iteration when a chain of driving links
(a link whose bound equals the successor's date in the successor's working time, as
:class:`~podium.engine.results.ScheduleResult` defines them) leads from it to an
activity finishing at the project finish; a summary passes criticality to the children
that set its finish, and is critical when one of those is (its float is that of its
latest finish). Without deadlines or late constraints this is exactly zero total
float; activities made critical only by a deadline or a must-finish-by date are not
flagged. Completed activities and levels of effort are never critical.

Not simulated: ALAP (moves the shown dates within free float, never the project
finish, so it is ignored) and float calendars (they only change how float is measured).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np
import numpy.typing as npt

from podium.engine.calendars import MINUTES_PER_DAY, Calendar, to_minutes
from podium.engine.cpm_general import (
    _EARLY_DATED,
    _FF,
    _FS,
    _HARD_FINISH,
    _HARD_START,
    _SS,
    _gaps,
    _Plan,
    _remaining,
)
from podium.engine.errors import InfeasibleError
from podium.engine.network import Network, ScheduleOptions

__all__ = ["CalendarTable", "ForwardPass", "PassResult"]

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
Bool = npt.NDArray[np.bool_]
_NEG = -(1 << 60)
_MAX_SPAN_DAYS = 200 * 366


def _copy(x: I64, out: I64 | None) -> I64:
    if out is None:
        return x
    out[:] = x
    return out


class CalendarTable:
    r"""Vectorised working-time arithmetic for one calendar over a window of days.

    ``W[t - t0]`` is :math:`W(t)` for every minute of the window (on the calendar's own
    anchor, so values stay valid when the window grows) and ``P[j]`` the instant the
    ``j``-th working minute of the window begins:
    ``start_at(x) = P[x - W(t0)]`` (latest instant with :math:`W = x`) and
    ``finish_at(x) = P[x - W(t0) - 1] + 1`` (earliest).

    Examples
    --------
    >>> from datetime import datetime
    >>> cal = Calendar.standard()
    >>> t = to_minutes(datetime(2024, 1, 5, 16))
    >>> tab = CalendarTable(cal, t, t + 10_000)
    >>> x = tab.w(np.array([t])) + 120
    >>> bool(tab.finish_at(x)[0] == cal.add_work_m(t, 120))
    True
    """

    def __init__(self, cal: Calendar, lo: int, hi: int) -> None:
        self.cal = cal
        self.identity = all(day == ((0, MINUTES_PER_DAY),) for day in cal.week) and not (
            cal.exceptions or cal.yearly
        )
        self._build(lo // MINUTES_PER_DAY - 1, hi // MINUTES_PER_DAY + 2)

    def _build(self, k0: int, k1: int) -> None:
        if k1 - k0 > _MAX_SPAN_DAYS:
            raise InfeasibleError(
                f"calendar {self.cal.name!r} has no working time to reach that date"
            )
        self.k0, self.k1 = k0, k1
        if self.identity:
            return
        t0 = k0 * MINUTES_PER_DAY
        mask = np.zeros((k1 - k0) * MINUTES_PER_DAY, dtype=bool)
        for k in range(k0, k1):
            off = (k - k0) * MINUTES_PER_DAY
            for s, e in self.cal.day_intervals(date.fromordinal(k + 1)):
                mask[off + s : off + e] = True
        w = np.empty(mask.size + 1, dtype=np.int64)
        w[0] = self.cal.w_m(t0)
        np.cumsum(mask, out=w[1:])
        w[1:] += w[0]
        self.t0 = t0
        self.W = w
        self.P = np.flatnonzero(mask).astype(np.int64) + t0
        self.x0 = int(w[0])

    def _grow(self, below: bool) -> None:
        span = self.k1 - self.k0
        if below:
            self._build(self.k0 - span, self.k1)
        else:
            self._build(self.k0, self.k1 + span)

    def w(self, t: I64) -> I64:
        """:math:`W(t)` for each instant of ``t``."""
        if self.identity:
            return t
        i = t - self.t0
        while i.size and (int(i.min()) < 0 or int(i.max()) >= self.W.size):
            self._grow(below=int(i.min()) < 0)
            i = t - self.t0
        return np.take(self.W, i)

    def start_at(self, x: I64, out: I64 | None = None) -> I64:
        """Latest instant with :math:`W = x` (a start: the next working minute)."""
        if self.identity:
            return _copy(x, out)
        j = x - self.x0
        while j.size and (int(j.min()) < 0 or int(j.max()) >= self.P.size):
            self._grow(below=int(j.min()) < 0)
            j = x - self.x0
        return np.take(self.P, j, out=out)

    def finish_at(self, x: I64, out: I64 | None = None) -> I64:
        """Earliest instant with :math:`W = x` (a finish: the end of a working minute)."""
        if self.identity:
            return _copy(x, out)
        j = x - (self.x0 + 1)
        while j.size and (int(j.min()) < 0 or int(j.max()) >= self.P.size):
            self._grow(below=int(j.min()) < 0)
            j = x - (self.x0 + 1)
        got = np.take(self.P, j, out=out)
        got += 1
        return got

    def add(self, t: I64, n: I64 | int) -> I64:
        """``t`` plus ``n`` working minutes elementwise (``add_work_m``; 0 keeps ``t``)."""
        if isinstance(n, int):
            if n == 0:
                return t
            x = self.w(t) + n
            return self.finish_at(x) if n > 0 else self.start_at(x)
        x = self.w(t) + n
        out = t.copy()
        for mask, at in ((n > 0, self.finish_at), (n < 0, self.start_at)):
            if mask.all():
                return at(x)
            if mask.any():
                out[mask] = at(x[mask])
        return out

    def next_start(self, t: I64) -> I64:
        """First working minute at or after ``t``."""
        return self.start_at(self.w(t))


class PassResult:
    """Dates per activity and iteration from :meth:`ForwardPass.run`.

    ``start``/``finish`` are ``(n, N)`` instants, ``project_finish`` ``(N,)`` and
    ``critical`` ``(n, N)`` booleans (see the module notes).
    """

    def __init__(self, start: I64, finish: I64, project_finish: I64, critical: Bool) -> None:
        self.start = start
        self.finish = finish
        self.project_finish = project_finish
        self.critical = critical


class ForwardPass:
    """The network compiled once; :meth:`run` schedules a block of iterations.

    Parameters
    ----------
    net : Network
    opts : ScheduleOptions
    horizon : tuple of int
        Instants the window of the calendar tables should cover at first (it grows on
        demand).
    """

    def __init__(self, net: Network, opts: ScheduleOptions, horizon: tuple[int, int]) -> None:
        self.net = net
        self.opts = opts
        self.plan = plan = _Plan(net, opts)
        self._tables: dict[int, CalendarTable] = {}
        self._horizon = horizon
        self.ps = to_minutes(net.project_start)
        self.dd = None if net.data_date is None else to_minutes(net.data_date)
        acts = plan.acts
        self.started = [a.actual_start is not None for a in acts]
        self.complete = [a.actual_finish is not None for a in acts]
        # deterministic remaining work and the split gaps behind/ahead of the work done
        self.rem_work: list[int] = []
        self.behind: list[int] = []
        self.ahead: list[int] = []
        for u, a in enumerate(acts):
            work = _remaining(a, self.dd, plan.cals[u])
            done = max(0, a.duration_minutes - work) if self.started[u] else 0
            behind, ahead = _gaps(a, done)
            self.rem_work.append(work)
            self.behind.append(behind)
            self.ahead.append(ahead)

    def table(self, cal: Calendar) -> CalendarTable:
        """The (shared) lookup table of ``cal``."""
        got = self._tables.get(id(cal))
        if got is None:
            got = self._tables[id(cal)] = CalendarTable(cal, *self._horizon)
        return got

    def remaining(self, u: int, total: F64) -> I64:
        r"""Remaining work of ``u`` per iteration for sampled total durations ``total``:
        the deterministic remaining work scaled by :math:`total / d_{orig}`
        (the whole duration when not started)."""
        a = self.plan.acts[u]
        orig, rem = a.duration_minutes, self.rem_work[u]
        if not self.started[u]:
            out = np.rint(total)
            np.maximum(out, 0, out=out)
            return out.astype(np.int64)
        scaled = total - orig + rem if orig == 0 else total * rem / orig
        return np.maximum(np.rint(scaled), 0).astype(np.int64)

    def run(
        self,
        work: Callable[[int], I64 | None],
        size: int,
        tick: Callable[[float], None] | None = None,
    ) -> PassResult:
        """Schedule ``size`` iterations; ``work(u)`` gives the remaining work of ``u`` per
        iteration (``None``: the deterministic remaining work)."""
        plan, opts = self.plan, self.opts
        acts, cals, order = plan.acts, plan.cals, plan.order
        n = len(acts)
        ps, dd = self.ps, self.dd
        override = opts.progress == "progress_override"
        p6 = opts.convention == "p6"
        start = np.empty((n, size), dtype=np.int64)
        finish = np.empty((n, size), dtype=np.int64)
        es_started: dict[int, I64] = {}
        drive: list[list[tuple[int, Bool]]] = [[] for _ in range(n)]
        step = max(1, n // 50)
        for pos, u in enumerate(order):
            if tick is not None and pos % step == 0:
                tick(pos / n)
            a = acts[u]
            if plan.is_sum[u]:
                ch = plan.children[u]
                start[u] = start[ch].min(axis=0)
                finish[u] = finish[ch].max(axis=0)
                continue
            if a.actual_finish is not None:
                assert a.actual_start is not None
                start[u] = to_minutes(a.actual_start)
                finish[u] = to_minutes(a.actual_finish)
                continue
            c = cals[u]
            tab = self.table(c)
            started = self.started[u]
            w = work(u)
            if w is None:
                w = np.full(size, self.rem_work[u], dtype=np.int64)
            d = w + self.ahead[u] if self.ahead[u] else w
            floor_s = c.next_work_start_m(ps)
            if not p6 and not started and a.constraint_type in _EARLY_DATED:
                floor_s = _NEG
            resume = floor_s
            if started and (self.behind[u] or (dd is None and not p6)):
                assert a.actual_start is not None
                done = max(0, a.duration_minutes - self.rem_work[u])
                resume = c.add_work_m(
                    c.next_work_start_m(to_minutes(a.actual_start)), done + self.behind[u]
                )
            if dd is not None:
                floor_s = max(floor_s, c.next_work_start_m(dd), resume)
            elif started and not p6:
                floor_s = resume
            floor: I64 | None = None
            ffloor: I64 | None = None
            cands: list[tuple[int, int, I64]] = []
            if not (started and override):
                for e in plan.preds[u]:
                    base = finish[e.pred] if e.type in (_FS, _FF) else start[e.pred]
                    if p6 and dd is not None and self.complete[e.pred]:
                        base = np.minimum(base, dd)
                    if e.lag == 0:
                        t = base
                    elif e.cal is None:
                        t = base + e.lag
                    else:
                        t = self.table(e.cal).add(base, e.lag)
                    cands.append((e.pred, e.type, t))
                    if e.type <= _SS:
                        if floor is None:
                            floor = np.maximum(t, floor_s)
                        else:
                            np.maximum(floor, t, out=floor)
                    elif ffloor is None:
                        ffloor = t.copy()
                    else:
                        np.maximum(ffloor, t, out=ffloor)
            if floor is None:
                floor = np.full(size, floor_s, dtype=np.int64)
            if ffloor is not None:
                np.maximum(floor, tab.add(ffloor, -d), out=floor)
            if not started and a.constraint_date is not None:
                cd = to_minutes(a.constraint_date)
                ct = a.constraint_type
                cdv = np.full(size, cd, dtype=np.int64)
                if ct == "SNET":
                    np.maximum(floor, cd, out=floor)
                elif ct == "FNET":
                    np.maximum(floor, tab.add(cdv, -d), out=floor)
                elif ct in _HARD_START or ct in _HARD_FINISH:
                    floor = cdv if ct in _HARD_START else tab.add(cdv, -d)
                    if p6 and dd is not None:
                        floor = np.maximum(floor, c.next_work_start_m(dd))
            wf = tab.w(floor)
            dmin = int(d.min())
            es = start[u] if a.actual_start is None else np.empty(size, dtype=np.int64)
            ef = finish[u]
            if dmin > 0:  # a task in every iteration: ES = next start, EF = ES (+) d
                w_ef = wf + d
                tab.start_at(wf, out=es)
                tab.finish_at(w_ef, out=ef)
            elif int(d.max()) == 0:  # a milestone in every iteration
                w_ef = wf
                if a.start_milestone:
                    tab.start_at(wf, out=es)
                else:
                    es[:] = floor
                ef[:] = es
            else:
                task = d > 0
                w_ef = wf + d
                st = tab.start_at(wf)
                fi = tab.finish_at(np.where(task, w_ef, wf + 1))
                es[:] = st if a.start_milestone else np.where(task, st, floor)
                ef[:] = np.where(task, fi, es)
            if p6 and ffloor is not None:
                kept = (ffloor > ef) & (d > 0) & (tab.w(ffloor) == w_ef)
                kept &= tab.next_start(ffloor) == ffloor
                np.copyto(ef, ffloor, where=kept)
            if a.actual_start is not None:
                start[u] = to_minutes(a.actual_start)
                es_started[u] = es
            if cands:
                # driving links, in working time of ``u``: W(t) >= x exactly when t is at
                # or after the earliest instant with W = x, finish_at(x); W(ES) = W(floor)
                thr_s = thr_f = None
                for p, typ, t in cands:
                    if typ <= _SS:
                        if thr_s is None:
                            thr_s = tab.finish_at(wf)
                        drive[u].append((p, t >= thr_s))
                    else:
                        if thr_f is None:
                            exact = dmin > 0 and not (p6 and ffloor is not None)
                            thr_f = ef.copy() if exact else tab.finish_at(w_ef)
                        drive[u].append((p, t >= thr_f))
        self._level_of_effort(start, finish, es_started)
        leaf = [u for u in range(n) if not plan.is_sum[u]]
        pf = finish[leaf].max(axis=0) if leaf else np.full(size, ps, dtype=np.int64)
        crit = self._critical(finish, pf, drive)
        return PassResult(start, finish, pf, crit)

    def _level_of_effort(self, start: I64, finish: I64, es_started: dict[int, I64]) -> None:
        """A level of effort spans to its successors (as the general scheduler)."""
        plan = self.plan
        for u in range(len(plan.acts)):
            if not plan.is_loe[u] or self.complete[u]:
                continue
            bounds = []
            for e in plan.loe_out[u]:
                if e.type not in (_FS, _FF):
                    continue
                base = es_started.get(e.succ, start[e.succ]) if e.type == _FS else finish[e.succ]
                if e.lag == 0:
                    bounds.append(base)
                elif e.cal is None:
                    bounds.append(base - e.lag)
                else:
                    bounds.append(self.table(e.cal).add(base, -e.lag))
            if bounds:
                es = es_started.get(u, start[u])
                finish[u] = np.maximum(es, np.max(bounds, axis=0))

    def _critical(self, finish: I64, pf: I64, drive: list[list[tuple[int, Bool]]]) -> Bool:
        """Criticality per iteration by the driving chains back from the project finish."""
        plan = self.plan
        n = len(plan.acts)
        crit = np.zeros((n, pf.size), dtype=bool)
        for u in range(n):
            if not plan.is_sum[u] and not self.complete[u] and not plan.is_loe[u]:
                crit[u] = finish[u] == pf
        for u in reversed(plan.order):
            row = crit[u]
            if plan.is_sum[u]:
                for ch in plan.children[u]:
                    crit[ch] |= row & (finish[ch] == finish[u])
                continue
            if not row.any():
                continue
            for p, mask in drive[u]:
                crit[p] |= row & mask
        for u in plan.order:  # children before their summary
            if self.complete[u] or plan.is_loe[u]:
                crit[u] = False
            elif plan.is_sum[u]:
                kids = plan.children[u]
                crit[u] = (crit[kids] & (finish[kids] == finish[u])).any(axis=0)
        return crit

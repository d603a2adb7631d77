r"""The general critical-path method: any calendars, constraints, progress, summaries.

One Python loop per pass over a topological order (Kahn's algorithm). Instants are
integer minutes (:func:`~podium.engine.calendars.to_minutes`); every duration and
working-time lag goes through the right calendar's ``W`` (see
:mod:`podium.engine.calendars`).

Forward pass, for activity ``j`` with duration ``d`` on calendar ``c``:

.. math::

    S_j &= \max\bigl(P,\ \max_{i \to j \in FS} (EF_i \oplus lag),
          \ \max_{i \to j \in SS} (ES_i \oplus lag),
          \ \max_{i \to j \in FF,SF} ((\cdot) \oplus lag) \ominus_c d\bigr) \\
    ES_j &= \text{next\_work\_start}_c(S_j), \qquad EF_j = ES_j \oplus_c d

where :math:`\oplus` adds working (or elapsed) time and ``P`` is the project start
(or the data date for remaining work). Under ``convention="msproject"`` the project start
does not floor a task with an SNET/FNET/MSO/MFO constraint (its constraint date may lie
before it), and without a data date the remaining work of a started task resumes at
:math:`P = AS \oplus_c (d_{orig} - d_{rem})`, so it finishes at :math:`AS \oplus_c d_{orig}`
when on plan. The backward pass mirrors it from the project
finish with :math:`\ominus`. Summary activities roll up: :math:`ES = \min` of the
children's starts, :math:`EF = \max` of their finishes; a link into a summary applies
to each of its leaf descendants, a link out of it leaves from the rolled-up dates.

A split activity (:attr:`~podium.engine.network.Activity.splits`) runs its gaps as part
of its span: ``d`` above is :math:`d_{rem} + \sum gap` over the gaps still ahead of the
work done, and a started one resumes no earlier than
:math:`AS \oplus_c (done + \sum_{work \le done} gap)`.

Total and free float are measured on the activity's calendar ``c``,
:math:`TF = W_c(LF) - W_c(EF)`, or on its ``float_calendar`` ``f`` when it has one
(MS Project: slack on the task's own calendar while the task runs on its resource's):
:math:`TF = \min(W_f(LS) - W_f(ES),\ W_f(LF) - W_f(EF))`, only the finish slack once
started.

Known simplifications: an SNLT/FNLT constraint only lowers late dates (P6 behaviour);
ALAP moves the shown start/finish by the free float (``convention="p6"`` moves the
early dates, see :class:`~podium.engine.network.ScheduleOptions`); a level-of-effort
activity spans from its predecessors' to its successors' dates and has zero float;
SS/SF links out of a summary bound each child's late start in the backward pass
(conservative).

``convention="p6"`` backward pass around progress: under retained logic a completed
activity still bounds its open predecessors through its links, its late dates being
:math:`\max(DD, \min \text{its successors' bounds})`; under progress override a started
activity still bounds its predecessors through FF/SF links (its finish), not FS/SS, and
a completed one not at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from podium.engine.calendars import Calendar, to_minutes
from podium.engine.errors import NetworkError
from podium.engine.network import Activity, ConstraintType, Network, ScheduleOptions
from podium.engine.results import ScheduleResult
from podium.engine.topology import topological_order

__all__ = ["ELAPSED", "schedule_general"]

ELAPSED = Calendar.twenty_four_hour("Elapsed")
_INF = 1 << 62
_FS, _SS, _FF, _SF = 0, 1, 2, 3
_HARD_START = (ConstraintType.MSO, ConstraintType.MANDATORY_START)
_HARD_FINISH = (ConstraintType.MFO, ConstraintType.MANDATORY_FINISH)
_EARLY_DATED = (ConstraintType.SNET, ConstraintType.FNET, *_HARD_START, *_HARD_FINISH)


@dataclass(frozen=True, slots=True)
class _Edge:
    pred: int
    succ: int
    type: int
    lag: int
    cal: Calendar | None  # None: elapsed minutes


def _shift(t: int, lag: int, cal: Calendar | None) -> int:
    if lag == 0:
        return t
    return t + lag if cal is None else cal.add_work_m(t, lag)


class _Plan:
    """Everything the passes need, derived once from the network."""

    def __init__(self, net: Network, opts: ScheduleOptions) -> None:
        acts = net.activities
        n = len(acts)
        self.acts = acts
        self.cals = [ELAPSED if a.elapsed else net.calendar_of(a) for a in acts]
        parent = net.parent_index.tolist()
        self.children: list[list[int]] = [[] for _ in range(n)]
        for i, p in enumerate(parent):
            if p >= 0:
                self.children[p].append(i)
        self.is_sum = [bool(self.children[i]) for i in range(n)]
        self.is_loe = [a.kind == "loe" for a in acts]
        self.preds: list[list[_Edge]] = [[] for _ in range(n)]
        self.succs: list[list[_Edge]] = [[] for _ in range(n)]
        self.loe_out: list[list[_Edge]] = [[] for _ in range(n)]
        self._leaves: dict[int, list[int]] = {}
        types = net.link_type.tolist()
        lags = net.link_lag.tolist()
        for k, (p, s) in enumerate(
            zip(net.link_pred.tolist(), net.link_succ.tolist(), strict=True)
        ):
            self._check_not_nested(p, s, parent, net)
            lag = lags[k]
            for t in self.leaves(s) if self.is_sum[s] else [s]:
                e = _Edge(p, t, types[k], lag, self._lag_cal(net, opts, k, p, t))
                if self.is_loe[p]:
                    self.loe_out[p].append(e)
                    continue
                self.preds[t].append(e)
                self.succs[p].append(e)
        src = [e.pred for lst in self.preds for e in lst]
        dst = [e.succ for lst in self.preds for e in lst]
        for i, p in enumerate(parent):
            if p >= 0:  # roll-up: a summary comes after its children
                src.append(i)
                dst.append(p)
        self.order = topological_order(n, src, dst, [a.id for a in acts])

    def leaves(self, i: int) -> list[int]:
        got = self._leaves.get(i)
        if got is None:
            got = []
            for ch in self.children[i]:
                got.extend(self.leaves(ch) if self.is_sum[ch] else [ch])
            self._leaves[i] = got
        return got

    def _lag_cal(
        self, net: Network, opts: ScheduleOptions, k: int, p: int, s: int
    ) -> Calendar | None:
        if net.links[k].lag_kind == "elapsed":
            return None
        where = opts.lag_calendar
        if where == "24h":
            return ELAPSED
        if where == "project":
            return net.default_calendar
        return self.cals[p] if where == "predecessor" else self.cals[s]

    @staticmethod
    def _check_not_nested(p: int, s: int, parent: list[int], net: Network) -> None:
        for a, b in ((p, s), (s, p)):
            u = parent[a]
            while u >= 0:
                if u == b:
                    raise NetworkError(
                        f"link {net.activities[p].id} -> {net.activities[s].id}: "
                        "links between a summary and its own activities are not allowed"
                    )
                u = parent[u]


def _remaining(a: Activity, dd: int | None, cal: Calendar) -> int:
    """Remaining work in minutes (the gaps of a split activity not included)."""
    if a.actual_start is None:
        return a.duration_minutes
    if a.remaining_minutes is not None:
        return int(a.remaining_minutes)
    if a.percent_complete is not None:
        return round(a.duration_minutes * (1 - a.percent_complete / 100))
    if dd is None:
        return a.duration_minutes
    ran = cal.w_m(dd) - cal.w_m(to_minutes(a.actual_start))
    return max(0, a.duration_minutes - _work_done(max(ran, 0), a.splits))


def _work_done(ran: int, splits: tuple[tuple[int, int], ...]) -> int:
    """Work done after ``ran`` working minutes on plan: the gaps passed do not count."""
    work = pos = 0  # work done and working time used at the last split passed
    for off, gap in splits:
        if ran <= pos + off - work:
            break
        pos += off - work
        work = off
        if ran <= pos + gap:
            return work  # inside the gap
        pos += gap
    return work + ran - pos


def _gaps(a: Activity, done: int) -> tuple[int, int]:
    r"""Gap minutes of ``a`` behind and ahead of ``done`` minutes of work.

    A gap after :math:`work \le done` is behind (history, or the wait before the
    remaining work resumes); one after :math:`work > done` still lies in the span.
    """
    behind = sum(gap for off, gap in a.splits if off <= done)
    return behind, sum(gap for _, gap in a.splits) - behind


def schedule_general(net: Network, opts: ScheduleOptions) -> ScheduleResult:
    """Schedule ``net`` with the general per-activity algorithm (see module notes)."""
    plan = _Plan(net, opts)
    acts, cals, order = plan.acts, plan.cals, plan.order
    n = len(acts)
    ps = to_minutes(net.project_start)
    dd = None if net.data_date is None else to_minutes(net.data_date)
    override = opts.progress == "progress_override"
    p6 = opts.convention == "p6"
    start = [0] * n  # shown start (actual where started)
    finish = [0] * n
    es = [0] * n  # remaining early start
    ef = [0] * n
    rem = [0] * n
    complete = [a.actual_finish is not None for a in acts]
    for u in order:
        a = acts[u]
        if plan.is_sum[u]:
            ch = plan.children[u]
            start[u] = es[u] = min(start[c] for c in ch)
            finish[u] = ef[u] = max(finish[c] for c in ch)
            complete[u] = all(complete[c] for c in ch)
            continue
        if a.actual_finish is not None:
            assert a.actual_start is not None
            start[u] = es[u] = to_minutes(a.actual_start)
            finish[u] = ef[u] = to_minutes(a.actual_finish)
            continue
        c = cals[u]
        started = a.actual_start is not None
        work = _remaining(a, dd, c)
        done = max(0, a.duration_minutes - work) if started else 0
        behind, ahead = _gaps(a, done)
        d = rem[u] = work + ahead  # the span still to run: remaining work and its gaps
        floor = c.next_work_start_m(ps)
        if not p6 and not started and a.constraint_type in _EARLY_DATED:
            floor = -_INF  # MS Project: the constraint date, not the project start, floors it
        resume = floor
        if started and (behind or (dd is None and not p6)):
            assert a.actual_start is not None  # resume after the work done and its gaps
            resume = c.add_work_m(c.next_work_start_m(to_minutes(a.actual_start)), done + behind)
        if dd is not None:
            floor = max(floor, c.next_work_start_m(dd), resume)
        elif started and not p6:  # MS Project: resume after the work already done
            floor = resume
        ffloor = -_INF
        if not (started and override):
            for e in plan.preds[u]:
                base = finish[e.pred] if e.type in (_FS, _FF) else start[e.pred]
                if p6 and dd is not None and complete[e.pred]:
                    base = min(base, dd)  # P6: actual dates past the data date don't count
                t = _shift(base, e.lag, e.cal)
                if e.type <= _SS:
                    floor = max(floor, t)
                else:
                    ffloor = max(ffloor, t)
        if ffloor > -_INF:
            floor = max(floor, c.add_work_m(ffloor, -d))
        if not started and a.constraint_date is not None:
            cd = to_minutes(a.constraint_date)
            ct = a.constraint_type
            if ct is ConstraintType.SNET:
                floor = max(floor, cd)
            elif ct is ConstraintType.FNET:
                floor = max(floor, c.add_work_m(cd, -d))
            elif ct in _HARD_START or ct in _HARD_FINISH:
                floor = cd if ct in _HARD_START else c.add_work_m(cd, -d)
                if p6 and dd is not None:  # P6: never before the data date
                    floor = max(floor, c.next_work_start_m(dd))
        if d > 0:
            es[u] = c.next_work_start_m(floor)
            ef[u] = c.add_work_m(es[u], d)
            if p6 and ffloor > ef[u] and _kept(c, ffloor, ef[u], start_side=True):
                ef[u] = ffloor  # P6 keeps a finish that lands on a working start
        elif a.start_milestone:
            es[u] = ef[u] = c.next_work_start_m(floor)
        else:
            es[u] = ef[u] = floor
        assert a.actual_start is not None or not started
        start[u] = to_minutes(a.actual_start) if a.actual_start is not None else es[u]
        finish[u] = ef[u]
    for u in range(n):  # a level of effort spans to its successors
        if plan.is_loe[u] and not complete[u]:
            bounds = [
                _shift(es[e.succ] if e.type == _FS else ef[e.succ], -e.lag, e.cal)
                for e in plan.loe_out[u]
                if e.type in (_FS, _FF)
            ]
            if bounds:
                finish[u] = ef[u] = max(es[u], *bounds)
    pf = max((finish[u] for u in range(n) if not plan.is_sum[u]), default=ps)
    late_end = pf if net.must_finish_by is None else to_minutes(net.must_finish_by)
    ls, lf = _backward(plan, es, ef, rem, complete, late_end, override, dd if p6 else None, p6)
    if p6:
        _alap_p6(plan, start, finish, es, ef, lf, rem, complete, pf)
    return _finish(net, opts, plan, start, finish, es, ef, ls, lf, rem, complete, pf)


def _work(cal: Calendar | None, a: int, b: int) -> int:
    """Minutes from ``a`` to ``b``: working minutes of ``cal``, elapsed for ``None``."""
    return b - a if cal is None else cal.w_m(b) - cal.w_m(a)


def _kept(c: Calendar, t: int, snapped: int, *, start_side: bool) -> bool:
    """Whether P6 keeps instant ``t`` instead of ``snapped``, the same working offset."""
    if c.w_m(t) != c.w_m(snapped):
        return False
    return (c.next_work_start_m(t) if start_side else c.prev_work_end_m(t)) == t


def _backward(
    plan: _Plan,
    es: list[int],
    ef: list[int],
    rem: list[int],
    complete: list[bool],
    pf: int,
    override: bool,
    dd: int | None,
    p6: bool,
) -> tuple[list[int], list[int]]:
    """Late dates; ``dd`` (P6 only) shortens start-type lags already run by progress."""
    acts, cals = plan.acts, plan.cals
    n = len(acts)
    lfc = [_INF] * n
    lsc = [_INF] * n
    ls = list(es)
    lf = list(ef)
    for u in reversed(plan.order):
        if plan.is_sum[u]:
            for ch in plan.children[u]:
                lfc[ch] = min(lfc[ch], lfc[u])
                lsc[ch] = min(lsc[ch], lsc[u])
            continue
        if complete[u] and dd is not None and not override and not plan.is_loe[u]:
            _bound_by_done(plan, u, dd, complete, lfc, lsc, pf)
            continue
        if complete[u] or plan.is_loe[u]:
            continue
        a, c, d = acts[u], cals[u], rem[u]
        ceil = min(pf, lfc[u])
        if lsc[u] < _INF:
            ceil = min(ceil, c.add_work_m(lsc[u], d))
        ct = a.constraint_type
        if a.constraint_date is not None and a.actual_start is None:
            cd = to_minutes(a.constraint_date)
            if ct is ConstraintType.SNLT:
                ceil = min(ceil, c.add_work_m(cd, d))
            elif ct is ConstraintType.FNLT:
                ceil = min(ceil, cd)
        if a.deadline is not None:
            ceil = min(ceil, to_minutes(a.deadline))
        hard = a.actual_start is None and ct in (*_HARD_START, *_HARD_FINISH)
        if hard and p6:  # the constraint date, not the (data-date floored) early dates
            assert a.constraint_date is not None
            cd = to_minutes(a.constraint_date)
            ceil = cd if ct in _HARD_FINISH else c.add_work_m(cd, d)
        if hard and not p6:
            ls[u], lf[u] = es[u], ef[u]
        elif d > 0:
            lf[u] = c.prev_work_end_m(ceil)
            ls[u] = c.add_work_m(lf[u], -d)
            if p6 and not hard and lsc[u] < ls[u] and _kept(c, lsc[u], ls[u], start_side=False):
                ls[u] = lsc[u]  # P6 keeps a late start that lands on a working end
        elif a.start_milestone:
            ls[u] = lf[u] = ceil
        else:
            ls[u] = lf[u] = c.prev_work_end_m(ceil) if p6 else ceil
        held = override and a.actual_start is not None
        if held and not p6:
            continue
        for e in plan.preds[u]:
            if held and e.type <= _SS:
                continue  # P6 override: a started activity's finish links still bind
            lag = _open_lag(plan, e, dd)
            t = _shift(ls[u] if e.type in (_FS, _SS) else lf[u], -lag, e.cal)
            if e.type in (_FS, _FF):
                lfc[e.pred] = min(lfc[e.pred], t)
            else:
                lsc[e.pred] = min(lsc[e.pred], t)
    return ls, lf


def _bound_by_done(
    plan: _Plan,
    u: int,
    dd: int,
    complete: list[bool],
    lfc: list[int],
    lsc: list[int],
    pf: int,
) -> None:
    r"""P6 (retained logic): a completed activity still bounds its open predecessors.

    Its late dates are those of a zero-length remainder at or after the data date,
    :math:`LS_u = LF_u = \max(DD, \min(\text{ceilings}))`; its links pass them on as
    for any successor (an SS link from an in-progress ``i``: :math:`LS_i \le LS_u`).
    """
    t0 = max(dd, min(pf, lfc[u], lsc[u]))
    for e in plan.preds[u]:
        if complete[e.pred]:
            continue
        t = _shift(t0, -_open_lag(plan, e, dd), e.cal)
        if e.type in (_FS, _FF):
            lfc[e.pred] = min(lfc[e.pred], t)
        else:
            lsc[e.pred] = min(lsc[e.pred], t)


def _open_lag(plan: _Plan, e: _Edge, dd: int | None) -> int:
    """The lag still to run: P6 shortens an SS/SF lag by the work done by ``dd``."""
    lag = e.lag
    begun = plan.acts[e.pred].actual_start
    if dd is not None and lag > 0 and e.type in (_SS, _SF) and begun is not None:
        lag = max(0, lag - _work(e.cal, to_minutes(begun), dd))
    return lag


def _free(
    plan: _Plan,
    u: int,
    es: list[int],
    ef: list[int],
    complete: list[bool],
    pf: int,
    cal: Calendar | None = None,
) -> int:
    """Free float of ``u``: the least slack of its links on the early dates.

    Measured on ``cal``, by default the calendar ``u`` is scheduled on.
    """
    c = plan.cals[u] if cal is None else cal
    free = c.w_m(pf) - c.w_m(ef[u]) if not plan.succs[u] else _INF
    for e in plan.succs[u]:
        if complete[e.succ]:
            continue
        bound = _shift(es[e.succ] if e.type in (_FS, _SS) else ef[e.succ], -e.lag, e.cal)
        mine = ef[u] if e.type in (_FS, _FF) else es[u]
        free = min(free, c.w_m(bound) - c.w_m(mine))
    return free


def _alap_p6(
    plan: _Plan,
    start: list[int],
    finish: list[int],
    es: list[int],
    ef: list[int],
    lf: list[int],
    rem: list[int],
    complete: list[bool],
    pf: int,
) -> None:
    r"""P6's ALAP: the early dates themselves move later by the free float.

    Latest activities first, so an ALAP predecessor of an ALAP activity sees its delayed
    dates: :math:`ES_u \leftarrow ES_u \oplus FF_u` with
    :math:`FF_u \le W(LF_u) - W(EF_u)`.
    """
    for u in reversed(plan.order):
        a = plan.acts[u]
        if a.constraint_type is not ConstraintType.ALAP or a.actual_start is not None:
            continue
        if plan.is_sum[u] or plan.is_loe[u] or complete[u]:
            continue
        c = plan.cals[u]
        delay = min(_free(plan, u, es, ef, complete, pf), c.w_m(lf[u]) - c.w_m(ef[u]))
        if delay <= 0:
            continue
        x = c.w_m(es[u]) + delay
        es[u] = c.start_at_m(x) if rem[u] or a.start_milestone else c.finish_at_m(x)
        ef[u] = c.add_work_m(es[u], rem[u])
        start[u], finish[u] = es[u], ef[u]


def _finish(
    net: Network,
    opts: ScheduleOptions,
    plan: _Plan,
    start: list[int],
    finish: list[int],
    es: list[int],
    ef: list[int],
    ls: list[int],
    lf: list[int],
    rem: list[int],
    complete: list[bool],
    pf: int,
) -> ScheduleResult:
    acts, cals = plan.acts, plan.cals
    n = len(acts)
    for u in plan.order:  # late dates of summaries roll up too
        if plan.is_sum[u]:
            open_ch = [c for c in plan.children[u] if not complete[c]] or plan.children[u]
            ls[u] = min(ls[c] for c in open_ch)
            lf[u] = max(lf[c] for c in open_ch)
            es[u] = min(es[c] for c in open_ch)
            ef[u] = max(ef[c] for c in open_ch)
    tf = [0] * n
    ff = [0] * n
    dp: list[int] = []
    ds: list[int] = []
    for u in range(n):
        if complete[u] or plan.is_loe[u]:
            continue
        fc = acts[u].float_calendar
        c = cals[u] if fc is None else fc
        tf[u] = c.w_m(lf[u]) - c.w_m(ef[u])
        if fc is not None and acts[u].actual_start is None:
            tf[u] = min(tf[u], c.w_m(ls[u]) - c.w_m(es[u]))  # the start slack too
        if plan.is_sum[u]:
            ff[u] = tf[u]
            continue
        ff[u] = min(_free(plan, u, es, ef, complete, pf, c), tf[u])
    for u in range(n):  # driving links, for the longest path
        if complete[u] or plan.is_sum[u]:
            continue
        c = cals[u]
        for e in plan.preds[u]:
            base = finish[e.pred] if e.type in (_FS, _FF) else start[e.pred]
            mine = es[u] if e.type <= _SS else ef[u]
            if c.w_m(_shift(base, e.lag, e.cal)) >= c.w_m(mine):
                dp.append(e.pred)
                ds.append(u)
    for u in range(n):
        for ch in plan.children[u]:
            if finish[ch] == finish[u]:
                dp.append(ch)
                ds.append(u)
    for u in range(n):  # ALAP: shown dates move later by the free float
        a = acts[u]
        if opts.convention == "p6":
            break  # the early dates already moved (_alap_p6)
        if a.constraint_type is not ConstraintType.ALAP or a.actual_start is not None:
            continue
        c = cals[u]
        delay = ff[u]
        if a.float_calendar is not None:  # the free float in working time of ``c``
            delay = min(_free(plan, u, es, ef, complete, pf), c.w_m(lf[u]) - c.w_m(ef[u]))
        if delay > 0:
            x = c.w_m(es[u]) + delay
            start[u] = c.start_at_m(x) if rem[u] else c.finish_at_m(x)
            finish[u] = c.add_work_m(start[u], rem[u])
    crit = [
        not complete[u] and not plan.is_loe[u] and tf[u] <= opts.critical_float_minutes
        for u in range(n)
    ]
    return ScheduleResult(
        ids=net.ids,
        activities=acts,
        start=np.asarray(start, dtype=np.int64),
        finish=np.asarray(finish, dtype=np.int64),
        early_start=np.asarray(es, dtype=np.int64),
        early_finish=np.asarray(ef, dtype=np.int64),
        late_start=np.asarray(ls, dtype=np.int64),
        late_finish=np.asarray(lf, dtype=np.int64),
        total_float=np.asarray(tf, dtype=np.int64),
        free_float=np.asarray(ff, dtype=np.int64),
        critical=np.asarray(crit, dtype=bool),
        complete=np.asarray(complete, dtype=bool),
        project_finish=pf,
        driving_pred=np.asarray(dp, dtype=np.intp),
        driving_succ=np.asarray(ds, dtype=np.intp),
        method="general",
        manual_index=net.manual_index,
        complete_dates=opts.convention == "msproject",
    )

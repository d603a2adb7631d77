r"""The vectorised critical-path method for one calendar and working-time lags.

When every activity uses the same calendar, time can be measured as *working offsets*
:math:`x = W(t) - W(P)` from the project start ``P`` and every duration and lag is plain
integer addition. An offset alone does not say whether it is the end of one working
interval (a finish: Mon 17:00) or the start of the next (a start: Tue 08:00), which
matters for milestones, so instants are encoded as :math:`2x + s` with side ``s = 1``
for "start side" and ``0`` for "finish side". The encoding orders exactly as the
instants do, so ``max``/``min`` work on it directly:

* a task: :math:`ES = 2\lfloor S/2 \rfloor + 1`, :math:`EF = 2(\lfloor S/2 \rfloor + d)`;
  a milestone keeps its encoded floor ``S``;
* a positive lag ends on the finish side, :math:`2(x + L)`; a lead starts on the start
  side, :math:`2(x + L) + 1`; a zero lag keeps the side.

The forward pass runs Kahn's algorithm one *frontier* (topological level) at a time:
the frontier's dates are final, their outgoing links are relaxed with
``np.maximum.at`` and the in-degrees decremented with ``np.subtract.at``. The backward
pass replays the saved levels in reverse with ``np.minimum.at``. The cost is a few numpy
calls per level plus :math:`O(n + m)` array work.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from podium.engine.calendars import to_minutes
from podium.engine.errors import CycleError
from podium.engine.network import Network, ScheduleOptions
from podium.engine.results import ScheduleResult
from podium.engine.topology import find_cycle

__all__ = ["fast_path_reason", "schedule_fast"]

I64 = npt.NDArray[np.int64]
_FS, _SS, _FF, _SF = 0, 1, 2, 3


def fast_path_reason(net: Network, opts: ScheduleOptions) -> str | None:
    """Why ``net`` needs the general path, or ``None`` if the fast path applies.

    The fast path handles one calendar, tasks and (finish) milestones, work/percent
    lags, no constraints, deadlines or progress, and summaries that no link touches;
    with the P6 convention, only networks without milestones or FF/SF links (where the
    conventions agree).
    """
    if opts.lag_calendar == "24h":
        return "lags are measured on a 24-hour calendar"
    if net.single_calendar_blocker is not None:
        return net.single_calendar_blocker
    if opts.convention == "p6" and (
        bool((net.durations == 0).any()) or bool((net.link_type >= _FF).any())
    ):
        return "P6 conventions for milestones and finish-type links"
    return None


def _levels_forward(
    net: Network, d: I64
) -> tuple[I64, list[npt.NDArray[np.intp]], list[npt.NDArray[np.intp]], I64]:
    """Forward pass; returns ``T`` (``T[2i]`` = ES, ``T[2i+1]`` = EF), levels, edges."""
    n = len(net.activities)
    order, ptr = net.out_order, net.out_ptr
    e_src, e_dst = net.link_pred[order], net.link_succ[order]
    e_typ, e_lag = net.link_type[order], net.link_lag[order]
    s_idx = 2 * e_src + ((e_typ == _FS) | (e_typ == _FF))
    # candidate = 2x + C + (b & Z) for a source encoded as b = 2x + side (module notes):
    # a lag L gives 2(x+L) (+1 for a lead, + side for no lag); a finish-type link into a
    # task of duration d turns into a start floor 2(x+L-d) + 1.
    conv = ((e_typ == _FF) | (e_typ == _SF)) & (d[e_dst] > 0)
    C = np.where(conv, 2 * (e_lag - d[e_dst]) + 1, 2 * e_lag + (e_lag < 0))
    Z = ((e_lag == 0) & ~conv).astype(np.int64)
    indeg = np.bincount(e_dst, minlength=n)
    T = np.empty(2 * n, dtype=np.int64)
    floor = np.ones(n, dtype=np.int64)  # start side of offset 0: the project start
    levels: list[npt.NDArray[np.intp]] = []
    level_edges: list[npt.NDArray[np.intp]] = []
    frontier = np.flatnonzero(indeg == 0)
    stamp = np.zeros(n, dtype=np.intp)  # for duplicate-free frontiers without sorting
    done = 0
    while frontier.size:
        done += frontier.size
        fl = floor[frontier]
        df = d[frontier]
        task = df > 0
        T[2 * frontier] = np.where(task, fl | 1, fl)
        T[2 * frontier + 1] = np.where(task, (fl & -2) + 2 * df, fl)
        lo = ptr[frontier]
        cnt = ptr[frontier + 1] - lo
        csum = np.cumsum(cnt)
        total = int(csum[-1])
        levels.append(frontier)
        if total == 0:
            level_edges.append(np.zeros(0, dtype=np.intp))
            break
        eidx = np.repeat(lo - csum + cnt, cnt) + np.arange(total)
        level_edges.append(eidx)
        b = T[s_idx[eidx]]
        tg = e_dst[eidx]
        np.maximum.at(floor, tg, (b & -2) + C[eidx] + (b & Z[eidx]))
        np.subtract.at(indeg, tg, 1)
        ready = tg[indeg[tg] == 0]  # a node appears once per link from this level
        pos = np.arange(ready.size)
        stamp[ready] = pos
        frontier = ready[stamp[ready] == pos]
    if done < n:
        src, dst = net.link_pred.tolist(), net.link_succ.tolist()
        cyc = find_cycle(n, src, dst, (indeg > 0).tolist())
        raise CycleError([net.ids[i] for i in cyc])
    edges = np.stack([e_src, e_dst, e_typ.astype(np.intp), e_lag]).astype(np.int64)
    return T, levels, level_edges, edges


def _backward(
    n: int,
    d: I64,
    T: I64,
    levels: list[npt.NDArray[np.intp]],
    level_edges: list[npt.NDArray[np.intp]],
    edges: I64,
    pf: int,
) -> I64:
    """Backward pass over the saved levels; returns ``L`` (``L[2i]`` = LS, ``+1`` = LF)."""
    e_src, e_dst, e_typ, e_lag = edges
    d_idx = 2 * e_dst + ((e_typ == _FF) | (e_typ == _SF))
    # mirror of the forward pass: bound = 2y + C + (b & Z) for a successor b = 2y + side;
    # a start-type link from a task of duration d gives a finish ceiling 2(y-L+d).
    conv = ((e_typ == _SS) | (e_typ == _SF)) & (d[e_src] > 0)
    C = np.where(conv, 2 * (d[e_src] - e_lag), -2 * e_lag + (e_lag > 0))
    Z = ((e_lag == 0) & ~conv).astype(np.int64)
    L = np.empty(2 * n, dtype=np.int64)
    ceil = np.full(n, pf, dtype=np.int64)
    for nodes, eidx in zip(reversed(levels), reversed(level_edges), strict=True):
        if eidx.size:
            b = L[d_idx[eidx]]
            np.minimum.at(ceil, e_src[eidx], (b & -2) + C[eidx] + (b & Z[eidx]))
        c = ceil[nodes]
        dn = d[nodes]
        task = dn > 0
        L[2 * nodes + 1] = np.where(task, c & -2, c)
        L[2 * nodes] = np.where(task, (c & -2) - 2 * dn + 1, c)
    return L


def schedule_fast(net: Network, opts: ScheduleOptions) -> ScheduleResult:
    """Schedule ``net`` on the vectorised path (see :func:`fast_path_reason`)."""
    acts = net.activities
    n = len(acts)
    cal = net.default_calendar
    summary = net.has_children
    d = net.durations
    ids = net.ids
    T, levels, level_edges, edges = _levels_forward(net, d)
    es, ef = T[0::2], T[1::2]
    pf = int(ef[~summary].max()) if (~summary).any() else 1
    L = _backward(n, d, T, levels, level_edges, edges, pf)
    ls, lf = L[0::2], L[1::2]
    e_src, e_dst, e_typ, e_lag = edges
    tf = (lf >> 1) - (ef >> 1)
    # free float: slack of each link on the early dates, the project finish without links
    from_finish = (e_typ == _FS) | (e_typ == _FF)
    to_finish = (e_typ == _FF) | (e_typ == _SF)
    slack = (T[2 * e_dst + to_finish] >> 1) - e_lag - (T[2 * e_src + from_finish] >> 1)
    ff = (pf >> 1) - (ef >> 1)
    has_out = np.zeros(n, dtype=bool)
    has_out[e_src] = True
    ff[has_out] = np.iinfo(np.int64).max
    np.minimum.at(ff, e_src, slack)
    np.minimum(ff, tf, out=ff)  # a link may have slack the activity cannot use
    # driving links: the link's bound equals the successor's early date
    driving = slack == 0
    crit = tf <= opts.critical_float_minutes
    base = cal.w_m(to_minutes(net.project_start))
    enc = np.concatenate([es, ef, ls, lf, np.array([pf])])
    inst = cal.instants_m(base + (enc >> 1), (enc & 1).astype(bool))
    es_m, ef_m, ls_m, lf_m = (inst[k * n : (k + 1) * n] for k in range(4))
    arrays = {
        "start": es_m,
        "finish": ef_m,
        "late_start": ls_m,
        "late_finish": lf_m,
        "total_float": tf,
        "free_float": ff,
    }
    if summary.any():
        _roll_up(net, opts, arrays, crit)
    return ScheduleResult(
        ids=ids,
        activities=acts,
        start=es_m,
        finish=ef_m,
        early_start=es_m,
        early_finish=ef_m,
        late_start=ls_m,
        late_finish=lf_m,
        total_float=tf,
        free_float=ff,
        critical=crit,
        complete=np.zeros(n, dtype=bool),
        project_finish=int(inst[-1]),
        driving_pred=e_src[driving].astype(np.intp),
        driving_succ=e_dst[driving].astype(np.intp),
        method="fast",
    )


def _roll_up(
    net: Network,
    opts: ScheduleOptions,
    r: dict[str, I64],
    crit: npt.NDArray[np.bool_],
) -> None:
    """Summary dates from their children, deepest summaries first."""
    cal = net.default_calendar
    parent = net.parent_index.tolist()
    children: list[list[int]] = [[] for _ in parent]
    for i, p in enumerate(parent):
        if p >= 0:
            children[p].append(i)
    depth = [0] * len(parent)
    for i in range(len(parent)):
        p = parent[i]
        while p >= 0:
            depth[i] += 1
            p = parent[p]
    sums = [i for i, ch in enumerate(children) if ch]
    for s in sorted(sums, key=lambda i: -depth[i]):
        ch = np.asarray(children[s], dtype=np.intp)
        for key in ("start", "late_start"):
            r[key][s] = r[key][ch].min()
        for key in ("finish", "late_finish"):
            r[key][s] = r[key][ch].max()
        tf = cal.w_m(int(r["late_finish"][s])) - cal.w_m(int(r["finish"][s]))
        r["total_float"][s] = r["free_float"][s] = tf
        crit[s] = tf <= opts.critical_float_minutes

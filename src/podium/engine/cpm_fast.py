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

Kahn's algorithm runs one *frontier* (topological level) at a time and groups the links
by the level of their predecessor. Each activity then keeps a single encoded *floor*
(forward) or *ceiling* (backward) and each link a pair of constants so that its
candidate is ``(x & Q) + R`` (the activity's dates follow from ``x``): the forward pass
relaxes one group after the other with ``np.maximum.at``, the backward pass the groups
in reverse with ``np.minimum.at``. The cost is a dozen small numpy calls per level plus
:math:`O(n + m)` array work. Deep networks of narrow levels (chains) would pay the calls
for a handful of activities each, so once Kahn's algorithm sees levels averaging fewer
than ``_NARROW_WIDTH`` activities it hands over to plain loops over a topological order,
with the same constants and identical results.
"""

from __future__ import annotations

import itertools

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
# A level costs ~15 small numpy calls (~10 us) in all; a plain Python loop costs well under
# a microsecond per activity and link. Networks whose levels average fewer activities
# than ``_NARROW_WIDTH`` after ``_NARROW_LEVELS`` levels switch to the loop.
_NARROW_LEVELS, _NARROW_WIDTH = 64, 8


def fast_path_reason(net: Network, opts: ScheduleOptions) -> str | None:
    """Why ``net`` needs the general path, or ``None`` if the fast path applies.

    The fast path handles one calendar, tasks and (finish) milestones, work/percent
    lags, no constraints, deadlines, progress, splits or float calendars, and summaries
    that no link touches; with the P6 convention, only networks without milestones or FF/SF
    links (where the conventions agree).
    """
    if opts.lag_calendar == "24h":
        return "lags are measured on a 24-hour calendar"
    if net.single_calendar_blocker is not None:
        return net.single_calendar_blocker
    for a in net.activities:
        if a.float_calendar is not None:
            return f"activity {a.id!r} has a float calendar"
    if opts.convention == "p6" and (
        bool((net.durations == 0).any()) or bool((net.link_type >= _FF).any())
    ):
        return "P6 conventions for milestones and finish-type links"
    return None


def _topo_edges(net: Network) -> tuple[I64, npt.NDArray[np.intp] | None, list[int]]:
    """Kahn's algorithm one frontier (topological level) at a time.

    Returns the links in out-order (rows ``src, dst, type, lag``), then the out-order
    link indices grouped by the level of their source and the group boundaries, or
    ``None`` for a deep network of narrow levels (see ``_NARROW_WIDTH``). Raises
    :class:`CycleError` if some activities are never reached.
    """
    n = len(net.activities)
    order, ptr = net.out_order, net.out_ptr
    e_src, e_dst = net.link_pred[order], net.link_succ[order]
    e_typ, e_lag = net.link_type[order], net.link_lag[order]
    edges = np.stack([e_src, e_dst, e_typ.astype(np.intp), e_lag]).astype(np.int64)
    deg, hi = np.diff(ptr), ptr[1:]
    indeg = np.bincount(e_dst, minlength=n)
    ar = np.arange(max(len(order), n) + 1)
    stamp = np.zeros(n, dtype=np.intp)  # for duplicate-free frontiers without sorting
    parts: list[npt.NDArray[np.intp]] = []
    bounds = [0]
    frontier = np.flatnonzero(indeg == 0)
    done = end = 0
    # ufunc and method calls, bound once: a level costs a dozen small numpy calls
    accumulate, decrement = np.add.accumulate, np.subtract.at
    while frontier.size:
        done += frontier.size
        cnt = deg[frontier]
        csum = accumulate(cnt)
        total = int(csum[-1])
        if total == 0:
            break
        eidx = (hi[frontier] - csum).repeat(cnt)
        eidx += ar[:total]
        parts.append(eidx)
        end += total
        bounds.append(end)
        if len(parts) >= _NARROW_LEVELS and done < _NARROW_WIDTH * len(parts):
            return edges, None, []
        tg = e_dst[eidx]
        decrement(indeg, tg, 1)
        # a node appears once per link from this level: keep the one occurrence whose
        # position survives in ``stamp`` (whichever write wins, exactly one matches)
        pos = ar[:total]
        stamp[tg] = pos
        ready = indeg[tg] == 0
        ready &= stamp[tg] == pos
        frontier = tg[ready]
    if done < n:
        src, dst = net.link_pred.tolist(), net.link_succ.tolist()
        cyc = find_cycle(n, src, dst, (indeg > 0).tolist())
        raise CycleError([net.ids[i] for i in cyc])
    grouped = np.concatenate(parts) if parts else np.zeros(0, dtype=np.intp)
    return edges, grouped, bounds


def _scalar_order(net: Network, dst: list[int], ptr: list[int]) -> list[int]:
    """A topological order by Kahn's algorithm on Python lists (for narrow networks)."""
    n = len(net.activities)
    indeg = np.bincount(net.link_succ, minlength=n).tolist()
    order = [v for v, k in enumerate(indeg) if k == 0]
    for v in order:  # the list grows while we walk it
        for t in dst[ptr[v] : ptr[v + 1]]:
            indeg[t] -= 1
            if not indeg[t]:
                order.append(t)
    if len(order) < n:
        src_l, dst_l = net.link_pred.tolist(), net.link_succ.tolist()
        cyc = find_cycle(n, src_l, dst_l, [k > 0 for k in indeg])
        raise CycleError([net.ids[i] for i in cyc])
    return order


def _forward_links(d: I64, g: I64) -> tuple[I64, I64]:
    """Per-link constants ``Q, R`` of the forward pass for links ``g`` (rows ``src, dst,
    type, lag``): a link's candidate floor for its successor is ``(x & Q) + R`` for its
    predecessor's encoded floor ``x`` (module notes)."""
    src, dst, e_typ, e_lag = g
    # candidate = (b & NM) + C for the source's date b (NM = -1 keeps a zero lag's side);
    # a finish-type link into a task of duration d turns into a start floor 2(x+L-d) + 1.
    d_dst, d_src = d[dst], d[src]
    conv = ((e_typ == _FF) | (e_typ == _SF)) & (d_dst > 0)
    C = np.where(conv, 2 * (e_lag - d_dst) + 1, 2 * e_lag + (e_lag < 0))
    Z = (e_lag == 0) & ~conv
    # a task's ES = (x & -2) + 1, EF = (x & -2) + 2d; a milestone's dates are x
    task = d_src > 0
    from_finish = (e_typ == _FS) | (e_typ == _FF)
    Q = np.where(task | ~Z, -2, -1)
    R = C + np.where(task, np.where(from_finish, 2 * d_src, Z), 0)
    return Q, R


def _backward_links(d: I64, g: I64) -> tuple[I64, I64]:
    """Per-link constants ``Q, R`` of the backward pass: a link's bound for its
    predecessor's ceiling is ``(c & Q) + R`` for its successor's encoded ceiling ``c``."""
    src, dst, e_typ, e_lag = g
    # mirror of the forward pass: bound = (b & NM) + C for the successor's date b;
    # a start-type link from a task of duration d gives a finish ceiling 2(y-L+d).
    d_dst, d_src = d[dst], d[src]
    conv = ((e_typ == _SS) | (e_typ == _SF)) & (d_src > 0)
    C = np.where(conv, 2 * (d_src - e_lag), -2 * e_lag + (e_lag > 0))
    Z = (e_lag == 0) & ~conv
    # a task's LF = c & -2, LS = (c & -2) - 2d + 1 for its ceiling c; a milestone's are c
    task = d_dst > 0
    to_finish = (e_typ == _FF) | (e_typ == _SF)
    Q = np.where(task | ~Z, -2, -1)
    R = C + np.where(task & ~to_finish, Z - 2 * d_dst, 0)
    return Q, R


def _early(floor: I64, d: I64) -> I64:
    """``T`` (``T[2i]`` = ES, ``T[2i+1]`` = EF) from the encoded floors."""
    T = np.empty(2 * len(d), dtype=np.int64)
    is_task = d > 0
    T[0::2] = np.where(is_task, floor | 1, floor)
    T[1::2] = np.where(is_task, (floor & -2) + 2 * d, floor)
    return T


def _late(ceil: I64, d: I64) -> I64:
    """``L`` (``L[2i]`` = LS, ``L[2i+1]`` = LF) from the encoded ceilings."""
    L = np.empty(2 * len(d), dtype=np.int64)
    is_task = d > 0
    L[1::2] = np.where(is_task, ceil & -2, ceil)
    L[0::2] = np.where(is_task, (ceil & -2) - 2 * d + 1, ceil)
    return L


def _forward(d: I64, g: I64, bounds: list[int]) -> I64:
    """Forward pass over the levels; returns ``T`` (see :func:`_early`).

    ``g`` holds the links grouped by the level of their predecessor, ``bounds`` the group
    boundaries. Each activity keeps one encoded floor, so a level costs four numpy calls.
    """
    src, dst = g[0], g[1]
    Q, R = _forward_links(d, g)
    floor = np.ones(len(d), dtype=np.int64)  # start side of offset 0: the project start
    relax = np.maximum.at
    for a, b in itertools.pairwise(bounds):
        x = floor[src[a:b]]
        x &= Q[a:b]
        x += R[a:b]
        relax(floor, dst[a:b], x)
    return _early(floor, d)


def _backward(d: I64, g: I64, bounds: list[int], pf: int) -> I64:
    """Backward pass over the levels in reverse; returns ``L`` (see :func:`_late`)."""
    src, dst = g[0], g[1]
    Q, R = _backward_links(d, g)
    ceil = np.full(len(d), pf, dtype=np.int64)
    relax = np.minimum.at
    for b, a in itertools.pairwise(reversed(bounds)):
        y = ceil[dst[a:b]]
        y &= Q[a:b]
        y += R[a:b]
        relax(ceil, src[a:b], y)
    return _late(ceil, d)


def _scalar_forward(d: I64, edges: I64, ptr: list[int], order: list[int]) -> I64:
    """:func:`_forward` as a plain loop over a topological ``order`` (links in out-order)."""
    q, r = (a.tolist() for a in _forward_links(d, edges))
    dst = edges[1].tolist()
    floor = [1] * len(d)
    for v in order:
        x = floor[v]
        for e in range(ptr[v], ptr[v + 1]):
            c = (x & q[e]) + r[e]
            if c > floor[dst[e]]:
                floor[dst[e]] = c
    return _early(np.array(floor, dtype=np.int64), d)


def _scalar_backward(d: I64, edges: I64, ptr: list[int], order: list[int], pf: int) -> I64:
    """:func:`_backward` as a plain loop over the reversed topological ``order``."""
    q, r = (a.tolist() for a in _backward_links(d, edges))
    dst = edges[1].tolist()
    ceil = [pf] * len(d)
    for v in reversed(order):
        c = pf
        for e in range(ptr[v], ptr[v + 1]):
            y = (ceil[dst[e]] & q[e]) + r[e]
            if y < c:
                c = y
        ceil[v] = c
    return _late(np.array(ceil, dtype=np.int64), d)


def schedule_fast(net: Network, opts: ScheduleOptions) -> ScheduleResult:
    """Schedule ``net`` on the vectorised path (see :func:`fast_path_reason`)."""
    acts = net.activities
    n = len(acts)
    cal = net.default_calendar
    summary = net.has_children
    d = net.durations
    ids = net.ids
    edges, grouped, bounds = _topo_edges(net)
    if grouped is None:  # deep and narrow: plain loops beat numpy calls per level
        ptr = net.out_ptr.tolist()
        order = _scalar_order(net, edges[1].tolist(), ptr)
        T = _scalar_forward(d, edges, ptr, order)
    else:
        g = edges.take(grouped, axis=1)  # the links grouped by their predecessor's level
        T = _forward(d, g, bounds)
    es, ef = T[0::2], T[1::2]
    pf = int(ef[~summary].max()) if (~summary).any() else 1
    if grouped is None:
        L = _scalar_backward(d, edges, ptr, order, pf)
    else:
        L = _backward(d, g, bounds, pf)
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
        manual_index=net.manual_index,
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

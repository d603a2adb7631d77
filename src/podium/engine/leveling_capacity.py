r"""Time-varying capacity for leveling: profiles, the windows they leave, bounds.

A capacity profile gives resource :math:`k` the capacity :math:`c` in the periods
:math:`a \le t < b` of each of its segments :math:`(a, b, c)`; elsewhere it has its
base capacity :math:`R_k`:

.. math:: R_k(t) = \begin{cases} c & a \le t < b \text{ for a segment } (a, b, c)
          \text{ of } k \\ R_k & \text{otherwise.} \end{cases}

Segments model a resource calendar (:math:`c = 0` outside its working time), periods of
another availability, or load that other projects already put on a shared resource
(:math:`c = R_k - u`). Beyond the last segment end :math:`T` every capacity is
:math:`R_k \ge r_{jk}`, so an activity always fits eventually; within a planning
``horizon`` it may not, which :func:`profile_early_starts` reports.

Two valid lower bounds on the makespan follow. Each activity needs :math:`d_j`
consecutive periods in which every resource it uses has :math:`R_k(t) \ge r_{jk}`: the
earliest such window after its predecessors gives the profile-aware early start
:math:`E_j \ge ES_j` and the bound :math:`\max_j E_j + d_j`. And the work
:math:`W_k = \sum_j d_j r_{jk}` on resource :math:`k` needs
:math:`\min \{T' : \sum_{t < T'} R_k(t) \ge W_k\}` periods (the energy bound over the
capacity actually available; without a profile :math:`\lceil W_k / R_k \rceil`).

Examples
--------
One unit, unavailable in periods 2-4; the activity (3 periods) fits from period 5:

>>> table = profile_table({0: [(2, 5, 0)]}, np.array([1]))
>>> table[:, 0].tolist()
[1, 1, 0, 0, 0]
>>> from podium.engine.leveling_sgs import SgsModel
>>> m = SgsModel(np.array([3]), np.array([[1]]), np.array([1]), [], profile=table)
>>> profile_early_starts(m).tolist()
[5]
>>> energy_bound(m, np.array([3]))
6
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from podium.engine.errors import InfeasibleError, NetworkError
from podium.engine.leveling_sgs import SgsModel

__all__ = [
    "check_windows",
    "energy_bound",
    "first_window",
    "profile_early_starts",
    "profile_table",
]

IntArray = npt.NDArray[np.int64]
Segments = Mapping[int, Sequence[tuple[int, int, int]]]


def profile_table(
    segments: Segments, capacities: IntArray, resource_names: Sequence[str] = ()
) -> IntArray | None:
    """The ``(T, K)`` table of :math:`R_k(t)` for :math:`t < T` (the last segment end),
    or ``None`` when no resource has a segment.

    Raises
    ------
    NetworkError
        An unknown resource, a segment with ``end <= start``, a negative start or
        capacity, a fraction, or overlapping segments of one resource.
    """
    cap = np.asarray(capacities, dtype=np.int64)
    k_count = cap.size
    clean: dict[int, list[tuple[int, int, int]]] = {}
    for key, segs in segments.items():
        k = int(key)
        if not 0 <= k < k_count or k != key:
            raise NetworkError(f"capacity_profile: unknown resource index {key}")
        name = resource_names[k] if k < len(resource_names) else str(k)
        rows = []
        for seg in segs:
            if len(seg) != 3:
                raise NetworkError(
                    f"capacity_profile of {name!r}: expected (start, end, capacity), got {seg}"
                )
            a, b, c = seg
            if any(int(x) != x for x in (a, b, c)) or a < 0 or c < 0 or b <= a:
                raise NetworkError(
                    f"capacity_profile of {name!r}: segment {tuple(seg)} needs whole numbers "
                    "0 <= start < end and capacity >= 0"
                )
            rows.append((int(a), int(b), int(c)))
        rows.sort()
        for (a0, b0, _), (a1, _, _) in pairwise(rows):
            if a1 < b0:
                raise NetworkError(
                    f"capacity_profile of {name!r}: segments starting at {a0} and {a1} overlap"
                )
        if rows:
            clean[k] = rows
    if not clean:
        return None
    end = max(b for rows in clean.values() for _, b, _ in rows)
    table = np.empty((end, k_count), dtype=np.int64)
    table[:] = cap
    for k, rows in clean.items():
        for a, b, c in rows:
            table[a:b, k] = c
    return table


def first_window(ok: npt.NDArray[np.bool_], length: int) -> int:
    """First index ``t`` with ``ok[t:t + length]`` all true, or ``-1``."""
    if length <= 0:
        return 0
    bad = np.zeros(ok.size + 1, dtype=np.int64)
    np.cumsum(~ok, out=bad[1:])
    hits = np.flatnonzero(bad[length:] == bad[:-length])
    return int(hits[0]) if hits.size else -1


def _fit(table: IntArray, req: IntArray, t: int, d: int) -> int:
    """First :math:`t' \\ge t` where ``table`` covers ``req`` for ``d`` periods; from the
    table's end on the base capacities cover every request. Looks in chunks that double,
    so an early window costs little on a long table."""
    used = req > 0
    span = max(4 * d, 256)
    while True:
        hi = min(t + span, table.shape[0])
        ok: npt.NDArray[np.bool_] = np.asarray((table[t:hi, used] >= req[used]).all(axis=1))
        if hi == table.shape[0]:  # from T on every capacity is the base one
            ok = np.concatenate([ok, np.ones(d, dtype=bool)])
        found = first_window(ok, d)
        if found >= 0:
            return t + found
        # no window starts before hi - d + 1: continue from there
        t = max(t, hi - d + 1)
        span *= 2


def profile_early_starts(model: SgsModel, horizon: int | None = None) -> IntArray:
    r"""Profile-aware early starts :math:`E_j` (``-1`` where none is below ``horizon``).

    In topological order, :math:`E_j` is the first :math:`t \ge \max(0, \max_i E_i +
    l_{ij})` with :math:`R_k(t') \ge r_{jk}` for every resource and every
    :math:`t \le t' < t + d_j`; other activities are ignored, so every feasible schedule
    has :math:`S_j \ge E_j`. With ``horizon``, a window must end by it
    (:math:`E_j + d_j \le` ``horizon``); an activity with none gets ``-1`` and so do its
    successors.
    """
    table = model.profile
    es = [0] * model.n
    dead = [False] * model.n
    for j in np.argsort(model.rank).tolist():
        t = 0
        for i, lag in model.preds[j]:
            dead[j] = dead[j] or dead[i]
            t = max(t, es[i] + lag)
        d = model.dl[j]
        if dead[j]:
            es[j] = -1
            continue
        if table is not None and model.uses[j] and t < model.pend:
            t = _fit(table, model.req[j], t, d)
        if horizon is not None and t + d > horizon:
            dead[j] = True
            es[j] = -1
            continue
        es[j] = t
    return np.asarray(es, dtype=np.int64)


def energy_bound(model: SgsModel, durations: IntArray) -> int:
    r""":math:`\max_k \min \{T' : \sum_{t < T'} R_k(t) \ge \sum_j d_j r_{jk}\}`."""
    work = (np.asarray(durations, dtype=np.int64)[:, None] * model.req).sum(axis=0)
    best = 0
    cap = model.cap
    if model.profile is None:
        with np.errstate(divide="ignore", invalid="ignore"):
            per = np.where(cap > 0, -(-work // np.maximum(cap, 1)), 0)
        return int(per.max(initial=0))
    cum = np.cumsum(model.profile, axis=0)
    for k in np.flatnonzero(work > 0).tolist():
        w = int(work[k])
        total = int(cum[-1, k])
        if w <= total:
            best = max(best, int(np.searchsorted(cum[:, k], w, side="left")) + 1)
        elif cap[k] > 0:
            best = max(best, model.pend + -(-(w - total) // int(cap[k])))
    return best


def check_windows(
    model: SgsModel, horizon: int, names: Sequence[str], resource_names: Sequence[str]
) -> None:
    """Raise :class:`InfeasibleError` for the first activity (in precedence order) with
    no window of enough capacity that ends by ``horizon`` (:func:`profile_early_starts`),
    naming it and the resource that lacks the capacity."""
    early = profile_early_starts(model, horizon)
    if (early >= 0).all():
        return
    es = model.early_starts()
    table = model.capacity_until(horizon)
    for j in np.argsort(model.rank).tolist():
        if early[j] >= 0 or any(early[i] < 0 for i, _ in model.preds[j]):
            continue
        start = max([0] + [int(early[i]) + lag for i, lag in model.preds[j]])
        d = model.dl[j]
        used = np.flatnonzero(model.req[j] > 0).tolist()
        if not used or d == 0:
            raise InfeasibleError(
                f"activity {names[j]!r} cannot finish by the horizon (period {horizon}): "
                f"its predecessors let it start no earlier than period {start}"
            )
        short = [k for k in used if first_window(table[start:, k] >= model.req[j, k], d) < 0]
        k = (short or used)[0]
        most = int(table[start:, k].max(initial=0))
        raise InfeasibleError(
            f"activity {names[j]!r} needs {model.req[j, k]} units of resource "
            f"{resource_names[k]!r} for {d} periods, but from its earliest start "
            f"(period {start}, resource-free {int(es[j])}) to the horizon (period "
            f"{horizon}) the resource never has that for so long (at most {most} units)"
        )

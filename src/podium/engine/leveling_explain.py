r"""Independent feasibility check and delay explanations for leveled schedules.

:func:`check_feasible` shares no code with the solvers: it re-checks every link
:math:`S_j \ge S_i + l_{ij}` and, on a usage table built activity by activity, every
period :math:`t` and resource :math:`k`:
:math:`\sum_{j:\ S_j \le t < S_j + d_j} r_{jk} \le R_k(t)` (the capacity profile's
value where the problem has one, else :math:`R_k`).

:func:`explain` says why each activity starts after its resource-free early start
:math:`ES_j`: the resources with no room before its start and the
activities holding them, whether a capacity reduction (:math:`R_k(t) < R_k`: the
resource unavailable or reduced) was part of it, or else the predecessors whose lags
push it.

Examples
--------
>>> from podium.engine.leveling import RcpspProblem
>>> p = RcpspProblem([2, 2], [[], []], [1], [[1], [1]], names=["A", "B"])
>>> check_feasible(p, [0, 1])
['period 1: resource R1 uses 2 > capacity 1']
>>> import numpy as np
>>> explain(p, np.array([0, 2]), np.array([0, 0]))
{1: Delay(resources=[0], blocking=[0], delay=2, cause='resources', unavailable=[])}

With the resource unavailable in periods 0-1 and nothing else in the way:

>>> q = RcpspProblem([2], [[]], [1], [[1]], capacity_profile={0: [(0, 2, 0)]})
>>> explain(q, np.array([2]), np.array([0]))
{0: Delay(resources=[0], blocking=[], delay=2, cause='unavailable', unavailable=[0])}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from podium.engine.leveling import RcpspProblem

__all__ = ["Delay", "check_feasible", "check_options", "explain"]

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Delay:
    """Why leveling started an activity later than its resource-free early start.

    Attributes
    ----------
    resources : list of int
        Resources that had no room for the activity in a period of
        :math:`[P_j, S_j)` of the final schedule, :math:`P_j` the start its
        predecessors allow (see :func:`explain`).
    blocking : list of int
        Activities using those resources in those periods (``cause="resources"``), or
        the predecessors whose lags push it past :math:`ES_j` (``cause="precedence"``).
    delay : int
        :math:`S_j - ES_j` in periods.
    cause : str
        ``"resources"`` (other activities hold them, maybe with a reduced capacity
        too), ``"unavailable"`` (only a capacity reduction was in the way: the
        resource's calendar, availability or other projects' load) or
        ``"precedence"``.
    unavailable : list of int
        Resources among ``resources`` whose capacity :math:`R_k(t)` was below
        :math:`R_k` in a period where the activity did not fit.
    """

    resources: list[int]
    blocking: list[int]
    delay: int
    cause: str = "resources"
    unavailable: list[int] = field(default_factory=list)


def check_feasible(problem: RcpspProblem, starts: Sequence[int] | IntArray) -> list[str]:
    r"""Violations of ``starts`` (empty when feasible), checked period by period.

    Checks :math:`S_j \ge 0`, every link :math:`S_j \ge S_i + l_{ij}` and, for every
    period :math:`t` and resource :math:`k`,
    :math:`\sum_{j: S_j \le t < S_j + d_j} r_{jk} \le R_k`. Written without the
    solvers' code: a plain usage table built activity by activity.
    """
    s = np.asarray(starts, dtype=np.int64)
    out: list[str] = []
    if s.shape != (problem.n,):
        return [f"expected {problem.n} starts, got shape {s.shape}"]
    d = problem.durations
    for j in np.flatnonzero(s < 0).tolist():
        out.append(f"activity {problem.names[j]} starts before 0 ({s[j]})")
    for i, succ in enumerate(problem.successors):
        for j, lag in zip(succ, problem.lags[i], strict=True):
            if s[j] < s[i] + lag:
                out.append(
                    f"link {problem.names[i]} -> {problem.names[j]}: start {s[j]} < {s[i]} + {lag}"
                )
    if out:
        return out
    horizon = int((s + d).max(initial=0))
    usage = np.zeros((horizon + 1, problem.capacities.size), dtype=np.int64)
    for j in range(problem.n):
        usage[s[j] : s[j] + d[j]] += problem.requests[j]
    caps = _capacities(problem, horizon + 1)
    over = np.argwhere(usage > caps)
    for t, k in over[:20].tolist():
        out.append(
            f"period {t}: resource {problem.resource_names[k]} uses {usage[t, k]} "
            f"> capacity {caps[t, k]}"
        )
    return out


def _capacities(problem: RcpspProblem, periods: int) -> IntArray:
    """:math:`R_k(t)` for :math:`t <` ``periods``, read from the problem's segments."""
    caps = np.empty((periods, problem.capacities.size), dtype=np.int64)
    caps[:] = problem.capacities
    for k, segments in problem.capacity_profile.items():
        for a, b, c in segments:
            caps[a:b, k] = c
    return caps


def check_options(
    problem: RcpspProblem,
    starts: Sequence[int] | IntArray,
    *,
    fixed: Mapping[int, int] | None = None,
    deadlines: Mapping[int, int] | None = None,
) -> list[str]:
    """Fixed starts and deadlines that ``starts`` does not meet (empty when all do).

    ``fixed[j]`` must equal :math:`S_j`; ``deadlines[j]`` must be :math:`\\ge S_j`
    (a latest start). Independent of the solvers, like :func:`check_feasible`.

    >>> from podium.engine.leveling import RcpspProblem
    >>> p = RcpspProblem([2, 2], [[], []], [1], [[1], [1]], names=["A", "B"])
    >>> check_options(p, [2, 0], fixed={0: 0}, deadlines={1: 0})
    ['activity A starts at 2, not at its fixed start 0']
    """
    s = [int(x) for x in np.asarray(starts, dtype=np.int64).tolist()]
    out: list[str] = []
    for j, t in sorted((fixed or {}).items()):
        if s[j] != t:
            out.append(f"activity {problem.names[j]} starts at {s[j]}, not at its fixed start {t}")
    for j, t in sorted((deadlines or {}).items()):
        if s[j] > t:
            out.append(
                f"activity {problem.names[j]} starts at {s[j]}, after its deadline {t} "
                f"(latest start)"
            )
    return out


def explain(problem: RcpspProblem, starts: IntArray, early: IntArray) -> dict[int, Delay]:
    r"""The :class:`Delay` of every activity with :math:`S_j > ES_j`.

    With :math:`P_j = \max(ES_j, \max_i S_i + l_{ij})` the start its predecessors allow
    in this schedule, the activity could have started at any :math:`t \in [P_j, S_j)`
    but for the resources: the periods of :math:`[P_j, S_j)` in which
    :math:`u_k(t) + r_{jk} > R_k(t)` (:math:`u` the other activities' usage) name the
    resources, the activities using them then (``blocking``) and, where
    :math:`R_k(t) < R_k`, the capacity reductions (``unavailable``). When
    :math:`P_j = S_j` the predecessors pushing it past :math:`ES_j` are the cause.
    """
    d = problem.durations
    req = problem.requests
    cap = problem.capacities
    finish = starts + d
    horizon = int(max(finish.max(initial=0), (early + d).max(initial=0))) + 1
    usage = np.zeros((horizon, cap.size), dtype=np.int64)
    for j in range(problem.n):
        usage[starts[j] : finish[j]] += req[j]
    caps = _capacities(problem, horizon)
    incoming: list[list[tuple[int, int]]] = [[] for _ in range(problem.n)]
    for i, j, lag in problem.edges:
        incoming[j].append((i, lag))
    out: dict[int, Delay] = {}
    for j in np.flatnonzero(starts > early).tolist():
        allowed = max([int(early[j])] + [int(starts[i]) + lag for i, lag in incoming[j]])
        lo, hi = allowed, int(starts[j])
        room = caps[lo:hi]
        clash = (usage[lo:hi] + req[j] > room) & (req[j] > 0)
        resources = np.flatnonzero(clash.any(axis=0)).tolist()
        if resources:
            blocking: set[int] = set()
            for k in resources:
                periods = lo + np.flatnonzero(clash[:, k])
                hit = (
                    (periods[None, :] >= starts[:, None]) & (periods[None, :] < finish[:, None])
                ).any(axis=1) & (req[:, k] > 0)
                hit[j] = False
                blocking.update(np.flatnonzero(hit).tolist())
            reduced = np.flatnonzero((clash & (room < cap)).any(axis=0)).tolist()
            cause = "resources" if blocking or not reduced else "unavailable"
            out[j] = Delay(resources, sorted(blocking), int(starts[j] - early[j]), cause, reduced)
        else:
            preds = sorted({i for i, lag in incoming[j] if starts[i] + lag > early[j]})
            out[j] = Delay([], preds, int(starts[j] - early[j]), "precedence")
    return out

r"""Independent feasibility check and delay explanations for leveled schedules.

:func:`check_feasible` shares no code with the solvers: it re-checks every link
:math:`S_j \ge S_i + l_{ij}` and, on a usage table built activity by activity, every
period :math:`t` and resource :math:`k`:
:math:`\sum_{j:\ S_j \le t < S_j + d_j} r_{jk} \le R_k`.

:func:`explain` says why each activity starts after its resource-free early start
:math:`ES_j`: the resources with no room in :math:`[ES_j, ES_j + d_j)` and the
activities holding them, or else the predecessors whose lags push it.

Examples
--------
>>> from podium.engine.leveling import RcpspProblem
>>> p = RcpspProblem([2, 2], [[], []], [1], [[1], [1]], names=["A", "B"])
>>> check_feasible(p, [0, 1])
['period 1: resource R1 uses 2 > capacity 1']
>>> import numpy as np
>>> explain(p, np.array([0, 2]), np.array([0, 0]))
{1: Delay(resources=[0], blocking=[0], delay=2, cause='resources')}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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
        Resources that had no room for the activity in the periods
        :math:`[ES_j, ES_j + d_j)` of the final schedule.
    blocking : list of int
        Activities using those resources in those periods (``cause="resources"``), or
        the predecessors whose lags push it past :math:`ES_j` (``cause="precedence"``).
    delay : int
        :math:`S_j - ES_j` in periods.
    cause : str
        ``"resources"`` or ``"precedence"``.
    """

    resources: list[int]
    blocking: list[int]
    delay: int
    cause: str = "resources"


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
    over = np.argwhere(usage > problem.capacities[None, :])
    for t, k in over[:20].tolist():
        out.append(
            f"period {t}: resource {problem.resource_names[k]} uses {usage[t, k]} "
            f"> capacity {problem.capacities[k]}"
        )
    return out


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
    """The :class:`Delay` of every activity with :math:`S_j > ES_j`."""
    d = problem.durations
    req = problem.requests
    cap = problem.capacities
    finish = starts + d
    horizon = int(max(finish.max(initial=0), (early + d).max(initial=0))) + 1
    usage = np.zeros((horizon, cap.size), dtype=np.int64)
    for j in range(problem.n):
        usage[starts[j] : finish[j]] += req[j]
    incoming: list[list[tuple[int, int]]] = [[] for _ in range(problem.n)]
    for i, j, lag in problem.edges:
        incoming[j].append((i, lag))
    out: dict[int, Delay] = {}
    for j in np.flatnonzero(starts > early).tolist():
        lo, hi = int(early[j]), int(early[j] + d[j])
        window = usage[lo:hi].copy()
        own_lo, own_hi = max(lo, int(starts[j])), min(hi, int(finish[j]))
        if own_lo < own_hi:
            window[own_lo - lo : own_hi - lo] -= req[j]
        clash = (window + req[j] > cap) & (req[j] > 0)
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
            out[j] = Delay(resources, sorted(blocking), int(starts[j] - early[j]), "resources")
        else:
            preds = sorted({i for i, lag in incoming[j] if starts[i] + lag > early[j]})
            out[j] = Delay([], preds, int(starts[j] - early[j]), "precedence")
    return out

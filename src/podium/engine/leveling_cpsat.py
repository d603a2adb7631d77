r"""Optimizing resource leveling with OR-Tools CP-SAT.

The model (one fixed-size interval per activity):

.. math::

    \min C_{\max} \quad\text{s.t.}\quad
    S_j \ge S_i + l_{ij}\ (i \to j), \qquad
    C_{\max} \ge S_j + d_j, \qquad
    \textstyle\text{cumulative}_k\bigl(\{[S_j, S_j + d_j), r_{jk}\}, R_k\bigr),

with domains :math:`ES_j \le S_j \le LS_j(UB)` from the resource-free pass, where
:math:`UB` is the makespan of the warm start (the heuristic schedule, also given as a
hint) and :math:`LB \le C_{\max} \le UB`.

A time-varying capacity :math:`R_k(t)` (the model's profile) becomes a constant
cumulative capacity :math:`\hat R_k = \max_{t < UB} R_k(t)` plus fixed intervals that
consume the missing capacity: for each maximal run :math:`[a, b)` of periods with the
same :math:`R_k(t) < \hat R_k`, an interval :math:`[a, b)` demanding
:math:`\hat R_k - R_k(t)`.

Examples
--------
>>> import numpy as np
>>> from podium.engine.leveling_sgs import SgsModel
>>> m = SgsModel(np.array([2, 2]), np.array([[1], [1]]), np.array([1]), [])
>>> out = solve_cpsat(m, np.array([0, 2]), lower_bound=2, time_limit=5.0, workers=1)
>>> out.makespan, out.optimal, out.bound
(4, True, 4)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import numpy.typing as npt
from ortools.sat.python import cp_model

from podium.engine.leveling_sgs import SgsModel, makespan_of

__all__ = ["CpsatOutcome", "solve_cpsat"]

IntArray = npt.NDArray[np.int64]

_IDLE_SUBSOLVERS = (
    "fj",
    "ls",
    "feasibility_pump",
    "rins/rens",
    "graph_arc_lns",
    "graph_cst_lns",
    "graph_dec_lns",
    "graph_var_lns",
    "rnd_cst_lns",
    "rnd_var_lns",
)


@dataclass(frozen=True)
class CpsatOutcome:
    """What CP-SAT returned.

    Attributes
    ----------
    starts : ndarray of int64
        Best schedule found (the warm start if CP-SAT found nothing better).
    makespan : int
    bound : int
        CP-SAT's proven lower bound on the makespan (``ceil`` of its objective bound).
    optimal : bool
        CP-SAT proved ``makespan`` optimal.
    status : str
        CP-SAT status name.
    """

    starts: IntArray
    makespan: int
    bound: int
    optimal: bool
    status: str


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, report: Callable[[int], None], cmax: cp_model.IntVar) -> None:
        super().__init__()
        self._report = report
        self._cmax = cmax

    def on_solution_callback(self) -> None:
        self._report(int(self.value(self._cmax)))


def _capacity_gaps(
    m: cp_model.CpModel, column: IntArray, top: int, k: int
) -> tuple[list[cp_model.IntervalVar], list[int]]:
    """Fixed intervals consuming :math:`top - R_k(t)` over each run of equal capacity."""
    if column.size == 0:
        return [], []
    change = np.flatnonzero(np.diff(column)) + 1
    bounds = [0, *change.tolist(), int(column.size)]
    blocks: list[cp_model.IntervalVar] = []
    amounts: list[int] = []
    for a, b in pairwise(bounds):
        gap = top - int(column[a])
        if gap > 0:
            blocks.append(m.new_fixed_size_interval_var(a, b - a, f"off{k}_{a}"))
            amounts.append(gap)
    return blocks, amounts


def solve_cpsat(
    model: SgsModel,
    warm: IntArray,
    *,
    lower_bound: int,
    time_limit: float,
    workers: int = 2,
    seed: int = 0,
    on_improve: Callable[[int], None] | None = None,
    weights: IntArray | None = None,
    warm_ok: bool = True,
) -> CpsatOutcome:
    """Minimize the makespan with CP-SAT, warm-started from the feasible ``warm``.

    Parameters
    ----------
    model : SgsModel
    warm : ndarray of int64
        A feasible schedule (its makespan is the upper bound of the search).
    lower_bound : int
        A valid lower bound on the makespan (critical path, energy).
    time_limit : float
        ``max_time_in_seconds``.
    workers : int
        ``num_workers``.
    seed : int
        ``random_seed``.
    on_improve : callable, optional
        Called with each improving makespan.
    weights : array of int >= 0, shape (n,), optional
        Secondary objective: minimize :math:`M C_{\\max} + \\sum_j w_j S_j` with
        :math:`M > \\sum_j w_j LS_j`, i.e. the makespan first, then the weighted
        starts (``bound`` stays a makespan bound: :math:`\\lfloor B / M \\rfloor`).
    warm_ok : bool
        Whether ``warm`` meets the model's fixed starts and deadlines (which are hard
        constraints here, through the domains :math:`ES_j \\le S_j \\le LS_j`). If
        not, the upper bound is ``model.horizon`` and the warm start is only a hint.

    Returns
    -------
    CpsatOutcome
        ``status == "INFEASIBLE"`` when no schedule meets the fixed starts and
        deadlines (then ``starts`` is ``warm``).
    """
    warm_ms = makespan_of(model, warm)
    ub = warm_ms if warm_ok else max(model.horizon, warm_ms)
    es = model.early_starts()
    ls = model.late_starts(ub)
    if (ls < es).any():
        return CpsatOutcome(warm, warm_ms, lower_bound, False, "INFEASIBLE")
    m = cp_model.CpModel()
    starts = [m.new_int_var(int(es[j]), int(max(ls[j], es[j])), f"s{j}") for j in range(model.n)]
    cmax = m.new_int_var(min(lower_bound, ub), ub, "makespan")
    intervals = [
        m.new_fixed_size_interval_var(starts[j], model.dl[j], f"x{j}") for j in range(model.n)
    ]
    for i, j, lag in model.edges:
        m.add(starts[j] >= starts[i] + lag)
    has_succ = {i for i, _, _ in model.edges}
    for j in range(model.n):
        if j not in has_succ or not model.nonneg:
            m.add(cmax >= starts[j] + model.dl[j])
    table = None if model.profile is None else model.capacity_until(ub)
    for k in range(model.cap.size):
        users = [j for j in range(model.n) if model.req[j, k] > 0 and model.dl[j] > 0]
        if not users:
            continue
        demand = int(model.req[users, k].sum())
        if table is None:
            if demand <= model.cap[k]:
                continue
            m.add_cumulative(
                [intervals[j] for j in users],
                [int(model.req[j, k]) for j in users],
                int(model.cap[k]),
            )
            continue
        column = table[:, k]
        if demand <= int(column.min(initial=model.cap[k])):
            continue
        top = int(column.max(initial=model.cap[k]))
        blocks, amounts = _capacity_gaps(m, column, top, k)
        m.add_cumulative(
            [intervals[j] for j in users] + blocks,
            [int(model.req[j, k]) for j in users] + amounts,
            top,
        )
    scale = 1
    if weights is not None and int(np.asarray(weights).max(initial=0)) > 0:
        w = np.asarray(weights, dtype=np.int64)
        scale = int((w * np.maximum(ls, es)).sum()) + 1
        m.minimize(scale * cmax + sum(int(w[j]) * starts[j] for j in range(model.n) if w[j]))
    else:
        m.minimize(cmax)
    for j in range(model.n):
        m.add_hint(starts[j], int(warm[j]))
    m.add_hint(cmax, ub)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(float(time_limit), 0.01)
    solver.parameters.num_workers = max(int(workers), 1)
    solver.parameters.random_seed = int(seed)
    # the warm start makes the first-solution and generic LNS workers idle weight on
    # 2 cores; keep the full search (bounds, proofs) and the scheduling neighbourhoods
    solver.parameters.ignore_subsolvers.extend(_IDLE_SUBSOLVERS)
    status = solver.solve(m, _Watcher(on_improve, cmax) if on_improve is not None else None)
    name = solver.status_name(status)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        found = np.array([solver.value(s) for s in starts], dtype=np.int64)
        ms = makespan_of(model, found)
        best = found if ms <= ub or not warm_ok else warm
        if scale == 1:
            bound = int(np.ceil(solver.best_objective_bound - 1e-6))
        else:
            bound = int(np.floor(solver.best_objective_bound / scale + 1e-9))
        return CpsatOutcome(
            best,
            makespan_of(model, best),
            max(bound, lower_bound),
            status == cp_model.OPTIMAL,
            name,
        )
    return CpsatOutcome(warm, warm_ms, lower_bound, False, name)

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

Redundant constraints: for sets :math:`D` of activities that pairwise cannot run in
parallel — :math:`r_{ik} + r_{jk} > \hat R_k` for some :math:`k`, or the longest path
of lags from :math:`i` to :math:`j` is at least :math:`d_i` — found greedily,
:math:`\text{no\_overlap}(\{[S_j, S_j + d_j) : j \in D\})`. They cut no schedule
but let CP-SAT reason on disjunctions that mix resources and links. Measured on PSPLIB
(2 workers, 10 s): j30 ``j3045_2`` and ``j3045_6`` proved optimal in about 1 s each,
where the bounds were 99 (optimum 125) and 109 (optimum 129) after 10 s without them.

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

__all__ = ["BuiltModel", "CpsatOutcome", "build_model", "solve_cpsat"]

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


ORDERED_PAIRS_MAX_N = 500
"""Above this many activities the precedence-ordered pairs (an ``n x n`` longest-path
table) are left out of the redundant disjunctions."""


def _ordered_pairs(model: SgsModel) -> npt.NDArray[np.bool_]:
    """``out[i, j]``: the links alone force :math:`S_j \\ge S_i + d_i` (the longest
    path of lags from ``i`` to ``j`` is at least :math:`d_i`)."""
    n = model.n
    none = np.iinfo(np.int64).min // 4
    dist = np.full((n, n), none, dtype=np.int64)  # dist[i, j]: longest path i -> j
    np.fill_diagonal(dist, 0)
    for j in np.argsort(model.rank).tolist():
        for i, lag in model.preds[j]:
            reach = np.where(dist[:, i] > none, dist[:, i] + lag, none)
            np.maximum(dist[:, j], reach, out=dist[:, j])
    out = dist >= model.d[:, None]
    np.fill_diagonal(out, False)
    return out


def _disjunctive_cliques(
    req: IntArray,
    d: IntArray,
    cap: IntArray,
    ordered: npt.NDArray[np.bool_] | None = None,
) -> list[list[int]]:
    """Sets of at least 3 activities (of positive duration) that pairwise cannot run in
    parallel: :math:`r_{ik} + r_{jk} > R_k` for some :math:`k`, or (with ``ordered``,
    see :func:`_ordered_pairs`) the links put one after the other.

    One set is grown greedily from each activity, by decreasing number of clashes
    (duplicates dropped), so there are at most ``n``. Each becomes a redundant
    ``no_overlap``, which propagates more than the cumulative constraints alone.
    """
    active = np.flatnonzero(d > 0)
    if active.size < 3:
        return []
    r = req[active]
    clash = np.zeros((active.size, active.size), dtype=bool)
    for k in range(cap.size):
        clash |= (r[:, None, k] + r[None, :, k]) > cap[k]
    if ordered is not None:
        sub = ordered[np.ix_(active, active)]
        clash |= sub | sub.T
    np.fill_diagonal(clash, False)
    degree = clash.sum(axis=1)
    seen: set[tuple[int, ...]] = set()
    out: list[list[int]] = []
    for seed in np.argsort(-degree, kind="stable").tolist():
        if degree[seed] < 2:
            break
        members = [seed]
        cand = clash[seed].copy()
        while cand.any():
            nxt = int(np.flatnonzero(cand)[np.argmax(degree[cand])])
            members.append(nxt)
            cand &= clash[nxt]
        key = tuple(sorted(members))
        if len(key) >= 3 and key not in seen:
            seen.add(key)
            out.append([int(active[i]) for i in key])
    return out


@dataclass(frozen=True)
class BuiltModel:
    """A CP-SAT model of the leveling problem (:func:`build_model`)."""

    model: cp_model.CpModel
    starts: list[cp_model.IntVar]
    cmax: cp_model.IntVar
    scale: int
    """Objective scale: :math:`M` with weights (the objective is
    :math:`M C_{\\max} + \\sum_j w_j S_j`), else 1."""


def build_model(
    model: SgsModel,
    warm: IntArray,
    *,
    lower_bound: int,
    ub: int,
    weights: IntArray | None = None,
) -> BuiltModel | None:
    """The CP-SAT model of the module docstring with :math:`C_{\\max} \\le` ``ub``,
    hinted with ``warm``; ``None`` when the resource-free latest starts for ``ub`` are
    below the earliest ones (no schedule meets the fixed starts and deadlines)."""
    es = model.early_starts()
    ls = model.late_starts(ub)
    if (ls < es).any():
        return None
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
    # with a profile, two activities clash only above the highest capacity
    top_cap = model.cap if table is None else np.maximum(table.max(axis=0, initial=0), model.cap)
    ordered = _ordered_pairs(model) if model.n <= ORDERED_PAIRS_MAX_N else None
    for clique in _disjunctive_cliques(model.req, model.d, top_cap, ordered):
        m.add_no_overlap([intervals[j] for j in clique])
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
    return BuiltModel(m, starts, cmax, scale)


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
    built = build_model(model, warm, lower_bound=lower_bound, ub=ub, weights=weights)
    if built is None:
        return CpsatOutcome(warm, warm_ms, lower_bound, False, "INFEASIBLE")
    m, starts, cmax, scale = built.model, built.starts, built.cmax, built.scale

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

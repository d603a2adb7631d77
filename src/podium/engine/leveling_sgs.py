r"""Heuristics for resource leveling: serial SGS, priority rules, justification, a GA.

Everything here works on :class:`SgsModel`, a plain array view of a
resource-constrained project with generalized start-to-start minimum lags

.. math:: S_j \ge S_i + l_{ij} \quad (i \to j), \qquad
          \sum_{j:\ S_j \le t < S_j + d_j} r_{jk} \le R_k(t) \quad \forall t, k,

where :math:`R_k(t) = R_k` unless a capacity profile (``SgsModel(profile=...)``, a
``(T, K)`` table of :math:`R_k(t)` for :math:`t < T`) says otherwise; from :math:`T` on
every capacity is :math:`R_k \ge r_{jk}`, so an activity always fits somewhere.

* :func:`serial_sgs` — the serial schedule generation scheme (Kelley 1963; Kolisch
  1996): activities are taken in a precedence-feasible list and each starts at the
  first period :math:`t \ge ES_j = \max(0, \max_i S_i + l_{ij})` where it fits for
  :math:`d_j` periods. The remaining capacity is a ``(H, K)`` numpy array (starting
  from :math:`R_k(t)`); the search jumps past the last conflicting period of the window,
  so each activity costs a few array operations.
* :func:`justify` — forward-backward improvement (Valls, Ballestín & Quintanilla
  2005): a backward pass is the serial SGS on the *mirrored* problem
  (:math:`S'_j = T - S_j - d_j`, edge :math:`j \to i` with lag
  :math:`l_{ij} + d_j - d_i`, capacity :math:`R'_k(t') = R_k(T - 1 - t')`), in order of
  decreasing finish; then a forward pass in order of increasing start. Repeated while
  the makespan drops.
* :func:`genetic_search` — Hartmann's (1998) activity-list GA with two-point crossover
  and adjacent-swap mutation; every child is decoded by the serial SGS and justified,
  and its list is replaced by the justified order (Lamarckian).

Examples
--------
>>> import numpy as np
>>> m = SgsModel(np.array([2, 2, 1]), np.array([[1], [1], [1]]), np.array([1]),
...              [(0, 2, 2)])
>>> serial_sgs(m, np.array([0, 1, 2])).tolist()
[0, 2, 4]
"""

from __future__ import annotations

import copy
import heapq
import time
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

__all__ = [
    "PRIORITY_RULES",
    "SgsModel",
    "genetic_search",
    "justify",
    "makespan_of",
    "priority_keys",
    "serial_sgs",
    "topo_order",
]

IntArray = npt.NDArray[np.int64]

PRIORITY_RULES = ("lft", "lst", "mts", "grpw", "spt", "est")
"""Priority rules of :func:`priority_keys` (smaller key = scheduled first)."""


class SgsModel:
    """Array view of an RCPSP with generalized minimum start-to-start lags.

    Parameters
    ----------
    durations : array of int, shape (n,)
    requests : array of int, shape (n, K)
    capacities : array of int, shape (K,)
    edges : sequence of (i, j, lag)
        :math:`S_j \\ge S_i + lag`. The edges must form a DAG.
    fixed : mapping of int to int, optional
        Activities whose start is fixed: :func:`serial_sgs` books them first and never
        moves them; :meth:`early_starts` and :meth:`late_starts` treat the start as
        both a release date and a deadline.
    deadlines : mapping of int to int, optional
        Latest starts: :meth:`late_starts` (and so the ``lft``/``lst`` rules and the
        CP-SAT domains) never exceed them. The serial SGS itself does not enforce them.
    priority : array of int, shape (n,), optional
        Leveling priority (higher = first): the primary key of :func:`priority_keys`.
    profile : array of int, shape (T, K), optional
        Time-varying capacity :math:`R_k(t)` for periods :math:`t < T` (``pend``);
        ``capacities`` hold from :math:`T` on and must cover every request.
    """

    def __init__(
        self,
        durations: IntArray,
        requests: IntArray,
        capacities: IntArray,
        edges: Sequence[tuple[int, int, int]],
        *,
        fixed: Mapping[int, int] | None = None,
        deadlines: Mapping[int, int] | None = None,
        priority: IntArray | None = None,
        profile: IntArray | None = None,
    ) -> None:
        self.n = int(durations.size)
        self.d = np.asarray(durations, dtype=np.int64)
        self.dl: list[int] = self.d.tolist()
        self.cap = np.asarray(capacities, dtype=np.int64)
        self.req = np.asarray(requests, dtype=np.int64).reshape(self.n, self.cap.size)
        self.profile = None if profile is None else np.asarray(profile, dtype=np.int64)
        self.pend = 0 if self.profile is None else int(self.profile.shape[0])
        self.edges = [(int(i), int(j), int(lag)) for i, j, lag in edges]
        self.preds: list[list[tuple[int, int]]] = [[] for _ in range(self.n)]
        self.succs: list[list[tuple[int, int]]] = [[] for _ in range(self.n)]
        for i, j, lag in self.edges:
            self.preds[j].append((i, lag))
            self.succs[i].append((j, lag))
        self.uses: list[bool] = ((self.req > 0).any(axis=1) & (self.d > 0)).tolist()
        self.nonneg = all(lag >= 0 for _, _, lag in self.edges)
        self.fixed: dict[int, int] = {int(j): int(t) for j, t in (fixed or {}).items()}
        self.deadlines: dict[int, int] = {int(j): int(t) for j, t in (deadlines or {}).items()}
        self.priority = None if priority is None else np.asarray(priority, dtype=np.int64)
        self.horizon = int(self.d.sum()) + sum(max(lag, 0) for _, _, lag in self.edges) + 1
        if self.fixed:
            self.horizon += max(t + self.dl[j] for j, t in self.fixed.items())
        self.horizon += self.pend
        self.rows = self.horizon + int(self.d.max(initial=0)) + 1
        self.rank = np.empty(self.n, dtype=np.int64)
        self.rank[topo_order(self, np.zeros(self.n, dtype=np.int64), use_rank=False)] = np.arange(
            self.n
        )
        self.edge_set = {(i, j) for i, j, _ in self.edges}
        self._mirror: SgsModel | None = None

    @property
    def constrained(self) -> bool:
        """Whether fixed starts, deadlines or priorities are set."""
        return bool(self.fixed or self.deadlines or self.priority is not None)

    def capacity_until(self, periods: int) -> IntArray:
        """:math:`R_k(t)` for :math:`0 \\le t <` ``periods``, shape ``(periods, K)``."""
        out = np.empty((max(int(periods), 0), self.cap.size), dtype=np.int64)
        out[:] = self.cap
        if self.profile is not None:
            top = min(self.pend, out.shape[0])
            out[:top] = self.profile[:top]
        return out

    def mirror(self, horizon: int | None = None) -> SgsModel:
        """The time-reversed problem: :math:`S'_j = T - S_j - d_j`.

        With fixed starts or a capacity profile, ``horizon`` (:math:`T`) maps them:
        :math:`S'_j = T - f_j - d_j` and :math:`R'_k(t') = R_k(T - 1 - t')` for
        :math:`t' < T` (deadlines and priorities are not mirrored).
        """
        dl = self.dl
        mirrored = [(j, i, lag + dl[j] - dl[i]) for i, j, lag in self.edges]
        if not self.fixed and self.profile is None:
            return SgsModel(self.d, self.req, self.cap, mirrored)
        if self._mirror is None:  # the structure is shared; only T-dependent data differ
            self._mirror = SgsModel(self.d, self.req, self.cap, mirrored)
        t = self.horizon if horizon is None else horizon
        out = copy.copy(self._mirror)
        extra = 0
        if self.fixed:
            out.fixed = {j: t - f - dl[j] for j, f in self.fixed.items()}
            extra = max(f + dl[j] for j, f in out.fixed.items())
        if self.profile is not None:
            out.profile = self.capacity_until(t)[::-1].copy()
            out.pend = t
            extra += t
        out.horizon = self._mirror.horizon + extra
        out.rows = out.horizon + int(self.d.max(initial=0)) + 1
        return out

    def early_starts(self) -> IntArray:
        """Resource-free earliest starts :math:`ES_j = \\max(0, \\max_i ES_i + l_{ij})`
        (at least :math:`f_j` for a fixed start; exactly :math:`f_j` if that is later)."""
        es = [0] * self.n
        fixed = self.fixed
        for j in np.argsort(self.rank).tolist():
            for i, lag in self.preds[j]:
                v = es[i] + lag
                if v > es[j]:
                    es[j] = v
            if fixed and j in fixed and fixed[j] > es[j]:
                es[j] = fixed[j]
        return np.asarray(es, dtype=np.int64)

    def late_starts(self, horizon: int) -> IntArray:
        """Resource-free latest starts for a makespan ``horizon``:
        :math:`LS_j = \\min(T - d_j, \\min_k LS_k - l_{jk})`, also at most a fixed
        start or a deadline."""
        ls = (horizon - self.d).tolist()
        for j, t in self.deadlines.items():
            ls[j] = min(ls[j], t)
        for j, t in self.fixed.items():
            ls[j] = min(ls[j], t)
        for j in np.argsort(-self.rank).tolist():
            for k, lag in self.succs[j]:
                v = ls[k] - lag
                if v < ls[j]:
                    ls[j] = v
        return np.asarray(ls, dtype=np.int64)


def makespan_of(model: SgsModel, starts: IntArray) -> int:
    """:math:`\\max_j S_j + d_j` (0 for an empty project)."""
    return int((starts + model.d).max(initial=0))


def topo_order(
    model: SgsModel, key: IntArray | npt.NDArray[np.float64], *, use_rank: bool = True
) -> IntArray:
    """Precedence-feasible list that follows ``key`` (ascending) as closely as possible.

    When every lag is non-negative and ``key`` is a schedule's starts, sorting by
    ``(key, topological rank)`` is already feasible; otherwise Kahn's algorithm with a
    heap on ``(key, index)``.
    """
    if use_rank and model.nonneg:
        return np.lexsort((model.rank, key)).astype(np.int64)
    keys = np.asarray(key).tolist()
    indeg = [len(p) for p in model.preds]
    heap = [(keys[j], j) for j in range(model.n) if indeg[j] == 0]
    heapq.heapify(heap)
    out: list[int] = []
    while heap:
        _, i = heapq.heappop(heap)
        out.append(i)
        for j, _lag in model.succs[i]:
            indeg[j] -= 1
            if indeg[j] == 0:
                heapq.heappush(heap, (keys[j], j))
    if len(out) != model.n:  # pragma: no cover - RcpspProblem rejects cycles first
        raise ValueError("precedence graph has a cycle")
    return np.asarray(out, dtype=np.int64)


def serial_sgs(model: SgsModel, order: IntArray) -> IntArray:
    """Serial schedule generation scheme over a precedence-feasible ``order``.

    Fixed activities (``model.fixed``) are booked first at their start and skipped
    in ``order``. Each other activity starts at the earliest :math:`t \\ge ES_j` with
    :math:`\\text{free}[t:t+d_j] \\ge r_j` for every resource; ``free`` (shape
    ``(H, K)``, initially :math:`R_k(t)`) is then reduced by :math:`r_j` over the
    window. When the window at :math:`ES_j` does not fit, the first fitting window up
    to the latest finish so far (or the profile's end) is found at once:
    ``ok[t] = all(free[t] >= r_j)`` and the windows' counts of non-fitting periods
    come from one cumulative sum.

    Returns
    -------
    ndarray of int64, shape (n,)
        Start periods (all :math:`\\ge 0`).
    """
    free = np.empty((model.rows, model.cap.size), dtype=np.int64)
    free[:] = model.cap
    if model.profile is not None:
        free[: model.pend] = model.profile
    starts = [0] * model.n
    latest = model.pend  # from here on nothing is booked and R_k(t) = R_k >= r_jk
    preds = model.preds
    dl = model.dl
    uses = model.uses
    req = model.req
    fixed = model.fixed
    if fixed:
        for j, t in fixed.items():
            free[t : t + dl[j]] -= req[j]
            starts[j] = t
            latest = max(latest, t + dl[j])
    for j in order.tolist():
        if fixed and j in fixed:
            continue
        es = 0
        for i, lag in preds[j]:
            v = starts[i] + lag
            if v > es:
                es = v
        if uses[j]:
            d = dl[j]
            rj = req[j]
            t = es
            if (free[t : t + d] < rj).any():
                # beyond ``latest`` every period is free, so a window always exists
                ok = (free[t : max(latest, t) + d] >= rj).all(axis=1)
                bad = np.zeros(ok.size + 1, dtype=np.int64)
                np.cumsum(~ok, out=bad[1:])
                t += int(np.argmax(bad[d:] == bad[:-d]))
            free[t : t + d] -= rj
            es = t
            if t + d > latest:
                latest = t + d
        starts[j] = es
    return np.asarray(starts, dtype=np.int64)


def justify(
    fwd: SgsModel,
    bwd: SgsModel,
    starts: IntArray,
    rounds: int = 4,
    deadline: float | None = None,
) -> tuple[IntArray, int, int]:
    """Forward-backward improvement (double justification) of a feasible schedule.

    Returns
    -------
    starts : ndarray of int64
        The best schedule seen (never worse than the input).
    makespan : int
    schedules : int
        Number of SGS passes made.
    """
    d = fwd.d
    best = starts
    best_ms = makespan_of(fwd, starts)
    cur = starts
    passes = 0
    for _ in range(rounds):
        t = makespan_of(fwd, cur)
        if fwd.fixed or fwd.profile is not None:
            # fixed starts and the capacity profile mirror with T: map back with the same T
            bwd = fwd.mirror(t)
            mirrored = serial_sgs(bwd, topo_order(bwd, t - cur - d))
            back = t - mirrored - d
            t2 = makespan_of(fwd, back) if back.min(initial=0) >= 0 else best_ms
        else:
            mirrored = serial_sgs(bwd, topo_order(bwd, t - cur - d))
            t2 = makespan_of(bwd, mirrored)
            back = t2 - mirrored - d
        cur = serial_sgs(fwd, topo_order(fwd, back))
        passes += 2
        ms = makespan_of(fwd, cur)
        if t2 < best_ms:
            best, best_ms = back, t2
        if ms <= best_ms:  # prefer the left-justified schedule on ties
            best, best_ms = cur, ms
        if ms >= t or (deadline is not None and time.perf_counter() >= deadline):
            break
    return best, best_ms, passes


def priority_keys(model: SgsModel, rule: str) -> npt.NDArray[np.float64]:
    """Priority values for a rule (smaller = first).

    ``lft`` latest finish :math:`LS_j + d_j`; ``lst`` latest start; ``mts`` minus the
    number of (transitive) successors; ``grpw`` minus the rank positional weight
    :math:`d_j + \\sum_{j \\to k} d_k`; ``spt`` shortest duration; ``est`` earliest
    start. Ties fall back to the topological rank. With ``model.priority`` the
    leveling priority is the primary key (higher priority = smaller key) and the rule
    only breaks ties; with deadlines or fixed starts the ``lft``/``lst`` late starts
    respect them.
    """
    es = model.early_starts()
    horizon = int((es + model.d).max(initial=0))
    if rule in ("lft", "lst"):
        ls = model.late_starts(horizon)
        key = ls + model.d if rule == "lft" else ls
    elif rule == "mts":
        reach: list[set[int]] = [set() for _ in range(model.n)]
        for j in np.argsort(-model.rank).tolist():
            for k, _ in model.succs[j]:
                reach[j].add(k)
                reach[j] |= reach[k]
        key = -np.array([len(r) for r in reach], dtype=np.int64)
    elif rule == "grpw":
        key = -(model.d + np.array([sum(model.dl[k] for k, _ in s) for s in model.succs]))
    elif rule == "spt":
        key = model.d.copy()
    elif rule == "est":
        key = es
    else:
        raise ValueError(f"unknown priority rule {rule!r}; choose from {PRIORITY_RULES}")
    out = key.astype(np.float64) + model.rank / (10.0 * max(model.n, 1))
    if model.priority is not None and model.n:
        # leveling priority first (higher = earlier), the rule breaks ties
        span = float(np.ptp(out)) + 1.0
        out = out + (model.priority.max() - model.priority).astype(np.float64) * span
    return out


def _crossover(mother: IntArray, father: IntArray, rng: np.random.Generator) -> IntArray:
    """Hartmann's two-point crossover: mother's prefix, father's middle, mother's rest."""
    n = mother.size
    q1, q2 = sorted(rng.integers(0, n + 1, 2).tolist())
    taken = np.zeros(n, dtype=bool)
    head = mother[:q1]
    taken[head] = True
    mid = father[~taken[father]][: q2 - q1]
    taken[mid] = True
    tail = mother[~taken[mother]]
    return np.concatenate([head, mid, tail])


def _mutate(order: IntArray, model: SgsModel, rng: np.random.Generator, p: float) -> IntArray:
    """Swap neighbours with probability ``p`` unless one directly precedes the other."""
    out = order.copy()
    for pos in np.flatnonzero(rng.random(out.size - 1) < p).tolist():
        a, b = int(out[pos]), int(out[pos + 1])
        if (a, b) not in model.edge_set:
            out[pos], out[pos + 1] = b, a
    return out


def genetic_search(
    fwd: SgsModel,
    *,
    deadline: float,
    lower_bound: int,
    rng: np.random.Generator,
    population: int = 30,
    on_improve: Callable[[int], None] | None = None,
    max_schedules: int | None = None,
    fbi_rounds: int = 4,
    stall: float | None = None,
    score: Callable[[IntArray], tuple[int, int]] | None = None,
) -> tuple[IntArray, int, int]:
    """Priority rules, biased random sampling and an activity-list GA, all with FBI.

    Schedules are ranked by makespan or, with ``score`` (returning a penalty, e.g.
    periods past deadlines, and a secondary cost, e.g. priority-weighted starts), by
    ``(penalty, makespan, secondary)``; then the raw SGS schedule competes with its
    justified one, and stopping at ``lower_bound`` needs a zero penalty.

    Runs until ``time.perf_counter() >= deadline``, the makespan reaches
    ``lower_bound``, ``max_schedules`` SGS passes were made, or (with ``stall``) the
    makespan has not improved for ``stall`` seconds. At least the LFT rule
    with one forward-backward round is always evaluated.

    Returns
    -------
    starts, makespan, schedules
    """
    if fwd.n == 0:
        return np.zeros(0, dtype=np.int64), 0, 0
    bwd = fwd.mirror()
    pool: list[tuple[tuple[int, int, int], IntArray, IntArray]] = []
    count = 0
    big = int(np.iinfo(np.int64).max)
    best_fit = (big, big, big)

    improved = [time.perf_counter()]
    spent = [0.0, 0]  # seconds and number of evaluations, to stop before the deadline

    def evaluate(order: IntArray) -> tuple[tuple[int, int, int], IntArray, IntArray]:
        nonlocal count, best_fit
        t = time.perf_counter()
        raw = serial_sgs(fwd, order)
        s, ms, passes = justify(fwd, bwd, raw, fbi_rounds, deadline)
        count += 1 + passes
        if score is None:
            fit = (0, ms, 0)
        else:
            pen, sec = score(s)
            fit = (pen, ms, sec)
            pen, sec = score(raw)
            raw_fit = (pen, makespan_of(fwd, raw), sec)
            if raw_fit < fit:
                s, fit = raw, raw_fit
        if fit < best_fit:
            if fit[1] < best_fit[1] and on_improve is not None:
                on_improve(fit[1])
            best_fit = fit
            improved[0] = time.perf_counter()
        spent[0] += time.perf_counter() - t
        spent[1] += 1
        return fit, topo_order(fwd, s), s

    def done() -> bool:
        now = time.perf_counter()
        return (
            (best_fit[0] == 0 and best_fit[1] <= lower_bound)
            or (stall is not None and now - improved[0] >= stall)
            or now + spent[0] / max(spent[1], 1) >= deadline
            or (max_schedules is not None and count >= max_schedules)
        )

    keys = {rule: priority_keys(fwd, rule) for rule in PRIORITY_RULES}  # lft first
    for rule in PRIORITY_RULES:
        pool.append(evaluate(topo_order(fwd, keys[rule], use_rank=False)))
        if done():
            break
    lft = keys["lft"]
    spread = float(np.ptp(lft)) + 1.0
    while len(pool) < population and not done():
        noisy = lft + rng.random(fwd.n) * spread * rng.uniform(0.05, 0.5)
        pool.append(evaluate(topo_order(fwd, noisy, use_rank=False)))
    pool.sort(key=lambda x: x[0])
    while not done() and fwd.n > 1:
        children = []
        for _ in range(population):
            a, b = rng.integers(0, len(pool), 2).tolist()
            c, e = rng.integers(0, len(pool), 2).tolist()
            mother = pool[min(a, b)][1]
            father = pool[min(c, e)][1]
            child = _mutate(_crossover(mother, father, rng), fwd, rng, 0.05)
            children.append(evaluate(child))
            if done():
                break
        merged = sorted(pool + children, key=lambda x: x[0])
        seen: set[bytes] = set()
        pool = []
        for item in merged:
            sig = item[2].tobytes()
            if sig not in seen:
                seen.add(sig)
                pool.append(item)
            if len(pool) == population:
                break
    best = min(pool, key=lambda x: x[0])
    return best[2], best[0][1], count

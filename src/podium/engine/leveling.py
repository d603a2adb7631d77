r"""Resource-constrained scheduling (leveling): the :func:`level` facade.

The problem (RCPSP with generalized minimum time lags, renewable resources): find
integer starts :math:`S_j \ge 0` minimizing the makespan
:math:`C_{\max} = \max_j S_j + d_j` subject to

.. math::

    S_j \ge S_i + l_{ij} \quad \forall (i \to j), \qquad
    \sum_{j:\ S_j \le t < S_j + d_j} r_{jk} \le R_k \quad \forall t, k.

Every link type is a start-to-start minimum lag (:meth:`RcpspProblem.from_links`):
FS :math:`l = d_i + lag`, SS :math:`l = lag`, FF :math:`l = d_i - d_j + lag`,
SF :math:`l = lag - d_j`.

:func:`level` runs a heuristic (serial SGS with priority rules, forward-backward
improvement and a genetic search; :mod:`podium.engine.leveling_sgs`) and/or CP-SAT
(:mod:`podium.engine.leveling_cpsat`) warm-started from it. The lower bound is

.. math:: LB = \max\Bigl(\max_j ES_j + d_j,\
          \max_k \Bigl\lceil \tfrac{\sum_j d_j r_{jk}}{R_k} \Bigr\rceil,\
          \text{CP-SAT's objective bound}\Bigr).

:func:`check_feasible` verifies a schedule independently of both solvers and
:func:`explain` gives each delayed activity's :class:`Delay`
(:mod:`podium.engine.leveling_explain`, re-exported here).

Examples
--------
Two activities share one unit of a resource; the third follows the first:

>>> p = RcpspProblem(durations=[3, 2, 1], successors=[[2], [], []],
...                  capacities=[1], requests=[[1], [1], [0]])
>>> r = level(p, time_limit=5, mode="heuristic")
>>> r.makespan, r.lower_bound, r.status
(5, 5, 'optimal')
>>> check_feasible(p, r.starts)
[]
>>> r.delays  # doctest: +ELLIPSIS
{1: Delay(resources=[0], blocking=[0], delay=3, cause='resources')}
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from podium.engine.errors import CycleError, InfeasibleError, NetworkError
from podium.engine.leveling_cpsat import solve_cpsat
from podium.engine.leveling_explain import Delay, check_feasible, explain
from podium.engine.leveling_sgs import (
    SgsModel,
    genetic_search,
    justify,
    priority_keys,
    serial_sgs,
    topo_order,
)

__all__ = [
    "Delay",
    "LevelingResult",
    "Progress",
    "PsplibArrays",
    "RcpspProblem",
    "check_feasible",
    "explain",
    "level",
    "lft_single_pass",
    "static_lower_bound",
]

IntArray = npt.NDArray[np.int64]
Mode = Literal["auto", "heuristic", "optimize"]
LinkType = Literal["FS", "SS", "FF", "SF"]

HEURISTIC_SHARE = 0.3
"""In ``mode="auto"``, the share of the time limit given to the heuristic."""
STALL_SHARE = 0.25
"""In ``mode="auto"``, the heuristic hands over to CP-SAT once it has not improved for
this share of its budget."""


class PsplibArrays(Protocol):
    """What :meth:`RcpspProblem.from_psplib` reads (e.g. ``read_psplib_arrays``)."""

    @property
    def name(self) -> str: ...
    @property
    def durations(self) -> IntArray: ...
    @property
    def successors(self) -> tuple[tuple[int, ...], ...]: ...
    @property
    def capacities(self) -> IntArray: ...
    @property
    def requests(self) -> IntArray: ...


def _ints(values: object, what: str, ndim: int) -> IntArray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.size == 0 and arr.ndim != ndim:
        arr = arr.reshape((0,) * ndim)
    if arr.ndim != ndim:
        raise NetworkError(f"{what} must be {ndim}-dimensional, got shape {arr.shape}")
    if (arr < 0).any() or (arr != np.round(arr)).any():
        raise NetworkError(f"{what} must be whole numbers >= 0")
    return arr.astype(np.int64)


@dataclass(frozen=True, init=False, eq=False)
class RcpspProblem:
    r"""A resource-constrained project, validated when built.

    Parameters
    ----------
    durations : sequence of int, length n
        Duration of each activity in periods.
    successors : sequence of sequence of int
        ``successors[i]`` are the activities that follow ``i`` (0-based).
    capacities : sequence of int, length K
        Units of each renewable resource available in every period.
    requests : array-like, shape (n, K)
        Units activity ``j`` uses of resource ``k`` in every period it runs.
    lags : sequence of sequence of int, optional
        Generalized start-to-start minimum lags parallel to ``successors``:
        :math:`S_j \ge S_i + l_{ij}`. Default: finish-to-start without lag,
        :math:`l_{ij} = d_i`.
    names : sequence of str, optional
        Activity names for messages (default ``"0"``, ``"1"``, ...).
    resource_names : sequence of str, optional
        Resource names for messages (default ``"R1"``, ``"R2"``, ...).

    Raises
    ------
    InfeasibleError
        An activity requests more of a resource than its capacity (names both).
    CycleError
        The precedence links form a cycle (names its activities).
    NetworkError
        Shapes or values are wrong.
    """

    durations: IntArray
    successors: tuple[tuple[int, ...], ...]
    capacities: IntArray
    requests: IntArray
    lags: tuple[tuple[int, ...], ...] = ()
    names: tuple[str, ...] = ()
    resource_names: tuple[str, ...] = ()
    _model: SgsModel = field(init=False, repr=False, compare=False)

    def __init__(
        self,
        durations: npt.ArrayLike,
        successors: Sequence[Sequence[int]],
        capacities: npt.ArrayLike,
        requests: npt.ArrayLike,
        lags: Sequence[Sequence[int]] | None = None,
        names: Sequence[str] | None = None,
        resource_names: Sequence[str] | None = None,
    ) -> None:
        d = _ints(durations, "durations", 1)
        n = d.size
        cap = _ints(capacities, "capacities", 1)
        req = np.asarray(requests)
        req = _ints(req.reshape(n, cap.size) if req.size == n * cap.size else req, "requests", 2)
        if req.shape != (n, cap.size):
            raise NetworkError(f"requests must have shape ({n}, {cap.size}), got {req.shape}")
        if len(successors) != n:
            raise NetworkError(f"successors must have {n} lists, got {len(successors)}")
        succ = tuple(tuple(int(j) for j in s) for s in successors)
        for i, s in enumerate(succ):
            for j in s:
                if not 0 <= j < n:
                    raise NetworkError(f"activity {i} has unknown successor {j}")
                if j == i:
                    raise CycleError([self._name(names, i)])
        if lags is None:
            lag_t = tuple(tuple(int(d[i]) for _ in s) for i, s in enumerate(succ))
        else:
            lag_t = tuple(tuple(int(x) for x in row) for row in lags)
            if [len(r) for r in lag_t] != [len(s) for s in succ]:
                raise NetworkError("lags must have the same shape as successors")
        act_names = tuple(names) if names is not None else tuple(str(i) for i in range(n))
        if len(act_names) != n:
            raise NetworkError(f"names must have {n} entries")
        res_names = (
            tuple(resource_names)
            if resource_names is not None
            else tuple(f"R{k + 1}" for k in range(cap.size))
        )
        if len(res_names) != cap.size:
            raise NetworkError(f"resource_names must have {cap.size} entries")
        over = np.argwhere(req > cap[None, :])
        if over.size:
            j, k = (int(x) for x in over[0])
            raise InfeasibleError(
                f"activity {act_names[j]!r} requests {req[j, k]} units of resource "
                f"{res_names[k]!r}, whose capacity is {cap[k]}"
            )
        _find_cycle(succ, act_names)
        object.__setattr__(self, "durations", d)
        object.__setattr__(self, "successors", succ)
        object.__setattr__(self, "capacities", cap)
        object.__setattr__(self, "requests", req)
        object.__setattr__(self, "lags", lag_t)
        object.__setattr__(self, "names", act_names)
        object.__setattr__(self, "resource_names", res_names)
        edges = [
            (i, j, lag) for i, s in enumerate(succ) for j, lag in zip(s, lag_t[i], strict=True)
        ]
        object.__setattr__(self, "_model", SgsModel(d, req, cap, edges))

    @staticmethod
    def _name(names: Sequence[str] | None, i: int) -> str:
        return str(names[i]) if names is not None and i < len(names) else str(i)

    @property
    def n(self) -> int:
        """Number of activities."""
        return int(self.durations.size)

    @property
    def edges(self) -> list[tuple[int, int, int]]:
        """``(i, j, lag)`` for every link: :math:`S_j \\ge S_i + lag`."""
        return list(self._model.edges)

    @classmethod
    def from_psplib(cls, instance: PsplibArrays) -> RcpspProblem:
        """Build from :func:`podium.interchange.psplib.read_psplib_arrays` output.

        Activities are named by their PSPLIB job number (``"1"`` .. ``"N+2"``).
        """
        n = int(np.asarray(instance.durations).size)
        return cls(
            instance.durations,
            instance.successors,
            instance.capacities,
            instance.requests,
            names=[str(j + 1) for j in range(n)],
        )

    @classmethod
    def from_links(
        cls,
        durations: Sequence[int],
        links: Sequence[tuple[int, int, LinkType, int]],
        capacities: npt.ArrayLike,
        requests: npt.ArrayLike,
        names: Sequence[str] | None = None,
        resource_names: Sequence[str] | None = None,
    ) -> RcpspProblem:
        r"""Build from ``(pred, succ, type, lag)`` links of type FS, SS, FF or SF.

        Each becomes a start-to-start minimum lag: FS :math:`d_i + lag`, SS
        :math:`lag`, FF :math:`d_i - d_j + lag`, SF :math:`lag - d_j`.

        >>> p = RcpspProblem.from_links([4, 2], [(0, 1, "FF", 1)], [1], [[0], [0]])
        >>> p.edges
        [(0, 1, 3)]
        """
        d = [int(x) for x in durations]
        succ: list[list[int]] = [[] for _ in d]
        lag: list[list[int]] = [[] for _ in d]
        for i, j, typ, value in links:
            if typ == "FS":
                g = d[i] + value
            elif typ == "SS":
                g = value
            elif typ == "FF":
                g = d[i] - d[j] + value
            elif typ == "SF":
                g = value - d[j]
            else:
                raise NetworkError(f"unknown link type {typ!r} (FS, SS, FF, SF)")
            succ[i].append(j)
            lag[i].append(g)
        return cls(d, succ, capacities, requests, lag, names, resource_names)


def _find_cycle(succ: tuple[tuple[int, ...], ...], names: tuple[str, ...]) -> None:
    """Raise :class:`CycleError` naming one cycle, if the successor graph has any."""
    n = len(succ)
    indeg = [0] * n
    for s in succ:
        for j in s:
            indeg[j] += 1
    stack = [i for i in range(n) if indeg[i] == 0]
    seen = 0
    while stack:
        i = stack.pop()
        seen += 1
        for j in succ[i]:
            indeg[j] -= 1
            if indeg[j] == 0:
                stack.append(j)
    if seen == n:
        return
    left = {i for i in range(n) if indeg[i] > 0}
    # every remaining node has a remaining predecessor: walk backwards until a repeat
    pred = {j: i for i in left for j in succ[i] if j in left}
    node = next(iter(left))
    path: list[int] = []
    pos: dict[int, int] = {}
    while node not in pos:
        pos[node] = len(path)
        path.append(node)
        node = pred[node]
    cycle = path[pos[node] :][::-1]
    raise CycleError([names[i] for i in cycle])


@dataclass(frozen=True)
class Progress:
    """A progress report passed to ``level(progress=...)``."""

    phase: str
    seconds: float
    makespan: int
    lower_bound: int


@dataclass(frozen=True, eq=False)
class LevelingResult:
    """A leveled schedule.

    Attributes
    ----------
    starts : ndarray of int64
        Start period of each activity.
    makespan : int
    lower_bound : int
        Proven lower bound on the optimal makespan.
    status : str
        ``"optimal"`` (``makespan == lower_bound`` or CP-SAT proved it) or
        ``"feasible"``.
    seconds : float
        Wall-clock time of :func:`level`.
    early_starts : ndarray of int64
        Resource-free earliest starts :math:`ES_j`.
    delays : dict of int to Delay
        For every activity with :math:`S_j > ES_j`.
    heuristic_makespan : int
        Makespan of the heuristic phase (the CP-SAT warm start).
    schedules : int
        Serial-SGS passes made by the heuristic.
    solver : str
        What ran, e.g. ``"heuristic+cp-sat(OPTIMAL)"``.
    durations : ndarray of int64
        The activities' durations (for :attr:`finishes`).
    """

    starts: IntArray
    makespan: int
    lower_bound: int
    status: str
    seconds: float
    early_starts: IntArray
    delays: dict[int, Delay]
    heuristic_makespan: int
    schedules: int
    solver: str

    durations: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64), repr=False)

    @property
    def finishes(self) -> IntArray:
        """Finish periods :math:`S_j + d_j` (exclusive)."""
        return self.starts + self.durations


def static_lower_bound(problem: RcpspProblem) -> int:
    r"""Critical-path and energy bound:
    :math:`\max(\max_j ES_j + d_j, \max_k \lceil \sum_j d_j r_{jk} / R_k \rceil)`."""
    m = problem._model
    cp = int((m.early_starts() + m.d).max(initial=0))
    energy = (problem.durations[:, None] * problem.requests).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        per = np.where(problem.capacities > 0, -(-energy // np.maximum(problem.capacities, 1)), 0)
    return max(cp, int(per.max(initial=0)))


def lft_single_pass(problem: RcpspProblem) -> IntArray:
    """One serial-SGS pass with the LFT priority rule (the classic leveling baseline)."""
    m = problem._model
    return serial_sgs(m, topo_order(m, priority_keys(m, "lft"), use_rank=False))


def level(
    problem: RcpspProblem,
    *,
    time_limit: float = 10.0,
    workers: int = 2,
    seed: int = 0,
    mode: Mode = "auto",
    progress: Callable[[Progress], None] | None = None,
) -> LevelingResult:
    """Level ``problem``: minimize the makespan under resource capacities.

    Parameters
    ----------
    problem : RcpspProblem
    time_limit : float
        Wall-clock budget in seconds (the heuristic always completes its priority-rule
        passes, so tiny limits may be exceeded by a few milliseconds).
    workers : int
        CP-SAT ``num_workers``.
    seed : int
        Seed of the heuristic's random generator and of CP-SAT.
    mode : {"auto", "heuristic", "optimize"}
        ``"heuristic"``: priority rules + FBI + genetic search for the whole limit.
        ``"optimize"``: priority rules + FBI, then CP-SAT for the rest of the limit.
        ``"auto"``: the genetic search for ``HEURISTIC_SHARE`` of the limit (less if
        it stalls for ``STALL_SHARE`` of that), then CP-SAT.
    progress : callable, optional
        Receives a :class:`Progress` on each improvement and phase change.

    Returns
    -------
    LevelingResult
    """
    if mode not in ("auto", "heuristic", "optimize"):
        raise ValueError(f"mode must be 'auto', 'heuristic' or 'optimize', got {mode!r}")
    t0 = time.perf_counter()
    m = problem._model
    lb = static_lower_bound(problem)
    early = m.early_starts()

    def report(phase: str) -> Callable[[int], None]:
        def call(ms: int) -> None:
            if progress is not None:
                progress(Progress(phase, time.perf_counter() - t0, ms, lb))

        return call

    if mode == "heuristic":
        share = 1.0
    elif mode == "auto":
        share = HEURISTIC_SHARE
    else:
        share = 0.0
    rng = np.random.default_rng(seed)
    deadline = t0 + share * time_limit - (0.01 + 4e-5 * problem.n) * (mode == "heuristic")
    starts, ms, count = genetic_search(
        m,
        deadline=deadline,
        lower_bound=lb,
        rng=rng,
        on_improve=report("heuristic"),
        stall=STALL_SHARE * share * time_limit if mode == "auto" else None,
    )
    heuristic_ms = ms
    solver = "heuristic"
    optimal = ms <= lb
    if mode != "heuristic" and not optimal:
        remaining = time_limit - (time.perf_counter() - t0) - 0.02
        if remaining > 0.05:
            out = solve_cpsat(
                m,
                starts,
                lower_bound=lb,
                time_limit=remaining,
                workers=workers,
                seed=seed,
                on_improve=report("cp-sat"),
            )
            solver = f"heuristic+cp-sat({out.status})"
            lb = max(lb, out.bound)
            if out.makespan < ms:
                # left-justify CP-SAT's schedule: serial SGS in start order never delays
                cand = out.starts
                tidy = serial_sgs(m, topo_order(m, cand))
                tidy_ms = int((tidy + m.d).max(initial=0))
                starts, ms = (tidy, tidy_ms) if tidy_ms <= out.makespan else (cand, out.makespan)
            optimal = out.optimal or ms <= lb
    if optimal:
        lb = ms
    if progress is not None:
        progress(Progress("done", time.perf_counter() - t0, ms, lb))
    return LevelingResult(
        starts=starts,
        makespan=ms,
        lower_bound=lb,
        status="optimal" if optimal else "feasible",
        seconds=time.perf_counter() - t0,
        early_starts=early,
        delays=explain(problem, starts, early),
        heuristic_makespan=heuristic_ms,
        schedules=count,
        solver=solver,
        durations=problem.durations,
    )


def _justified(problem: RcpspProblem, starts: IntArray) -> IntArray:
    """Forward-backward improvement of a feasible schedule (used by tests)."""
    m = problem._model
    return justify(m, m.mirror(), starts)[0]

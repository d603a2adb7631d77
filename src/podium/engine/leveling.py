r"""Resource-constrained scheduling (leveling): the :func:`level` facade.

The problem (RCPSP with generalized minimum time lags, renewable resources): find
integer starts :math:`S_j \ge 0` minimizing the makespan
:math:`C_{\max} = \max_j S_j + d_j` subject to

.. math::

    S_j \ge S_i + l_{ij} \quad \forall (i \to j), \qquad
    \sum_{j:\ S_j \le t < S_j + d_j} r_{jk} \le R_k(t) \quad \forall t, k.

The capacity :math:`R_k(t)` is the base capacity :math:`R_k` except where the optional
capacity profile of :class:`RcpspProblem` gives segments :math:`(a, b, c)`:
:math:`R_k(t) = c` for :math:`a \le t < b` (a resource calendar's non-working time,
reduced availability, other projects' load; :mod:`podium.engine.leveling_capacity`).

Every link type is a start-to-start minimum lag (:meth:`RcpspProblem.from_links`):
FS :math:`l = d_i + lag`, SS :math:`l = lag`, FF :math:`l = d_i - d_j + lag`,
SF :math:`l = lag - d_j`.

:func:`level` runs a heuristic (serial SGS with priority rules, forward-backward
improvement and a genetic search; :mod:`podium.engine.leveling_sgs`) and/or CP-SAT
(:mod:`podium.engine.leveling_cpsat`) warm-started from it. The lower bound is

.. math:: LB = \max\Bigl(\max_j E_j + d_j,\
          \max_k \min\Bigl\{T : \sum_{t < T} R_k(t) \ge \sum_j d_j r_{jk}\Bigr\},\
          \text{CP-SAT's objective bound}\Bigr),

where :math:`E_j \ge ES_j` is the earliest start after the predecessors at which the
capacity alone leaves room for :math:`j` (:math:`E_j = ES_j` without a profile, and the
energy term is then :math:`\lceil \sum_j d_j r_{jk} / R_k \rceil`).

Options of :func:`level`: ``fixed`` starts (booked first, never moved: a what-if in
which only some components may move), a leveling ``priority`` per activity and
``deadlines`` (latest starts; :func:`float_deadlines` gives "within float"). CP-SAT
enforces them; a result that misses any says so in ``status`` and ``violations``.
They are validated in :mod:`podium.engine.leveling_options` (``float_deadlines`` is
re-exported here).

:func:`check_feasible` verifies a schedule independently of both solvers,
:func:`check_options` its fixed starts and deadlines, and
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
{1: Delay(resources=[0], blocking=[0], delay=3, cause='resources', unavailable=[])}

The same crew is unavailable in periods 3-5 (a capacity profile): the second
activity waits for it, and the explanation says so:

>>> q = RcpspProblem([3, 2, 1], [[2], [], []], [1], [[1], [1], [0]],
...                  capacity_profile={0: [(3, 6, 0)]})
>>> r = level(q, time_limit=5, mode="heuristic")
>>> r.starts.tolist(), r.makespan
([0, 6, 3], 8)
>>> r.delays[1]
Delay(resources=[0], blocking=[0], delay=6, cause='resources', unavailable=[0])
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from podium.engine.errors import CycleError, InfeasibleError, NetworkError
from podium.engine.leveling_capacity import (
    check_windows,
    energy_bound,
    profile_early_starts,
    profile_table,
)
from podium.engine.leveling_cpsat import solve_cpsat
from podium.engine.leveling_explain import Delay, check_feasible, check_options, explain
from podium.engine.leveling_options import _ints, _option_score, _options, float_deadlines
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
    "check_options",
    "explain",
    "float_deadlines",
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
    capacity_profile : mapping of int to sequence of (int, int, int), optional
        Time-varying capacity: ``{k: [(a, b, c), ...]}`` sets
        :math:`R_k(t) = c` for :math:`a \le t < b` (segments of one resource must not
        overlap; :math:`c` may be below or above :math:`R_k`). Elsewhere, and from the
        last segment end on, :math:`R_k(t) = R_k`, which must cover every request.
    horizon : int, optional
        The planning horizon: with a profile, every activity must find a window of
        :math:`d_j` periods with enough capacity (ignoring other activities) that
        ends by ``horizon``, after its predecessors.

    Raises
    ------
    InfeasibleError
        An activity requests more of a resource than its capacity, or (with a
        profile and ``horizon``) the resource never has that capacity for the
        activity's duration between its earliest start and the horizon (names both).
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
    capacity_profile: dict[int, tuple[tuple[int, int, int], ...]] = field(default_factory=dict)
    horizon: int | None = None
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
        capacity_profile: Mapping[int, Sequence[tuple[int, int, int]]] | None = None,
        horizon: int | None = None,
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
        table = profile_table(capacity_profile or {}, cap, res_names)
        if horizon is not None and (int(horizon) != horizon or horizon < 0):
            raise NetworkError(f"horizon must be a whole number >= 0, got {horizon}")
        object.__setattr__(self, "durations", d)
        object.__setattr__(self, "successors", succ)
        object.__setattr__(self, "capacities", cap)
        object.__setattr__(self, "requests", req)
        object.__setattr__(self, "lags", lag_t)
        object.__setattr__(self, "names", act_names)
        object.__setattr__(self, "resource_names", res_names)
        object.__setattr__(
            self,
            "capacity_profile",
            {
                int(k): tuple(sorted((int(a), int(b), int(c)) for a, b, c in segs))
                for k, segs in (capacity_profile or {}).items()
                if segs
            },
        )
        object.__setattr__(self, "horizon", None if horizon is None else int(horizon))
        edges = [
            (i, j, lag) for i, s in enumerate(succ) for j, lag in zip(s, lag_t[i], strict=True)
        ]
        model = SgsModel(d, req, cap, edges, profile=table)
        object.__setattr__(self, "_model", model)
        if table is not None and horizon is not None:
            check_windows(model, int(horizon), act_names, res_names)

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
        capacity_profile: Mapping[int, Sequence[tuple[int, int, int]]] | None = None,
        horizon: int | None = None,
    ) -> RcpspProblem:
        r"""Build from ``(pred, succ, type, lag)`` links of type FS, SS, FF or SF.

        Each becomes a start-to-start minimum lag: FS :math:`d_i + lag`, SS
        :math:`lag`, FF :math:`d_i - d_j + lag`, SF :math:`lag - d_j`. The other
        parameters are those of :class:`RcpspProblem`.

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
        return cls(
            d, succ, capacities, requests, lag, names, resource_names, capacity_profile, horizon
        )


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
        ``"feasible"`` when every fixed start and deadline is met (``violations``
        empty); else ``"infeasible"`` (proved: no schedule meets the fixed starts and
        deadlines) or ``"violated"`` (not met, not proved impossible: heuristic mode
        or CP-SAT ran out of time). ``"optimal"`` means optimal under the options.
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
    violations : list of str
        What the returned schedule does not meet: missed deadlines and fixed starts
        (:func:`check_options`) and, only then, any broken link or capacity
        (:func:`check_feasible`) — e.g. a predecessor of a fixed activity that could
        not finish in time. Empty unless ``status`` is ``"infeasible"`` or
        ``"violated"``; the first entry of an ``"infeasible"`` result says why.
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
    violations: list[str] = field(default_factory=list)

    @property
    def finishes(self) -> IntArray:
        """Finish periods :math:`S_j + d_j` (exclusive)."""
        return self.starts + self.durations


def static_lower_bound(problem: RcpspProblem) -> int:
    r"""Critical-path and energy bound:
    :math:`\max(\max_j ES_j + d_j, \max_k \lceil \sum_j d_j r_{jk} / R_k \rceil)`.

    With a capacity profile, :math:`ES_j` becomes the profile-aware :math:`E_j` and the
    energy term the first :math:`T` with :math:`\sum_{t<T} R_k(t) \ge \sum_j d_j r_{jk}`
    (:mod:`podium.engine.leveling_capacity`); both stay valid lower bounds."""
    m = problem._model
    early = m.early_starts() if m.profile is None else profile_early_starts(m)
    cp = int((early + m.d).max(initial=0))
    return max(cp, energy_bound(m, problem.durations))


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
    fixed: Mapping[int, int] | None = None,
    priority: Sequence[int] | None = None,
    deadlines: Mapping[int, int] | None = None,
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
    fixed : mapping of activity index to period, optional
        Activities that must start exactly then (e.g. other components' activities in
        a what-if: only the rest may move). They are booked first and consume capacity;
        neither solver moves them.
    priority : sequence of int, length n, optional
        Leveling priority per activity (higher = scheduled first when competing). The
        heuristic's priority rules use it as primary key (the rule breaks ties) and it
        ranks schedules of equal makespan by :math:`\\sum_j w_j S_j` with
        :math:`w_j = p_j - \\min p`; CP-SAT minimizes the makespan, then that sum.
    deadlines : mapping of activity index to period, optional
        Latest start per activity ("within float": :func:`float_deadlines`; "up to a
        date": a period). Hard constraints for CP-SAT; the heuristic ranks schedules by
        periods missed first. Never broken silently: see ``status`` and
        ``violations`` of :class:`LevelingResult`.

    Returns
    -------
    LevelingResult

    Raises
    ------
    InfeasibleError
        The fixed activities alone exceed a capacity (names them, the resource and the
        period) or a fixed start is before what its predecessors allow (names it).
    NetworkError
        An option names an unknown activity, a negative period, or ``priority`` has
        the wrong length.
    """
    if mode not in ("auto", "heuristic", "optimize"):
        raise ValueError(f"mode must be 'auto', 'heuristic' or 'optimize', got {mode!r}")
    t0 = time.perf_counter()
    opts = _options(problem, fixed, priority, deadlines)
    m = problem._model if opts is None else opts.model
    lb = static_lower_bound(problem)
    early = m.early_starts()
    if opts is not None:
        lb = max(lb, int((early + m.d).max(initial=0)))
    score = None if opts is None else _option_score(opts)

    def fitness(s: IntArray) -> tuple[int, int, int]:
        pen, sec = (0, 0) if score is None else score(s)
        return pen, int((s + m.d).max(initial=0)), sec

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
        score=score,
    )
    heuristic_ms = ms
    solver = "heuristic"
    impossible = None if opts is None else opts.impossible
    missed = fitness(starts)[0] > 0
    optimal = ms <= lb and not missed
    if mode != "heuristic" and not optimal and impossible is None:
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
                weights=None if opts is None else opts.weights,
                warm_ok=not missed,
            )
            solver = f"heuristic+cp-sat({out.status})"
            if out.status == "INFEASIBLE":
                impossible = "CP-SAT proved that no schedule meets every fixed start and deadline"
            else:
                lb = max(lb, out.bound)
                if fitness(out.starts) < fitness(starts):
                    # left-justify CP-SAT's schedule: serial SGS in start order
                    cand = out.starts
                    tidy = serial_sgs(m, topo_order(m, cand))
                    starts = tidy if fitness(tidy) <= fitness(cand) else cand
                    ms = int((starts + m.d).max(initial=0))
                missed = fitness(starts)[0] > 0
                optimal = (out.optimal or ms <= lb) and not missed
    violations: list[str] = []
    if opts is not None:
        violations = check_options(problem, starts, fixed=opts.fixed, deadlines=opts.deadlines)
        violations += check_feasible(problem, starts) if violations else []
        if impossible is not None:
            violations.insert(0, impossible)
    if optimal:
        lb = ms
    if impossible is not None:
        status = "infeasible"
    elif violations:
        status = "violated"
    else:
        status = "optimal" if optimal else "feasible"
    if progress is not None:
        progress(Progress("done", time.perf_counter() - t0, ms, lb))
    return LevelingResult(
        starts=starts,
        makespan=ms,
        lower_bound=lb,
        status=status,
        seconds=time.perf_counter() - t0,
        early_starts=early,
        delays=explain(problem, starts, early),
        heuristic_makespan=heuristic_ms,
        schedules=count,
        solver=solver,
        durations=problem.durations,
        violations=violations,
    )


def _justified(problem: RcpspProblem, starts: IntArray) -> IntArray:
    """Forward-backward improvement of a feasible schedule (used by tests)."""
    m = problem._model
    return justify(m, m.mirror(), starts)[0]

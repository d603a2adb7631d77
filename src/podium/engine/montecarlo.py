r"""Monte Carlo schedule risk analysis: finish, cost and milestone distributions.

:func:`simulate` samples every uncertain duration for ``N`` iterations (an
``activities × N`` matrix, built block by block), then schedules all iterations at
once with the forward pass of :func:`~podium.engine.cpm.schedule` vectorised across
iterations (:mod:`podium.engine.montecarlo_pass`): the same link types, lags,
calendars in working time, constraints and progress. With every distribution fixed
(or its three points equal) each iteration's finish is the CPM finish exactly.

Uncertainty:

* a :class:`Distribution` per activity (triangular, PERT-beta with :math:`\lambda = 4`,
  uniform, lognormal from median and P90; :mod:`podium.engine.montecarlo_sampling`) for
  its whole duration :math:`D`; a started activity's remaining work is the CPM remaining
  work scaled by :math:`D / d_{orig}` (actual dates stay fixed);
* :class:`RiskEvent` s: in an iteration the event occurs with its probability; then one
  sampled delay is added to each linked activity's duration and one sampled cost to the
  total cost;
* :class:`Correlation` s between durations, induced by Iman & Conover's (1982) rank
  method (marginals unchanged).

Outputs (:class:`SimulationResult`): the finish per iteration (percentiles, mean,
probability of meeting a target, histogram, S-curve), the cost per iteration, the
finish of chosen milestones (e.g. the deliverables benefits depend on), the
criticality index (share of iterations in which an activity lies on a driving chain to
the project finish, see :mod:`podium.engine.montecarlo_pass`) and the sensitivity
(Spearman rank correlation of an activity's sampled duration, risk delays included,
with the project finish — the tornado).

Random numbers come from ``numpy.random.default_rng(seed)`` and are drawn in network
order, so a seed reproduces a result exactly.

Examples
--------
>>> from datetime import datetime
>>> from podium.engine.network import Activity, Link, Network
>>> net = Network([Activity("A", "Design", 480), Activity("B", "Build", 960)],
...               [Link("A", "B")], datetime(2024, 1, 1, 8))
>>> res = simulate(net, {"B": Distribution("triangular", 480, 960, 2400)},
...                iterations=2000, seed=1)
>>> res.finish_percentile(0) >= datetime(2024, 1, 2, 17)   # B at least 480 minutes
True
>>> res.finish_percentile(50) > res.deterministic_finish    # the mean of B is 1280
True
>>> res.criticality["A"], res.criticality["B"]
(1.0, 1.0)
>>> fixed = simulate(net, {"B": Distribution("pert", 960, 960, 960)}, iterations=10)
>>> fixed.finish_percentile(90) == fixed.deterministic_finish
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

import numpy as np
import numpy.typing as npt

from podium.engine.calendars import from_minutes, to_minutes
from podium.engine.cpm import schedule
from podium.engine.errors import NetworkError
from podium.engine.montecarlo_pass import ForwardPass
from podium.engine.montecarlo_sampling import (
    Distribution,
    DistributionKind,
    average_ranks,
    iman_conover,
    sample,
)
from podium.engine.network import Network, ScheduleOptions

__all__ = [
    "Correlation",
    "Distribution",
    "DistributionKind",
    "RiskEvent",
    "SimulationResult",
    "simulate",
]

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
_BLOCK_CELLS = 10_000_000  # activities × iterations scheduled at once


@dataclass(frozen=True)
class RiskEvent:
    """Happens in an iteration with ``probability``; then adds ``delay`` (minutes,
    sampled once per iteration) to the duration of each of ``activities`` and ``cost``
    (sampled once) to the cost."""

    id: str
    probability: float
    activities: tuple[str, ...] = ()
    delay: Distribution | None = None
    cost: Distribution | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.probability <= 1:
            raise NetworkError(f"risk {self.id!r}: probability {self.probability} not in 0..1")
        object.__setattr__(self, "activities", tuple(self.activities))


@dataclass(frozen=True)
class Correlation:
    """Rank correlation ``rho`` between the durations of two activities
    (Iman–Conover)."""

    a: str
    b: str
    rho: float

    def __post_init__(self) -> None:
        if not -1 < self.rho < 1 or self.a == self.b:
            raise NetworkError(
                f"correlation {self.a!r}~{self.b!r}: need two activities and -1 < rho < 1"
            )


def _pct(values: npt.NDArray[np.int64] | F64, p: float) -> float:
    if not 0 <= p <= 100:
        raise ValueError(f"percentile {p} is not within 0-100")
    return float(np.percentile(values, p, method="inverted_cdf"))


@dataclass(frozen=True)
class SimulationResult:
    """What :func:`simulate` returns.

    Attributes
    ----------
    iterations : int
    finishes : ndarray of int64
        Project finish per iteration, minutes since 0001-01-01
        (:func:`~podium.engine.calendars.to_minutes`).
    deterministic_finish : datetime
        The CPM finish with the activities' own durations.
    probability_on_time : float or None
        Share of iterations finishing at or before ``target`` (``None`` without one).
    criticality : dict of str to float
        Criticality index: share of iterations in which the activity is critical.
    cost : ndarray of float64 or None
        Total cost per iteration (``None`` without costs or risk costs).
    milestone_finishes : dict of str to ndarray of int64
        Finish per iteration of each requested milestone.
    sampled : tuple of str
        Activities whose duration varies (their sampled durations are kept for
        :attr:`sensitivity` and :meth:`drivers`).
    ids : tuple of str
        Activity ids in network order (rows of ``critical``).
    sampled_durations : ndarray of int32, shape (len(sampled), iterations)
        Each sampled activity's duration per iteration (risk delays included).
    critical : ndarray of bool, shape (activities, iterations)
        Whether the activity is critical in the iteration.
    sensitivity : dict of str to float
        See the property (computed on first access).

    Percentiles use the inverted empirical CDF: P80 is the earliest simulated finish
    that at least 80 % of the iterations meet, always a date some iteration produced.
    """

    iterations: int
    finishes: I64
    deterministic_finish: datetime
    probability_on_time: float | None
    criticality: dict[str, float]
    cost: F64 | None
    milestone_finishes: dict[str, I64] = field(default_factory=dict)
    sampled: tuple[str, ...] = ()
    ids: tuple[str, ...] = field(default=(), repr=False)
    sampled_durations: npt.NDArray[np.int32] | None = field(default=None, repr=False, compare=False)
    critical: npt.NDArray[np.bool_] | None = field(default=None, repr=False, compare=False)

    @property
    def finish_mean(self) -> datetime:
        """Mean project finish (to the minute; may fall outside working time)."""
        return from_minutes(round(float(self.finishes.mean())))

    def finish_percentile(self, p: float) -> datetime:
        """Project finish at percentile ``p`` (0..100)."""
        return from_minutes(round(_pct(self.finishes, p)))

    def cost_percentile(self, p: float) -> float | None:
        """Total cost at percentile ``p``, ``None`` without costs."""
        return None if self.cost is None else _pct(self.cost, p)

    def milestone_percentile(self, activity_id: str, p: float) -> datetime:
        """Finish of a requested milestone at percentile ``p``.

        Raises
        ------
        KeyError
            ``activity_id`` was not among ``milestones`` of :func:`simulate`.
        """
        return from_minutes(round(_pct(self.milestone_finishes[activity_id], p)))

    @cached_property
    def sensitivity(self) -> dict[str, float]:
        r"""Spearman correlation of each activity's sampled duration with the finish.

        :math:`\rho_i = \mathrm{corr}(\mathrm{rank}(D_i), \mathrm{rank}(F))` with average
        ranks for ties; ``0.0`` for activities whose duration never varies.
        Computed on first access.
        """
        out = dict.fromkeys(self.ids, 0.0)
        d = self.sampled_durations
        if d is None or not self.sampled:
            return out
        rf = average_ranks(self.finishes)[0]
        rf -= rf.mean()
        nf = float(np.sqrt(rf @ rf))
        for k, aid in enumerate(self.sampled):
            rd = average_ranks(d[k])[0]
            rd -= rd.mean()
            nd = float(np.sqrt(rd @ rd))
            if nd > 0 and nf > 0:
                out[aid] = float(rd @ rf) / (nd * nf)
        return out

    def histogram(self, bins: int = 30) -> list[tuple[datetime, datetime, int]]:
        """Finish histogram: ``(bin start, bin end, count)`` over equal-width bins."""
        counts, edges = np.histogram(self.finishes, bins=bins)
        return [
            (from_minutes(round(edges[i])), from_minutes(round(edges[i + 1])), int(c))
            for i, c in enumerate(counts)
        ]

    def cumulative(self, points: int = 50) -> list[tuple[datetime, float]]:
        r"""S-curve: ``points`` instants from the earliest to the latest finish with
        :math:`P(\text{finish} \le t)`."""
        srt = np.sort(self.finishes)
        ts = np.unique(np.rint(np.linspace(srt[0], srt[-1], max(points, 2))).astype(np.int64))
        share = np.searchsorted(srt, ts, side="right") / srt.size
        return [(from_minutes(int(t)), float(s)) for t, s in zip(ts, share, strict=True)]

    def drivers(self, p: float = 80, top: int = 10) -> list[tuple[str, float]]:
        r"""What drives the P-``p`` finish, strongest first.

        Rule: take the iterations whose finish lies between the P(``p`` − 5) and
        P(``p`` + 5) finishes (clipped to 0..100); an activity's score is its
        criticality among those iterations times its sensitivity (negative sensitivities
        count as 0). Activities scoring 0 are left out.
        """
        lo = _pct(self.finishes, max(0.0, p - 5))
        hi = _pct(self.finishes, min(100.0, p + 5))
        near = (self.finishes >= lo) & (self.finishes <= hi)
        if self.critical is None or not near.any():
            return []
        crit = self.critical[:, near].mean(axis=1)
        sens = self.sensitivity
        scores = [(aid, float(crit[i]) * max(sens[aid], 0.0)) for i, aid in enumerate(self.ids)]
        scores = [s for s in scores if s[1] > 0]
        scores.sort(key=lambda s: -s[1])
        return scores[:top]


def _check_ids(net: Network, ids: Sequence[str], what: str) -> None:
    for aid in ids:
        if aid not in net.index:
            raise NetworkError(f"{what}: unknown activity {aid!r}")


def _horizon(net: Network, det_finish: int) -> tuple[int, int]:
    """Instants the calendar tables cover at first: everything the CPM dates touch."""
    ps = to_minutes(net.project_start)
    marks = [ps, det_finish]
    for a in net.activities:
        for t in (a.actual_start, a.actual_finish, a.constraint_date):
            if t is not None:
                marks.append(to_minutes(t))
    if net.data_date is not None:
        marks.append(to_minutes(net.data_date))
    lo, hi = min(marks), max(marks)
    return lo - 14 * 1440, hi + max(hi - lo, 30 * 1440)


def _correlation_matrix(
    net: Network, correlations: Sequence[Correlation], sampled: set[int]
) -> tuple[list[int], F64]:
    cols: list[int] = []
    for c in correlations:
        _check_ids(net, (c.a, c.b), "correlation")
        for aid in (c.a, c.b):
            u = net.index[aid]
            if u not in sampled:
                raise NetworkError(f"correlation: activity {aid!r} has no uncertain duration")
            if u not in cols:
                cols.append(u)
    cols.sort()
    pos = {u: k for k, u in enumerate(cols)}
    m = np.eye(len(cols))
    for c in correlations:
        i, j = pos[net.index[c.a]], pos[net.index[c.b]]
        m[i, j] = m[j, i] = c.rho
    return cols, m


def simulate(
    network: Network,
    durations: Mapping[str, Distribution],
    *,
    risks: Sequence[RiskEvent] = (),
    costs: Mapping[str, Distribution] | None = None,
    correlations: Sequence[Correlation] = (),
    iterations: int = 10_000,
    seed: int | None = 0,
    target: datetime | None = None,
    milestones: Sequence[str] = (),
    options: ScheduleOptions | None = None,
    progress: Callable[[float], None] | None = None,
) -> SimulationResult:
    """Simulate ``network`` ``iterations`` times with sampled durations.

    Parameters
    ----------
    network : Network
        As :func:`~podium.engine.cpm.schedule` takes it.
    durations : mapping of str to Distribution
        Activity id to the distribution of its (whole) duration in working minutes;
        other activities keep their duration.
    risks : sequence of RiskEvent
    costs : mapping of str to Distribution, optional
        Activity id to its base cost distribution.
    correlations : sequence of Correlation
        Rank correlations between sampled durations (Iman–Conover, applied within each
        block of iterations).
    iterations : int
    seed : int or None
        Seed of ``numpy.random.default_rng``; ``None`` draws fresh entropy.
    target : datetime, optional
        Finish target for :attr:`SimulationResult.probability_on_time`.
    milestones : sequence of str
        Activities whose finish distribution is kept.
    options : ScheduleOptions, optional
        Overrides ``network.options``.
    progress : callable, optional
        Called with the share done (0..1) as the simulation advances, last with 1.0.

    Returns
    -------
    SimulationResult

    Raises
    ------
    NetworkError
        Unknown activity ids, inconsistent correlations, ``iterations < 1``.
    CycleError, InfeasibleError
        As :func:`~podium.engine.cpm.schedule`.
    """
    if iterations < 1:
        raise NetworkError(f"iterations must be at least 1, not {iterations}")
    opts = network.options if options is None else options
    net = network
    _check_ids(net, list(durations), "durations")
    _check_ids(net, list(milestones), "milestones")
    _check_ids(net, list(costs or {}), "costs")
    for r in risks:
        _check_ids(net, r.activities, f"risk {r.id!r}")
    det = schedule(net, opts)
    fp = ForwardPass(net, opts, _horizon(net, det.project_finish_minutes))
    n = len(net.activities)
    risky = {net.index[a] for r in risks if r.delay is not None for a in r.activities}
    dist = {net.index[k]: v for k, v in durations.items()}
    varying = sorted({u for u, v in dist.items() if not v.is_fixed} | risky)
    cols, corr = _correlation_matrix(net, correlations, set(varying))
    has_cost = bool(costs) or any(r.cost is not None for r in risks)
    rng = np.random.default_rng(seed)
    block = max(1, min(iterations, _BLOCK_CELLS // max(n, 1)))
    finishes = np.empty(iterations, dtype=np.int64)
    cost = np.zeros(iterations) if has_cost else None
    crit = np.empty((n, iterations), dtype=bool)
    kept = {m: np.empty(iterations, dtype=np.int64) for m in milestones}
    sampled_d = np.empty((len(varying), iterations), dtype=np.int32)
    row = {u: k for k, u in enumerate(varying)}
    for b0 in range(0, iterations, block):
        size = min(block, iterations - b0)
        totals: dict[int, F64] = {}
        for u in sorted(dist):
            totals[u] = sample(dist[u], size, rng)
        if cols:
            mat = np.stack([totals[u] for u in cols], axis=1)
            mat = iman_conover(mat, corr, rng)
            for k, u in enumerate(cols):
                totals[u] = mat[:, k]
        for r in risks:
            occurs = rng.random(size) < r.probability
            if r.delay is not None:
                delay = sample(r.delay, size, rng) * occurs
                for aid in r.activities:
                    u = net.index[aid]
                    base = totals.get(u)
                    if base is None:
                        base = np.full(size, float(net.activities[u].duration_minutes))
                    totals[u] = base + delay
            if r.cost is not None and cost is not None:
                cost[b0 : b0 + size] += sample(r.cost, size, rng) * occurs
        if costs and cost is not None:
            for aid in sorted(costs, key=net.index.__getitem__):
                cost[b0 : b0 + size] += sample(costs[aid], size, rng)
        works = {u: fp.remaining(u, t) for u, t in totals.items()}
        for u, k in row.items():
            if fp.started[u]:
                sampled_d[k, b0 : b0 + size] = np.rint(totals[u])
            else:
                sampled_d[k, b0 : b0 + size] = works[u]

        def tick(share: float, b0: int = b0, size: int = size) -> None:
            if progress is not None:
                progress((b0 + share * size) / iterations)

        res = fp.run(works.get, size, tick if progress is not None else None)
        finishes[b0 : b0 + size] = res.project_finish
        crit[:, b0 : b0 + size] = res.critical
        for m, arr in kept.items():
            arr[b0 : b0 + size] = res.finish[net.index[m]]
    crit[net.manual_index] = False
    if progress is not None:
        progress(1.0)
    on_time = None
    if target is not None:
        on_time = float((finishes <= to_minutes(target)).mean())
    ids = net.ids
    share = crit.mean(axis=1)
    return SimulationResult(
        iterations=iterations,
        finishes=finishes,
        deterministic_finish=det.project_finish,
        probability_on_time=on_time,
        criticality={aid: float(share[i]) for i, aid in enumerate(ids)},
        cost=cost,
        milestone_finishes=kept,
        sampled=tuple(ids[u] for u in varying),
        ids=ids,
        sampled_durations=sampled_d,
        critical=crit,
    )

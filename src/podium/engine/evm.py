r"""Earned value management: budgets, time-phased planned value, earning rules, metrics.

Inputs are plain data: an :class:`EvmProject` (each activity's :class:`ActivityBudget`
with its planned start and finish and its cost rules, and the calendar the work is
spread on) and, per status date, each activity's :class:`ActivityProgress`.
:func:`evaluate` returns the metrics per activity, per component and for the whole
project (components and the project are sums of their activities).

Budget of an activity
---------------------
With :math:`h` the working hours between its planned start and finish, an activity's
budget at completion :math:`BAC_i` is the sum of

* resource costs, per assignment :math:`u \cdot r \cdot h` (units × rate per hour ×
  hours; spread over the working time unless told otherwise) plus its cost per use
  (incurred at the start);
* a fixed cost, incurred at the start (DSLIB/ProTrack's rule, the default), spread, or
  at the finish;
* a variable cost of ``cost_per_hour`` × :math:`h`, spread;
* any further :class:`CostItem` (an amount with its accrual).

Each amount is thus incurred at the start (:math:`A_i`), spread linearly over the
working time (:math:`L_i`) or at the finish (:math:`Z_i`), and the planned value over
time is :class:`~podium.engine.evm_schedule.PlannedValueCurve` (see
:mod:`podium.engine.evm_schedule` for the curve and for earned schedule).

Earning rules (earned value of activity :math:`i` at progress :math:`pc \in [0, 1]`)
---------------------------------------------------------------------------------------
``PercentComplete`` (default)
    :math:`EV_i = A_i [\text{started}] + L_i\, pc + Z_i [\text{finished}]` — each
    amount is earned the way it is planned (DSLIB earns a fixed cost at the start).
``ZeroHundred``
    :math:`EV_i = BAC_i [\text{finished}]`.
``FiftyFifty``
    :math:`EV_i = BAC_i (\tfrac12 [\text{started}] + \tfrac12 [\text{finished}])`.
``WeightedMilestones(weights)``
    :math:`EV_i = BAC_i \sum_{j \le m} w_j / \sum_j w_j` after :math:`m` milestones
    reached (all of it once finished).

Metrics (any set of activities; sums of :math:`BAC, PV, EV, AC`)
------------------------------------------------------------------
.. math::

    SV = EV - PV,\quad CV = EV - AC,\quad SPI = \frac{EV}{PV},\quad CPI = \frac{EV}{AC},

    EAC_{1} = AC + (BAC - EV),\quad EAC_{CPI} = \frac{BAC}{CPI},\quad
    EAC_{SCI} = AC + \frac{BAC - EV}{CPI \cdot SPI},

    ETC = EAC_{CPI} - AC,\quad VAC = BAC - EAC_{CPI},\quad
    TCPI = \frac{BAC - EV}{BAC - AC}.

A ratio whose denominator is zero (:math:`SPI` with :math:`PV = 0` before anything was
planned, :math:`CPI` with :math:`AC = 0`, :math:`TCPI` with :math:`AC = BAC`) is
``None``, and so is every figure computed from it.

Examples
--------
Two activities on the standard calendar (Mon-Fri 8-12, 13-17): a 2-day design with a
fixed cost of 1,000 at its start and one designer at 50/h, then a 1-day build with a
fixed cost of 400 at its finish. Status on Tuesday evening:

>>> from datetime import datetime
>>> from podium.engine.calendars import Calendar
>>> design = ActivityBudget("D", datetime(2024, 1, 1, 8), datetime(2024, 1, 2, 17),
...                         fixed_cost=1000, resources=(ResourceCost("designer", 1, 50),))
>>> build = ActivityBudget("B", datetime(2024, 1, 3, 8), datetime(2024, 1, 3, 17),
...                        fixed_cost=400, fixed_cost_accrual="finish")
>>> project = EvmProject((design, build), Calendar.standard())
>>> project.bac
2200.0
>>> status = evaluate(project, {"D": ActivityProgress(75, actual_cost=1700)},
...                   datetime(2024, 1, 2, 17))
>>> m = status.project
>>> m.pv, m.ev, m.ac, m.spi, round(m.cpi, 4)
(1800.0, 1600.0, 1700.0, 0.8888888888888888, 0.9412)
>>> s = status.schedule
>>> s.es, s.spi_t, s.p_factor
(datetime.datetime(2024, 1, 2, 12, 0), 0.75, 1.0)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

import numpy as np

from podium.engine.calendars import Calendar, from_minutes, to_minutes
from podium.engine.errors import NetworkError
from podium.engine.evm_schedule import EsMethod, PlannedValueCurve, earned_schedule, p_factor

__all__ = [
    "ActivityBudget",
    "ActivityProgress",
    "CostAccrual",
    "CostItem",
    "EarningRule",
    "EvmMetrics",
    "EvmProject",
    "EvmStatus",
    "FiftyFifty",
    "PercentComplete",
    "ResourceCost",
    "ScheduleMetrics",
    "WeightedMilestones",
    "ZeroHundred",
    "cost_metrics",
    "earned_value",
    "evaluate",
]

CostAccrual = Literal["start", "prorated", "finish"]
_ACCRUALS = ("start", "prorated", "finish")


def _finite(value: float, what: str) -> float:
    x = float(value)
    if x != x or x in (float("inf"), float("-inf")):
        raise NetworkError(f"{what} is not a finite number: {value!r}")
    return x


# --------------------------------------------------------------------------- cost rules
@dataclass(frozen=True, slots=True)
class CostItem:
    """An amount of an activity's budget and when it is incurred."""

    amount: float
    accrual: CostAccrual = "prorated"
    label: str = ""

    def __post_init__(self) -> None:
        _finite(self.amount, f"cost {self.label or ''}".strip())
        if self.accrual not in _ACCRUALS:
            raise NetworkError(f"cost accrual must be one of {_ACCRUALS}, got {self.accrual!r}")


@dataclass(frozen=True, slots=True)
class ResourceCost:
    """A resource assignment's cost: ``units × rate_per_hour`` per working hour, plus
    ``cost_per_use`` once, at the start."""

    resource_id: str
    units: float = 1.0
    rate_per_hour: float = 0.0
    cost_per_use: float = 0.0
    accrual: CostAccrual = "prorated"

    def __post_init__(self) -> None:
        for name in ("units", "rate_per_hour", "cost_per_use"):
            _finite(getattr(self, name), f"resource {self.resource_id!r} {name}")
        if self.accrual not in _ACCRUALS:
            raise NetworkError(f"cost accrual must be one of {_ACCRUALS}, got {self.accrual!r}")


# --------------------------------------------------------------------------- earning rules
@dataclass(frozen=True, slots=True)
class PercentComplete:
    """Earn each amount as planned: start amounts once started, spread ones × percent."""


@dataclass(frozen=True, slots=True)
class ZeroHundred:
    """Nothing until finished, then the whole budget."""


@dataclass(frozen=True, slots=True)
class FiftyFifty:
    """Half of the budget when started, the rest when finished."""


@dataclass(frozen=True, slots=True)
class WeightedMilestones:
    """The budget earned in steps: ``weights[j]`` (relative) when milestone ``j`` is reached."""

    weights: tuple[float, ...]

    def __post_init__(self) -> None:
        if not self.weights or any(_finite(w, "milestone weight") < 0 for w in self.weights):
            raise NetworkError("weighted milestones need at least one weight, none negative")
        if sum(self.weights) <= 0:
            raise NetworkError("weighted milestones: the weights add up to zero")


EarningRule = PercentComplete | ZeroHundred | FiftyFifty | WeightedMilestones


# --------------------------------------------------------------------------- inputs
@dataclass(frozen=True, slots=True)
class ActivityBudget:
    """One activity's plan: baseline start and finish, cost rules, earning rule.

    ``component`` groups activities (a project of the program, a WBS branch) for the
    aggregated metrics.
    """

    id: str
    start: datetime
    finish: datetime
    fixed_cost: float = 0.0
    fixed_cost_accrual: CostAccrual = "start"
    cost_per_hour: float = 0.0
    resources: tuple[ResourceCost, ...] = ()
    costs: tuple[CostItem, ...] = ()
    earning: EarningRule = field(default_factory=PercentComplete)
    component: str | None = None

    def __post_init__(self) -> None:
        _finite(self.fixed_cost, f"activity {self.id!r} fixed cost")
        _finite(self.cost_per_hour, f"activity {self.id!r} cost per hour")
        if self.fixed_cost_accrual not in _ACCRUALS:
            raise NetworkError(
                f"activity {self.id!r}: accrual must be one of {_ACCRUALS}, "
                f"got {self.fixed_cost_accrual!r}"
            )

    def amounts(self, hours: float) -> tuple[float, float, float]:
        """(at start, spread, at finish) for ``hours`` of planned working time."""
        parts = {"start": 0.0, "prorated": 0.0, "finish": 0.0}
        parts[self.fixed_cost_accrual] += self.fixed_cost
        parts["prorated"] += self.cost_per_hour * hours
        for res in self.resources:
            parts[res.accrual] += res.units * res.rate_per_hour * hours
            parts["start"] += res.cost_per_use
        for item in self.costs:
            parts[item.accrual] += item.amount
        return parts["start"], parts["prorated"], parts["finish"]


@dataclass(frozen=True, slots=True)
class ActivityProgress:
    """An activity's status at a status date.

    ``percent_complete`` is 0-100; ``started`` defaults to ``percent_complete > 0``;
    ``milestones_reached`` counts the reached milestones of a
    :class:`WeightedMilestones` rule; ``actual_cost`` is cumulative.
    """

    percent_complete: float = 0.0
    actual_cost: float = 0.0
    started: bool | None = None
    milestones_reached: int = 0

    def __post_init__(self) -> None:
        pc = _finite(self.percent_complete, "percent complete")
        if not 0 <= pc <= 100:
            raise NetworkError(f"percent complete {pc} is not within 0-100")
        _finite(self.actual_cost, "actual cost")
        if self.milestones_reached < 0:
            raise NetworkError("milestones reached cannot be negative")

    @property
    def is_started(self) -> bool:
        return self.percent_complete > 0 if self.started is None else self.started

    @property
    def is_finished(self) -> bool:
        return self.percent_complete >= 100


def earned_value(
    rule: EarningRule, amounts: tuple[float, float, float], progress: ActivityProgress
) -> float:
    """Earned value of one activity with budget ``amounts`` (start, spread, finish)."""
    a, lin, z = amounts
    bac = a + lin + z
    if progress.is_finished:
        return bac
    if isinstance(rule, ZeroHundred):
        return 0.0
    if isinstance(rule, FiftyFifty):
        return 0.5 * bac if progress.is_started else 0.0
    if isinstance(rule, WeightedMilestones):
        reached = min(progress.milestones_reached, len(rule.weights))
        return bac * sum(rule.weights[:reached]) / sum(rule.weights)
    return (a if progress.is_started else 0.0) + lin * progress.percent_complete / 100


@dataclass(frozen=True)
class EvmProject:
    """The baseline: activity budgets on one calendar, starting at ``start``.

    ``start`` defaults to the earliest planned start. Raises
    :class:`~podium.engine.errors.NetworkError` on duplicate ids, a finish before its
    start in working time, or an activity planned before ``start``.
    """

    activities: tuple[ActivityBudget, ...]
    calendar: Calendar
    start: datetime | None = None
    _index: dict[str, int] = field(init=False, repr=False, compare=False)
    _w: np.ndarray = field(init=False, repr=False, compare=False)
    _amounts: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        acts = tuple(self.activities)
        object.__setattr__(self, "activities", acts)
        index: dict[str, int] = {}
        for i, act in enumerate(acts):
            if act.id in index:
                raise NetworkError(f"duplicate activity id {act.id!r}")
            index[act.id] = i
        if self.start is None:
            if not acts:
                raise NetworkError("a project without activities needs a start")
            object.__setattr__(self, "start", min(a.start for a in acts))
        cal = self.calendar
        w0 = cal.w_m(to_minutes(self.project_start))
        w = np.zeros((len(acts), 2), dtype=np.float64)
        amounts = np.zeros((len(acts), 3), dtype=np.float64)
        for i, act in enumerate(acts):
            s = cal.w_m(to_minutes(act.start)) - w0
            f = cal.w_m(to_minutes(act.finish)) - w0
            if f < s:
                raise NetworkError(f"activity {act.id!r} finishes before it starts")
            if s < 0:
                raise NetworkError(f"activity {act.id!r} starts before the project start")
            w[i] = (s, f)
            amounts[i] = act.amounts((f - s) / 60)
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_w", w)
        object.__setattr__(self, "_amounts", amounts)

    @property
    def project_start(self) -> datetime:
        assert self.start is not None
        return self.start

    @property
    def bac(self) -> float:
        """Budget at completion of the whole project."""
        return float(self._amounts.sum())

    def budget(self, activity_id: str) -> float:
        """:math:`BAC_i` of one activity."""
        return float(self._amounts[self._position(activity_id)].sum())

    def _position(self, activity_id: str) -> int:
        try:
            return self._index[activity_id]
        except KeyError:
            raise NetworkError(f"unknown activity {activity_id!r}") from None

    def curve(self, ids: Iterable[str] | None = None) -> PlannedValueCurve:
        """Time-phased planned value of ``ids`` (all activities by default)."""
        rows = (
            np.arange(len(self.activities))
            if ids is None
            else np.array([self._position(i) for i in ids], dtype=np.int64)
        )
        w, amt = self._w[rows], self._amounts[rows]
        return PlannedValueCurve(w[:, 0], w[:, 1], amt[:, 0], amt[:, 1], amt[:, 2])

    def offset(self, when: datetime) -> int:
        """Working minutes from the project start to ``when`` (negative before it)."""
        cal = self.calendar
        return cal.w_m(to_minutes(when)) - cal.w_m(to_minutes(self.project_start))

    def instant(self, minutes: float) -> datetime:
        """The earliest instant ``minutes`` of working time after the project start."""
        cal = self.calendar
        w0 = cal.w_m(to_minutes(self.project_start))
        m = round(minutes)
        if m <= 0:
            return from_minutes(cal.start_at_m(w0)) if m == 0 else self.project_start
        return from_minutes(cal.finish_at_m(w0 + m))


# --------------------------------------------------------------------------- results
@dataclass(frozen=True, slots=True)
class EvmMetrics:
    """Cost-based metrics of one activity or a set of them (``None``: zero denominator)."""

    bac: float
    pv: float
    ev: float
    ac: float
    sv: float
    cv: float
    spi: float | None
    cpi: float | None
    eac: float
    eac_cpi: float | None
    eac_sci: float | None
    etc: float | None
    vac: float | None
    tcpi: float | None


def _ratio(num: float, den: float) -> float | None:
    return None if den == 0 else num / den


def cost_metrics(bac: float, pv: float, ev: float, ac: float) -> EvmMetrics:
    """The module's formulas for one set of :math:`BAC, PV, EV, AC`.

    Examples
    --------
    >>> m = cost_metrics(bac=1000, pv=500, ev=400, ac=0)
    >>> m.spi, m.cpi, m.eac, m.eac_cpi, m.tcpi
    (0.8, None, 600, None, 0.6)
    """
    spi = _ratio(ev, pv)
    cpi = _ratio(ev, ac)
    eac_cpi = None if not cpi else bac / cpi
    sci = None if cpi is None or spi is None else cpi * spi
    return EvmMetrics(
        bac=bac,
        pv=pv,
        ev=ev,
        ac=ac,
        sv=ev - pv,
        cv=ev - ac,
        spi=spi,
        cpi=cpi,
        eac=ac + (bac - ev),
        eac_cpi=eac_cpi,
        eac_sci=None if not sci else ac + (bac - ev) / sci,
        etc=None if eac_cpi is None else eac_cpi - ac,
        vac=None if eac_cpi is None else bac - eac_cpi,
        tcpi=_ratio(bac - ev, bac - ac),
    )


@dataclass(frozen=True, slots=True)
class ScheduleMetrics:
    """Earned schedule of a set of activities (see :mod:`podium.engine.evm_schedule`).

    Durations are working hours; ``es`` and the ``eac_t_*`` forecasts are dates on the
    project calendar (``None`` where their factor is): the earliest instant that far
    into the working time, rounded to whole periods with ``es_method="protrack"`` (as
    ProTrack does) and to the minute otherwise. Components measure ES from the project
    start, against their own planned finish.
    """

    es: datetime
    es_hours: float
    lipke_es_hours: float
    at_hours: float
    pd_hours: float
    sv_t_hours: float
    spi_t: float | None
    sci_t: float | None
    p_factor: float | None
    eac_t_pf1: datetime
    eac_t_spi_t: datetime | None
    eac_t_sci_t: datetime | None


@dataclass(frozen=True)
class EvmStatus:
    """Everything :func:`evaluate` computed for one status date."""

    status_date: datetime
    project: EvmMetrics
    schedule: ScheduleMetrics
    components: dict[str, EvmMetrics]
    component_schedules: dict[str, ScheduleMetrics]
    activities: dict[str, EvmMetrics]


def _schedule(
    project: EvmProject,
    ids: list[str] | None,
    earned: np.ndarray,
    metrics: EvmMetrics,
    at: float,
    method: EsMethod,
    period: int,
) -> ScheduleMetrics:
    curve = project.curve(ids)
    es = earned_schedule(curve, metrics.ev, at, method=method, period_minutes=period)
    spi_t = es.spi_t
    sci_t = None if spi_t is None or metrics.cpi is None else spi_t * metrics.cpi
    remaining = es.planned_minutes - es.minutes

    def forecast(pf: float | None) -> datetime | None:
        if not pf:
            return None
        minutes = at + remaining / pf
        if method == "protrack":
            minutes = round(minutes / period) * period
        return project.instant(minutes)

    pf1 = forecast(1.0)
    assert pf1 is not None
    return ScheduleMetrics(
        es=project.instant(es.minutes),
        es_hours=es.minutes / 60,
        lipke_es_hours=es.lipke_minutes / 60,
        at_hours=at / 60,
        pd_hours=es.planned_minutes / 60,
        sv_t_hours=es.sv_t_minutes / 60,
        spi_t=spi_t,
        sci_t=sci_t,
        p_factor=p_factor(curve, earned, es.minutes),
        eac_t_pf1=pf1,
        eac_t_spi_t=forecast(spi_t),
        eac_t_sci_t=forecast(sci_t),
    )


def evaluate(
    project: EvmProject,
    progress: Mapping[str, ActivityProgress],
    status_date: datetime,
    *,
    es_method: EsMethod = "protrack",
    period_minutes: int = 60,
) -> EvmStatus:
    """Earned value and earned schedule of ``project`` at ``status_date``.

    Parameters
    ----------
    project : EvmProject
        The baseline budgets.
    progress : mapping of activity id to ActivityProgress
        Status per activity; a missing activity has not started and cost nothing.
    status_date : datetime
        The data date: planned value counts what the baseline planned up to it.
    es_method, period_minutes
        Earned schedule in whole periods searched from AT (``"protrack"``, DSLIB's
        figures) or interpolated (``"lipke"``); the period is an hour by default.

    Returns
    -------
    EvmStatus
        Metrics per activity, per component and for the project.

    Raises
    ------
    NetworkError
        When ``progress`` names an activity the project does not have.
    """
    for aid in progress:
        project._position(aid)
    at = float(project.offset(status_date))
    planned = project.curve().per_activity(at)
    earned = np.zeros(len(project.activities), dtype=np.float64)
    actual = np.zeros(len(project.activities), dtype=np.float64)
    activities: dict[str, EvmMetrics] = {}
    none = ActivityProgress()
    for i, act in enumerate(project.activities):
        prog = progress.get(act.id, none)
        amounts = tuple(project._amounts[i])
        earned[i] = earned_value(act.earning, (amounts[0], amounts[1], amounts[2]), prog)
        actual[i] = prog.actual_cost
        activities[act.id] = cost_metrics(
            float(sum(amounts)), float(planned[i]), float(earned[i]), actual[i]
        )

    def total(rows: np.ndarray | slice) -> EvmMetrics:
        return cost_metrics(
            float(project._amounts[rows].sum()),
            float(planned[rows].sum()),
            float(earned[rows].sum()),
            float(actual[rows].sum()),
        )

    whole = total(slice(None))
    schedule = _schedule(project, None, earned, whole, at, es_method, period_minutes)
    groups: dict[str, list[int]] = {}
    for i, act in enumerate(project.activities):
        if act.component is not None:
            groups.setdefault(act.component, []).append(i)
    components: dict[str, EvmMetrics] = {}
    component_schedules: dict[str, ScheduleMetrics] = {}
    for name, rows in groups.items():
        idx = np.array(rows, dtype=np.int64)
        components[name] = total(idx)
        ids = [project.activities[i].id for i in rows]
        component_schedules[name] = _schedule(
            project, ids, earned[idx], components[name], at, es_method, period_minutes
        )
    return EvmStatus(
        status_date=status_date,
        project=whole,
        schedule=schedule,
        components=components,
        component_schedules=component_schedules,
        activities=activities,
    )

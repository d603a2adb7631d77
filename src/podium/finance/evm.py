"""Earned value of a program: planned value from its baselines, earned value from
progress with earning rules, actual cost, and the metrics at any status date — per
activity, per component and for the program — with status snapshots kept per period.

Callers pass a program whose costs the user may see
(:func:`podium.finance.access.costed_program`); the readers here do not check
permissions again (:func:`take_snapshot`, a change, does). Every figure is a plain
``float`` (money in the program's currency) or ``None`` where it is undefined (a zero
denominator). Results are frozen dataclasses; ``as_dict()`` gives JSON-ready dicts
(dates as ISO strings). The engine (:mod:`podium.engine.evm`) does the arithmetic;
this module turns the stored program into its inputs.

Budget at completion and planned value (the rules)
--------------------------------------------------
The budget is the lines of the budget baseline (default: the approved version).

* A line tied to an activity is spread over that activity's dates in the **saved
  schedule baseline** — the newest saved baseline (the program's or the component's)
  holding the activity; an activity in none of them uses its current dates (and a note
  says how many did). The line's phasing says how: along the schedule (linear in
  working time, the default), all at the start, all at the finish, or evenly between
  its own phase dates (a part of its own, still earned with the activity's progress).
  A line on a WBS summary activity spreads over the summary's span and is earned with
  the summary's progress (its own percent complete, else the duration-weighted
  progress of the work below it).
* A line tied to no activity (an account-level amount: licences, material) is spread
  over its component's baseline span and earned with the component's
  duration-weighted progress.
* Resource costs count where no budget line covers the work: an activity with no line
  on itself or on any summary above it is budgeted from its assignments — units ×
  the resource's standard rate per working hour over its baseline working hours,
  plus the resource's cost per use at its start. A program without an approved budget
  baseline is thus budgeted from its resources alone; one whose every activity carries
  a line keeps exactly the approved budget as its BAC.

Reserves (contingency, management reserve) are not spread and are never earned.

Earned value and actual cost
----------------------------
Each activity earns with its :class:`~podium.finance.models.EarningRule` (percent
complete when it has none): 0/100, 50/50, or weighted milestones reached when the
percent complete passes each milestone's cumulative share of the weights. Progress is
the schedule's: percent complete and actual start/finish at the schedule's data date.
For a status date **before** the data date, progress is estimated: an activity finished
by then is complete, one not started by then has not started, and one in between has
progressed linearly in working time from its actual start to its actual finish (100 %)
or to the data date (its reported percent complete). At or after the data date the
reported progress counts as it is.

Actual cost is every :class:`~podium.finance.models.ActualCost` dated on or before the
status date: on the activity it is booked to, or on its component when it names no
activity.

Status dates
------------
A status date ``d`` means the end of day ``d`` (working time up to midnight). The
default is the schedule's data date: a data date at the start of a working day (as MS
Project and P6 set it, "the first moment not yet reported") gives the day before.

Earned schedule (program and components): ES, SV(t) in working days of 8 hours,
SPI(t), SCI(t) = SPI(t)·CPI, EAC(t) with performance factors 1, SPI(t) and SCI(t), and
the p-factor — on the program's default calendar, ProTrack's whole-hour convention (see
:mod:`podium.engine.evm_schedule`). Activity rows carry the cost metrics only: an
activity's earned schedule would be measured from the program's start and say little.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.db import transaction
from django.db.models import QuerySet

from podium.core import audit
from podium.core.errors import ValidationFailed
from podium.core.services import update_versioned
from podium.engine.calendars import Calendar as EngineCalendar
from podium.engine.calendars import to_minutes
from podium.engine.evm import (
    ActivityBudget,
    ActivityProgress,
    CostItem,
    EvmMetrics,
    EvmProject,
    FiftyFifty,
    PercentComplete,
    ResourceCost,
    ScheduleMetrics,
    WeightedMilestones,
    ZeroHundred,
    cost_metrics,
    earned_value,
    evaluate,
)
from podium.engine.evm import (
    EarningRule as EngineRule,
)
from podium.engine.evm_schedule import earned_schedule, p_factor
from podium.finance.models import (
    ActualCost,
    BudgetBaseline,
    BudgetLine,
    EarningRule,
    StatusSnapshot,
)
from podium.programs.models import Component, Program
from podium.programs.permissions import can_change_component, can_change_program, require
from podium.resources.models import Assignment
from podium.schedule.convert import engine_calendar
from podium.schedule.models import Activity, BaselineActivity, ScheduleSettings
from podium.schedule.wall import to_wall

__all__ = [
    "HOURS_PER_DAY",
    "EvmRow",
    "ProgramEvm",
    "SCurve",
    "SCurvePoint",
    "TrendPoint",
    "default_status_date",
    "earned_by_activity",
    "evm_trend",
    "program_evm",
    "s_curve",
    "set_earning_rule",
    "snapshot_list",
    "take_snapshot",
]

HOURS_PER_DAY = 8.0
"""Working hours per day for SV(t) in days."""

Level = Literal["program", "component", "activity"]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


@dataclass(frozen=True)
class EvmRow:
    """The metrics of the program, one component or one activity at a status date.

    Identification
        ``level`` ("program" | "component" | "activity"); ``key`` (the program code, the
        component code, or ``"<component>/<activity code>"``); ``name``; ``component``
        (component code; None for the program row); ``activity_id`` (activity rows).
        Activity rows also carry ``earning_rule`` ("percent_complete" | "zero_hundred" |
        "fifty_fifty" | "weighted_milestones") and ``percent_complete`` (0-100, as used
        for EV at the status date).

    Cost metrics (every row)
        ``bac, pv, ev, ac, sv, cv`` (floats); ``spi, cpi, eac_cpi, eac_sci, etc, vac,
        tcpi`` (``None`` with a zero denominator); ``eac`` = AC + (BAC − EV) (always
        defined). ``eac_cpi`` = BAC/CPI, ``eac_sci`` = AC + (BAC − EV)/(CPI × SPI),
        ``etc`` = EAC_cpi − AC, ``vac`` = BAC − EAC_cpi, ``tcpi`` = (BAC − EV)/(BAC − AC).

    Earned schedule (program and component rows; ``None`` on activity rows)
        ``es`` (date reached by the earned value on the baseline curve), ``sv_t_days``
        (ES − AT in working days of 8 hours; negative = behind), ``spi_t`` (ES/AT),
        ``sci_t`` (SPI(t) × CPI), ``p_factor`` (schedule adherence 0-1),
        ``planned_finish`` (baseline finish), ``eac_t_pf1`` / ``eac_t_spi_t`` /
        ``eac_t_sci_t`` (forecast finish dates with performance factor 1, SPI(t), SCI(t)).
    """

    level: Level
    key: str
    name: str
    component: str | None
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
    activity_id: int | None = None
    earning_rule: str | None = None
    percent_complete: float | None = None
    es: dt.date | None = None
    sv_t_days: float | None = None
    spi_t: float | None = None
    sci_t: float | None = None
    p_factor: float | None = None
    planned_finish: dt.date | None = None
    eac_t_pf1: dt.date | None = None
    eac_t_spi_t: dt.date | None = None
    eac_t_sci_t: dt.date | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(_jsonable(asdict(self)))


@dataclass(frozen=True)
class ProgramEvm:
    """Everything :func:`program_evm` computed at one status date.

    ``status_date`` is a date: the status at the *end* of that day. ``program`` is the
    program row; ``components`` one row per component with budget or cost (by code);
    ``activities`` one row per activity with budget or cost (component, then schedule
    order). ``baseline_number`` is the budget baseline version used (None: no approved
    baseline, the budget is the resources' costs alone); ``schedule_baseline`` the
    name(s) of the saved schedule baseline(s) whose dates spread the budget (None:
    current dates).
    ``notes`` explain approximations in words (activities without a baseline entry,
    progress estimated for a past status date, …).
    """

    program_code: str
    currency: str
    status_date: dt.date
    baseline_number: int | None
    schedule_baseline: str | None
    program: EvmRow
    components: list[EvmRow]
    activities: list[EvmRow]
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(_jsonable(asdict(self)))


@dataclass(frozen=True)
class SCurvePoint:
    """One week of the S-curve: cumulative figures at the end of ``date``.

    ``pv`` is defined over the whole baseline; ``ev`` and ``ac`` up to the status date
    (``None`` after it); ``forecast`` from the status date on (``None`` before it): a
    straight line from AC at the status date to the EAC at the forecast finish.
    """

    date: dt.date
    pv: float
    ev: float | None
    ac: float | None
    forecast: float | None


@dataclass(frozen=True)
class SCurve:
    """The program's S-curve, weekly (Sundays) from the baseline start to the later of
    the planned and forecast finish (at most three planned durations), with the status
    date as a point of its own.

    ``bac``, ``eac`` (EAC = BAC/CPI when CPI is defined, else AC + (BAC − EV)),
    ``planned_finish`` and ``forecast_finish`` (EAC(t) with SPI(t), else with PF 1)
    label the chart's end points.
    """

    program_code: str
    currency: str
    status_date: dt.date
    bac: float
    eac: float
    planned_finish: dt.date | None
    forecast_finish: dt.date | None
    points: list[SCurvePoint]

    def as_dict(self) -> dict[str, Any]:
        return dict(_jsonable(asdict(self)))


@dataclass(frozen=True)
class TrendPoint:
    """One kept snapshot in the per-period trend: its name and status date and the
    program's ``cpi``, ``spi``, ``spi_t`` (None where undefined), plus ``pv, ev, ac``."""

    snapshot_id: int
    name: str
    status_date: dt.date
    cpi: float | None
    spi: float | None
    spi_t: float | None
    pv: float
    ev: float
    ac: float

    def as_dict(self) -> dict[str, Any]:
        return dict(_jsonable(asdict(self)))


# --------------------------------------------------------------------------- the model


@dataclass
class _Part:
    """One engine activity: an amount of budget with its dates and how it earns."""

    id: str
    component: Component
    activity_id: int | None  # earned with this activity's progress (None: the component's)
    start: dt.datetime
    finish: dt.datetime
    costs: list[CostItem] = field(default_factory=list)
    resources: tuple[ResourceCost, ...] = ()
    earning: EngineRule = field(default_factory=PercentComplete)
    row: int | None = None  # the Podium activity whose row it adds to


@dataclass(frozen=True)
class _Progress:
    percent: float
    started: bool
    finished: bool


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def _instant(status_date: dt.date) -> dt.datetime:
    """The end of ``status_date``."""
    return _midnight(status_date + dt.timedelta(days=1))


def _engine_rule(rule: EarningRule | None) -> EngineRule:
    if rule is None or rule.rule == EarningRule.Rule.PERCENT_COMPLETE:
        return PercentComplete()
    if rule.rule == EarningRule.Rule.ZERO_HUNDRED:
        return ZeroHundred()
    if rule.rule == EarningRule.Rule.FIFTY_FIFTY:
        return FiftyFifty()
    return WeightedMilestones(tuple(float(w) for w in rule.weights))


def _milestones_reached(rule: EngineRule, percent: float) -> int:
    if not isinstance(rule, WeightedMilestones):
        return 0
    total, reached, running = sum(rule.weights), 0, 0.0
    for weight in rule.weights:
        running += weight
        if 100 * running / total <= percent + 1e-9:
            reached += 1
        else:
            break
    return reached


class _Model:
    """The program's stored data turned into engine inputs, built once and evaluated at
    as many status dates as needed (the S-curve asks for one per week)."""

    def __init__(self, program: Program, baseline: BudgetBaseline | None) -> None:
        self.program = program
        self.baseline = baseline
        self.notes: list[str] = []
        settings = (
            ScheduleSettings.objects.filter(program=program)
            .select_related("default_calendar")
            .first()
        )
        cal = settings.default_calendar if settings is not None else None
        self.calendar = engine_calendar(cal) if cal is not None else EngineCalendar.standard()
        self.data_date = to_wall(settings.data_date) if settings is not None else None
        self.components = {c.pk: c for c in program.components.all()}
        acts = list(
            Activity.objects.filter(program=program).order_by("component__code", "order", "id")
        )
        self.activities = {a.pk: a for a in acts}
        self.order = {a.pk: i for i, a in enumerate(acts)}
        children: dict[int, list[int]] = defaultdict(list)
        for a in acts:
            if a.parent_id is not None:
                children[a.parent_id].append(a.pk)
        self.children = children
        self._dates(acts)
        self._progress(acts)
        self.rules = {
            r.activity_id: r for r in EarningRule.objects.filter(program=program, activity__in=acts)
        }
        self.parts: list[_Part] = []
        self._budget()
        self._actuals()
        self.project: EvmProject | None = None
        self.last_earned: dict[str, float] = {}
        if self.parts:
            self.project = EvmProject(
                tuple(
                    ActivityBudget(
                        p.id,
                        p.start,
                        max(p.finish, p.start),
                        resources=p.resources,
                        costs=tuple(p.costs),
                        earning=p.earning,
                        component=p.component.code,
                    )
                    for p in self.parts
                ),
                self.calendar,
            )

    # -- dates ---------------------------------------------------------------------------
    def _dates(self, acts: list[Activity]) -> None:
        """Each activity's baseline dates (newest saved baseline holding it, else its
        current dates) and each component's span."""
        entries = (
            BaselineActivity.objects.filter(baseline__program=self.program)
            .select_related("baseline")
            .order_by("activity_id", "-baseline__created_at", "-baseline_id")
        )
        self.dates: dict[int, tuple[dt.datetime, dt.datetime]] = {}
        used: set[str] = set()
        for entry in entries:
            start, finish = to_wall(entry.start), to_wall(entry.finish)
            if entry.activity_id in self.dates or start is None or finish is None:
                continue
            self.dates[entry.activity_id] = (start, finish)
            used.add(entry.baseline.name)
        self.schedule_baseline = ", ".join(sorted(used)) or None
        current = 0
        for a in acts:
            if a.pk in self.dates:
                continue
            start, finish = to_wall(a.start), to_wall(a.finish)
            if start is not None and finish is not None:
                self.dates[a.pk] = (start, finish)
                current += a.kind != Activity.Kind.SUMMARY
        if current and used:
            self.notes.append(
                f"{current} activities are not in the saved schedule baseline: their "
                "current dates spread their budget."
            )
        elif not used and acts:
            self.notes.append("No saved schedule baseline: current dates spread the budget.")
        self.spans: dict[int, tuple[dt.datetime, dt.datetime]] = {}
        for pk, comp in self.components.items():
            dates = [self.dates[a.pk] for a in acts if a.component_id == pk and a.pk in self.dates]
            if dates:
                self.spans[pk] = (min(d[0] for d in dates), max(d[1] for d in dates))
                continue
            first = comp.start_date or self.program.start_date
            last = comp.end_date or self.program.end_date or first
            if first is not None and last is not None:
                self.spans[pk] = (_midnight(first), _instant(max(first, last)))

    def _span(self, component: Component) -> tuple[dt.datetime, dt.datetime]:
        if component.pk in self.spans:
            return self.spans[component.pk]
        if self.spans:
            first = min(s[0] for s in self.spans.values())
            return first, first
        day = self.program.start_date or dt.date(2000, 1, 1)
        return _midnight(day), _midnight(day)

    def _activity_dates(self, a: Activity) -> tuple[dt.datetime, dt.datetime]:
        return self.dates.get(a.pk) or self._span(self.components[a.component_id])

    # -- progress ------------------------------------------------------------------------
    def _leaves(self, pk: int) -> list[int]:
        out, stack = [], list(self.children.get(pk, ()))
        while stack:
            child = stack.pop()
            if self.children.get(child):
                stack.extend(self.children[child])
            else:
                out.append(child)
        return out

    def _progress(self, acts: list[Activity]) -> None:
        self.reported: dict[int, tuple[float, dt.datetime | None, dt.datetime | None]] = {}
        for a in acts:
            pct = min(max(a.percent_complete or 0.0, 0.0), 100.0)
            start, finish = to_wall(a.actual_start), to_wall(a.actual_finish)
            if finish is not None:
                pct = 100.0
            if start is None and pct > 0:
                start = to_wall(a.start) or self._activity_dates(a)[0]
            self.reported[a.pk] = (pct, start, finish)
        self.leaves = {
            a.pk: self._leaves(a.pk)
            for a in acts
            if a.kind == Activity.Kind.SUMMARY and a.percent_complete is None
        }
        self.component_leaves: dict[int, list[int]] = defaultdict(list)
        for a in acts:
            if not self.children.get(a.pk):
                self.component_leaves[a.component_id].append(a.pk)

    def _work(self, a: dt.datetime, b: dt.datetime) -> int:
        cal = self.calendar
        return cal.w_m(to_minutes(b)) - cal.w_m(to_minutes(a))

    def reported_at(self, when: dt.datetime) -> bool:
        """Whether ``when`` is at or after the data date in working time (no work lies
        between them): reported progress counts as it is."""
        data_date = self.data_date
        return data_date is None or self._work(when, data_date) <= 0

    def progress_at(self, pk: int, when: dt.datetime) -> _Progress:
        """Progress of one activity at ``when`` (see the module: estimated before the
        data date)."""
        if pk in self.leaves:
            return self._rollup(self.leaves[pk], when)
        pct, start, finish = self.reported[pk]
        if self.reported_at(when):
            done = pct >= 100
            return _Progress(100.0 if done else pct, done or start is not None, done)
        if finish is not None and finish <= when:
            return _Progress(100.0, True, True)
        if start is None or start >= when:
            return _Progress(0.0, False, False)
        assert self.data_date is not None
        end, target = (finish, 100.0) if finish is not None else (self.data_date, pct)
        total = self._work(start, end)
        share = min(self._work(start, when) / total, 1.0) if total > 0 else 1.0
        return _Progress(min(target * share, 99.99), True, False)

    def _rollup(self, leaves: Iterable[int], when: dt.datetime) -> _Progress:
        items = [(max(self.activities[pk].duration_minutes, 0), pk) for pk in leaves]
        if not items:
            return _Progress(0.0, False, False)
        weights = [w for w, _ in items]
        if sum(weights) == 0:
            weights = [1] * len(items)
        states = [self.progress_at(pk, when) for _, pk in items]
        pct = sum(w * s.percent for w, s in zip(weights, states, strict=True)) / sum(weights)
        done = all(s.finished for s in states)
        return _Progress(100.0 if done else min(pct, 99.99), any(s.started for s in states), done)

    def part_progress(self, part: _Part, when: dt.datetime) -> _Progress:
        if part.activity_id is not None:
            return self.progress_at(part.activity_id, when)
        return self._rollup(self.component_leaves.get(part.component.pk, ()), when)

    # -- budget --------------------------------------------------------------------------
    def _budget(self) -> None:
        lines = (
            list(
                BudgetLine.objects.filter(baseline=self.baseline)
                .select_related("cost_account")
                .order_by("id")
            )
            if self.baseline is not None
            else []
        )
        self.main: dict[int, _Part] = {}
        covered: set[int] = set()
        for line in lines:
            amount = float(line.amount)
            if line.activity_id is None:
                comp = self.components[line.cost_account.component_id]
                start, finish = self._line_dates(line) or self._span(comp)
                accrual = {"start": "start", "finish": "finish"}.get(line.phasing, "prorated")
                self.parts.append(
                    _Part(f"C{comp.pk}~{line.pk}", comp, None, start, finish,
                          [CostItem(amount, accrual, line.category)])  # type: ignore[arg-type]
                )  # fmt: skip
                continue
            activity = self.activities[line.activity_id]
            covered.add(activity.pk)
            dates = self._line_dates(line) if line.phasing == BudgetLine.Phasing.LINEAR else None
            if dates is not None:
                part = self._new_part(activity, f"A{activity.pk}~{line.pk}", dates)
                part.costs.append(CostItem(amount, "prorated", line.category))
                continue
            accrual = {"start": "start", "finish": "finish"}.get(line.phasing, "prorated")
            self._main(activity).costs.append(
                CostItem(amount, accrual, line.category)  # type: ignore[arg-type]
            )
        # resource costs where no line covers the work (on the activity or above it)
        uncovered = [
            a for a in self.activities.values()
            if a.kind != Activity.Kind.SUMMARY and not self._covered(a, covered)
        ]  # fmt: skip
        by_activity: dict[int, list[ResourceCost]] = defaultdict(list)
        for asg in Assignment.objects.filter(activity__in=uncovered).select_related("resource"):
            res = asg.resource
            if res.standard_rate or res.cost_per_use:
                by_activity[asg.activity_id].append(
                    ResourceCost(res.code, asg.units, float(res.standard_rate),
                                 float(res.cost_per_use))
                )  # fmt: skip
        for pk, costs in by_activity.items():
            self._main(self.activities[pk]).resources = tuple(costs)

    def _covered(self, a: Activity, covered: set[int]) -> bool:
        node: int | None = a.pk
        while node is not None:
            if node in covered:
                return True
            node = self.activities[node].parent_id
        return False

    def _line_dates(self, line: BudgetLine) -> tuple[dt.datetime, dt.datetime] | None:
        if line.phasing != BudgetLine.Phasing.LINEAR or not line.phase_start:
            return None
        last = max(line.phase_finish or line.phase_start, line.phase_start)
        return _midnight(line.phase_start), _instant(last)

    def _new_part(
        self, a: Activity, pid: str, dates: tuple[dt.datetime, dt.datetime] | None = None
    ) -> _Part:
        start, finish = dates or self._activity_dates(a)
        part = _Part(pid, self.components[a.component_id], a.pk, start, finish,
                     earning=_engine_rule(self.rules.get(a.pk)), row=a.pk)  # fmt: skip
        self.parts.append(part)
        return part

    def _main(self, a: Activity) -> _Part:
        if a.pk not in self.main:
            self.main[a.pk] = self._new_part(a, f"A{a.pk}")
        return self.main[a.pk]

    # -- actual cost ---------------------------------------------------------------------
    def _actuals(self) -> None:
        """Cumulative actual cost per part by date (bisect on the dates)."""
        rows = (
            ActualCost.objects.filter(program=self.program)
            .values_list("date", "activity_id", "cost_account__component_id", "amount")
            .order_by("date", "id")
        )
        account_parts: dict[int, _Part] = {}
        per_part: dict[str, list[tuple[dt.date, float]]] = defaultdict(list)
        for day, activity_id, component_id, amount in rows:
            if activity_id is not None and activity_id in self.activities:
                part = self._main(self.activities[activity_id])
            elif component_id in account_parts:
                part = account_parts[component_id]
            else:
                comp = self.components[component_id]
                start = self._span(comp)[0]
                part = _Part(f"C{component_id}~ac", comp, None, start, start)
                account_parts[component_id] = part
                self.parts.append(part)
            per_part[part.id].append((day, float(amount)))
        self.actual_dates: dict[str, list[dt.date]] = {}
        self.actual_sums: dict[str, list[float]] = {}
        for pid, items in per_part.items():
            running, sums = 0.0, []
            for _, value in items:
                running += value
                sums.append(running)
            self.actual_dates[pid] = [d for d, _ in items]
            self.actual_sums[pid] = sums
        self.all_actuals = sorted(
            (d, a) for items in per_part.values() for d, a in items
        )  # for the S-curve

    def actual_cost(self, pid: str, day: dt.date) -> float:
        dates = self.actual_dates.get(pid)
        if not dates:
            return 0.0
        i = bisect.bisect_right(dates, day)
        return self.actual_sums[pid][i - 1] if i else 0.0

    # -- evaluation ----------------------------------------------------------------------
    def engine_progress(self, day: dt.date) -> dict[str, ActivityProgress]:
        when = _instant(day)
        out: dict[str, ActivityProgress] = {}
        for part in self.parts:
            state = self.part_progress(part, when)
            out[part.id] = ActivityProgress(
                percent_complete=state.percent,
                actual_cost=self.actual_cost(part.id, day),
                started=state.started or state.finished,
                milestones_reached=_milestones_reached(part.earning, state.percent),
            )
        return out

    def earned_parts(self, day: dt.date) -> list[float]:
        """Each part's earned value at the end of ``day`` (in ``parts`` order)."""
        if self.project is None:
            return []
        curve = self.project.curve()
        when = _instant(day)
        out = []
        for i, part in enumerate(self.parts):
            state = self.part_progress(part, when)
            prog = ActivityProgress(
                state.percent, 0.0, state.started or state.finished,
                _milestones_reached(part.earning, state.percent),
            )  # fmt: skip
            amounts = (float(curve.at_start[i]), float(curve.linear[i]), float(curve.at_finish[i]))
            out.append(earned_value(part.earning, amounts, prog))
        return out

    def default_date(self) -> dt.date:
        if self.data_date is None:
            return dt.date.today()
        day = self.data_date.date()
        cal = self.calendar
        worked_today = cal.w_m(to_minutes(self.data_date)) > cal.w_m(to_minutes(_midnight(day)))
        return day if worked_today else day - dt.timedelta(days=1)


# --------------------------------------------------------------------------- rows


def _money(x: float) -> float:
    return round(x, 2) + 0.0


def _cost_fields(m: EvmMetrics) -> dict[str, Any]:
    def opt(x: float | None) -> float | None:
        return None if x is None else _money(x)

    return {
        "bac": _money(m.bac), "pv": _money(m.pv), "ev": _money(m.ev), "ac": _money(m.ac),
        "sv": _money(m.sv), "cv": _money(m.cv), "spi": m.spi, "cpi": m.cpi,
        "eac": _money(m.eac), "eac_cpi": opt(m.eac_cpi), "eac_sci": opt(m.eac_sci),
        "etc": opt(m.etc), "vac": opt(m.vac), "tcpi": m.tcpi,
    }  # fmt: skip


def _schedule_fields(s: ScheduleMetrics, project: EvmProject) -> dict[str, Any]:
    def day(x: dt.datetime | None) -> dt.date | None:
        return None if x is None else x.date()

    return {
        "es": s.es.date(),
        "sv_t_days": round(s.sv_t_hours / HOURS_PER_DAY, 2),
        "spi_t": s.spi_t,
        "sci_t": s.sci_t,
        "p_factor": s.p_factor,
        "planned_finish": project.instant(s.pd_hours * 60).date(),
        "eac_t_pf1": s.eac_t_pf1.date(),
        "eac_t_spi_t": day(s.eac_t_spi_t),
        "eac_t_sci_t": day(s.eac_t_sci_t),
    }


def _completed(
    model: _Model,
    metrics: EvmMetrics,
    schedule: ScheduleMetrics,
    parts: list[_Part],
    day: dt.date,
) -> ScheduleMetrics:
    """Earned schedule of a finished set of parts measured at its actual finish.

    Once everything is earned, ES is the planned duration; measured at a later status
    date SPI(t) would keep falling although nothing is late any more. Lipke measures a
    completed project at its completion: AT is the latest actual finish of the work.
    """
    assert model.project is not None
    when = _instant(day)
    leaves: set[int] = set()
    for part in parts:
        if part.activity_id is None:
            leaves.update(model.component_leaves.get(part.component.pk, ()))
        else:
            leaves.update(model.leaves.get(part.activity_id) or [part.activity_id])
    finishes = [model.reported[pk][2] for pk in leaves]
    if (
        not parts
        or metrics.bac <= 0
        or metrics.ev < metrics.bac - 0.005
        or not all(model.progress_at(pk, when).finished for pk in leaves)
        or any(f is None for f in finishes)
    ):
        return schedule
    project = model.project
    at = float(min(project.offset(max(f for f in finishes if f is not None)), project.offset(when)))
    ids = [p.id for p in parts]
    curve = project.curve(ids)
    es = earned_schedule(curve, metrics.ev, at)
    spi_t = es.spi_t
    sci_t = None if spi_t is None or metrics.cpi is None else spi_t * metrics.cpi
    status_ev = model.last_earned
    adherence = p_factor(curve, [status_ev[i] for i in ids], es.minutes)
    finish = project.instant(at)
    return ScheduleMetrics(
        es=project.instant(es.minutes), es_hours=es.minutes / 60,
        lipke_es_hours=es.lipke_minutes / 60, at_hours=at / 60,
        pd_hours=es.planned_minutes / 60, sv_t_hours=es.sv_t_minutes / 60, spi_t=spi_t,
        sci_t=sci_t, p_factor=adherence, eac_t_pf1=finish,
        eac_t_spi_t=finish if spi_t else None, eac_t_sci_t=finish if sci_t else None,
    )  # fmt: skip


def _evaluate(model: _Model, day: dt.date) -> ProgramEvm:
    program = model.program
    notes = list(model.notes)
    if not model.reported_at(_instant(day)):
        notes.append(
            "The status date is before the schedule's data date: progress is estimated "
            "linearly between each activity's actual start and finish (or the data date)."
        )
    if model.baseline is None:
        notes.append("No approved budget baseline: the budget comes from resource costs.")
    baseline_number = model.baseline.number if model.baseline is not None else None
    if model.project is None:
        zero = cost_metrics(0.0, 0.0, 0.0, 0.0)
        row = EvmRow("program", program.code, program.name, None, **_cost_fields(zero))
        return ProgramEvm(program.code, program.currency, day, baseline_number,
                          model.schedule_baseline, row, [], [], notes)  # fmt: skip
    status = evaluate(model.project, model.engine_progress(day), _instant(day))
    model.last_earned = {pid: m.ev for pid, m in status.activities.items()}
    project = model.project
    by_component: dict[str, list[_Part]] = defaultdict(list)
    for part in model.parts:
        by_component[part.component.code].append(part)
    schedule = _completed(model, status.project, status.schedule, model.parts, day)
    program_row = EvmRow(
        "program", program.code, program.name, None,
        **_cost_fields(status.project), **_schedule_fields(schedule, project),
    )  # fmt: skip
    components = []
    for comp in sorted(model.components.values(), key=lambda c: c.code):
        if comp.code not in status.components:
            continue
        components.append(
            EvmRow(
                "component",
                comp.code,
                comp.name,
                comp.code,
                **_cost_fields(status.components[comp.code]),
                **_schedule_fields(
                    _completed(
                        model,
                        status.components[comp.code],
                        status.component_schedules[comp.code],
                        by_component[comp.code],
                        day,
                    ),
                    project,
                ),
            )
        )
    sums: dict[int, list[float]] = {}
    for part in model.parts:
        if part.row is None:
            continue
        m = status.activities[part.id]
        acc = sums.setdefault(part.row, [0.0, 0.0, 0.0, 0.0])
        for k, v in enumerate((m.bac, m.pv, m.ev, m.ac)):
            acc[k] += v
    activities = []
    when = _instant(day)
    for pk in sorted(sums, key=lambda pk: model.order[pk]):
        a = model.activities[pk]
        comp = model.components[a.component_id]
        rule = model.rules.get(pk)
        activities.append(
            EvmRow(
                "activity",
                f"{comp.code}/{a.code}",
                a.name,
                comp.code,
                **_cost_fields(cost_metrics(*sums[pk])),
                activity_id=pk,
                earning_rule=rule.rule if rule else EarningRule.Rule.PERCENT_COMPLETE.value,
                percent_complete=round(model.progress_at(pk, when).percent, 2),
            )
        )
    return ProgramEvm(program.code, program.currency, day, baseline_number,
                      model.schedule_baseline, program_row, components, activities,
                      notes)  # fmt: skip


def _approved(program: Program) -> BudgetBaseline | None:
    return BudgetBaseline.objects.filter(
        program=program, status=BudgetBaseline.Status.APPROVED
    ).first()


def default_status_date(program: Program) -> dt.date:
    """The status date used when none is given: the end of the last day the schedule's
    data date reports on (today when the program has no data date)."""
    settings = ScheduleSettings.objects.filter(program=program).first()
    data_date = to_wall(settings.data_date) if settings is not None else None
    if data_date is None:
        return dt.date.today()
    cal = settings.default_calendar if settings is not None else None
    engine = engine_calendar(cal) if cal is not None else EngineCalendar.standard()
    day = data_date.date()
    worked = engine.w_m(to_minutes(data_date)) > engine.w_m(to_minutes(_midnight(day)))
    return day if worked else day - dt.timedelta(days=1)


def program_evm(
    program: Program,
    status_date: dt.date | None = None,
    baseline: BudgetBaseline | None = None,
) -> ProgramEvm:
    """Earned value of ``program`` at the end of ``status_date``.

    Parameters
    ----------
    program : Program
        A program whose costs the caller may see.
    status_date : date, optional
        Default: :func:`default_status_date` (from the schedule's data date).
    baseline : BudgetBaseline, optional
        The budget version measured against; default the approved one.

    Returns
    -------
    ProgramEvm
        The program row, one row per component and per activity with budget or cost
        (see :class:`EvmRow`); components and the program are the sums of their parts
        (BAC, PV, EV, AC), their ratios computed from those sums.
    """
    model = _Model(program, baseline if baseline is not None else _approved(program))
    return _evaluate(model, status_date or model.default_date())


def earned_by_activity(
    program: Program, days: Iterable[dt.date]
) -> dict[dt.date, dict[int, float]]:
    """Earned value per activity (activity id → EV) at the end of each of ``days``,
    against the approved budget baseline, with progress estimated before the data date
    as the module says. Budget not tied to an activity is left out."""
    model = _Model(program, _approved(program))
    out: dict[dt.date, dict[int, float]] = {}
    for day in days:
        earned: dict[int, float] = defaultdict(float)
        for part, value in zip(model.parts, model.earned_parts(day), strict=True):
            if part.row is not None:
                earned[part.row] += value
        out[day] = dict(earned)
    return out


def _sundays(first: dt.date, last: dt.date) -> list[dt.date]:
    day = first - dt.timedelta(days=(first.weekday() + 1) % 7)
    out = []
    while day <= last + dt.timedelta(days=6):
        out.append(day)
        day += dt.timedelta(days=7)
    return out


def s_curve(program: Program, status_date: dt.date | None = None) -> SCurve:
    """Weekly PV / EV / AC / forecast series for the chart (see :class:`SCurve`).

    PV is the baseline's cumulative planned value at the end of each Sunday; EV (with
    progress estimated before the data date, see the module) and AC (entries up to the
    day) run to the status date (default: from the data date), which is a point of its
    own; the forecast runs from AC at the status date straight to the EAC at the forecast
    finish (EAC(t) with SPI(t), else with performance factor 1). The series stops at
    three times the planned duration even when the forecast finish lies beyond it.
    """
    model = _Model(program, _approved(program))
    day = status_date or model.default_date()
    status = _evaluate(model, day)
    row = status.program
    eac = row.eac_cpi if row.eac_cpi is not None else row.eac
    if model.project is None:
        return SCurve(program.code, program.currency, day, 0.0, _money(eac), None, None, [])
    forecast_finish = row.eac_t_spi_t or row.eac_t_pf1
    planned_finish = row.planned_finish
    first = model.project.project_start.date()
    last = max(d for d in (planned_finish, forecast_finish, day) if d is not None)
    # a forecast far beyond the plan (SPI(t) near 0) would make thousands of weeks: the
    # chart stops at three planned durations, the forecast line short of its end
    planned = max(planned_finish or day, day)
    last = min(last, planned + 2 * (planned - first))
    days = sorted(set(_sundays(first, last)) | {day})
    curve = model.project.curve()
    pv = curve.values([float(model.project.offset(_instant(d))) for d in days])
    actual_days = [d for d, _ in model.all_actuals]
    running, cumulative = 0.0, []
    for _, amount in model.all_actuals:
        running += amount
        cumulative.append(running)
    points = []
    end = forecast_finish or day
    for d, planned in zip(days, pv, strict=True):
        ev = ac = forecast = None
        if d <= day:
            ev = row.ev if d == day else _money(sum(model.earned_parts(d)))
            i = bisect.bisect_right(actual_days, d)
            ac = _money(cumulative[i - 1] if i else 0.0)
        if d >= day:
            span = (end - day).days
            share = 1.0 if span <= 0 else min((d - day).days / span, 1.0)
            forecast = _money(row.ac + (eac - row.ac) * share)
        points.append(SCurvePoint(d, _money(float(planned)), ev, ac, forecast))
    return SCurve(program.code, program.currency, day, row.bac, _money(eac), planned_finish,
                  forecast_finish, points)  # fmt: skip


# --------------------------------------------------------------------------- snapshots


def _decimal_free(data: Any) -> Any:
    if isinstance(data, Decimal):
        return float(data)
    if isinstance(data, dict):
        return {k: _decimal_free(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_decimal_free(v) for v in data]
    return data


@transaction.atomic
def take_snapshot(actor: Any, program: Program, status_date: dt.date, name: str) -> StatusSnapshot:
    """Compute :func:`program_evm` at ``status_date`` and keep the program and
    component rows as a :class:`~podium.finance.models.StatusSnapshot` (never changed
    afterwards; audited). Only the program manager (or an administrator; ``actor``
    None: the system) takes snapshots.

    ``snapshot.metrics`` = ``{"program": row dict, "components": [row dicts],
    "baseline_number", "schedule_baseline", "currency", "notes"}`` (rows as
    :meth:`EvmRow.as_dict`).
    """
    if actor is not None:
        require(can_change_program(actor, program), "Only the program manager can take "
                "status snapshots.")  # fmt: skip
    name = (name or "").strip()
    if not name:
        raise ValidationFailed({"name": ["Give the snapshot a name (e.g. the period)."]})
    if len(name) > 120:
        raise ValidationFailed({"name": ["At most 120 characters."]})
    if StatusSnapshot.objects.filter(program=program, name=name).exists():
        raise ValidationFailed({"name": [f"{program.code} already has a snapshot {name!r}."]})
    result = program_evm(program, status_date)
    metrics = {
        "program": result.program.as_dict(),
        "components": [c.as_dict() for c in result.components],
        "baseline_number": result.baseline_number,
        "schedule_baseline": result.schedule_baseline,
        "currency": result.currency,
        "notes": result.notes,
    }
    snapshot = StatusSnapshot(
        program=program, name=name, status_date=status_date, metrics=_decimal_free(metrics)
    )
    snapshot.created_by = snapshot.updated_by = (
        actor if getattr(actor, "is_authenticated", False) else None
    )
    snapshot.save()
    row = result.program
    audit.record(
        user=actor, action="create", obj=snapshot, before=None,
        after={"name": name, "status_date": status_date.isoformat(), "pv": row.pv,
               "ev": row.ev, "ac": row.ac, "cpi": row.cpi, "spi": row.spi,
               "spi_t": row.spi_t},
        program_id=program.pk,
    )  # fmt: skip
    return snapshot


def snapshot_list(program: Program) -> QuerySet[StatusSnapshot]:
    """The program's snapshots, by status date (oldest first)."""
    return (
        StatusSnapshot.objects.filter(program=program)
        .select_related("created_by")
        .order_by("status_date", "id")
    )


def evm_trend(program: Program) -> list[TrendPoint]:
    """CPI, SPI and SPI(t) (and PV, EV, AC) of the program per snapshot, by status date
    (oldest first)."""
    out = []
    for snap in snapshot_list(program):
        row = snap.metrics.get("program", {})
        out.append(
            TrendPoint(
                snap.pk,
                snap.name,
                snap.status_date,
                row.get("cpi"),
                row.get("spi"),
                row.get("spi_t"),
                row.get("pv", 0.0),
                row.get("ev", 0.0),
                row.get("ac", 0.0),
            )
        )
    return out


# --------------------------------------------------------------------------- earning rules


@transaction.atomic
def set_earning_rule(
    *, actor: Any, activity: Activity, rule: str, weights: Iterable[float] = ()
) -> EarningRule:
    """Set how ``activity`` earns its budget (the program manager or the activity's
    component manager; ``actor`` None: the system). ``weights`` only with
    ``"weighted_milestones"``: at least one, none negative, not all zero."""
    component = activity.component
    if actor is not None:
        require(
            can_change_component(actor, component),
            "Only the program manager or this component's manager can set earning rules.",
        )
    if rule not in EarningRule.Rule.values:
        raise ValidationFailed({"rule": [f"Unknown earning rule {rule!r}."]})
    values = [float(w) for w in weights]
    if rule == EarningRule.Rule.WEIGHTED_MILESTONES:
        if not values or any(not math.isfinite(w) or w < 0 for w in values) or sum(values) <= 0:
            raise ValidationFailed(
                {"weights": ["Give one weight per milestone, none negative, not all zero."]}
            )
    elif values:
        raise ValidationFailed({"weights": ["Weights belong to weighted milestones only."]})
    current = EarningRule.objects.filter(activity=activity).first()
    by = actor if getattr(actor, "is_authenticated", False) else None
    if current is None:
        current = EarningRule(program_id=activity.program_id, activity=activity, rule=rule,
                              weights=values, created_by=by, updated_by=by)  # fmt: skip
        current.save()
        audit.record(
            user=actor, action="create", obj=current, before=None,
            after=audit.snapshot(current), program_id=activity.program_id,
        )  # fmt: skip
        return current
    before = audit.snapshot(current)
    updated = update_versioned(current, None, actor, rule=rule, weights=values)
    audit.record(
        user=actor, action="update", obj=updated, before=before,
        after=audit.snapshot(updated), program_id=activity.program_id,
    )  # fmt: skip
    return updated

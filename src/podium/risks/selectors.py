"""Reads of the risk and issue registers and the uncertainty inputs.

Callers pass a program the user may see (:func:`podium.programs.permissions.get_program`);
cost impacts are only read by callers that checked
:func:`podium.programs.permissions.can_see_costs`.

:func:`simulation_inputs` is the seam to the Monte Carlo engine
(:mod:`podium.engine.montecarlo`): plain data keyed by activity id (``str(pk)``, the id
the schedule gives activities in the engine's network), no Django objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from podium.core.audit import history_for
from podium.core.errors import NotFound
from podium.core.models import AuditRecord
from podium.engine.montecarlo import Correlation, Distribution, RiskEvent
from podium.programs.models import Component, Program
from podium.risks.models import (
    ActivityEstimate,
    DistributionKind,
    DurationCorrelation,
    Issue,
    Risk,
    RiskAction,
    RiskCostImpact,
    RiskKind,
    RiskStatus,
)
from podium.schedule.models import Activity

__all__ = [
    "Matrix",
    "MatrixCell",
    "SimulationInputs",
    "correlation_list",
    "estimate_list",
    "get_action",
    "get_correlation",
    "get_issue",
    "get_risk",
    "issue_list",
    "matrix",
    "risk_history",
    "risk_list",
    "simulation_inputs",
]

MINUTES_PER_HOUR = 60


# -- simulation inputs --------------------------------------------------------------------


@dataclass
class SimulationInputs:
    """What :func:`podium.engine.montecarlo.simulate` needs besides the network.

    - ``durations``: activity id → duration distribution in working minutes (from the
      activities' three-point estimates; activities without one keep their duration);
    - ``risks``: open risk events with a probability, the linked activities, the delay
      (working minutes) and the cost (currency units) they add when they happen;
    - ``correlations``: rank correlations between activity durations;
    - ``costs``: activity id → base cost distribution (not estimated yet: empty).
    """

    durations: dict[str, Distribution] = field(default_factory=dict)
    risks: list[RiskEvent] = field(default_factory=list)
    correlations: list[Correlation] = field(default_factory=list)
    costs: dict[str, Distribution] = field(default_factory=dict)


def _distribution(kind: str, low: float, mode: float, high: float) -> Distribution:
    if kind == DistributionKind.UNIFORM:
        mode = low
    return Distribution(kind=kind, low=float(low), mode=float(mode), high=float(high))  # type: ignore[arg-type]


def _signed(kind: str, low: float, mode: float, high: float, sign: int) -> Distribution:
    """A threat adds ``low..high``; an opportunity's impact is the mirror image
    ``-high..-low`` (it removes duration or cost). Lognormal impacts are refused for
    opportunities by the service, so the mirror is always one of the bounded kinds."""
    if sign > 0:
        return _distribution(kind, low, mode, high)
    return _distribution(kind, -high, -mode, -low)


def simulation_inputs(program: Program, *, include_costs: bool = True) -> SimulationInputs:
    """The uncertainty of ``program``'s schedule as engine inputs.

    Rules
    -----
    - Estimates of finished activities (``actual_finish`` set) are left out: their
      duration is known. Everything else is in working minutes, as estimated.
    - Only **open** risks take part; closed risks are gone and occurred ones are issues
      (their consequences belong in the schedule itself). Risks with neither a duration
      impact on an unfinished linked activity nor a cost impact are left out.
    - A risk's duration impact is entered in working hours; it becomes minutes here.
    - **Opportunities give negative delays and costs**: when one happens, the sampled
      amount is taken off each linked activity's duration (and off the cost).
    - A correlation takes part only when both activities have an estimate in
      ``durations`` (a fixed duration has nothing to correlate).
    - ``include_costs=False`` leaves every risk's ``cost`` out (for users who may not
      see costs).

    Four queries, whatever the size of the program. Risk events are named by the
    risk's code.
    """
    inputs = SimulationInputs()
    estimates = ActivityEstimate.objects.filter(
        program=program, activity__actual_finish__isnull=True
    ).values_list("activity_id", "kind", "optimistic", "most_likely", "pessimistic")
    for activity_id, kind, optimistic, most_likely, pessimistic in estimates:
        inputs.durations[str(activity_id)] = _distribution(
            kind, optimistic, most_likely, pessimistic
        )

    open_activities = Activity.objects.filter(actual_finish__isnull=True)
    risks = (
        Risk.objects.filter(program=program, status=RiskStatus.OPEN)
        .select_related("cost_impact")
        .prefetch_related(
            Prefetch("activities", queryset=open_activities.only("id"), to_attr="open_activities")
        )
        .order_by("code")
    )
    for risk in risks:
        sign = -1 if risk.kind == RiskKind.OPPORTUNITY else 1
        activities = tuple(str(a.pk) for a in getattr(risk, "open_activities", ()))
        delay = None
        if risk.duration_kind and activities and risk.duration_high is not None:
            low = risk.duration_low if risk.duration_low is not None else 0.0
            mode = risk.duration_mode if risk.duration_mode is not None else low
            delay = _signed(
                risk.duration_kind,
                low * MINUTES_PER_HOUR,
                mode * MINUTES_PER_HOUR,
                risk.duration_high * MINUTES_PER_HOUR,
                sign,
            )
        cost = None
        impact: RiskCostImpact | None = getattr(risk, "cost_impact", None)
        if include_costs and impact is not None:
            cost = _signed(
                impact.kind, float(impact.low), float(impact.mode), float(impact.high), sign
            )
        if delay is None and cost is None:
            continue
        inputs.risks.append(
            RiskEvent(
                id=risk.code,
                probability=risk.probability,
                activities=activities if delay is not None else (),
                delay=delay,
                cost=cost,
            )
        )

    for a, b, rho in DurationCorrelation.objects.filter(program=program).values_list(
        "activity_a_id", "activity_b_id", "rho"
    ):
        if str(a) in inputs.durations and str(b) in inputs.durations:
            inputs.correlations.append(Correlation(a=str(a), b=str(b), rho=rho))
    return inputs


# -- lookups (404 like a missing object when outside the program) ------------------------


def get_risk(program: Program, pk: int) -> Risk:
    risk = (
        Risk.objects.select_related(
            "program", "component", "owner", "escalated_by", "cost_impact", "issue"
        )
        .filter(program=program, pk=pk)
        .first()
    )
    if risk is None:
        raise NotFound(f"No risk {pk}.")
    return risk


def get_action(program: Program, pk: int) -> RiskAction:
    action = (
        RiskAction.objects.select_related("risk__program", "risk__component", "owner")
        .filter(risk__program=program, pk=pk)
        .first()
    )
    if action is None:
        raise NotFound(f"No risk action {pk}.")
    return action


def get_issue(program: Program, pk: int) -> Issue:
    issue = (
        Issue.objects.select_related("program", "component", "owner", "escalated_by", "source_risk")
        .filter(program=program, pk=pk)
        .first()
    )
    if issue is None:
        raise NotFound(f"No issue {pk}.")
    return issue


def get_correlation(program: Program, pk: int) -> DurationCorrelation:
    corr = (
        DurationCorrelation.objects.select_related("activity_a", "activity_b")
        .filter(program=program, pk=pk)
        .first()
    )
    if corr is None:
        raise NotFound(f"No correlation {pk}.")
    return corr


# -- registers ----------------------------------------------------------------------------


def _scope(qs: QuerySet[Any], component: str | int | None) -> QuerySet[Any]:
    """``component``: a component id, ``"program"`` for program-level entries, or
    empty for all."""
    if component in (None, ""):
        return qs
    if component == "program":
        return qs.filter(component__isnull=True)
    try:
        return qs.filter(component_id=int(component))
    except (TypeError, ValueError):
        return qs.none()


def risk_list(
    program: Program,
    *,
    component: str | int | None = None,
    status: str = "",
    kind: str = "",
    owner: int | None = None,
    level: str = "",
    text: str = "",
) -> QuerySet[Risk]:
    """The program's risks, filtered; ordered by code."""
    qs = Risk.objects.filter(program=program).select_related(
        "program", "component", "owner", "cost_impact", "escalated_by", "issue"
    )
    qs = _scope(qs, component)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if owner:
        qs = qs.filter(owner_id=owner)
    if level:
        qs = qs.filter(level=level)
    if text:
        qs = qs.filter(
            Q(code__icontains=text) | Q(title__icontains=text) | Q(cause__icontains=text)
            | Q(event__icontains=text) | Q(effect__icontains=text)
        )  # fmt: skip
    return qs.order_by("code")


def issue_list(
    program: Program,
    *,
    component: str | int | None = None,
    status: str = "",
    priority: str = "",
    owner: int | None = None,
    level: str = "",
    text: str = "",
) -> QuerySet[Issue]:
    qs = Issue.objects.filter(program=program).select_related(
        "program", "component", "owner", "source_risk", "escalated_by"
    )
    qs = _scope(qs, component)
    if status:
        qs = qs.filter(status=status)
    if priority:
        qs = qs.filter(priority=priority)
    if owner:
        qs = qs.filter(owner_id=owner)
    if level:
        qs = qs.filter(level=level)
    if text:
        qs = qs.filter(
            Q(code__icontains=text) | Q(title__icontains=text) | Q(description__icontains=text)
        )
    return qs.order_by("code")


def estimate_list(program: Program, *, component: int | None = None) -> QuerySet[ActivityEstimate]:
    qs = ActivityEstimate.objects.filter(program=program).select_related("activity__component")
    if component:
        qs = qs.filter(activity__component_id=component)
    return qs


def correlation_list(program: Program) -> QuerySet[DurationCorrelation]:
    return DurationCorrelation.objects.filter(program=program).select_related(
        "activity_a__component", "activity_b__component"
    )


def risk_history(risk: Risk, *, with_costs: bool) -> list[AuditRecord]:
    """The risk's audit records, its actions' and (for users who may see costs) its cost
    impact's, newest first."""
    qs = AuditRecord.objects.filter(
        Q(object_type="risks.risk", object_id=str(risk.pk))
        | Q(
            object_type="risks.riskaction",
            object_id__in=[str(pk) for pk in risk.actions.values_list("pk", flat=True)],
        )
    )
    if with_costs:
        impact = RiskCostImpact.objects.filter(risk=risk).first()
        if impact is not None:
            qs = qs | history_for(impact)
    return list(qs.select_related("user").order_by("-at", "-id"))


# -- probability x impact matrix ----------------------------------------------------------


@dataclass
class MatrixCell:
    probability: int  # 1..5
    impact: int  # 1..5
    codes: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.codes)

    @property
    def zone(self) -> str:
        """low / medium / high by probability x impact score (≤4, ≤12, above)."""
        score = self.probability * self.impact
        return "low" if score <= 4 else "medium" if score <= 12 else "high"


@dataclass
class Matrix:
    """Open risks of one kind on a 5 x 5 grid: ``rows`` from probability 5 (top) down to
    1, each with the cells for impact 1..5."""

    kind: str
    component: Component | None
    rows: list[list[MatrixCell]]

    @property
    def total(self) -> int:
        return sum(cell.count for row in self.rows for cell in row)

    def cell(self, probability: int, impact: int) -> MatrixCell:
        return self.rows[5 - probability][impact - 1]


def matrix(
    program: Program, *, component: Component | None = None, kind: str = RiskKind.THREAT
) -> Matrix:
    """The probability x impact matrix of the program's open risks of ``kind`` (or only
    ``component``'s). Probability on the 1–5 scale of :attr:`Risk.probability_score`;
    impact = the worse of the schedule and cost scores. One query."""
    grid = Matrix(
        kind=kind,
        component=component,
        rows=[[MatrixCell(p, i) for i in range(1, 6)] for p in range(5, 0, -1)],
    )
    qs = Risk.objects.filter(program=program, status=RiskStatus.OPEN, kind=kind)
    if component is not None:
        qs = qs.filter(component=component)
    for risk in qs.only("code", "probability", "schedule_score", "cost_score").order_by("code"):
        grid.cell(risk.probability_score, risk.impact_score).codes.append(risk.code)
    return grid

"""Reads of the benefits register: the register, traceability, the descope impact, the
realization forecast and the program dashboard's summary.

Callers pass a program the user may see (:func:`podium.programs.permissions.get_program`).
Money (expected value, value at risk) is in the results for every caller; pages and the
API drop it for users who may not see costs (:func:`podium.benefits.access.can_see_value`).

Enablers
--------
A benefit is **enabled** by the deliverables it is linked to and by the deliverables of
the components it is linked to directly; a directly linked component that has no
deliverables enables it itself (dated by the component's end date). So a benefit
*depends on* a deliverable when it is linked to it or to its component, and on a
component when it is linked to it or to any of its deliverables.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from podium.benefits import rules
from podium.benefits.models import Benefit, BenefitStatus, Direction, RealizationTarget
from podium.core.errors import NotFound, ValidationFailed
from podium.core.models import AuditRecord
from podium.delivery.models import Deliverable, DeliverableStatus
from podium.delivery.selectors import deliverable_dates
from podium.programs.models import Component, Goal, Program

__all__ = [
    "DescopeImpact",
    "ForecastRow",
    "ImpactRow",
    "Traceability",
    "benefit_list",
    "benefits_depending_on",
    "descope_impact",
    "get_benefit",
    "profile",
    "program_benefit_summary",
    "realization_forecast",
    "traceability",
]

CENT = Decimal("0.01")
RECENT_DAYS = 30
_DONE = {DeliverableStatus.DELIVERED, DeliverableStatus.ACCEPTED, DeliverableStatus.TRANSITIONED}


def _with_links(qs: QuerySet[Benefit]) -> QuerySet[Benefit]:
    return qs.select_related("program", "owner", "goal", "sustainment_owner").prefetch_related(
        Prefetch("components", queryset=Component.objects.order_by("code")),
        Prefetch(
            "deliverables",
            queryset=Deliverable.objects.select_related("component", "milestone").order_by("code"),
        ),
        Prefetch("targets", queryset=RealizationTarget.objects.order_by("date")),
    )


def benefit_list(
    program: Program,
    *,
    category: str = "",
    status: str = "",
    goal: int | None = None,
    owner: int | None = None,
    q: str = "",
    deliverable: Deliverable | None = None,
    component: Component | None = None,
) -> QuerySet[Benefit]:
    """The register, filtered; ``deliverable``/``component``: only the benefits that
    depend on it (see the module's *Enablers*)."""
    qs = Benefit.objects.filter(program=program)
    if category:
        qs = qs.filter(category=category)
    if status:
        qs = qs.filter(status=status)
    if goal is not None:
        qs = qs.filter(goal_id=goal)
    if owner is not None:
        qs = qs.filter(Q(owner_id=owner) | Q(sustainment_owner_id=owner))
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(kpi__icontains=q))
    if deliverable is not None or component is not None:
        qs = qs.filter(pk__in=_depending_ids(program, deliverable, component))
    return _with_links(qs).order_by("code", "pk")


def get_benefit(program: Program, pk: int) -> Benefit:
    benefit = _with_links(Benefit.objects.filter(program=program, pk=pk)).first()
    if benefit is None:
        raise NotFound(f"No benefit {pk}.")
    return benefit


def _depending_ids(
    program: Program, deliverable: Deliverable | None, component: Component | None
) -> QuerySet[Benefit]:
    if deliverable is not None:
        cond = Q(deliverables=deliverable) | Q(components=deliverable.component_id)
    elif component is not None:
        cond = Q(components=component) | Q(deliverables__component=component)
    else:
        raise ValidationFailed("Name a deliverable or a component.")
    return Benefit.objects.filter(cond, program=program).values("pk").distinct()  # type: ignore[return-value]


def benefits_depending_on(
    program: Program, *, deliverable: Deliverable | None = None, component: Component | None = None
) -> list[Benefit]:
    """The benefits that depend on ``deliverable`` (linked to it or to its component) or
    on ``component`` (linked to it or to any of its deliverables), by code."""
    return list(benefit_list(program, deliverable=deliverable, component=component))


def profile(benefit: Benefit) -> list[rules.Point]:
    """Baseline point then the targets (uses prefetched targets when present)."""
    return [(benefit.baseline_date, benefit.baseline_value)] + [
        (t.date, t.value) for t in sorted(benefit.targets.all(), key=lambda t: t.date)
    ]


# -- traceability -------------------------------------------------------------------------


@dataclass
class BenefitNode:
    benefit: Benefit
    deliverables: list[Deliverable]
    components: list[Component]  # linked directly


@dataclass
class GoalNode:
    goal: Goal | None  # None: benefits that serve no goal yet
    benefits: list[BenefitNode]


@dataclass
class DeliverableNode:
    deliverable: Deliverable
    benefits: list[Benefit]


@dataclass
class ComponentNode:
    component: Component
    deliverables: list[DeliverableNode]
    benefits: list[Benefit]  # linked to the component directly


@dataclass
class Traceability:
    """Both directions: goal → benefits → deliverables (with their component) and
    directly linked components; component → deliverables → benefits."""

    goals: list[GoalNode]
    components: list[ComponentNode]


def traceability(program: Program) -> Traceability:
    benefits = list(benefit_list(program))
    nodes = {
        b.pk: BenefitNode(b, list(b.deliverables.all()), list(b.components.all())) for b in benefits
    }
    goals = [
        GoalNode(g, [nodes[b.pk] for b in benefits if b.goal_id == g.pk])
        for g in program.goals.order_by("order", "pk")
    ]
    orphans = [nodes[b.pk] for b in benefits if b.goal_id is None]
    if orphans:
        goals.append(GoalNode(None, orphans))
    by_deliverable: dict[int, list[Benefit]] = {}
    by_component: dict[int, list[Benefit]] = {}
    for b in benefits:
        for d in nodes[b.pk].deliverables:
            by_deliverable.setdefault(d.pk, []).append(b)
        for c in nodes[b.pk].components:
            by_component.setdefault(c.pk, []).append(b)
    deliverables: dict[int, list[Deliverable]] = {}
    for d in Deliverable.objects.filter(program=program).order_by("code"):
        deliverables.setdefault(d.component_id, []).append(d)
    components = [
        ComponentNode(
            c,
            [DeliverableNode(d, by_deliverable.get(d.pk, [])) for d in deliverables.get(c.pk, [])],
            by_component.get(c.pk, []),
        )
        for c in program.components.order_by("code")
    ]
    return Traceability(goals, components)


# -- enablers and their dates ------------------------------------------------------------


@dataclass(frozen=True)
class Enabler:
    kind: str  # "deliverable" or "component"
    pk: int
    label: str
    component_id: int
    date: dt.date | None
    milestone_id: int | None = None
    done: bool = False  # delivered already: it holds nothing back any more


def _enablers(benefits: list[Benefit], program: Program) -> dict[int, list[Enabler]]:
    dates = deliverable_dates(program)
    by_component: dict[int, list[Deliverable]] = {}
    for d in Deliverable.objects.filter(program=program).order_by("code"):
        by_component.setdefault(d.component_id, []).append(d)

    def of_deliverable(d: Deliverable) -> Enabler:
        when = dates.get(d.pk)
        day = when.date() if when else None
        if day is None and d.delivered_at is not None:
            day = d.delivered_at.date()  # no milestone, but delivered: that is its date
        return Enabler(
            "deliverable", d.pk, str(d), d.component_id, day, d.milestone_id,
            d.status in _DONE,
        )  # fmt: skip

    out: dict[int, list[Enabler]] = {}
    for b in benefits:
        found: dict[tuple[str, int], Enabler] = {}
        for d in b.deliverables.all():
            found[("deliverable", d.pk)] = of_deliverable(d)
        for c in b.components.all():
            own = by_component.get(c.pk, [])
            for d in own:
                found[("deliverable", d.pk)] = of_deliverable(d)
            if not own:
                found[("component", c.pk)] = Enabler("component", c.pk, str(c), c.pk, c.end_date)
        out[b.pk] = sorted(found.values(), key=lambda e: (e.date or dt.date.max, e.label))
    return out


def benefit_enablers(program: Program) -> dict[int, list[Enabler]]:
    """Per benefit (pk) what enables it: its deliverables and those of its components
    (a component without deliverables counts with its end date), earliest first."""
    return _enablers(list(benefit_list(program)), program)


def _money(value: Decimal | None, share: float) -> Decimal | None:
    if value is None:
        return None
    return (value * Decimal(str(share))).quantize(CENT, rounding=ROUND_HALF_UP)


# -- descope impact -----------------------------------------------------------------------


@dataclass
class ImpactRow:
    benefit: Benefit
    share: float  # of the benefit's planned improvement, 0–1
    expected_value: Decimal | None
    value_at_risk: Decimal | None
    shift_days: int  # how far the benefit's realization moves (0 for a cut)
    horizon: dt.date | None  # the profile's last target date
    via: list[str]  # the enablers the cut or delay hits
    reason: str


@dataclass
class DescopeImpact:
    """What a cut or a delay of one component or deliverable puts at risk."""

    subject: str
    cut: bool
    delay_weeks: int
    rows: list[ImpactRow] = field(default_factory=list)

    @property
    def total_value(self) -> Decimal:
        return sum((r.value_at_risk or Decimal(0) for r in self.rows), Decimal(0))

    @property
    def benefits_without_value(self) -> int:
        return sum(1 for r in self.rows if r.expected_value is None)


def descope_impact(
    program: Program,
    *,
    component: Component | None = None,
    deliverable: Deliverable | None = None,
    cut: bool = False,
    delay_weeks: int = 0,
) -> DescopeImpact:
    """Which benefits, and how much of their expected value, a cut or a delay of
    ``component`` or ``deliverable`` puts at risk.

    The affected benefits are those that depend on it (see the module's *Enablers*).

    **Cut**: a benefit needs all its enablers, so all of it is at risk:
    share = 1, value at risk = the expected value.

    **Delay by N weeks**: the hit enablers' forecast dates
    (:func:`podium.delivery.selectors.deliverable_dates`; a component without
    deliverables: its end date) move N weeks later. A benefit cannot start realizing
    before its last enabler, so its realization profile moves by

        shift = max(0, max(hit dates) + N weeks − max(all its enabler dates))

    days — the full N weeks when a hit enabler has no date. The share at risk is the
    part of the planned improvement the shifted profile no longer reaches by the
    **horizon** H, the profile's last target date (when the business case promises the
    full benefit):

        share = (g(H) − g(H − shift)) / G

    with g(t) the planned improvement over the baseline at t (the profile interpolated
    linearly) and G the improvement at the last target
    (:func:`podium.benefits.rules.delay_share`); value at risk = expected value × share,
    rounded to cents. A benefit without an expected value shows its share only.
    """
    if (component is None) == (deliverable is None):
        raise ValidationFailed("Choose either a component or a deliverable.")
    if not cut and delay_weeks <= 0:
        raise ValidationFailed({"delay_weeks": ["Cut it, or delay it by one week or more."]})
    if not cut and delay_weeks > 520:
        raise ValidationFailed({"delay_weeks": ["At most 520 weeks."]})
    subject = str(deliverable if deliverable is not None else component)
    benefits = benefits_depending_on(program, deliverable=deliverable, component=component)
    enablers = _enablers(benefits, program)
    result = DescopeImpact(subject, cut, 0 if cut else delay_weeks)

    def hit(e: Enabler) -> bool:
        if deliverable is not None:
            return e.kind == "deliverable" and e.pk == deliverable.pk
        assert component is not None
        return e.component_id == component.pk

    for b in benefits:
        mine = enablers[b.pk]
        hits = [e for e in mine if hit(e)] or [
            Enabler("component", component.pk if component else 0, subject, 0, None)
        ]
        via = [e.label for e in hits]
        points = profile(b)
        horizon = points[-1][0] if len(points) > 1 else None
        if cut:
            result.rows.append(
                ImpactRow(
                    b, 1.0, b.expected_value, b.expected_value, 0, horizon, via, "needs what is cut"
                )
            )
            continue
        shift = delay_weeks * 7
        known = [e.date for e in mine if e.date is not None]
        if known and all(e.date is not None for e in hits):
            latest_hit = max(e.date for e in hits if e.date is not None)
            shift = max(0, (latest_hit + dt.timedelta(weeks=delay_weeks) - max(known)).days)
        share = 0.0
        if horizon is not None:
            share = rules.delay_share(points, shift, horizon, b.direction == Direction.HIGHER)
        if shift == 0:
            reason = "another enabler comes later anyway"
        elif horizon is None:
            reason = "no realization profile yet"
        else:
            reason = f"realization moves {shift} days; full target due {horizon:%Y-%m-%d}"
        value = _money(b.expected_value, share)
        result.rows.append(
            ImpactRow(b, round(share, 6), b.expected_value, value, shift, horizon, via, reason)
        )
    result.rows.sort(key=lambda r: (-r.share, r.benefit.code))
    return result


# -- realization forecast ----------------------------------------------------------------


@dataclass
class ForecastRow:
    benefit: Benefit
    enablers: list[Enabler]
    expected_date: dt.date | None  # the latest enabler's forecast date
    planned_start: dt.date | None  # when the profile starts planning an improvement
    late_days: int | None  # expected_date − planned_start when positive
    p50: dt.date | None
    p80: dt.date | None
    monte_carlo: str  # "" when P50/P80 are given, else why not


def _mc_date(value: Any) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(value).date() if value else None
    except ValueError:
        return None


def _improvement_starts(points: list[rules.Point]) -> dt.date | None:
    """The date of the last profile point still at the baseline value before the first
    one that differs (None without such a point)."""
    for (d0, _), (_, v1) in itertools.pairwise(points):
        if v1 != points[0][1]:
            return d0
    return None


def realization_forecast(program: Program) -> list[ForecastRow]:
    """Per benefit: the date its realization can start, i.e. the latest forecast date of
    its enablers (deliverables: their milestone's scheduled finish, or the date they
    were delivered; components without deliverables: their end date), against the date
    the profile starts planning an improvement (the last point still at the baseline
    value before the first target that differs from it). Unknown when an enabler has no
    date.

    With the program's latest ready Monte Carlo forecast, P50 and P80 are the
    percentiles of the benefit's own realization date, which the run computed iteration
    by iteration as the latest of its enablers' dates (``results["benefits"]``). Runs
    made before that was stored give the latest of the enabling milestones' P50 and P80
    instead — the percentiles of the latest milestone when one dominates, a lower bound
    otherwise. When the run did not follow all the enabling
    milestones of its open enablers (or one has no milestone), ``monte_carlo`` says
    there is no Monte Carlo data for it; enablers delivered already count with their
    date.
    """
    from podium.forecast.selectors import latest_ready

    benefits = list(benefit_list(program))
    enablers = _enablers(benefits, program)
    run = latest_ready(program)
    followed: dict[int, dict[str, Any]] = {}
    exact: dict[int, dict[str, Any]] = {}
    if run is not None:
        followed = {int(m["id"]): m for m in (run.results or {}).get("milestones") or []}
        exact = {int(b["id"]): b for b in (run.results or {}).get("benefits") or []}
    rows = []
    for b in benefits:
        mine = enablers[b.pk]
        dates = [e.date for e in mine]
        expected = max(d for d in dates if d is not None) if any(dates) else None
        if any(d is None for d in dates):
            expected = None  # an undated enabler: the date cannot be told
        start = _improvement_starts(profile(b))
        late = (expected - start).days if expected and start and expected > start else None
        p50 = p80 = None
        open_ = [e for e in mine if not e.done]
        if not mine:
            note = "no enabling deliverables"
        elif open_ and run is None:
            note = "no Monte Carlo data: no forecast run yet"
        elif any(e.milestone_id is None for e in open_):
            note = "no Monte Carlo data: an enabler has no milestone"
        elif any(e.milestone_id not in followed for e in open_):
            note = "no Monte Carlo data: the latest forecast did not follow these milestones"
        else:
            note = ""
            if b.pk in exact:
                p50 = _mc_date(exact[b.pk].get("p50"))
                p80 = _mc_date(exact[b.pk].get("p80"))
                rows.append(ForecastRow(b, mine, expected, start, late, p50, p80, note))
                continue
            done = [e.date for e in mine if e.done and e.date is not None]
            ms = [followed[e.milestone_id] for e in open_ if e.milestone_id is not None]
            p50 = max([*done, *(d for m in ms if (d := _mc_date(m.get("p50"))))], default=None)
            p80 = max([*done, *(d for m in ms if (d := _mc_date(m.get("p80"))))], default=None)
        rows.append(ForecastRow(b, mine, expected, start, late, p50, p80, note))
    return rows


# -- program dashboard data -------------------------------------------------------------


@dataclass
class StatusChange:
    benefit_id: int
    code: str
    name: str
    before: str
    after: str
    at: dt.datetime
    note: str


@dataclass
class BenefitSummary:
    counts: dict[str, int]  # every status, 0 included
    total: int
    changes: list[StatusChange]  # newest first
    since: dt.datetime


def program_benefit_summary(program: Program, *, days: int = RECENT_DAYS) -> BenefitSummary:
    """Benefits by status, and the status changes of the last ``days`` days (newest
    first, from the audit trail): what the program dashboard shows."""
    counts = {s.value: 0 for s in BenefitStatus}
    for status in Benefit.objects.filter(program=program).values_list("status", flat=True):
        counts[status] += 1
    since = timezone.now() - dt.timedelta(days=days)
    records = AuditRecord.objects.filter(
        program_id=program.pk, object_type="benefits.benefit", action="transition", at__gte=since
    ).order_by("-at", "-id")
    names = dict(Benefit.objects.filter(program=program).values_list("pk", "name"))
    codes = dict(Benefit.objects.filter(program=program).values_list("pk", "code"))
    changes = []
    for r in records[:50]:
        pk = int(r.object_id)
        if pk not in codes:
            continue  # deleted since
        changes.append(
            StatusChange(
                pk,
                codes[pk],
                names[pk],
                (r.before or {}).get("status", ""),
                (r.after or {}).get("status", ""),
                r.at,
                r.note,
            )
        )
    return BenefitSummary(counts, sum(counts.values()), changes, since)

"""The program's status at a glance: one RAG colour per dimension and what decided it.

:func:`program_status` is what the dashboard page, its API, the status report and the
exports read; :func:`milestone_trend` the milestone trend chart; :func:`roadmap` the
roadmap page. Callers pass a program ``user`` may see
(:func:`podium.programs.permissions.get_program`).

What each role sees
-------------------
- Cost figures only with :func:`~podium.programs.permissions.can_see_costs`; for others
  the cost dimension is grey, "Not visible with your role", with no figures.
- Feedback health, overdue feedback and feedback actions only for the team side
  (:func:`podium.feedback.monitoring.can_see_monitoring`); stakeholders get a grey tile.
- Gate conditions (and links to governance) only for those who see governance.

The colours follow :mod:`podium.dashboard.rules`.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone

from podium.dashboard import rules
from podium.programs.models import Component, ComponentStatus, Program, Stage
from podium.programs.permissions import can_see_costs
from podium.schedule.models import Activity, Baseline, ScheduleSettings
from podium.schedule.wall import to_wall

__all__ = [
    "ActionRow",
    "Dimension",
    "GateRow",
    "MilestoneRow",
    "ProgramStatus",
    "RiskRow",
    "Roadmap",
    "cached",
    "cached_milestone_trend",
    "cached_status",
    "last_change",
    "milestone_trend",
    "program_status",
    "roadmap",
    "status_key",
]

NOT_VISIBLE = "Not visible with your role"
HOURS_PER_DAY = 8.0
TREND_MILESTONES = 6
CACHE_SECONDS = 600  # a bound on staleness from writes that leave no audit record


@dataclass(frozen=True)
class Dimension:
    key: str  # schedule | cost | deliverables | benefits | feedback | risks
    label: str
    rag: str  # green | amber | red | grey (grey: no data)
    headline: str
    rule: str
    figures: dict[str, Any] = field(default_factory=dict)
    url: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "rag": self.rag,
            "headline": self.headline,
            "rule": self.rule,
            "figures": self.figures,
            "url": self.url,
        }


@dataclass(frozen=True)
class MilestoneRow:
    activity_id: int
    code: str
    name: str
    component: str | None
    baseline_finish: dt.date | None
    finish: dt.date | None
    slip_days: float | None  # current finish minus baseline finish (calendar days)
    done: bool
    critical: bool


@dataclass(frozen=True)
class RiskRow:
    code: str
    title: str
    kind: str
    score: int  # probability score x impact score
    probability_score: int
    impact_score: int
    owner: str
    has_response: bool
    escalated: bool
    high: bool


@dataclass(frozen=True)
class ActionRow:
    kind: str  # "feedback action" | "gate condition"
    title: str
    due_date: dt.date
    days_overdue: int
    owner: str
    url: str


@dataclass(frozen=True)
class GateRow:
    subject: str  # "Program ALPHA" or "Component C1 name"
    source: str  # stage / status label now
    target: str  # the label it moves to
    url: str


@dataclass
class ProgramStatus:
    program: Program
    today: dt.date
    dimensions: list[Dimension]
    milestones: list[MilestoneRow]
    top_risks: list[Any]
    overdue_feedback: int
    overdue_actions: list[Any]
    next_gates: list[Any]

    def dimension(self, key: str) -> Dimension:
        return next(d for d in self.dimensions if d.key == key)


# -- helpers -------------------------------------------------------------------------------


def _url(name: str, program: Program) -> str:
    return reverse(name, kwargs={"code": program.code})


def _day(value: dt.datetime | None) -> dt.date | None:
    wall = to_wall(value)
    return wall.date() if wall is not None else None


def _name(user: Any) -> str:
    if user is None:
        return ""
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return str(full or user)


def _sees_governance(user: Any, program: Program) -> bool:
    from podium.governance.access import can_see

    return bool(can_see(user, program))


def _sees_feedback(user: Any, program: Program) -> bool:
    from podium.feedback.monitoring import can_see_monitoring

    return bool(can_see_monitoring(user, program))


# -- milestones ----------------------------------------------------------------------------


def _milestone_activities(program: Program) -> list[Activity]:
    return list(
        Activity.objects.filter(program=program, kind=Activity.Kind.MILESTONE)
        .select_related("component")
        .order_by("finish", "component__code", "order", "pk")
    )


def _baseline_finishes(program: Program, milestones: list[Activity]) -> dict[int, dt.datetime]:
    """Activity pk → its finish in the newest program baseline holding it, else in the
    newest baseline of its component (the schedule page's variance)."""
    from podium.schedule.selectors import variance

    found: dict[int, dt.datetime] = {}
    program_baseline = Baseline.objects.filter(program=program, component=None).first()
    if program_baseline is not None:
        for v in variance(program_baseline, milestones):
            if v.baseline_finish is not None:
                found[v.activity.pk] = v.baseline_finish
    rest = [m for m in milestones if m.pk not in found]
    by_component: dict[int, list[Activity]] = {}
    for m in rest:
        by_component.setdefault(m.component_id, []).append(m)
    for component_id, acts in by_component.items():
        baseline = Baseline.objects.filter(program=program, component_id=component_id).first()
        if baseline is None:
            continue
        for v in variance(baseline, acts):
            if v.baseline_finish is not None:
                found[v.activity.pk] = v.baseline_finish
    return found


def _milestone_rows(program: Program) -> list[MilestoneRow]:
    milestones = _milestone_activities(program)
    base = _baseline_finishes(program, milestones)
    rows = []
    for m in milestones:
        b = base.get(m.pk)
        slip = None
        current, before = to_wall(m.finish), to_wall(b)
        if current is not None and before is not None:
            slip = round((current - before).total_seconds() / 86400, 1)
        rows.append(
            MilestoneRow(
                m.pk,
                m.code,
                m.name,
                m.component.code if m.component_id else None,
                _day(b),
                _day(m.finish),
                slip,
                m.actual_finish is not None,
                m.critical,
            )
        )
    return rows


# -- dimensions ----------------------------------------------------------------------------


def _evm(program: Program) -> Any:
    """The program's earned value (:func:`podium.finance.evm.program_evm`) or None when
    it cannot be measured."""
    from podium.finance.evm import program_evm

    try:
        return program_evm(program)
    except (ValueError, ZeroDivisionError):  # a program without a computable schedule
        return None


def _schedule(program: Program, milestones: list[MilestoneRow], evm: Any) -> Dimension:
    settings = ScheduleSettings.objects.filter(program=program).first()
    open_acts = Activity.objects.filter(
        program=program, actual_finish__isnull=True, total_float_minutes__isnull=False
    ).exclude(kind=Activity.Kind.SUMMARY)
    least: int | None = open_acts.aggregate(least=Min("total_float_minutes"))["least"]
    float_days = round(least / 60 / HOURS_PER_DAY, 1) if least is not None else None
    slips = [m.slip_days for m in milestones if not m.done and m.slip_days is not None]
    worst_slip = max(slips, default=None)
    # SPI(t) is an index without money: everyone sees it on the schedule tile.
    spi_t = evm.program.spi_t if evm is not None else None
    finish = _day(settings.finish) if settings is not None else None
    rating = rules.schedule_rating(
        spi_t, float_days, worst_slip, finish.isoformat() if finish else None
    )
    figures = {
        "spi_t": spi_t,
        "critical_float_days": float_days,
        "worst_milestone_slip_days": worst_slip,
        "finish": finish.isoformat() if finish else None,
    }
    return Dimension(
        "schedule",
        "Schedule",
        rating.rag,
        rating.headline,
        rating.rule,
        figures,
        _url("schedule:program", program),
    )


def _cost(program: Program, user: Any, evm: Any) -> Dimension:
    if not can_see_costs(user, program):
        return Dimension("cost", "Cost", "grey", NOT_VISIBLE, rules.COST_RULE, {}, "")
    if evm is None:
        return Dimension("cost", "Cost", "grey", "No earned value yet", rules.COST_RULE, {},
                         _url("finance:performance", program))  # fmt: skip
    row = evm
    p = row.program
    rating = rules.cost_rating(p.cpi, p.eac, p.bac, row.currency)
    figures = {"cpi": p.cpi, "eac": p.eac, "bac": p.bac, "currency": row.currency}
    return Dimension(
        "cost",
        "Cost",
        rating.rag,
        rating.headline,
        rating.rule,
        figures,
        _url("finance:performance", program),
    )


def _deliverables(program: Program, today: dt.date) -> Dimension:
    from podium.delivery.models import Deliverable, DeliverableStatus
    from podium.delivery.selectors import deliverable_dates

    dates = deliverable_dates(program)
    late: list[int] = []
    rejected = 0
    total = 0
    not_delivered = {DeliverableStatus.PLANNED, DeliverableStatus.IN_PRODUCTION}
    for pk, status, rejected_at in Deliverable.objects.filter(program=program).values_list(
        "pk", "status", "rejected_at"
    ):
        total += 1
        if status == DeliverableStatus.IN_PRODUCTION and rejected_at is not None:
            rejected += 1
        due = dates.get(pk)
        if status in not_delivered and due is not None and due.date() < today:
            late.append((today - due.date()).days)
    rating = rules.deliverables_rating(total, late, rejected)
    figures = {"total": total, "late": len(late), "rejected": rejected}
    return Dimension(
        "deliverables",
        "Deliverables",
        rating.rag,
        rating.headline,
        rating.rule,
        figures,
        _url("delivery:board", program),
    )


def _benefits(program: Program) -> Dimension:
    from podium.benefits.selectors import program_benefit_summary

    summary = program_benefit_summary(program)
    rating = rules.benefits_rating(summary.counts)
    return Dimension(
        "benefits",
        "Benefits",
        rating.rag,
        rating.headline,
        rating.rule,
        dict(summary.counts),
        _url("benefits:register", program),
    )


def _feedback(program: Program, user: Any, today: dt.date) -> tuple[Dimension, int]:
    from podium.feedback.monitoring import HEALTH_RULE, feedback_health

    if not _sees_feedback(user, program):
        return Dimension("feedback", "Feedback", "grey", NOT_VISIBLE, HEALTH_RULE, {}, ""), 0
    health = feedback_health(program, today)
    f = health.figures
    figures = {"open": f.open_items, "overdue": f.overdue, "received": f.received}
    rag = health.rag
    headline = health.reason
    if not f.received and not f.open_items:
        rag, headline = "grey", "No feedback in the last 90 days and none open"
    dim = Dimension(
        "feedback",
        "Feedback",
        rag,
        headline,
        health.rule,
        figures,
        _url("feedback:monitoring", program),
    )
    return dim, f.overdue


def _risks(program: Program) -> tuple[Dimension, list[RiskRow]]:
    from podium.risks.models import Risk, RiskKind, RiskStatus

    total = 0
    rows: list[RiskRow] = []
    for r in Risk.objects.filter(program=program).select_related("owner").order_by("code"):
        total += 1
        if r.status != RiskStatus.OPEN:
            continue
        score = r.probability_score * r.impact_score
        rows.append(
            RiskRow(
                r.code,
                r.title,
                r.kind,
                score,
                r.probability_score,
                r.impact_score,
                _name(r.owner),
                bool(r.response.strip()) and r.owner_id is not None,
                r.escalated,
                r.kind == RiskKind.THREAT and score > rules.HIGH_RISK_SCORE,
            )
        )
    high = [r for r in rows if r.high]
    bare = [r for r in high if not r.has_response]
    escalated = [r for r in rows if r.escalated]
    rating = rules.risks_rating(total, len(rows), len(high), len(bare), len(escalated))
    figures = {
        "total": total,
        "open": len(rows),
        "high": len(high),
        "high_without_response": len(bare),
        "escalated": len(escalated),
    }
    top = sorted(rows, key=lambda r: (-r.score, r.code))[:5]
    dim = Dimension(
        "risks",
        "Risks",
        rating.rag,
        rating.headline,
        rating.rule,
        figures,
        _url("risks:register", program),
    )
    return dim, top


# -- actions and gates ---------------------------------------------------------------------


def _overdue_actions(program: Program, user: Any, today: dt.date) -> list[ActionRow]:
    out: list[ActionRow] = []
    if _sees_feedback(user, program):
        from podium.feedback.models import ActionStatus, FeedbackAction

        actions = FeedbackAction.objects.filter(
            program=program,
            status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS],
            due_date__lt=today,
        ).select_related("owner")
        for a in actions:
            assert a.due_date is not None
            out.append(
                ActionRow(
                    "feedback action",
                    a.title,
                    a.due_date,
                    (today - a.due_date).days,
                    _name(a.owner),
                    reverse("feedback:action-edit", kwargs={"code": program.code, "pk": a.pk}),
                )
            )
    if _sees_governance(user, program):
        from podium.governance.models import ConditionStatus, GateCondition

        conditions = GateCondition.objects.filter(
            program=program, status=ConditionStatus.OPEN, due_date__lt=today
        ).select_related("owner")
        for c in conditions:
            assert c.due_date is not None
            out.append(
                ActionRow(
                    "gate condition",
                    c.title,
                    c.due_date,
                    (today - c.due_date).days,
                    _name(c.owner),
                    _url("governance:gates", program),
                )
            )
    return sorted(out, key=lambda a: (a.due_date, a.title))


def _next_gates(program: Program, user: Any) -> list[GateRow]:
    from podium.governance.services import next_gate

    url = _url("governance:gates", program) if _sees_governance(user, program) else ""
    out: list[GateRow] = []
    gate = next_gate(program)
    if gate is not None:
        out.append(
            GateRow(f"Program {program.code}", Stage(gate[0]).label, Stage(gate[1]).label, url)
        )
    done = {ComponentStatus.CLOSED, ComponentStatus.CANCELLED}
    for c in program.components.exclude(status__in=done).order_by("code"):
        gate = next_gate(c)
        if gate is not None:
            out.append(
                GateRow(
                    f"Component {c.code} {c.name}",
                    ComponentStatus(gate[0]).label,
                    ComponentStatus(gate[1]).label,
                    url,
                )
            )
    return out


# -- the cache -----------------------------------------------------------------------------
#
# On a large program the dashboard is expensive (earned value over 20,000 activities
# takes seconds), so the page and the API read it through a cache keyed by the program's
# last change: every service writes an audit record, in the same transaction as the
# change, so the id of the program's newest audit record changes as soon as a change is
# committed, and the next request computes afresh. Schedule, budget and resource changes
# alone invalidate earned value and the milestones (the slow parts); a risk or feedback
# edit recomputes only the rest. The key is read before the data, so an entry never holds
# data older than its key. Users' names and roles live outside the program: the newest
# instance-wide audit record (program_id null) is part of every key, and what the user may
# see (costs, feedback, governance) is part of the status key.

T = TypeVar("T")

# apps whose records feed earned value, the milestones and the milestone trend
_SCHEDULE_APPS = ("schedule.", "finance.", "resources.", "programs.")
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def last_change(program: Program, schedule_only: bool = False) -> str:
    """The newest audit record of ``program`` (of its schedule, budget, resources and
    structure only, with ``schedule_only``) and the newest instance-wide one, as
    "id@time" text (the time too: ids can come back after a rollback)."""
    from podium.core.models import AuditRecord

    # Read on every dashboard request, so one plain statement of four index lookups
    # (the ORM takes longer to write it than the database to answer it).
    table = connection.ops.quote_name(AuditRecord._meta.db_table)
    mine = "program_id = %s"
    params: list[Any] = [program.pk]
    if schedule_only:
        mine += " AND (" + " OR ".join(["object_type LIKE %s"] * len(_SCHEDULE_APPS)) + ")"
        params += [prefix + "%" for prefix in _SCHEDULE_APPS]
    newest = [
        f"(SELECT {column} FROM {table} WHERE {where} ORDER BY id DESC LIMIT 1)"  # noqa: S608
        for where in (mine, "program_id IS NULL")
        for column in ("id", "at")
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(newest), params * 2)  # "mine" twice
        row = cursor.fetchone()
    # the time as the driver gives it (a datetime, or SQLite's text), without spaces
    return ":".join(
        f"{pk}@{at}".replace(" ", "T") if pk else "0" for pk, at in (row[0:2], row[2:4])
    )


def cached(key: str, compute: Callable[[], T]) -> T:
    """``compute()`` through the cache; concurrent requests of one process for the same
    missing key wait for the first one instead of all computing it."""
    found = cache.get(key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    with _locks_guard:
        lock = _locks.setdefault(key, threading.Lock())
    with lock:
        found = cache.get(key)
        if found is None:
            found = compute()
            cache.set(key, found, CACHE_SECONDS)
    with _locks_guard:
        _locks.pop(key, None)
    return found  # type: ignore[no-any-return]


def _schedule_key(program: Program, today: dt.date) -> str:
    changed = last_change(program, schedule_only=True)
    return f"podium:dashboard:{program.pk}:{changed}:{today.isoformat()}"


def cached_status(
    program: Program, user: Any, today: dt.date | None = None, *, key: str = ""
) -> ProgramStatus:
    """:func:`program_status` through the cache (see above): the same answer, computed
    once per change of the program and per day for each kind of viewer. ``key``: the
    :func:`status_key` when the caller has just read it."""
    today = today or timezone.localdate()
    key = key or status_key(program, user, today)
    return cached(key, lambda: program_status(program, user, today, use_cache=True))


def status_key(program: Program, user: Any, today: dt.date | None = None) -> str:
    """The cache key of what ``user`` sees of ``program``'s status on ``today``: the
    program's last change, the instance's last change, the day and what the user may see."""
    today = today or timezone.localdate()
    changed = last_change(program)
    sees = (can_see_costs(user, program), _sees_feedback(user, program),
            _sees_governance(user, program))  # fmt: skip
    flags = "".join("1" if s else "0" for s in sees)
    return f"podium:status:{program.pk}:{changed}:{today.isoformat()}:{flags}"


def cached_milestone_trend(program: Program) -> dict[str, Any]:
    """:func:`milestone_trend` through the cache."""
    key = _schedule_key(program, timezone.localdate()) + ":trend"
    return cached(key, lambda: milestone_trend(program))


# -- the status ----------------------------------------------------------------------------

_NO_EVM = "no earned value"  # cached in place of None (the cache's "missing")


@dataclass(frozen=True)
class _EvmFigures:
    """What the dashboard reads of :func:`podium.finance.evm.program_evm` (the program
    row and the currency), cached instead of the whole result (a row per activity)."""

    program: Any
    currency: str


def _evm_figures(program: Program) -> Any:
    evm = _evm(program)
    return _NO_EVM if evm is None else _EvmFigures(evm.program, evm.currency)


def program_status(
    program: Program, user: Any, today: dt.date | None = None, *, use_cache: bool = False
) -> ProgramStatus:
    """Every dimension's colour with its rule, the key milestones, the top five open
    risks by score, overdue feedback and actions, and the next gates, as ``user`` may
    see them on ``today`` (default: the local date). ``use_cache``: read earned value and
    the milestones through the cache (see :func:`cached_status`)."""
    today = today or timezone.localdate()
    if use_cache:
        key = _schedule_key(program, today)
        milestones = cached(key + ":milestones", lambda: _milestone_rows(program))
        found = cached(key + ":evm", lambda: _evm_figures(program))
        evm = None if isinstance(found, str) else found
    else:
        milestones = _milestone_rows(program)
        evm = _evm(program)
    feedback, overdue_feedback = _feedback(program, user, today)
    risks, top = _risks(program)
    dimensions = [
        _schedule(program, milestones, evm),
        _cost(program, user, evm),
        _deliverables(program, today),
        _benefits(program),
        feedback,
        risks,
    ]
    return ProgramStatus(
        program,
        today,
        dimensions,
        milestones,
        top,
        overdue_feedback,
        _overdue_actions(program, user, today),
        _next_gates(program, user),
    )


# -- the milestone trend -------------------------------------------------------------------


def _key_milestones(program: Program) -> list[Activity]:
    """Up to six milestones: open critical ones first, then the next open ones by date,
    then the finished ones."""
    ms = _milestone_activities(program)
    ms.sort(key=lambda m: (m.actual_finish is not None, not m.critical, m.finish or m.pk))
    chosen = ms[:TREND_MILESTONES]
    return sorted(chosen, key=lambda m: (m.finish is None, m.finish, m.pk))


def milestone_trend(program: Program) -> dict[str, Any]:
    """The charts.js ``trend`` data of the key milestones: for each saved schedule
    baseline (oldest first) and for the current schedule, the milestone's finish
    minus its finish in the first baseline holding it, in calendar days (0 = as first
    planned, positive = later). ``series`` is empty before a baseline holds a milestone.
    """
    from podium.schedule.models import BaselineActivity

    milestones = _key_milestones(program)
    entries = (
        BaselineActivity.objects.filter(activity__in=milestones, finish__isnull=False)
        .select_related("baseline")
        .order_by("baseline__created_at", "baseline_id")
    )
    by_activity: dict[int, list[tuple[dt.date, dt.datetime]]] = {}
    for e in entries:
        assert e.finish is not None
        created = timezone.localtime(e.baseline.created_at).date()
        by_activity.setdefault(e.activity_id, []).append((created, e.finish))
    settings = ScheduleSettings.objects.filter(program=program).first()
    computed = settings.computed_at if settings is not None else None
    now = timezone.localtime(computed).date() if computed else timezone.localdate()
    series: list[dict[str, Any]] = []
    for m in milestones:
        points = by_activity.get(m.pk)
        if not points:
            continue
        first = to_wall(points[0][1])
        assert first is not None

        def slip(finish: dt.datetime | None, first: dt.datetime = first) -> float | None:
            wall = to_wall(finish)
            return round((wall - first).total_seconds() / 86400, 1) if wall else None

        data: list[list[Any]] = [[day.isoformat(), slip(finish)] for day, finish in points]
        data.append([max(now, points[-1][0]).isoformat(), slip(m.finish)])
        name = f"{m.component.code} {m.code} {m.name}"
        series.append({"key": f"m{len(series) + 1}", "name": name, "points": data})
    return {"series": series, "reference": 0, "unit": "days"}


# -- the roadmap ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LaneMilestone:
    activity_id: int
    code: str
    name: str
    finish: dt.date
    baseline_finish: dt.date | None
    slip_days: float | None
    done: bool
    critical: bool


@dataclass(frozen=True)
class Lane:
    component_id: int
    code: str
    name: str
    status: str
    start: dt.date | None
    finish: dt.date | None
    milestones: list[LaneMilestone]


@dataclass(frozen=True)
class Dependency:
    pred_code: str
    pred_name: str
    pred_component: str
    succ_code: str
    succ_name: str
    succ_component: str
    type: str
    pred_date: dt.date | None  # where the arrow leaves (pred finish or start by type)
    succ_date: dt.date | None


@dataclass
class Roadmap:
    program: Program
    today: dt.date
    lanes: list[Lane]
    dependencies: list[Dependency]
    first: dt.date | None
    last: dt.date | None


def roadmap(program: Program, today: dt.date | None = None) -> Roadmap:
    """Components as lanes (their scheduled span and milestones) and the links between
    activities of different components."""
    from podium.schedule.selectors import cross_component_links

    today = today or timezone.localdate()
    rows = {r.activity_id: r for r in _milestone_rows(program)}
    spans = {
        r["component"]: (r["s"], r["f"])
        for r in Activity.objects.filter(program=program)
        .values("component")
        .annotate(s=Min("start"), f=Max("finish"))
    }
    by_component: dict[int, list[LaneMilestone]] = {}
    for m in _milestone_activities(program):
        r = rows[m.pk]
        if r.finish is None:
            continue
        by_component.setdefault(m.component_id, []).append(
            LaneMilestone(
                m.pk, m.code, m.name, r.finish, r.baseline_finish, r.slip_days, r.done, r.critical
            )
        )
    lanes = []
    components: list[Component] = list(program.components.order_by("code"))
    for c in components:
        s, f = spans.get(c.pk, (None, None))
        lanes.append(
            Lane(
                c.pk,
                c.code,
                c.name,
                c.get_status_display(),
                _day(s),
                _day(f),
                by_component.get(c.pk, []),
            )
        )
    deps = []
    for link in cross_component_links(program):
        p, s = link.pred, link.succ
        pred_at = p.start if link.type in ("SS", "SF") else p.finish
        succ_at = s.finish if link.type in ("FF", "SF") else s.start
        deps.append(
            Dependency(
                p.code,
                p.name,
                p.component.code,
                s.code,
                s.name,
                s.component.code,
                link.type,
                _day(pred_at),
                _day(succ_at),
            )
        )
    dates = [d for lane in lanes for d in (lane.start, lane.finish) if d is not None]
    dates += [m.finish for lane in lanes for m in lane.milestones]
    dates += [m.baseline_finish for lane in lanes for m in lane.milestones if m.baseline_finish]
    return Roadmap(program, today, lanes, deps, min(dates, default=None), max(dates, default=None))

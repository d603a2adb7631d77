"""The weekly program status report, built for one reader from the program's data.

:func:`build_status_report` gathers what a sponsor reads on a Monday: the dashboard's
dimensions with their colour and the rule that decided it
(:func:`podium.dashboard.selectors.program_status`), key figures, milestones, top risks,
deliverables due and late, benefits, feedback health, each component's status update of
the week (:func:`podium.updates.selectors.report_lines`), the week's decisions, open
change requests and the gates ahead. It is built **per reader**: cost figures (and the
cost rating of the component updates) only for those who may see costs, decisions,
gates and change requests only for those who may read the governance and change
registers, and nobody else's feedback items for a stakeholder. The HTML page, the PDF
(:mod:`podium.reports.pdf`), the API and the weekly e-mail all render the same
:class:`StatusReport`.

Subscriptions (:func:`subscribe`, :func:`unsubscribe`) and calendar feed tokens
(:func:`calendar_feed`, :func:`regenerate_feed`) are changed here too.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from podium.core import audit
from podium.core.errors import NotFound, ValidationFailed
from podium.dashboard.selectors import Dimension, MilestoneRow, program_status
from podium.programs.models import Program, Role
from podium.programs.permissions import can_see_costs, roles_in, visible_programs
from podium.reports.models import CalendarFeed, ReportSubscription

__all__ = [
    "RAG_LABELS",
    "DecisionLine",
    "DeliverableLine",
    "Figure",
    "GateLine",
    "RiskLine",
    "StatusReport",
    "build_status_report",
    "calendar_feed",
    "is_subscribed",
    "iso_week",
    "recent_weeks",
    "regenerate_feed",
    "subscribe",
    "unsubscribe",
    "week_bounds",
]

RAG_LABELS = {"green": "Green", "amber": "Amber", "red": "Red", "grey": "No data"}
UPCOMING_MILESTONES = 5
TOP_RISKS = 5
DUE_HORIZON_DAYS = 14


@dataclass(frozen=True)
class Figure:
    label: str
    value: str


@dataclass(frozen=True)
class RiskLine:
    code: str
    title: str
    component: str
    probability: str  # "40 %"
    score: int  # probability score × impact score (1-25)
    owner: str


@dataclass(frozen=True)
class DeliverableLine:
    code: str
    name: str
    component: str
    status: str
    due: dt.date | None
    late: bool


@dataclass(frozen=True)
class DecisionLine:
    number: int
    day: dt.date
    kind: str
    outcome: str
    subject: str
    rationale: str


@dataclass(frozen=True)
class GateLine:
    subject: str
    gate: str  # "in_delivery → transitioning"
    review: str  # "Review open since 2026-11-20" | "No review opened yet"
    planned: dt.date | None


@dataclass(frozen=True)
class ChangeLine:
    code: str
    title: str
    state: str
    since: dt.date | None


@dataclass
class StatusReport:
    """Everything one reader's weekly report shows (see the module)."""

    program: Program
    user: Any
    today: dt.date
    week_start: dt.date  # Monday
    week_end: dt.date  # Sunday
    week_label: str  # "2026-W48"
    can_see_costs: bool
    sees_governance: bool
    sees_changes: bool
    team_side: bool
    dimensions: list[Dimension] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    status_date: dt.date | None = None
    upcoming_milestones: list[MilestoneRow] = field(default_factory=list)
    slipped_milestones: list[MilestoneRow] = field(default_factory=list)
    top_risks: list[RiskLine] = field(default_factory=list)
    deliverables_due: list[DeliverableLine] = field(default_factory=list)
    deliverables_late: list[DeliverableLine] = field(default_factory=list)
    benefit_counts: list[tuple[str, int]] = field(default_factory=list)
    feedback: Figure | None = None  # rag as label, the reason as value
    decisions: list[DecisionLine] = field(default_factory=list)
    change_requests: list[ChangeLine] = field(default_factory=list)
    gates: list[GateLine] = field(default_factory=list)
    # each active component's submitted status update of the week (podium.updates)
    component_updates: list[Any] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # what this reader's role leaves out

    @property
    def rag_rows(self) -> list[tuple[str, str, str, str, str]]:
        """(dimension, rag, RAG label, headline, rule) per dimension, as the page and the
        PDF show them."""
        hidden = {"cost"} if not self.can_see_costs else set()
        return [
            (d.label, d.rag, RAG_LABELS.get(d.rag, d.rag.title()), d.headline,
             "" if d.key in hidden else d.rule)
            for d in self.dimensions
        ]  # fmt: skip

    @property
    def title(self) -> str:
        return f"Status report {self.program.code} — week {self.week_label}"

    def as_dict(self) -> dict[str, Any]:
        """JSON-able (for the API)."""

        def day(value: dt.date | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "program": self.program.code,
            "week": self.week_label,
            "week_start": day(self.week_start),
            "week_end": day(self.week_end),
            "status_date": day(self.status_date),
            "can_see_costs": self.can_see_costs,
            "dimensions": [
                {"key": d.key, "label": label, "rag": rag, "headline": headline, "rule": rule}
                for d, (label, rag, _, headline, rule) in zip(
                    self.dimensions, self.rag_rows, strict=True
                )
            ],
            "figures": [{"label": f.label, "value": f.value} for f in self.figures],
            "milestones": {
                "upcoming": [_milestone_dict(m) for m in self.upcoming_milestones],
                "slipped": [_milestone_dict(m) for m in self.slipped_milestones],
            },
            "top_risks": [r.__dict__ for r in self.top_risks],
            "deliverables": {
                "due": [_deliverable_dict(d) for d in self.deliverables_due],
                "late": [_deliverable_dict(d) for d in self.deliverables_late],
            },
            "benefits": dict(self.benefit_counts),
            "feedback": (
                {"rag": self.feedback.label, "reason": self.feedback.value}
                if self.feedback
                else None
            ),
            "decisions": [{**d.__dict__, "day": day(d.day)} for d in self.decisions],
            "change_requests": [
                {**c.__dict__, "since": day(c.since)} for c in self.change_requests
            ],
            "gates": [{**g.__dict__, "planned": day(g.planned)} for g in self.gates],
            "component_updates": [line.as_dict() for line in self.component_updates],
            "left_out": self.left_out,
        }


def _milestone_dict(m: MilestoneRow) -> dict[str, Any]:
    return {
        "name": m.name,
        "component": m.component,
        "baseline_finish": m.baseline_finish.isoformat() if m.baseline_finish else None,
        "finish": m.finish.isoformat() if m.finish else None,
        "slip_days": m.slip_days,
        "done": m.done,
    }


def _deliverable_dict(d: DeliverableLine) -> dict[str, Any]:
    return {**d.__dict__, "due": d.due.isoformat() if d.due else None}


# -- weeks -------------------------------------------------------------------------------


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of ``day``'s ISO week."""
    start = day - dt.timedelta(days=day.weekday())
    return start, start + dt.timedelta(days=6)


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(raw: str) -> dt.date | None:
    """The Sunday of ISO week ``raw`` ("2026-W48"); None when it is not one."""
    try:
        year, week = raw.strip().upper().split("-W")
        return dt.date.fromisocalendar(int(year), int(week), 7)
    except ValueError:
        return None


def recent_weeks(today: dt.date, count: int = 12) -> list[tuple[str, dt.date]]:
    """(label, Sunday) of the current ISO week and the ``count - 1`` before it."""
    _, sunday = week_bounds(today)
    days = [sunday - dt.timedelta(weeks=i) for i in range(count)]
    return [(iso_week(d), d) for d in days]


# -- the report --------------------------------------------------------------------------


def _num(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _money(value: float | None, currency: str) -> str:
    return "—" if value is None else f"{value:,.0f} {currency}"


def _key_figures(report: StatusReport) -> None:
    """SPI(t), the planned and forecast finish for everyone; CPI, BAC and EAC (= AC +
    BAC − EV, as on the dashboard's cost tile) for readers who may see costs. Measured
    at the data date's status date, or at the end of the chosen week when that is earlier
    (a past week's report shows that week's earned value)."""
    from podium.finance.evm import default_status_date, program_evm

    program = report.program
    try:
        status_date = min(default_status_date(program), report.week_end)
        evm = program_evm(program, status_date)
    except (ValueError, ZeroDivisionError):  # no computable schedule
        return
    row = evm.program
    report.status_date = evm.status_date
    if row.bac <= 0 and row.ac <= 0:
        return  # no budget and no cost: nothing to measure
    figures = [Figure("SPI(t)", _num(row.spi_t))]
    if row.planned_finish is not None:
        figures.append(Figure("Planned finish (baseline)", row.planned_finish.isoformat()))
    forecast = row.eac_t_spi_t or row.eac_t_pf1
    if forecast is not None:
        figures.append(Figure("Forecast finish (earned schedule)", forecast.isoformat()))
    if report.can_see_costs:
        figures += [
            Figure("CPI", _num(row.cpi)),
            Figure("BAC", _money(row.bac, program.currency)),
            Figure("EAC", _money(row.eac, program.currency)),
        ]
    report.figures = figures


def _milestones(report: StatusReport, rows: list[MilestoneRow]) -> None:
    ahead = [m for m in rows if not m.done and m.finish is not None and m.finish >= report.today]
    ahead.sort(key=lambda m: (m.finish or report.today, m.name))
    report.upcoming_milestones = ahead[:UPCOMING_MILESTONES]
    slipped = [m for m in rows if not m.done and (m.slip_days or 0) > 0]
    slipped.sort(key=lambda m: (-(m.slip_days or 0), m.name))
    report.slipped_milestones = slipped[:10]


def _risks(report: StatusReport) -> None:
    from podium.risks.models import Risk, RiskStatus

    risks = Risk.objects.filter(program=report.program, status=RiskStatus.OPEN).select_related(
        "component", "owner"
    )
    lines = [
        RiskLine(
            r.code,
            r.title,
            r.component.code if r.component else report.program.code,
            f"{r.probability:.0%}",
            r.probability_score * r.impact_score,
            str(r.owner) if r.owner else "",
        )
        for r in risks
    ]
    lines.sort(key=lambda r: (-r.score, r.code))
    report.top_risks = lines[:TOP_RISKS]


def _deliverables(report: StatusReport) -> None:
    from podium.delivery.models import Deliverable, DeliverableStatus
    from podium.delivery.selectors import deliverable_dates

    done = {DeliverableStatus.ACCEPTED, DeliverableStatus.TRANSITIONED}
    delivered = done | {DeliverableStatus.DELIVERED}
    dates = deliverable_dates(report.program)
    horizon = report.week_end + dt.timedelta(days=DUE_HORIZON_DAYS)
    due, late = [], []
    for d in Deliverable.objects.filter(program=report.program).select_related("component"):
        when = dates.get(d.pk)
        day = when.date() if when else None
        if day is None or d.status in done:
            continue
        line = DeliverableLine(
            d.code,
            d.name,
            d.component.code,
            d.get_status_display(),
            day,
            day < report.today and d.status not in delivered,
        )
        if line.late:
            late.append(line)
        elif report.week_start <= day <= horizon and d.status not in delivered:
            due.append(line)
    report.deliverables_due = sorted(due, key=lambda x: (x.due or report.today, x.code))
    report.deliverables_late = sorted(late, key=lambda x: (x.due or report.today, x.code))


def _benefits(report: StatusReport) -> None:
    from podium.benefits.models import BenefitStatus
    from podium.benefits.selectors import program_benefit_summary

    summary = program_benefit_summary(report.program)
    if summary.total:
        report.benefit_counts = [(s.label, summary.counts[s.value]) for s in BenefitStatus]


def _feedback(report: StatusReport) -> None:
    from podium.feedback.models import FeedbackItem
    from podium.feedback.monitoring import feedback_health

    if report.team_side:
        health = feedback_health(report.program, report.today)
        report.feedback = Figure(health.rag, health.reason)
    else:  # a stakeholder: their own items only
        own = FeedbackItem.objects.filter(program=report.program, submitted_by=report.user)
        report.feedback = Figure("", f"You have given {own.count()} feedback item(s).")


def _governance(report: StatusReport) -> None:
    from podium.governance.models import Decision, ReviewStatus
    from podium.governance.selectors import authorization_of, gates_overview

    start = timezone.make_aware(dt.datetime.combine(report.week_start, dt.time.min))
    end = start + dt.timedelta(days=7)
    decisions = Decision.objects.filter(
        program=report.program, decided_at__gte=start, decided_at__lt=end
    ).order_by("decided_at", "number")
    report.decisions = [
        DecisionLine(
            d.number,
            timezone.localtime(d.decided_at).date(),
            d.get_kind_display(),
            d.get_outcome_display(),
            d.subject_label,
            d.rationale,
        )
        for d in decisions
    ]
    gates = []
    for row in gates_overview(report.program):
        if row.gate is None:
            continue
        planned = None
        if row.component is not None:
            auth = authorization_of(row.component)
            planned = auth.planned_finish if auth else None
        if row.review is not None and row.review.status == ReviewStatus.OPEN:
            review = f"Review open since {timezone.localtime(row.review.created_at):%Y-%m-%d}"
        else:
            review = "No review opened yet"
        gates.append(GateLine(row.label, f"{row.gate[0]} → {row.gate[1]}", review, planned))
    report.gates = gates


def _changes(report: StatusReport) -> None:
    from podium.changes.models import ChangeRequest, State

    crs = ChangeRequest.objects.filter(
        program=report.program, state__in=[State.DRAFT, State.SUBMITTED]
    ).order_by("number")
    report.change_requests = [
        ChangeLine(
            c.code,
            c.title,
            c.get_state_display(),
            timezone.localtime(c.submitted_at).date() if c.submitted_at else None,
        )
        for c in crs
    ]


def _component_updates(report: StatusReport) -> None:
    from podium.updates.selectors import report_lines

    report.component_updates = report_lines(report.program, report.user, report.week_start)


def build_status_report(program: Program, user: Any, today: dt.date | None = None) -> StatusReport:
    """The weekly status report of ``program`` for ``user``, for the ISO week of ``today``.

    Raises NotFound when ``user`` may not see the program.
    """
    from podium.changes.access import can_read as can_read_changes
    from podium.feedback.access import is_team_side
    from podium.governance.access import can_see as can_see_governance

    if not visible_programs(user).filter(pk=program.pk).exists():
        raise NotFound(f"No program {program.code!r}.")
    today = today or timezone.localdate()
    start, end = week_bounds(today)
    report = StatusReport(
        program=program,
        user=user,
        today=today,
        week_start=start,
        week_end=end,
        week_label=iso_week(today),
        can_see_costs=can_see_costs(user, program),
        sees_governance=can_see_governance(user, program),
        sees_changes=can_read_changes(user, program),
        team_side=is_team_side(user, program),
    )
    status = program_status(program, user, today)
    report.dimensions = list(status.dimensions)
    _key_figures(report)
    _milestones(report, list(status.milestones))
    _risks(report)
    _deliverables(report)
    _benefits(report)
    _feedback(report)
    _component_updates(report)
    if report.sees_governance:
        _governance(report)
    else:
        report.left_out.append("decisions and gates")
    if report.sees_changes:
        _changes(report)
    else:
        report.left_out.append("change requests")
    if not report.can_see_costs:
        report.left_out.insert(0, "cost figures")
    if not report.team_side:
        report.left_out.append("other people's feedback")
    return report


# -- subscriptions -----------------------------------------------------------------------


def _member(user: Any, program: Program) -> None:
    if not visible_programs(user).filter(pk=program.pk).exists():
        raise NotFound(f"No program {program.code!r}.")


def is_subscribed(user: Any, program: Program) -> bool:
    return ReportSubscription.objects.filter(program=program, user=user, active=True).exists()


@transaction.atomic
def subscribe(*, actor: Any, program: Program) -> ReportSubscription:
    """``actor`` receives the weekly report of ``program`` by e-mail from now on."""
    _member(actor, program)
    if not actor.email:
        raise ValidationFailed(
            {"email": ["Add an e-mail address to your account to receive the report."]}
        )
    sub = ReportSubscription.objects.filter(program=program, user=actor).first()
    if sub is None:
        sub = ReportSubscription.objects.create(
            program=program, user=actor, created_by=actor, updated_by=actor
        )
        audit.record(user=actor, action="create", obj=sub, before=None,
                     after=audit.snapshot(sub), program_id=program.pk)  # fmt: skip
    elif not sub.active:
        before = audit.snapshot(sub)
        sub.active = True
        sub.version += 1
        sub.updated_by = actor
        sub.save(update_fields=["active", "version", "updated_by", "updated_at"])
        audit.record(user=actor, action="update", obj=sub, before=before,
                     after=audit.snapshot(sub), program_id=program.pk)  # fmt: skip
    return sub


@transaction.atomic
def unsubscribe(*, actor: Any, program: Program) -> None:
    """``actor`` no longer receives the weekly report of ``program``."""
    _member(actor, program)
    sub = ReportSubscription.objects.filter(program=program, user=actor, active=True).first()
    if sub is None:
        return
    before = audit.snapshot(sub)
    sub.active = False
    sub.version += 1
    sub.updated_by = actor
    sub.save(update_fields=["active", "version", "updated_by", "updated_at"])
    audit.record(user=actor, action="update", obj=sub, before=before,
                 after=audit.snapshot(sub), program_id=program.pk)  # fmt: skip


# -- calendar feeds ----------------------------------------------------------------------


def calendar_feed(user: Any, program: Program) -> CalendarFeed | None:
    """The user's feed of ``program`` (None before they first create one)."""
    _member(user, program)
    return CalendarFeed.objects.filter(program=program, user=user).first()


@transaction.atomic
def regenerate_feed(*, actor: Any, program: Program) -> CalendarFeed:
    """Create ``actor``'s secret calendar URL of ``program``, or replace its token (the
    old URL stops working)."""
    _member(actor, program)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.filter(program=program, user=actor).first()
    if feed is None:
        feed = CalendarFeed.objects.create(program=program, user=actor, token=token)
        action = "create"
    else:
        CalendarFeed.objects.filter(pk=feed.pk).update(token=token, created_at=timezone.now())
        feed.refresh_from_db()
        action = "update"
    # the token itself is a secret: the audit trail says that it changed, not what it is
    audit.record(user=actor, action=action, obj=feed, before=None,
                 after={"program": program.code, "user": str(actor), "token": "(new)"},
                 program_id=program.pk)  # fmt: skip
    return feed


def is_stakeholder_only(user: Any, program: Program) -> bool:
    return roles_in(user, program) == {Role.STAKEHOLDER}

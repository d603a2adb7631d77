"""The registers Podium exports, one row function each (registered in ``apps.py``).

Every function takes ``(user, program)`` and returns ``(header, rows)`` already narrowed
to what ``user`` may see in ``program``:

- money (resource rates, risks' cost impact, benefits' expected value, change requests'
  cost lines) only with :func:`~podium.programs.permissions.can_see_costs`;
- feedback: every item for the team side, a stakeholder's own items otherwise, the
  submitter's name hidden on anonymous items (the feedback app's own rules);
- the stakeholder register, change requests and governance decisions only for those who
  may read them in their apps (:func:`visible` functions below).

Values are plain Python: ``date`` stays a date (a date cell), a ``datetime`` becomes ISO
text (schedule times are the calendars' wall-clock times, shown without a zone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from podium.programs.models import Program
from podium.programs.permissions import can_see_costs, roles_in

__all__ = [
    "activity_rows",
    "assignment_rows",
    "benefit_rows",
    "change_request_rows",
    "decision_rows",
    "deliverable_rows",
    "every_member",
    "feedback_rows",
    "issue_rows",
    "lesson_rows",
    "reads_changes",
    "reads_governance",
    "reads_stakeholders",
    "resource_rows",
    "risk_rows",
    "stakeholder_rows",
]

Table = tuple[list[str], Iterable[list[Any]]]


def _person(user: Any) -> str:
    return str(user) if user is not None else ""


def _when(value: dt.datetime | None) -> str:
    """ISO text of a timestamp, to the minute (empty when unset)."""
    if value is None:
        return ""
    return value.replace(second=0, microsecond=0).isoformat(timespec="minutes")


def _wall(value: dt.datetime | None) -> str:
    """A schedule time: the calendar's wall-clock time, without a zone."""
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(timespec="minutes")


def _money(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _days(minutes: int | None) -> float | None:
    """Working minutes as days of 8 hours (the demo's and the import formats' day)."""
    return round(minutes / 480, 2) if minutes is not None else None


# -- who may export what ------------------------------------------------------------------


def every_member(user: Any, program: Program) -> bool:
    return bool(roles_in(user, program))


def reads_stakeholders(user: Any, program: Program) -> bool:
    from podium.stakeholders.access import can_read_register

    return can_read_register(user, program)


def reads_changes(user: Any, program: Program) -> bool:
    from podium.changes.access import can_read

    return can_read(user, program)


def reads_governance(user: Any, program: Program) -> bool:
    from podium.governance.access import can_see

    return can_see(user, program)


# -- the registers ------------------------------------------------------------------------


def activity_rows(user: Any, program: Program) -> Table:
    from podium.schedule.models import Activity

    header = [
        "Component", "Code", "WBS", "Name", "Kind", "Duration (d)", "Start", "Finish",
        "Actual start", "Actual finish", "% complete", "Total float (d)", "Critical",
        "Constraint", "Constraint date", "Deadline",
    ]  # fmt: skip
    activities = (
        Activity.objects.filter(program=program)
        .select_related("component")
        .order_by("component__code", "order", "pk")
    )
    rows = (
        [
            a.component.code,
            a.code,
            a.wbs,
            a.name,
            a.get_kind_display(),
            _days(a.duration_minutes),
            _wall(a.start),
            _wall(a.finish),
            _wall(a.actual_start),
            _wall(a.actual_finish),
            a.percent_complete,
            _days(a.total_float_minutes),
            "yes" if a.critical else "",
            a.constraint_type,
            _wall(a.constraint_date),
            _wall(a.deadline),
        ]
        for a in activities
    )
    return header, rows


def _program_resources(program: Program) -> Any:
    """The program's pool plus the organisation resources its activities use."""
    from django.db.models import Q

    from podium.resources.models import Resource

    used = Q(program__isnull=True, assignments__activity__program=program)
    return (
        Resource.objects.filter(Q(program=program) | used)
        .distinct()
        .prefetch_related("skills")
        .order_by("code")
    )


def resource_rows(user: Any, program: Program) -> Table:
    costs = can_see_costs(user, program)
    header = ["Code", "Name", "Kind", "Pool", "Capacity", "Skills"]
    if costs:
        header += ["Standard rate", "Overtime rate", "Cost per use"]
    rows = []
    for r in _program_resources(program):
        row = [
            r.code,
            r.name,
            r.get_kind_display(),
            program.code if r.program_id else "organisation",
            r.capacity,
            ", ".join(sorted(s.name for s in r.skills.all())),
        ]
        if costs:
            row += [_money(r.standard_rate), _money(r.overtime_rate), _money(r.cost_per_use)]
        rows.append(row)
    return header, rows


def assignment_rows(user: Any, program: Program) -> Table:
    from podium.resources.models import Assignment

    header = ["Component", "Activity", "Activity name", "Resource", "Resource name", "Units"]
    assignments = (
        Assignment.objects.filter(activity__program=program)
        .select_related("activity__component", "resource")
        .order_by("activity__component__code", "activity__order", "activity__pk", "resource__code")
    )
    rows = (
        [
            a.activity.component.code,
            a.activity.code,
            a.activity.name,
            a.resource.code,
            a.resource.name,
            a.units,
        ]
        for a in assignments
    )
    return header, rows


def risk_rows(user: Any, program: Program) -> Table:
    from podium.risks.models import Risk

    costs = can_see_costs(user, program)
    header = [
        "Code", "Title", "Kind", "Component", "Level", "Status", "Owner", "Probability",
        "Schedule impact (1-5)", "Cost impact (1-5)", "Strategy", "Response", "Cause",
        "Event", "Effect",
    ]  # fmt: skip
    if costs:
        header += ["Cost low", "Cost most likely", "Cost high"]
    risks = (
        Risk.objects.filter(program=program)
        .select_related("component", "owner", "cost_impact")
        .order_by("code", "pk")
    )
    rows = []
    for r in risks:
        row = [
            r.code,
            r.title,
            r.get_kind_display(),
            r.component.code if r.component else "",
            r.get_level_display(),
            r.get_status_display(),
            _person(r.owner),
            r.probability,
            r.schedule_score,
            r.cost_score,
            r.get_strategy_display(),
            r.response,
            r.cause,
            r.event,
            r.effect,
        ]
        if costs:
            impact = getattr(r, "cost_impact", None)
            row += (
                [_money(impact.low), _money(impact.mode), _money(impact.high)]
                if impact is not None
                else [None, None, None]
            )
        rows.append(row)
    return header, rows


def issue_rows(user: Any, program: Program) -> Table:
    from podium.risks.models import Issue

    header = [
        "Code", "Title", "Component", "Level", "Priority", "Status", "Owner", "Due",
        "From risk", "Description", "Resolution",
    ]  # fmt: skip
    issues = (
        Issue.objects.filter(program=program)
        .select_related("component", "owner", "source_risk")
        .order_by("code", "pk")
    )
    rows = (
        [
            i.code,
            i.title,
            i.component.code if i.component else "",
            i.get_level_display(),
            i.get_priority_display(),
            i.get_status_display(),
            _person(i.owner),
            i.due_date,
            i.source_risk.code if i.source_risk else "",
            i.description,
            i.resolution,
        ]
        for i in issues
    )
    return header, rows


def deliverable_rows(user: Any, program: Program) -> Table:
    from podium.delivery.models import Deliverable

    header = [
        "Component", "Code", "Name", "Kind", "Status", "Milestone", "Milestone finish",
        "Accepting stakeholder", "Delivered", "Accepted", "Acceptance criteria",
    ]  # fmt: skip
    deliverables = (
        Deliverable.objects.filter(program=program)
        .select_related("component", "milestone", "accepting_stakeholder")
        .order_by("component__code", "code", "pk")
    )
    rows = (
        [
            d.component.code,
            d.code,
            d.name,
            d.get_kind_display(),
            d.get_status_display(),
            d.milestone.code if d.milestone else "",
            _wall(d.milestone.finish) if d.milestone else "",
            _person(d.accepting_stakeholder),
            _when(d.delivered_at),
            _when(d.accepted_at),
            d.acceptance_criteria,
        ]
        for d in deliverables
    )
    return header, rows


def benefit_rows(user: Any, program: Program) -> Table:
    from podium.benefits.models import Benefit

    costs = can_see_costs(user, program)
    header = [
        "Code", "Name", "Category", "Status", "Owner", "KPI", "Unit", "Direction",
        "Baseline value", "Baseline date", "Components",
    ]  # fmt: skip
    if costs:
        header.append("Expected value")
    benefits = (
        Benefit.objects.filter(program=program)
        .select_related("owner")
        .prefetch_related("components")
        .order_by("code", "pk")
    )
    rows = []
    for b in benefits:
        row = [
            b.code,
            b.name,
            b.get_category_display(),
            b.get_status_display(),
            _person(b.owner),
            b.kpi,
            b.unit,
            b.get_direction_display(),
            b.baseline_value,
            b.baseline_date,
            ", ".join(sorted(c.code for c in b.components.all())),
        ]
        if costs:
            row.append(_money(b.expected_value))
        rows.append(row)
    return header, rows


def stakeholder_rows(user: Any, program: Program) -> Table:
    from podium.stakeholders.models import Stakeholder

    header = [
        "Name", "Kind", "Organization", "Role", "Group", "Power (1-5)", "Interest (1-5)",
        "Current engagement", "Desired engagement", "Channel", "Account",
    ]  # fmt: skip
    if not reads_stakeholders(user, program):  # the register does not exist for them
        return header, []
    stakeholders = (
        Stakeholder.objects.filter(program=program).select_related("user").order_by("name", "pk")
    )
    rows = (
        [
            s.name,
            s.get_kind_display(),
            s.organization,
            s.role,
            s.group,
            s.power,
            s.interest,
            s.get_current_engagement_display(),
            s.get_desired_engagement_display(),
            s.channel,
            s.user.username if s.user else "",
        ]
        for s in stakeholders
    )
    return header, rows


def feedback_rows(user: Any, program: Program) -> Table:
    from podium.feedback.access import can_see_submitter
    from podium.feedback.selectors import visible_items

    header = [
        "Id", "Submitted", "Submitted by", "Group", "Component", "Category", "Rating",
        "State", "Text", "Acknowledged", "Closed", "Declined reason",
    ]  # fmt: skip
    rows = []
    for item in visible_items(user, program).order_by("submitted_at", "pk"):
        rows.append(
            [
                item.pk,
                _when(item.submitted_at),
                _person(item.submitted_by) if can_see_submitter(user, item) else "anonymous",
                item.group,
                item.component.code if item.component else "",
                item.get_category_display(),
                item.rating,
                item.get_state_display(),
                item.text,
                _when(item.acknowledged_at),
                _when(item.closed_at),
                item.declined_reason,
            ]
        )
    return header, rows


def decision_rows(user: Any, program: Program) -> Table:
    from podium.governance.models import Decision

    header = [
        "Number", "Decided", "Kind", "Subject", "Outcome", "Rationale", "Decided by",
        "Corrects",
    ]  # fmt: skip
    if not reads_governance(user, program):
        return header, []
    decisions = (
        Decision.objects.filter(program=program)
        .select_related("decided_by", "corrects")
        .order_by("number")
    )
    rows = (
        [
            d.number,
            _when(d.decided_at),
            d.get_kind_display(),
            d.subject_label,
            d.get_outcome_display(),
            d.rationale,
            _person(d.decided_by),
            d.corrects.number if d.corrects else None,
        ]
        for d in decisions
    )
    return header, rows


def lesson_rows(user: Any, program: Program) -> Table:
    from podium.lessons.search import Filters
    from podium.lessons.selectors import EXPORT_COLUMNS, export_rows

    columns = [c for c in EXPORT_COLUMNS if c != "program"]
    header = [c.replace("_", " ").capitalize() for c in columns]
    rows = []
    for found in export_rows(user, "", Filters(program=program.pk)):
        row = []
        for column in columns:
            value = found[column]
            row.append(", ".join(value) if isinstance(value, list) else value)
        rows.append(row)
    return header, rows


def change_request_rows(user: Any, program: Program) -> Table:
    from podium.changes.models import ChangeRequest

    costs = can_see_costs(user, program)
    header = [
        "Number", "Title", "State", "Requested by", "Components", "Submitted", "Decided",
        "Decided by", "Rejection reason", "Lines",
    ]  # fmt: skip
    if costs:
        header.append("Cost change")
    if not reads_changes(user, program):
        return header, []
    requests = (
        ChangeRequest.objects.filter(program=program)
        .select_related("requested_by", "decided_by")
        .prefetch_related("components", "lines")
        .order_by("number")
    )
    rows = []
    for cr in requests:
        lines = list(cr.lines.all())
        row = [
            cr.code,
            cr.title,
            cr.get_state_display(),
            _person(cr.requested_by),
            ", ".join(sorted(c.code for c in cr.components.all())),
            _when(cr.submitted_at),
            _when(cr.decided_at),
            _person(cr.decided_by),
            cr.rejection_reason,
            len(lines),
        ]
        if costs:
            amounts = [line.amount for line in lines if line.amount is not None]
            row.append(_money(sum(amounts, Decimal(0))) if amounts else None)
        rows.append(row)
    return header, rows

"""Every change to risks, their actions and cost impacts, issues, estimates and
correlations.

Each function is one transaction: permission check (:mod:`podium.risks.access`),
validation, the versioned write and its audit record. Pages, the API and the demo
loader call these; nothing else saves the risk models.

Lifecycle
---------
A risk is **open** until it is closed (it can be reopened) or it **occurs**:
:func:`occur_risk` turns it into an issue (the risk keeps status ``occurred`` and points
to the issue). A component's risk or issue is **escalated** to the program with
:func:`escalate_risk` / :func:`escalate_issue`, which records who, when and why; it
then shows at program level (``level = "program"``). Program-level entries (no
component) are at program level from the start.
"""

from __future__ import annotations

import copy
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from podium.accounts.models import User
from podium.core import audit
from podium.core.errors import (
    PermissionDenied,
    TransitionRefused,
    ValidationFailed,
    VersionConflict,
)
from podium.core.services import check_storable, update_versioned, validate_model
from podium.programs.models import Component, Program
from podium.programs.permissions import require
from podium.risks.access import can_manage, can_raise, can_set_cost
from podium.risks.models import (
    OPPORTUNITY_STRATEGIES,
    THREAT_STRATEGIES,
    ActivityEstimate,
    DistributionKind,
    DurationCorrelation,
    Issue,
    IssuePriority,
    IssueStatus,
    Level,
    Risk,
    RiskAction,
    RiskCostImpact,
    RiskKind,
    RiskStatus,
)
from podium.schedule.models import Activity

__all__ = [
    "create_action",
    "create_correlation",
    "create_issue",
    "create_risk",
    "delete_action",
    "delete_correlation",
    "delete_estimate",
    "delete_issue",
    "delete_risk",
    "escalate_issue",
    "escalate_risk",
    "occur_risk",
    "set_cost_impact",
    "set_estimate",
    "update_action",
    "update_correlation",
    "update_issue",
    "update_risk",
]

RISK_FIELDS = {
    "component", "code", "title", "kind", "cause", "event", "effect", "owner", "probability",
    "schedule_score", "cost_score", "duration_kind", "duration_low", "duration_mode",
    "duration_high", "strategy", "response", "status",
}  # fmt: skip
ISSUE_FIELDS = {
    "component", "code", "title", "description", "owner", "priority", "due_date", "status",
    "resolution",
}  # fmt: skip
ACTION_FIELDS = {"description", "owner", "due_date", "status"}
CENT = Decimal("0.01")
_NOT_GIVEN: Any = object()


# -- helpers ------------------------------------------------------------------------------


def _refuse_unknown(changes: dict[str, Any], editable: set[str]) -> None:
    unknown = sorted(set(changes) - editable)
    if unknown:
        raise ValidationFailed({f: ["This field cannot be changed here."] for f in unknown})


def _next_code(model: type[models.Model], program: Program, prefix: str) -> str:
    pattern = re.compile(rf"^{prefix}-(\d+)$")
    numbers = [
        int(m.group(1))
        for code in model._default_manager.filter(program=program).values_list("code", flat=True)
        if (m := pattern.match(code))
    ]
    return f"{prefix}-{max(numbers, default=0) + 1:03d}"


def _check_component(component: Component | None, program: Program) -> None:
    if component is not None and component.program_id != program.pk:
        raise ValidationFailed({"component": [f"{component.code} is not in {program.code}."]})


def _check_owner(owner: User | None, program: Program, field: str = "owner") -> None:
    if owner is None or owner.is_administrator:
        return
    if not program.memberships.filter(user=owner).exists():
        raise ValidationFailed({field: [f"{owner} is not a member of {program.code}."]})


def check_distribution(
    kind: str, low: Any, mode: Any, high: Any, *, prefix: str, opportunity: bool = False
) -> None:
    """Refuse a distribution the engine could not sample. Amounts are magnitudes (≥ 0);
    whether they add or remove comes from the risk's kind."""
    errors: dict[str, list[str]] = {}
    if kind not in DistributionKind.values:
        raise ValidationFailed({f"{prefix}kind": [f"{kind!r} is not a distribution."]})
    values = {"low": low, "mode": mode, "high": high}
    for name, value in values.items():
        if value is None:
            if not (name == "mode" and kind == DistributionKind.UNIFORM):
                errors[f"{prefix}{name}"] = ["Required."]
        elif value < 0:
            errors[f"{prefix}{name}"] = ["Must not be negative."]
    if errors:
        raise ValidationFailed(errors)
    if kind == DistributionKind.UNIFORM:
        if low > high:
            errors[f"{prefix}high"] = ["Must be at least the low value."]
    elif kind == DistributionKind.LOGNORMAL:
        if opportunity:
            errors[f"{prefix}kind"] = [
                "An opportunity's impact cannot be lognormal: use triangular, PERT or uniform."
            ]
        if not (0 < mode < high):
            errors[f"{prefix}high"] = [
                "Lognormal: the 90th percentile (high) must be above the median (most "
                "likely), and the median above zero."
            ]
        if low > mode:
            errors[f"{prefix}low"] = ["Must not be above the median."]
    elif not (low <= mode <= high):
        errors[f"{prefix}mode"] = ["Needs low ≤ most likely ≤ high."]
    if errors:
        raise ValidationFailed(errors)


def _money(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed({field: [f"{value!r} is not an amount."]}) from exc
    if not amount.is_finite() or abs(amount) >= Decimal(10) ** 12:
        raise ValidationFailed({field: [f"{value!r} is not an amount."]})
    return amount


def _risk_snapshot(risk: Risk) -> dict[str, Any]:
    """The risk's fields and linked activities, never its cost impact."""
    data = audit.snapshot(risk)
    data["activities"] = sorted(a.code for a in risk.activities.all())
    return data


def _validate_risk(risk: Risk) -> None:
    validate_model(risk, exclude=["created_by", "updated_by", "escalated_by"])
    allowed = THREAT_STRATEGIES if risk.kind == RiskKind.THREAT else OPPORTUNITY_STRATEGIES
    article = "a" if risk.kind == RiskKind.THREAT else "an"
    if risk.strategy not in allowed:
        raise ValidationFailed(
            {
                "strategy": [
                    f"{risk.get_strategy_display()} is not a response to {article} {risk.kind}."
                ]
            }
        )
    if risk.duration_kind:
        check_distribution(
            risk.duration_kind, risk.duration_low, risk.duration_mode, risk.duration_high,
            prefix="duration_", opportunity=risk.kind == RiskKind.OPPORTUNITY,
        )  # fmt: skip


def _check_activities(activities: list[Activity], program: Program) -> None:
    outside = [a.code for a in activities if a.program_id != program.pk]
    if outside:
        raise ValidationFailed({"activities": [f"Not in {program.code}: {', '.join(outside)}."]})


def _require_manage(actor: Any, program: Program, component: Component | None, what: str) -> None:
    scope = component.code if component is not None else program.code
    require(can_manage(actor, program, component), f"You may not {what} in {scope}.")


# -- risks --------------------------------------------------------------------------------


@transaction.atomic
def create_risk(
    *,
    actor: User | None,
    program: Program,
    title: str,
    component: Component | None = None,
    code: str = "",
    activities: list[Activity] | None = None,
    cost_impact: dict[str, Any] | None = None,
    **fields: Any,
) -> Risk:
    """Raise a risk (team members and managers). ``cost_impact``: ``{"kind", "low",
    "mode", "high"}`` in currency units, only from managers who may see costs."""
    require(can_raise(actor, program), f"You may not raise risks in {program.code}.")
    _refuse_unknown(fields, RISK_FIELDS)
    _check_component(component, program)
    if cost_impact is not None:
        require(can_set_cost(actor, program, component), "You may not set cost impacts.")
    if fields.get("status", RiskStatus.OPEN) == RiskStatus.OCCURRED:
        raise ValidationFailed({"status": ["A new risk cannot have occurred: raise an issue."]})
    _check_owner(fields.get("owner"), program)
    code = (code or "").strip().upper() or _next_code(Risk, program, "R")
    risk = Risk(
        program=program, component=component, code=code, title=title.strip(),
        level=Level.COMPONENT if component is not None else Level.PROGRAM, **fields,
    )  # fmt: skip
    risk.created_by = risk.updated_by = actor
    _validate_risk(risk)
    risk.save()
    if activities:
        _check_activities(activities, program)
        risk.activities.set(activities)
    audit.record(
        user=actor, action="create", obj=risk, before=None, after=_risk_snapshot(risk),
        program_id=program.pk,
    )  # fmt: skip
    if cost_impact is not None:
        _write_cost_impact(actor, risk, cost_impact)
    return risk


@transaction.atomic
def update_risk(
    *,
    actor: User,
    risk: Risk,
    expected_version: int | None,
    activities: list[Activity] | None = None,
    cost_impact: dict[str, Any] | None = _NOT_GIVEN,
    **changes: Any,
) -> Risk:
    """Change a risk (its component's manager or the program manager). ``activities``
    None keeps the links; ``cost_impact`` None removes it, a dict sets it."""
    program = risk.program
    _require_manage(actor, program, risk.component, "change risks")
    _refuse_unknown(changes, RISK_FIELDS)
    if "component" in changes and changes["component"] != risk.component:
        _check_component(changes["component"], program)
        _require_manage(actor, program, changes["component"], "move risks")
    status = changes.get("status", risk.status)
    if status != risk.status and RiskStatus.OCCURRED in (status, risk.status):
        raise TransitionRefused(
            "A risk occurs through “Risk occurred” (it becomes an issue) and an occurred "
            "risk stays occurred."
        )
    if "owner" in changes:
        _check_owner(changes["owner"], program)
    if cost_impact is not _NOT_GIVEN:
        require(can_set_cost(actor, program, risk.component), "You may not set cost impacts.")
    candidate = copy.copy(risk)
    for name, value in changes.items():
        setattr(candidate, name, value)
    if "component" in changes and risk.level == Level.COMPONENT and changes["component"] is None:
        changes["level"] = candidate.level = Level.PROGRAM
    if "code" in changes:
        changes["code"] = candidate.code = str(changes["code"]).strip().upper()
    _validate_risk(candidate)
    before = _risk_snapshot(risk)
    updated = update_versioned(risk, expected_version, actor, **changes)
    if activities is not None:
        _check_activities(activities, program)
        updated.activities.set(activities)
    audit.record(
        user=actor, action="update", obj=updated, before=before, after=_risk_snapshot(updated),
        program_id=program.pk,
    )  # fmt: skip
    if cost_impact is not _NOT_GIVEN:
        _write_cost_impact(actor, updated, cost_impact)
    return updated


@transaction.atomic
def set_cost_impact(actor: User, risk: Risk, cost_impact: dict[str, Any] | None) -> Risk:
    """Set (or with None remove) what the risk costs or saves if it happens."""
    require(can_set_cost(actor, risk.program, risk.component), "You may not set cost impacts.")
    _write_cost_impact(actor, risk, cost_impact)
    return risk


def _write_cost_impact(actor: Any, risk: Risk, data: dict[str, Any] | None) -> None:
    existing = RiskCostImpact.objects.filter(risk=risk).first()
    if data is None:
        if existing is not None:
            before = audit.snapshot(existing)
            audit.record(
                user=actor, action="delete", obj=existing, before=before, after=None,
                program_id=risk.program_id,
            )  # fmt: skip
            existing.delete()
        return
    kind = data.get("kind") or DistributionKind.TRIANGULAR
    values = {
        name: _money(data[name], f"cost_{name}") if data.get(name) is not None else None
        for name in ("low", "mode", "high")
    }
    if kind == DistributionKind.UNIFORM and values["mode"] is None:
        values["mode"] = values["low"]
    check_distribution(
        kind, values["low"], values["mode"], values["high"], prefix="cost_",
        opportunity=risk.kind == RiskKind.OPPORTUNITY,
    )  # fmt: skip
    if existing is None:
        impact = RiskCostImpact(risk=risk, kind=kind, **values)
        impact.created_by = impact.updated_by = actor
        impact.save()
        audit.record(
            user=actor, action="create", obj=impact, before=None, after=audit.snapshot(impact),
            program_id=risk.program_id,
        )  # fmt: skip
        return
    before = audit.snapshot(existing)
    updated = update_versioned(existing, None, actor, kind=kind, **values)
    audit.record(
        user=actor, action="update", obj=updated, before=before, after=audit.snapshot(updated),
        program_id=risk.program_id,
    )  # fmt: skip


@transaction.atomic
def delete_risk(*, actor: User, risk: Risk, expected_version: int | None) -> None:
    _require_manage(actor, risk.program, risk.component, "delete risks")
    if expected_version is not None and expected_version != risk.version:
        raise VersionConflict(risk.version)
    if Issue.objects.filter(source_risk=risk).exists():
        raise TransitionRefused("This risk occurred and has an issue: close it instead.")
    before = _risk_snapshot(risk)
    audit.record(
        user=actor, action="delete", obj=risk, before=before, after=None,
        program_id=risk.program_id,
    )  # fmt: skip
    risk.delete()


@transaction.atomic
def escalate_risk(*, actor: User, risk: Risk, reason: str, expected_version: int | None) -> Risk:
    """Escalate a component's risk to the program: records who, when and why."""
    _require_manage(actor, risk.program, risk.component, "escalate risks")
    if risk.level == Level.PROGRAM:
        raise TransitionRefused(f"{risk.code} is already managed at program level.")
    if risk.status != RiskStatus.OPEN:
        raise TransitionRefused(f"{risk.code} is {risk.get_status_display().lower()}.")
    if not reason.strip():
        raise ValidationFailed({"reason": ["Say why the program has to take this risk over."]})
    before = _risk_snapshot(risk)
    updated = update_versioned(
        risk, expected_version, actor, level=Level.PROGRAM, escalated_by=actor,
        escalated_at=timezone.now(), escalation_reason=reason.strip(),
    )  # fmt: skip
    audit.record(
        user=actor, action="transition", obj=updated, before=before,
        after=_risk_snapshot(updated), program_id=risk.program_id,
        note=f"escalated to the program: {reason.strip()}",
    )  # fmt: skip
    return updated


@transaction.atomic
def occur_risk(
    *,
    actor: User,
    risk: Risk,
    expected_version: int | None,
    note: str = "",
    owner: User | None = None,
    priority: str = "",
    due_date: Any = None,
) -> Issue:
    """The risk happened: it becomes an issue (same component, level and owner unless
    given) and the risk is marked occurred, pointing to the issue."""
    _require_manage(actor, risk.program, risk.component, "record risks as occurred")
    if risk.status != RiskStatus.OPEN:
        raise TransitionRefused(f"{risk.code} is {risk.get_status_display().lower()}.")
    before = _risk_snapshot(risk)
    updated = update_versioned(risk, expected_version, actor, status=RiskStatus.OCCURRED)
    audit.record(
        user=actor, action="transition", obj=updated, before=before,
        after=_risk_snapshot(updated), program_id=risk.program_id,
        note="occurred: now an issue" + (f" — {note.strip()}" if note.strip() else ""),
    )  # fmt: skip
    if not priority:
        score = risk.impact_score
        priority = (
            IssuePriority.CRITICAL if score == 5 else IssuePriority.HIGH if score == 4
            else IssuePriority.MEDIUM
        )  # fmt: skip
    text = "\n\n".join(
        part for part in (
            f"Risk {risk.code} occurred.", risk.event, risk.effect and f"Effect: {risk.effect}",
            note.strip(),
        ) if part
    )  # fmt: skip
    issue = Issue(
        program=risk.program, component=risk.component, code=_next_code(Issue, risk.program, "I"),
        title=risk.title, description=text, owner=owner or risk.owner, priority=priority,
        due_date=due_date, source_risk=updated, level=risk.level,
        escalated_by=risk.escalated_by, escalated_at=risk.escalated_at,
        escalation_reason=risk.escalation_reason,
    )  # fmt: skip
    issue.created_by = issue.updated_by = actor
    validate_model(issue, exclude=["created_by", "updated_by", "escalated_by", "source_risk"])
    issue.save()
    audit.record(
        user=actor, action="create", obj=issue, before=None, after=audit.snapshot(issue),
        program_id=risk.program_id, note=f"from risk {risk.code}",
    )  # fmt: skip
    return issue


# -- actions ------------------------------------------------------------------------------


@transaction.atomic
def create_action(*, actor: User, risk: Risk, description: str, **fields: Any) -> RiskAction:
    _require_manage(actor, risk.program, risk.component, "plan risk responses")
    _refuse_unknown(fields, ACTION_FIELDS)
    _check_owner(fields.get("owner"), risk.program)
    action = RiskAction(risk=risk, description=description.strip(), **fields)
    action.created_by = action.updated_by = actor
    validate_model(action, exclude=["created_by", "updated_by"])
    action.save()
    audit.record(
        user=actor, action="create", obj=action, before=None, after=audit.snapshot(action),
        program_id=risk.program_id,
    )  # fmt: skip
    return action


@transaction.atomic
def update_action(
    *, actor: User, action: RiskAction, expected_version: int | None, **changes: Any
) -> RiskAction:
    risk = action.risk
    _require_manage(actor, risk.program, risk.component, "change risk responses")
    _refuse_unknown(changes, ACTION_FIELDS)
    if "owner" in changes:
        _check_owner(changes["owner"], risk.program)
    candidate = copy.copy(action)
    for name, value in changes.items():
        setattr(candidate, name, value)
    validate_model(candidate, exclude=["created_by", "updated_by"])
    before = audit.snapshot(action)
    updated = update_versioned(action, expected_version, actor, **changes)
    audit.record(
        user=actor, action="update", obj=updated, before=before, after=audit.snapshot(updated),
        program_id=risk.program_id,
    )  # fmt: skip
    return updated


@transaction.atomic
def delete_action(*, actor: User, action: RiskAction) -> None:
    risk = action.risk
    _require_manage(actor, risk.program, risk.component, "change risk responses")
    audit.record(
        user=actor, action="delete", obj=action, before=audit.snapshot(action), after=None,
        program_id=risk.program_id,
    )  # fmt: skip
    action.delete()


# -- issues -------------------------------------------------------------------------------


@transaction.atomic
def create_issue(
    *,
    actor: User | None,
    program: Program,
    title: str,
    component: Component | None = None,
    code: str = "",
    **fields: Any,
) -> Issue:
    """Raise an issue (team members and managers)."""
    require(can_raise(actor, program), f"You may not raise issues in {program.code}.")
    _refuse_unknown(fields, ISSUE_FIELDS)
    _check_component(component, program)
    _check_owner(fields.get("owner"), program)
    code = (code or "").strip().upper() or _next_code(Issue, program, "I")
    issue = Issue(
        program=program, component=component, code=code, title=title.strip(),
        level=Level.COMPONENT if component is not None else Level.PROGRAM, **fields,
    )  # fmt: skip
    issue.created_by = issue.updated_by = actor
    validate_model(issue, exclude=["created_by", "updated_by", "escalated_by", "source_risk"])
    issue.save()
    audit.record(
        user=actor, action="create", obj=issue, before=None, after=audit.snapshot(issue),
        program_id=program.pk,
    )  # fmt: skip
    return issue


@transaction.atomic
def update_issue(
    *, actor: User, issue: Issue, expected_version: int | None, **changes: Any
) -> Issue:
    program = issue.program
    _require_manage(actor, program, issue.component, "change issues")
    _refuse_unknown(changes, ISSUE_FIELDS)
    if "component" in changes and changes["component"] != issue.component:
        _check_component(changes["component"], program)
        _require_manage(actor, program, changes["component"], "move issues")
    if "owner" in changes:
        _check_owner(changes["owner"], program)
    candidate = copy.copy(issue)
    for name, value in changes.items():
        setattr(candidate, name, value)
    if "code" in changes:
        changes["code"] = candidate.code = str(changes["code"]).strip().upper()
    if "component" in changes and changes["component"] is None:
        changes["level"] = candidate.level = Level.PROGRAM
    validate_model(candidate, exclude=["created_by", "updated_by", "escalated_by", "source_risk"])
    before = audit.snapshot(issue)
    updated = update_versioned(issue, expected_version, actor, **changes)
    audit.record(
        user=actor, action="update", obj=updated, before=before, after=audit.snapshot(updated),
        program_id=program.pk,
    )  # fmt: skip
    return updated


@transaction.atomic
def escalate_issue(
    *, actor: User, issue: Issue, reason: str, expected_version: int | None
) -> Issue:
    _require_manage(actor, issue.program, issue.component, "escalate issues")
    if issue.level == Level.PROGRAM:
        raise TransitionRefused(f"{issue.code} is already managed at program level.")
    if issue.status in (IssueStatus.RESOLVED, IssueStatus.CLOSED):
        raise TransitionRefused(f"{issue.code} is {issue.get_status_display().lower()}.")
    if not reason.strip():
        raise ValidationFailed({"reason": ["Say why the program has to take this issue over."]})
    before = audit.snapshot(issue)
    updated = update_versioned(
        issue, expected_version, actor, level=Level.PROGRAM, escalated_by=actor,
        escalated_at=timezone.now(), escalation_reason=reason.strip(),
    )  # fmt: skip
    audit.record(
        user=actor, action="transition", obj=updated, before=before,
        after=audit.snapshot(updated), program_id=issue.program_id,
        note=f"escalated to the program: {reason.strip()}",
    )  # fmt: skip
    return updated


@transaction.atomic
def delete_issue(*, actor: User, issue: Issue) -> None:
    _require_manage(actor, issue.program, issue.component, "delete issues")
    audit.record(
        user=actor, action="delete", obj=issue, before=audit.snapshot(issue), after=None,
        program_id=issue.program_id,
    )  # fmt: skip
    issue.delete()


# -- estimates and correlations -----------------------------------------------------------


@transaction.atomic
def set_estimate(
    *,
    actor: User,
    activity: Activity,
    kind: str,
    optimistic: int,
    most_likely: int,
    pessimistic: int,
    expected_version: int | None = None,
) -> ActivityEstimate:
    """Create or replace the three-point estimate of ``activity`` (working minutes)."""
    program = activity.program
    _require_manage(actor, program, activity.component, "estimate activities")
    if activity.kind == Activity.Kind.SUMMARY:
        raise ValidationFailed({"activity": ["A summary's duration comes from its children."]})
    check_distribution(kind, optimistic, most_likely, pessimistic, prefix="")
    values = {
        "kind": kind, "optimistic": optimistic, "most_likely": most_likely,
        "pessimistic": pessimistic,
    }  # fmt: skip
    check_storable(ActivityEstimate, values)
    existing = ActivityEstimate.objects.filter(activity=activity).first()
    if existing is None:
        estimate = ActivityEstimate(program=program, activity=activity, **values)
        estimate.created_by = estimate.updated_by = actor
        estimate.save()
        audit.record(
            user=actor, action="create", obj=estimate, before=None,
            after=audit.snapshot(estimate), program_id=program.pk,
        )  # fmt: skip
        return estimate
    before = audit.snapshot(existing)
    updated = update_versioned(existing, expected_version, actor, **values)
    audit.record(
        user=actor, action="update", obj=updated, before=before, after=audit.snapshot(updated),
        program_id=program.pk,
    )  # fmt: skip
    return updated


@transaction.atomic
def delete_estimate(*, actor: User, estimate: ActivityEstimate) -> None:
    activity = estimate.activity
    _require_manage(actor, activity.program, activity.component, "estimate activities")
    audit.record(
        user=actor, action="delete", obj=estimate, before=audit.snapshot(estimate), after=None,
        program_id=activity.program_id,
    )  # fmt: skip
    estimate.delete()


def _require_pair(actor: Any, program: Program, a: Activity, b: Activity) -> None:
    for activity in (a, b):
        if activity.program_id != program.pk:
            raise ValidationFailed({"activity": [f"{activity.name} is not in {program.code}."]})
    if not (can_manage(actor, program, a.component) and can_manage(actor, program, b.component)):
        raise PermissionDenied("You may not correlate activities outside your components.")


def _check_rho(rho: Any) -> float:
    try:
        value = float(rho)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed({"rho": [f"{rho!r} is not a number."]}) from exc
    if not -1.0 <= value <= 1.0:
        raise ValidationFailed({"rho": ["A correlation lies between -1 and 1."]})
    return value


@transaction.atomic
def create_correlation(
    *, actor: User, program: Program, a: Activity, b: Activity, rho: float
) -> DurationCorrelation:
    """Correlate two activities' durations (stored once per pair, smaller id first)."""
    _require_pair(actor, program, a, b)
    if a.pk == b.pk:
        raise ValidationFailed({"activity_b": ["Pick two different activities."]})
    if a.pk > b.pk:
        a, b = b, a
    value = _check_rho(rho)
    if DurationCorrelation.objects.filter(activity_a=a, activity_b=b).exists():
        raise ValidationFailed({"activity_b": ["These two activities are already correlated."]})
    corr = DurationCorrelation(program=program, activity_a=a, activity_b=b, rho=value)
    corr.created_by = corr.updated_by = actor
    corr.save()
    audit.record(
        user=actor, action="create", obj=corr, before=None, after=audit.snapshot(corr),
        program_id=program.pk,
    )  # fmt: skip
    return corr


@transaction.atomic
def update_correlation(
    *, actor: User, correlation: DurationCorrelation, rho: float, expected_version: int | None
) -> DurationCorrelation:
    _require_pair(actor, correlation.program, correlation.activity_a, correlation.activity_b)
    value = _check_rho(rho)
    before = audit.snapshot(correlation)
    updated = update_versioned(correlation, expected_version, actor, rho=value)
    audit.record(
        user=actor, action="update", obj=updated, before=before, after=audit.snapshot(updated),
        program_id=correlation.program_id,
    )  # fmt: skip
    return updated


@transaction.atomic
def delete_correlation(*, actor: User, correlation: DurationCorrelation) -> None:
    _require_pair(actor, correlation.program, correlation.activity_a, correlation.activity_b)
    audit.record(
        user=actor, action="delete", obj=correlation, before=audit.snapshot(correlation),
        after=None, program_id=correlation.program_id,
    )  # fmt: skip
    correlation.delete()

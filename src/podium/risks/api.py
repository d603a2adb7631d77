"""API endpoints of the risk and issue registers, the probability x impact matrix,
three-point estimates and duration correlations.

Every read starts from the programs the user may see (others answer 404). Cost impacts
are sent only to users who may see costs: for everyone else a risk has no
``cost_impact`` key, and sending one is refused (403).
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from podium.accounts.models import User
from podium.core.api import WRITE_ERRORS, ErrorOut, Pages, expected_version, set_etag
from podium.core.errors import NotFound, ValidationFailed
from podium.core.views import AuthedRequest
from podium.programs.models import Component, Program
from podium.programs.permissions import can_see_costs, get_program, visible_programs
from podium.programs.schemas import AuditOut
from podium.risks import selectors, services
from podium.risks.models import (
    ActivityEstimate,
    DurationCorrelation,
    Issue,
    Risk,
    RiskAction,
    RiskKind,
)
from podium.risks.schemas import (
    ActionIn,
    ActionOut,
    ActionPatch,
    CorrelationIn,
    CorrelationOut,
    CorrelationPatch,
    EscalateIn,
    EstimateIn,
    EstimateOut,
    IssueFilter,
    IssueIn,
    IssueOut,
    IssuePatch,
    MatrixOut,
    OccurIn,
    RiskFilter,
    RiskIn,
    RiskOut,
    RiskPatch,
)
from podium.schedule.models import Activity

__all__ = ["router"]

router = Router(tags=["risks"])

ERRORS = WRITE_ERRORS
READ_ERRORS: dict[int, type[Schema]] = {404: ErrorOut}


# -- lookups ------------------------------------------------------------------------------


def _program(request: AuthedRequest, program_id: int) -> Program:
    program = visible_programs(request.user).filter(pk=program_id).first()
    if program is None:
        raise NotFound("Not found.")
    return program


def _owned(request: AuthedRequest, model: type[Any], pk: int, field: str = "program_id") -> Any:
    program_id = model.objects.filter(pk=pk).values_list(field, flat=True).first()
    if program_id is None:
        raise NotFound(f"No {model._meta.verbose_name} {pk}.")
    return _program(request, program_id)


def _user(username: str | None, field: str = "owner") -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationFailed({field: [f"No user named {username!r}."]})
    return user


def _component(program: Program, code: str | None) -> Component | None:
    if not code:
        return None
    component = program.components.filter(code=code.strip().upper()).first()
    if component is None:
        raise ValidationFailed({"component": [f"{program.code} has no component {code!r}."]})
    return component


def _activities(program: Program, ids: list[int], field: str = "activities") -> list[Activity]:
    found = list(Activity.objects.filter(program=program, pk__in=ids))
    missing = sorted(set(ids) - {a.pk for a in found})
    if missing:
        raise ValidationFailed({field: [f"{program.code} has no activity {missing[0]}."]})
    return found


def _risk(request: AuthedRequest, pk: int) -> Risk:
    return selectors.get_risk(_owned(request, Risk, pk), pk)


def _issue(request: AuthedRequest, pk: int) -> Issue:
    return selectors.get_issue(_owned(request, Issue, pk), pk)


def _risk_out(risk: Risk, with_costs: bool) -> dict[str, Any]:
    """The risk as a dict; ``cost_impact`` only when ``with_costs`` (the routes drop
    unset keys, so the key is absent for everyone else)."""
    duration = None
    if risk.duration_kind:
        duration = {
            "kind": risk.duration_kind, "low": risk.duration_low or 0.0,
            "mode": risk.duration_mode, "high": risk.duration_high or 0.0,
        }  # fmt: skip
    issue = getattr(risk, "issue", None) if hasattr(risk, "issue") else None
    data: dict[str, Any] = {
        "id": risk.pk,
        "program": risk.program.code,
        "component": risk.component.code if risk.component is not None else None,
        "code": risk.code,
        "title": risk.title,
        "kind": risk.kind,
        "cause": risk.cause,
        "event": risk.event,
        "effect": risk.effect,
        "owner": risk.owner.username if risk.owner is not None else None,
        "probability": risk.probability,
        "schedule_score": risk.schedule_score,
        "cost_score": risk.cost_score,
        "probability_score": risk.probability_score,
        "impact_score": risk.impact_score,
        "duration_impact": duration,
        "activities": [
            {"id": a.pk, "code": a.code, "name": a.name, "component": a.component.code}
            for a in risk.activities.all()
        ],
        "strategy": risk.strategy,
        "response": risk.response,
        "status": risk.status,
        "level": risk.level,
        "escalated_by": risk.escalated_by.username if risk.escalated_by is not None else None,
        "escalated_at": risk.escalated_at,
        "escalation_reason": risk.escalation_reason,
        "issue": issue.code if issue is not None else None,
        "version": risk.version,
    }
    if with_costs:
        impact = getattr(risk, "cost_impact", None) if hasattr(risk, "cost_impact") else None
        data["cost_impact"] = (
            {
                "kind": impact.kind,
                "low": impact.low,
                "mode": impact.mode,
                "high": impact.high,
                "currency": risk.program.currency,
            }
            if impact is not None
            else None
        )
    return data


def _risk_fields(program: Program, data: dict[str, Any]) -> dict[str, Any]:
    """API fields → service keyword arguments."""
    if "owner" in data:
        data["owner"] = _user(data["owner"])
    if "component" in data:
        data["component"] = _component(program, data["component"])
    if "duration_impact" in data:
        impact = data.pop("duration_impact")
        if impact is None:
            data.update(duration_kind="", duration_low=None, duration_mode=None,
                        duration_high=None)  # fmt: skip
        else:
            mode = impact["mode"] if impact.get("mode") is not None else impact["low"]
            data.update(duration_kind=impact["kind"], duration_low=impact["low"],
                        duration_mode=mode, duration_high=impact["high"])  # fmt: skip
    if data.get("activities") is not None:
        data["activities"] = _activities(program, data["activities"])
    return data


class _RiskPage:
    """The filtered risks as the paginator slices them: only the page's risks are turned
    into dicts (with their activities prefetched)."""

    def __init__(self, risks: QuerySet[Risk], with_costs: bool) -> None:
        self.risks = risks
        self.with_costs = with_costs

    def __len__(self) -> int:
        return self.risks.count()

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        page = self.risks.prefetch_related("activities__component")[window]
        return [_risk_out(risk, self.with_costs) for risk in page]


# -- risks --------------------------------------------------------------------------------


@router.get("/programs/{code}/risks", response=list[RiskOut], exclude_unset=True)
@paginate(Pages, page_size=50)
def list_risks(request: AuthedRequest, code: str, filters: Query[RiskFilter]) -> Any:
    program = get_program(request.user, code)
    component: str | int | None = filters.component
    if filters.component and filters.component != "program":
        found = program.components.filter(code=filters.component.strip().upper()).first()
        component = found.pk if found is not None else -1
    owner = _user(filters.owner) if filters.owner else None
    risks = selectors.risk_list(
        program, component=component, status=filters.status, kind=filters.kind,
        owner=owner.pk if owner is not None else None, level=filters.level, text=filters.q,
    )  # fmt: skip
    return _RiskPage(risks, can_see_costs(request.user, program))


@router.post("/programs/{code}/risks", response={201: RiskOut, **ERRORS}, exclude_unset=True)
def create_risk(request: AuthedRequest, code: str, payload: RiskIn, response: HttpResponse) -> Any:
    program = get_program(request.user, code)
    data = _risk_fields(program, payload.dict())
    cost = data.pop("cost_impact")
    risk = services.create_risk(actor=request.user, program=program, cost_impact=cost, **data)
    set_etag(response, risk)
    risk = selectors.get_risk(program, risk.pk)
    return Status(201, _risk_out(risk, can_see_costs(request.user, program)))


@router.get("/risks/{risk_id}", response={200: RiskOut, **READ_ERRORS}, exclude_unset=True)
def get_risk(request: AuthedRequest, risk_id: int, response: HttpResponse) -> Any:
    risk = _risk(request, risk_id)
    set_etag(response, risk)
    return _risk_out(risk, can_see_costs(request.user, risk.program))


@router.patch("/risks/{risk_id}", response={200: RiskOut, **ERRORS}, exclude_unset=True)
def update_risk(
    request: AuthedRequest, risk_id: int, payload: RiskPatch, response: HttpResponse
) -> Any:
    risk = _risk(request, risk_id)
    changes = payload.dict(exclude_unset=True)
    version = expected_version(request, changes.pop("version", None))
    changes = _risk_fields(risk.program, changes)
    extra: dict[str, Any] = {}
    if "cost_impact" in changes:
        extra["cost_impact"] = changes.pop("cost_impact")
    updated = services.update_risk(
        actor=request.user, risk=risk, expected_version=version, **extra, **changes
    )
    set_etag(response, updated)
    updated = selectors.get_risk(risk.program, risk.pk)
    return _risk_out(updated, can_see_costs(request.user, risk.program))


@router.delete("/risks/{risk_id}", response={204: None, **ERRORS})
def delete_risk(request: AuthedRequest, risk_id: int) -> Any:
    risk = _risk(request, risk_id)
    services.delete_risk(actor=request.user, risk=risk, expected_version=expected_version(request))
    return Status(204, None)


@router.post("/risks/{risk_id}/escalate", response={200: RiskOut, **ERRORS}, exclude_unset=True)
def escalate_risk(
    request: AuthedRequest, risk_id: int, payload: EscalateIn, response: HttpResponse
) -> Any:
    risk = _risk(request, risk_id)
    updated = services.escalate_risk(
        actor=request.user, risk=risk, reason=payload.reason,
        expected_version=expected_version(request, payload.version),
    )  # fmt: skip
    set_etag(response, updated)
    updated = selectors.get_risk(risk.program, risk.pk)
    return _risk_out(updated, can_see_costs(request.user, risk.program))


@router.post("/risks/{risk_id}/occur", response={201: IssueOut, **ERRORS})
def occur_risk(
    request: AuthedRequest, risk_id: int, payload: OccurIn, response: HttpResponse
) -> Any:
    """The risk happened: it becomes an issue (answered), the risk is marked occurred."""
    risk = _risk(request, risk_id)
    issue = services.occur_risk(
        actor=request.user, risk=risk, expected_version=expected_version(request, payload.version),
        note=payload.note, owner=_user(payload.owner), priority=payload.priority or "",
        due_date=payload.due_date,
    )  # fmt: skip
    set_etag(response, issue)
    return Status(201, selectors.get_issue(risk.program, issue.pk))


@router.get("/risks/{risk_id}/history", response={200: list[AuditOut], **READ_ERRORS})
def risk_history(request: AuthedRequest, risk_id: int) -> Any:
    """The risk's and its actions' changes (and its cost impact's, for users who may see
    costs), newest first."""
    risk = _risk(request, risk_id)
    return selectors.risk_history(risk, with_costs=can_see_costs(request.user, risk.program))


@router.get("/programs/{code}/risk-matrix", response={200: MatrixOut, **ERRORS})
def risk_matrix(
    request: AuthedRequest, code: str, component: str = "", kind: RiskKind = RiskKind.THREAT
) -> Any:
    """Open risks on the 5 x 5 probability x impact grid, for the program or one
    component (``component`` = its code)."""
    program = get_program(request.user, code)
    comp = _component(program, component)
    grid = selectors.matrix(program, component=comp, kind=kind)
    return {
        "kind": grid.kind,
        "component": comp.code if comp is not None else None,
        "total": grid.total,
        "rows": [
            [
                {
                    "probability": c.probability,
                    "impact": c.impact,
                    "count": c.count,
                    "zone": c.zone,
                    "codes": c.codes,
                }
                for c in row
            ]
            for row in grid.rows
        ],
    }


# -- actions ------------------------------------------------------------------------------


@router.get("/risks/{risk_id}/actions", response={200: list[ActionOut], **READ_ERRORS})
def list_actions(request: AuthedRequest, risk_id: int) -> Any:
    risk = _risk(request, risk_id)
    return list(risk.actions.select_related("risk", "owner"))


@router.post("/risks/{risk_id}/actions", response={201: ActionOut, **ERRORS})
def create_action(
    request: AuthedRequest, risk_id: int, payload: ActionIn, response: HttpResponse
) -> Any:
    risk = _risk(request, risk_id)
    data = payload.dict()
    data["owner"] = _user(data["owner"])
    action = services.create_action(actor=request.user, risk=risk, **data)
    set_etag(response, action)
    return Status(201, action)


def _action(request: AuthedRequest, pk: int) -> RiskAction:
    return selectors.get_action(_owned(request, RiskAction, pk, "risk__program_id"), pk)


@router.patch("/risk-actions/{action_id}", response={200: ActionOut, **ERRORS})
def update_action(
    request: AuthedRequest, action_id: int, payload: ActionPatch, response: HttpResponse
) -> Any:
    action = _action(request, action_id)
    changes = payload.dict(exclude_unset=True)
    version = expected_version(request, changes.pop("version", None))
    if "owner" in changes:
        changes["owner"] = _user(changes["owner"])
    updated = services.update_action(
        actor=request.user, action=action, expected_version=version, **changes
    )
    set_etag(response, updated)
    return updated


@router.delete("/risk-actions/{action_id}", response={204: None, **ERRORS})
def delete_action(request: AuthedRequest, action_id: int) -> Any:
    services.delete_action(actor=request.user, action=_action(request, action_id))
    return Status(204, None)


# -- issues -------------------------------------------------------------------------------


@router.get("/programs/{code}/issues", response=list[IssueOut])
@paginate(Pages, page_size=50)
def list_issues(request: AuthedRequest, code: str, filters: Query[IssueFilter]) -> Any:
    program = get_program(request.user, code)
    component: str | int | None = filters.component
    if filters.component and filters.component != "program":
        found = program.components.filter(code=filters.component.strip().upper()).first()
        component = found.pk if found is not None else -1
    owner = _user(filters.owner) if filters.owner else None
    return selectors.issue_list(
        program, component=component, status=filters.status, priority=filters.priority,
        owner=owner.pk if owner is not None else None, level=filters.level, text=filters.q,
    )  # fmt: skip


@router.post("/programs/{code}/issues", response={201: IssueOut, **ERRORS})
def create_issue(
    request: AuthedRequest, code: str, payload: IssueIn, response: HttpResponse
) -> Any:
    program = get_program(request.user, code)
    data = payload.dict()
    data["owner"] = _user(data["owner"])
    data["component"] = _component(program, data["component"])
    issue = services.create_issue(actor=request.user, program=program, **data)
    set_etag(response, issue)
    return Status(201, selectors.get_issue(program, issue.pk))


@router.get("/issues/{issue_id}", response={200: IssueOut, **READ_ERRORS})
def get_issue(request: AuthedRequest, issue_id: int, response: HttpResponse) -> Any:
    issue = _issue(request, issue_id)
    set_etag(response, issue)
    return issue


@router.patch("/issues/{issue_id}", response={200: IssueOut, **ERRORS})
def update_issue(
    request: AuthedRequest, issue_id: int, payload: IssuePatch, response: HttpResponse
) -> Any:
    issue = _issue(request, issue_id)
    changes = payload.dict(exclude_unset=True)
    version = expected_version(request, changes.pop("version", None))
    if "owner" in changes:
        changes["owner"] = _user(changes["owner"])
    if "component" in changes:
        changes["component"] = _component(issue.program, changes["component"])
    updated = services.update_issue(
        actor=request.user, issue=issue, expected_version=version, **changes
    )
    set_etag(response, updated)
    return selectors.get_issue(issue.program, issue.pk)


@router.delete("/issues/{issue_id}", response={204: None, **ERRORS})
def delete_issue(request: AuthedRequest, issue_id: int) -> Any:
    services.delete_issue(actor=request.user, issue=_issue(request, issue_id))
    return Status(204, None)


@router.post("/issues/{issue_id}/escalate", response={200: IssueOut, **ERRORS})
def escalate_issue(
    request: AuthedRequest, issue_id: int, payload: EscalateIn, response: HttpResponse
) -> Any:
    issue = _issue(request, issue_id)
    updated = services.escalate_issue(
        actor=request.user, issue=issue, reason=payload.reason,
        expected_version=expected_version(request, payload.version),
    )  # fmt: skip
    set_etag(response, updated)
    return selectors.get_issue(issue.program, issue.pk)


# -- estimates ----------------------------------------------------------------------------


def _activity(request: AuthedRequest, pk: int) -> Activity:
    program = _owned(request, Activity, pk)
    return Activity.objects.select_related("program", "component").get(pk=pk, program=program)


@router.get("/programs/{code}/estimates", response={200: list[EstimateOut], **READ_ERRORS})
def list_estimates(request: AuthedRequest, code: str) -> Any:
    return list(selectors.estimate_list(get_program(request.user, code)))


@router.get("/activities/{activity_id}/estimate", response={200: EstimateOut, **READ_ERRORS})
def get_estimate(request: AuthedRequest, activity_id: int, response: HttpResponse) -> Any:
    activity = _activity(request, activity_id)
    estimate = (
        ActivityEstimate.objects.select_related("activity__component")
        .filter(activity=activity)
        .first()
    )
    if estimate is None:
        raise NotFound(f"Activity {activity.code} has no three-point estimate.")
    set_etag(response, estimate)
    return estimate


@router.put("/activities/{activity_id}/estimate", response={200: EstimateOut, **ERRORS})
def put_estimate(
    request: AuthedRequest, activity_id: int, payload: EstimateIn, response: HttpResponse
) -> Any:
    """Create or replace the activity's three-point estimate (working minutes)."""
    activity = _activity(request, activity_id)
    estimate = services.set_estimate(
        actor=request.user, activity=activity, kind=payload.kind,
        optimistic=payload.optimistic, most_likely=payload.most_likely,
        pessimistic=payload.pessimistic,
        expected_version=expected_version(request, payload.version),
    )  # fmt: skip
    set_etag(response, estimate)
    return estimate


@router.delete("/activities/{activity_id}/estimate", response={204: None, **ERRORS})
def delete_estimate(request: AuthedRequest, activity_id: int) -> Any:
    activity = _activity(request, activity_id)
    estimate = ActivityEstimate.objects.filter(activity=activity).first()
    if estimate is None:
        raise NotFound(f"Activity {activity.code} has no three-point estimate.")
    services.delete_estimate(actor=request.user, estimate=estimate)
    return Status(204, None)


# -- correlations -------------------------------------------------------------------------


@router.get("/programs/{code}/correlations", response={200: list[CorrelationOut], **READ_ERRORS})
def list_correlations(request: AuthedRequest, code: str) -> Any:
    return list(selectors.correlation_list(get_program(request.user, code)))


@router.post("/programs/{code}/correlations", response={201: CorrelationOut, **ERRORS})
def create_correlation(
    request: AuthedRequest, code: str, payload: CorrelationIn, response: HttpResponse
) -> Any:
    program = get_program(request.user, code)
    a = _activities(program, [payload.activity_a], "activity_a")[0]
    b = _activities(program, [payload.activity_b], "activity_b")[0]
    corr = services.create_correlation(
        actor=request.user, program=program, a=a, b=b, rho=payload.rho
    )
    set_etag(response, corr)
    return Status(201, selectors.get_correlation(program, corr.pk))


def _correlation(request: AuthedRequest, pk: int) -> DurationCorrelation:
    return selectors.get_correlation(_owned(request, DurationCorrelation, pk), pk)


@router.patch("/correlations/{corr_id}", response={200: CorrelationOut, **ERRORS})
def update_correlation(
    request: AuthedRequest, corr_id: int, payload: CorrelationPatch, response: HttpResponse
) -> Any:
    corr = _correlation(request, corr_id)
    updated = services.update_correlation(
        actor=request.user, correlation=corr, rho=payload.rho,
        expected_version=expected_version(request, payload.version),
    )  # fmt: skip
    set_etag(response, updated)
    return selectors.get_correlation(corr.program, corr.pk)


@router.delete("/correlations/{corr_id}", response={204: None, **ERRORS})
def delete_correlation(request: AuthedRequest, corr_id: int) -> Any:
    services.delete_correlation(actor=request.user, correlation=_correlation(request, corr_id))
    return Status(204, None)

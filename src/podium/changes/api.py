"""API endpoints of change requests: CRUD of drafts and their lines, submit, withdraw,
the impact (computed on request when missing or stale), approve and reject.

Every read starts from the programs the user may see; stakeholders, like non-members,
get 404. Team members and viewers read (403 on writes); money is null for those who may
not see costs.
"""

from typing import Any

from django.db import transaction
from django.http import HttpResponse
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from podium.changes import selectors, services
from podium.changes.access import can_see_cost
from podium.changes.models import ChangeLine, ChangeRequest
from podium.changes.schemas import (
    ChangeDecisionIn,
    ChangeFilter,
    ChangeLineIn,
    ChangeLinePatch,
    ChangeRequestIn,
    ChangeRequestOut,
    ChangeRequestPatch,
    ChangeRequestSummary,
    ChangeStepIn,
    ImpactOut,
)
from podium.core.api import WRITE_ERRORS, ErrorOut, Pages, expected_version, set_etag
from podium.core.errors import ValidationFailed
from podium.core.views import AuthedRequest
from podium.programs.models import Program

__all__ = ["router"]

router = Router(tags=["changes"])

ERRORS = WRITE_ERRORS
READ_ERRORS: dict[int, type[Schema]] = {404: ErrorOut, 422: ErrorOut}


def _request(request: AuthedRequest, pk: int) -> ChangeRequest:
    return selectors.get_change_request_for(request.user, pk)


def _component_ids(program: Program, codes: list[str]) -> list[int]:
    found = {c.code: c.pk for c in program.components.all()}
    missing = [c for c in codes if c.strip().upper() not in found]
    if missing:
        raise ValidationFailed(
            {"components": [f"{program.code} has no component {', '.join(missing)}."]}
        )
    return [found[c.strip().upper()] for c in codes]


def _line_out(line: ChangeLine, position: int, costs: bool) -> dict[str, Any]:
    return {
        "id": line.pk, "position": position, "kind": line.kind,
        "text": selectors.describe_line(line, costs),
        "activity": line.activity_id,
        "new_duration_days": (float(line.new_duration_days)
                              if line.new_duration_days is not None else None),
        "old_duration_minutes": line.old_duration_minutes,
        "predecessor": line.predecessor_id, "successor": line.successor_id,
        "link_type": line.link_type, "lag_days": float(line.lag_days or 0),
        "link": line.link_id,
        "cost_account": line.cost_account.code if line.cost_account else None,
        "amount": float(line.amount) if costs and line.amount is not None else None,
        "deliverable": line.deliverable.code if line.deliverable else None,
        "reason": line.reason, "version": line.version,
    }  # fmt: skip


def _out(request: AuthedRequest, response: HttpResponse, cr: ChangeRequest) -> dict[str, Any]:
    cr = selectors.get_change_request_for(request.user, cr.pk)
    set_etag(response, cr)
    costs = can_see_cost(request.user, cr.program)
    return {
        "id": cr.pk, "program": cr.program.code, "number": cr.number, "code": cr.code,
        "title": cr.title, "description": cr.description, "justification": cr.justification,
        "requested_by": cr.requested_by.username if cr.requested_by else None,
        "components": sorted(cr.components.values_list("code", flat=True)),
        "state": cr.state, "submitted_at": cr.submitted_at, "decided_at": cr.decided_at,
        "decided_by": cr.decided_by.username if cr.decided_by else None,
        "decision": cr.decision.number if cr.decision else None,
        "rejection_reason": cr.rejection_reason,
        "impact_computed_at": cr.impact_computed_at,
        "lines": [_line_out(ln, n, costs)
                  for n, ln in enumerate(selectors.lines_of(cr), start=1)],
        "version": cr.version,
    }  # fmt: skip


def _line_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "version"}


# -- change requests ----------------------------------------------------------------------


@router.get("/programs/{code}/change-requests", response=list[ChangeRequestSummary])
@paginate(Pages, page_size=50)
def list_change_requests(request: AuthedRequest, code: str, filters: Query[ChangeFilter]) -> Any:
    program = selectors.readable_program(request.user, code)
    component = None
    if filters.component:
        found = program.components.filter(code=filters.component.strip().upper()).first()
        component = found.pk if found is not None else -1
    return selectors.change_request_list(
        program, state=filters.state or "", component=component, text=filters.q.strip()
    )


@router.get(
    "/programs/{code}/change-requests/pending",
    response={200: list[ChangeRequestSummary], **READ_ERRORS},
)
def pending_change_requests(request: AuthedRequest, code: str) -> Any:
    """Submitted requests awaiting a decision, oldest first."""
    program = selectors.readable_program(request.user, code)
    return list(selectors.pending_change_requests(program))


@router.post("/programs/{code}/change-requests", response={201: ChangeRequestOut, **ERRORS})
def create_change_request(
    request: AuthedRequest, code: str, payload: ChangeRequestIn, response: HttpResponse
) -> Any:
    """A draft, with its lines if given (all or nothing)."""
    program = selectors.readable_program(request.user, code)
    with transaction.atomic():
        cr = services.create_change_request(
            actor=request.user, program=program, title=payload.title,
            description=payload.description, justification=payload.justification,
            components=_component_ids(program, payload.components),
        )  # fmt: skip
        for line in payload.lines:
            services.add_line(actor=request.user, cr=cr, **line.dict())
    return Status(201, _out(request, response, cr))


@router.get("/change-requests/{cr_id}", response={200: ChangeRequestOut, **READ_ERRORS})
def get_change_request(request: AuthedRequest, cr_id: int, response: HttpResponse) -> Any:
    return _out(request, response, _request(request, cr_id))


@router.patch("/change-requests/{cr_id}", response={200: ChangeRequestOut, **ERRORS})
def update_change_request(
    request: AuthedRequest, cr_id: int, payload: ChangeRequestPatch, response: HttpResponse
) -> Any:
    cr = _request(request, cr_id)
    changes = payload.dict(exclude_unset=True)
    version = expected_version(request, changes.pop("version", None))
    if "components" in changes:
        changes["components"] = _component_ids(cr.program, changes["components"] or [])
    updated = services.update_change_request(
        actor=request.user, cr=cr, expected_version=version, **changes
    )
    return _out(request, response, updated)


@router.delete("/change-requests/{cr_id}", response={204: None, **ERRORS})
def delete_change_request(request: AuthedRequest, cr_id: int) -> Any:
    services.delete_change_request(actor=request.user, cr=_request(request, cr_id))
    return Status(204, None)


# -- lines --------------------------------------------------------------------------------


@router.post("/change-requests/{cr_id}/lines", response={201: ChangeRequestOut, **ERRORS})
def add_change_line(
    request: AuthedRequest, cr_id: int, payload: ChangeLineIn, response: HttpResponse
) -> Any:
    cr = _request(request, cr_id)
    services.add_line(actor=request.user, cr=cr, **payload.dict())
    return Status(201, _out(request, response, cr))


@router.patch("/change-lines/{line_id}", response={200: ChangeRequestOut, **ERRORS})
def update_change_line(
    request: AuthedRequest, line_id: int, payload: ChangeLinePatch, response: HttpResponse
) -> Any:
    line = selectors.get_line_for(request.user, line_id)
    changes = payload.dict(exclude_unset=True)
    version = expected_version(request, changes.get("version"))
    services.update_line(
        actor=request.user, line=line, expected_version=version, **_line_fields(changes)
    )
    return _out(request, response, line.change_request)


@router.delete("/change-lines/{line_id}", response={204: None, **ERRORS})
def delete_change_line(request: AuthedRequest, line_id: int) -> Any:
    services.remove_line(actor=request.user, line=selectors.get_line_for(request.user, line_id))
    return Status(204, None)


# -- workflow -----------------------------------------------------------------------------


@router.post("/change-requests/{cr_id}/submit", response={200: ChangeRequestOut, **ERRORS})
def submit_change_request(
    request: AuthedRequest, cr_id: int, payload: ChangeStepIn, response: HttpResponse
) -> Any:
    """draft → submitted (the lines are checked and the impact computed)."""
    cr = _request(request, cr_id)
    version = expected_version(request, payload.version)
    return _out(request, response,
                services.submit(actor=request.user, cr=cr, expected_version=version))  # fmt: skip


@router.post("/change-requests/{cr_id}/withdraw", response={200: ChangeRequestOut, **ERRORS})
def withdraw_change_request(
    request: AuthedRequest, cr_id: int, payload: ChangeStepIn, response: HttpResponse
) -> Any:
    cr = _request(request, cr_id)
    version = expected_version(request, payload.version)
    updated = services.withdraw(actor=request.user, cr=cr, expected_version=version,
                                reason=payload.reason)  # fmt: skip
    return _out(request, response, updated)


@router.post("/change-requests/{cr_id}/approve", response={200: ChangeRequestOut, **ERRORS})
def approve_change_request(
    request: AuthedRequest, cr_id: int, payload: ChangeDecisionIn, response: HttpResponse
) -> Any:
    """submitted → approved: applies every line in one transaction (program manager)."""
    cr = _request(request, cr_id)
    version = expected_version(request, payload.version)
    updated = services.approve(
        actor=request.user, cr=cr, expected_version=version, rationale=payload.rationale,
        impact_fingerprint=payload.impact_fingerprint,
    )  # fmt: skip
    return _out(request, response, updated)


@router.post("/change-requests/{cr_id}/reject", response={200: ChangeRequestOut, **ERRORS})
def reject_change_request(
    request: AuthedRequest, cr_id: int, payload: ChangeDecisionIn, response: HttpResponse
) -> Any:
    """submitted → rejected with ``rationale`` as the reason (required)."""
    cr = _request(request, cr_id)
    version = expected_version(request, payload.version)
    updated = services.reject(actor=request.user, cr=cr, expected_version=version,
                              reason=payload.rationale)  # fmt: skip
    return _out(request, response, updated)


@router.get("/change-requests/{cr_id}/impact", response={200: ImpactOut, **READ_ERRORS})
def change_request_impact(request: AuthedRequest, cr_id: int, refresh: bool = False) -> Any:
    """The impact: computed now when missing, stale or ``refresh`` is asked (open requests;
    a decided one keeps the impact it was decided on)."""
    cr = _request(request, cr_id)
    impact = services.compute_impact(cr, actor=request.user, force=refresh and cr.is_open)
    data = impact.to_json()
    if not can_see_cost(request.user, cr.program):
        data["cost"] = None
        data["pv_before"] = data["pv_after"] = None
        for benefit in data["benefits"]:
            benefit["value_at_risk"] = None
    data["stale"] = False
    return data

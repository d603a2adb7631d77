"""API endpoints of deliverables (CRUD, the lifecycle steps, evidence, the board, what
waits for my acceptance) and of the components' transition plans.

Every read starts from the programs the user may see (others answer 404). Members see
every deliverable of their programs; a step they may not take answers 403 — for a
stakeholder that is every step except accepting or rejecting the deliverables that name
them as accepting stakeholder.
"""

from typing import Any

from django.http import FileResponse, HttpResponse
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from podium.accounts.models import User
from podium.core.api import WRITE_ERRORS, ErrorOut, Pages, expected_version, set_etag
from podium.core.errors import NotFound, ValidationFailed
from podium.core.views import AuthedRequest
from podium.delivery import selectors, services
from podium.delivery.models import Deliverable, TransitionPlan
from podium.delivery.schemas import (
    BoardOut,
    DeliverableEvidenceOut,
    DeliverableFilter,
    DeliverableIn,
    DeliverableOut,
    DeliverablePatch,
    EventOut,
    ItemIn,
    ItemOut,
    ItemPatch,
    PlanIn,
    PlanOut,
    StepIn,
)
from podium.programs.models import Component, Program
from podium.programs.permissions import get_component, get_program
from podium.schedule.models import Activity

__all__ = ["router"]

router = Router(tags=["delivery"])

ERRORS = WRITE_ERRORS
READ_ERRORS: dict[int, type[Schema]] = {404: ErrorOut}


# -- lookups ------------------------------------------------------------------------------


def _user(username: str | None, field: str) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationFailed({field: [f"No user named {username!r}."]})
    return user


def _component(program: Program, code: str) -> Component:
    component = program.components.filter(code=(code or "").strip().upper()).first()
    if component is None:
        raise ValidationFailed({"component": [f"{program.code} has no component {code!r}."]})
    return component


def _milestone(program: Program, pk: int | None) -> Activity | None:
    if pk is None:
        return None
    activity = Activity.objects.filter(program=program, pk=pk).first()
    if activity is None:
        raise ValidationFailed({"milestone": [f"{program.code} has no activity {pk}."]})
    return activity


def _deliverable(request: AuthedRequest, pk: int) -> Deliverable:
    return selectors.get_deliverable_for(request.user, pk)


def _fields(program: Program, data: dict[str, Any]) -> dict[str, Any]:
    """API fields → service keyword arguments."""
    if "component" in data:
        data["component"] = _component(program, data["component"])
    if "milestone" in data:
        data["milestone"] = _milestone(program, data["milestone"])
    if "accepting_stakeholder" in data:
        data["accepting_stakeholder"] = _user(
            data["accepting_stakeholder"], "accepting_stakeholder"
        )
    return data


def _out(response: HttpResponse, deliverable: Deliverable) -> Deliverable:
    set_etag(response, deliverable)
    return selectors.get_deliverable(deliverable.program, deliverable.pk)


# -- deliverables -------------------------------------------------------------------------


@router.get("/programs/{code}/deliverables", response=list[DeliverableOut])
@paginate(Pages, page_size=50)
def list_deliverables(request: AuthedRequest, code: str, filters: Query[DeliverableFilter]) -> Any:
    program = get_program(request.user, code)
    component = None
    if filters.component:
        found = program.components.filter(code=filters.component.strip().upper()).first()
        component = found.pk if found is not None else -1
    stakeholder = None
    if filters.stakeholder:
        who = User.objects.filter(username=filters.stakeholder).first()
        stakeholder = who.pk if who is not None else -1
    return selectors.deliverable_list(
        program, component=component, status=filters.status or "", stakeholder=stakeholder,
        text=filters.q.strip(),
    )  # fmt: skip


@router.get("/programs/{code}/deliverable-board", response={200: BoardOut, **READ_ERRORS})
def deliverable_board(request: AuthedRequest, code: str, component: str = "") -> Any:
    """Deliverables by status in lifecycle order (at most 60 per column, with totals)."""
    program = get_program(request.user, code)
    comp = _component(program, component).pk if component else None
    board = selectors.board(program, component=comp)
    return {
        "total": board.total,
        "columns": [
            {"status": c.status, "label": c.label, "total": c.total, "deliverables": c.cards}
            for c in board.columns
        ],
    }


@router.post("/programs/{code}/deliverables", response={201: DeliverableOut, **ERRORS})
def create_deliverable(
    request: AuthedRequest, code: str, payload: DeliverableIn, response: HttpResponse
) -> Any:
    program = get_program(request.user, code)
    data = _fields(program, payload.dict())
    deliverable = services.create_deliverable(actor=request.user, program=program, **data)
    return Status(201, _out(response, deliverable))


@router.get("/deliverables/{deliverable_id}", response={200: DeliverableOut, **READ_ERRORS})
def get_deliverable(request: AuthedRequest, deliverable_id: int, response: HttpResponse) -> Any:
    deliverable = _deliverable(request, deliverable_id)
    set_etag(response, deliverable)
    return deliverable


@router.patch("/deliverables/{deliverable_id}", response={200: DeliverableOut, **ERRORS})
def update_deliverable(
    request: AuthedRequest, deliverable_id: int, payload: DeliverablePatch, response: HttpResponse
) -> Any:
    deliverable = _deliverable(request, deliverable_id)
    changes = payload.dict(exclude_unset=True)
    version = expected_version(request, changes.pop("version", None))
    changes = _fields(deliverable.program, changes)
    updated = services.update_deliverable(
        actor=request.user, deliverable=deliverable, expected_version=version, **changes
    )
    return _out(response, updated)


@router.delete("/deliverables/{deliverable_id}", response={204: None, **ERRORS})
def delete_deliverable(request: AuthedRequest, deliverable_id: int) -> Any:
    deliverable = _deliverable(request, deliverable_id)
    services.delete_deliverable(
        actor=request.user, deliverable=deliverable, expected_version=expected_version(request)
    )
    return Status(204, None)


def _step(request: AuthedRequest, deliverable_id: int, payload: StepIn, kind: str) -> Any:
    deliverable = _deliverable(request, deliverable_id)
    version = expected_version(request, payload.version)
    common: dict[str, Any] = {
        "actor": request.user, "deliverable": deliverable, "expected_version": version,
        "comment": payload.comment,
    }  # fmt: skip
    if kind == "start":
        return services.start_production(**common)
    if kind == "deliver":
        return services.mark_delivered(**common)
    if kind == "accept":
        return services.accept_deliverable(**common)
    if kind == "reject":
        return services.reject_deliverable(**common, reason=payload.reason)
    return services.transition_to_operations(**common)


@router.post("/deliverables/{deliverable_id}/start", response={200: DeliverableOut, **ERRORS})
def start_production(
    request: AuthedRequest, deliverable_id: int, payload: StepIn, response: HttpResponse
) -> Any:
    """planned → in production (the component's manager or the program manager)."""
    return _out(response, _step(request, deliverable_id, payload, "start"))


@router.post("/deliverables/{deliverable_id}/deliver", response={200: DeliverableOut, **ERRORS})
def mark_delivered(
    request: AuthedRequest, deliverable_id: int, payload: StepIn, response: HttpResponse
) -> Any:
    """in production → delivered (the component's manager or the program manager)."""
    return _out(response, _step(request, deliverable_id, payload, "deliver"))


@router.post("/deliverables/{deliverable_id}/accept", response={200: DeliverableOut, **ERRORS})
def accept_deliverable(
    request: AuthedRequest, deliverable_id: int, payload: StepIn, response: HttpResponse
) -> Any:
    """delivered → accepted: only the named accepting stakeholder (nobody on their
    behalf). Attach evidence with ``POST /deliverables/{id}/evidence``."""
    return _out(response, _step(request, deliverable_id, payload, "accept"))


@router.post("/deliverables/{deliverable_id}/reject", response={200: DeliverableOut, **ERRORS})
def reject_deliverable(
    request: AuthedRequest, deliverable_id: int, payload: StepIn, response: HttpResponse
) -> Any:
    """delivered → back in production with ``reason`` (required): only the named
    accepting stakeholder."""
    return _out(response, _step(request, deliverable_id, payload, "reject"))


@router.post("/deliverables/{deliverable_id}/transition", response={200: DeliverableOut, **ERRORS})
def transition_deliverable(
    request: AuthedRequest, deliverable_id: int, payload: StepIn, response: HttpResponse
) -> Any:
    """accepted → transitioned to operations (the component's manager or the program
    manager)."""
    return _out(response, _step(request, deliverable_id, payload, "transition"))


@router.get("/deliverables/{deliverable_id}/events", response={200: list[EventOut], **READ_ERRORS})
def deliverable_events(request: AuthedRequest, deliverable_id: int) -> Any:
    """The dated steps, oldest first."""
    return list(selectors.events_of(_deliverable(request, deliverable_id)))


@router.get("/me/acceptances", response=list[DeliverableOut])
@paginate(Pages, page_size=50)
def my_acceptances(request: AuthedRequest, waiting: bool = False) -> Any:
    """Deliverables naming me as accepting stakeholder; ``waiting``: only those
    delivered and waiting for my decision."""
    return selectors.assigned_to(request.user, open_only=waiting)


# -- evidence -----------------------------------------------------------------------------


@router.get(
    "/deliverables/{deliverable_id}/evidence",
    response={200: list[DeliverableEvidenceOut], **READ_ERRORS},
)
def list_evidence(request: AuthedRequest, deliverable_id: int) -> Any:
    return list(selectors.evidence_of(_deliverable(request, deliverable_id)))


@router.post(
    "/deliverables/{deliverable_id}/evidence", response={201: DeliverableEvidenceOut, **ERRORS}
)
def add_evidence(
    request: AuthedRequest,
    deliverable_id: int,
    file: File[UploadedFile | None] = None,
    title: Form[str] = "",
    url: Form[str] = "",
) -> Any:
    """Multipart: a ``file`` (pdf, png, jpg, docx, xlsx, txt, csv; at most 10 MB) or a
    ``url``, with an optional ``title``."""
    deliverable = _deliverable(request, deliverable_id)
    evidence = services.add_evidence(
        actor=request.user, deliverable=deliverable, title=title, file=file, url=url
    )
    return Status(201, evidence)


@router.get("/evidence/{evidence_id}/file", response={200: None, **READ_ERRORS})
def evidence_file(request: AuthedRequest, evidence_id: int) -> Any:
    """Download an evidence file (members of the deliverable's program)."""
    evidence = selectors.get_evidence_for(request.user, evidence_id)
    if not evidence.file:
        raise NotFound(f"Evidence {evidence_id} is a link, not a file.")
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True,
        filename=evidence.file.name.rsplit("/", 1)[-1], content_type=evidence.content_type,
    )  # fmt: skip


# -- transition plans ---------------------------------------------------------------------


def _plan_out(plan: TransitionPlan) -> dict[str, Any]:
    plan = selectors.transition_plan(plan.component) or plan
    return {
        "id": plan.pk,
        "component": plan.component.code,
        "receiving_organization": plan.receiving_organization,
        "receiving_owner": plan.receiving_owner.username if plan.receiving_owner else None,
        "receiving_owner_name": plan.receiving_owner_name,
        "handover_date": plan.handover_date,
        "support_until": plan.support_until,
        "notes": plan.notes,
        "items": list(plan.items.all()),
        "complete": services.transition_complete(plan.component),
        "gaps": services.transition_gaps(plan.component),
        "version": plan.version,
    }


@router.get("/components/{component_id}/transition-plan", response={200: PlanOut, **READ_ERRORS})
def get_transition_plan(request: AuthedRequest, component_id: int, response: HttpResponse) -> Any:
    component = get_component(request.user, component_id)
    plan = selectors.transition_plan(component)
    if plan is None:
        raise NotFound(f"{component.code} has no transition plan yet.")
    set_etag(response, plan)
    return _plan_out(plan)


@router.put("/components/{component_id}/transition-plan", response={200: PlanOut, **ERRORS})
def put_transition_plan(
    request: AuthedRequest, component_id: int, payload: PlanIn, response: HttpResponse
) -> Any:
    """Create or replace the plan's fields (the checklist keeps its items)."""
    component = get_component(request.user, component_id)
    data = payload.dict()
    version = expected_version(request, data.pop("version"))
    data["receiving_owner"] = _user(data["receiving_owner"], "receiving_owner")
    plan = services.save_transition_plan(
        actor=request.user, component=component, expected_version=version, **data
    )
    set_etag(response, plan)
    return _plan_out(plan)


@router.post("/components/{component_id}/transition-plan/items", response={201: ItemOut, **ERRORS})
def add_item(
    request: AuthedRequest, component_id: int, payload: ItemIn, response: HttpResponse
) -> Any:
    component = get_component(request.user, component_id)
    item = services.add_transition_item(
        actor=request.user, component=component, text=payload.text, order=payload.order
    )
    set_etag(response, item)
    return Status(201, item)


@router.patch("/transition-items/{item_id}", response={200: ItemOut, **ERRORS})
def update_item(
    request: AuthedRequest, item_id: int, payload: ItemPatch, response: HttpResponse
) -> Any:
    """Tick (``done: true``), untick, reword or reorder a checklist item."""
    item = selectors.get_item_for(request.user, item_id)
    changes = payload.dict(exclude_unset=True)
    version = expected_version(request, changes.pop("version", None))
    updated = services.update_transition_item(
        actor=request.user, item=item, expected_version=version, **changes
    )
    set_etag(response, updated)
    return updated


@router.delete("/transition-items/{item_id}", response={204: None, **ERRORS})
def delete_item(request: AuthedRequest, item_id: int) -> Any:
    services.delete_transition_item(
        actor=request.user, item=selectors.get_item_for(request.user, item_id)
    )
    return Status(204, None)

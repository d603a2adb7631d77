"""API endpoints of feedback: submit (JSON, or multipart with an attachment), the
scoped list and single items, the triage steps, links to actions, the feedback actions,
the CSV import and the program's service target.

Reads are scoped like the pages: the team sees every item of its programs, a
stakeholder only their own (another person's item answers 404), anonymous items never
name their submitter to anyone else.
"""

from typing import Any

from django.http import HttpResponse
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from podium.accounts.models import User
from podium.core.api import WRITE_ERRORS, ErrorOut, Pages, expected_version, set_etag
from podium.core.errors import NotFound, ValidationFailed
from podium.core.views import AuthedRequest
from podium.feedback import selectors, services
from podium.feedback.access import can_see_submitter, is_team_side
from podium.feedback.models import FeedbackAction, FeedbackItem
from podium.feedback.schemas import (
    DeclineIn,
    FeedbackActionIn,
    FeedbackActionOut,
    FeedbackActionPatch,
    FeedbackFilter,
    FeedbackImportOut,
    FeedbackIn,
    FeedbackOut,
    FeedbackPlanIn,
    FeedbackTargetIn,
    ImplementIn,
    NoteIn,
    TargetOut,
)
from podium.feedback.views_reports import api_router as reports_router
from podium.programs.models import Component, Program
from podium.programs.permissions import can_change_program, get_program, require

__all__ = ["router"]

router = Router(tags=["feedback"])
# Monitoring figures and "you said, we did" reports (podium.feedback.views_reports).
router.add_router("", reports_router)

ERRORS = WRITE_ERRORS
READ_ERRORS: dict[int, type[Schema]] = {404: ErrorOut}


# -- shapes -------------------------------------------------------------------------------


def item_data(viewer: Any, item: FeedbackItem) -> dict[str, Any]:
    """An item as ``viewer`` may see it."""
    shown = can_see_submitter(viewer, item) and item.submitted_by is not None
    team = is_team_side(viewer, item.program)
    history = [
        {"action": e.action, "from_state": e.from_state, "to_state": e.to_state,
         "actor": e.actor.username if e.actor is not None else None, "note": e.note,
         "at": e.created_at}
        for e in selectors.events_of(item)
    ]  # fmt: skip
    return {
        "id": item.pk, "reference": item.reference, "program": item.program.code,
        "component": item.component.code if item.component else None,
        "deliverable": item.deliverable.code if item.deliverable else None,
        "benefit": item.benefit.code if item.benefit else None,
        "submitted_by": item.submitted_by.username if shown and item.submitted_by else None,
        "anonymous": item.anonymous, "group": item.group if team else "",
        "category": item.category, "rating": item.rating, "text": item.text,
        "state": item.state, "declined_reason": item.declined_reason,
        "submitted_at": item.submitted_at, "acknowledged_at": item.acknowledged_at,
        "planned_at": item.planned_at, "implemented_at": item.implemented_at,
        "verified_at": item.verified_at, "closed_at": item.closed_at,
        "declined_at": item.declined_at,
        "overdue": selectors.is_overdue(item) if team else False,
        "actions": [{"id": a.pk, "title": a.title, "status": a.status} for a in item.actions.all()],
        "risk": item.risk_id if team else None,
        "change_request": item.change_request_id if team else None,
        "attachments": [a.name for a in item.attachments.all()],
        "history": history, "version": item.version,
    }  # fmt: skip


def action_data(action: FeedbackAction) -> dict[str, Any]:
    return {
        "id": action.pk, "program": action.program.code, "title": action.title,
        "description": action.description,
        "owner": action.owner.username if action.owner else None,
        "due_date": action.due_date, "status": action.status, "done_at": action.done_at,
        "component": action.component.code if action.component else None,
        "items": sorted(action.items.values_list("pk", flat=True)), "version": action.version,
    }  # fmt: skip


class _Shown:
    """A queryset the paginator slices, each item shaped for the viewer only once it is
    on the page."""

    def __init__(self, qs: Any, viewer: Any) -> None:
        self.qs = qs
        self.viewer = viewer

    def all(self) -> Any:
        return self.qs

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [item_data(self.viewer, i) for i in self.qs[page]]


def _item_out(request: AuthedRequest, item: FeedbackItem, response: HttpResponse) -> Any:
    fresh = selectors.get_item_for(request.user, item.pk)
    set_etag(response, fresh)
    return item_data(request.user, fresh)


# -- lookups ------------------------------------------------------------------------------


def _by_code(program: Program, model: Any, code: str, field: str) -> Any:
    if not code:
        return None
    qs = program.components.all() if model is Component else model.objects.filter(program=program)
    found = qs.filter(code=code.strip().upper()).first()
    if found is None:
        raise ValidationFailed({field: [f"{program.code} has no {field} {code!r}."]})
    return found


def _about(program: Program, component: str, deliverable: str, benefit: str) -> dict[str, Any]:
    from podium.benefits.models import Benefit
    from podium.delivery.models import Deliverable

    return {
        "component": _by_code(program, Component, component, "component"),
        "deliverable": _by_code(program, Deliverable, deliverable, "deliverable"),
        "benefit": _by_code(program, Benefit, benefit, "benefit"),
    }


def _user(username: str | None, field: str) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationFailed({field: [f"No user named {username!r}."]})
    return user


def _item(request: AuthedRequest, pk: int) -> FeedbackItem:
    return selectors.get_item_for(request.user, pk)


def _action(request: AuthedRequest, pk: int) -> FeedbackAction:
    return selectors.get_action_for(request.user, pk)


def _team_program(request: AuthedRequest, code: str) -> Program:
    program = get_program(request.user, code)
    if not is_team_side(request.user, program):
        raise NotFound(f"No feedback actions in {code!r}.")
    return program


# -- items --------------------------------------------------------------------------------


@router.get("/programs/{code}/feedback", response=list[FeedbackOut])
@paginate(Pages, page_size=50)
def list_feedback(request: AuthedRequest, code: str, filters: Query[FeedbackFilter]) -> Any:
    """The items you may read: all of the program's for the team, your own for a
    stakeholder."""
    program = get_program(request.user, code)
    component = None
    if filters.component:
        found = program.components.filter(code=filters.component.strip().upper()).first()
        component = found.pk if found is not None else -1
    qs = selectors.item_list(
        request.user, program, state=filters.state or "", component=component,
        category=filters.category or "", overdue=filters.overdue, text=filters.q.strip(),
        mine=filters.mine,
    ).prefetch_related("actions", "attachments")  # fmt: skip
    return _Shown(qs, request.user)


@router.post("/programs/{code}/feedback", response={201: FeedbackOut, **ERRORS})
def submit_feedback(
    request: AuthedRequest, code: str, payload: FeedbackIn, response: HttpResponse
) -> Any:
    """Give feedback (any member). Attachments: use the multipart endpoint."""
    program = get_program(request.user, code)
    item = services.submit_feedback(
        actor=request.user, program=program, text=payload.text, category=payload.category,
        rating=payload.rating, anonymous=payload.anonymous,
        **_about(program, payload.component, payload.deliverable, payload.benefit),
    )  # fmt: skip
    return Status(201, _item_out(request, item, response))


@router.post("/programs/{code}/feedback/upload", response={201: FeedbackOut, **ERRORS})
def submit_feedback_with_attachment(
    request: AuthedRequest,
    code: str,
    response: HttpResponse,
    text: Form[str] = "",
    category: Form[str] = "other",
    rating: Form[int | None] = None,
    component: Form[str] = "",
    deliverable: Form[str] = "",
    benefit: Form[str] = "",
    anonymous: Form[bool] = False,
    attachment: File[UploadedFile | None] = None,
) -> Any:
    """Give feedback as a multipart form with one attachment (pdf, png, jpg, txt, docx,
    xlsx, csv; at most 5 MB)."""
    program = get_program(request.user, code)
    item = services.submit_feedback(
        actor=request.user, program=program, text=text, category=category, rating=rating,
        anonymous=anonymous, attachments=[attachment] if attachment is not None else [],
        **_about(program, component, deliverable, benefit),
    )  # fmt: skip
    return Status(201, _item_out(request, item, response))


@router.get("/feedback/{item_id}", response={200: FeedbackOut, **READ_ERRORS})
def get_feedback(request: AuthedRequest, item_id: int, response: HttpResponse) -> Any:
    item = _item(request, item_id)
    set_etag(response, item)
    return item_data(request.user, item)


def _note_step(
    request: AuthedRequest, item_id: int, payload: NoteIn, func: Any, response: HttpResponse
) -> Any:
    item = _item(request, item_id)
    updated = func(
        actor=request.user, item=item, expected_version=expected_version(request, payload.version),
        note=payload.note,
    )  # fmt: skip
    return _item_out(request, updated, response)


@router.post("/feedback/{item_id}/acknowledge", response={200: FeedbackOut, **ERRORS})
def acknowledge_feedback(
    request: AuthedRequest, item_id: int, payload: NoteIn, response: HttpResponse
) -> Any:
    """new → acknowledged (program manager; component manager for their component)."""
    return _note_step(request, item_id, payload, services.acknowledge, response)


@router.post("/feedback/{item_id}/plan", response={200: FeedbackOut, **ERRORS})
def plan_feedback(
    request: AuthedRequest, item_id: int, payload: FeedbackPlanIn, response: HttpResponse
) -> Any:
    """acknowledged → planned, linking actions (ids) and/or a risk (id)."""
    from podium.risks.models import Risk

    item = _item(request, item_id)
    actions = []
    for pk in payload.actions:
        action = item.program.feedback_actions.filter(pk=pk).first()
        if action is None:
            raise ValidationFailed({"actions": [f"{item.program.code} has no action {pk}."]})
        actions.append(action)
    risk = None
    if payload.risk is not None:
        risk = Risk.objects.filter(program=item.program, pk=payload.risk).first()
        if risk is None:
            raise ValidationFailed({"risk": [f"{item.program.code} has no risk {payload.risk}."]})
    change_request = None
    if payload.change_request is not None:
        change_request = item.program.change_requests.filter(pk=payload.change_request).first()
        if change_request is None:
            raise ValidationFailed(
                {"change_request": [f"{item.program.code} has no change request "
                                    f"{payload.change_request}."]}
            )  # fmt: skip
    updated = services.plan(
        actor=request.user, item=item, actions=actions, risk=risk,
        change_request=change_request,
        expected_version=expected_version(request, payload.version), note=payload.note,
    )  # fmt: skip
    return _item_out(request, updated, response)


@router.post("/feedback/{item_id}/implement", response={200: FeedbackOut, **ERRORS})
def implement_feedback(
    request: AuthedRequest, item_id: int, payload: ImplementIn, response: HttpResponse
) -> Any:
    """planned → implemented (every linked action done, or ``explicit``)."""
    item = _item(request, item_id)
    updated = services.mark_implemented(
        actor=request.user, item=item, expected_version=expected_version(request, payload.version),
        note=payload.note, explicit=payload.explicit,
    )  # fmt: skip
    return _item_out(request, updated, response)


@router.post("/feedback/{item_id}/verify", response={200: FeedbackOut, **ERRORS})
def verify_feedback(
    request: AuthedRequest, item_id: int, payload: NoteIn, response: HttpResponse
) -> Any:
    """implemented → verified (the submitter; the program manager after ten working days
    without an answer)."""
    return _note_step(request, item_id, payload, services.verify, response)


@router.post("/feedback/{item_id}/not-fixed", response={200: FeedbackOut, **ERRORS})
def not_fixed_feedback(
    request: AuthedRequest, item_id: int, payload: NoteIn, response: HttpResponse
) -> Any:
    """implemented → planned again (the submitter)."""
    return _note_step(request, item_id, payload, services.not_fixed, response)


@router.post("/feedback/{item_id}/close", response={200: FeedbackOut, **ERRORS})
def close_feedback(
    request: AuthedRequest, item_id: int, payload: NoteIn, response: HttpResponse
) -> Any:
    """verified → closed."""
    return _note_step(request, item_id, payload, services.close, response)


@router.post("/feedback/{item_id}/decline", response={200: FeedbackOut, **ERRORS})
def decline_feedback(
    request: AuthedRequest, item_id: int, payload: DeclineIn, response: HttpResponse
) -> Any:
    """new, acknowledged or planned → declined, with the reason (required)."""
    item = _item(request, item_id)
    updated = services.decline(
        actor=request.user, item=item, reason=payload.reason,
        expected_version=expected_version(request, payload.version),
    )  # fmt: skip
    return _item_out(request, updated, response)


@router.put("/feedback/{item_id}/actions/{action_id}", response={200: FeedbackOut, **ERRORS})
def link_feedback_action(
    request: AuthedRequest, item_id: int, action_id: int, response: HttpResponse
) -> Any:
    item = _item(request, item_id)
    action = item.program.feedback_actions.filter(pk=action_id).first()
    if action is None:
        raise NotFound(f"No action {action_id} in {item.program.code}.")
    services.link_action(actor=request.user, item=item, action=action)
    return _item_out(request, item, response)


@router.delete("/feedback/{item_id}/actions/{action_id}", response={200: FeedbackOut, **ERRORS})
def unlink_feedback_action(
    request: AuthedRequest, item_id: int, action_id: int, response: HttpResponse
) -> Any:
    item = _item(request, item_id)
    action = item.program.feedback_actions.filter(pk=action_id).first()
    if action is None:
        raise NotFound(f"No action {action_id} in {item.program.code}.")
    services.unlink_action(actor=request.user, item=item, action=action)
    return _item_out(request, item, response)


@router.post("/programs/{code}/feedback/import", response={201: FeedbackImportOut, **ERRORS})
def import_feedback(request: AuthedRequest, code: str, file: File[UploadedFile]) -> Any:
    """CSV: ``text`` plus optional category, rating, component, deliverable, benefit,
    submitted_by, submitted_at. All rows or none; errors name the line."""
    program = get_program(request.user, code)
    require(can_change_program(request.user, program), f"You may not import into {program.code}.")
    services.check_import_size(file)
    items = services.import_feedback_csv(actor=request.user, program=program, data=file.read())
    return Status(201, {"imported": len(items), "ids": [i.pk for i in items]})


# -- actions ------------------------------------------------------------------------------


def _action_fields(program: Program, data: dict[str, Any]) -> dict[str, Any]:
    if "owner" in data:
        data["owner"] = _user(data["owner"], "owner")
    if "component" in data:
        data["component"] = _by_code(program, Component, data["component"] or "", "component")
    return data


@router.get(
    "/programs/{code}/feedback-actions", response={200: list[FeedbackActionOut], **READ_ERRORS}
)
def list_feedback_actions(request: AuthedRequest, code: str, status: str = "") -> Any:
    program = _team_program(request, code)
    return [action_data(a) for a in selectors.action_list(program, status=status)]


@router.post("/programs/{code}/feedback-actions", response={201: FeedbackActionOut, **ERRORS})
def create_feedback_action(
    request: AuthedRequest, code: str, payload: FeedbackActionIn, response: HttpResponse
) -> Any:
    program = _team_program(request, code)
    action = services.create_action(
        actor=request.user, program=program, **_action_fields(program, payload.dict())
    )
    set_etag(response, action)
    return Status(201, action_data(action))


@router.get("/feedback-actions/{action_id}", response={200: FeedbackActionOut, **READ_ERRORS})
def get_feedback_action(request: AuthedRequest, action_id: int, response: HttpResponse) -> Any:
    action = _action(request, action_id)
    set_etag(response, action)
    return action_data(action)


@router.patch("/feedback-actions/{action_id}", response={200: FeedbackActionOut, **ERRORS})
def update_feedback_action(
    request: AuthedRequest, action_id: int, payload: FeedbackActionPatch, response: HttpResponse
) -> Any:
    """Change an action; ``status: done`` moves the planned items whose actions are all
    done to implemented."""
    action = _action(request, action_id)
    changes = payload.dict(exclude_unset=True)
    version = expected_version(request, changes.pop("version", None))
    updated = services.update_action(
        actor=request.user, action=action, expected_version=version,
        **_action_fields(action.program, changes),
    )  # fmt: skip
    set_etag(response, updated)
    return action_data(updated)


@router.delete("/feedback-actions/{action_id}", response={204: None, **ERRORS})
def delete_feedback_action(request: AuthedRequest, action_id: int) -> Any:
    services.delete_action(actor=request.user, action=_action(request, action_id))
    return Status(204, None)


# -- service target -----------------------------------------------------------------------


@router.get("/programs/{code}/feedback-target", response={200: TargetOut, **READ_ERRORS})
def get_feedback_target(request: AuthedRequest, code: str) -> Any:
    return selectors.target_for(get_program(request.user, code))


@router.put("/programs/{code}/feedback-target", response={200: TargetOut, **ERRORS})
def set_feedback_target(
    request: AuthedRequest, code: str, payload: FeedbackTargetIn, response: HttpResponse
) -> Any:
    program = get_program(request.user, code)
    fields = payload.dict(exclude_unset=True, exclude_none=True)
    version = expected_version(request, fields.pop("version", None))
    target = services.save_service_target(
        actor=request.user, program=program, expected_version=version, **fields
    )
    set_etag(response, target)
    return target

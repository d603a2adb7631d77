"""API of component status updates: list and filter, read, the pre-filled defaults of a
new update, create, change a draft (If-Match), submit, reopen, and the program
manager's overview with the change since the previous update.

Everything outside the caller's programs (and drafts they may not file) answers 404; a
change they may not make 403. Cost ratings and figures only for callers who may see
costs.
"""

from typing import Any

from django.db import transaction
from django.http import HttpResponse
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from podium.core.api import WRITE_ERRORS, ErrorOut, Pages, expected_version, set_etag
from podium.core.errors import PermissionDenied, ValidationFailed
from podium.core.views import AuthedRequest
from podium.programs.models import Component, Program
from podium.programs.permissions import get_program
from podium.updates import access, selectors, services
from podium.updates.figures import for_reader
from podium.updates.models import ComponentUpdate, UpdateStatus
from podium.updates.schemas import (
    OverviewOut,
    PrefillOut,
    ReopenIn,
    UpdateFilter,
    UpdateIn,
    UpdateOut,
    UpdatePatch,
    VersionIn,
)

__all__ = ["router"]

router = Router(tags=["updates"])

READ_ERRORS: dict[int, type[Schema]] = {404: ErrorOut}


def _component(program: Program, code: str) -> Component:
    component = program.components.filter(code=code.strip().upper()).first()
    if component is None:
        raise ValidationFailed({"component": [f"{program.code} has no component {code!r}."]})
    return component


def _out(user: Any, update: ComponentUpdate) -> dict[str, Any]:
    program = update.program
    dims = selectors.dimensions_for(user, program)
    author = update.author
    by = update.submitted_by
    return {
        "id": update.pk,
        "program": program.code,
        "component": update.component.code,
        "period": update.period,
        "week": update.week_label,
        "status": update.status,
        "author": author.username if author is not None else None,
        "submitted_at": update.submitted_at,
        "submitted_by": by.username if by is not None else None,
        "revision": update.revision,
        "ratings": [
            {"dimension": d, "rag": update.rag(d), "reason": update.reason(d)} for d in dims
        ],
        "accomplishments": update.accomplishments,
        "next_steps": update.next_steps,
        "blockers": update.blockers,
        "help_needed": update.help_needed,
        "figures": for_reader(update.figures or {}, user, program),
        "version": update.version,
    }


def _reply(request: AuthedRequest, response: HttpResponse, update: ComponentUpdate) -> Any:
    fresh = selectors.get_update(request.user, update.program, update.pk)
    set_etag(response, fresh)
    return _out(request.user, fresh)


def _no_cost_fields(user: Any, program: Program, data: dict[str, Any]) -> None:
    """A caller who may not see costs may not rate them either."""
    if not access.can_see_costs(user, program) and (
        data.get("cost_rag") or data.get("cost_reason")
    ):
        raise PermissionDenied("You may not rate costs in this program.")


@router.get("/programs/{code}/updates", response=list[UpdateOut])
@paginate(Pages, page_size=50)
def list_component_updates(request: AuthedRequest, code: str, filters: Query[UpdateFilter]) -> Any:
    """Updates you may read, newest period first; filter by component code, period
    ("2026-W48" or a date of the week) and status (draft, submitted)."""
    program = get_program(request.user, code)
    component = _component(program, filters.component) if filters.component else None
    period = selectors.parse_period(filters.period) if filters.period else None
    if filters.period and period is None:
        raise ValidationFailed({"period": ["Give an ISO week (2026-W48) or a date."]})
    if filters.status and filters.status not in UpdateStatus.values:
        raise ValidationFailed({"status": ["Use draft or submitted."]})
    qs = selectors.update_list(
        request.user, program, component=component, period=period, status=filters.status
    )
    return [_out(request.user, u) for u in qs]


@router.get("/programs/{code}/updates/prefill", response={200: PrefillOut, **WRITE_ERRORS})
def prefill_component_update(request: AuthedRequest, code: str, component: str) -> Any:
    """The defaults of a new update of ``component`` for this week: the figures Podium
    knows, the suggested colour per dimension with its rule, last period's next steps
    and blockers."""
    program = get_program(request.user, code)
    comp = _component(program, component)
    if not access.can_file(request.user, comp):
        raise PermissionDenied(f"You may not file status updates for {comp.code}.")
    info = selectors.prefill(request.user, comp)
    previous = info["previous"]
    return {
        "component": comp.code,
        "period": info["period"],
        "week": info["week"],
        "figures": info["figures"],
        "suggested": info["suggested"],
        "defaults": info["initial"],
        "previous_update": previous.pk if previous is not None else None,
        "previous_next_steps": info["previous_next_steps"],
    }


@router.get("/programs/{code}/updates/overview", response={200: OverviewOut, **READ_ERRORS})
def component_updates_overview(request: AuthedRequest, code: str, period: str = "") -> Any:
    """Each component's submitted update of ``period`` (default this week) and the change
    since its previous one: colours (better / worse / same) and figure deltas."""
    program = get_program(request.user, code)
    day = selectors.parse_period(period) if period else None
    if period and day is None:
        raise ValidationFailed({"period": ["Give an ISO week (2026-W48) or a date."]})
    return selectors.overview(request.user, program, day).as_dict()


@router.post("/programs/{code}/updates", response={201: UpdateOut, **WRITE_ERRORS})
def create_component_update(
    request: AuthedRequest, code: str, payload: UpdateIn, response: HttpResponse
) -> Any:
    """A draft update (or a submitted one with ``submit``: true)."""
    program = get_program(request.user, code)
    data = payload.dict()
    component = _component(program, data.pop("component"))
    period = data.pop("period")
    submit = data.pop("submit")
    _no_cost_fields(request.user, program, data)
    with transaction.atomic():
        update = services.create_update(
            actor=request.user, component=component, period=period, **data
        )
        if submit:
            update = services.submit_update(actor=request.user, update=update)
    return Status(201, _reply(request, response, update))


@router.get("/updates/{update_id}", response={200: UpdateOut, **READ_ERRORS})
def get_component_update(request: AuthedRequest, update_id: int, response: HttpResponse) -> Any:
    update = selectors.get_update_for(request.user, update_id)
    set_etag(response, update)
    return _out(request.user, update)


@router.patch("/updates/{update_id}", response={200: UpdateOut, **WRITE_ERRORS})
def change_component_update(
    request: AuthedRequest, update_id: int, payload: UpdatePatch, response: HttpResponse
) -> Any:
    """Change a draft (send its ETag as If-Match)."""
    update = selectors.get_update_for(request.user, update_id)
    data = payload.dict(exclude_unset=True)
    version = expected_version(request, data.pop("version", None))
    _no_cost_fields(request.user, update.program, data)
    updated = services.change_update(
        actor=request.user, update=update, expected_version=version, **data
    )
    return _reply(request, response, updated)


@router.post("/updates/{update_id}/submit", response={200: UpdateOut, **WRITE_ERRORS})
def submit_component_update(
    request: AuthedRequest, update_id: int, response: HttpResponse, payload: VersionIn | None = None
) -> Any:
    """draft → submitted; the program manager is notified."""
    update = selectors.get_update_for(request.user, update_id)
    version = expected_version(request, payload.version if payload else None)
    updated = services.submit_update(actor=request.user, update=update, expected_version=version)
    return _reply(request, response, updated)


@router.post("/updates/{update_id}/reopen", response={200: UpdateOut, **WRITE_ERRORS})
def reopen_component_update(
    request: AuthedRequest, update_id: int, payload: ReopenIn, response: HttpResponse
) -> Any:
    """submitted → draft for a correction (the program manager), with the reason."""
    update = selectors.get_update_for(request.user, update_id)
    updated = services.reopen_update(
        actor=request.user, update=update, note=payload.note,
        expected_version=expected_version(request, payload.version),
    )  # fmt: skip
    return _reply(request, response, updated)

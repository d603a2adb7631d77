"""API of the stakeholder register: stakeholders and their engagement plan items under
``/programs/{code}/stakeholders``, and the power/interest grid.

Members whose only role is stakeholder get 404, like everyone outside the program;
members who may read but not change get 403 on writes.
"""

from typing import Any

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from podium.accounts.models import User
from podium.core.api import WRITE_ERRORS, ErrorOut, Pages, expected_version, set_etag
from podium.core.errors import NotFound, ValidationFailed
from podium.core.views import AuthedRequest
from podium.programs.models import Program
from podium.stakeholders import selectors, services
from podium.stakeholders.access import register_program
from podium.stakeholders.models import EngagementPlanItem, Stakeholder
from podium.stakeholders.schemas import (
    GridOut,
    PlanItemIn,
    PlanItemOut,
    PlanItemPatch,
    StakeholderFilter,
    StakeholderIn,
    StakeholderOut,
    StakeholderPatch,
)

__all__ = ["router"]

router = Router(tags=["stakeholders"])

ERRORS = WRITE_ERRORS
READ_ERRORS: dict[int, type[Schema]] = {404: ErrorOut}


def _user(username: str | None, field: str) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationFailed({field: [f"No user named {username!r}."]})
    return user


def _stakeholder(request: AuthedRequest, code: str, pk: int) -> Stakeholder:
    program = register_program(request.user, code)
    return selectors.get_stakeholder(program, pk)


def _item(request: AuthedRequest, code: str, pk: int, item_id: int) -> EngagementPlanItem:
    stakeholder = _stakeholder(request, code, pk)
    item = stakeholder.plan_items.select_related("owner", "stakeholder__program")
    found = item.filter(pk=item_id).first()
    if found is None:
        raise NotFound(f"No engagement plan item {item_id}.")
    return found


def _people(data: dict[str, Any], field: str) -> dict[str, Any]:
    if field in data:
        data[field] = _user(data[field], field)
    return data


# -- stakeholders -------------------------------------------------------------------------


@router.get("/programs/{code}/stakeholders", response=list[StakeholderOut])
@paginate(Pages, page_size=50)
def list_stakeholders(request: AuthedRequest, code: str, filters: Query[StakeholderFilter]) -> Any:
    program = register_program(request.user, code)
    return selectors.stakeholder_list(
        program, group=filters.group, engagement=filters.engagement, q=filters.q.strip()
    )


@router.get("/programs/{code}/stakeholder-grid", response={200: GridOut, **READ_ERRORS})
def stakeholder_grid(request: AuthedRequest, code: str) -> Any:
    """The power/interest grid: four quadrants with the names in each."""
    program: Program = register_program(request.user, code)
    g = selectors.grid(program)
    return {
        "quadrants": [
            {"key": q.key, "label": q.label, "stakeholders": [s.name for s in q.stakeholders]}
            for q in g.quadrants
        ]
    }


@router.post("/programs/{code}/stakeholders", response={201: StakeholderOut, **ERRORS})
def create_stakeholder(
    request: AuthedRequest, code: str, payload: StakeholderIn, response: HttpResponse
) -> Any:
    program = register_program(request.user, code)
    data = _people(payload.dict(), "user")
    stakeholder = services.create_stakeholder(actor=request.user, program=program, **data)
    set_etag(response, stakeholder)
    return Status(201, stakeholder)


@router.get(
    "/programs/{code}/stakeholders/{stakeholder_id}", response={200: StakeholderOut, **READ_ERRORS}
)
def get_stakeholder(
    request: AuthedRequest, code: str, stakeholder_id: int, response: HttpResponse
) -> Any:
    stakeholder = _stakeholder(request, code, stakeholder_id)
    set_etag(response, stakeholder)
    return stakeholder


@router.patch(
    "/programs/{code}/stakeholders/{stakeholder_id}", response={200: StakeholderOut, **ERRORS}
)
def update_stakeholder(
    request: AuthedRequest,
    code: str,
    stakeholder_id: int,
    payload: StakeholderPatch,
    response: HttpResponse,
) -> Any:
    stakeholder = _stakeholder(request, code, stakeholder_id)
    changes = payload.dict(exclude_unset=True)
    version = expected_version(request, changes.pop("version", None))
    changes = _people(changes, "user")
    updated = services.update_stakeholder(
        actor=request.user, stakeholder=stakeholder, expected_version=version, **changes
    )
    set_etag(response, updated)
    return selectors.get_stakeholder(updated.program, updated.pk)


@router.delete("/programs/{code}/stakeholders/{stakeholder_id}", response={204: None, **ERRORS})
def delete_stakeholder(request: AuthedRequest, code: str, stakeholder_id: int) -> Any:
    stakeholder = _stakeholder(request, code, stakeholder_id)
    services.delete_stakeholder(
        actor=request.user, stakeholder=stakeholder, expected_version=expected_version(request)
    )
    return Status(204, None)


# -- engagement plan items ----------------------------------------------------------------


@router.get(
    "/programs/{code}/stakeholders/{stakeholder_id}/plan",
    response={200: list[PlanItemOut], **READ_ERRORS},
)
def list_plan_items(request: AuthedRequest, code: str, stakeholder_id: int) -> Any:
    return list(selectors.plan_items_of(_stakeholder(request, code, stakeholder_id)))


@router.post(
    "/programs/{code}/stakeholders/{stakeholder_id}/plan", response={201: PlanItemOut, **ERRORS}
)
def add_plan_item(
    request: AuthedRequest,
    code: str,
    stakeholder_id: int,
    payload: PlanItemIn,
    response: HttpResponse,
) -> Any:
    stakeholder = _stakeholder(request, code, stakeholder_id)
    data = _people(payload.dict(), "owner")
    item = services.add_plan_item(actor=request.user, stakeholder=stakeholder, **data)
    set_etag(response, item)
    return Status(201, item)


@router.get(
    "/programs/{code}/stakeholders/{stakeholder_id}/plan/{item_id}",
    response={200: PlanItemOut, **READ_ERRORS},
)
def get_plan_item(
    request: AuthedRequest, code: str, stakeholder_id: int, item_id: int, response: HttpResponse
) -> Any:
    item = _item(request, code, stakeholder_id, item_id)
    set_etag(response, item)
    return item


@router.patch(
    "/programs/{code}/stakeholders/{stakeholder_id}/plan/{item_id}",
    response={200: PlanItemOut, **ERRORS},
)
def update_plan_item(
    request: AuthedRequest,
    code: str,
    stakeholder_id: int,
    item_id: int,
    payload: PlanItemPatch,
    response: HttpResponse,
) -> Any:
    item = _item(request, code, stakeholder_id, item_id)
    changes = payload.dict(exclude_unset=True)
    version = expected_version(request, changes.pop("version", None))
    changes = _people(changes, "owner")
    updated = services.update_plan_item(
        actor=request.user, item=item, expected_version=version, **changes
    )
    set_etag(response, updated)
    return updated


@router.delete(
    "/programs/{code}/stakeholders/{stakeholder_id}/plan/{item_id}",
    response={204: None, **ERRORS},
)
def remove_plan_item(request: AuthedRequest, code: str, stakeholder_id: int, item_id: int) -> Any:
    item = _item(request, code, stakeholder_id, item_id)
    services.remove_plan_item(
        actor=request.user, item=item, expected_version=expected_version(request)
    )
    return Status(204, None)

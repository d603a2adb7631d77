"""API endpoints for the resource pool, assignments and load."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from ninja import Field, Router, Schema, Status

from podium.core.api import ErrorOut, expected_version, set_etag
from podium.core.errors import NotFound
from podium.core.views import AuthedRequest
from podium.programs.permissions import can_see_costs, get_program, visible_programs
from podium.resources import selectors, services
from podium.resources.models import Assignment, Resource
from podium.schedule.selectors import get_activity

router = Router(tags=["resources"])

ERRORS: dict[int, type[Schema]] = {403: ErrorOut, 404: ErrorOut, 412: ErrorOut, 422: ErrorOut}


class ResourceOut(Schema):
    id: int
    code: str
    name: str
    kind: Resource.Kind
    capacity: float
    availability: list[dict[str, Any]]
    standard_rate: Decimal | None = Field(None, description="null unless you may see costs")
    overtime_rate: Decimal | None = None
    cost_per_use: Decimal | None = None
    version: int


class ResourceIn(Schema):
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=200)
    kind: Resource.Kind = Resource.Kind.ROLE
    capacity: float = Field(1.0, gt=0)
    standard_rate: Decimal = Field(Decimal(0), ge=0, max_digits=12, decimal_places=2)
    cost_per_use: Decimal = Field(Decimal(0), ge=0, max_digits=12, decimal_places=2)


class ResourcePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: Resource.Kind | None = None
    capacity: float | None = Field(None, gt=0)
    standard_rate: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    cost_per_use: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    version: int | None = None


class AssignmentOut(Schema):
    id: int
    activity: int
    resource: str
    units: float

    @staticmethod
    def resolve_activity(obj: Any) -> int:
        return int(obj.activity_id)

    @staticmethod
    def resolve_resource(obj: Any) -> str:
        return str(obj.resource.code)


class AssignmentIn(Schema):
    resource: str = Field(..., description="resource code")
    units: float = Field(1.0, gt=0)


class WeekOut(Schema):
    week: dt.date
    peak: float
    capacity: float
    over: bool


class LoadOut(Schema):
    resource: str
    over_days: list[dt.date]
    weeks: list[WeekOut]


def _out(resource: Resource, costs: bool) -> dict[str, Any]:
    data = {
        f: getattr(resource, f)
        for f in ("id", "code", "name", "kind", "capacity", "availability", "version")
    }
    if costs:
        data.update(
            standard_rate=resource.standard_rate,
            overtime_rate=resource.overtime_rate,
            cost_per_use=resource.cost_per_use,
        )
    return data


def _resource(request: AuthedRequest, pk: int) -> Resource:
    resource = (
        Resource.objects.select_related("program")
        .filter(pk=pk, program__in=visible_programs(request.user))
        .first()
    )
    if resource is None:
        raise NotFound(f"No resource {pk}.")
    return resource


@router.get("/programs/{code}/resources", response=list[ResourceOut])
def list_resources(request: AuthedRequest, code: str) -> Any:
    program = get_program(request.user, code)
    costs = can_see_costs(request.user, program)
    return [_out(r, costs) for r in Resource.objects.filter(program=program)]


@router.post("/programs/{code}/resources", response={201: ResourceOut, **ERRORS})
def create_resource(request: AuthedRequest, code: str, payload: ResourceIn) -> Any:
    program = get_program(request.user, code)
    resource = services.create_resource(actor=request.user, program=program, **payload.dict())
    return Status(201, _out(resource, True))


@router.patch("/resources/{resource_id}", response={200: ResourceOut, **ERRORS})
def update_resource(
    request: AuthedRequest, resource_id: int, payload: ResourcePatch, response: HttpResponse
) -> Any:
    resource = _resource(request, resource_id)
    changes = payload.dict(exclude_unset=True)
    version = expected_version(request, changes.pop("version", None))
    updated = services.update_resource(
        actor=request.user, resource=resource, expected_version=version, **changes
    )
    set_etag(response, updated)
    return _out(updated, True)


@router.get("/programs/{code}/resources/load", response=list[LoadOut])
def resource_load(request: AuthedRequest, code: str, weeks: int = 26) -> Any:
    table = selectors.resource_load(get_program(request.user, code), weeks=max(1, min(weeks, 104)))
    return [
        {
            "resource": row.resource.code,
            "over_days": row.over_days,
            "weeks": [
                {"week": w.week, "peak": w.peak, "capacity": w.capacity, "over": w.over}
                for w in row.weeks
            ],
        }
        for row in table.rows
    ]


@router.get("/activities/{activity_id}/assignments", response=list[AssignmentOut])
def list_assignments(request: AuthedRequest, activity_id: int) -> Any:
    return Assignment.objects.filter(
        activity=get_activity(request.user, activity_id)
    ).select_related("resource")


@router.post("/activities/{activity_id}/assignments", response={201: AssignmentOut, **ERRORS})
def add_assignment(request: AuthedRequest, activity_id: int, payload: AssignmentIn) -> Any:
    activity = get_activity(request.user, activity_id)
    resource = Resource.objects.filter(
        program_id=activity.program_id, code=payload.resource.upper()
    ).first()
    if resource is None:
        raise NotFound(f"No resource {payload.resource!r} in {activity.program.code}.")
    assignment = services.assign(
        actor=request.user, activity=activity, resource=resource, units=payload.units
    )
    return Status(201, assignment)


@router.delete("/assignments/{assignment_id}", response={204: None, **ERRORS})
def remove_assignment(request: AuthedRequest, assignment_id: int) -> Any:
    assignment = (
        Assignment.objects.select_related("activity__component", "activity__program")
        .filter(pk=assignment_id, activity__program__in=visible_programs(request.user))
        .first()
    )
    if assignment is None:
        raise NotFound(f"No assignment {assignment_id}.")
    services.unassign(actor=request.user, assignment=assignment)
    return Status(204, None)

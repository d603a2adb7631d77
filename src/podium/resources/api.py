"""API endpoints for the resource pool (a program's and the organisation's), skills,
assignments and load."""

import datetime as dt
from typing import Any

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status

from podium.accounts.models import User
from podium.core.api import ErrorOut, expected_version, set_etag
from podium.core.errors import NotFound, ValidationFailed
from podium.core.views import AuthedRequest
from podium.programs.permissions import can_see_costs, get_program, visible_programs
from podium.resources import selectors, services
from podium.resources.models import Assignment, Resource
from podium.resources.schemas import (
    AssignmentIn,
    AssignmentOut,
    LoadOut,
    PoolFilter,
    PoolLoadOut,
    ResourceIn,
    ResourceOut,
    ResourcePatch,
    Scope,
    SkillLoadOut,
    SkillOut,
)
from podium.schedule.selectors import get_activity

router = Router(tags=["resources"])

ERRORS: dict[int, type[Schema]] = {403: ErrorOut, 404: ErrorOut, 412: ErrorOut, 422: ErrorOut}


def _out(resource: Resource, costs: bool) -> dict[str, Any]:
    data = {
        f: getattr(resource, f)
        for f in ("id", "code", "name", "kind", "capacity", "availability", "version")
    }
    data.update(
        organisation=resource.program_id is None,
        program=resource.program.code if resource.program is not None else None,
        skills=sorted((s.name for s in resource.skills.all()), key=str.lower),
        user=resource.user.username if resource.user is not None else None,
    )
    if costs:
        data.update(
            standard_rate=resource.standard_rate,
            overtime_rate=resource.overtime_rate,
            cost_per_use=resource.cost_per_use,
        )
    return data


def _weeks(weeks: int) -> int:
    return max(1, min(weeks, 104))


def _fields(payload: Schema, **extra: Any) -> dict[str, Any]:
    data = payload.dict(**extra)
    if data.get("availability") is not None:
        data["availability"] = [
            {"start": p["start"].isoformat(), "end": (p.get("end") or p["start"]).isoformat(),
             "units": p["units"]}
            for p in data["availability"]
        ]  # fmt: skip
    if "user" in data:
        data["user"] = _account(data["user"])
    return data


def _account(username: str | None) -> User | None:
    """The account a resource links to, by username (None: no account)."""
    if not username:
        return None
    user = User.objects.filter(username=username.strip()).first()
    if user is None:
        raise ValidationFailed({"user": [f"No user {username!r}."]})
    return user


# -- a program's pool --------------------------------------------------------------------


@router.get("/programs/{code}/resources", response=list[ResourceOut], exclude_unset=True)
def list_resources(
    request: AuthedRequest, code: str, filters: Query[PoolFilter], scope: Scope = "all"
) -> Any:
    """The program's own resources, then the organisation's (``scope`` narrows to one)."""
    program = get_program(request.user, code)
    costs = can_see_costs(request.user, program)
    resources = selectors.pool_list(
        request.user, program, scope=scope, skill=filters.skill, kind=filters.kind,
        text=filters.q,
    )  # fmt: skip
    return [_out(r, costs) for r in resources]


@router.post("/programs/{code}/resources", response={201: ResourceOut, **ERRORS})
def create_resource(request: AuthedRequest, code: str, payload: ResourceIn) -> Any:
    program = get_program(request.user, code)
    resource = services.create_resource(actor=request.user, program=program, **_fields(payload))
    return Status(201, _out(resource, True))


@router.patch("/resources/{resource_id}", response={200: ResourceOut, **ERRORS})
def update_resource(
    request: AuthedRequest, resource_id: int, payload: ResourcePatch, response: HttpResponse
) -> Any:
    """Change a program resource (its program manager) or an organisation resource
    (administrators)."""
    resource = selectors.get_resource(request.user, resource_id)
    changes = _fields(payload, exclude_unset=True)
    version = expected_version(request, changes.pop("version", None))
    updated = services.update_resource(
        actor=request.user, resource=resource, expected_version=version, **changes
    )
    set_etag(response, updated)
    return _out(updated, True)


@router.get("/programs/{code}/resources/load", response=list[LoadOut])
def resource_load(request: AuthedRequest, code: str, weeks: int = 26) -> Any:
    """Load per resource and week; an organisation resource counts every program's work,
    ``other`` being the other programs' part."""
    table = selectors.resource_load(get_program(request.user, code), weeks=_weeks(weeks))
    return [
        {
            "resource": row.resource.code,
            "organisation": row.resource.program_id is None,
            "over_days": row.over_days,
            "weeks": [
                dict(week=w.week, peak=w.peak, capacity=w.capacity, over=w.over, other=w.other)
                for w in row.weeks
            ],
        }
        for row in table.rows
    ]


@router.get("/programs/{code}/resources/skills", response=list[SkillLoadOut])
def skill_capacity(
    request: AuthedRequest, code: str, weeks: int = 12, first_week: dt.date | None = None
) -> Any:
    """Capacity against demand per skill and week, in unit-days (person-days)."""
    program = get_program(request.user, code)
    if first_week is not None:
        first_week -= dt.timedelta(days=first_week.weekday())
    rows = selectors.skill_capacity(program, first_week=first_week, weeks=_weeks(weeks))
    return [
        {
            "skill": s.skill,
            "resources": s.resources,
            "weeks": [
                dict(
                    week=w.week,
                    capacity=w.capacity,
                    demand=w.demand,
                    other_programs=w.other,
                    free=w.free,
                    over=w.over,
                )
                for w in s.weeks
            ],
        }
        for s in rows
    ]


# -- the organisation pool -------------------------------------------------------------


def _require_pool(request: AuthedRequest) -> None:
    if not selectors.can_see_pool(request.user):
        raise NotFound("No organisation pool here.")


@router.get("/pool/resources", response={200: list[ResourceOut], 404: ErrorOut}, exclude_unset=True)
def list_pool(request: AuthedRequest, filters: Query[PoolFilter]) -> Any:
    """The organisation pool (every program member sees it), filtered."""
    _require_pool(request)
    costs = selectors.can_see_pool_costs(request.user)
    resources = selectors.pool_list(
        request.user, skill=filters.skill, kind=filters.kind, text=filters.q
    )
    return [_out(r, costs) for r in resources]


@router.post("/pool/resources", response={201: ResourceOut, **ERRORS})
def create_pool_resource(request: AuthedRequest, payload: ResourceIn) -> Any:
    """Add an organisation resource (administrators)."""
    _require_pool(request)
    resource = services.create_resource(actor=request.user, program=None, **_fields(payload))
    return Status(201, _out(resource, True))


@router.get(
    "/pool/resources/{resource_id}",
    response={200: ResourceOut, 404: ErrorOut},
    exclude_unset=True,
)
def get_pool_resource(request: AuthedRequest, resource_id: int, response: HttpResponse) -> Any:
    resource = selectors.get_resource(request.user, resource_id, organisation=True)
    set_etag(response, resource)
    return _out(resource, selectors.can_see_pool_costs(request.user))


@router.get("/pool/resources/{resource_id}/load", response={200: PoolLoadOut, 404: ErrorOut})
def pool_resource_load(
    request: AuthedRequest, resource_id: int, weeks: int = 26, first_week: dt.date | None = None
) -> Any:
    """Load of an organisation resource across programs: the programs you can see one by
    one (with their assignments), all others as one "other programs" figure."""
    resource = selectors.get_resource(request.user, resource_id, organisation=True)
    if first_week is not None:
        first_week -= dt.timedelta(days=first_week.weekday())
    load = selectors.pool_resource_load(
        request.user, resource, first_week=first_week, weeks=_weeks(weeks)
    )
    return {
        "resource": resource.code,
        "over_days": load.over_days,
        "weeks": [
            dict(
                week=w.week,
                capacity=w.capacity,
                peak=w.peak,
                over=w.over,
                programs=w.programs,
                other_programs=w.other,
            )
            for w in load.weeks
        ],
        "assignments": [vars(a) for a in load.assignments],
    }


@router.get("/pool/skills", response={200: list[SkillOut], 404: ErrorOut})
def list_skills(request: AuthedRequest) -> Any:
    _require_pool(request)
    return selectors.skills()


# -- assignments ---------------------------------------------------------------------------


@router.get("/activities/{activity_id}/assignments", response=list[AssignmentOut])
def list_assignments(request: AuthedRequest, activity_id: int) -> Any:
    return Assignment.objects.filter(
        activity=get_activity(request.user, activity_id)
    ).select_related("resource")


def _staffable(request: AuthedRequest, program_id: int, payload: AssignmentIn) -> Resource:
    """The resource an assignment names: by id, or by code (the program's first, then the
    organisation's); only resources of the activity's program or the organisation."""
    pool = Resource.objects.filter(program_id=program_id)
    if selectors.can_see_pool(request.user):
        pool = pool | Resource.objects.filter(program__isnull=True)
    if payload.resource_id is not None:
        found = pool.filter(pk=payload.resource_id).first()
    elif payload.resource:
        code = payload.resource.strip().upper()
        matches = sorted(pool.filter(code=code), key=lambda r: r.program_id is None)
        found = matches[0] if matches else None
    else:
        raise ValidationFailed({"resource": ["Give the resource's code or id."]})
    if found is None:
        raise NotFound(f"No resource {payload.resource or payload.resource_id!r} to staff with.")
    return found


@router.post("/activities/{activity_id}/assignments", response={201: AssignmentOut, **ERRORS})
def add_assignment(request: AuthedRequest, activity_id: int, payload: AssignmentIn) -> Any:
    activity = get_activity(request.user, activity_id)
    resource = _staffable(request, activity.program_id, payload)
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

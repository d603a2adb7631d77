"""API endpoints for programs, goals, components, memberships, history and exports."""

from typing import Any

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from podium.accounts.models import User
from podium.core.api import WRITE_ERRORS, ErrorOut, Pages, expected_version, set_etag
from podium.core.audit import history_for, record
from podium.core.errors import NotFound, ValidationFailed
from podium.core.jobs import start_job
from podium.core.models import AuditRecord, Job
from podium.core.views import AuthedRequest
from podium.programs import selectors, services
from podium.programs.models import Component, Goal, Membership, Program
from podium.programs.permissions import (
    can_change_program,
    get_component,
    get_program,
    require,
    visible_programs,
)
from podium.programs.schemas import (
    AuditOut,
    ComponentIn,
    ComponentOut,
    ComponentPatch,
    GoalIn,
    GoalOut,
    JobOut,
    MembershipIn,
    MembershipOut,
    MembershipPatch,
    ProgramIn,
    ProgramOut,
    ProgramPatch,
    TransitionIn,
)

router = Router(tags=["programs"])

ERRORS = WRITE_ERRORS


class ProgramFilter(Schema):
    q: str = ""
    phase: str = ""
    stage: str = ""
    sort: str = "code"


class ComponentFilter(Schema):
    q: str = ""
    status: str = ""
    kind: str = ""
    sort: str = "code"


def _user(username: str | None, field: str) -> User | None:
    if username is None:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationFailed({field: [f"No user named {username!r}."]})
    return user


def _people(data: dict[str, Any]) -> dict[str, Any]:
    for field in ("manager", "sponsor"):
        if field in data:
            data[field] = _user(data[field], field)
    return data


def _membership(request: AuthedRequest, pk: int) -> Membership:
    membership = (
        Membership.objects.select_related("program", "user")
        .filter(pk=pk, program__in=visible_programs(request.user))
        .first()
    )
    if membership is None:
        raise NotFound(f"No membership {pk}.")
    return membership


# -- programs ---------------------------------------------------------------------------


@router.get("/programs", response=list[ProgramOut])
@paginate(Pages, page_size=50)
def list_programs(request: AuthedRequest, filters: Query[ProgramFilter]) -> Any:
    return selectors.program_list(request.user, **filters.dict())


@router.post("/programs", response={201: ProgramOut, **ERRORS})
def create_program(request: AuthedRequest, payload: ProgramIn, response: HttpResponse) -> Any:
    data = _people(payload.dict())
    program = services.create_program(actor=request.user, **data)
    set_etag(response, program)
    return Status(201, program)


@router.get("/programs/{code}", response={200: ProgramOut, 404: ErrorOut})
def get_program_detail(request: AuthedRequest, code: str, response: HttpResponse) -> Any:
    program = get_program(request.user, code)
    set_etag(response, program)
    return program


@router.patch("/programs/{code}", response={200: ProgramOut, **ERRORS})
def update_program(
    request: AuthedRequest, code: str, payload: ProgramPatch, response: HttpResponse
) -> Any:
    program = get_program(request.user, code)
    changes = _people(payload.dict(exclude_unset=True))
    version = expected_version(request, changes.pop("version", None))
    program = services.update_program(
        actor=request.user, program=program, expected_version=version, **changes
    )
    set_etag(response, program)
    return program


@router.post("/programs/{code}/transitions", response={200: ProgramOut, **ERRORS})
def transition_program(
    request: AuthedRequest, code: str, payload: TransitionIn, response: HttpResponse
) -> Any:
    program = get_program(request.user, code)
    program = services.transition_program(
        actor=request.user,
        program=program,
        target=payload.target,
        reason=payload.reason,
        expected_version=expected_version(request),
    )
    set_etag(response, program)
    return program


@router.get("/programs/{code}/history", response=list[AuditOut])
@paginate(Pages, page_size=50)
def program_history(request: AuthedRequest, code: str) -> Any:
    return selectors.program_history(get_program(request.user, code), request.user)


# -- goals ------------------------------------------------------------------------------


@router.get("/programs/{code}/goals", response=list[GoalOut])
def list_goals(request: AuthedRequest, code: str) -> Any:
    return get_program(request.user, code).goals.all()


@router.post("/programs/{code}/goals", response={201: GoalOut, **ERRORS})
def add_goal(request: AuthedRequest, code: str, payload: GoalIn) -> Any:
    program = get_program(request.user, code)
    return Status(201, services.add_goal(actor=request.user, program=program, **payload.dict()))


@router.delete("/programs/{code}/goals/{goal_id}", response={204: None, **ERRORS})
def delete_goal(request: AuthedRequest, code: str, goal_id: int) -> Any:
    program = get_program(request.user, code)
    goal = Goal.objects.filter(program=program, pk=goal_id).select_related("program").first()
    if goal is None:
        raise NotFound(f"No goal {goal_id}.")
    services.delete_goal(actor=request.user, goal=goal)
    return Status(204, None)


# -- components -------------------------------------------------------------------------


@router.get("/programs/{code}/components", response=list[ComponentOut])
@paginate(Pages, page_size=50)
def list_components(request: AuthedRequest, code: str, filters: Query[ComponentFilter]) -> Any:
    return selectors.component_list(get_program(request.user, code), **filters.dict())


@router.post("/programs/{code}/components", response={201: ComponentOut, **ERRORS})
def create_component(
    request: AuthedRequest, code: str, payload: ComponentIn, response: HttpResponse
) -> Any:
    program = get_program(request.user, code)
    data = _people(payload.dict())
    component = services.create_component(actor=request.user, program=program, **data)
    set_etag(response, component)
    return Status(201, component)


@router.get("/components/{component_id}", response={200: ComponentOut, 404: ErrorOut})
def get_component_detail(request: AuthedRequest, component_id: int, response: HttpResponse) -> Any:
    component = get_component(request.user, component_id)
    set_etag(response, component)
    return component


@router.patch("/components/{component_id}", response={200: ComponentOut, **ERRORS})
def update_component(
    request: AuthedRequest, component_id: int, payload: ComponentPatch, response: HttpResponse
) -> Any:
    component = get_component(request.user, component_id)
    changes = _people(payload.dict(exclude_unset=True))
    version = expected_version(request, changes.pop("version", None))
    component = services.update_component(
        actor=request.user, component=component, expected_version=version, **changes
    )
    set_etag(response, component)
    return component


@router.post("/components/{component_id}/transitions", response={200: ComponentOut, **ERRORS})
def transition_component(
    request: AuthedRequest, component_id: int, payload: TransitionIn, response: HttpResponse
) -> Any:
    component = get_component(request.user, component_id)
    component = services.transition_component(
        actor=request.user,
        component=component,
        target=payload.target,
        reason=payload.reason,
        expected_version=expected_version(request),
    )
    set_etag(response, component)
    return component


@router.get("/components/{component_id}/history", response=list[AuditOut])
@paginate(Pages, page_size=50)
def component_history(request: AuthedRequest, component_id: int) -> Any:
    return history_for(get_component(request.user, component_id))


# -- memberships ------------------------------------------------------------------------


@router.get("/programs/{code}/members", response=list[MembershipOut])
@paginate(Pages, page_size=100)
def list_members(request: AuthedRequest, code: str, role: str = "") -> Any:
    return selectors.member_list(get_program(request.user, code), role=role)


@router.post("/programs/{code}/members", response={201: MembershipOut, **ERRORS})
def add_member(request: AuthedRequest, code: str, payload: MembershipIn) -> Any:
    program = get_program(request.user, code)
    user = _user(payload.user, "user")
    assert user is not None
    return Status(
        201, services.add_member(actor=request.user, program=program, user=user, role=payload.role)
    )


@router.patch("/memberships/{membership_id}", response={200: MembershipOut, **ERRORS})
def change_member_role(
    request: AuthedRequest, membership_id: int, payload: MembershipPatch, response: HttpResponse
) -> Any:
    membership = _membership(request, membership_id)
    updated = services.change_member_role(
        actor=request.user,
        membership=membership,
        role=payload.role,
        expected_version=expected_version(request, payload.version),
    )
    set_etag(response, updated)
    return updated


@router.delete("/memberships/{membership_id}", response={204: None, **ERRORS})
def remove_member(request: AuthedRequest, membership_id: int) -> Any:
    services.remove_member(actor=request.user, membership=_membership(request, membership_id))
    return Status(204, None)


# -- exports and jobs -------------------------------------------------------------------


@router.post("/programs/{code}/exports", response={202: JobOut, **ERRORS}, tags=["jobs"])
def export_program(request: AuthedRequest, code: str) -> Any:
    """Start a background export of the whole program as Podium JSON; poll the job."""
    program = get_program(request.user, code)
    require(can_change_program(request.user, program), "Only the program manager can export.")
    job = start_job(
        "programs.export_json",
        user=request.user,
        params={"program_id": program.pk},
        program_id=program.pk,
    )
    # the whole program leaves the server: who asked for it stays on record
    record(user=request.user, action="create", obj=job, before=None,
           after={"kind": job.kind, "program": program.code}, program_id=program.pk,
           note="program export started")  # fmt: skip
    return Status(202, job)


@router.get("/jobs/{job_id}", response={200: JobOut, 404: ErrorOut}, tags=["jobs"])
def get_job(request: AuthedRequest, job_id: int) -> Any:
    user = request.user
    jobs = Job.objects.all()
    if not getattr(user, "is_administrator", False):
        jobs = jobs.filter(created_by=user)
    job = jobs.filter(pk=job_id).first()
    if job is None:
        raise NotFound(f"No job {job_id}.")
    return job


__all__ = ["AuditRecord", "Component", "Program", "router"]

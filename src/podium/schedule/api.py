"""API endpoints for schedules: activities, recomputation, baselines, variance."""

import datetime as dt
from typing import Any

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from podium.core.api import ErrorOut, Pages, expected_version, set_etag
from podium.core.errors import NotFound
from podium.core.schemas import WallClock
from podium.core.views import AuthedRequest
from podium.programs.permissions import get_program
from podium.schedule import selectors, services
from podium.schedule.models import Activity, Baseline
from podium.schedule.wall import to_wall

router = Router(tags=["schedule"])

ERRORS: dict[int, type[Schema]] = {403: ErrorOut, 404: ErrorOut, 412: ErrorOut, 422: ErrorOut}


class ActivityOut(Schema):
    id: int
    component: str
    code: str
    name: str
    kind: str
    duration_minutes: int
    constraint_type: str
    constraint_date: WallClock | None
    actual_start: WallClock | None
    actual_finish: WallClock | None
    percent_complete: float | None
    start: WallClock | None
    finish: WallClock | None
    early_start: WallClock | None
    early_finish: WallClock | None
    late_start: WallClock | None
    late_finish: WallClock | None
    total_float_minutes: int | None
    free_float_minutes: int | None
    critical: bool
    leveling_priority: int
    version: int

    @staticmethod
    def resolve_component(obj: Any) -> str:
        return str(obj.component.code)

    # Schedule dates are wall-clock times of the activity's calendar, without a zone.
    @staticmethod
    def resolve_start(obj: Any) -> dt.datetime | None:
        return to_wall(obj.start)

    @staticmethod
    def resolve_finish(obj: Any) -> dt.datetime | None:
        return to_wall(obj.finish)

    @staticmethod
    def resolve_early_start(obj: Any) -> dt.datetime | None:
        return to_wall(obj.early_start)

    @staticmethod
    def resolve_early_finish(obj: Any) -> dt.datetime | None:
        return to_wall(obj.early_finish)

    @staticmethod
    def resolve_late_start(obj: Any) -> dt.datetime | None:
        return to_wall(obj.late_start)

    @staticmethod
    def resolve_late_finish(obj: Any) -> dt.datetime | None:
        return to_wall(obj.late_finish)

    @staticmethod
    def resolve_constraint_date(obj: Any) -> dt.datetime | None:
        return to_wall(obj.constraint_date)

    @staticmethod
    def resolve_actual_start(obj: Any) -> dt.datetime | None:
        return to_wall(obj.actual_start)

    @staticmethod
    def resolve_actual_finish(obj: Any) -> dt.datetime | None:
        return to_wall(obj.actual_finish)


class ActivityPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=300)
    duration_minutes: int | None = Field(None, ge=0)
    constraint_type: Activity.Constraint | None = None
    constraint_date: dt.datetime | None = None
    deadline: dt.datetime | None = None
    actual_start: dt.datetime | None = None
    actual_finish: dt.datetime | None = None
    remaining_minutes: int | None = Field(None, ge=0)
    percent_complete: float | None = Field(None, ge=0, le=100)
    leveling_priority: int | None = Field(None, ge=0, le=1000)
    version: int | None = None


class ActivityFilter(Schema):
    component: int | None = None
    critical: bool = False
    q: str = ""


class ScheduleOut(Schema):
    finish: WallClock | None
    data_date: WallClock | None
    computed_at: dt.datetime | None
    activities: int

    @staticmethod
    def resolve_finish(obj: Any) -> dt.datetime | None:
        return to_wall(obj.finish)

    @staticmethod
    def resolve_data_date(obj: Any) -> dt.datetime | None:
        return to_wall(obj.data_date)

    @staticmethod
    def resolve_activities(obj: Any) -> int:
        return int(obj.program.activities.count())


class BaselineIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    component: int | None = None


class BaselineOut(Schema):
    id: int
    name: str
    component: str | None
    created_at: dt.datetime

    @staticmethod
    def resolve_component(obj: Any) -> str | None:
        return obj.component.code if obj.component else None


class VarianceOut(Schema):
    activity: int
    code: str
    name: str
    start: WallClock | None
    finish: WallClock | None
    baseline_start: WallClock | None
    baseline_finish: WallClock | None
    start_variance_days: float | None
    finish_variance_days: float | None


@router.get("/programs/{code}/activities", response=list[ActivityOut])
@paginate(Pages, page_size=100)
def list_activities(request: AuthedRequest, code: str, filters: Query[ActivityFilter]) -> Any:
    return selectors.activity_list(get_program(request.user, code), **filters.dict())


@router.get("/activities/{activity_id}", response={200: ActivityOut, 404: ErrorOut})
def get_activity(request: AuthedRequest, activity_id: int, response: HttpResponse) -> Any:
    activity = selectors.get_activity(request.user, activity_id)
    set_etag(response, activity)
    return activity


@router.patch("/activities/{activity_id}", response={200: ActivityOut, **ERRORS})
def update_activity(
    request: AuthedRequest, activity_id: int, payload: ActivityPatch, response: HttpResponse
) -> Any:
    activity = selectors.get_activity(request.user, activity_id)
    changes = payload.dict(exclude_unset=True)
    version = expected_version(request, changes.pop("version", None))
    for key in ("constraint_date", "deadline", "actual_start", "actual_finish"):
        if changes.get(key) is not None:
            changes[key] = changes[key].replace(tzinfo=None)
    updated = services.update_activity(
        actor=request.user, activity=activity, expected_version=version, **changes
    )
    set_etag(response, updated)
    return updated


@router.post("/programs/{code}/schedule/compute", response={200: ScheduleOut, **ERRORS})
def compute(request: AuthedRequest, code: str) -> Any:
    return services.recompute(actor=request.user, program=get_program(request.user, code))


@router.get("/programs/{code}/baselines", response=list[BaselineOut])
def list_baselines(request: AuthedRequest, code: str) -> Any:
    return Baseline.objects.filter(program=get_program(request.user, code)).select_related(
        "component"
    )


@router.post("/programs/{code}/baselines", response={201: BaselineOut, **ERRORS})
def create_baseline(request: AuthedRequest, code: str, payload: BaselineIn) -> Any:
    program = get_program(request.user, code)
    component = None
    if payload.component is not None:
        component = program.components.filter(pk=payload.component).first()
        if component is None:
            raise NotFound(f"No component {payload.component}.")
    baseline = services.save_baseline(
        actor=request.user, program=program, name=payload.name, component=component
    )
    return Status(201, baseline)


@router.get("/programs/{code}/baselines/{baseline_id}/variance", response=list[VarianceOut])
@paginate(Pages, page_size=100)
def baseline_variance(request: AuthedRequest, code: str, baseline_id: int) -> Any:
    program = get_program(request.user, code)
    baseline = Baseline.objects.filter(program=program, pk=baseline_id).first()
    if baseline is None:
        raise NotFound(f"No baseline {baseline_id}.")
    entries = baseline.entries.values_list("activity_id", flat=True)
    activities = list(selectors.activity_list(program).filter(pk__in=entries))
    return [
        {
            "activity": v.activity.pk,
            "code": v.activity.code,
            "name": v.activity.name,
            "start": to_wall(v.activity.start),
            "finish": to_wall(v.activity.finish),
            "baseline_start": to_wall(v.baseline_start),
            "baseline_finish": to_wall(v.baseline_finish),
            "start_variance_days": v.start_variance_days,
            "finish_variance_days": v.finish_variance_days,
        }
        for v in selectors.variance(baseline, activities)
    ]


# The program Gantt (podium.schedule.api_gantt) under the same /api/v1/ prefix.
router.add_router("", "podium.schedule.api_gantt.router")

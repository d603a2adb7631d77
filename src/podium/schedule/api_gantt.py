"""The program Gantt's data over the API (the Gantt page reloads it after a filter or an
edit). The answer is the compact payload of :func:`podium.schedule.gantt.gantt_payload`,
written straight to JSON: 10,000 rows are not worth validating one by one."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from ninja import Query, Router, Schema

from podium.core.api import ErrorOut
from podium.core.views import AuthedRequest
from podium.programs.permissions import get_program
from podium.schedule.gantt import GanttFilters, gantt_payload

__all__ = ["GanttQuery", "dumps", "router"]

router = Router(tags=["schedule"])


class GanttQuery(Schema):
    component: int | None = None
    resource: int | None = None


class GanttOut(Schema):
    """See :mod:`podium.schedule.gantt` for the meaning of every field."""

    origin: str
    columns: list[str]
    rows: list[list[Any]]
    links: list[list[int]]
    link_types: list[str]
    components: list[list[Any]]
    all_components: list[list[Any]]
    resources: list[list[Any]]
    baselines: list[str]
    data_date: int | None
    today: int
    filters: dict[str, int | None]


def dumps(payload: dict[str, Any]) -> str:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


@router.get("/programs/{code}/gantt", response={200: GanttOut, 404: ErrorOut})
def program_gantt(request: AuthedRequest, code: str, filters: Query[GanttQuery]) -> Any:
    """Every activity of the program in WBS order, with links and baseline dates."""
    program = get_program(request.user, code)
    payload = gantt_payload(
        request.user, program, GanttFilters(filters.component, filters.resource)
    )
    return HttpResponse(dumps(payload), content_type="application/json")

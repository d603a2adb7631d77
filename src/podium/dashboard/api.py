"""API of the program dashboard: every dimension's colour with its rule, as the page
shows it to the caller (cost figures only for those who may see costs)."""

import json
from dataclasses import asdict
from typing import Any

from django.http import HttpResponse
from ninja import Router, Schema

from podium.core.api import ErrorOut
from podium.core.views import AuthedRequest
from podium.dashboard import selectors
from podium.dashboard.schemas import DashboardOut
from podium.programs.models import Program
from podium.programs.permissions import get_program

__all__ = ["router"]

router = Router(tags=["dashboard"])

READ_ERRORS: dict[int, type[Schema]] = {404: ErrorOut}


@router.get("/programs/{code}/dashboard", response={200: DashboardOut, **READ_ERRORS})
def program_dashboard(request: AuthedRequest, code: str) -> Any:
    """The program's status: six dimensions (green, amber, red; grey without data or
    when the role may not see it), key milestones, top five open risks, overdue
    feedback and actions, next gates and the milestone trend."""
    program = get_program(request.user, code)
    # the JSON itself is cached (see selectors.cached_status): on a large program,
    # checking and encoding a thousand milestones costs more than reading the cache
    key = selectors.status_key(program, request.user)
    body = selectors.cached(key + ":json", lambda: _dashboard_json(program, request.user, key))
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def _dashboard_json(program: Program, user: Any, key: str) -> bytes:
    status = selectors.cached_status(program, user, key=key)
    data = {
        "program": program.code,
        "today": status.today,
        "dimensions": [d.as_dict() for d in status.dimensions],
        "milestones": [asdict(m) for m in status.milestones],
        "top_risks": [asdict(r) for r in status.top_risks],
        "overdue_feedback": status.overdue_feedback,
        "overdue_actions": [asdict(a) for a in status.overdue_actions],
        "next_gates": [asdict(g) for g in status.next_gates],
        "milestone_trend": selectors.cached_milestone_trend(program),
    }
    out = DashboardOut.model_validate(data).model_dump(mode="json")
    return json.dumps(out, ensure_ascii=False, separators=(",", ":")).encode()

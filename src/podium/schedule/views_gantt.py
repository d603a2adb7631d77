"""The program Gantt page: a canvas drawn by static/podium/gantt.js from the payload of
:func:`podium.schedule.gantt.gantt_payload`, embedded in the page as JSON."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe

from podium.core.views import AuthedRequest, page
from podium.programs.permissions import get_program
from podium.schedule.api_gantt import dumps
from podium.schedule.gantt import GanttFilters, gantt_payload

__all__ = ["program_gantt"]

# What Django's json_script escapes, so the JSON cannot close its <script> element.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _as_script_json(payload: dict[str, object]) -> SafeString:
    return mark_safe(dumps(payload).translate(_ESCAPES))  # noqa: S308  (escaped above)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@page
def program_gantt(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    filters = GanttFilters(_int(request.GET.get("component")), _int(request.GET.get("resource")))
    payload = gantt_payload(request.user, program, filters)
    return render(
        request,
        "schedule/gantt.html",
        {
            "program": program,
            "payload_json": _as_script_json(payload),
            "components": payload["all_components"],
            "resources": payload["resources"],
            "filters": filters,
            "empty": not payload["rows"],
            "activities": sum(1 for r in payload["rows"] if r[0] > 0),
        },
    )

"""The program's Dashboard (six RAG tiles, milestone trend, top risks, overdue work,
next gates) and Roadmap (components as lanes on one timeline) pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from podium.core.views import AuthedRequest, page
from podium.dashboard import selectors
from podium.dashboard.svg import layout
from podium.programs.models import Program
from podium.programs.permissions import can_see_costs, get_program


@login_required
@page
def dashboard(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    # The page's body holds nothing personal beyond what the status key tells apart
    # (what the viewer may see), so it is rendered once per key, like the API's JSON.
    key = selectors.status_key(program, request.user)
    body = selectors.cached(key + ":page", lambda: _body(program, request.user, key))
    return render(request, "dashboard/dashboard.html", {"program": program, "body": body})


def _body(program: Program, user: Any, key: str) -> SafeString:
    status = selectors.cached_status(program, user, key=key)
    context = {
        "program": program,
        "status": status,
        "trend": selectors.cached_milestone_trend(program),
        "upcoming": [m for m in status.milestones if not m.done][:8],
        "sees_costs": can_see_costs(user, program),
    }
    return mark_safe(render_to_string("dashboard/_dashboard_body.html", context))  # noqa: S308


@login_required
@page
def roadmap(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    data = selectors.roadmap(program)
    context = {"program": program, "roadmap": data, "drawing": layout(data)}
    return render(request, "dashboard/roadmap.html", context)

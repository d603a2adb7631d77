"""The program's Dashboard (six RAG tiles, milestone trend, top risks, overdue work,
next gates) and Roadmap (components as lanes on one timeline) pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from podium.core.views import AuthedRequest, page
from podium.dashboard import selectors
from podium.dashboard.svg import layout
from podium.programs.permissions import can_see_costs, get_program


@login_required
@page
def dashboard(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    status = selectors.cached_status(program, request.user)
    trend = selectors.cached_milestone_trend(program)
    context = {
        "program": program,
        "status": status,
        "trend": trend,
        "upcoming": [m for m in status.milestones if not m.done][:8],
        "sees_costs": can_see_costs(request.user, program),
    }
    return render(request, "dashboard/dashboard.html", context)


@login_required
@page
def roadmap(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    data = selectors.roadmap(program)
    context = {"program": program, "roadmap": data, "drawing": layout(data)}
    return render(request, "dashboard/roadmap.html", context)

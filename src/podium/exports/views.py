"""The Exports page of a program (the registers this user may download) and the XLSX
downloads themselves."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from podium.core.views import AuthedRequest, page
from podium.exports import selectors
from podium.exports.registry import ALL
from podium.programs.permissions import get_program

__all__ = ["download", "index"]


@login_required
@page
def index(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    context = {
        "program": program,
        "exports": selectors.exports_for(request.user, program),
        "all_key": ALL,
    }
    return render(request, "exports/index.html", context)


@login_required
@page
def download(request: AuthedRequest, code: str, key: str) -> HttpResponse:
    found = selectors.download(request.user, code, key)
    response = HttpResponse(found.content, content_type=found.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    return response

"""The board agenda page (see :mod:`podium.governance.agenda`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from podium.core.views import AuthedRequest, page
from podium.governance import selectors
from podium.governance.agenda import board_agenda


@login_required
@page
def agenda(request: AuthedRequest, code: str) -> HttpResponse:
    program = selectors.governed_program(request.user, code)
    return render(
        request,
        "governance/agenda.html",
        {"program": program, "agenda": board_agenda(program)},
    )

"""Pages of the status report (the HTML report with a week picker, its PDF, subscribing
to the weekly e-mail) and of the calendar feed (showing and regenerating the secret URL,
and the ``.ics`` feed itself, served without signing in: the token is the secret).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from podium.core.errors import ValidationFailed
from podium.core.views import AuthedRequest, page
from podium.programs.permissions import get_program
from podium.reports import services
from podium.reports.ical import feed_calendar, feed_for_token
from podium.reports.pdf import status_report_pdf


def _week_day(request: HttpRequest) -> dt.date:
    """The day whose week the page shows: the Sunday of ``?week=2026-W47`` (never after
    today), else today."""
    today = timezone.localdate()
    day = services.parse_week(request.GET.get("week", ""))
    return today if day is None or day >= today else day


@login_required
@page
def report(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    day = _week_day(request)
    status = services.build_status_report(program, request.user, day)
    context = {
        "program": program,
        "report": status,
        "weeks": services.recent_weeks(timezone.localdate()),
        "subscribed": services.is_subscribed(request.user, program),
    }
    return render(request, "reports/report.html", context)


@login_required
@page
def report_pdf(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    status = services.build_status_report(program, request.user, _week_day(request))
    response = HttpResponse(status_report_pdf(status), content_type="application/pdf")
    name = f"{program.code}-status-{status.week_label}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@page
@require_POST
def subscription(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    if request.POST.get("subscribe") == "1":
        try:
            services.subscribe(actor=request.user, program=program)
        except ValidationFailed as exc:
            for msgs in exc.errors.values():
                for msg in msgs:
                    messages.error(request, msg)
        else:
            messages.success(request, "You will receive this report by e-mail every week.")
    else:
        services.unsubscribe(actor=request.user, program=program)
        messages.success(request, "You will no longer receive this report by e-mail.")
    return redirect("reports:report", code=program.code)


@login_required
@page
def calendar(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    feed = services.calendar_feed(request.user, program)
    url = (
        request.build_absolute_uri(
            reverse("reports:calendar-ics", kwargs={"code": program.code, "token": feed.token})
        )
        if feed
        else ""
    )
    return render(request, "reports/calendar.html", {"program": program, "feed": feed, "url": url})


@login_required
@page
@require_POST
def calendar_regenerate(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    had = services.calendar_feed(request.user, program) is not None
    services.regenerate_feed(actor=request.user, program=program)
    messages.success(
        request,
        "New calendar URL made; the old one no longer works." if had else "Calendar URL made.",
    )
    return redirect("reports:calendar", code=program.code)


@require_GET
def calendar_ics(request: HttpRequest, code: str, token: str) -> HttpResponse:
    """The feed, without signing in: 404 for a wrong or replaced token or a user who no
    longer belongs to the program."""
    feed = feed_for_token(code, token)
    if feed is None:
        raise Http404("No such calendar.")
    response = HttpResponse(feed_calendar(feed), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{feed.program.code}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response

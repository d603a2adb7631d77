"""API of the status report (JSON and PDF), the weekly e-mail subscription and the
secret calendar URL. Every call starts from the programs the user may see (others 404);
the report is the caller's own version (no cost figures without the right to see costs).
"""

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema

from podium.core.api import WRITE_ERRORS, ErrorOut
from podium.core.views import AuthedRequest
from podium.programs.models import Program
from podium.programs.permissions import get_program
from podium.reports import services
from podium.reports.pdf import status_report_pdf
from podium.reports.schemas import (
    CalendarFeedOut,
    StatusReportOut,
    SubscriptionIn,
    SubscriptionOut,
)

__all__ = ["router"]

router = Router(tags=["reports"])

READ_ERRORS: dict[int, type[Schema]] = {404: ErrorOut}


def _report(request: AuthedRequest, code: str, week: str) -> services.StatusReport:
    program = get_program(request.user, code)
    day = services.parse_week(week) if week else None
    if day is not None and day >= timezone.localdate():
        day = None  # the current (or a future) week: as of today
    return services.build_status_report(program, request.user, day)


@router.get("/programs/{code}/status-report", response={200: StatusReportOut, **READ_ERRORS})
def get_status_report(request: AuthedRequest, code: str, week: str = "") -> Any:
    """The caller's status report of the ISO week ``week`` ("2026-W48"; default: now)."""
    return _report(request, code, week).as_dict()


@router.get("/programs/{code}/status-report.pdf", response={200: None, **READ_ERRORS})
def get_status_report_pdf(request: AuthedRequest, code: str, week: str = "") -> Any:
    report = _report(request, code, week)
    response = HttpResponse(status_report_pdf(report), content_type="application/pdf")
    name = f"{report.program.code}-status-{report.week_label}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _subscription(program: Program, user: Any) -> dict[str, Any]:
    return {"program": program.code, "subscribed": services.is_subscribed(user, program)}


@router.get(
    "/programs/{code}/status-report/subscription",
    response={200: SubscriptionOut, **READ_ERRORS},
)
def get_report_subscription(request: AuthedRequest, code: str) -> Any:
    program = get_program(request.user, code)
    return _subscription(program, request.user)


@router.put(
    "/programs/{code}/status-report/subscription",
    response={200: SubscriptionOut, **WRITE_ERRORS},
)
def set_report_subscription(request: AuthedRequest, code: str, payload: SubscriptionIn) -> Any:
    """Subscribe to (or unsubscribe from) the weekly e-mail of the report."""
    program = get_program(request.user, code)
    if payload.subscribed:
        services.subscribe(actor=request.user, program=program)
    else:
        services.unsubscribe(actor=request.user, program=program)
    return _subscription(program, request.user)


def _feed_out(request: AuthedRequest, program: Program) -> dict[str, Any]:
    feed = services.calendar_feed(request.user, program)
    url = None
    if feed is not None:
        path = reverse("reports:calendar-ics", kwargs={"code": program.code, "token": feed.token})
        url = request.build_absolute_uri(path)
    return {"program": program.code, "url": url, "created_at": feed.created_at if feed else None}


@router.get("/programs/{code}/calendar-feed", response={200: CalendarFeedOut, **READ_ERRORS})
def get_calendar_feed(request: AuthedRequest, code: str) -> Any:
    """The caller's secret iCal URL of the program (url null until one is made)."""
    return _feed_out(request, get_program(request.user, code))


@router.post("/programs/{code}/calendar-feed", response={200: CalendarFeedOut, **WRITE_ERRORS})
def regenerate_calendar_feed(request: AuthedRequest, code: str) -> Any:
    """Make the caller's secret iCal URL, or replace it (the old one stops working)."""
    program = get_program(request.user, code)
    services.regenerate_feed(actor=request.user, program=program)
    return _feed_out(request, program)

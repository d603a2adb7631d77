"""Pages and API of feedback monitoring and the "you said, we did" reports.

Pages (under ``/programs/<code>/feedback/``):

- ``feedback:monitoring`` — the figures, trends and health (team side only: 403 for
  stakeholders, 404 outside the program);
- ``feedback:reports`` — the published reports (every member), and for the team side a
  picker to open any month or quarter as a draft;
- ``feedback:report`` — one period's report (stakeholders: published periods only, else
  404), with the publish form for the program manager;
- ``feedback:report-publish`` (POST) and ``feedback:report-pdf`` (the PDF, made on
  request).

API (``api_router``, mounted under /api/v1 by :mod:`podium.feedback.api`): monitoring
figures, the list of published reports, one period's report as JSON and publishing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from ninja import Query, Router, Schema, Status

from podium.core.api import WRITE_ERRORS, ErrorOut
from podium.core.errors import REFUSALS, ValidationFailed
from podium.core.views import AuthedRequest, page, paginate_qs
from podium.feedback import monitoring as mon
from podium.feedback.pdf import figure_rows, report_pdf
from podium.feedback.report import (
    Period,
    can_publish,
    can_see_drafts,
    get_report,
    parse_period,
    publish_report,
    published_reports,
)
from podium.programs.models import Program
from podium.programs.permissions import get_program, require

__all__ = [
    "api_router",
    "monitoring_page",
    "register_tabs",
    "report_page",
    "report_pdf_download",
    "report_publish",
    "reports_page",
]


def register_tabs() -> None:
    """The program tabs of this module; called from the feedback app's ``ready``."""
    from podium.core.navigation import register_program_tab

    register_program_tab(
        "Feedback monitoring", "feedback:monitoring", order=73, visible=mon.can_see_monitoring
    )
    register_program_tab("You said, we did", "feedback:reports", order=74)


def _require_monitoring(user: Any, program: Program) -> None:
    require(
        mon.can_see_monitoring(user, program),
        f"Feedback monitoring of {program.code} is for the program team.",
    )


def _months(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and int(raw) in mon.PERIOD_CHOICES else 6


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


# -- pages ----------------------------------------------------------------------------------


@login_required
@page
def monitoring_page(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    _require_monitoring(request.user, program)
    months = _months(request.GET.get("months"))
    data = mon.monitoring(program, months=months)
    f = data.figures
    context = {
        "program": program,
        "months": months,
        "choices": mon.PERIOD_CHOICES,
        "m": data,
        "f": f,
        "closure_rate": _pct(f.closure_rate),
        "has_feedback": bool(f.received or f.open_items),
        "group_rating": mon.chart_data(data.by_group, "mean_rating", None),
        "group_sentiment": mon.chart_data(data.by_group, "mean_sentiment", 0.0),
        "component_rating": mon.chart_data(data.by_component, "mean_rating", None),
        "sentiment_rule": mon.sentiment_score.__doc__,
    }
    return render(request, "feedback/monitoring.html", context)


def _recent_periods(today: dt.date, count: int = 6) -> tuple[list[Period], list[Period]]:
    months = [Period.containing(today)]
    quarters = [Period.containing(today, "quarter")]
    while len(months) < count:
        months.append(months[-1].previous())
    while len(quarters) < 4:
        quarters.append(quarters[-1].previous())
    return months, quarters


@login_required
@page
def reports_page(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    drafts = can_see_drafts(request.user, program)
    chosen = request.GET.get("period", "").strip()
    error = ""
    if chosen and drafts:
        try:
            return redirect("feedback:report", code=code, period=parse_period(chosen).key)
        except ValidationFailed as exc:
            error = exc.errors["period"][0]
    reports = paginate_qs(request, published_reports(program).select_related("published_by"))
    for r in reports:
        found = Period.of_dates(r.period_start, r.period_end)
        r.period = found or Period(r.period_start, r.period_end, "", str(r))
    months, quarters = _recent_periods(timezone.localdate())
    context = {
        "program": program,
        "page_obj": reports,
        "filters": {},
        "can_see_drafts": drafts,
        "months": months,
        "quarters": quarters,
        "chosen": chosen,
        "error": error,
    }
    return render(request, "feedback/reports.html", context)


def _report_context(request: AuthedRequest, program: Program, period: Period) -> dict[str, Any]:
    report = get_report(request.user, program, period)
    return {
        "program": program,
        "report": report,
        "period": period,
        "previous": period.previous(),
        "figures": figure_rows(report.figures),
        "can_publish": can_publish(request.user, program),
        "can_see_drafts": can_see_drafts(request.user, program),
        "summary": report.published.summary if report.published else "",
    }


@login_required
@page
def report_page(request: AuthedRequest, code: str, period: str) -> HttpResponse:
    program = get_program(request.user, code)
    context = _report_context(request, program, _period(period))
    return render(request, "feedback/report.html", context)


@login_required
@require_POST
@page
def report_publish(request: AuthedRequest, code: str, period: str) -> HttpResponse:
    program = get_program(request.user, code)
    chosen = _period(period)
    summary = request.POST.get("summary", "")
    try:
        publish_report(actor=request.user, program=program, period=chosen, summary=summary)
    except REFUSALS as exc:
        context = _report_context(request, program, chosen)
        context["summary"] = summary
        context["publish_errors"] = (
            exc.errors if isinstance(exc, ValidationFailed) else {"__all__": [exc.message]}
        )
        return render(request, "feedback/report.html", context, status=422)
    messages.success(request, f"The report for {chosen.label} is published to stakeholders.")
    return redirect("feedback:report", code=code, period=chosen.key)


@login_required
@page
def report_pdf_download(request: AuthedRequest, code: str, period: str) -> HttpResponse:
    program = get_program(request.user, code)
    report = get_report(request.user, program, _period(period))
    response = HttpResponse(report_pdf(report), content_type="application/pdf")
    name = f"you-said-we-did-{program.code}-{report.period.key}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _period(raw: str) -> Period:
    from podium.core.errors import NotFound

    try:
        return parse_period(raw)
    except ValidationFailed as exc:
        raise NotFound(f"No period {raw!r}.") from exc


# -- API ------------------------------------------------------------------------------------

api_router = Router(tags=["feedback"])
READ_ERRORS: dict[int, type[Schema]] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class SpreadOut(Schema):
    count: int
    median: float | None
    p90: float | None


class FiguresOut(Schema):
    start: dt.date
    end: dt.date
    today: dt.date
    received: int
    declined: int
    loop_closed: int
    acknowledge: SpreadOut
    close: SpreadOut
    closure_rate: float | None
    open_items: int
    overdue: int
    overdue_acknowledge: int
    overdue_close: int
    acknowledge_target: int
    close_target: int
    mean_rating: float | None
    rated: int
    mean_sentiment: float | None


class TrendOut(Schema):
    key: str
    month: dt.date
    count: int
    rated: int
    mean_rating: float | None
    mean_sentiment: float | None


class HealthOut(Schema):
    rag: str
    reason: str
    rule: str


class MonitoringOut(Schema):
    figures: FiguresOut
    by_group: list[TrendOut]
    by_component: list[TrendOut]
    health: HealthOut


class MonitoringFilter(Schema):
    months: int = 6


class PeriodOut(Schema):
    key: str
    label: str
    start: dt.date
    end: dt.date


class ReportActionOut(Schema):
    title: str
    status: str
    done_on: dt.date | None


class WeDidOut(Schema):
    reference: str
    said: str
    category: str
    component: str
    rating: int | None
    state: str
    done_on: dt.date
    actions: list[ReportActionOut]


class CouldNotOut(Schema):
    reference: str
    said: str
    category: str
    component: str
    reason: str
    declined_on: dt.date


class ReportOut(Schema):
    program: str
    period: PeriodOut
    published: bool
    published_at: dt.datetime | None
    summary: str
    figures: FiguresOut
    we_did: list[WeDidOut]
    could_not_do: list[CouldNotOut]


class PublishedOut(Schema):
    period: PeriodOut
    published_at: dt.datetime
    summary: str


class PublishIn(Schema):
    summary: str = ""


def _published_out(report: Any) -> dict[str, Any]:
    found = Period.of_dates(report.period_start, report.period_end)
    period = found or Period(report.period_start, report.period_end, "", str(report))
    return {
        "period": {"key": period.key, "label": period.label, "start": period.start,
                   "end": period.end},
        "published_at": report.published_at,
        "summary": report.summary,
    }  # fmt: skip


@api_router.get(
    "/programs/{code}/feedback/monitoring", response={200: MonitoringOut, **READ_ERRORS}
)
def feedback_monitoring(request: AuthedRequest, code: str, filters: Query[MonitoringFilter]) -> Any:
    """Monitoring figures, trends and health of the last 3, 6 or 12 months (team side)."""
    program = get_program(request.user, code)
    _require_monitoring(request.user, program)
    if filters.months not in mon.PERIOD_CHOICES:
        raise ValidationFailed({"months": ["Choose 3, 6 or 12 months."]})
    return mon.monitoring(program, months=filters.months).as_dict()


@api_router.get(
    "/programs/{code}/feedback/reports", response={200: list[PublishedOut], **READ_ERRORS}
)
def list_feedback_reports(request: AuthedRequest, code: str) -> Any:
    """The program's published "you said, we did" reports, latest first (every member)."""
    program = get_program(request.user, code)
    return [_published_out(r) for r in published_reports(program)[:200]]


@api_router.get(
    "/programs/{code}/feedback/reports/{period}", response={200: ReportOut, **READ_ERRORS}
)
def get_feedback_report(request: AuthedRequest, code: str, period: str) -> Any:
    """One period's report ("2026-03" or "2026-Q1"); stakeholders: published ones only."""
    program = get_program(request.user, code)
    return get_report(request.user, program, parse_period(period)).as_dict()


@api_router.post(
    "/programs/{code}/feedback/reports/{period}/publish",
    response={201: PublishedOut, **WRITE_ERRORS},
)
def publish_feedback_report(
    request: AuthedRequest, code: str, period: str, payload: PublishIn
) -> Any:
    """Publish (or republish with a new summary) a period's report: program manager."""
    program = get_program(request.user, code)
    report = publish_report(
        actor=request.user, program=program, period=parse_period(period), summary=payload.summary
    )
    return Status(201, _published_out(report))

"""What Podium already knows about one component, for its status update.

:func:`component_figures` gathers the figures a component manager would otherwise look
up by hand, from the same readers the rest of Podium uses, and suggests a colour per
dimension with the rule that decided it (the thresholds of
:mod:`podium.dashboard.rules`):

- **schedule**: the component's forecast finish (the latest finish of its activities)
  against its baseline finish (the latest finish of its activities in the newest saved
  program baseline holding them, else the component's newest baseline — as the
  schedule's variance, :func:`podium.schedule.selectors.variance`), in working days of
  the program's default calendar; the least total float of its open activities; SPI(t)
  of the component (:func:`podium.finance.evm.program_evm`).
- **cost**: CPI, SPI, EAC and BAC of the component's earned-value row (readers with
  :func:`~podium.programs.permissions.can_see_costs` only, see :func:`for_reader`).
- **scope**: its deliverables, late ones (milestone date passed, not delivered) and
  rejected ones (:func:`podium.delivery.selectors.deliverable_dates`).
- **risks**: its open risks, high threats, those without owner or response, escalated.
- **stakeholders**: its open and overdue feedback
  (:func:`podium.feedback.selectors.overdue_items`) and the feedback health of its
  items (:func:`podium.feedback.monitoring.feedback_health`).
- **resources**: no rule; the manager rates it.

Everything is plain JSON (stored as the update's ``figures``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Min
from django.utils import timezone

from podium.dashboard import rules
from podium.programs.models import Component, Program
from podium.programs.permissions import can_see_costs

__all__ = [
    "OVERALL_RULE",
    "RESOURCES_RULE",
    "SCHEDULE_RULE",
    "component_figures",
    "for_reader",
    "schedule_slip",
]

SCHEDULE_RULE = (
    f"Worst of: the component's finish slip against its baseline amber over "
    f"{rules.SLIP_AMBER_DAYS:g} working days, red over {rules.SLIP_RED_DAYS:g}; SPI(t) green "
    f"at {rules.INDEX_GREEN:.2f} or more, amber at {rules.INDEX_AMBER:.2f} or more, red "
    f"below; least total float of its open activities red below 0, amber below "
    f"{rules.FLOAT_AMBER_DAYS:g} working days. Grey without a baseline, float or earned value."
)
RESOURCES_RULE = "Podium has no rule for resources per component: the manager rates it."
OVERALL_RULE = "The worst colour of the suggested dimensions."
HOURS_PER_DAY = 8.0


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _rating(rating: rules.Rating) -> dict[str, str]:
    return {"rag": rating.rag, "headline": rating.headline, "rule": rating.rule}


# -- schedule ------------------------------------------------------------------------------


def schedule_slip(component: Component) -> dict[str, Any]:
    """Forecast and baseline finish of ``component`` and the slip between them: in
    working days of the program's default calendar (``slip_working_days``, positive =
    later) and in calendar days (``slip_days``)."""
    from podium.changes.impact import day_minutes
    from podium.engine.calendars import Calendar as EngineCalendar
    from podium.schedule.convert import engine_calendar
    from podium.schedule.models import Activity, Baseline, ScheduleSettings
    from podium.schedule.selectors import variance
    from podium.schedule.wall import to_wall

    out: dict[str, Any] = {
        "forecast_finish": None, "baseline_finish": None, "slip_working_days": None,
        "slip_days": None,
    }  # fmt: skip
    activities = list(Activity.objects.filter(component=component).exclude(finish=None))
    if not activities:
        return out
    forecast = max(to_wall(a.finish) or dt.datetime.min for a in activities)
    out["forecast_finish"] = forecast.date().isoformat()
    finishes: list[dt.datetime] = []
    for baseline in (
        Baseline.objects.filter(program_id=component.program_id, component=None).first(),
        Baseline.objects.filter(component=component).first(),
    ):
        if baseline is None:
            continue
        finishes = [v.baseline_finish for v in variance(baseline, activities) if v.baseline_finish]
        if finishes:
            break
    if not finishes:
        return out
    base = to_wall(max(finishes))
    assert base is not None
    out["baseline_finish"] = base.date().isoformat()
    settings = (
        ScheduleSettings.objects.filter(program_id=component.program_id)
        .select_related("default_calendar")
        .first()
    )
    row = settings.default_calendar if settings is not None else None
    calendar = engine_calendar(row) if row is not None else EngineCalendar.standard()
    out["slip_working_days"] = round(calendar.work_between(base, forecast) / day_minutes(row), 1)
    out["slip_days"] = round((forecast - base).total_seconds() / 86400, 1)
    return out


def _least_float_days(component: Component) -> float | None:
    from podium.schedule.models import Activity

    least = (
        Activity.objects.filter(
            component=component, actual_finish__isnull=True, total_float_minutes__isnull=False
        )
        .exclude(kind=Activity.Kind.SUMMARY)
        .aggregate(least=Min("total_float_minutes"))["least"]
    )
    return round(least / 60 / HOURS_PER_DAY, 1) if least is not None else None


def _schedule_rating(
    slip: float | None, float_days: float | None, spi_t: float | None
) -> dict[str, str]:
    slip_colour = (
        "grey" if slip is None
        else "red" if slip > rules.SLIP_RED_DAYS
        else "amber" if slip > rules.SLIP_AMBER_DAYS
        else "green"
    )  # fmt: skip
    float_colour = (
        "grey" if float_days is None
        else "red" if float_days < 0
        else "amber" if float_days < rules.FLOAT_AMBER_DAYS
        else "green"
    )  # fmt: skip
    parts = []
    if slip is not None:
        parts.append(f"finish slip {slip:+g} working days")
    if spi_t is not None:
        parts.append(f"SPI(t) {spi_t:.2f}")
    if float_days is not None:
        parts.append(f"least float {float_days:g} d")
    colour = rules.worst(slip_colour, float_colour, rules.index_colour(spi_t))
    return {
        "rag": colour,
        "headline": ", ".join(parts) if parts else "No schedule baseline yet",
        "rule": SCHEDULE_RULE,
    }


# -- earned value --------------------------------------------------------------------------


def _evm_row(component: Component) -> tuple[Any, str | None]:
    from podium.finance.evm import program_evm

    try:
        evm = program_evm(component.program)
    except (ValueError, ZeroDivisionError):  # no computable schedule
        return None, None
    row = next((r for r in evm.components if r.key == component.code), None)
    return row, evm.status_date.isoformat()


# -- scope, risks, feedback ----------------------------------------------------------------


def _deliverables(component: Component, today: dt.date) -> dict[str, Any]:
    from podium.delivery.models import Deliverable, DeliverableStatus
    from podium.delivery.selectors import deliverable_dates

    dates = deliverable_dates(component.program)
    not_delivered = {DeliverableStatus.PLANNED, DeliverableStatus.IN_PRODUCTION}
    late: list[int] = []
    total = rejected = 0
    for pk, status, rejected_at in Deliverable.objects.filter(component=component).values_list(
        "pk", "status", "rejected_at"
    ):
        total += 1
        if status == DeliverableStatus.IN_PRODUCTION and rejected_at is not None:
            rejected += 1
        due = dates.get(pk)
        if status in not_delivered and due is not None and due.date() < today:
            late.append((today - due.date()).days)
    return {"total": total, "late": len(late), "rejected": rejected, "late_days": sorted(late)}


def _risks(component: Component) -> dict[str, int]:
    from podium.risks.models import Risk, RiskKind, RiskStatus

    total = opened = high = bare = escalated = 0
    for r in Risk.objects.filter(component=component):
        total += 1
        if r.status != RiskStatus.OPEN:
            continue
        opened += 1
        escalated += int(r.escalated)
        score = r.probability_score * r.impact_score
        if r.kind == RiskKind.THREAT and score > rules.HIGH_RISK_SCORE:
            high += 1
            bare += int(not (r.response.strip() and r.owner_id is not None))
    return {"total": total, "open": opened, "high": high, "high_without_response": bare,
            "escalated": escalated}  # fmt: skip


def _feedback(component: Component, today: dt.date) -> tuple[dict[str, int], dict[str, str]]:
    from podium.feedback.models import OPEN_STATES, FeedbackItem
    from podium.feedback.monitoring import HEALTH_RULE, feedback_health
    from podium.feedback.selectors import overdue_items

    program = component.program
    items = FeedbackItem.objects.filter(program=program, component=component)
    overdue = sum(1 for i in overdue_items(program, today) if i.component_id == component.pk)
    open_items = items.filter(state__in=OPEN_STATES).count()
    health = feedback_health(program, today, items=items)
    rating = {"rag": health.rag, "headline": health.reason, "rule": HEALTH_RULE}
    if not health.figures.received and not health.figures.open_items:
        rating = {"rag": "grey", "headline": "No feedback in the last 90 days and none open",
                  "rule": HEALTH_RULE}  # fmt: skip
    return {"open": open_items, "overdue": overdue}, rating


# -- together ------------------------------------------------------------------------------


def component_figures(component: Component, today: dt.date | None = None) -> dict[str, Any]:
    """The figures of ``component`` on ``today`` (default: the local date) and the
    suggested colour of each dimension (see the module). Every reader's version comes
    from :func:`for_reader`."""
    today = today or timezone.localdate()
    schedule = schedule_slip(component)
    schedule["least_float_days"] = _least_float_days(component)
    row, status_date = _evm_row(component)
    schedule["spi_t"] = row.spi_t if row is not None else None
    cost: dict[str, Any] = {}
    if row is not None:
        cost = {"status_date": status_date, "cpi": row.cpi, "spi": row.spi, "eac": row.eac,
                "bac": row.bac, "currency": component.program.currency}  # fmt: skip
    deliverables = _deliverables(component, today)
    risks = _risks(component)
    feedback, stakeholders = _feedback(component, today)
    suggested = {
        "schedule": _schedule_rating(
            schedule["slip_working_days"], schedule["least_float_days"], schedule["spi_t"]
        ),
        "cost": _rating(
            rules.cost_rating(
                cost.get("cpi"), cost.get("eac"), cost.get("bac"), component.program.currency
            )
        ),
        "scope": _rating(
            rules.deliverables_rating(
                deliverables["total"], deliverables["late_days"], deliverables["rejected"]
            )
        ),
        "risks": _rating(
            rules.risks_rating(
                risks["total"],
                risks["open"],
                risks["high"],
                risks["high_without_response"],
                risks["escalated"],
            )
        ),
        "resources": {"rag": "grey", "headline": "Your call", "rule": RESOURCES_RULE},
        "stakeholders": stakeholders,
    }
    suggested["overall"] = {
        "rag": rules.worst(*(s["rag"] for s in suggested.values())),
        "headline": "Worst of the suggested dimensions",
        "rule": OVERALL_RULE,
    }
    return {
        "as_of": _iso(today),
        "schedule": schedule,
        "cost": cost,
        "scope": {k: v for k, v in deliverables.items() if k != "late_days"}
        | {"latest_late_days": max(deliverables["late_days"], default=0)},
        "risks": risks,
        "feedback": feedback,
        "suggested": suggested,
    }


def for_reader(figures: dict[str, Any], user: Any, program: Program) -> dict[str, Any]:
    """``figures`` as ``user`` may read them: without the cost block and the cost
    suggestion unless they may see costs."""
    if can_see_costs(user, program):
        return figures
    out = {k: v for k, v in figures.items() if k != "cost"}
    if "suggested" in out:
        suggested = {k: v for k, v in out["suggested"].items() if k not in ("cost", "overall")}
        suggested["overall"] = {
            "rag": rules.worst(*(s["rag"] for s in suggested.values())),
            "headline": "Worst of the suggested dimensions",
            "rule": OVERALL_RULE,
        }
        out["suggested"] = suggested
    return out

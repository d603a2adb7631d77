"""Pages of the benefits register: the register (status badges, filters, recent status
changes, the realization forecast), benefit create/edit/detail (the KPI chart of target
profile against measurements, the measurement form, history) and the traceability page
(goals → benefits → deliverables → components, and the descope-impact form).

Expected values and values at risk show only to users who may see costs.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from podium.benefits import rules, selectors, services
from podium.benefits.access import can_manage, can_measure, can_see_value
from podium.benefits.forms import BenefitForm, DescopeForm, MeasurementForm
from podium.benefits.models import Benefit, BenefitCategory, BenefitStatus, Direction
from podium.core.audit import history_for
from podium.core.errors import REFUSALS, PermissionDenied, ValidationFailed
from podium.core.views import AuthedRequest, add_form_errors, page
from podium.delivery.models import Deliverable
from podium.programs.models import Program
from podium.programs.permissions import get_program

FILTERS = ("category", "status", "goal", "q", "component", "deliverable")


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


# -- register -----------------------------------------------------------------------------


@login_required
@page
def register(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    filters = {name: request.GET.get(name, "").strip() for name in FILTERS}
    component = deliverable = None
    if (component_id := _int(filters["component"])) is not None:
        component = program.components.filter(pk=component_id).first()
    if (deliverable_id := _int(filters["deliverable"])) is not None:
        deliverable = Deliverable.objects.filter(program=program, pk=deliverable_id).first()
    benefits = selectors.benefit_list(
        program, category=filters["category"], status=filters["status"],
        goal=_int(filters["goal"]), q=filters["q"], component=component, deliverable=deliverable,
    )  # fmt: skip
    forecast = {row.benefit.pk: row for row in selectors.realization_forecast(program)}
    context = {
        "program": program,
        "filters": filters,
        "benefits": [(b, forecast.get(b.pk)) for b in benefits],
        "any_benefits": Benefit.objects.filter(program=program).exists(),
        "summary": selectors.program_benefit_summary(program),
        # the dashboard: target vs actual of every listed KPI (the first 12)
        "kpi_charts": [
            (b, {**kpi_chart(b), "script_id": f"kpi-data-{b.pk}"}) for b in benefits[:12]
        ],
        "statuses": BenefitStatus.choices,
        "categories": BenefitCategory.choices,
        "goals": program.goals.order_by("order", "pk"),
        "components": program.components.order_by("code"),
        "deliverables": Deliverable.objects.filter(program=program).order_by("code"),
        "can_manage": can_manage(request.user, program),
        "with_value": can_see_value(request.user, program),
    }
    return render(request, "benefits/register.html", context)


# -- create / edit ------------------------------------------------------------------------


def _form_page(
    request: AuthedRequest, program: Program, form: BenefitForm, benefit: Benefit | None
) -> HttpResponse:
    return render(
        request, "benefits/benefit_form.html",
        {"program": program, "form": form, "benefit": benefit, "creating": benefit is None},
    )  # fmt: skip


@login_required
@page
def benefit_new(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    if not can_manage(request.user, program):
        raise PermissionDenied(f"Only the program manager adds benefits to {program.code}.")
    with_value = can_see_value(request.user, program)
    form = BenefitForm(request.POST or None, program=program, with_value=with_value)
    if request.method == "POST" and form.is_valid():
        try:
            benefit = services.create_benefit(
                actor=request.user, program=program, **form.service_fields()
            )
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Benefit {benefit.code} added.")
            return redirect("benefits:benefit", code=code, pk=benefit.pk)
    return _form_page(request, program, form, None)


@login_required
@page
def benefit_edit(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    benefit = selectors.get_benefit(program, pk)
    if not can_manage(request.user, program):
        raise PermissionDenied(f"Only the program manager changes {benefit.code}.")
    with_value = can_see_value(request.user, program)
    initial: dict[str, Any] = {
        name: getattr(benefit, name)
        for name in (
            "name", "code", "category", "description", "goal", "owner", "sustainment_owner",
            "kpi", "unit", "measurement_method", "direction", "baseline_value", "baseline_date",
            "at_risk_pct", "off_track_pct", "expected_value", "version",
        )
    }  # fmt: skip
    initial["deliverables"] = list(benefit.deliverables.all())
    initial["components"] = list(benefit.components.all())
    initial["targets"] = "\n".join(f"{t.date:%Y-%m-%d} {t.value:g}" for t in benefit.targets.all())
    form = BenefitForm(
        request.POST or None, program=program, with_value=with_value, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        if not data["code"]:
            del data["code"]
        try:
            services.update_benefit(
                actor=request.user, benefit=benefit,
                expected_version=form.cleaned_data.get("version"), **data,
            )  # fmt: skip
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Benefit {benefit.code} saved.")
            return redirect("benefits:benefit", code=code, pk=benefit.pk)
    return _form_page(request, program, form, benefit)


# -- detail -------------------------------------------------------------------------------


def kpi_chart(benefit: Benefit) -> dict[str, Any]:
    """Data of the ``kpi`` chart: the target profile (baseline first), the at-risk and
    off-track boundaries at the profile's points, and the measurements."""
    points = selectors.profile(benefit)
    higher = benefit.direction == Direction.HIGHER
    sign = -1.0 if higher else 1.0

    def boundary(pct: float) -> list[list[Any]]:
        out = []
        for day, value in points[1:]:
            scale = abs(value) or abs(benefit.baseline_value) or 1.0
            out.append([day.isoformat(), round(value + sign * pct / 100 * scale, 6)])
        return out

    return {
        "unit": benefit.unit,
        "target": [[d.isoformat(), v] for d, v in points] if len(points) > 1 else [],
        "at_risk": boundary(benefit.at_risk_pct) if len(points) > 1 else [],
        "off_track": boundary(benefit.off_track_pct) if len(points) > 1 else [],
        "measurements": [
            [m.date.isoformat(), m.value] for m in benefit.measurements.order_by("date", "pk")
        ],
    }


def _detail_context(
    request: AuthedRequest, program: Program, benefit: Benefit, form: MeasurementForm | None
) -> dict[str, Any]:
    measurements = list(benefit.measurements.select_related("recorded_by").order_by("date", "pk"))
    points = selectors.profile(benefit)
    rows = []
    for m in measurements:
        target = rules.target_at(points, m.date) if len(points) > 1 else None
        status, shortfall = rules.status_for(
            points, (m.date, m.value), higher_is_better=benefit.direction == Direction.HIGHER,
            at_risk_pct=benefit.at_risk_pct, off_track_pct=benefit.off_track_pct,
        )  # fmt: skip
        rows.append({"m": m, "target": target, "shortfall": shortfall, "status": status})
    forecast = next(
        (r for r in selectors.realization_forecast(program) if r.benefit.pk == benefit.pk), None
    )
    history = history_for(benefit)
    measure = can_measure(request.user, benefit)
    if measure and form is None:
        form = MeasurementForm(initial={"version": benefit.version})
    return {
        "program": program,
        "benefit": benefit,
        "rows": rows,
        "forecast": forecast,
        "chart_data": kpi_chart(benefit),
        "history": history[:30],
        "can_manage": can_manage(request.user, program),
        "form": form if measure else None,
        "with_value": can_see_value(request.user, program),
        "status_labels": dict(BenefitStatus.choices),
    }


@login_required
@page
def benefit_detail(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    benefit = selectors.get_benefit(program, pk)
    return render(
        request, "benefits/benefit_detail.html", _detail_context(request, program, benefit, None)
    )


@login_required
@require_POST
@page
def measure(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    benefit = selectors.get_benefit(program, pk)
    if not can_measure(request.user, benefit):
        raise PermissionDenied(f"You may not record measurements of {benefit.code}.")
    form = MeasurementForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_measurement(
                actor=request.user, benefit=benefit, date=data["date"], value=data["value"],
                note=data["note"], expected_version=data.get("version"),
            )  # fmt: skip
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            updated = Benefit.objects.get(pk=benefit.pk)
            note = f" Status: {updated.get_status_display().lower()}."
            messages.success(request, f"Measurement recorded.{note}")
            return redirect("benefits:benefit", code=code, pk=benefit.pk)
    context = _detail_context(request, program, benefit, form)
    return render(request, "benefits/benefit_detail.html", context, status=422)


# -- traceability and descope impact ------------------------------------------------------


@login_required
@page
def traceability(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    form = DescopeForm(request.GET or None, program=program)
    impact = None
    if request.GET and form.is_valid():
        subject = form.cleaned_data["subject"]
        kind, pk = subject[0], int(subject[1:])
        cut = form.cleaned_data["change"] == "cut"
        try:
            impact = selectors.descope_impact(
                program,
                component=program.components.get(pk=pk) if kind == "c" else None,
                deliverable=Deliverable.objects.get(program=program, pk=pk)
                if kind == "d" else None,
                cut=cut, delay_weeks=0 if cut else form.cleaned_data["weeks"] or 0,
            )  # fmt: skip
        except ValidationFailed as exc:
            add_form_errors(form, exc)
    context = {
        "program": program,
        "trace": selectors.traceability(program),
        "form": form,
        "impact": impact,
        "with_value": can_see_value(request.user, program),
    }
    return render(request, "benefits/traceability.html", context)

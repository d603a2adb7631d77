"""API endpoints of the benefits register: benefits, their realization profiles and
measurements, the program's benefit summary (the dashboard's data), traceability, the
descope impact and the realization forecast.

Every read starts from the programs the user may see (others answer 404). Money — a
benefit's expected value, the value at risk — is sent only to users who may see costs:
for everyone else the keys are absent, and sending an expected value is refused (403).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status

from podium.accounts.models import User
from podium.benefits import selectors, services
from podium.benefits.access import can_see_value
from podium.benefits.models import Benefit, Measurement
from podium.benefits.schemas import (
    BenefitFilter,
    BenefitIn,
    BenefitOut,
    BenefitPatch,
    DescopeOut,
    ForecastRowOut,
    MeasurementIn,
    MeasurementOut,
    SummaryOut,
    TargetsIn,
    TraceabilityOut,
)
from podium.core.api import WRITE_ERRORS, ErrorOut, expected_version, set_etag
from podium.core.errors import NotFound, PermissionDenied, ValidationFailed
from podium.core.views import AuthedRequest
from podium.delivery.models import Deliverable
from podium.programs.models import Component, Goal, Program
from podium.programs.permissions import get_program, visible_programs

__all__ = ["benefit_out", "router"]

router = Router(tags=["benefits"])

ERRORS = WRITE_ERRORS
READ_ERRORS: dict[int, type[Schema]] = {404: ErrorOut, 422: ErrorOut}


# -- lookups ------------------------------------------------------------------------------


def _benefit(request: AuthedRequest, pk: int) -> Benefit:
    program_id = Benefit.objects.filter(pk=pk).values_list("program_id", flat=True).first()
    program = visible_programs(request.user).filter(pk=program_id).first() if program_id else None
    if program is None:
        raise NotFound(f"No benefit {pk}.")
    return selectors.get_benefit(program, pk)


def _user(username: str | None, field: str) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationFailed({field: [f"No user named {username!r}."]})
    return user


def _goal(program: Program, pk: int | None) -> Goal | None:
    if pk is None:
        return None
    goal = program.goals.filter(pk=pk).first()
    if goal is None:
        raise ValidationFailed({"goal": [f"{program.code} has no goal {pk}."]})
    return goal


def _component(program: Program, code: str, field: str = "component") -> Component:
    found = program.components.filter(code=code.strip().upper()).first()
    if found is None:
        raise ValidationFailed({field: [f"{program.code} has no component {code!r}."]})
    return found


def _deliverable(program: Program, code: str, field: str = "deliverable") -> Deliverable:
    found = Deliverable.objects.filter(program=program, code=code.strip().upper()).first()
    if found is None:
        raise ValidationFailed({field: [f"{program.code} has no deliverable {code!r}."]})
    return found


def _ref(obj: Any) -> dict[str, Any]:
    return {"id": obj.pk, "code": obj.code, "name": obj.name}


def _deliverable_ref(d: Deliverable) -> dict[str, Any]:
    return {**_ref(d), "component": d.component.code}


def benefit_out(benefit: Benefit, with_value: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": benefit.pk,
        "program": benefit.program.code,
        "code": benefit.code,
        "name": benefit.name,
        "description": benefit.description,
        "category": benefit.category,
        "owner": benefit.owner.username if benefit.owner else None,
        "sustainment_owner": (
            benefit.sustainment_owner.username if benefit.sustainment_owner else None
        ),
        "goal": {"id": benefit.goal.pk, "title": benefit.goal.title} if benefit.goal else None,
        "components": [_ref(c) for c in benefit.components.all()],
        "deliverables": [_deliverable_ref(d) for d in benefit.deliverables.all()],
        "kpi": benefit.kpi,
        "unit": benefit.unit,
        "measurement_method": benefit.measurement_method,
        "baseline_value": benefit.baseline_value,
        "baseline_date": benefit.baseline_date,
        "direction": benefit.direction,
        "at_risk_pct": benefit.at_risk_pct,
        "off_track_pct": benefit.off_track_pct,
        "targets": [{"date": t.date, "value": t.value} for t in benefit.targets.all()],
        "status": benefit.status,
        "status_changed_at": benefit.status_changed_at,
        "version": benefit.version,
    }
    if with_value:
        data["expected_value"] = benefit.expected_value
        data["currency"] = benefit.program.currency
    return data


def _fields(request: AuthedRequest, program: Program, data: dict[str, Any]) -> dict[str, Any]:
    """API fields → service keyword arguments."""
    for name in ("owner", "sustainment_owner"):
        if name in data:
            data[name] = _user(data[name], name)
    if "goal" in data:
        data["goal"] = _goal(program, data["goal"])
    if data.get("components") is not None:
        data["components"] = [_component(program, c, "components") for c in data["components"]]
    if data.get("deliverables") is not None:
        data["deliverables"] = [
            _deliverable(program, d, "deliverables") for d in data["deliverables"]
        ]
    if data.get("targets") is not None:
        data["targets"] = [(t["date"], t["value"]) for t in data["targets"]]
    if "expected_value" in data and not can_see_value(request.user, program):
        if data["expected_value"] is not None:
            raise PermissionDenied("You may not set expected values (cost data).")
        del data["expected_value"]
    return data


# -- benefits -----------------------------------------------------------------------------


@router.get("/programs/{code}/benefits", response={200: list[BenefitOut], **READ_ERRORS},
            exclude_unset=True)  # fmt: skip
def list_benefits(request: AuthedRequest, code: str, filters: Query[BenefitFilter]) -> Any:
    """The register; ``deliverable`` or ``component`` (a code): only the benefits that
    depend on it."""
    program = get_program(request.user, code)
    owner = _user(filters.owner, "owner") if filters.owner else None
    benefits = selectors.benefit_list(
        program, category=filters.category, status=filters.status, goal=filters.goal,
        owner=owner.pk if owner else None, q=filters.q,
        deliverable=_deliverable(program, filters.deliverable) if filters.deliverable else None,
        component=_component(program, filters.component) if filters.component else None,
    )  # fmt: skip
    with_value = can_see_value(request.user, program)
    return [benefit_out(b, with_value) for b in benefits]


@router.post("/programs/{code}/benefits", response={201: BenefitOut, **ERRORS},
             exclude_unset=True)  # fmt: skip
def create_benefit(
    request: AuthedRequest, code: str, payload: BenefitIn, response: HttpResponse
) -> Any:
    program = get_program(request.user, code)
    data = _fields(request, program, payload.dict())
    benefit = services.create_benefit(actor=request.user, program=program, **data)
    set_etag(response, benefit)
    benefit = selectors.get_benefit(program, benefit.pk)
    return Status(201, benefit_out(benefit, can_see_value(request.user, program)))


@router.get("/benefits/{benefit_id}", response={200: BenefitOut, **READ_ERRORS},
            exclude_unset=True)  # fmt: skip
def get_benefit(request: AuthedRequest, benefit_id: int, response: HttpResponse) -> Any:
    benefit = _benefit(request, benefit_id)
    set_etag(response, benefit)
    return benefit_out(benefit, can_see_value(request.user, benefit.program))


@router.patch("/benefits/{benefit_id}", response={200: BenefitOut, **ERRORS},
              exclude_unset=True)  # fmt: skip
def update_benefit(
    request: AuthedRequest, benefit_id: int, payload: BenefitPatch, response: HttpResponse
) -> Any:
    benefit = _benefit(request, benefit_id)
    changes = payload.dict(exclude_unset=True)
    version = expected_version(request, changes.pop("version", None))
    changes = _fields(request, benefit.program, changes)
    updated = services.update_benefit(
        actor=request.user, benefit=benefit, expected_version=version, **changes
    )
    set_etag(response, updated)
    updated = selectors.get_benefit(benefit.program, benefit.pk)
    return benefit_out(updated, can_see_value(request.user, benefit.program))


@router.put("/benefits/{benefit_id}/targets", response={200: BenefitOut, **ERRORS},
            exclude_unset=True)  # fmt: skip
def set_targets(
    request: AuthedRequest, benefit_id: int, payload: TargetsIn, response: HttpResponse
) -> Any:
    """Replace the realization profile; the status is recomputed."""
    benefit = _benefit(request, benefit_id)
    updated = services.set_targets(
        actor=request.user, benefit=benefit,
        targets=[(t.date, t.value) for t in payload.targets],
        expected_version=expected_version(request, payload.version),
    )  # fmt: skip
    set_etag(response, updated)
    updated = selectors.get_benefit(benefit.program, benefit.pk)
    return benefit_out(updated, can_see_value(request.user, benefit.program))


@router.delete("/benefits/{benefit_id}", response={204: None, **ERRORS})
def delete_benefit(request: AuthedRequest, benefit_id: int) -> Any:
    benefit = _benefit(request, benefit_id)
    services.delete_benefit(
        actor=request.user, benefit=benefit, expected_version=expected_version(request)
    )
    return Status(204, None)


# -- measurements -------------------------------------------------------------------------


def _measurement_out(m: Measurement) -> dict[str, Any]:
    return {
        "id": m.pk, "date": m.date, "value": m.value, "note": m.note,
        "recorded_by": m.recorded_by.username if m.recorded_by else None,
    }  # fmt: skip


@router.get("/benefits/{benefit_id}/measurements",
            response={200: list[MeasurementOut], **READ_ERRORS})  # fmt: skip
def list_measurements(request: AuthedRequest, benefit_id: int) -> Any:
    benefit = _benefit(request, benefit_id)
    return [
        _measurement_out(m)
        for m in benefit.measurements.select_related("recorded_by").order_by("date", "pk")
    ]


@router.post("/benefits/{benefit_id}/measurements", response={201: MeasurementOut, **ERRORS})
def record_measurement(
    request: AuthedRequest, benefit_id: int, payload: MeasurementIn, response: HttpResponse
) -> Any:
    """Record the KPI as measured (the benefit's owner or sustainment owner, or the
    program manager); the benefit's status is recomputed and its ETag changes."""
    benefit = _benefit(request, benefit_id)
    measurement = services.record_measurement(
        actor=request.user, benefit=benefit, date=payload.date, value=payload.value,
        note=payload.note, expected_version=expected_version(request, payload.version),
    )  # fmt: skip
    response["ETag"] = f'"{Benefit.objects.get(pk=benefit.pk).version}"'
    return Status(201, _measurement_out(measurement))


@router.delete("/benefit-measurements/{measurement_id}", response={204: None, **ERRORS})
def delete_measurement(request: AuthedRequest, measurement_id: int) -> Any:
    benefit_id = (
        Measurement.objects.filter(pk=measurement_id).values_list("benefit_id", flat=True).first()
    )
    if benefit_id is None:
        raise NotFound(f"No measurement {measurement_id}.")
    benefit = _benefit(request, benefit_id)
    services.delete_measurement(actor=request.user, measurement=benefit.measurements.get(
        pk=measurement_id))  # fmt: skip
    return Status(204, None)


# -- program-wide reads -------------------------------------------------------------------


@router.get("/programs/{code}/benefits/summary", response={200: SummaryOut, **READ_ERRORS})
def benefit_summary(request: AuthedRequest, code: str, days: int = 30) -> Any:
    """Benefits by status and the status changes of the last ``days`` days, newest first
    (the program dashboard's benefit data)."""
    program = get_program(request.user, code)
    summary = selectors.program_benefit_summary(program, days=max(1, min(days, 3650)))
    return {
        "total": summary.total, "counts": summary.counts, "since": summary.since,
        "changes": [vars(c) for c in summary.changes],
    }  # fmt: skip


@router.get("/programs/{code}/benefits/traceability",
            response={200: TraceabilityOut, **READ_ERRORS})  # fmt: skip
def benefit_traceability(request: AuthedRequest, code: str) -> Any:
    """Goal → benefits → deliverables and directly linked components; and component →
    deliverables → benefits."""
    program = get_program(request.user, code)
    trace = selectors.traceability(program)
    return {
        "goals": [
            {
                "goal": {"id": g.goal.pk, "title": g.goal.title} if g.goal else None,
                "benefits": [
                    {
                        "benefit": _ref(n.benefit),
                        "status": n.benefit.status,
                        "deliverables": [_deliverable_ref(d) for d in n.deliverables],
                        "components": [_ref(c) for c in n.components],
                    }
                    for n in g.benefits
                ],
            }
            for g in trace.goals
        ],
        "components": [
            {
                "component": _ref(c.component),
                "deliverables": [
                    {"deliverable": _ref(d.deliverable), "benefits": [_ref(b) for b in d.benefits]}
                    for d in c.deliverables
                ],
                "benefits": [_ref(b) for b in c.benefits],
            }
            for c in trace.components
        ],
    }


@router.get("/programs/{code}/benefits/descope-impact",
            response={200: DescopeOut, **READ_ERRORS}, exclude_unset=True)  # fmt: skip
def descope_impact(
    request: AuthedRequest,
    code: str,
    component: str = "",
    deliverable: str = "",
    cut: bool = False,
    delay_weeks: int = 0,
) -> Any:
    """Which benefits, and how much expected value, are at risk if the component or
    deliverable (a code) is cut (``cut=true``) or delayed by ``delay_weeks``. The rule is
    in :func:`podium.benefits.selectors.descope_impact`."""
    program = get_program(request.user, code)
    impact = selectors.descope_impact(
        program,
        component=_component(program, component) if component else None,
        deliverable=_deliverable(program, deliverable) if deliverable else None,
        cut=cut, delay_weeks=delay_weeks,
    )  # fmt: skip
    with_value = can_see_value(request.user, program)
    rows = []
    for r in impact.rows:
        row: dict[str, Any] = {
            "benefit": _ref(r.benefit), "status": r.benefit.status, "share": r.share,
            "shift_days": r.shift_days, "horizon": r.horizon, "via": r.via, "reason": r.reason,
        }  # fmt: skip
        if with_value:
            row.update(expected_value=r.expected_value, value_at_risk=r.value_at_risk)
        rows.append(row)
    out: dict[str, Any] = {
        "subject": impact.subject, "cut": impact.cut, "delay_weeks": impact.delay_weeks,
        "rows": rows,
    }  # fmt: skip
    if with_value:
        out.update(total_value_at_risk=impact.total_value, currency=program.currency)
    return out


@router.get("/programs/{code}/benefits/forecast",
            response={200: list[ForecastRowOut], **READ_ERRORS})  # fmt: skip
def realization_forecast(request: AuthedRequest, code: str) -> Any:
    """Per benefit: when its realization can start (its enablers' forecast dates), and
    the P50/P80 of the latest Monte Carlo forecast when it followed their milestones."""
    program = get_program(request.user, code)
    return [
        {
            "benefit": _ref(r.benefit),
            "enablers": [
                {"kind": e.kind, "id": e.pk, "label": e.label, "date": e.date} for e in r.enablers
            ],
            "expected_date": r.expected_date,
            "planned_start": r.planned_start,
            "late_days": r.late_days,
            "p50": r.p50,
            "p80": r.p80,
            "monte_carlo": r.monte_carlo,
        }
        for r in selectors.realization_forecast(program)
    ]

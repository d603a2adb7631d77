"""API endpoints of the financial framework: cost accounts, budget baselines and their
lines, version comparison, budget change requests, actual costs (entries, time entries,
CSV import) and the finance history.

Every endpoint starts from :func:`podium.finance.access.costed_program`: a hidden program
answers 404, a visible one without the cost permission 403 — no cost figure is sent to
a user who may not see costs. An approved baseline refuses edits with 409 and a message.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.http import HttpResponse
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from podium.core.api import WRITE_ERRORS, ErrorOut, Pages, expected_version, set_etag
from podium.core.audit import history_for
from podium.core.errors import NotFound, ValidationFailed
from podium.core.views import AuthedRequest
from podium.finance import evm, selectors, services
from podium.finance.access import costed_program
from podium.finance.models import ZERO, BudgetBaseline, BudgetChangeRequest, CostAccount
from podium.finance.schemas import (
    ActualFilter,
    ActualIn,
    ActualOut,
    BaselineDetailOut,
    BaselinePatch,
    BudgetBaselineIn,
    BudgetBaselineOut,
    BudgetChangeIn,
    BudgetChangeOut,
    BudgetDecisionIn,
    ComparisonOut,
    CostAccountIn,
    CostAccountOut,
    CostAccountPatch,
    EarningRuleIn,
    EarningRuleOut,
    ImportOut,
    LineIn,
    LineOut,
    LinePatch,
    ProgramEvmOut,
    SCurveOut,
    SnapshotIn,
    SnapshotOut,
    TimeEntryIn,
    TrendPointOut,
)
from podium.finance.services import CENT
from podium.programs.models import Program
from podium.programs.permissions import visible_programs
from podium.programs.schemas import AuditOut
from podium.resources.models import Resource
from podium.schedule.models import Activity

__all__ = ["router"]

router = Router(tags=["finance"])

ERRORS = WRITE_ERRORS
READ_ERRORS: dict[int, type[Schema]] = {403: ErrorOut, 404: ErrorOut}
MAX_UPLOAD = 5 * 1024 * 1024


# -- lookups ----------------------------------------------------------------------------


def _program_of(request: AuthedRequest, program_id: int) -> Program:
    """The program of an object addressed by id, checked for the cost permission."""
    program = visible_programs(request.user).filter(pk=program_id).first()
    if program is None:
        raise NotFound("Not found.")
    return costed_program(request.user, program.code)


def _baseline(request: AuthedRequest, pk: int) -> BudgetBaseline:
    program_id = BudgetBaseline.objects.filter(pk=pk).values_list("program_id", flat=True).first()
    if program_id is None:
        raise NotFound(f"No budget baseline {pk}.")
    return selectors.get_baseline(_program_of(request, program_id), pk=pk)


def _change_request(request: AuthedRequest, pk: int) -> BudgetChangeRequest:
    program_id = (
        BudgetChangeRequest.objects.filter(pk=pk).values_list("program_id", flat=True).first()
    )
    if program_id is None:
        raise NotFound(f"No budget change request {pk}.")
    return selectors.get_change_request(_program_of(request, program_id), pk)


def _account_by_code(
    program: Program, code: str | None, field: str = "cost_account"
) -> CostAccount:
    account = (
        CostAccount.objects.select_related("program", "component")
        .filter(program=program, code=(code or "").strip().upper())
        .first()
    )
    if account is None:
        raise ValidationFailed({field: [f"{program.code} has no cost account {code!r}."]})
    return account


def _activity(program: Program, pk: int | None, field: str = "activity") -> Activity | None:
    if pk is None:
        return None
    activity = Activity.objects.filter(program=program, pk=pk).select_related("component").first()
    if activity is None:
        raise ValidationFailed({field: [f"{program.code} has no activity {pk}."]})
    return activity


def _baseline_out(baseline: BudgetBaseline, *, lines: bool = False) -> dict[str, Any]:
    """The baseline with its totals (and lines); a baseline from ``baseline_list``
    already carries ``lines_total``."""
    annotated = getattr(baseline, "lines_total", None)
    view = selectors.budget_view(baseline) if lines or annotated is None else None
    lines_total = (view.lines_total if view is not None else annotated or ZERO).quantize(CENT)
    cost_baseline = lines_total + baseline.contingency
    data: dict[str, Any] = {
        "id": baseline.pk,
        "program": baseline.program.code,
        "number": baseline.number,
        "status": baseline.status,
        "approved_by": baseline.approved_by.username if baseline.approved_by else None,
        "approved_at": baseline.approved_at,
        "notes": baseline.notes,
        "lines_total": lines_total,
        "contingency": baseline.contingency,
        "cost_baseline": cost_baseline,
        "management_reserve": baseline.management_reserve,
        "total_budget": cost_baseline + baseline.management_reserve,
        "version": baseline.version,
    }
    if view is not None and lines:
        data["lines"] = [line for g in view.groups for a in g.accounts for line in a.lines]
    return data


# -- cost accounts ----------------------------------------------------------------------


@router.get("/programs/{code}/cost-accounts", response={200: list[CostAccountOut], **READ_ERRORS})
def list_cost_accounts(request: AuthedRequest, code: str) -> Any:
    return list(selectors.cost_account_list(costed_program(request.user, code)))


@router.post("/programs/{code}/cost-accounts", response={201: CostAccountOut, **ERRORS})
def create_cost_account(
    request: AuthedRequest, code: str, payload: CostAccountIn, response: HttpResponse
) -> Any:
    program = costed_program(request.user, code)
    component = program.components.filter(code=payload.component.strip().upper()).first()
    if component is None:
        raise ValidationFailed(
            {"component": [f"{program.code} has no component {payload.component!r}."]}
        )
    account = services.create_cost_account(
        actor=request.user, program=program, component=component, code=payload.code,
        name=payload.name, activity=_activity(program, payload.activity),
    )  # fmt: skip
    set_etag(response, account)
    return Status(201, account)


@router.patch("/cost-accounts/{account_id}", response={200: CostAccountOut, **ERRORS})
def update_cost_account(
    request: AuthedRequest, account_id: int, payload: CostAccountPatch, response: HttpResponse
) -> Any:
    program_id = (
        CostAccount.objects.filter(pk=account_id).values_list("program_id", flat=True).first()
    )
    if program_id is None:
        raise NotFound(f"No cost account {account_id}.")
    program = _program_of(request, program_id)
    account = selectors.get_cost_account(program, account_id)
    changes = payload.dict(exclude_unset=True)
    version = expected_version(request, changes.pop("version", None))
    if "activity" in changes:
        changes["activity"] = _activity(program, changes["activity"])
    updated = services.update_cost_account(
        actor=request.user, account=account, expected_version=version, **changes
    )
    set_etag(response, updated)
    return updated


# -- baselines --------------------------------------------------------------------------


@router.get(
    "/programs/{code}/budget/baselines", response={200: list[BudgetBaselineOut], **READ_ERRORS}
)
def list_baselines(request: AuthedRequest, code: str) -> Any:
    program = costed_program(request.user, code)
    return [_baseline_out(b) for b in selectors.baseline_list(program)]


@router.post("/programs/{code}/budget/baselines", response={201: BaselineDetailOut, **ERRORS})
def create_baseline(
    request: AuthedRequest, code: str, payload: BudgetBaselineIn, response: HttpResponse
) -> Any:
    program = costed_program(request.user, code)
    baseline = services.create_baseline(actor=request.user, program=program, **payload.dict())
    set_etag(response, baseline)
    return Status(201, _baseline_out(baseline, lines=True))


@router.get("/programs/{code}/budget/compare", response={200: ComparisonOut, **READ_ERRORS})
def compare_baselines(request: AuthedRequest, code: str, a: int, b: int) -> Any:
    """Compare baseline versions ``a`` and ``b`` (version numbers): per cost account and
    line, the amount in each and the difference b − a."""
    program = costed_program(request.user, code)
    comparison = selectors.compare(
        selectors.get_baseline(program, number=a), selectors.get_baseline(program, number=b)
    )
    return {
        "a": a,
        "b": b,
        "total_a": comparison.total_a,
        "total_b": comparison.total_b,
        "difference": comparison.total_b - comparison.total_a,
        "accounts": [
            {
                "cost_account": d.account.code,
                "component": d.account.component.code,
                "total_a": d.total_a,
                "total_b": d.total_b,
                "difference": d.difference,
                "lines": [
                    {
                        "label": line.label,
                        "category": line.category,
                        "status": line.status,
                        "amount_a": line.amount_a,
                        "amount_b": line.amount_b,
                        "difference": line.difference,
                    }
                    for line in d.lines
                ],
            }
            for d in comparison.accounts
        ],
        "reserves": [
            {"reserve": label, "amount_a": va, "amount_b": vb, "difference": diff}
            for label, va, vb, diff in comparison.reserves
        ],
    }


@router.get("/budget-baselines/{baseline_id}", response={200: BaselineDetailOut, **READ_ERRORS})
def get_baseline(request: AuthedRequest, baseline_id: int, response: HttpResponse) -> Any:
    baseline = _baseline(request, baseline_id)
    set_etag(response, baseline)
    return _baseline_out(baseline, lines=True)


@router.patch("/budget-baselines/{baseline_id}", response={200: BaselineDetailOut, **ERRORS})
def update_baseline(
    request: AuthedRequest, baseline_id: int, payload: BaselinePatch, response: HttpResponse
) -> Any:
    baseline = _baseline(request, baseline_id)
    changes = payload.dict(exclude_unset=True)
    version = expected_version(request, changes.pop("version", None))
    updated = services.update_baseline(
        actor=request.user, baseline=baseline, expected_version=version, **changes
    )
    set_etag(response, updated)
    return _baseline_out(updated, lines=True)


@router.post("/budget-baselines/{baseline_id}/approve", response={200: BaselineDetailOut, **ERRORS})
def approve_baseline(
    request: AuthedRequest, baseline_id: int, payload: BudgetDecisionIn, response: HttpResponse
) -> Any:
    """Approve the draft (program manager): it is locked from then on. Send the ETag of
    the baseline you reviewed as If-Match."""
    baseline = _baseline(request, baseline_id)
    updated = services.approve_baseline(
        actor=request.user, baseline=baseline, expected_version=expected_version(request),
        note=payload.note,
    )  # fmt: skip
    set_etag(response, updated)
    return _baseline_out(updated, lines=True)


@router.get("/budget-baselines/{baseline_id}/history", response=list[AuditOut])
@paginate(Pages, page_size=50)
def baseline_history(request: AuthedRequest, baseline_id: int) -> Any:
    return history_for(_baseline(request, baseline_id))


@router.post("/budget-baselines/{baseline_id}/lines", response={201: LineOut, **ERRORS})
def add_line(
    request: AuthedRequest, baseline_id: int, payload: LineIn, response: HttpResponse
) -> Any:
    baseline = _baseline(request, baseline_id)
    data = payload.dict()
    account = _account_by_code(baseline.program, data.pop("cost_account"))
    data["activity"] = _activity(baseline.program, data.pop("activity"))
    line = services.add_line(actor=request.user, baseline=baseline, cost_account=account, **data)
    set_etag(response, line)
    return Status(201, line)


def _line(request: AuthedRequest, pk: int) -> Any:
    program_id = (
        BudgetBaseline.objects.filter(lines__pk=pk).values_list("program_id", flat=True).first()
    )
    if program_id is None:
        raise NotFound(f"No budget line {pk}.")
    return selectors.get_line(_program_of(request, program_id), pk)


@router.patch("/budget-lines/{line_id}", response={200: LineOut, **ERRORS})
def update_line(
    request: AuthedRequest, line_id: int, payload: LinePatch, response: HttpResponse
) -> Any:
    line = _line(request, line_id)
    program = line.baseline.program
    changes = payload.dict(exclude_unset=True)
    version = expected_version(request, changes.pop("version", None))
    if "cost_account" in changes:
        changes["cost_account"] = _account_by_code(program, changes["cost_account"])
    if "activity" in changes:
        changes["activity"] = _activity(program, changes["activity"])
    updated = services.update_line(
        actor=request.user, line=line, expected_version=version, **changes
    )
    set_etag(response, updated)
    return updated


@router.delete("/budget-lines/{line_id}", response={204: None, **ERRORS})
def remove_line(request: AuthedRequest, line_id: int) -> Any:
    services.remove_line(actor=request.user, line=_line(request, line_id))
    return Status(204, None)


# -- change requests --------------------------------------------------------------------


@router.get(
    "/programs/{code}/budget/change-requests",
    response={200: list[BudgetChangeOut], **READ_ERRORS},
)
def list_change_requests(request: AuthedRequest, code: str, status: str = "") -> Any:
    return list(selectors.change_request_list(costed_program(request.user, code), status=status))


@router.post("/programs/{code}/budget/change-requests", response={201: BudgetChangeOut, **ERRORS})
def propose_change(
    request: AuthedRequest, code: str, payload: BudgetChangeIn, response: HttpResponse
) -> Any:
    """Propose changes to the current approved baseline (program or component manager)."""
    program = costed_program(request.user, code)
    baseline = (
        BudgetBaseline.objects.filter(program=program, status=BudgetBaseline.Status.APPROVED)
        .select_related("program")
        .first()
    )
    if baseline is None:
        raise ValidationFailed(
            {"baseline": [f"{program.code} has no approved budget baseline to change."]}
        )
    changes = [c.dict(exclude_none=True) for c in payload.changes]
    cr = services.propose_change(
        actor=request.user, baseline=baseline, title=payload.title, reason=payload.reason,
        changes=changes,
    )  # fmt: skip
    set_etag(response, cr)
    return Status(201, selectors.get_change_request(program, cr.pk))


@router.get("/budget-change-requests/{request_id}", response={200: BudgetChangeOut, **READ_ERRORS})
def get_change_request(request: AuthedRequest, request_id: int, response: HttpResponse) -> Any:
    cr = _change_request(request, request_id)
    set_etag(response, cr)
    return cr


@router.post(
    "/budget-change-requests/{request_id}/approve", response={200: BudgetChangeOut, **ERRORS}
)
def approve_change(
    request: AuthedRequest, request_id: int, payload: BudgetDecisionIn, response: HttpResponse
) -> Any:
    """Approve (program manager): creates the next baseline version."""
    cr = _change_request(request, request_id)
    decided, _ = services.approve_change(
        actor=request.user, request=cr, expected_version=expected_version(request),
        note=payload.note,
    )  # fmt: skip
    set_etag(response, decided)
    return selectors.get_change_request(cr.program, cr.pk)


@router.post(
    "/budget-change-requests/{request_id}/reject", response={200: BudgetChangeOut, **ERRORS}
)
def reject_change(
    request: AuthedRequest, request_id: int, payload: BudgetDecisionIn, response: HttpResponse
) -> Any:
    cr = _change_request(request, request_id)
    decided = services.reject_change(
        actor=request.user, request=cr, expected_version=expected_version(request),
        note=payload.note,
    )  # fmt: skip
    set_etag(response, decided)
    return selectors.get_change_request(cr.program, cr.pk)


# -- actual costs -----------------------------------------------------------------------


@router.get("/programs/{code}/actual-costs", response=list[ActualOut])
@paginate(Pages, page_size=100)
def list_actuals(request: AuthedRequest, code: str, filters: Query[ActualFilter]) -> Any:
    program = costed_program(request.user, code)
    component = account = None
    if filters.component:
        component = (
            program.components.filter(code=filters.component.upper())
            .values_list("pk", flat=True)
            .first()
            or -1
        )
    if filters.cost_account:
        account = (
            CostAccount.objects.filter(program=program, code=filters.cost_account.upper())
            .values_list("pk", flat=True)
            .first()
            or -1
        )
    return selectors.actual_list(
        program, component=component, account=account, date_from=filters.date_from,
        date_to=filters.date_to,
    )  # fmt: skip


@router.post("/programs/{code}/actual-costs", response={201: ActualOut, **ERRORS})
def record_actual(request: AuthedRequest, code: str, payload: ActualIn) -> Any:
    program = costed_program(request.user, code)
    account = _account_by_code(program, payload.cost_account)
    entry = services.record_actual(
        actor=request.user, program=program, cost_account=account, date=payload.date,
        amount=payload.amount, activity=_activity(program, payload.activity),
        description=payload.description,
    )  # fmt: skip
    return Status(201, entry)


@router.post("/programs/{code}/time-entries", response={201: ActualOut, **ERRORS})
def record_time(request: AuthedRequest, code: str, payload: TimeEntryIn) -> Any:
    """Record hours worked; they become an actual cost at the resource's standard rate."""
    program = costed_program(request.user, code)
    account = _account_by_code(program, payload.cost_account)
    code_ = payload.resource.strip().upper()
    resource = (
        Resource.objects.filter(program=program, code=code_).first()
        or Resource.objects.filter(program__isnull=True, code=code_).first()
    )
    if resource is None:
        raise ValidationFailed(
            {"resource": [f"{program.code} has no resource {payload.resource!r}."]}
        )
    entry = services.record_time(
        actor=request.user, program=program, cost_account=account, resource=resource,
        date=payload.date, hours=payload.hours, activity=_activity(program, payload.activity),
        description=payload.description,
    )  # fmt: skip
    return Status(201, entry)


@router.post("/programs/{code}/actual-costs/import", response={201: ImportOut, **ERRORS})
def import_actuals(request: AuthedRequest, code: str, file: File[UploadedFile]) -> Any:
    """Upload a CSV of actual costs (multipart field ``file``). All lines or none are
    stored; errors name the line and the column."""
    program = costed_program(request.user, code)
    if file.size is not None and file.size > MAX_UPLOAD:
        raise ValidationFailed({"file": ["The file is larger than 5 MB."]})
    batch = services.import_actuals(
        actor=request.user, program=program, content=file.read(), filename=file.name or "upload.csv"
    )
    total = (batch.entries.aggregate(total=Sum("amount"))["total"] or ZERO).quantize(CENT)
    return Status(
        201, {"id": batch.pk, "filename": batch.filename, "rows": batch.rows, "total": total}
    )


@router.get("/programs/{code}/budget/history", response=list[AuditOut])
@paginate(Pages, page_size=50)
def finance_history(request: AuthedRequest, code: str) -> Any:
    """Every change of the program's budget and costs (cost permission required)."""
    return selectors.finance_history(costed_program(request.user, code))


# -- earned value -----------------------------------------------------------------------

_MONEY = {"bac", "pv", "ev", "ac", "sv", "cv", "eac", "eac_cpi", "eac_sci", "etc", "vac",
          "forecast"}  # fmt: skip
_RATIOS = {"spi", "cpi", "tcpi", "spi_t", "sci_t", "p_factor"}


def _figures(data: Any) -> Any:
    """Money as two-place decimals and ratios to 4 places, recursively (rows, points)."""
    if isinstance(data, list):
        return [_figures(v) for v in data]
    if not isinstance(data, dict):
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        if value is not None and key in _MONEY:
            out[key] = Decimal(str(value)).quantize(CENT)
        elif value is not None and key in _RATIOS:
            out[key] = round(float(value), 4)
        else:
            out[key] = _figures(value)
    return out


def _snapshot_out(snapshot: Any) -> dict[str, Any]:
    metrics = snapshot.metrics
    return {
        "id": snapshot.pk,
        "name": snapshot.name,
        "status_date": snapshot.status_date,
        "created_by": snapshot.created_by.username if snapshot.created_by else None,
        "created_at": snapshot.created_at,
        "baseline_number": metrics.get("baseline_number"),
        "schedule_baseline": metrics.get("schedule_baseline"),
        "program": _figures(metrics["program"]),
        "components": _figures(metrics.get("components", [])),
    }


@router.get("/programs/{code}/evm", response={200: ProgramEvmOut, **READ_ERRORS})
def program_evm(request: AuthedRequest, code: str, status_date: dt.date | None = None) -> Any:
    """Earned value at the end of ``status_date`` (default: from the schedule's data
    date) against the approved budget baseline: the program, each component and each
    activity with budget or cost — PV, EV, AC, SV, CV, SPI, CPI, EAC (three ways), ETC,
    VAC, TCPI, and for the program and components earned schedule (ES, SV(t), SPI(t),
    SCI(t), EAC(t)) and the p-factor."""
    program = costed_program(request.user, code)
    return _figures(evm.program_evm(program, status_date).as_dict())


@router.get("/programs/{code}/evm/s-curve", response={200: SCurveOut, **READ_ERRORS})
def evm_s_curve(request: AuthedRequest, code: str) -> Any:
    """Weekly cumulative PV over the whole baseline, EV and AC up to the status date, and
    the forecast from the status date to the EAC at the forecast finish."""
    program = costed_program(request.user, code)
    return _figures(evm.s_curve(program).as_dict())


@router.get("/programs/{code}/evm/snapshots", response={200: list[SnapshotOut], **READ_ERRORS})
def list_snapshots(request: AuthedRequest, code: str) -> Any:
    """The status snapshots kept per tracking period, oldest first."""
    program = costed_program(request.user, code)
    return [_snapshot_out(s) for s in evm.snapshot_list(program)]


@router.post("/programs/{code}/evm/snapshots", response={201: SnapshotOut, **ERRORS})
def take_snapshot(request: AuthedRequest, code: str, payload: SnapshotIn) -> Any:
    """Keep the program's earned value at a status date under a name (program manager).
    A snapshot is never changed afterwards."""
    program = costed_program(request.user, code)
    day = payload.status_date or evm.default_status_date(program)
    snapshot = evm.take_snapshot(request.user, program, day, payload.name)
    return Status(201, _snapshot_out(evm.snapshot_list(program).get(pk=snapshot.pk)))


@router.get("/programs/{code}/evm/trend", response={200: list[TrendPointOut], **READ_ERRORS})
def evm_trend(request: AuthedRequest, code: str) -> Any:
    """CPI, SPI and SPI(t) per kept snapshot, oldest first."""
    program = costed_program(request.user, code)
    return [_figures(point.as_dict()) for point in evm.evm_trend(program)]


@router.put("/activities/{activity_id}/earning-rule", response={200: EarningRuleOut, **ERRORS})
def set_earning_rule(request: AuthedRequest, activity_id: int, payload: EarningRuleIn) -> Any:
    """How the activity earns its budget: percent complete (default), 0/100, 50/50 or
    weighted milestones (``weights``, reached as the percent complete passes each
    milestone's cumulative share)."""
    program_id = (
        Activity.objects.filter(pk=activity_id).values_list("program_id", flat=True).first()
    )
    if program_id is None:
        raise NotFound(f"No activity {activity_id}.")
    program = _program_of(request, program_id)
    activity = _activity(program, activity_id)
    assert activity is not None
    rule = evm.set_earning_rule(
        actor=request.user, activity=activity, rule=payload.rule, weights=payload.weights
    )
    return {"activity_id": activity.pk, "rule": rule.rule, "weights": rule.weights}

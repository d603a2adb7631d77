"""Budget, cost and earned value pages. Every page starts from ``costed_program``: users
without the cost permission get 403 (404 for programs they cannot see at all)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from podium.core.audit import history_for
from podium.core.errors import REFUSALS, ValidationFailed
from podium.core.views import AuthedRequest, add_form_errors, page, paginate_qs
from podium.finance import evm, selectors, services
from podium.finance.access import costed_program
from podium.finance.csv_import import parse_amount
from podium.finance.forms import (
    ActualForm,
    CostAccountForm,
    DecisionForm,
    ImportForm,
    LineAmountForm,
    LineForm,
    ReservesForm,
)
from podium.finance.models import BudgetBaseline, BudgetChangeRequest, Category, CostAccount
from podium.finance.performance import RULES, Rag, rate, s_curve_chart, trend_chart
from podium.programs.models import Program
from podium.programs.permissions import can_change_program, roles_in

NEW_LINE_ROWS = 3


def _version(request: AuthedRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def _budget_url(code: str, number: int | None = None) -> str:
    url = reverse("finance:budget", args=[code])
    return f"{url}?v={number}" if number else url


def _can_propose(request: AuthedRequest, program: Program) -> bool:
    return bool(roles_in(request.user, program) & {"admin", "program_manager", "component_manager"})


# -- the budget page --------------------------------------------------------------------


@login_required
@page
def budget(request: AuthedRequest, code: str) -> HttpResponse:
    program = costed_program(request.user, code)
    versions = list(selectors.baseline_list(program))
    number = request.GET.get("v", "")
    if number.isdigit():
        baseline: BudgetBaseline | None = selectors.get_baseline(program, number=int(number))
    else:
        baseline = selectors.current_baseline(program)
    can_change = can_change_program(request.user, program)
    editable = baseline is not None and not baseline.locked and can_change
    context: dict[str, Any] = {
        "program": program,
        "baseline": baseline,
        "view": selectors.budget_view(baseline) if baseline else None,
        "versions": versions,
        "accounts": selectors.cost_account_list(program),
        "can_change": can_change,
        "editable": editable,
        "can_propose": _can_propose(request, program)
        and baseline is not None
        and baseline.status == BudgetBaseline.Status.APPROVED,
        "account_form": CostAccountForm(program=program) if can_change else None,
        "line_form": LineForm(program=program) if editable else None,
        "reserves_form": (
            ReservesForm(
                initial={
                    "management_reserve": baseline.management_reserve,
                    "contingency": baseline.contingency,
                    "notes": baseline.notes,
                    "version": baseline.version,
                }
            )
            if editable and baseline
            else None
        ),
        "open_requests": selectors.change_request_list(
            program, status=BudgetChangeRequest.Status.PROPOSED
        ).count(),
    }
    return render(request, "finance/budget.html", context)


@login_required
@page
def compare(request: AuthedRequest, code: str) -> HttpResponse:
    program = costed_program(request.user, code)
    a, b = request.GET.get("a", ""), request.GET.get("b", "")
    if not (a.isdigit() and b.isdigit()):
        messages.error(request, "Choose two baseline versions to compare.")
        return redirect("finance:budget", code=code)
    comparison = selectors.compare(
        selectors.get_baseline(program, number=int(a)),
        selectors.get_baseline(program, number=int(b)),
    )
    return render(
        request,
        "finance/compare.html",
        {"program": program, "cmp": comparison, "versions": selectors.baseline_list(program)},
    )


@login_required
@require_POST
@page
def account_create(request: AuthedRequest, code: str) -> HttpResponse:
    program = costed_program(request.user, code)
    form = CostAccountForm(request.POST, program=program)
    if form.is_valid():
        try:
            services.create_cost_account(actor=request.user, program=program, **form.cleaned_data)
        except REFUSALS as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Cost account {form.cleaned_data['code'].upper()} added.")
    else:
        messages.error(request, "A cost account needs a code, a name and a component.")
    return redirect("finance:budget", code=code)


@login_required
@require_POST
@page
def baseline_create(request: AuthedRequest, code: str) -> HttpResponse:
    program = costed_program(request.user, code)
    try:
        services.create_baseline(actor=request.user, program=program)
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Draft budget baseline started.")
    return redirect("finance:budget", code=code)


def _baseline_for(request: AuthedRequest, code: str, pk: int) -> tuple[Program, BudgetBaseline]:
    program = costed_program(request.user, code)
    return program, selectors.get_baseline(program, pk=pk)


@login_required
@require_POST
@page
def baseline_update(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    _, baseline = _baseline_for(request, code, pk)
    form = ReservesForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Reserves must be amounts of 0 or more.")
        return redirect(_budget_url(code, baseline.number))
    data = dict(form.cleaned_data)
    version = data.pop("version")
    try:
        services.update_baseline(
            actor=request.user, baseline=baseline, expected_version=version, **data
        )
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Reserves saved.")
    return redirect(_budget_url(code, baseline.number))


@login_required
@require_POST
@page
def line_add(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program, baseline = _baseline_for(request, code, pk)
    form = LineForm(request.POST, program=program)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.add_line(
                actor=request.user, baseline=baseline, cost_account=data.pop("cost_account"),
                amount=data.pop("amount"), **data,
            )  # fmt: skip
        except REFUSALS as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Budget line added.")
    else:
        messages.error(request, "A budget line needs a cost account and an amount of 0 or more.")
    return redirect(_budget_url(code, baseline.number))


@login_required
@require_POST
@page
def line_update(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = costed_program(request.user, code)
    line = selectors.get_line(program, pk)
    form = LineAmountForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed({"amount": ["Enter an amount of 0 or more."]})
        services.update_line(
            actor=request.user,
            line=line,
            expected_version=form.cleaned_data["version"],
            amount=form.cleaned_data["amount"],
        )
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Budget line saved.")
    return redirect(_budget_url(code, line.baseline.number))


@login_required
@require_POST
@page
def line_remove(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = costed_program(request.user, code)
    line = selectors.get_line(program, pk)
    try:
        services.remove_line(actor=request.user, line=line)
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Budget line removed.")
    return redirect(_budget_url(code, line.baseline.number))


@login_required
@require_POST
@page
def baseline_approve(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    _, baseline = _baseline_for(request, code, pk)
    try:
        services.approve_baseline(
            actor=request.user,
            baseline=baseline,
            expected_version=_version(request),
            note=request.POST.get("note", ""),
        )
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Budget baseline v{baseline.number} approved and locked.")
    return redirect(_budget_url(code, baseline.number))


@login_required
@page
def baseline_history(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program, baseline = _baseline_for(request, code, pk)
    return render(
        request,
        "core/history.html",
        {
            "program": program,
            "subject": baseline,
            "page_obj": paginate_qs(request, history_for(baseline), 50),
        },
    )


@login_required
@page
def history(request: AuthedRequest, code: str) -> HttpResponse:
    program = costed_program(request.user, code)
    return render(
        request,
        "core/history.html",
        {
            "program": program,
            "subject": f"{program.code} budget and costs",
            "page_obj": paginate_qs(request, selectors.finance_history(program), 50),
        },
    )


# -- change requests --------------------------------------------------------------------


@login_required
@page
def change_list(request: AuthedRequest, code: str) -> HttpResponse:
    program = costed_program(request.user, code)
    status = request.GET.get("status", "")
    return render(
        request,
        "finance/change_list.html",
        {
            "program": program,
            "page_obj": paginate_qs(request, selectors.change_request_list(program, status=status)),
            "filters": {"status": status},
            "statuses": BudgetChangeRequest.Status.choices,
            "can_propose": _can_propose(request, program),
        },
    )


def _changes_from_post(post: Any, baseline: BudgetBaseline) -> list[dict[str, Any]]:
    """The page's form (one amount field per line, remove boxes, a few new rows and the
    reserves) as change operations: only what differs from the baseline."""

    def amount(raw: str) -> Decimal | str:
        try:
            return parse_amount(raw)
        except ValueError:
            return raw

    changes: list[dict[str, Any]] = []
    for line in baseline.lines.all():
        if post.get(f"remove-{line.pk}"):
            changes.append({"op": "remove", "line": line.pk})
            continue
        raw = post.get(f"amount-{line.pk}", "").strip()
        if raw and amount(raw) != line.amount:
            changes.append({"op": "change", "line": line.pk, "amount": amount(raw)})
    for i in range(1, NEW_LINE_ROWS + 1):
        account = post.get(f"new-account-{i}", "").strip()
        raw = post.get(f"new-amount-{i}", "").strip()
        if account or raw:
            changes.append(
                {
                    "op": "add",
                    "cost_account": account,
                    "category": post.get(f"new-category-{i}") or Category.LABOUR,
                    "amount": amount(raw) if raw else "",
                    "description": post.get(f"new-description-{i}", ""),
                }
            )
    for field in services.RESERVES:
        raw = post.get(field, "").strip()
        if raw and amount(raw) != getattr(baseline, field):
            changes.append({"op": "reserve", "field": field, "amount": amount(raw)})
    return changes


@login_required
@page
def change_new(request: AuthedRequest, code: str) -> HttpResponse:
    program = costed_program(request.user, code)
    baseline = (
        BudgetBaseline.objects.filter(program=program, status=BudgetBaseline.Status.APPROVED)
        .select_related("program")
        .first()
    )
    errors: dict[str, list[str]] = {}
    if baseline is None:
        messages.error(request, "The budget changes by request only once a baseline is approved.")
        return redirect("finance:budget", code=code)
    if request.method == "POST":
        try:
            cr = services.propose_change(
                actor=request.user,
                baseline=baseline,
                title=request.POST.get("title", ""),
                reason=request.POST.get("reason", ""),
                changes=_changes_from_post(request.POST, baseline),
            )
        except ValidationFailed as exc:
            errors = exc.errors
        except REFUSALS as exc:
            errors = {"__all__": [exc.message]}
        else:
            messages.success(request, f"Change request #{cr.number} proposed.")
            return redirect("finance:change", code=code, pk=cr.pk)
    return render(
        request,
        "finance/change_form.html",
        {
            "program": program,
            "baseline": baseline,
            "view": selectors.budget_view(baseline),
            "accounts": CostAccount.objects.filter(program=program).order_by("code"),
            "categories": Category.choices,
            "new_rows": range(1, NEW_LINE_ROWS + 1),
            "errors": errors,
            "post": request.POST,
        },
    )


@login_required
@page
def change_detail(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = costed_program(request.user, code)
    cr = selectors.get_change_request(program, pk)
    return render(
        request,
        "finance/change_detail.html",
        {
            "program": program,
            "cr": cr,
            "rows": selectors.change_rows(cr),
            "can_decide": can_change_program(request.user, program)
            and cr.status == BudgetChangeRequest.Status.PROPOSED,
            "recent": history_for(cr)[:10],
        },
    )


@login_required
@require_POST
@page
def change_decide(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = costed_program(request.user, code)
    cr = selectors.get_change_request(program, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Approve or reject the request.")
        return redirect("finance:change", code=code, pk=pk)
    note = form.cleaned_data["note"] or ""
    version = form.cleaned_data["version"]
    try:
        if form.cleaned_data["decision"] == "approve":
            _, new = services.approve_change(
                actor=request.user, request=cr, expected_version=version, note=note
            )
            messages.success(
                request, f"Change request #{cr.number} approved: budget baseline v{new.number}."
            )
        else:
            services.reject_change(
                actor=request.user, request=cr, expected_version=version, note=note
            )
            messages.success(request, f"Change request #{cr.number} rejected.")
    except REFUSALS as exc:
        messages.error(request, exc.message)
    return redirect("finance:change", code=code, pk=pk)


# -- actual costs -----------------------------------------------------------------------


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@login_required
@page
def actuals(request: AuthedRequest, code: str) -> HttpResponse:
    program = costed_program(request.user, code)
    filters = {k: request.GET.get(k, "") for k in ("component", "account", "date_from", "date_to")}
    form = ActualForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_actual(actor=request.user, program=program, **form.cleaned_data)
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Actual cost recorded.")
            return redirect("finance:actuals", code=code)
    qs = selectors.actual_list(
        program,
        component=int(filters["component"]) if filters["component"].isdigit() else None,
        account=int(filters["account"]) if filters["account"].isdigit() else None,
        date_from=_date(filters["date_from"]),
        date_to=_date(filters["date_to"]),
    )
    may_book = _can_propose(request, program)
    return render(
        request,
        "finance/actuals.html",
        {
            "program": program,
            "page_obj": paginate_qs(request, qs, 50),
            "filters": filters,
            "filtered": any(filters.values()),
            "components": program.components.order_by("code"),
            "accounts": selectors.cost_account_list(program),
            "form": form if may_book else None,
            "import_form": ImportForm() if may_book else None,
            "import_errors": [],
        },
    )


@login_required
@require_POST
@page
def actuals_import(request: AuthedRequest, code: str) -> HttpResponse:
    program = costed_program(request.user, code)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a CSV file to import.")
        return redirect("finance:actuals", code=code)
    upload = form.cleaned_data["file"]
    if upload.size > 5 * 1024 * 1024:
        messages.error(request, "The file is larger than 5 MB.")
        return redirect("finance:actuals", code=code)
    try:
        batch = services.import_actuals(
            actor=request.user, program=program, content=upload.read(), filename=upload.name
        )
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        for msgs in exc.errors.values():
            for msg in msgs:
                messages.error(request, msg)
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{batch.rows} actual cost lines imported from {batch.filename}.")
    return redirect("finance:actuals", code=code)


# -- earned value performance -----------------------------------------------------------


@dataclass(frozen=True)
class RatedRow:
    """An EVM row with its indices rated (see :mod:`podium.finance.performance`)."""

    row: evm.EvmRow
    spi: Rag
    cpi: Rag
    spi_t: Rag
    tcpi: Rag

    @classmethod
    def of(cls, row: evm.EvmRow) -> RatedRow:
        return cls(
            row,
            spi=rate("spi", row.spi),
            cpi=rate("cpi", row.cpi),
            spi_t=rate("spi_t", row.spi_t),
            tcpi=rate("tcpi", row.tcpi),
        )


def _snapshot_rows(program: Program, trend: list[evm.TrendPoint]) -> list[dict[str, Any]]:
    """Each trend point (a snapshot's figures) with who took the snapshot and when."""
    taken = {s.pk: s for s in evm.snapshot_list(program)}
    return [{"point": p, "snapshot": taken.get(p.snapshot_id)} for p in trend]


@login_required
@page
def performance(request: AuthedRequest, code: str) -> HttpResponse:
    program = costed_program(request.user, code)
    baseline = selectors.current_baseline(program)
    context: dict[str, Any] = {"program": program, "RULES": RULES}
    if baseline is None or baseline.status != BudgetBaseline.Status.APPROVED:
        return render(request, "finance/performance.html", {**context, "result": None})
    raw_date = request.GET.get("date", "")
    status_date = _date(raw_date)
    if raw_date and status_date is None:
        messages.error(request, "Enter the status date as YYYY-MM-DD.")
    result = evm.program_evm(program, status_date=status_date)
    curve = evm.s_curve(program, status_date=result.status_date)
    trend = evm.evm_trend(program)
    can_snapshot = can_change_program(request.user, program)
    context.update(
        result=result,
        total=RatedRow.of(result.program),
        components=[RatedRow.of(row) for row in result.components],
        curve=curve,
        s_curve_data=s_curve_chart(curve),
        trend=trend,
        trend_data=trend_chart(trend),
        snapshots=_snapshot_rows(program, trend),
        can_snapshot=can_snapshot,
    )
    return render(request, "finance/performance.html", context)


@login_required
@require_POST
@page
def snapshot_take(request: AuthedRequest, code: str) -> HttpResponse:
    program = costed_program(request.user, code)
    status_date = _date(request.POST.get("status_date", "").strip())
    name = request.POST.get("name", "").strip()
    if status_date is None:
        messages.error(request, "A snapshot needs a status date (YYYY-MM-DD).")
        return redirect("finance:performance", code=code)
    try:
        snapshot = evm.take_snapshot(
            actor=request.user, program=program, status_date=status_date, name=name
        )
    except ValidationFailed as exc:
        for msgs in exc.errors.values():
            for msg in msgs:
                messages.error(request, msg)
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"Snapshot {snapshot.name} taken at {snapshot.status_date:%Y-%m-%d}."
        )
    return redirect("finance:performance", code=code)

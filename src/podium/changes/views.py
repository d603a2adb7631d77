"""Pages of change requests: the list (filters, pages), the request's page with its
lines and workflow buttons, the new/edit form, and the impact page (finish date,
critical path, cost, benefits, resources and the planned-value S-curve before and
after) where the program manager approves or rejects.

Cost figures (BAC, EAC, cost lines' amounts, benefits' value at risk, the S-curve) are
shown only to those who may see costs.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from podium.changes import selectors, services
from podium.changes.access import can_decide, can_edit, can_raise, can_see_cost
from podium.changes.forms import DecisionForm, LineForm, RequestForm
from podium.changes.impact import Impact
from podium.changes.models import ChangeLine, ChangeRequest, State
from podium.core.errors import REFUSALS, NotFound, PermissionDenied, ValidationFailed
from podium.core.views import AuthedRequest, add_form_errors, page, paginate_qs
from podium.programs.models import Program


def _version(request: AuthedRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def _rows(lines: list[ChangeLine], costs: bool) -> list[dict[str, Any]]:
    return [{"n": n, "line": ln, "text": selectors.describe_line(ln, costs)}
            for n, ln in enumerate(lines, start=1)]  # fmt: skip


# -- the list -----------------------------------------------------------------------------


@login_required
@page
def request_list(request: AuthedRequest, code: str) -> HttpResponse:
    program = selectors.readable_program(request.user, code)
    state = request.GET.get("state", "")
    if state not in State.values:
        state = ""
    raw = request.GET.get("component", "")
    component = int(raw) if raw.isdigit() else None
    text = request.GET.get("q", "").strip()
    qs = selectors.change_request_list(program, state=state, component=component, text=text)
    context = {
        "program": program,
        "page_obj": paginate_qs(request, qs),
        "states": State.choices,
        "state": state,
        "components": program.components.order_by("code"),
        "component": component,
        "q": text,
        "filtered": bool(state or component or text),
        "filters": {"state": state, "component": component or "", "q": text},
        "can_raise": can_raise(request.user, program),
        "pending": selectors.pending_change_requests(program).count(),
    }
    return render(request, "changes/list.html", context)


# -- create and edit ----------------------------------------------------------------------


@login_required
@page
def request_new(request: AuthedRequest, code: str) -> HttpResponse:
    program = selectors.readable_program(request.user, code)
    if not can_raise(request.user, program):
        raise PermissionDenied(f"You may not raise change requests in {program.code}.")
    form = RequestForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            cr = services.create_change_request(
                actor=request.user, program=program, **form.service_fields()
            )
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{cr.code} drafted: add the changes it asks for.")
            return redirect("changes:detail", code=code, pk=cr.pk)
    return render(request, "changes/form.html", {"program": program, "form": form, "cr": None})


@login_required
@page
def request_edit(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = selectors.readable_program(request.user, code)
    cr = selectors.get_change_request_for(request.user, pk, program)
    if not can_edit(request.user, cr):
        raise PermissionDenied(f"You may not edit {cr.code}.")
    initial = {"title": cr.title, "description": cr.description,
               "justification": cr.justification, "components": list(cr.components.all()),
               "version": cr.version}  # fmt: skip
    form = RequestForm(request.POST or None, program=program, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_change_request(
                actor=request.user, cr=cr, expected_version=_version(request),
                **form.service_fields(),
            )  # fmt: skip
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{cr.code} saved.")
            return redirect("changes:detail", code=code, pk=pk)
    return render(request, "changes/form.html", {"program": program, "form": form, "cr": cr})


# -- the request's page -------------------------------------------------------------------


def _detail(
    request: AuthedRequest, program: Program, cr: ChangeRequest, line_form: LineForm | None = None
) -> dict[str, Any]:
    costs = can_see_cost(request.user, program)
    editable = can_edit(request.user, cr) and cr.state == State.DRAFT
    if line_form is None and editable:
        line_form = LineForm(program=program, costs=costs)
    return {
        "program": program,
        "cr": cr,
        "lines": _rows(selectors.lines_of(cr), costs),
        "line_form": line_form if editable else None,
        "can_edit": editable,
        "can_withdraw": can_edit(request.user, cr) and cr.is_open,
        "can_decide": can_decide(request.user, program) and cr.state == State.SUBMITTED,
        "impact": services.current_impact(cr),
        "stale": services.impact_is_stale(cr) if cr.impact else False,
        "costs": costs,
        "components": list(cr.components.order_by("code")),
    }


@login_required
@page
def request_detail(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = selectors.readable_program(request.user, code)
    cr = selectors.get_change_request_for(request.user, pk, program)
    return render(request, "changes/detail.html", _detail(request, program, cr))


def _line_errors(form: LineForm, exc: ValidationFailed) -> None:
    for key, msgs in exc.errors.items():
        field = key.rsplit(".", 1)[-1] if key.startswith("lines.") else key
        for msg in msgs:
            form.add_error(field if field in form.fields else None, msg)


@login_required
@require_POST
@page
def line_add(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = selectors.readable_program(request.user, code)
    cr = selectors.get_change_request_for(request.user, pk, program)
    if not can_edit(request.user, cr):
        raise PermissionDenied(f"You may not edit {cr.code}.")
    form = LineForm(request.POST, program=program, costs=can_see_cost(request.user, program))
    if form.is_valid():
        try:
            services.add_line(actor=request.user, cr=cr, **form.service_fields())
        except ValidationFailed as exc:
            _line_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Change line added.")
            return redirect("changes:detail", code=code, pk=pk)
    cr.refresh_from_db()
    return render(request, "changes/detail.html", _detail(request, program, cr, form), status=422)


@login_required
@require_POST
@page
def line_remove(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = selectors.readable_program(request.user, code)
    line = selectors.get_line_for(request.user, pk)
    if line.change_request.program_id != program.pk:
        raise NotFound("No such change line.")
    try:
        services.remove_line(actor=request.user, line=line)
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Change line removed.")
    return redirect("changes:detail", code=code, pk=line.change_request_id)


# -- the impact page ----------------------------------------------------------------------


def chart_data(impact: Impact, currency: str) -> dict[str, Any]:
    """The ``s-curve`` chart's data (static/podium/charts.js): planned value before and
    after the change."""
    return {
        "unit": currency,
        "data_date": impact.cost.status_date.isoformat() if impact.cost else None,
        "series": [
            {"key": "pv", "name": "Planned value before", "points": impact.pv_before},
            {"key": "pv_after", "name": "Planned value after", "points": impact.pv_after},
        ],
        "projection": None,
    }


def _curve_rows(impact: Impact) -> list[tuple[str, Any, Any]]:
    after = {d: v for d, v in impact.pv_after}
    before = {d: v for d, v in impact.pv_before}
    return [(d, before.get(d), after.get(d)) for d in sorted(set(before) | set(after))]


def _impact_context(
    request: AuthedRequest, program: Program, cr: ChangeRequest, **extra: Any
) -> dict[str, Any]:
    costs = can_see_cost(request.user, program)
    impact: Impact | None = None
    errors: dict[str, list[str]] = {}
    try:
        impact = services.compute_impact(cr, actor=request.user)
    except ValidationFailed as exc:
        errors = exc.errors
        impact = services.current_impact(cr)
    cr.refresh_from_db()
    decide = can_decide(request.user, program) and cr.state == State.SUBMITTED
    initial = {"version": cr.version, "fingerprint": impact.fingerprint if impact else ""}

    def form() -> DecisionForm:
        return DecisionForm(initial=initial)

    return {
        "program": program,
        "cr": cr,
        "impact": impact,
        "errors": errors,
        "costs": costs,
        "lines": _rows(selectors.lines_of(cr), costs),
        "chart": chart_data(impact, program.currency) if impact and costs else None,
        "curve_rows": _curve_rows(impact) if impact and costs else [],
        "approve_form": extra.get("approve_form") or (form() if decide else None),
        "reject_form": extra.get("reject_form") or (form() if decide else None),
    }


@login_required
@page
def impact_page(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = selectors.readable_program(request.user, code)
    cr = selectors.get_change_request_for(request.user, pk, program)
    return render(request, "changes/impact.html", _impact_context(request, program, cr))


# -- workflow -----------------------------------------------------------------------------


ACTIONS = {"submit", "withdraw", "delete", "approve", "reject", "recompute"}


@login_required
@require_POST
@page
def request_action(request: AuthedRequest, code: str, pk: int, action: str) -> HttpResponse:
    program = selectors.readable_program(request.user, code)
    cr = selectors.get_change_request_for(request.user, pk, program)
    if action not in ACTIONS:
        raise NotFound(f"No action {action!r}.")
    version = _version(request)
    if action in {"approve", "reject"}:
        return _decide(request, program, cr, action)
    try:
        if action == "submit":
            services.submit(actor=request.user, cr=cr, expected_version=version)
            messages.success(request, f"{cr.code} submitted for decision.")
            return redirect("changes:impact", code=code, pk=pk)
        if action == "withdraw":
            services.withdraw(actor=request.user, cr=cr, expected_version=version,
                              reason=request.POST.get("reason", ""))  # fmt: skip
            messages.success(request, f"{cr.code} withdrawn.")
        elif action == "delete":
            services.delete_change_request(actor=request.user, cr=cr)
            messages.success(request, f"{cr.code} deleted.")
            return redirect("changes:list", code=code)
        elif action == "recompute":
            services.compute_impact(cr, actor=request.user, force=True)
            messages.success(request, "Impact recomputed.")
            return redirect("changes:impact", code=code, pk=pk)
    except ValidationFailed as exc:
        for key, msgs in exc.errors.items():
            for msg in msgs:
                messages.error(request, msg if key.startswith("lines") else f"{key}: {msg}")
    except REFUSALS as exc:
        messages.error(request, exc.message)
    return redirect("changes:detail", code=code, pk=pk)


def _decide(
    request: AuthedRequest, program: Program, cr: ChangeRequest, action: str
) -> HttpResponse:
    if not can_decide(request.user, program):
        raise PermissionDenied("Only the program manager can decide on change requests.")
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "approve":
                services.approve(
                    actor=request.user, cr=cr, expected_version=data["version"],
                    rationale=data["rationale"], impact_fingerprint=data["fingerprint"] or None,
                )  # fmt: skip
                messages.success(request, f"{cr.code} approved: the change is applied.")
            else:
                services.reject(actor=request.user, cr=cr, expected_version=data["version"],
                                reason=data["rationale"])  # fmt: skip
                messages.success(request, f"{cr.code} rejected.")
        except ValidationFailed as exc:
            for key, msgs in exc.errors.items():
                for msg in msgs:
                    target = "rationale" if key in {"rationale", "reason"} else None
                    form.add_error(target, msg)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("changes:detail", code=program.code, pk=cr.pk)
    key = "approve_form" if action == "approve" else "reject_form"
    context = _impact_context(request, program, cr, **{key: form})
    return render(request, "changes/impact.html", context, status=422)

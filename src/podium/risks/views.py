"""Pages of the risk and issue registers: the register with its probability x impact
matrix, risk create/edit/detail (actions, escalation, "it happened", history), the
issue register, and the estimates page (three-point estimates per component and
duration correlations).

Cost impacts show only to users who may see costs; everyone else never gets the
figures, not even in a risk's history.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from podium.accounts.models import User
from podium.core.audit import history_for
from podium.core.errors import REFUSALS, NotFound, PermissionDenied, ValidationFailed
from podium.core.views import AuthedRequest, add_form_errors, page, paginate_qs
from podium.programs.models import Program
from podium.programs.permissions import can_see_costs, get_program
from podium.risks import selectors, services
from podium.risks.access import can_manage, can_raise
from podium.risks.forms import (
    ActionForm,
    ActionStatusForm,
    CorrelationForm,
    EstimateForm,
    IssueForm,
    OccurForm,
    ReasonForm,
    RiskForm,
)
from podium.risks.models import (
    ActivityEstimate,
    Issue,
    IssuePriority,
    IssueStatus,
    Level,
    Risk,
    RiskKind,
    RiskStatus,
)
from podium.schedule.models import Activity

RISK_FILTERS = ("component", "status", "kind", "owner", "level", "q")
ISSUE_FILTERS = ("component", "status", "priority", "owner", "level", "q")


def _version(request: AuthedRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def _filters(request: AuthedRequest, names: tuple[str, ...]) -> dict[str, str]:
    return {name: request.GET.get(name, "").strip() for name in names}


def _owner_id(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _members(program: Program) -> Any:
    return User.objects.filter(memberships__program=program).order_by("username").distinct()


# -- the register -------------------------------------------------------------------------


@login_required
@page
def register(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    filters = _filters(request, RISK_FILTERS)
    risks = selectors.risk_list(
        program, component=filters["component"], status=filters["status"],
        kind=filters["kind"], owner=_owner_id(filters["owner"]), level=filters["level"],
        text=filters["q"],
    )  # fmt: skip
    component = None
    if filters["component"].isdigit():
        component = program.components.filter(pk=int(filters["component"])).first()
    context = {
        "program": program,
        "filters": filters,
        "page_obj": paginate_qs(request, risks, 25),
        "any_risks": Risk.objects.filter(program=program).exists(),
        "components": program.components.order_by("code"),
        "owners": _members(program),
        "statuses": RiskStatus.choices,
        "kinds": RiskKind.choices,
        "levels": Level.choices,
        "threats": selectors.matrix(program, component=component, kind=RiskKind.THREAT),
        "opportunities": selectors.matrix(program, component=component, kind=RiskKind.OPPORTUNITY),
        "matrix_scope": component.code if component else program.code,
        "can_raise": can_raise(request.user, program),
    }
    return render(request, "risks/register.html", context)


def _risk_form_page(
    request: AuthedRequest, program: Program, form: RiskForm, risk: Risk | None
) -> HttpResponse:
    return render(
        request,
        "risks/risk_form.html",
        {"program": program, "form": form, "risk": risk, "creating": risk is None},
    )


@login_required
@page
def risk_new(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    if not can_raise(request.user, program):
        raise PermissionDenied(f"You may not raise risks in {program.code}.")
    with_costs = can_see_costs(request.user, program)
    initial: dict[str, Any] = {"owner": request.user.pk}
    if request.GET.get("component", "").isdigit():
        initial["component"] = int(request.GET["component"])
    form = RiskForm(request.POST or None, program=program, with_costs=with_costs, initial=initial)
    if request.method == "POST" and form.is_valid():
        data, cost, _ = form.service_fields()
        try:
            risk = services.create_risk(
                actor=request.user, program=program, cost_impact=cost, **data
            )
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Risk {risk.code} raised.")
            return redirect("risks:risk", code=code, pk=risk.pk)
    return _risk_form_page(request, program, form, None)


@login_required
@page
def risk_edit(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    risk = selectors.get_risk(program, pk)
    if not can_manage(request.user, program, risk.component):
        raise PermissionDenied(f"You may not change {risk.code}.")
    with_costs = can_see_costs(request.user, program)
    initial = {
        name: getattr(risk, name)
        for name in (
            "title", "code", "component", "kind", "cause", "event", "effect", "owner",
            "probability", "schedule_score", "cost_score", "duration_kind", "duration_low",
            "duration_mode", "duration_high", "strategy", "response", "status", "version",
        )
    }  # fmt: skip
    initial["activities"] = list(risk.activities.all())
    impact = getattr(risk, "cost_impact", None) if hasattr(risk, "cost_impact") else None
    if with_costs and impact is not None:
        initial.update(
            cost_kind=impact.kind, cost_low=impact.low, cost_mode=impact.mode,
            cost_high=impact.high,
        )  # fmt: skip
    form = RiskForm(request.POST or None, program=program, with_costs=with_costs, initial=initial)
    if risk.status == RiskStatus.OCCURRED:
        del form.fields["status"]
    if request.method == "POST" and form.is_valid():
        data, cost, cost_on_form = form.service_fields()
        if not data["code"]:
            del data["code"]  # keep the risk's code
        extra: dict[str, Any] = {"cost_impact": cost} if cost_on_form else {}
        try:
            services.update_risk(
                actor=request.user, risk=risk, expected_version=_version(request), **extra, **data
            )
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Risk {risk.code} saved.")
            return redirect("risks:risk", code=code, pk=risk.pk)
    return _risk_form_page(request, program, form, risk)


@login_required
@page
def risk_detail(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    risk = selectors.get_risk(program, pk)
    with_costs = can_see_costs(request.user, program)
    manage = can_manage(request.user, program, risk.component)
    is_open = risk.status == RiskStatus.OPEN
    context = {
        "program": program,
        "risk": risk,
        "activities": risk.activities.select_related("component").order_by("component__code"),
        "actions": risk.actions.select_related("owner"),
        "issue": getattr(risk, "issue", None) if hasattr(risk, "issue") else None,
        "cost_impact": (
            getattr(risk, "cost_impact", None)
            if with_costs and hasattr(risk, "cost_impact")
            else None
        ),
        "with_costs": with_costs,
        "can_manage": manage,
        "action_form": ActionForm(program=program) if manage else None,
        "action_statuses": ActionStatusForm.base_fields["status"].choices,  # type: ignore[attr-defined]
        "escalate_form": (
            ReasonForm(initial={"version": risk.version})
            if manage and is_open and risk.level == Level.COMPONENT
            else None
        ),
        "occur_form": OccurForm(initial={"version": risk.version}, auto_id="occur_%s")
        if manage and is_open
        else None,
        "records": selectors.risk_history(risk, with_costs=with_costs)[:50],
    }
    return render(request, "risks/risk_detail.html", context)


@login_required
@require_POST
@page
def risk_escalate(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    risk = selectors.get_risk(program, pk)
    try:
        services.escalate_risk(
            actor=request.user, risk=risk, reason=request.POST.get("reason", ""),
            expected_version=_version(request),
        )  # fmt: skip
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{risk.code} escalated to the program.")
    return redirect("risks:risk", code=code, pk=pk)


@login_required
@require_POST
@page
def risk_occur(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    risk = selectors.get_risk(program, pk)
    form = OccurForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Check the due date.")
        return redirect("risks:risk", code=code, pk=pk)
    try:
        issue = services.occur_risk(
            actor=request.user, risk=risk, expected_version=_version(request),
            note=form.cleaned_data["note"], due_date=form.cleaned_data["due_date"],
        )  # fmt: skip
    except REFUSALS as exc:
        messages.error(request, exc.message)
        return redirect("risks:risk", code=code, pk=pk)
    messages.success(request, f"{risk.code} occurred: issue {issue.code} raised.")
    return redirect("risks:issue", code=code, pk=issue.pk)


@login_required
@require_POST
@page
def action_add(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    risk = selectors.get_risk(program, pk)
    form = ActionForm(request.POST, program=program)
    if form.is_valid():
        try:
            services.create_action(actor=request.user, risk=risk, **form.cleaned_data)
        except REFUSALS as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Action added.")
    else:
        messages.error(request, "An action needs a description (and a valid due date).")
    return redirect("risks:risk", code=code, pk=pk)


@login_required
@require_POST
@page
def action_status(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    action = selectors.get_action(program, pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.update_action(
                actor=request.user, action=action, expected_version=_version(request),
                status=form.cleaned_data["status"],
            )  # fmt: skip
        except REFUSALS as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Action updated.")
    return redirect("risks:risk", code=code, pk=action.risk_id)


# -- issues -------------------------------------------------------------------------------


@login_required
@page
def issues(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    filters = _filters(request, ISSUE_FILTERS)
    qs = selectors.issue_list(
        program, component=filters["component"], status=filters["status"],
        priority=filters["priority"], owner=_owner_id(filters["owner"]),
        level=filters["level"], text=filters["q"],
    )  # fmt: skip
    context = {
        "program": program,
        "filters": filters,
        "page_obj": paginate_qs(request, qs, 25),
        "any_issues": Issue.objects.filter(program=program).exists(),
        "components": program.components.order_by("code"),
        "owners": _members(program),
        "statuses": IssueStatus.choices,
        "priorities": IssuePriority.choices,
        "levels": Level.choices,
        "can_raise": can_raise(request.user, program),
    }
    return render(request, "risks/issues.html", context)


@login_required
@page
def issue_new(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    if not can_raise(request.user, program):
        raise PermissionDenied(f"You may not raise issues in {program.code}.")
    form = IssueForm(request.POST or None, program=program, initial={"owner": request.user.pk})
    del form.fields["resolution"]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            issue = services.create_issue(actor=request.user, program=program, **data)
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Issue {issue.code} raised.")
            return redirect("risks:issue", code=code, pk=issue.pk)
    return render(
        request, "risks/issue_form.html", {"program": program, "form": form, "creating": True}
    )


@login_required
@page
def issue_detail(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    issue = selectors.get_issue(program, pk)
    manage = can_manage(request.user, program, issue.component)
    form = None
    if manage:
        initial = {
            name: getattr(issue, name)
            for name in (
                "title", "code", "component", "description", "owner", "priority", "due_date",
                "status", "resolution", "version",
            )
        }  # fmt: skip
        form = IssueForm(request.POST or None, program=program, initial=initial)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(f"You may not change {issue.code}.")
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("version", None)
            if not data["code"]:
                del data["code"]
            try:
                services.update_issue(
                    actor=request.user, issue=issue, expected_version=_version(request), **data
                )
            except ValidationFailed as exc:
                add_form_errors(form, exc)
            except REFUSALS as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"Issue {issue.code} saved.")
                return redirect("risks:issue", code=code, pk=pk)
    open_ = issue.status in (IssueStatus.OPEN, IssueStatus.IN_PROGRESS)
    context = {
        "program": program,
        "issue": issue,
        "form": form,
        "can_manage": manage,
        "escalate_form": (
            ReasonForm(initial={"version": issue.version})
            if manage and open_ and issue.level == Level.COMPONENT
            else None
        ),
        "records": list(history_for(issue)[:50]),
    }
    return render(request, "risks/issue_detail.html", context)


@login_required
@require_POST
@page
def issue_escalate(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    issue = selectors.get_issue(program, pk)
    try:
        services.escalate_issue(
            actor=request.user, issue=issue, reason=request.POST.get("reason", ""),
            expected_version=_version(request),
        )  # fmt: skip
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{issue.code} escalated to the program.")
    return redirect("risks:issue", code=code, pk=pk)


# -- estimates and correlations -----------------------------------------------------------


def _hours(minutes: int | None) -> str:
    if minutes is None:
        return ""
    return f"{minutes / 60:g}"


@login_required
@page
def estimates(request: AuthedRequest, code: str) -> HttpResponse:
    """Three-point estimates of one component's open activities (in working hours), and
    the program's duration correlations."""
    program = get_program(request.user, code)
    components = list(program.components.order_by("code"))
    chosen = request.GET.get("component", "")
    component = next((c for c in components if str(c.pk) == chosen), None)
    if component is None and components:
        component = next((c for c in components if c.activities.exists()), components[0])
    rows = []
    editable = False
    if component is not None:
        editable = can_manage(request.user, program, component)
        activities = (
            Activity.objects.filter(component=component, actual_finish__isnull=True)
            .exclude(kind=Activity.Kind.SUMMARY)
            .order_by("order", "id")
        )
        found = {
            e.activity_id: e for e in ActivityEstimate.objects.filter(activity__component=component)
        }
        for activity in activities:
            estimate = found.get(activity.pk)
            rows.append(
                {
                    "activity": activity,
                    "duration_hours": _hours(activity.duration_minutes),
                    "estimate": estimate,
                    "o": _hours(estimate.optimistic) if estimate else "",
                    "m": _hours(estimate.most_likely) if estimate else "",
                    "p": _hours(estimate.pessimistic) if estimate else "",
                }
            )
    context = {
        "program": program,
        "components": components,
        "component": component,
        "rows": rows,
        "editable": editable,
        "kinds": EstimateForm.base_fields["kind"].choices,  # type: ignore[attr-defined]
        "correlations": selectors.correlation_list(program),
        "correlation_form": (
            CorrelationForm(program=program)
            if can_manage(request.user, program, None) or (component is not None and editable)
            else None
        ),
    }
    return render(request, "risks/estimates.html", context)


@login_required
@require_POST
@page
def estimate_save(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    activity = (
        Activity.objects.select_related("program", "component")
        .filter(program=program, pk=pk)
        .first()
    )
    if activity is None:
        raise NotFound(f"No activity {pk}.")
    back = f"{reverse('risks:estimates', args=[code])}?component={activity.component_id}"
    if request.POST.get("remove"):
        estimate = ActivityEstimate.objects.filter(activity=activity).first()
        if estimate is not None:
            services.delete_estimate(actor=request.user, estimate=estimate)
            messages.success(request, f"Estimate of {activity.name} removed.")
        return redirect(back)
    form = EstimateForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"{activity.name}: enter three durations in hours.")
        return redirect(back)
    try:
        services.set_estimate(
            actor=request.user, activity=activity, kind=form.cleaned_data["kind"],
            expected_version=_version(request), **form.minutes(),
        )  # fmt: skip
    except ValidationFailed as exc:
        first = next(iter(exc.errors.values()))[0]
        messages.error(request, f"{activity.name}: {first}")
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Estimate of {activity.name} saved.")
    return redirect(back)


@login_required
@require_POST
@page
def correlation_add(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    form = CorrelationForm(request.POST, program=program)
    if form.is_valid():
        try:
            services.create_correlation(
                actor=request.user, program=program, a=form.cleaned_data["activity_a"],
                b=form.cleaned_data["activity_b"], rho=form.cleaned_data["rho"],
            )  # fmt: skip
        except REFUSALS as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Correlation added.")
    else:
        messages.error(request, "Pick two activities and a correlation between −1 and 1.")
    return redirect("risks:estimates", code=code)


@login_required
@require_POST
@page
def correlation_remove(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    correlation = selectors.get_correlation(program, pk)
    services.delete_correlation(actor=request.user, correlation=correlation)
    messages.success(request, "Correlation removed.")
    return redirect("risks:estimates", code=code)

"""Pages of the stakeholder register: the filtered list, a stakeholder's page with its
engagement plan, new/edit forms, CSV import, and the assessment page (power/interest
grid and the current-vs-desired engagement matrix).

Members whose only role is stakeholder get 404 everywhere here
(:func:`podium.stakeholders.access.register_program`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from podium.core.errors import REFUSALS, NotFound, PermissionDenied, ValidationFailed
from podium.core.views import AuthedRequest, add_form_errors, page, paginate_qs
from podium.programs.models import Program
from podium.stakeholders import selectors, services
from podium.stakeholders.access import can_change_register, register_program
from podium.stakeholders.forms import ImportForm, PlanItemForm, StakeholderForm
from podium.stakeholders.models import Engagement, EngagementPlanItem, Stakeholder

STAKEHOLDER_FORM_FIELDS = (
    "name", "kind", "organization", "role", "group", "user", "email", "power", "interest",
    "current_engagement", "desired_engagement", "channel", "communication_notes", "version",
)  # fmt: skip
PLAN_FORM_FIELDS = ("what", "how", "frequency", "owner", "next_due", "active", "version")


def _version(request: AuthedRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def _require_change(request: AuthedRequest, program: Program) -> None:
    if not can_change_register(request.user, program):
        raise PermissionDenied(
            f"Only the program manager may change the stakeholder register of {program.code}."
        )


# -- the register -------------------------------------------------------------------------


@login_required
@page
def stakeholder_list(request: AuthedRequest, code: str) -> HttpResponse:
    program = register_program(request.user, code)
    filters = {k: request.GET.get(k, "").strip() for k in ("q", "group", "engagement")}
    stakeholders = selectors.stakeholder_list(program, **filters)
    return render(
        request,
        "stakeholders/list.html",
        {
            "program": program,
            "page_obj": paginate_qs(request, stakeholders),
            "filters": filters,
            "filtered": any(filters.values()),
            "groups": selectors.groups_of(program),
            "levels": Engagement.choices,
            "can_change": can_change_register(request.user, program),
        },
    )


@login_required
@page
def assessment(request: AuthedRequest, code: str) -> HttpResponse:
    """The power/interest grid and the engagement assessment matrix."""
    program = register_program(request.user, code)
    return render(
        request,
        "stakeholders/assessment.html",
        {
            "program": program,
            "grid": selectors.grid(program),
            "matrix": selectors.engagement_matrix(program),
            "summary": selectors.engagement_summary(program),
            "levels": Engagement.choices,
        },
    )


def _form_page(
    request: AuthedRequest, program: Program, form: StakeholderForm, stakeholder: Any
) -> HttpResponse:
    return render(
        request,
        "stakeholders/form.html",
        {"program": program, "form": form, "stakeholder": stakeholder},
    )


@login_required
@page
def stakeholder_new(request: AuthedRequest, code: str) -> HttpResponse:
    program = register_program(request.user, code)
    _require_change(request, program)
    form = StakeholderForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            stakeholder = services.create_stakeholder(
                actor=request.user, program=program, **form.service_fields()
            )
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{stakeholder.name} added to the register.")
            return redirect("stakeholders:detail", code=code, pk=stakeholder.pk)
    return _form_page(request, program, form, None)


@login_required
@page
def stakeholder_edit(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = register_program(request.user, code)
    stakeholder = selectors.get_stakeholder(program, pk)
    _require_change(request, program)
    form = StakeholderForm(
        request.POST or None,
        program=program,
        initial={name: getattr(stakeholder, name) for name in STAKEHOLDER_FORM_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_stakeholder(
                actor=request.user, stakeholder=stakeholder, expected_version=_version(request),
                **form.service_fields(),
            )  # fmt: skip
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{stakeholder.name} saved.")
            return redirect("stakeholders:detail", code=code, pk=pk)
    return _form_page(request, program, form, stakeholder)


@login_required
@require_POST
@page
def stakeholder_delete(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = register_program(request.user, code)
    stakeholder = selectors.get_stakeholder(program, pk)
    try:
        services.delete_stakeholder(
            actor=request.user, stakeholder=stakeholder, expected_version=_version(request)
        )
    except REFUSALS as exc:
        messages.error(request, exc.message)
        return redirect("stakeholders:detail", code=code, pk=pk)
    messages.success(request, f"{stakeholder.name} removed from the register.")
    return redirect("stakeholders:list", code=code)


def _detail(
    request: AuthedRequest, program: Program, stakeholder: Stakeholder, plan_form: Any = None
) -> HttpResponse:
    can_change = can_change_register(request.user, program)
    if plan_form is None and can_change:
        plan_form = PlanItemForm(program=program)
    return render(
        request,
        "stakeholders/detail.html",
        {
            "program": program,
            "stakeholder": stakeholder,
            "items": selectors.plan_items_of(stakeholder),
            "can_change": can_change,
            "plan_form": plan_form,
            "quadrant": selectors.quadrant_key(stakeholder.power, stakeholder.interest),
        },
    )


@login_required
@page
def stakeholder_detail(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = register_program(request.user, code)
    return _detail(request, program, selectors.get_stakeholder(program, pk))


@login_required
@require_POST
@page
def plan_item_add(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = register_program(request.user, code)
    stakeholder = selectors.get_stakeholder(program, pk)
    _require_change(request, program)
    form = PlanItemForm(request.POST, program=program)
    if form.is_valid():
        try:
            services.add_plan_item(
                actor=request.user, stakeholder=stakeholder, **form.service_fields()
            )
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Engagement plan item added.")
            return redirect("stakeholders:detail", code=code, pk=pk)
    return _detail(request, program, stakeholder, plan_form=form)


def _plan_item(request: AuthedRequest, program: Program, pk: int) -> EngagementPlanItem:
    item = selectors.get_plan_item_for(request.user, pk)
    if item.stakeholder.program_id != program.pk:
        raise NotFound(f"No engagement plan item {pk}.")
    return item


@login_required
@page
def plan_item_edit(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = register_program(request.user, code)
    item = _plan_item(request, program, pk)
    _require_change(request, program)
    form = PlanItemForm(
        request.POST or None,
        program=program,
        initial={name: getattr(item, name) for name in PLAN_FORM_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan_item(
                actor=request.user, item=item, expected_version=_version(request),
                **form.service_fields(),
            )  # fmt: skip
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Engagement plan item saved.")
            return redirect("stakeholders:detail", code=code, pk=item.stakeholder_id)
    return render(
        request,
        "stakeholders/plan_item_form.html",
        {"program": program, "item": item, "form": form},
    )


@login_required
@require_POST
@page
def plan_item_remove(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = register_program(request.user, code)
    item = _plan_item(request, program, pk)
    try:
        services.remove_plan_item(actor=request.user, item=item, expected_version=_version(request))
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Engagement plan item removed.")
    return redirect("stakeholders:detail", code=code, pk=item.stakeholder_id)


@login_required
@page
def stakeholder_import(request: AuthedRequest, code: str) -> HttpResponse:
    program = register_program(request.user, code)
    _require_change(request, program)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > 2 * 1024 * 1024:
                raise ValidationFailed({"file": ["The file is larger than 2 MB."]})
            created = services.import_stakeholders_csv(
                actor=request.user, program=program, data=upload.read()
            )
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{len(created)} stakeholder(s) imported.")
            return redirect("stakeholders:list", code=code)
    return render(request, "stakeholders/import.html", {"program": program, "form": form})

"""Pages of component status updates: the program manager's overview (components side
by side with the change since their previous update, a period picker), the pre-filled
"new update" form, a component's history, an update's page (edit, submit, reopen).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from podium.core.errors import REFUSALS, NotFound, PermissionDenied, ValidationFailed
from podium.core.views import AuthedRequest, add_form_errors, page, paginate_qs
from podium.programs.models import Component, Program
from podium.programs.permissions import get_program
from podium.updates import access, selectors, services
from podium.updates.figures import for_reader
from podium.updates.forms import ReopenForm, UpdateForm
from podium.updates.models import ComponentUpdate


def _version(request: AuthedRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def _component(request: AuthedRequest, program: Program, raw: str | int) -> Component:
    component = (
        program.components.select_related("program", "manager").filter(pk=raw).first()
        if str(raw).isdigit()
        else None
    )
    if component is None:
        raise NotFound(f"No component {raw!r} in {program.code}.")
    return component


@login_required
@page
def overview(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    today = timezone.localdate()
    period = selectors.parse_period(request.GET.get("week", "")) or services.period_of(today)
    period = min(period, services.period_of(today))
    view = selectors.overview(request.user, program, period)
    return render(
        request,
        "updates/overview.html",
        {
            "program": program,
            "view": view,
            "fileable": list(access.fileable_components(request.user, program)),
            "drafts": list(
                selectors.update_list(request.user, program, status="draft").filter(
                    component__in=access.fileable_components(request.user, program)
                )
            ),
        },
    )


def _form_page(
    request: AuthedRequest,
    program: Program,
    form: UpdateForm,
    component: Component,
    update: ComponentUpdate | None,
) -> HttpResponse:
    today = timezone.localdate()
    info = selectors.prefill(request.user, component, today)
    if update is not None:
        info["previous"] = selectors.latest_before(component, update.period)
        info["previous_next_steps"] = info["previous"].next_steps if info["previous"] else ""
        info["period"], info["week"] = update.period, update.week_label
    rows = [
        (selectors.label_of(d), form[f"{d}_rag"], form[f"{d}_reason"], info["suggested"].get(d))
        for d in form.dimensions
    ]
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "updates/form.html",
        {"program": program, "form": form, "component": component, "update": update,
         "info": info, "rows": rows},
        status=status,
    )  # fmt: skip


def _save(request: AuthedRequest, form: UpdateForm, save: Any) -> ComponentUpdate | None:
    """Run ``save`` (and submit when the "submit" button was pressed) in one
    transaction; refusals land on the form."""
    try:
        with transaction.atomic():
            update: ComponentUpdate = save()
            if request.POST.get("action") == "submit":
                update = services.submit_update(actor=request.user, update=update)
    except ValidationFailed as exc:
        add_form_errors(form, exc)
    except REFUSALS as exc:
        form.add_error(None, exc.message)
    else:
        return update
    return None


@login_required
@page
def new(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    fileable = list(access.fileable_components(request.user, program))
    if not fileable:
        raise PermissionDenied(f"You do not file status updates in {program.code}.")
    raw = request.GET.get("component", "") or request.POST.get("component", "")
    if not raw:
        return render(request, "updates/choose.html", {"program": program, "components": fileable})
    component = _component(request, program, raw)
    if not access.can_file(request.user, component):
        raise PermissionDenied(f"You may not file status updates for {component.code}.")
    period = services.period_of(timezone.localdate())
    existing = ComponentUpdate.objects.filter(component=component, period=period).first()
    if existing is not None and request.method == "GET":
        messages.info(request, f"{component.code} already has an update for this week.")
        return redirect("updates:detail", code=program.code, pk=existing.pk)
    dims = selectors.dimensions_for(request.user, program)
    info = selectors.prefill(request.user, component)
    form = UpdateForm(request.POST or None, dimensions=dims, initial=info["initial"])
    if request.method == "POST" and form.is_valid():
        update = _save(
            request, form,
            lambda: services.create_update(
                actor=request.user, component=component, **form.service_fields()
            ),
        )  # fmt: skip
        if update is not None:
            done = "submitted" if update.submitted else "saved as a draft"
            messages.success(request, f"{component.code} update {update.week_label} {done}.")
            return redirect("updates:detail", code=program.code, pk=update.pk)
    return _form_page(request, program, form, component, None)


@login_required
@page
def edit(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    update = selectors.get_update(request.user, program, pk)
    if not access.can_file(request.user, update.component):
        raise PermissionDenied(f"You may not change the {update.component.code} update.")
    if update.submitted:
        messages.error(request, "A submitted update is read-only.")
        return redirect("updates:detail", code=program.code, pk=update.pk)
    dims = selectors.dimensions_for(request.user, program)
    initial = {name: getattr(update, name) for name in services.EDITABLE}
    initial["version"] = update.version
    form = UpdateForm(request.POST or None, dimensions=dims, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save(
            request, form,
            lambda: services.change_update(
                actor=request.user, update=update, expected_version=_version(request),
                **form.service_fields(),
            ),
        )  # fmt: skip
        if saved is not None:
            done = "submitted" if saved.submitted else "saved"
            messages.success(request, f"{saved.component.code} update {saved.week_label} {done}.")
            return redirect("updates:detail", code=program.code, pk=saved.pk)
    return _form_page(request, program, form, update.component, update)


@login_required
@page
def history(request: AuthedRequest, code: str, component: int) -> HttpResponse:
    program = get_program(request.user, code)
    comp = _component(request, program, component)
    updates = paginate_qs(request, selectors.update_list(request.user, program, component=comp))
    return render(
        request,
        "updates/history.html",
        {"program": program, "component": comp, "page_obj": updates,
         "can_file": access.can_file(request.user, comp),
         "dimensions": selectors.dimensions_for(request.user, program)},
    )  # fmt: skip


@login_required
@page
def detail(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    update = selectors.get_update(request.user, program, pk)
    previous = selectors.latest_before(update.component, update.period)
    dims = selectors.dimensions_for(request.user, program)
    figures = for_reader(update.figures or {}, request.user, program)
    costs = access.can_see_costs(request.user, program)
    cells, deltas = selectors.compare(update, previous, dims, costs)
    return render(
        request,
        "updates/detail.html",
        {
            "program": program,
            "update": update,
            "previous": previous,
            "cells": cells,
            "deltas": deltas,
            "figures": figures,
            "suggested": figures.get("suggested", {}),
            "can_see_costs": costs,
            "can_file": access.can_file(request.user, update.component) and not update.submitted,
            "can_reopen": access.can_reopen(request.user, update) and update.submitted,
            "reopen_form": ReopenForm(initial={"version": update.version}),
        },
    )


@login_required
@page
@require_POST
def submit(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    update = selectors.get_update(request.user, program, pk)
    try:
        update = services.submit_update(
            actor=request.user, update=update, expected_version=_version(request)
        )
    except REFUSALS as exc:
        errors = exc.errors.values() if isinstance(exc, ValidationFailed) else [[exc.message]]
        for msgs in errors:
            for msg in msgs:
                messages.error(request, msg)
        return redirect("updates:edit", code=program.code, pk=update.pk)
    messages.success(request, f"{update.component.code} update {update.week_label} submitted.")
    return redirect("updates:detail", code=program.code, pk=update.pk)


@login_required
@page
@require_POST
def reopen(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    update = selectors.get_update(request.user, program, pk)
    form = ReopenForm(request.POST)
    note = form.data.get("note", "")
    try:
        update = services.reopen_update(
            actor=request.user, update=update, note=str(note), expected_version=_version(request)
        )
    except REFUSALS as exc:
        errors = exc.errors.values() if isinstance(exc, ValidationFailed) else [[exc.message]]
        for msgs in errors:
            for msg in msgs:
                messages.error(request, msg)
    else:
        messages.success(request, f"{update.component.code} update reopened for a correction.")
    return redirect("updates:detail", code=program.code, pk=update.pk)

"""Pages for programs, components and members. Every change goes through services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from podium.core.audit import history_for
from podium.core.errors import REFUSALS, ValidationFailed, VersionConflict
from podium.core.jobs import start_job
from podium.core.views import AuthedRequest, add_form_errors, page, paginate_qs
from podium.programs import gates, selectors, services
from podium.programs.forms import ComponentForm, GoalForm, MemberForm, ProgramForm, TransitionForm
from podium.programs.models import (
    ComponentKind,
    ComponentStatus,
    Goal,
    Membership,
    Program,
    Role,
    Stage,
)
from podium.programs.permissions import (
    can_change_component,
    can_change_program,
    can_create_program,
    can_transition_component,
    get_component,
    get_program,
    require,
)
from podium.programs.services import COMPONENT_TRANSITIONS, PROGRAM_TRANSITIONS

STAGE_FLOW = [Stage.FORMULATION, Stage.PLANNING, Stage.DELIVERY, Stage.CLOSURE, Stage.CLOSED]


def _version(request: AuthedRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


@login_required
@page
def program_list(request: AuthedRequest) -> HttpResponse:
    filters = {k: request.GET.get(k, "") for k in ("q", "phase")}
    programs = selectors.program_list(request.user, **filters)
    return render(
        request,
        "programs/program_list.html",
        {
            "page_obj": paginate_qs(request, programs),
            "filters": filters,
            "filtered": any(filters.values()),
            "can_create": can_create_program(request.user),
            "phases": ["definition", "delivery", "closure"],
        },
    )


@login_required
@page
def program_create(request: AuthedRequest) -> HttpResponse:
    require(can_create_program(request.user), "Only an administrator (PMO) can create programs.")
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in ("", None)}
        try:
            program = services.create_program(actor=request.user, **data)
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, f"Program {program.code} created.")
            return redirect("programs:detail", code=program.code)
    return render(request, "programs/program_form.html", {"form": form, "creating": True})


@login_required
@page
def program_detail(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    can_change = can_change_program(request.user, program)
    direct_stages, gated_stages = _split_by_gate(
        program, program.stage, [Stage(s) for s in PROGRAM_TRANSITIONS[Stage(program.stage)]]
    )
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "can_change": can_change,
            "stage_flow": [(s, s.label) for s in STAGE_FLOW],
            "stage_index": STAGE_FLOW.index(Stage(program.stage)),
            "next_stages": direct_stages,
            "gated_stages": gated_stages,
            "components": selectors.component_list(program),
            "members": selectors.member_list(program),
            "goals": program.goals.all(),
            "goal_form": GoalForm() if can_change else None,
            "recent": selectors.program_history(program, request.user)[:10],
            "benefits": _benefit_summary(program),
        },
    )


def _split_by_gate(subject: Any, source: str, targets: list[Any]) -> tuple[list[Any], list[Any]]:
    """``targets`` split into the direct moves and the (target, gate page URL) pairs that
    go through a gate review."""
    direct, gated = [], []
    for target in targets:
        url = gates.gate_page(subject, source, target)
        if url:
            gated.append((target, url))
        else:
            direct.append(target)
    return direct, gated


def _benefit_summary(program: Program) -> dict[str, Any]:
    """Benefits by status and their recent status changes, for the overview."""
    from podium.benefits.models import BenefitStatus  # a later app, shown here
    from podium.benefits.selectors import program_benefit_summary

    summary = program_benefit_summary(program)
    labels = dict(BenefitStatus.choices)
    return {
        "total": summary.total,
        "counts": [(s.value, s.label, summary.counts[s.value]) for s in BenefitStatus],
        "changes": [
            {
                "benefit_id": c.benefit_id, "code": c.code, "name": c.name, "at": c.at,
                "before": labels.get(c.before, c.before),
                "after": labels.get(c.after, c.after),
            }
            for c in summary.changes[:5]
        ],
    }  # fmt: skip


@login_required
@page
def program_edit(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    require(can_change_program(request.user, program), "Only the program manager can edit.")
    form = ProgramForm(request.POST or None, instance=program, editing=True)
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in form.changed_data}
        try:
            program = services.update_program(
                actor=request.user, program=program, expected_version=_version(request), **changes
            )
        except VersionConflict as exc:
            form.add_error(None, exc.message)
            program.refresh_from_db()
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, "Program saved.")
            return redirect("programs:detail", code=program.code)
    return render(
        request, "programs/program_form.html", {"form": form, "program": program, "creating": False}
    )


@login_required
@require_POST
@page
def program_transition(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the program changes phase.")
        return redirect("programs:detail", code=code)
    try:
        services.transition_program(
            actor=request.user,
            program=program,
            target=form.cleaned_data["target"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{program.code} moved to {form.cleaned_data['target']}.")
    return redirect("programs:detail", code=code)


@login_required
@require_POST
@page
def goal_add(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    form = GoalForm(request.POST)
    if form.is_valid():
        try:
            services.add_goal(actor=request.user, program=program, **form.cleaned_data)
        except REFUSALS as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "A goal needs a title.")
    return redirect("programs:detail", code=code)


@login_required
@require_POST
@page
def goal_delete(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    goal = get_object_or_404(Goal.objects.select_related("program"), program=program, pk=pk)
    services.delete_goal(actor=request.user, goal=goal)
    return redirect("programs:detail", code=code)


@login_required
@page
def program_history(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    return render(
        request,
        "core/history.html",
        {
            "program": program,
            "subject": program,
            "page_obj": paginate_qs(request, selectors.program_history(program, request.user), 50),
            "whole_program": True,
        },
    )


@login_required
@require_POST
@page
def program_export(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    require(can_change_program(request.user, program), "Only the program manager can export.")
    job = start_job(
        "programs.export_json",
        user=request.user,
        params={"program_id": program.pk},
        program_id=program.pk,
        link=reverse("programs:detail", args=[code]),
    )
    return redirect("job-detail", pk=job.pk)


# -- components -------------------------------------------------------------------------


@login_required
@page
def component_list(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    filters = {k: request.GET.get(k, "") for k in ("q", "status", "kind")}
    components = selectors.component_list(program, **filters)
    return render(
        request,
        "programs/component_list.html",
        {
            "program": program,
            "page_obj": paginate_qs(request, components),
            "filters": filters,
            "filtered": any(filters.values()),
            "statuses": ComponentStatus.choices,
            "kinds": ComponentKind.choices,
            "can_change": can_change_program(request.user, program),
        },
    )


@login_required
@page
def component_create(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    require(can_change_program(request.user, program), "Only the program manager can add.")
    form = ComponentForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in ("", None)}
        try:
            component = services.create_component(actor=request.user, program=program, **data)
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Component {component.code} added.")
            return redirect("programs:component", code=code, pk=component.pk)
    return render(
        request,
        "programs/component_form.html",
        {"form": form, "program": program, "creating": True},
    )


@login_required
@page
def component_detail(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    component = get_component(request.user, pk, program)
    allowed = [
        ComponentStatus(t)
        for t in COMPONENT_TRANSITIONS[ComponentStatus(component.status)]
        if can_transition_component(request.user, component, t)
    ]
    targets, gated = _split_by_gate(component, component.status, allowed)
    return render(
        request,
        "programs/component_detail.html",
        {
            "program": program,
            "component": component,
            "can_change": can_change_component(request.user, component),
            "targets": targets,
            "gated_targets": gated,
            "recent": history_for(component)[:10],
        },
    )


@login_required
@page
def component_edit(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    component = get_component(request.user, pk, program)
    require(can_change_component(request.user, component), "You may not edit this component.")
    form = ComponentForm(request.POST or None, instance=component, program=program, editing=True)
    if not can_change_program(request.user, program):
        form.fields["manager"].disabled = True
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in form.changed_data}
        try:
            component = services.update_component(
                actor=request.user,
                component=component,
                expected_version=_version(request),
                **changes,
            )
        except VersionConflict as exc:
            form.add_error(None, exc.message)
            component.refresh_from_db()
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Component saved.")
            return redirect("programs:component", code=code, pk=pk)
    return render(
        request,
        "programs/component_form.html",
        {"form": form, "program": program, "component": component, "creating": False},
    )


@login_required
@require_POST
@page
def component_transition(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    component = get_component(request.user, pk, program)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the component changes status.")
        return redirect("programs:component", code=code, pk=pk)
    try:
        services.transition_component(
            actor=request.user,
            component=component,
            target=form.cleaned_data["target"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        label = ComponentStatus(form.cleaned_data["target"]).label.lower()
        messages.success(request, f"{component.code} is now {label}.")
    return redirect("programs:component", code=code, pk=pk)


@login_required
@page
def component_history(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    component = get_component(request.user, pk, program)
    return render(
        request,
        "core/history.html",
        {
            "program": program,
            "subject": component,
            "page_obj": paginate_qs(request, history_for(component), 50),
        },
    )


# -- members ----------------------------------------------------------------------------


@login_required
@page
def members(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    can_change = can_change_program(request.user, program)
    form = MemberForm(request.POST or None, program=program)
    if request.method == "POST":
        require(can_change, "Only the program manager can add members.")
        if form.is_valid():
            try:
                services.add_member(actor=request.user, program=program, **form.cleaned_data)
            except ValidationFailed as exc:
                add_form_errors(form, exc)
            else:
                messages.success(request, f"{form.cleaned_data['user']} added.")
                return redirect("programs:members", code=code)
    context: dict[str, Any] = {
        "program": program,
        "members": selectors.member_list(program),
        "form": form if can_change else None,
        "roles": Role.choices,
        "can_change": can_change,
    }
    return render(request, "programs/members.html", context)


def _member(request: AuthedRequest, code: str, pk: int) -> tuple[Program, Membership]:
    program = get_program(request.user, code)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "program"), program=program, pk=pk
    )
    return program, membership


@login_required
@require_POST
@page
def member_role(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    _, membership = _member(request, code, pk)
    try:
        services.change_member_role(
            actor=request.user,
            membership=membership,
            role=request.POST.get("role", ""),
            expected_version=_version(request),
        )
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{membership.user}'s role changed.")
    return redirect("programs:members", code=code)


@login_required
@require_POST
@page
def member_remove(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    _, membership = _member(request, code, pk)
    try:
        services.remove_member(actor=request.user, membership=membership)
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{membership.user} removed from {code}.")
    return redirect("programs:members", code=code)

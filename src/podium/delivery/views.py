"""Pages of deliverables and transition plans: the board by status, a deliverable's
page (criteria, milestone date, dated steps, evidence, and — for its accepting
stakeholder only — the Accept and Reject forms), "My acceptances", and a component's
transition plan with its checklist (ticked with htmx, or plain forms without it).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from podium.core.errors import REFUSALS, NotFound, PermissionDenied, ValidationFailed
from podium.core.views import AuthedRequest, add_form_errors, page
from podium.delivery import selectors, services
from podium.delivery.access import can_add_evidence, can_decide, can_manage
from podium.delivery.forms import (
    AcceptForm,
    DeliverableForm,
    EvidenceForm,
    ItemForm,
    PlanForm,
    RejectForm,
    StepForm,
)
from podium.delivery.models import Deliverable, DeliverableStatus, TransitionItem
from podium.delivery.services import EvidenceInput
from podium.programs.models import Component, ComponentStatus, Program
from podium.programs.permissions import can_change_program, get_component, get_program
from podium.schedule.wall import to_wall

S = DeliverableStatus
# The manager steps: URL name → (service, button label, the status it starts from)
STEPS: dict[str, tuple[Any, str, str]] = {
    "start": (services.start_production, "Start production", S.PLANNED),
    "deliver": (services.mark_delivered, "Mark delivered", S.IN_PRODUCTION),
    "transition": (services.transition_to_operations, "Transition to operations", S.ACCEPTED),
}


def _version(request: AuthedRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def _managed_components(user: Any, program: Program) -> Any:
    components = program.components.order_by("code")
    if can_change_program(user, program):
        return components
    return components.filter(manager=user)


def _component_filter(request: AuthedRequest, program: Program) -> Component | None:
    raw = request.GET.get("component", "")
    return program.components.filter(pk=int(raw)).first() if raw.isdigit() else None


# -- the board ----------------------------------------------------------------------------


@login_required
@page
def board(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    component = _component_filter(request, program)
    columns = selectors.board(program, component=component.pk if component else None)
    plans = (
        program.components.filter(status=ComponentStatus.TRANSITIONING)
        .select_related("transition_plan")
        .order_by("code")
    )
    context = {
        "program": program,
        "board": columns,
        "component": component,
        "components": program.components.order_by("code"),
        "can_add": _managed_components(request.user, program).exists(),
        "my_waiting": selectors.assigned_to(request.user, open_only=True)
        .filter(program=program)
        .count(),
        "transitioning": [(c, services.transition_gaps(c)) for c in plans],
    }
    return render(request, "delivery/board.html", context)


@login_required
@page
def acceptances(request: AuthedRequest, code: str) -> HttpResponse:
    """What names me as accepting stakeholder in this program, waiting ones first."""
    program = get_program(request.user, code)
    mine = list(selectors.assigned_to(request.user).filter(program=program))
    waiting = [d for d in mine if d.status == S.DELIVERED]
    others = [d for d in mine if d.status != S.DELIVERED]
    return render(
        request,
        "delivery/acceptances.html",
        {"program": program, "waiting": waiting, "others": others},
    )


# -- create and edit ----------------------------------------------------------------------


def _form_page(
    request: AuthedRequest, program: Program, form: DeliverableForm, deliverable: Any
) -> HttpResponse:
    return render(
        request,
        "delivery/deliverable_form.html",
        {"program": program, "form": form, "deliverable": deliverable},
    )


@login_required
@page
def deliverable_new(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    components = _managed_components(request.user, program)
    if not components.exists():
        raise PermissionDenied(f"You may not add deliverables in {program.code}.")
    initial: dict[str, Any] = {}
    if request.GET.get("component", "").isdigit():
        initial["component"] = int(request.GET["component"])
    form = DeliverableForm(
        request.POST or None, program=program, components=components, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            deliverable = services.create_deliverable(
                actor=request.user, program=program, **form.service_fields()
            )
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Deliverable {deliverable.code} added.")
            return redirect("delivery:detail", code=code, pk=deliverable.pk)
    return _form_page(request, program, form, None)


@login_required
@page
def deliverable_edit(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    deliverable = selectors.get_deliverable(program, pk)
    if not can_manage(request.user, deliverable.component):
        raise PermissionDenied(f"You may not change {deliverable.code}.")
    fields = ("name", "code", "component", "kind", "description", "acceptance_criteria",
              "milestone", "accepting_stakeholder", "version")  # fmt: skip
    form = DeliverableForm(
        request.POST or None, program=program,
        components=_managed_components(request.user, program),
        initial={name: getattr(deliverable, name) for name in fields},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        if not data["code"]:
            del data["code"]
        try:
            services.update_deliverable(
                actor=request.user, deliverable=deliverable, expected_version=_version(request),
                **data,
            )  # fmt: skip
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Deliverable {deliverable.code} saved.")
            return redirect("delivery:detail", code=code, pk=pk)
    return _form_page(request, program, form, deliverable)


# -- the deliverable's page ---------------------------------------------------------------


def _detail_context(
    request: AuthedRequest, program: Program, deliverable: Deliverable, **forms: Any
) -> dict[str, Any]:
    manage = can_manage(request.user, deliverable.component)
    decide = can_decide(request.user, deliverable) and deliverable.status == S.DELIVERED
    initial = {"version": deliverable.version}
    steps = [
        (name, label) for name, (_, label, source) in STEPS.items() if source == deliverable.status
    ]
    return {
        "program": program,
        "deliverable": deliverable,
        "milestone_finish": to_wall(deliverable.milestone.finish)
        if deliverable.milestone
        else None,
        "events": selectors.events_of(deliverable),
        "evidence": selectors.evidence_of(deliverable),
        "can_manage": manage,
        "steps": steps if manage else [],
        "step_form": StepForm(initial=initial),
        "accept_form": forms.get("accept_form")
        or (AcceptForm(initial=initial) if decide else None),
        "reject_form": forms.get("reject_form")
        or (RejectForm(initial=initial) if decide else None),
        "evidence_form": forms.get("evidence_form")
        or (EvidenceForm() if can_add_evidence(request.user, deliverable) else None),
        "is_stakeholder": can_decide(request.user, deliverable),
    }


@login_required
@page
def deliverable_detail(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    deliverable = selectors.get_deliverable(program, pk)
    return render(
        request, "delivery/deliverable_detail.html", _detail_context(request, program, deliverable)
    )


def _evidence(form: AcceptForm) -> list[EvidenceInput]:
    items = []
    if form.cleaned_data.get("evidence_file"):
        items.append(EvidenceInput(file=form.cleaned_data["evidence_file"]))
    if form.cleaned_data.get("evidence_url"):
        items.append(EvidenceInput(url=form.cleaned_data["evidence_url"]))
    return items


def _decide(request: AuthedRequest, code: str, pk: int, verb: str) -> HttpResponse:
    """GET: the accept (reject) form alone; POST: the decision. Both only for the
    deliverable's accepting stakeholder (403 for every other member, 404 outside)."""
    program = get_program(request.user, code)
    deliverable = selectors.get_deliverable(program, pk)
    if not can_decide(request.user, deliverable):
        who = deliverable.accepting_stakeholder
        named = f" ({who})" if who is not None else ""
        raise PermissionDenied(
            f"Only the accepting stakeholder{named} may {verb} {deliverable.code}."
        )
    form_class = AcceptForm if verb == "accept" else RejectForm
    form = form_class(request.POST or None, request.FILES or None,
                      initial={"version": deliverable.version})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if verb == "accept":
                services.accept_deliverable(
                    actor=request.user, deliverable=deliverable,
                    expected_version=_version(request), comment=data["comment"],
                    evidence=_evidence(form),
                )  # fmt: skip
            else:
                services.reject_deliverable(
                    actor=request.user, deliverable=deliverable,
                    expected_version=_version(request), comment=data["comment"],
                    reason=data["reason"], evidence=_evidence(form),
                )  # fmt: skip
        except ValidationFailed as exc:
            for field, msgs in exc.errors.items():
                target = {"file": "evidence_file", "url": "evidence_url"}.get(field, field)
                for msg in msgs:
                    form.add_error(target if target in form.fields else None, msg)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            done = "accepted" if verb == "accept" else "rejected: it is back in production"
            messages.success(request, f"{deliverable.code} {done}.")
            return redirect("delivery:detail", code=code, pk=pk)
    key = "accept_form" if verb == "accept" else "reject_form"
    context = _detail_context(request, program, deliverable, **{key: form})
    context["focus"] = verb
    status = 422 if request.method == "POST" else 200
    return render(request, "delivery/deliverable_detail.html", context, status=status)


@login_required
@page
def deliverable_accept(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    return _decide(request, code, pk, "accept")


@login_required
@page
def deliverable_reject(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    return _decide(request, code, pk, "reject")


@login_required
@require_POST
@page
def deliverable_step(request: AuthedRequest, code: str, pk: int, step: str) -> HttpResponse:
    program = get_program(request.user, code)
    deliverable = selectors.get_deliverable(program, pk)
    if step not in STEPS:
        raise NotFound(f"No step {step!r}.")
    service, _label, _ = STEPS[step]
    try:
        updated = service(
            actor=request.user, deliverable=deliverable, expected_version=_version(request),
            comment=request.POST.get("comment", ""),
        )  # fmt: skip
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{deliverable.code}: {updated.get_status_display().lower()}.")
    return redirect("delivery:detail", code=code, pk=pk)


@login_required
@require_POST
@page
def evidence_add(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    deliverable = selectors.get_deliverable(program, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_evidence(
                actor=request.user, deliverable=deliverable, title=form.cleaned_data["title"],
                file=form.cleaned_data["file"], url=form.cleaned_data["url"] or "",
            )  # fmt: skip
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Evidence added.")
            return redirect("delivery:detail", code=code, pk=pk)
    context = _detail_context(request, program, deliverable, evidence_form=form)
    return render(request, "delivery/deliverable_detail.html", context, status=422)


@login_required
@page
def evidence_file(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    """Download an evidence file (at most 10 MB, so read whole) as an attachment."""
    program = get_program(request.user, code)
    evidence = selectors.get_evidence_for(request.user, pk)
    if evidence.deliverable.program_id != program.pk or not evidence.file:
        raise NotFound(f"No evidence file {pk}.")
    with evidence.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=evidence.content_type)
    filename = evidence.file.name.rsplit("/", 1)[-1]
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- transition plans ---------------------------------------------------------------------


def _plan_context(
    request: AuthedRequest, program: Program, component: Component, form: PlanForm | None = None
) -> dict[str, Any]:
    plan = selectors.transition_plan(component)
    manage = can_manage(request.user, component)
    if form is None and manage:
        initial: dict[str, Any] = {}
        if plan is not None:
            initial = {
                name: getattr(plan, name)
                for name in ("receiving_organization", "receiving_owner", "receiving_owner_name",
                             "handover_date", "support_until", "notes", "version")
            }  # fmt: skip
        form = PlanForm(initial=initial, program=program)
    items = list(plan.items.all()) if plan is not None else []
    return {
        "program": program,
        "component": component,
        "plan": plan,
        "items": items,
        "done_count": sum(1 for i in items if i.done),
        "gaps": services.transition_gaps(component),
        "can_manage": manage,
        "form": form,
        "item_form": ItemForm() if manage else None,
        "deliverables": Deliverable.objects.filter(component=component).order_by("code"),
    }


@login_required
@page
def transition_plan(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    component = get_component(request.user, pk, program)
    form = None
    if request.method == "POST":
        if not can_manage(request.user, component):
            raise PermissionDenied(f"You may not change the transition plan of {component.code}.")
        form = PlanForm(request.POST, program=program)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("version")
            try:
                services.save_transition_plan(
                    actor=request.user, component=component, expected_version=_version(request),
                    **data,
                )  # fmt: skip
            except ValidationFailed as exc:
                add_form_errors(form, exc)
            except REFUSALS as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"Transition plan of {component.code} saved.")
                return redirect("delivery:plan", code=code, pk=pk)
    context = _plan_context(request, program, component, form)
    status = 422 if form is not None and form.errors else 200
    return render(request, "delivery/transition_plan.html", context, status=status)


@login_required
@require_POST
@page
def item_add(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    component = get_component(request.user, pk, program)
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            services.add_transition_item(
                actor=request.user, component=component, text=form.cleaned_data["text"]
            )
        except REFUSALS as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "Say what has to be done (at most 300 characters).")
    return redirect("delivery:plan", code=code, pk=pk)


def _item(request: AuthedRequest, program: Program, pk: int) -> TransitionItem:
    item = selectors.get_item_for(request.user, pk)
    if item.plan.component.program_id != program.pk:
        raise NotFound(f"No checklist item {pk}.")
    return item


@login_required
@require_POST
@page
def item_tick(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    """Tick or untick one item. htmx swaps the item's row; a plain form reloads the
    page."""
    program = get_program(request.user, code)
    item = _item(request, program, pk)
    done = request.POST.get("done") == "1"
    error = ""
    try:
        item = services.update_transition_item(
            actor=request.user, item=item, expected_version=_version(request), done=done
        )
    except REFUSALS as exc:
        error = exc.message
        item = _item(request, program, pk)
    component = item.plan.component
    if request.headers.get("HX-Request"):
        return render(
            request,
            "delivery/_item.html",
            {"program": program, "item": item, "can_manage": True, "error": error,
             "gaps": services.transition_gaps(component), "oob": True},
        )  # fmt: skip
    if error:
        messages.error(request, error)
    return redirect("delivery:plan", code=code, pk=component.pk)


@login_required
@require_POST
@page
def item_remove(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    item = _item(request, program, pk)
    component_pk = item.plan.component_id
    try:
        services.delete_transition_item(actor=request.user, item=item)
    except REFUSALS as exc:
        messages.error(request, exc.message)
    return redirect("delivery:plan", code=code, pk=component_pk)

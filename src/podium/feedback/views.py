"""Pages of feedback: the stakeholder portal ("My feedback": the programs I belong to, a
form to give feedback, my items with their state and history, Verify / Not fixed), the
team's triage list (filters, pagination, CSV export and import), an item's page with the
triage buttons, the program's feedback actions and its service target.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from podium.core.errors import REFUSALS, NotFound, PermissionDenied, ValidationFailed
from podium.core.views import AuthedRequest, add_form_errors, page, paginate_qs
from podium.feedback import selectors, services
from podium.feedback.access import (
    can_manage_actions,
    can_submit,
    can_triage,
    can_update_action,
    is_submitter,
    is_team_side,
)
from podium.feedback.forms import (
    ActionForm,
    DeclineForm,
    FilterForm,
    ImportForm,
    NoteForm,
    PlanForm,
    SubmitForm,
    TargetForm,
)
from podium.feedback.models import ActionStatus, FeedbackAttachment, FeedbackItem, FeedbackState
from podium.programs.models import Program
from podium.programs.permissions import can_change_program, get_program, visible_programs

S = FeedbackState
# Triage buttons without a form of their own: URL step → (service, label, from state)
STEPS: dict[str, tuple[Any, str, str]] = {
    "acknowledge": (services.acknowledge, "Acknowledge", S.NEW),
    "implement": (services.mark_implemented, "Mark implemented", S.PLANNED),
    "close": (services.close, "Close", S.VERIFIED),
}


def _version(request: AuthedRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def _require_team(request: AuthedRequest, program: Program) -> None:
    if not is_team_side(request.user, program):
        raise NotFound(f"No feedback list in {program.code}.")


# -- the portal ---------------------------------------------------------------------------


@login_required
@page
def portal(request: AuthedRequest) -> HttpResponse:
    """Every program I belong to, with my feedback in each."""
    programs = list(visible_programs(request.user).order_by("code"))
    mine = (
        FeedbackItem.objects.filter(submitted_by=request.user, program__in=programs)
        .select_related("program", "component")
        .order_by("-submitted_at", "-id")
    )
    return render(
        request, "feedback/portal.html",
        {"programs": programs, "page_obj": paginate_qs(request, mine), "filters": {}},
    )  # fmt: skip


@login_required
@page
def mine(request: AuthedRequest, code: str) -> HttpResponse:
    """Give feedback on one program, and see what became of mine."""
    program = get_program(request.user, code)
    allow_anonymous = selectors.target_for(program).allow_anonymous
    form = SubmitForm(
        request.POST or None, request.FILES or None, program=program,
        allow_anonymous=allow_anonymous,
    )  # fmt: skip
    if request.method == "POST":
        if not can_submit(request.user, program):
            raise PermissionDenied(f"You may not give feedback on {program.code}.")
        if form.is_valid():
            try:
                item = services.submit_feedback(
                    actor=request.user, program=program, **form.service_fields()
                )
            except ValidationFailed as exc:
                add_form_errors(form, exc)
            except REFUSALS as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request, f"Thank you — your feedback {item.reference} was received."
                )
                return redirect("feedback:mine", code=code)
    items = selectors.item_list(request.user, program, mine=True)
    return render(
        request, "feedback/mine.html",
        {"program": program, "form": form, "page_obj": paginate_qs(request, items),
         "filters": {}, "is_team": is_team_side(request.user, program)},
    )  # fmt: skip


# -- the team's list ----------------------------------------------------------------------


def _filtered(request: AuthedRequest, program: Program) -> tuple[FilterForm, Any]:
    form = FilterForm(request.GET or None, program=program)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    component = data.get("component")
    qs = selectors.item_list(
        request.user, program, state=data.get("state") or "",
        component=component.pk if component else None, category=data.get("category") or "",
        overdue=bool(data.get("overdue")), text=(data.get("q") or "").strip(),
    )  # fmt: skip
    return form, qs


@login_required
@page
def triage(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    _require_team(request, program)
    form, qs = _filtered(request, program)
    page_obj = paginate_qs(request, qs)
    target = selectors.target_for(program)
    today = selectors.today()
    rows = [(i, selectors.is_overdue(i, today, target)) for i in page_obj]
    filters = {k: v for k, v in request.GET.items() if k != "page"}
    return render(
        request, "feedback/triage.html",
        {"program": program, "form": form, "page_obj": page_obj, "rows": rows,
         "filters": filters, "target": target,
         "can_manage": can_change_program(request.user, program),
         "counts": {s.value: program.feedback_items.filter(state=s).count() for s in S}},
    )  # fmt: skip


@login_required
@page
def export(request: AuthedRequest, code: str) -> HttpResponse:
    """The items I may read (all of them for the team, my own for a stakeholder), with
    the list's filters, as CSV. Anonymous items carry no submitter."""
    program = get_program(request.user, code)
    if is_team_side(request.user, program):
        _, qs = _filtered(request, program)
    else:
        qs = selectors.item_list(request.user, program, mine=True)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="feedback-{program.code}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["reference", "submitted_at", "state", "category", "rating", "component", "about",
         "submitted_by", "group", "text", "actions", "declined_reason"]
    )  # fmt: skip
    for item in qs.prefetch_related("actions"):
        writer.writerow([
            item.reference, item.submitted_at.isoformat(), item.state, item.category,
            item.rating or "", item.component.code if item.component else "", _about(item),
            selectors.submitter_label(request.user, item), item.group, item.text,
            "; ".join(a.title for a in item.actions.all()), item.declined_reason,
        ])  # fmt: skip
    return response


def _about(item: FeedbackItem) -> str:
    if item.deliverable is not None:
        return f"deliverable {item.deliverable.code}"
    if item.benefit is not None:
        return f"benefit {item.benefit.code}"
    if item.component is not None:
        return f"component {item.component.code}"
    return "program"


@login_required
@page
def import_csv(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    if not can_change_program(request.user, program):
        raise PermissionDenied(f"You may not import feedback into {program.code}.")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_import_size(form.cleaned_data["file"])
            items = services.import_feedback_csv(
                actor=request.user, program=program, data=form.cleaned_data["file"].read()
            )
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, f"{len(items)} feedback items imported.")
            return redirect("feedback:triage", code=code)
    return render(request, "feedback/import.html", {"program": program, "form": form})


@login_required
@page
def settings(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    if not can_change_program(request.user, program):
        raise PermissionDenied(f"You may not change the feedback settings of {program.code}.")
    target = selectors.target_for(program)
    initial = {"acknowledge_days": target.acknowledge_days, "close_days": target.close_days,
               "allow_anonymous": target.allow_anonymous, "version": target.version}  # fmt: skip
    form = TargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            services.save_service_target(
                actor=request.user, program=program, expected_version=_version(request), **data
            )
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Feedback settings saved.")
            return redirect("feedback:triage", code=code)
    return render(request, "feedback/settings.html", {"program": program, "form": form})


# -- one item -----------------------------------------------------------------------------


def _item(request: AuthedRequest, program: Program, pk: int) -> FeedbackItem:
    item = selectors.get_item_for(request.user, pk)
    if item.program_id != program.pk:
        raise NotFound(f"No feedback item {pk} in {program.code}.")
    return item


def _detail(
    request: AuthedRequest, program: Program, item: FeedbackItem, **forms: Any
) -> HttpResponse:
    triager = can_triage(request.user, item)
    submitter = is_submitter(request.user, item)
    initial = {"version": item.version}
    steps = (
        [(n, label) for n, (_, label, src) in STEPS.items() if src == item.state] if triager else []
    )
    actions = list(item.actions.select_related("owner"))
    finished = (ActionStatus.DONE, ActionStatus.CANCELLED)
    plan_form = forms.get("plan_form")
    if plan_form is None and triager and item.state == S.ACKNOWLEDGED:
        plan_form = PlanForm(program=program, initial=initial)
    decline_form = forms.get("decline_form")
    if decline_form is None and triager and item.state in (S.NEW, S.ACKNOWLEDGED, S.PLANNED):
        decline_form = DeclineForm(initial=initial)
    answer_form = forms.get("answer_form")
    if answer_form is None and submitter and item.state == S.IMPLEMENTED:
        answer_form = NoteForm(initial=initial)
    link_choices: Any = []
    if triager and item.state not in (S.CLOSED, S.DECLINED):
        link_choices = program.feedback_actions.exclude(pk__in=[a.pk for a in actions]).exclude(
            status=ActionStatus.CANCELLED
        )
    context = {
        "program": program,
        "item": item,
        "submitter": selectors.submitter_label(request.user, item),
        "is_submitter": submitter,
        "is_team": is_team_side(request.user, program),
        "can_triage": triager,
        "steps": steps,
        "open_actions": [a for a in actions if a.status not in finished],
        "actions": actions,
        "can_manage_actions": can_manage_actions(request.user, program, item.component),
        "events": selectors.events_of(item),
        "attachments": item.attachments.all(),
        "overdue": selectors.is_overdue(item),
        "due": selectors.due_dates(item),
        "plan_form": plan_form,
        "decline_form": decline_form,
        "answer_form": answer_form,
        "can_verify_for": services.can_verify_for_submitter(request.user, item) and not submitter,
        "link_choices": link_choices,
    }
    status = 422 if any(f is not None and f.errors for f in forms.values()) else 200
    return render(request, "feedback/detail.html", context, status=status)


@login_required
@page
def detail(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    return _detail(request, program, _item(request, program, pk))


@login_required
@require_POST
@page
def step(request: AuthedRequest, code: str, pk: int, name: str) -> HttpResponse:
    program = get_program(request.user, code)
    item = _item(request, program, pk)
    note = request.POST.get("note", "")
    try:
        if name in STEPS:
            func = STEPS[name][0]
            kwargs: dict[str, Any] = {}
            if name == "implement" and request.POST.get("explicit"):
                kwargs["explicit"] = True
            func(
                actor=request.user,
                item=item,
                expected_version=_version(request),
                note=note,
                **kwargs,
            )
        elif name == "verify":
            services.verify(
                actor=request.user, item=item, expected_version=_version(request), note=note
            )
        elif name == "not-fixed":
            services.not_fixed(
                actor=request.user, item=item, expected_version=_version(request), note=note
            )
        else:
            raise Http404("No such step.")
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{item.reference} updated.")
    return redirect("feedback:detail", code=code, pk=pk)


@login_required
@require_POST
@page
def plan(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    item = _item(request, program, pk)
    if not can_triage(request.user, item):
        raise PermissionDenied(f"You may not plan {item.reference}.")
    form = PlanForm(request.POST, program=program)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions = list(data["actions"] or [])
            if data["new_action"].strip():
                actions.append(
                    services.create_action(
                        actor=request.user,
                        program=program,
                        title=data["new_action"],
                        owner=data["owner"],
                        due_date=data["due_date"],
                        component=item.component,
                    )
                )
            services.plan(
                actor=request.user, item=item, actions=actions, risk=data["risk"],
                change_request=data["change_request"], expected_version=_version(request),
                note=data["note"] or "",
            )  # fmt: skip
        except ValidationFailed as exc:
            add_form_errors(form, exc)
            if "actions" in exc.errors:
                form.add_error("new_action", "Or name a new action here.")
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{item.reference} planned.")
            return redirect("feedback:detail", code=code, pk=pk)
    return _detail(request, program, item, plan_form=form)


@login_required
@require_POST
@page
def decline(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    item = _item(request, program, pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.decline(
                actor=request.user, item=item, reason=form.cleaned_data["reason"] or "",
                expected_version=_version(request),
            )  # fmt: skip
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{item.reference} declined.")
            return redirect("feedback:detail", code=code, pk=pk)
    return _detail(request, program, item, decline_form=form)


@login_required
@require_POST
@page
def link(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    item = _item(request, program, pk)
    raw = request.POST.get("action", "")
    action = program.feedback_actions.filter(pk=int(raw)).first() if raw.isdigit() else None
    if action is None:
        messages.error(request, "Choose an action to link.")
        return redirect("feedback:detail", code=code, pk=pk)
    try:
        services.link_action(actor=request.user, item=item, action=action)
    except REFUSALS as exc:
        messages.error(request, exc.message)
    return redirect("feedback:detail", code=code, pk=pk)


@login_required
@require_POST
@page
def unlink(request: AuthedRequest, code: str, pk: int, action_pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    item = _item(request, program, pk)
    action = program.feedback_actions.filter(pk=action_pk).first()
    if action is None:
        raise NotFound(f"No action {action_pk}.")
    try:
        services.unlink_action(actor=request.user, item=item, action=action)
    except REFUSALS as exc:
        messages.error(request, exc.message)
    return redirect("feedback:detail", code=code, pk=pk)


@login_required
@page
def attachment(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    """Download an attachment (at most 5 MB, so read whole): whoever may read its item."""
    program = get_program(request.user, code)
    found = FeedbackAttachment.objects.filter(pk=pk, item__program=program).first()
    readable = selectors.visible_items(request.user, program)
    if found is None or not readable.filter(pk=found.item_id).exists():
        raise NotFound(f"No attachment {pk}.")
    with found.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=found.content_type)
    safe = "".join(c for c in found.name if c.isalnum() or c in "._- ") or "attachment"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- actions ------------------------------------------------------------------------------


@login_required
@page
def actions(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    _require_team(request, program)
    status = request.GET.get("status", "")
    status = status if status in ActionStatus.values else ""
    qs = selectors.action_list(program, status=status).prefetch_related("items")
    manage = can_manage_actions(request.user, program)
    form = ActionForm(request.POST or None, program=program) if manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(f"You may not add feedback actions in {program.code}.")
        if form.is_valid():
            try:
                services.create_action(actor=request.user, program=program, **form.service_fields())
            except ValidationFailed as exc:
                add_form_errors(form, exc)
            except REFUSALS as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "Action added.")
                return redirect("feedback:actions", code=code)
    return render(
        request, "feedback/actions.html",
        {"program": program, "page_obj": paginate_qs(request, qs), "form": form,
         "filters": {"status": status}, "status": status, "statuses": ActionStatus.choices,
         "today": selectors.today()},
    )  # fmt: skip


@login_required
@page
def action_edit(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    _require_team(request, program)
    action = selectors.get_action_for(request.user, pk)
    if action.program_id != program.pk:
        raise NotFound(f"No feedback action {pk}.")
    if request.method == "POST" and request.POST.get("status") and "title" not in request.POST:
        # The quick "Mark done" / status button (managers and the owner).
        try:
            services.update_action(
                actor=request.user, action=action, expected_version=_version(request),
                status=request.POST["status"],
            )  # fmt: skip
        except REFUSALS as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, f"{action.title}: {ActionStatus(request.POST['status']).label}."
            )
        back = request.POST.get("next", "")
        if back.startswith("/") and not back.startswith("//"):
            return redirect(back)
        return redirect("feedback:actions", code=code)
    if not can_update_action(request.user, action):
        raise PermissionDenied(f"You may not change the action {action.title}.")
    fields = ("title", "description", "owner", "due_date", "status", "component", "version")
    form = ActionForm(
        request.POST or None, program=program, initial={f: getattr(action, f) for f in fields}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_action(
                actor=request.user, action=action, expected_version=_version(request),
                **form.service_fields(),
            )  # fmt: skip
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Action saved.")
            return redirect("feedback:actions", code=code)
    return render(
        request, "feedback/action_form.html",
        {"program": program, "action": action, "form": form, "items": action.items.all()},
    )  # fmt: skip

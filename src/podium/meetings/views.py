"""Pages of meetings: a program's meetings (upcoming first, then past; filter by kind;
"my actions"), planning and editing a meeting, and a meeting's page with its agenda
(linked objects as the reader may see them), attendees, minutes, decisions and actions,
and the moves: pre-fill from the board agenda, hold, plan the next meeting, cancel, and
download the invitation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from podium.core.errors import REFUSALS, NotFound, PermissionDenied, ValidationFailed
from podium.core.views import AuthedRequest, add_form_errors, page, paginate_qs
from podium.meetings import access, ical, selectors, services
from podium.meetings.forms import (
    ActionForm,
    ActionStatusForm,
    AgendaItemForm,
    AttendeeForm,
    DecisionForm,
    FilterForm,
    HoldForm,
    ItemMinutesForm,
    MeetingForm,
    MinutesForm,
    NextForm,
)
from podium.meetings.models import Meeting, MeetingKind, MeetingStatus
from podium.programs.models import Program

__all__ = [
    "action_add",
    "action_status",
    "agenda_add",
    "agenda_item",
    "agenda_remove",
    "attendee_add",
    "attendee_remove",
    "decision_add",
    "hold",
    "invite",
    "meeting_cancel",
    "meeting_detail",
    "meeting_edit",
    "meeting_list",
    "meeting_new",
    "minutes",
    "next_meeting",
    "prefill",
]

PER_PAGE = 20


def _version(request: AuthedRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def _kinds(user: Any, program: Program) -> list[str]:
    return [k for k in MeetingKind.values if access.can_plan(user, program, k)]


# -- the list -------------------------------------------------------------------------------


@login_required
@page
def meeting_list(request: AuthedRequest, code: str) -> HttpResponse:
    program = selectors.meetings_program(request.user, code)
    form = FilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    meetings = selectors.meeting_list(request.user, program, kind=kind)
    page_obj = paginate_qs(request, meetings, PER_PAGE)
    now = timezone.now()
    context = {
        "program": program,
        "form": form,
        "filters": {"kind": kind},
        "page_obj": page_obj,
        "now": now,
        "any_meetings": selectors.visible_meetings(request.user, program).exists(),
        "kinds": _kinds(request.user, program),
        "my_actions": selectors.my_actions(request.user, program)[:50],
        "today": timezone.localdate(),
    }
    return render(request, "meetings/list.html", context)


# -- plan and edit --------------------------------------------------------------------------


@login_required
@page
def meeting_new(request: AuthedRequest, code: str) -> HttpResponse:
    program = selectors.meetings_program(request.user, code)
    kinds = _kinds(request.user, program)
    if not kinds:
        raise PermissionDenied(f"You may not plan meetings in {program.code}.")
    kind = request.GET.get("kind") if request.GET.get("kind") in kinds else kinds[-1]
    initial = {"kind": kind, "duration": 60 if kind == MeetingKind.COORDINATION else 120}
    form = MeetingForm(
        request.POST or None, program=program, kinds=kinds, creating=True, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.plan_meeting(
                actor=request.user,
                program=program,
                kind=data["kind"],
                title=data["title"],
                starts_at=data["starts_at"],
                duration=data["duration"],
                location=data["location"],
                online_link=data["online_link"],
                description=data["description"],
                guests=form.guest_list(),
            )
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Meeting “{meeting.title}” planned.")
            return redirect("meetings:detail", code=code, pk=meeting.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "meetings/form.html",
        {"program": program, "form": form, "meeting": None},
        status=status,
    )


@login_required
@page
def meeting_edit(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = selectors.meetings_program(request.user, code)
    meeting = selectors.get_meeting(program, pk, request.user)
    if not access.can_change_content(request.user, meeting):
        raise PermissionDenied(f"You may not change “{meeting.title}”.")
    initial = {
        "title": meeting.title,
        "starts_at": timezone.localtime(meeting.starts_at),
        "duration": meeting.duration,
        "location": meeting.location,
        "online_link": meeting.online_link,
        "description": meeting.description,
        "version": meeting.version,
    }
    form = MeetingForm(
        request.POST or None, program=program, kinds=[], creating=False, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            services.update_meeting(
                actor=request.user, meeting=meeting, expected_version=_version(request), **data
            )
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Meeting “{data['title']}” saved.")
            return redirect("meetings:detail", code=code, pk=pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "meetings/form.html",
        {"program": program, "form": form, "meeting": meeting},
        status=status,
    )


# -- the meeting page -----------------------------------------------------------------------


def _detail(
    request: AuthedRequest,
    program: Program,
    pk: int,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    meeting = selectors.decorate(request.user, selectors.get_meeting(program, pk, request.user))
    bound = bound or {}
    user = request.user
    content = access.can_change_content(user, meeting)
    open_meeting = meeting.status != MeetingStatus.CANCELLED
    planned = meeting.status == MeetingStatus.PLANNED
    items = list(meeting.agenda_items.all())
    item_forms = {}
    if content and open_meeting:
        for item in items:
            item_forms[item.pk] = ItemMinutesForm(
                prefix=f"item-{item.pk}",
                initial={
                    "notes": item.notes,
                    "outcome": item.outcome,
                    "status": item.status,
                    "version": item.version,
                },
            )
    rows = [(item, item_forms.get(item.pk)) for item in items]
    actions = list(meeting.actions.all())
    action_rows = [(a, access.can_update_action(user, a)) for a in actions]
    has_next = hasattr(meeting, "next_meeting")
    context = {
        "program": program,
        "meeting": meeting,
        "agenda": rows,
        "attendees": list(meeting.attendees.all()),
        "decisions": list(meeting.decisions.all()),
        "actions": action_rows,
        "next_meeting": meeting.next_meeting if has_next else None,
        "can_change": content and open_meeting,
        "can_cancel": access.can_change(user, meeting) and planned,
        "can_decide": access.can_record_decision(user, meeting),
        "can_plan_next": (
            not has_next
            and access.can_change(user, meeting)
            and access.can_plan(user, program, meeting.kind)
        ),
        "locked": meeting.status == MeetingStatus.HELD and not content,
        "today": timezone.localdate(),
    }
    if content and open_meeting:
        context["agenda_form"] = bound.get("agenda") or AgendaItemForm(
            program=program, user=user, prefix="agenda"
        )
        context["attendee_form"] = bound.get("attendee") or AttendeeForm(
            meeting=meeting, prefix="attendee", initial={"required": True}
        )
        context["action_form"] = bound.get("action") or ActionForm(program=program, prefix="action")
        if planned:
            context["hold_form"] = bound.get("hold") or HoldForm(
                meeting=meeting,
                prefix="hold",
                initial={
                    "attended": [str(a.pk) for a in meeting.attendees.all()],
                    "minutes": meeting.minutes,
                    "version": meeting.version,
                },
            )
        else:
            context["minutes_form"] = bound.get("minutes") or MinutesForm(
                prefix="minutes", initial={"minutes": meeting.minutes, "version": meeting.version}
            )
    if context["can_decide"]:
        context["decision_form"] = bound.get("decision") or DecisionForm(
            meeting=meeting, prefix="decision"
        )
    if context["can_plan_next"]:
        context["next_form"] = bound.get("next") or NextForm(prefix="next")
    return render(request, "meetings/detail.html", context, status=status)


@login_required
@page
def meeting_detail(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = selectors.meetings_program(request.user, code)
    return _detail(request, program, pk)


def _post(
    request: AuthedRequest,
    code: str,
    pk: int,
    name: str,
    make: Callable[[Meeting], forms.Form],
    act: Callable[[Meeting, forms.Form], str],
) -> HttpResponse:
    """Bind a form of the meeting page, run the move, and come back to the page (with the
    form's errors when it was refused)."""
    program = selectors.meetings_program(request.user, code)
    meeting = selectors.get_meeting(program, pk, request.user)
    form = make(meeting)
    if form.is_valid():
        try:
            done = act(meeting, form)
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, done)
            return redirect("meetings:detail", code=code, pk=pk)
    return _detail(request, program, pk, bound={name: form}, status=422)


@login_required
@require_POST
@page
def agenda_add(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    def act(meeting: Meeting, form: forms.Form) -> str:
        assert isinstance(form, AgendaItemForm)
        link_type, link_id = form.link_fields()
        data = form.cleaned_data
        services.add_agenda_item(
            actor=request.user,
            meeting=meeting,
            title=data["title"],
            presenter=data.get("presenter"),
            link_type=link_type,
            link_id=link_id,
        )
        return f"“{data['title']}” added to the agenda."

    return _post(
        request,
        code,
        pk,
        "agenda",
        lambda m: AgendaItemForm(
            request.POST, program=m.program, user=request.user, prefix="agenda"
        ),
        act,
    )


@login_required
@require_POST
@page
def agenda_item(request: AuthedRequest, code: str, pk: int, item_pk: int) -> HttpResponse:
    """Record an item's notes and outcome, or close it."""
    program = selectors.meetings_program(request.user, code)
    item = selectors.get_agenda_item_for(request.user, item_pk)
    if item.meeting.program_id != program.pk or item.meeting_id != pk:
        raise NotFound(f"No agenda item {item_pk}.")
    form = ItemMinutesForm(request.POST, prefix=f"item-{item.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.update_agenda_item(
                actor=request.user,
                item=item,
                expected_version=data.get("version"),
                notes=data["notes"],
                outcome=data["outcome"],
                status=data["status"],
            )
        except REFUSALS as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"“{item.title}” saved.")
    else:
        messages.error(request, "The item was not saved: check its fields.")
    return redirect("meetings:detail", code=code, pk=pk)


@login_required
@require_POST
@page
def agenda_remove(request: AuthedRequest, code: str, pk: int, item_pk: int) -> HttpResponse:
    selectors.meetings_program(request.user, code)
    item = selectors.get_agenda_item_for(request.user, item_pk)
    try:
        services.remove_agenda_item(actor=request.user, item=item)
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{item.title}” removed from the agenda.")
    return redirect("meetings:detail", code=code, pk=item.meeting_id)


@login_required
@require_POST
@page
def prefill(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = selectors.meetings_program(request.user, code)
    meeting = selectors.get_meeting(program, pk, request.user)
    try:
        created = services.prefill_board_agenda(actor=request.user, meeting=meeting)
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        if created:
            messages.success(request, f"{len(created)} item(s) added from the board agenda.")
        else:
            messages.success(request, "Nothing new waits for the board.")
    return redirect("meetings:detail", code=code, pk=pk)


@login_required
@require_POST
@page
def attendee_add(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    def act(meeting: Meeting, form: forms.Form) -> str:
        assert isinstance(form, AttendeeForm)
        attendee = services.add_attendee(actor=request.user, meeting=meeting, guest=form.guest())
        return f"{attendee.display_name} invited."

    return _post(
        request,
        code,
        pk,
        "attendee",
        lambda m: AttendeeForm(request.POST, meeting=m, prefix="attendee"),
        act,
    )


@login_required
@require_POST
@page
def attendee_remove(request: AuthedRequest, code: str, pk: int, attendee_pk: int) -> HttpResponse:
    selectors.meetings_program(request.user, code)
    attendee = selectors.get_attendee_for(request.user, attendee_pk)
    try:
        services.remove_attendee(actor=request.user, attendee=attendee)
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{attendee.display_name} is no longer invited.")
    return redirect("meetings:detail", code=code, pk=attendee.meeting_id)


@login_required
@require_POST
@page
def hold(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    def act(meeting: Meeting, form: forms.Form) -> str:
        data = form.cleaned_data
        services.hold_meeting(
            actor=request.user,
            meeting=meeting,
            minutes=data["minutes"],
            attended=[int(a) for a in data["attended"]],
            expected_version=data.get("version"),
        )
        return "Meeting recorded as held."

    return _post(
        request, code, pk, "hold", lambda m: HoldForm(request.POST, meeting=m, prefix="hold"), act
    )


@login_required
@require_POST
@page
def minutes(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    """Correct the minutes of a held meeting (the program manager)."""

    def act(meeting: Meeting, form: forms.Form) -> str:
        data = form.cleaned_data
        services.update_meeting(
            actor=request.user,
            meeting=meeting,
            expected_version=data.get("version"),
            minutes=data["minutes"],
        )
        return "Minutes saved."

    return _post(
        request, code, pk, "minutes", lambda m: MinutesForm(request.POST, prefix="minutes"), act
    )


@login_required
@require_POST
@page
def decision_add(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    def act(meeting: Meeting, form: forms.Form) -> str:
        data = form.cleaned_data
        link = services.record_meeting_decision(
            actor=request.user,
            meeting=meeting,
            outcome=data["outcome"],
            rationale=data["rationale"],
            agenda_item=data.get("agenda_item"),
        )
        return f"Decision #{link.decision.number} recorded in the decision log."

    return _post(
        request,
        code,
        pk,
        "decision",
        lambda m: DecisionForm(request.POST, meeting=m, prefix="decision"),
        act,
    )


@login_required
@require_POST
@page
def action_add(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    def act(meeting: Meeting, form: forms.Form) -> str:
        data = form.cleaned_data
        services.add_action(
            actor=request.user,
            meeting=meeting,
            title=data["title"],
            owner=data["owner"],
            due_date=data.get("due_date"),
        )
        return f"Action “{data['title']}” assigned to {data['owner']}."

    return _post(
        request,
        code,
        pk,
        "action",
        lambda m: ActionForm(request.POST, program=m.program, prefix="action"),
        act,
    )


@login_required
@require_POST
@page
def action_status(request: AuthedRequest, code: str, action_pk: int) -> HttpResponse:
    """Mark an action done or open again (from the meeting page or "my actions")."""
    selectors.meetings_program(request.user, code)
    action = selectors.get_action_for(request.user, action_pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.update_action(
                actor=request.user, action=action, status=form.cleaned_data["status"]
            )
        except REFUSALS as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"“{action.title}” is {form.cleaned_data['status']}.")
    back = request.POST.get("next", "")
    if back == "list":
        return redirect("meetings:list", code=code)
    return redirect("meetings:detail", code=code, pk=action.meeting_id)


@login_required
@require_POST
@page
def next_meeting(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = selectors.meetings_program(request.user, code)
    meeting = selectors.get_meeting(program, pk, request.user)
    form = NextForm(request.POST, prefix="next")
    if form.is_valid():
        try:
            nxt = services.plan_next_meeting(
                actor=request.user, meeting=meeting, starts_at=form.cleaned_data.get("starts_at")
            )
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Next meeting planned; open items and actions carried over.")
            return redirect("meetings:detail", code=code, pk=nxt.pk)
    return _detail(request, program, pk, bound={"next": form}, status=422)


@login_required
@require_POST
@page
def meeting_cancel(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = selectors.meetings_program(request.user, code)
    meeting = selectors.get_meeting(program, pk, request.user)
    try:
        services.cancel_meeting(actor=request.user, meeting=meeting)
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{meeting.title}” cancelled; attendees are told.")
    return redirect("meetings:detail", code=code, pk=pk)


@login_required
@page
def invite(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = selectors.meetings_program(request.user, code)
    meeting = selectors.get_meeting(program, pk, request.user)
    return ical.invitation_response(meeting, request.user)

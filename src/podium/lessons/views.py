"""Pages of lessons learned: a program's lessons (register, sessions, suggested
sessions), session pages (plan, hold with notes, the lessons it produced), a lesson's
page (vote useful, accept, applied in program X), and the cross-program register at
/lessons/ with search, filters, pagination and the XLSX/JSON export.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from podium.core.errors import REFUSALS, PermissionDenied, ValidationFailed
from podium.core.views import AuthedRequest, add_form_errors, page
from podium.lessons import access, selectors, services
from podium.lessons.forms import ApplyForm, FilterForm, HoldForm, LessonForm, SessionForm
from podium.lessons.models import Lesson, SessionKind, SessionStatus
from podium.lessons.search import Filters, Hit, lessons_visible, search_lessons
from podium.programs.models import Program
from podium.programs.permissions import get_program, visible_programs

PER_PAGE = 25
SEARCH_CAP = 500


def _version(request: AuthedRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def _filters(form: FilterForm) -> tuple[str, Filters]:
    if not form.is_valid():
        return "", Filters()
    data = form.cleaned_data
    program = data.get("program")
    return str(data.get("q") or ""), Filters.of(
        program=program.code if program is not None else None,
        category=data.get("category") or "",
        domain=data.get("domain") or "",
        phase=data.get("phase") or "",
        adoption=data.get("adoption") or "",
        tags=data.get("tags") or "",
    )


def _active(form: FilterForm) -> dict[str, str]:
    """The filters in use, for the pager's links."""
    names = ("q", "program", "category", "domain", "phase", "adoption", "tags")
    return {name: form.data.get(name, "") for name in names if form.data.get(name)}


# -- the cross-program register -------------------------------------------------------------


@login_required
@page
def register(request: AuthedRequest) -> HttpResponse:
    programs = visible_programs(request.user).order_by("code")
    form = FilterForm(request.GET or None, programs=programs)
    query, filters = _filters(form)
    page_obj: Page[Any]
    if form.is_bound and not form.is_valid():
        # a filter naming a program the user cannot see (or a bad value) matches nothing
        page_obj = Paginator([], PER_PAGE).get_page(1)
        rows = []
    elif query.strip():
        hits = search_lessons(request.user, query, filters=filters, limit=SEARCH_CAP)
        page_obj = Paginator(hits, PER_PAGE).get_page(request.GET.get("page"))
        rows = list(page_obj.object_list)
    else:
        qs = (
            lessons_visible(request.user, filters)
            .select_related("program", "component")
            .order_by("-created_at", "-pk")
        )
        page_obj = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
        rows = [Hit(lesson, 0.0) for lesson in page_obj.object_list]
    active = _active(form)
    export_query = urlencode(active)
    return render(
        request,
        "lessons/register.html",
        {
            "form": form,
            "hits": rows,
            "page_obj": page_obj,
            "filters": active,
            "query": query,
            "export_query": export_query,
            "program_count": programs.count(),
        },
    )


def _export_rows(request: AuthedRequest) -> list[dict[str, Any]]:
    form = FilterForm(request.GET or None, programs=visible_programs(request.user))
    query, filters = _filters(form)
    return selectors.export_rows(request.user, query, filters)


@login_required
@page
def export_json(request: AuthedRequest) -> HttpResponse:
    rows = _export_rows(request)
    body = json.dumps({"lessons": rows, "count": len(rows)}, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="lessons.json"'
    return response


@login_required
@page
def export_xlsx(request: AuthedRequest) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    rows = _export_rows(request)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Lessons"
    sheet.append(list(selectors.EXPORT_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(
            [
                ", ".join(v) if isinstance(v, list) else v
                for v in (row[c] for c in selectors.EXPORT_COLUMNS)
            ]
        )
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="lessons.xlsx"'
    return response


# -- a program's lessons --------------------------------------------------------------------


@login_required
@page
def program_lessons(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    form = FilterForm(request.GET or None)
    query, filters = _filters(form)
    if query.strip():
        hits = search_lessons(
            request.user, query, filters=replace(filters, program=program.pk),
            limit=SEARCH_CAP,
        )  # fmt: skip
        page_obj = Paginator([h.lesson for h in hits], PER_PAGE).get_page(request.GET.get("page"))
    else:
        page_obj = Paginator(selectors.program_lessons(program, filters), PER_PAGE).get_page(
            request.GET.get("page")
        )
    manage = access.can_manage(request.user, program)
    return render(
        request,
        "lessons/program.html",
        {
            "program": program,
            "form": form,
            "page_obj": page_obj,
            "lessons": list(page_obj.object_list),
            "filters": _active(form),
            "sessions": selectors.session_list(program),
            "suggestions": selectors.suggested_sessions(program) if manage else [],
            "can_manage": manage,
            "can_contribute": access.can_contribute(request.user, program),
        },
    )


def _lesson_form_page(
    request: AuthedRequest, program: Program, form: LessonForm, lesson: Lesson | None
) -> HttpResponse:
    status = 422 if request.method == "POST" else 200
    return render(
        request, "lessons/lesson_form.html",
        {"program": program, "form": form, "lesson": lesson}, status=status,
    )  # fmt: skip


@login_required
@page
def lesson_new(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    if not access.can_contribute(request.user, program):
        raise PermissionDenied(f"You may not record lessons in {program.code}.")
    initial: dict[str, Any] = {}
    for name in ("session", "component"):
        if request.GET.get(name, "").isdigit():
            initial[name] = int(request.GET[name])
    form = LessonForm(request.POST or None, program=program, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            lesson = services.create_lesson(
                actor=request.user, program=program, **form.service_fields()
            )
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Lesson “{lesson.title}” recorded.")
            if lesson.session_id:
                return redirect("lessons:session", code=code, pk=lesson.session_id)
            return redirect("lessons:detail", code=code, pk=lesson.pk)
    return _lesson_form_page(request, program, form, None)


@login_required
@page
def lesson_edit(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    lesson = selectors.get_lesson(program, pk)
    if not access.can_edit(request.user, lesson):
        raise PermissionDenied(f"You may not change the lesson “{lesson.title}”.")
    fields = (
        "title", "description", "root_cause", "recommendation", "phase", "performance_domain",
        "category", "impact", "tags", "component", "session", "version",
    )  # fmt: skip
    form = LessonForm(
        request.POST or None, program=program,
        initial={name: getattr(lesson, name) for name in fields},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            services.update_lesson(
                actor=request.user, lesson=lesson, expected_version=_version(request),
                **form.service_fields(),
            )  # fmt: skip
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Lesson saved.")
            return redirect("lessons:detail", code=code, pk=pk)
    return _lesson_form_page(request, program, form, lesson)


def _apply_programs(user: Any, lesson: Lesson) -> Any:
    """Programs the user manages where the lesson is not recorded as applied yet."""
    done = set(lesson.applied_in.values_list("pk", flat=True))
    return [
        p for p in visible_programs(user).order_by("code")
        if p.pk not in done and access.can_apply_in(user, p)
    ]  # fmt: skip


@login_required
@page
def lesson_detail(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    lesson = selectors.get_lesson(program, pk)
    apply_programs = _apply_programs(request.user, lesson) if lesson.adoption != "proposed" else []
    return render(
        request,
        "lessons/lesson_detail.html",
        {
            "program": program,
            "lesson": lesson,
            "applied_in": lesson.applied_in.order_by("code"),
            "can_edit": access.can_edit(request.user, lesson),
            "can_accept": access.can_manage(request.user, program)
            and lesson.adoption == "proposed",
            "can_vote": access.can_vote(request.user, lesson),
            "has_voted": bool(selectors.voted(request.user, [lesson])),
            "apply_form": ApplyForm(
                programs=Program.objects.filter(pk__in=[p.pk for p in apply_programs])
            )
            if apply_programs
            else None,
            "lesson_text": f"{lesson.title}\n{lesson.description}\n{lesson.root_cause}",
        },
    )


@login_required
@require_POST
@page
def lesson_vote(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    lesson = selectors.get_lesson(program, pk)
    if request.POST.get("undo"):
        services.unvote(actor=request.user, lesson=lesson)
        messages.success(request, "Vote withdrawn.")
    else:
        services.vote(actor=request.user, lesson=lesson)
        messages.success(request, "Marked useful.")
    return redirect("lessons:detail", code=code, pk=pk)


@login_required
@require_POST
@page
def lesson_accept(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    lesson = selectors.get_lesson(program, pk)
    try:
        services.accept_lesson(
            actor=request.user, lesson=lesson, expected_version=_version(request)
        )
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Lesson accepted.")
    return redirect("lessons:detail", code=code, pk=pk)


@login_required
@require_POST
@page
def lesson_apply(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    lesson = selectors.get_lesson(program, pk)
    form = ApplyForm(request.POST, programs=visible_programs(request.user))
    if not form.is_valid():
        messages.error(request, "Choose the program that applied the lesson.")
        return redirect("lessons:detail", code=code, pk=pk)
    target = form.cleaned_data["program"]
    try:
        services.apply_lesson(
            actor=request.user, lesson=lesson, program=target, note=form.cleaned_data["note"]
        )
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Recorded as applied in {target.code}.")
    return redirect("lessons:detail", code=code, pk=pk)


# -- sessions -------------------------------------------------------------------------------


@login_required
@page
def session_new(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    if not access.can_manage(request.user, program):
        raise PermissionDenied(f"You may not plan sessions in {program.code}.")
    initial: dict[str, Any] = {"facilitator": request.user.pk}
    if request.GET.get("kind") in SessionKind.values:
        initial["kind"] = request.GET["kind"]
    if request.GET.get("component", "").isdigit():
        initial["component"] = int(request.GET["component"])
    from podium.lessons.models import AGENDA_TEMPLATE

    initial["agenda"] = AGENDA_TEMPLATE
    form = SessionForm(request.POST or None, program=program, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            session = services.plan_session(
                actor=request.user, program=program, kind=data.pop("kind"),
                title=data.pop("title"), component=data.pop("component"),
                facilitator=data.pop("facilitator"), participants=data.pop("participants"),
                stakeholders=data.pop("stakeholders"),
                agenda=data.pop("agenda") or AGENDA_TEMPLATE, **data,
            )  # fmt: skip
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Session “{session.title}” planned.")
            return redirect("lessons:session", code=code, pk=session.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "lessons/session_form.html", {"program": program, "form": form}, status=status
    )


def _session_page(
    request: AuthedRequest, program: Program, pk: int, hold_form: HoldForm | None = None
) -> HttpResponse:
    session = selectors.get_session(program, pk)
    can_hold = access.can_hold(request.user, session)
    if hold_form is None and can_hold and session.status == SessionStatus.PLANNED:
        hold_form = HoldForm(
            initial={"held_on": timezone.localdate(), "notes": session.agenda,
                     "version": session.version}
        )  # fmt: skip
    return render(
        request,
        "lessons/session_detail.html",
        {
            "program": program,
            "session": session,
            "hold_form": hold_form,
            "can_add": access.can_contribute(request.user, program),
            "external": [
                line for line in session.external_participants.splitlines() if line.strip()
            ],
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@page
def session_detail(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    return _session_page(request, program, pk)


@login_required
@require_POST
@page
def session_hold(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    session = selectors.get_session(program, pk)
    if not access.can_hold(request.user, session):
        raise PermissionDenied(f"You may not record “{session.title}” as held.")
    form = HoldForm(request.POST)
    if form.is_valid():
        try:
            services.hold_session(
                actor=request.user, session=session, held_on=form.cleaned_data["held_on"],
                notes=form.cleaned_data["notes"], expected_version=_version(request),
            )  # fmt: skip
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Session recorded as held. Add the lessons it produced.")
            return redirect(reverse("lessons:session", kwargs={"code": code, "pk": pk}))
    return _session_page(request, program, pk, hold_form=form)


__all__ = [
    "export_json", "export_xlsx", "lesson_accept", "lesson_apply", "lesson_detail",
    "lesson_edit", "lesson_new", "lesson_vote", "program_lessons", "register",
    "session_detail", "session_hold", "session_new",
]  # fmt: skip

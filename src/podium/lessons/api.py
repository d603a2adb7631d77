"""API of lessons learned: search across every program the caller may see, a
program's lessons and sessions, recording and changing lessons, "useful" votes,
acceptance and "applied in", planning and holding sessions, suggested sessions.

Everything outside the caller's programs answers 404; a change they may not make 403.
"""

from typing import Any

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from podium.accounts.models import User
from podium.core.api import WRITE_ERRORS, ErrorOut, Pages, expected_version, set_etag
from podium.core.errors import ValidationFailed
from podium.core.views import AuthedRequest
from podium.lessons import selectors, services
from podium.lessons.models import AGENDA_TEMPLATE, Lesson, LessonSession
from podium.lessons.schemas import (
    ApplyIn,
    HitOut,
    HoldIn,
    LessonIn,
    LessonOut,
    LessonPatch,
    SearchFilter,
    SessionIn,
    SessionOut,
    SuggestionOut,
    VotesOut,
)
from podium.lessons.search import Filters, search_lessons
from podium.programs.models import Component, Program
from podium.programs.permissions import get_program, visible_programs

__all__ = ["router"]

router = Router(tags=["lessons"])

ERRORS = WRITE_ERRORS
READ_ERRORS: dict[int, type[Schema]] = {404: ErrorOut}


def _component(program: Program, code: str | None) -> Component | None:
    if not code:
        return None
    component = program.components.filter(code=code.strip().upper()).first()
    if component is None:
        raise ValidationFailed({"component": [f"{program.code} has no component {code!r}."]})
    return component


def _session(program: Program, pk: int | None) -> LessonSession | None:
    if pk is None:
        return None
    session = LessonSession.objects.filter(program=program, pk=pk).first()
    if session is None:
        raise ValidationFailed({"session": [f"{program.code} has no session {pk}."]})
    return session


def _user(username: str, field: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationFailed({field: [f"No user named {username!r}."]})
    return user


def _out(response: HttpResponse, lesson: Lesson) -> Lesson:
    set_etag(response, lesson)
    return selectors.get_lesson(lesson.program, lesson.pk)


def _filters(f: SearchFilter) -> Filters:
    return Filters.of(
        program=f.program.strip().upper() or None, category=f.category, domain=f.domain,
        phase=f.phase, adoption=f.adoption, tags=f.tags,
    )  # fmt: skip


# -- search and the register ----------------------------------------------------------------


@router.get("/lessons", response=list[HitOut])
@paginate(Pages, page_size=20)
def search_lesson_register(request: AuthedRequest, filters: Query[SearchFilter]) -> Any:
    """Lessons of every program you may see, ranked by relevance to ``q`` (newest first
    without ``q``), narrowed by the filters."""
    return search_lessons(request.user, filters.q, filters=_filters(filters), limit=500)


@router.get("/lessons/export", response=list[dict[str, Any]])
def export_lesson_register(request: AuthedRequest, filters: Query[SearchFilter]) -> Any:
    """The register as rows (what you may see, search and filters applied)."""
    return selectors.export_rows(request.user, filters.q, _filters(filters))


@router.get("/lessons/{lesson_id}", response={200: LessonOut, **READ_ERRORS})
def get_lesson(request: AuthedRequest, lesson_id: int, response: HttpResponse) -> Any:
    lesson = selectors.get_lesson_for(request.user, lesson_id)
    set_etag(response, lesson)
    return lesson


@router.get("/programs/{code}/lessons", response=list[LessonOut])
@paginate(Pages, page_size=50)
def list_program_lessons(request: AuthedRequest, code: str) -> Any:
    program = get_program(request.user, code)
    return selectors.program_lessons(program).prefetch_related("applied_in")


@router.post("/programs/{code}/lessons", response={201: LessonOut, **ERRORS})
def create_lesson(
    request: AuthedRequest, code: str, payload: LessonIn, response: HttpResponse
) -> Any:
    program = get_program(request.user, code)
    data = payload.dict()
    data["component"] = _component(program, data.get("component"))
    data["session"] = _session(program, data.get("session"))
    lesson = services.create_lesson(actor=request.user, program=program, **data)
    return Status(201, _out(response, lesson))


@router.patch("/lessons/{lesson_id}", response={200: LessonOut, **ERRORS})
def update_lesson(
    request: AuthedRequest, lesson_id: int, payload: LessonPatch, response: HttpResponse
) -> Any:
    lesson = selectors.get_lesson_for(request.user, lesson_id)
    data = payload.dict(exclude_unset=True)
    version = expected_version(request, data.pop("version", None))
    if "component" in data:
        data["component"] = _component(lesson.program, data["component"])
    if "session" in data:
        data["session"] = _session(lesson.program, data["session"])
    updated = services.update_lesson(
        actor=request.user, lesson=lesson, expected_version=version, **data
    )
    return _out(response, updated)


@router.post("/lessons/{lesson_id}/vote", response={200: VotesOut, **ERRORS})
def vote_lesson_useful(request: AuthedRequest, lesson_id: int) -> Any:
    lesson = selectors.get_lesson_for(request.user, lesson_id)
    return {"useful_votes": services.vote(actor=request.user, lesson=lesson)}


@router.delete("/lessons/{lesson_id}/vote", response={200: VotesOut, **ERRORS})
def withdraw_lesson_vote(request: AuthedRequest, lesson_id: int) -> Any:
    lesson = selectors.get_lesson_for(request.user, lesson_id)
    return {"useful_votes": services.unvote(actor=request.user, lesson=lesson)}


@router.post("/lessons/{lesson_id}/accept", response={200: LessonOut, **ERRORS})
def accept_lesson(request: AuthedRequest, lesson_id: int, response: HttpResponse) -> Any:
    lesson = selectors.get_lesson_for(request.user, lesson_id)
    updated = services.accept_lesson(
        actor=request.user, lesson=lesson, expected_version=expected_version(request)
    )
    return _out(response, updated)


@router.post("/lessons/{lesson_id}/applied", response={200: LessonOut, **ERRORS})
def record_lesson_applied(
    request: AuthedRequest, lesson_id: int, payload: ApplyIn, response: HttpResponse
) -> Any:
    lesson = selectors.get_lesson_for(request.user, lesson_id)
    target = get_program(request.user, payload.program.strip().upper())
    updated = services.apply_lesson(
        actor=request.user, lesson=lesson, program=target, note=payload.note
    )
    return _out(response, updated)


# -- sessions -------------------------------------------------------------------------------


def _session_for(request: AuthedRequest, pk: int) -> LessonSession:
    session = (
        LessonSession.objects.filter(pk=pk, program__in=visible_programs(request.user))
        .select_related("program")
        .first()
    )
    if session is None:
        from podium.core.errors import NotFound

        raise NotFound(f"No session {pk}.")
    return selectors.get_session(session.program, pk)


@router.get("/programs/{code}/lesson-sessions", response=list[SessionOut])
def list_lesson_sessions(request: AuthedRequest, code: str) -> Any:
    program = get_program(request.user, code)
    return (
        selectors.session_list(program).select_related("program").prefetch_related("participants")
    )


@router.get("/programs/{code}/lesson-sessions/suggested", response=list[SuggestionOut])
def suggested_lesson_sessions(request: AuthedRequest, code: str) -> Any:
    program = get_program(request.user, code)
    return [
        {"kind": s.kind, "component": s.component.code if s.component else None,
         "reason": s.reason}
        for s in selectors.suggested_sessions(program)
    ]  # fmt: skip


@router.post("/programs/{code}/lesson-sessions", response={201: SessionOut, **ERRORS})
def plan_lesson_session(request: AuthedRequest, code: str, payload: SessionIn) -> Any:
    program = get_program(request.user, code)
    session = services.plan_session(
        actor=request.user, program=program, kind=payload.kind, title=payload.title,
        component=_component(program, payload.component),
        facilitator=_user(payload.facilitator, "facilitator") if payload.facilitator else None,
        participants=[_user(name, "participants") for name in payload.participants],
        external_participants=payload.external_participants,
        agenda=payload.agenda if payload.agenda is not None else AGENDA_TEMPLATE,
    )  # fmt: skip
    return Status(201, selectors.get_session(program, session.pk))


@router.get("/lesson-sessions/{session_id}", response={200: SessionOut, **READ_ERRORS})
def get_lesson_session(request: AuthedRequest, session_id: int) -> Any:
    return _session_for(request, session_id)


@router.post("/lesson-sessions/{session_id}/hold", response={200: SessionOut, **ERRORS})
def hold_lesson_session(request: AuthedRequest, session_id: int, payload: HoldIn) -> Any:
    session = _session_for(request, session_id)
    updated = services.hold_session(
        actor=request.user, session=session, held_on=payload.held_on, notes=payload.notes,
        expected_version=expected_version(request, payload.version),
    )  # fmt: skip
    return selectors.get_session(updated.program, updated.pk)

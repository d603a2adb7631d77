"""Reads of lessons and sessions: a program's register and sessions, the suggested
sessions, the lessons surfaced on other pages, the closure report's lessons and the
exported register.

Cross-program reads start from :func:`~podium.programs.permissions.visible_programs`
(see :mod:`podium.lessons.search`); the per-program reads take a program the caller got
from :func:`~podium.programs.permissions.get_program`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Prefetch, QuerySet

from podium.core.errors import NotFound
from podium.lessons.models import Lesson, LessonSession, LessonVote, SessionKind
from podium.lessons.search import Filters, Hit, lessons_visible, narrow, search_lessons
from podium.programs.models import Component, ComponentStatus, Program, Stage

__all__ = [
    "Suggestion",
    "closure_lessons",
    "export_rows",
    "get_lesson",
    "get_lesson_for",
    "get_session",
    "program_lessons",
    "related_lessons",
    "session_list",
    "suggested_sessions",
    "voted",
]

_RELATED = ("program", "component", "session", "created_by")


def _with_votes(qs: QuerySet[Lesson]) -> QuerySet[Lesson]:
    return qs.select_related(*_RELATED).annotate(useful=Count("votes", distinct=True))


def program_lessons(program: Program, filters: Filters | None = None) -> QuerySet[Lesson]:
    """The lessons of one program, newest first, with their vote counts."""
    qs = narrow(Lesson.objects.filter(program=program), filters)
    return _with_votes(qs).order_by("-created_at", "-pk")


def get_lesson_for(user: Any, pk: int) -> Lesson:
    """The lesson if ``user`` may see its program, else NotFound."""
    found = _with_votes(lessons_visible(user)).filter(pk=pk).first()
    if found is None:
        raise NotFound(f"No lesson {pk}.")
    return found


def get_lesson(program: Program, pk: int) -> Lesson:
    found = _with_votes(Lesson.objects.filter(program=program)).filter(pk=pk).first()
    if found is None:
        raise NotFound(f"No lesson {pk} in {program.code}.")
    return found


def voted(user: Any, lessons: list[Lesson]) -> set[int]:
    """Which of ``lessons`` the user found useful."""
    return set(
        LessonVote.objects.filter(
            user_id=getattr(user, "pk", 0) or 0, lesson__in=[lesson.pk for lesson in lessons]
        ).values_list("lesson_id", flat=True)
    )


def session_list(program: Program) -> QuerySet[LessonSession]:
    return (
        LessonSession.objects.filter(program=program)
        .select_related("component", "facilitator")
        .annotate(lesson_count=Count("lessons"))
        .order_by("status", "-held_on", "-created_at")
    )


def get_session(program: Program, pk: int) -> LessonSession:
    found = (
        LessonSession.objects.filter(program=program, pk=pk)
        .select_related("component", "facilitator", "program")
        .prefetch_related(
            "participants",
            "stakeholders",
            Prefetch("lessons", queryset=_with_votes(Lesson.objects.all()).order_by("pk")),
        )
        .first()
    )
    if found is None:
        raise NotFound(f"No session {pk} in {program.code}.")
    return found


# -- suggested sessions ---------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """A session worth holding that nobody has planned yet."""

    kind: str
    component: Component | None
    reason: str

    @property
    def kind_label(self) -> str:
        return SessionKind(self.kind).label

    @property
    def query(self) -> str:
        """The "plan session" link's query string."""
        suffix = f"&component={self.component.pk}" if self.component is not None else ""
        return f"kind={self.kind}{suffix}"


def suggested_sessions(program: Program) -> list[Suggestion]:
    """Sessions the program could hold now: after a component's deliverables were
    accepted (and no deliverable session of that component was planned since), when a
    component closed and when the program closes — for each, only while no session of
    that kind exists. Suggestions, never obligations. Four queries."""
    from podium.delivery.models import Deliverable

    sessions = list(
        LessonSession.objects.filter(program=program).values_list(
            "kind", "component_id", "created_at"
        )
    )
    latest_session: dict[tuple[str, int | None], dt.datetime] = {}
    for kind, component_id, created in sessions:
        key = (kind, component_id)
        if key not in latest_session or created > latest_session[key]:
            latest_session[key] = created
    out: list[Suggestion] = []
    if program.stage in (Stage.CLOSURE, Stage.CLOSED) and not any(
        kind == SessionKind.PROGRAM_CLOSURE for kind, _, _ in sessions
    ):
        out.append(
            Suggestion(
                SessionKind.PROGRAM_CLOSURE,
                None,
                f"{program.code} is in {program.get_stage_display().lower()}.",
            )
        )
    components = {c.pk: c for c in program.components.order_by("code")}
    for component in components.values():
        if component.status == ComponentStatus.CLOSED and (
            (SessionKind.COMPONENT_CLOSURE, component.pk) not in latest_session
        ):
            out.append(
                Suggestion(SessionKind.COMPONENT_CLOSURE, component, f"{component.code} is closed.")
            )
    accepted = (
        Deliverable.objects.filter(program=program, accepted_at__isnull=False)
        .values("component_id")
        .annotate(last=Max("accepted_at"), n=Count("id"))
        .order_by("component_id")
    )
    for row in accepted:
        if row["component_id"] not in components:
            continue
        component = components[row["component_id"]]
        since = latest_session.get((SessionKind.DELIVERABLE, component.pk))
        if since is not None and since >= row["last"]:
            continue
        count = row["n"]
        noun = "deliverable" if count == 1 else "deliverables"
        out.append(
            Suggestion(
                SessionKind.DELIVERABLE,
                component,
                f"{count} {noun} of {component.code} accepted, the last on {row['last']:%Y-%m-%d}.",
            )
        )
    return out


# -- surfacing ------------------------------------------------------------------------------


def related_lessons(
    user: Any,
    program: Program | None,
    text: str,
    *,
    exclude_program: bool = True,
    limit: int = 5,
) -> list[Hit]:
    """The lessons most relevant to ``text`` (a risk, a component's business case, a
    change request) from the programs ``user`` may see — other programs than
    ``program`` unless ``exclude_program`` is False."""
    if not text.strip():
        return []
    filters = Filters(exclude_program=program.pk if exclude_program and program else None)
    return search_lessons(user, text, filters=filters, limit=limit)


def closure_lessons(program: Program) -> list[Lesson]:
    """The program's lessons for its closure report: by category, high impact first,
    with their sessions and the programs that applied them."""
    impact_order = {"high": 0, "medium": 1, "low": 2}
    lessons = list(
        _with_votes(Lesson.objects.filter(program=program)).prefetch_related("applied_in")
    )
    lessons.sort(
        key=lambda lesson: (lesson.category, impact_order.get(lesson.impact, 3), lesson.pk)
    )
    return lessons


# -- export ---------------------------------------------------------------------------------

EXPORT_COLUMNS = (
    "id", "program", "component", "session", "title", "description", "phase",
    "performance_domain", "category", "root_cause", "recommendation", "impact", "tags",
    "adoption", "applied_in", "useful_votes", "created_at",
)  # fmt: skip


def export_rows(user: Any, query: str = "", filters: Filters | None = None) -> list[dict[str, Any]]:
    """The register as the user sees it (search and filters applied), one dict per
    lesson in :data:`EXPORT_COLUMNS` order."""
    if query.strip():
        hits = search_lessons(user, query, filters=filters, limit=10_000)
        pks = [h.lesson.pk for h in hits]
        by_pk = (
            _with_votes(Lesson.objects.filter(pk__in=pks)).prefetch_related("applied_in").in_bulk()
        )
        lessons = [by_pk[pk] for pk in pks if pk in by_pk]
    else:
        lessons = list(
            _with_votes(lessons_visible(user, filters))
            .prefetch_related("applied_in")
            .order_by("program__code", "pk")
        )
    return [
        {
            "id": lesson.pk,
            "program": lesson.program.code,
            "component": lesson.component.code if lesson.component else "",
            "session": lesson.session.title if lesson.session else "",
            "title": lesson.title,
            "description": lesson.description,
            "phase": lesson.phase,
            "performance_domain": lesson.performance_domain,
            "category": lesson.category,
            "root_cause": lesson.root_cause,
            "recommendation": lesson.recommendation,
            "impact": lesson.impact,
            "tags": lesson.tag_list,
            "adoption": lesson.adoption,
            "applied_in": sorted(p.code for p in lesson.applied_in.all()),
            "useful_votes": getattr(lesson, "useful", 0),
            "created_at": lesson.created_at.isoformat(),
        }
        for lesson in lessons
    ]

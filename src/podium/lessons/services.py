"""Every change to lessons-learned sessions and lessons.

Each function is one transaction: permission (:mod:`podium.lessons.access`), validation
(``ValidationFailed`` naming the field), the versioned write and an audit record. A
lesson's semantic vector is recomputed in the same write when the embedding model is
available (:mod:`podium.lessons.semantic`); the full-text index follows by itself
(database triggers on SQLite, computed at query time on PostgreSQL).

``actor`` None means the system (the demo loader, imports): no permission check.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction

from podium.accounts.models import User
from podium.core import audit
from podium.core.errors import PermissionDenied, TransitionRefused, ValidationFailed
from podium.core.services import update_versioned, validate_model
from podium.lessons import access, semantic
from podium.lessons.models import (
    Adoption,
    Lesson,
    LessonSession,
    LessonVote,
    SessionKind,
    SessionStatus,
)
from podium.programs.models import Component, Program
from podium.programs.permissions import require, visible_programs

__all__ = [
    "accept_lesson",
    "apply_lesson",
    "clean_tags",
    "create_lesson",
    "delete_lesson",
    "hold_session",
    "plan_session",
    "refresh_embeddings",
    "unvote",
    "update_lesson",
    "update_session",
    "vote",
]

LESSON_FIELDS = {
    "title", "description", "phase", "performance_domain", "category", "root_cause",
    "recommendation", "impact", "tags", "component", "session",
}  # fmt: skip
SESSION_FIELDS = {
    "title", "kind", "component", "held_on", "facilitator", "external_participants",
    "agenda", "notes",
}  # fmt: skip
_M2M = {"participants", "stakeholders"}


def clean_tags(tags: str | Iterable[str] | None) -> str:
    """Comma text or a list → "a, b, c" (trimmed, lower case, no duplicates)."""
    if tags is None:
        return ""
    items = tags.split(",") if isinstance(tags, str) else list(tags)
    seen: dict[str, None] = {}
    for item in items:
        tag = str(item).strip().lower()
        if tag:
            seen.setdefault(tag, None)
    return ", ".join(seen)


def _refuse_unknown(changes: dict[str, Any], editable: set[str]) -> None:
    unknown = sorted(set(changes) - editable)
    if unknown:
        raise ValidationFailed({f: ["This field cannot be changed here."] for f in unknown})


def _check_component(component: Component | None, program: Program) -> None:
    if component is not None and component.program_id != program.pk:
        raise ValidationFailed({"component": [f"{component.code} is not in {program.code}."]})


def _check_session(session: LessonSession | None, program: Program) -> None:
    if session is not None and session.program_id != program.pk:
        raise ValidationFailed(
            {"session": [f"“{session.title}” is not a session of {program.code}."]}
        )


def _embedding(lesson: Lesson) -> bytes | None:
    vector = semantic.embed_one(semantic.lesson_text(lesson))
    return None if vector is None else semantic.encode(vector)


def _validate_lesson(lesson: Lesson) -> None:
    validate_model(
        lesson, exclude=["created_by", "updated_by", "program", "component", "session", "embedding"]
    )
    if not lesson.title.strip():
        raise ValidationFailed({"title": ["A lesson needs a title."]})
    if len(lesson.tags) > 300:
        raise ValidationFailed({"tags": ["Tags are limited to 300 characters."]})


# -- lessons --------------------------------------------------------------------------------


@transaction.atomic
def create_lesson(
    *,
    actor: User | None,
    program: Program,
    title: str,
    tags: str | Iterable[str] | None = "",
    component: Component | None = None,
    session: LessonSession | None = None,
    **fields: Any,
) -> Lesson:
    """Record a lesson of ``program`` (contributors: managers and team members)."""
    if actor is not None:
        require(
            access.can_contribute(actor, program), f"You may not record lessons in {program.code}."
        )
    _refuse_unknown(fields, LESSON_FIELDS)
    _check_component(component, program)
    _check_session(session, program)
    lesson = Lesson(
        program=program, component=component, session=session, title=(title or "").strip(),
        tags=clean_tags(tags), **fields,
    )  # fmt: skip
    lesson.created_by = lesson.updated_by = actor
    _validate_lesson(lesson)
    lesson.embedding = _embedding(lesson)
    lesson.save()
    audit.record(
        user=actor, action="create", obj=lesson, before=None, after=_snapshot(lesson),
        program_id=program.pk,
    )  # fmt: skip
    return lesson


def _snapshot(lesson: Lesson) -> dict[str, Any]:
    data = audit.snapshot(lesson)
    data.pop("embedding", None)
    return data


@transaction.atomic
def update_lesson(
    *, actor: User, lesson: Lesson, expected_version: int | None, **changes: Any
) -> Lesson:
    """Change a lesson's text or classification (its author or a manager)."""
    require(access.can_edit(actor, lesson), f"You may not change the lesson “{lesson.title}”.")
    _refuse_unknown(changes, LESSON_FIELDS)
    if "component" in changes:
        _check_component(changes["component"], lesson.program)
    if "session" in changes:
        _check_session(changes["session"], lesson.program)
    if "tags" in changes:
        changes["tags"] = clean_tags(changes["tags"])
    if "title" in changes:
        changes["title"] = str(changes["title"] or "").strip()
    candidate = copy.copy(lesson)
    for name, value in changes.items():
        setattr(candidate, name, value)
    _validate_lesson(candidate)
    changes["embedding"] = _embedding(candidate)
    before = _snapshot(lesson)
    updated = update_versioned(lesson, expected_version, actor, **changes)
    audit.record(
        user=actor, action="update", obj=updated, before=before, after=_snapshot(updated),
        program_id=updated.program_id,
    )  # fmt: skip
    return updated


@transaction.atomic
def delete_lesson(*, actor: User, lesson: Lesson) -> None:
    require(access.can_manage(actor, lesson.program), "You may not remove lessons.")
    audit.record(
        user=actor, action="delete", obj=lesson, before=_snapshot(lesson), after=None,
        program_id=lesson.program_id,
    )  # fmt: skip
    lesson.delete()


@transaction.atomic
def accept_lesson(
    *, actor: User | None, lesson: Lesson, expected_version: int | None = None
) -> Lesson:
    """proposed → accepted: a manager of the lesson's program endorses it."""
    if actor is not None:
        require(
            access.can_manage(actor, lesson.program),
            f"You may not accept lessons of {lesson.program.code}.",
        )
    if lesson.adoption != Adoption.PROPOSED:
        raise TransitionRefused(
            f"“{lesson.title}” is already {lesson.get_adoption_display().lower()}."
        )
    before = _snapshot(lesson)
    updated = update_versioned(lesson, expected_version, actor, adoption=Adoption.ACCEPTED)
    audit.record(
        user=actor, action="transition", obj=updated, before=before, after=_snapshot(updated),
        program_id=updated.program_id,
    )  # fmt: skip
    return updated


@transaction.atomic
def apply_lesson(*, actor: User | None, lesson: Lesson, program: Program, note: str = "") -> Lesson:
    """Record that ``program`` applied the lesson (accepted → applied; more programs may
    follow). The actor manages ``program`` and may see the lesson."""
    if actor is not None:
        if not visible_programs(actor).filter(pk=lesson.program_id).exists():
            raise PermissionDenied("You may not see this lesson.")
        require(
            access.can_apply_in(actor, program),
            f"You may not record lessons applied in {program.code}.",
        )
    if lesson.adoption == Adoption.PROPOSED:
        raise TransitionRefused(
            f"“{lesson.title}” is still proposed: it is accepted before it is applied."
        )
    if lesson.applied_in.filter(pk=program.pk).exists():
        raise ValidationFailed({"program": [f"Already recorded as applied in {program.code}."]})
    before = _snapshot(lesson)
    updated = update_versioned(lesson, None, actor, adoption=Adoption.APPLIED)
    updated.applied_in.add(program)
    audit.record(
        user=actor, action="transition", obj=updated, before=before, after=_snapshot(updated),
        program_id=updated.program_id, note=f"applied in {program.code}. {note}".strip(),
    )  # fmt: skip
    return updated


@transaction.atomic
def vote(*, actor: User, lesson: Lesson) -> int:
    """Mark the lesson useful (once per person); returns the number of votes."""
    require(access.can_vote(actor, lesson), "You may not vote on lessons.")
    try:
        with transaction.atomic():
            LessonVote.objects.create(lesson=lesson, user=actor)
    except IntegrityError:
        pass  # already voted: voting twice changes nothing
    else:
        audit.record(
            user=actor, action="create", obj=lesson, before=None, after={"useful_vote": str(actor)},
            program_id=lesson.program_id, note="voted useful",
        )  # fmt: skip
    return LessonVote.objects.filter(lesson=lesson).count()


@transaction.atomic
def unvote(*, actor: User, lesson: Lesson) -> int:
    deleted, _ = LessonVote.objects.filter(lesson=lesson, user=actor).delete()
    if deleted:
        audit.record(
            user=actor, action="delete", obj=lesson, before={"useful_vote": str(actor)},
            after=None, program_id=lesson.program_id, note="vote withdrawn",
        )  # fmt: skip
    return LessonVote.objects.filter(lesson=lesson).count()


def refresh_embeddings(lessons: Iterable[Lesson] | None = None) -> int:
    """(Re)compute the vectors of ``lessons`` (default: those without one); returns how
    many were written, 0 without the model. For lessons recorded before the model was
    installed."""
    if not semantic.available():
        return 0
    todo = list(lessons if lessons is not None else Lesson.objects.filter(embedding__isnull=True))
    if not todo:
        return 0
    vectors = semantic.embed([semantic.lesson_text(lesson) for lesson in todo])
    if vectors is None:
        return 0
    for lesson, vector in zip(todo, vectors, strict=True):
        Lesson.objects.filter(pk=lesson.pk).update(embedding=semantic.encode(vector))
    return len(todo)


# -- sessions -------------------------------------------------------------------------------


def _check_people(
    program: Program, participants: Iterable[User] | None, stakeholders: Iterable[Any] | None
) -> None:
    members = set(program.memberships.values_list("user_id", flat=True))
    outsiders = [
        str(u) for u in participants or () if u.pk not in members and not u.is_administrator
    ]
    if outsiders:
        raise ValidationFailed(
            {"participants": [f"Not a member of {program.code}: {', '.join(outsiders)}."]}
        )
    foreign = [str(s) for s in stakeholders or () if s.program_id != program.pk]
    if foreign:
        raise ValidationFailed(
            {"stakeholders": [f"Not in {program.code}'s register: {', '.join(foreign)}."]}
        )


def _session_snapshot(session: LessonSession) -> dict[str, Any]:
    data = audit.snapshot(session)
    data["participants"] = sorted(str(u) for u in session.participants.all())
    data["stakeholders"] = sorted(str(s) for s in session.stakeholders.all())
    return data


def _validate_session(session: LessonSession) -> None:
    validate_model(
        session, exclude=["created_by", "updated_by", "program", "component", "facilitator"]
    )
    if not session.title.strip():
        raise ValidationFailed({"title": ["A session needs a title."]})


def default_title(kind: str, component: Component | None, program: Program) -> str:
    label = SessionKind(kind).label
    return f"{label} — {component.code if component else program.code}"


@transaction.atomic
def plan_session(
    *,
    actor: User | None,
    program: Program,
    kind: str,
    title: str = "",
    component: Component | None = None,
    facilitator: User | None = None,
    participants: Iterable[User] | None = None,
    stakeholders: Iterable[Any] | None = None,
    **fields: Any,
) -> LessonSession:
    """Plan a lessons-learned session (program and component managers). The agenda
    starts from the four questions unless one is given."""
    if actor is not None:
        require(access.can_manage(actor, program), f"You may not plan sessions in {program.code}.")
    _refuse_unknown(fields, SESSION_FIELDS)
    if kind not in SessionKind.values:
        raise ValidationFailed({"kind": [f"Choose one of: {', '.join(SessionKind.values)}."]})
    _check_component(component, program)
    if kind == SessionKind.COMPONENT_CLOSURE and component is None:
        raise ValidationFailed({"component": ["A component-closure session names its component."]})
    participants = list(participants or [])
    stakeholders = list(stakeholders or [])
    _check_people(program, [*participants, *([facilitator] if facilitator else [])], stakeholders)
    session = LessonSession(
        program=program, kind=kind, component=component, facilitator=facilitator,
        title=(title or "").strip() or default_title(kind, component, program), **fields,
    )  # fmt: skip
    session.created_by = session.updated_by = actor
    _validate_session(session)
    session.save()
    session.participants.set(participants)
    session.stakeholders.set(stakeholders)
    audit.record(
        user=actor, action="create", obj=session, before=None, after=_session_snapshot(session),
        program_id=program.pk,
    )  # fmt: skip
    return session


@transaction.atomic
def update_session(
    *,
    actor: User | None,
    session: LessonSession,
    expected_version: int | None = None,
    participants: Iterable[User] | None = None,
    stakeholders: Iterable[Any] | None = None,
    **changes: Any,
) -> LessonSession:
    """Change a session's plan or notes (managers and its facilitator)."""
    if actor is not None:
        require(access.can_hold(actor, session), f"You may not change “{session.title}”.")
    _refuse_unknown(changes, SESSION_FIELDS)
    program = session.program
    if "component" in changes:
        _check_component(changes["component"], program)
    people = list(participants) if participants is not None else None
    shs = list(stakeholders) if stakeholders is not None else None
    facilitator = changes.get("facilitator")
    _check_people(program, [*(people or []), *([facilitator] if facilitator else [])], shs)
    candidate = copy.copy(session)
    for name, value in changes.items():
        setattr(candidate, name, value)
    _validate_session(candidate)
    before = _session_snapshot(session)
    updated = update_versioned(session, expected_version, actor, **changes)
    if people is not None:
        updated.participants.set(people)
    if shs is not None:
        updated.stakeholders.set(shs)
    audit.record(
        user=actor, action="update", obj=updated, before=before, after=_session_snapshot(updated),
        program_id=program.pk,
    )  # fmt: skip
    return updated


@transaction.atomic
def hold_session(
    *,
    actor: User | None,
    session: LessonSession,
    held_on: dt.date,
    notes: str = "",
    expected_version: int | None = None,
) -> LessonSession:
    """planned → held, with the date and the notes (managers and its facilitator)."""
    if actor is not None:
        require(access.can_hold(actor, session), f"You may not record “{session.title}” as held.")
    if session.status == SessionStatus.HELD:
        raise TransitionRefused(f"“{session.title}” was already held on {session.held_on}.")
    if held_on is None:
        raise ValidationFailed({"held_on": ["Give the date the session was held."]})
    if held_on > dt.date.today() + dt.timedelta(days=1):
        raise ValidationFailed({"held_on": ["A session is recorded as held once it took place."]})
    before = _session_snapshot(session)
    updated = update_versioned(
        session, expected_version, actor, status=SessionStatus.HELD, held_on=held_on,
        notes=(notes or session.notes).strip(),
    )  # fmt: skip
    audit.record(
        user=actor, action="transition", obj=updated, before=before,
        after=_session_snapshot(updated), program_id=updated.program_id,
    )  # fmt: skip
    return updated

"""The gate criterion "lessons-learned session held", for podium.governance's evaluator
registry (registered by :class:`podium.lessons.apps.LessonsConfig`)."""

from __future__ import annotations

from django.urls import reverse

from podium.governance.criteria import Evaluation
from podium.lessons.models import LessonSession, SessionKind, SessionStatus
from podium.programs.models import Component, Program

__all__ = ["evaluate_session_held", "session_held"]


def _held(program: Program, component: Component | None) -> LessonSession | None:
    qs = LessonSession.objects.filter(program=program, status=SessionStatus.HELD)
    if component is not None:
        qs = qs.filter(component=component)
    return qs.order_by("-held_on", "-pk").first()


def session_held(program: Program, component: Component | None = None) -> tuple[bool, str]:
    """(passed, evidence): a session was held in the program (for a component gate: one
    about that component), with the number of lessons it produced."""
    session = _held(program, component)
    scope = component.code if component is not None else program.code
    if session is None:
        planned = LessonSession.objects.filter(program=program)
        if component is not None:
            planned = planned.filter(component=component)
        n = planned.filter(status=SessionStatus.PLANNED).count()
        waiting = f"; {n} planned, not held yet" if n else ""
        return False, f"no lessons-learned session held for {scope}{waiting}"
    lessons = session.lessons.count()
    closure = " (closure session)" if session.kind in (
        SessionKind.PROGRAM_CLOSURE, SessionKind.COMPONENT_CLOSURE
    ) else ""  # fmt: skip
    noun = "lesson" if lessons == 1 else "lessons"
    return True, (
        f"“{session.title}”{closure} held on {session.held_on:%Y-%m-%d}, {lessons} {noun} recorded"
    )


def evaluate_session_held(program: Program, component: Component | None) -> Evaluation:
    """:func:`session_held` as a governance ``Evaluation`` with the lessons page's link."""
    passed, evidence = session_held(program, component)
    return Evaluation(passed, evidence, reverse("lessons:program", kwargs={"code": program.code}))

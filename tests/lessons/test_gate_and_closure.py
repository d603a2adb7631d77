"""The gate criterion "lessons-learned session held", the closure report's lessons and
the suggested sessions."""

from __future__ import annotations

import datetime as dt

from podium.governance.criteria import evaluate, evaluators
from podium.lessons import services
from podium.lessons.governance_hook import session_held
from podium.lessons.selectors import closure_lessons, suggested_sessions
from podium.programs.models import ComponentStatus, Program, Stage
from tests.conftest import World


def test_session_held_criterion(world: World) -> None:
    assert "lessons_session_held" in evaluators()
    passed, evidence = session_held(world.alpha)
    assert not passed and evidence == "no lessons-learned session held for ALPHA"
    session = services.plan_session(
        actor=world.pm, program=world.alpha, kind="component_closure", component=world.comp,
        title="C1 closure",
    )  # fmt: skip
    assert session_held(world.alpha, world.comp) == (
        False, "no lessons-learned session held for C1; 1 planned, not held yet",
    )  # fmt: skip
    held = services.hold_session(actor=world.pm, session=session, held_on=dt.date(2026, 1, 9))
    services.create_lesson(actor=world.pm, program=world.alpha, title="One", session=held)
    passed, evidence = session_held(world.alpha, world.comp)
    assert (
        passed
        and evidence == "“C1 closure” (closure session) held on 2026-01-09, 1 lesson recorded"
    )
    result = evaluate("lessons_session_held", world.alpha, None)
    assert result.passed and result.url == "/programs/ALPHA/lessons/"
    assert not session_held(world.beta)[0]


def test_closure_lessons_group_by_category_high_impact_first(world: World) -> None:
    make = services.create_lesson
    make(actor=world.pm, program=world.alpha, title="Low cost", category="cost", impact="low")
    make(actor=world.pm, program=world.alpha, title="High cost", category="cost", impact="high")
    make(actor=world.pm, program=world.alpha, title="Risk", category="risk", impact="medium")
    make(actor=world.pm_b, program=world.beta, title="Elsewhere", category="cost")
    assert [lesson.title for lesson in closure_lessons(world.alpha)] == [
        "High cost",
        "Low cost",
        "Risk",
    ]


def test_suggestions_for_closed_components_and_a_closing_program(world: World) -> None:
    assert suggested_sessions(world.alpha) == []
    Program.objects.filter(pk=world.alpha.pk).update(stage=Stage.CLOSURE)
    world.comp.__class__.objects.filter(pk=world.comp.pk).update(status=ComponentStatus.CLOSED)
    alpha = Program.objects.get(pk=world.alpha.pk)
    kinds = [(s.kind, s.component.code if s.component else None) for s in suggested_sessions(alpha)]
    assert kinds == [("program_closure", None), ("component_closure", "C1")]
    services.plan_session(actor=world.pm, program=alpha, kind="program_closure")
    assert [s.kind for s in suggested_sessions(alpha)] == ["component_closure"]

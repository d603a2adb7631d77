"""Recording lessons, adoption, votes, sessions: permissions, validation, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from podium.core.errors import (
    PermissionDenied,
    TransitionRefused,
    ValidationFailed,
    VersionConflict,
)
from podium.core.models import AuditRecord
from podium.lessons import semantic, services
from podium.lessons.models import AGENDA_TEMPLATE, Lesson, LessonVote
from podium.programs.models import Role
from podium.programs.services import add_member
from tests.conftest import World
from tests.lessons.conftest import Lessons


def test_a_team_member_records_a_lesson_with_tags_cleaned_and_an_audit_record(
    world: World,
) -> None:
    lesson = services.create_lesson(
        actor=world.team, program=world.alpha, component=world.comp, title="  Late vendor  ",
        tags=["Vendor", " release", "vendor", ""], category="suppliers",
    )  # fmt: skip
    assert lesson.title == "Late vendor"
    assert lesson.tags == "vendor, release"
    assert lesson.tag_list == ["vendor", "release"]
    assert lesson.adoption == "proposed"
    record = AuditRecord.objects.get(object_type="lessons.lesson", object_id=str(lesson.pk))
    assert record.action == "create" and record.program_id == world.alpha.pk
    assert "embedding" not in (record.after or {})


@pytest.mark.parametrize("who", ["stakeholder", "viewer", "outsider", "pm_b"])
def test_readers_and_outsiders_cannot_record_lessons(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied, match="record lessons in ALPHA"):
        services.create_lesson(actor=getattr(world, who), program=world.alpha, title="x")
    assert not Lesson.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x", "category": "gossip"}, "category"),
        ({"title": "x", "impact": "huge"}, "impact"),
        ({"title": "x", "phase": "forever"}, "phase"),
        ({"title": "x", "colour": "red"}, "colour"),
    ],
)
def test_invalid_lessons_are_refused_naming_the_field(
    world: World, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.create_lesson(actor=world.pm, program=world.alpha, **fields)
    assert field in exc.value.errors


def test_a_component_of_another_program_is_refused(world: World) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.create_lesson(
            actor=world.pm, program=world.alpha, title="x", component=world.comp_b
        )
    assert "B1 is not in ALPHA" in exc.value.errors["component"][0]


def test_the_author_edits_their_lesson_others_may_not(world: World) -> None:
    lesson = services.create_lesson(actor=world.team, program=world.alpha, title="Mine")
    updated = services.update_lesson(
        actor=world.team, lesson=lesson, expected_version=lesson.version, title="Mine, clearer",
        tags="a,b",
    )  # fmt: skip
    assert (updated.title, updated.tags, updated.version) == ("Mine, clearer", "a, b", 2)
    with pytest.raises(VersionConflict):
        services.update_lesson(actor=world.pm, lesson=updated, expected_version=1, title="old")
    add_member(actor=world.pm, program=world.alpha, user=world.outsider, role=Role.TEAM_MEMBER)
    with pytest.raises(PermissionDenied):
        services.update_lesson(
            actor=world.outsider, lesson=updated, expected_version=None, title="x"
        )
    services.update_lesson(actor=world.pm, lesson=updated, expected_version=None, title="By PM")
    assert Lesson.objects.get(pk=lesson.pk).title == "By PM"


def test_adoption_goes_proposed_accepted_applied_in_other_programs(
    world: World, lessons: Lessons
) -> None:
    beta_lesson = lessons.beta
    with pytest.raises(TransitionRefused, match="still proposed"):
        services.apply_lesson(actor=world.admin, lesson=beta_lesson, program=world.alpha)
    with pytest.raises(PermissionDenied):
        services.accept_lesson(actor=world.pm, lesson=beta_lesson)  # pm does not manage BETA
    accepted = services.accept_lesson(actor=world.pm_b, lesson=beta_lesson)
    assert accepted.adoption == "accepted"
    with pytest.raises(TransitionRefused, match="already accepted"):
        services.accept_lesson(actor=world.pm_b, lesson=accepted)
    # pm cannot see BETA's lesson at all; cm cannot manage... an admin applies it in ALPHA
    with pytest.raises(PermissionDenied):
        services.apply_lesson(actor=world.pm, lesson=accepted, program=world.alpha)
    add_member(actor=world.pm_b, program=world.beta, user=world.pm, role=Role.VIEWER)
    with pytest.raises(PermissionDenied, match="applied in BETA"):
        services.apply_lesson(actor=world.pm, lesson=accepted, program=world.beta)
    applied = services.apply_lesson(actor=world.pm, lesson=accepted, program=world.alpha)
    assert applied.adoption == "applied"
    assert list(applied.applied_in.values_list("code", flat=True)) == ["ALPHA"]
    with pytest.raises(ValidationFailed, match="Already recorded"):
        services.apply_lesson(actor=world.pm, lesson=applied, program=world.alpha)
    note = AuditRecord.objects.filter(object_id=str(applied.pk), action="transition").first()
    assert note is not None and "applied in ALPHA" in note.note


def test_useful_votes_count_once_per_person_and_readers_cannot_vote(
    world: World, lessons: Lessons
) -> None:
    assert services.vote(actor=world.team, lesson=lessons.alpha) == 1
    assert services.vote(actor=world.team, lesson=lessons.alpha) == 1
    assert services.vote(actor=world.pm, lesson=lessons.alpha) == 2
    for reader in (world.stakeholder, world.viewer):
        with pytest.raises(PermissionDenied):
            services.vote(actor=reader, lesson=lessons.alpha)
    assert services.unvote(actor=world.team, lesson=lessons.alpha) == 1
    assert LessonVote.objects.filter(lesson=lessons.alpha).count() == 1


def test_a_session_is_planned_with_the_four_questions_and_held_with_notes(world: World) -> None:
    from podium.stakeholders.models import Stakeholder

    nurse = Stakeholder.objects.create(program=world.alpha, name="Head nurse", group="Clinicians")
    session = services.plan_session(
        actor=world.cm, program=world.alpha, kind="component_closure", component=world.comp,
        facilitator=world.cm, participants=[world.team, world.stakeholder],
        stakeholders=[nurse], external_participants="Vendor lead",
    )  # fmt: skip
    assert session.title == "Component closure — C1"
    assert session.agenda == AGENDA_TEMPLATE and "do differently" in session.agenda
    assert session.status == "planned"
    assert {u.username for u in session.participants.all()} == {"team", "stakeholder"}
    held = services.hold_session(
        actor=world.cm, session=session, held_on=dt.date(2026, 3, 2), notes="Went well: …"
    )
    assert (held.status, held.held_on, held.notes) == ("held", dt.date(2026, 3, 2), "Went well: …")
    with pytest.raises(TransitionRefused, match="already held"):
        services.hold_session(actor=world.cm, session=held, held_on=dt.date(2026, 3, 3))
    lesson = services.create_lesson(
        actor=world.team, program=world.alpha, title="From the session", session=held
    )
    assert list(held.lessons.all()) == [lesson]


def test_session_rules(world: World) -> None:
    for who in (world.team, world.stakeholder, world.viewer):
        with pytest.raises(PermissionDenied, match="plan sessions"):
            services.plan_session(actor=who, program=world.alpha, kind="periodic")
    with pytest.raises(ValidationFailed) as exc:
        services.plan_session(actor=world.pm, program=world.alpha, kind="component_closure")
    assert "component" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        services.plan_session(
            actor=world.pm, program=world.alpha, kind="periodic", participants=[world.pm_b]
        )
    assert "pm_b" in exc.value.errors["participants"][0]
    session = services.plan_session(actor=world.pm, program=world.alpha, kind="periodic")
    with pytest.raises(ValidationFailed) as exc:
        services.hold_session(
            actor=world.pm, session=session, held_on=dt.date.today() + dt.timedelta(days=30)
        )
    assert "held_on" in exc.value.errors
    with pytest.raises(ValidationFailed):
        services.create_lesson(actor=world.pm_b, program=world.beta, title="x", session=session)


def test_embeddings_are_stored_with_the_model_and_not_without(
    world: World, monkeypatch: Any
) -> None:
    with_model = services.create_lesson(actor=world.pm, program=world.alpha, title="Vendor late")
    vector = semantic.decode(Lesson.objects.get(pk=with_model.pk).embedding)
    assert vector is not None and vector.shape[0] > 16

    def missing() -> Any:
        raise ImportError("no wordllama")

    monkeypatch.setattr(semantic, "_load", missing)
    semantic.reset()
    without = services.create_lesson(actor=world.pm, program=world.alpha, title="Vendor late 2")
    assert Lesson.objects.get(pk=without.pk).embedding is None
    assert services.refresh_embeddings() == 0

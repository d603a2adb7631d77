"""The demo's closed lab-system program: its sessions and lessons, and that the HDT
risks raise its lessons on their pages."""

from __future__ import annotations

from podium.lessons.demo import seed_lessons
from podium.lessons.models import Lesson, LessonSession
from podium.lessons.selectors import related_lessons
from podium.programs import services as program_services
from podium.programs.models import Role, Stage
from podium.risks.demo import RISKS
from tests.conftest import World


def test_seeded_lessons_surface_for_the_hdt_risks(world: World) -> None:
    epr = program_services.create_program(
        actor=world.admin, code="EPR-2023", name="Lab system replacement", manager=world.pm
    )
    program_services.add_member(actor=world.pm, program=epr, user=world.cm, role=Role.TEAM_MEMBER)
    epr.__class__.objects.filter(pk=epr.pk).update(stage=Stage.CLOSED)
    users = {"pm.alvarez": world.pm, "cm.okafor": world.cm}
    seed_lessons(epr, world.alpha, users)
    assert 12 <= Lesson.objects.filter(program=epr).count() <= 20
    sessions = LessonSession.objects.filter(program=epr)
    assert {s.status for s in sessions} == {"held"} and sessions.count() == 2
    assert (
        Lesson.objects.filter(program=epr, adoption="applied").get().applied_in.get() == world.alpha
    )
    assert LessonSession.objects.filter(program=world.alpha, status="planned").count() == 1

    def top(title: str) -> list[str]:
        risk = next(r for r in RISKS if r.title == title)
        text = f"{risk.title}\n{risk.cause}\n{risk.event}\n{risk.effect}"
        return [h.lesson.title for h in related_lessons(world.pm, world.alpha, text, limit=3)]

    assert top("EHR vendor delivers fix releases late")[0].startswith("Vendor fix releases")
    assert "Legacy results data needed three extra cleansing rounds" in top(
        "Legacy data quality worse than expected"
    )
    assert "HL7 interface defects found only in integration testing" in top(
        "Interface defects found late"
    )
    assert "Infection control closed wards to the go-live check teams" in top(
        "Ward access for go-live checks restricted"
    )
    # a user outside EPR-2023 sees none of it
    assert related_lessons(world.stakeholder, world.alpha, "vendor releases late") == []

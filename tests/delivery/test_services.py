"""The deliverable lifecycle, who may move it, evidence checks and transition plans."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from podium.core.errors import (
    PermissionDenied,
    TransitionRefused,
    ValidationFailed,
    VersionConflict,
)
from podium.core.models import AuditRecord
from podium.delivery import services
from podium.delivery.models import Deliverable, DeliverableEvent, Evidence
from podium.delivery.selectors import deliverable_dates
from podium.delivery.services import EvidenceInput
from tests.conftest import World, make_user
from tests.delivery.conftest import Outputs

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _fresh(d: Deliverable) -> Deliverable:
    return Deliverable.objects.get(pk=d.pk)


def test_full_lifecycle_dates_every_step_and_writes_history(world: World, outputs: Outputs) -> None:
    d = outputs.planned
    d = services.start_production(actor=world.cm, deliverable=d, comment="Crew on site")
    d = services.mark_delivered(actor=world.cm, deliverable=d)
    d = services.reject_deliverable(
        actor=world.stakeholder, deliverable=d, reason="Two beds have no nurse call."
    )
    assert d.status == "in_production"
    assert d.rejection_reason == "Two beds have no nurse call."
    d = services.mark_delivered(actor=world.cm, deliverable=d, comment="Fixed")
    d = services.accept_deliverable(actor=world.stakeholder, deliverable=d, comment="All good")
    d = services.transition_to_operations(actor=world.pm, deliverable=d)

    assert d.status == "transitioned"
    stamps = [d.in_production_at, d.rejected_at, d.delivered_at, d.accepted_at, d.transitioned_at]
    assert all(stamps) and stamps == sorted(stamps)
    steps = list(d.events.values_list("action", "from_status", "to_status", "actor__username"))
    assert steps == [
        ("create", "", "planned", "cm"),
        ("start", "planned", "in_production", "cm"),
        ("deliver", "in_production", "delivered", "cm"),
        ("reject", "delivered", "in_production", "stakeholder"),
        ("deliver", "in_production", "delivered", "cm"),
        ("accept", "delivered", "accepted", "stakeholder"),
        ("transition", "accepted", "transitioned", "pm"),
    ]
    reject = d.events.get(action="reject")
    assert reject.reason == "Two beds have no nurse call."
    notes = list(
        AuditRecord.objects.filter(object_type="delivery.deliverable", object_id=str(d.pk))
        .filter(action="transition")
        .values_list("note", flat=True)
    )
    assert "Two beds have no nurse call." in notes and "All good" in notes


@pytest.mark.parametrize("who", ["pm", "cm", "admin", "team", "viewer"])
def test_only_the_named_stakeholder_accepts(world: World, outputs: Outputs, who: str) -> None:
    before = AuditRecord.objects.count()
    with pytest.raises(PermissionDenied, match="Only its accepting stakeholder"):
        services.accept_deliverable(actor=getattr(world, who), deliverable=outputs.mine)
    with pytest.raises(PermissionDenied):
        services.reject_deliverable(
            actor=getattr(world, who), deliverable=outputs.mine, reason="No"
        )
    assert _fresh(outputs.mine).status == "delivered"
    assert AuditRecord.objects.count() == before


def test_a_stakeholder_cannot_decide_on_someone_elses_deliverable(
    world: World, outputs: Outputs
) -> None:
    with pytest.raises(PermissionDenied):
        services.accept_deliverable(actor=world.stakeholder, deliverable=outputs.other)
    assert _fresh(outputs.other).status == "delivered"


@pytest.mark.parametrize(
    "step",
    [services.start_production, services.mark_delivered, services.transition_to_operations],
)
def test_the_stakeholder_cannot_make_manager_steps(
    world: World, outputs: Outputs, step: Any
) -> None:
    with pytest.raises(PermissionDenied):
        step(actor=world.stakeholder, deliverable=outputs.mine)


@pytest.mark.parametrize("reason", ["", "   "])
def test_reject_needs_a_reason(world: World, outputs: Outputs, reason: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        services.reject_deliverable(
            actor=world.stakeholder, deliverable=outputs.mine, reason=reason
        )
    assert "reason" in err.value.errors
    assert _fresh(outputs.mine).status == "delivered"


def test_steps_out_of_order_are_refused(world: World, outputs: Outputs) -> None:
    with pytest.raises(TransitionRefused, match="only when delivered"):
        services.accept_deliverable(actor=world.stakeholder, deliverable=outputs.planned)
    with pytest.raises(TransitionRefused, match="only when accepted"):
        services.transition_to_operations(actor=world.pm, deliverable=outputs.mine)
    with pytest.raises(TransitionRefused):
        services.mark_delivered(actor=world.pm, deliverable=outputs.planned)


def test_stale_version_is_refused_and_changes_nothing(world: World, outputs: Outputs) -> None:
    d = outputs.mine
    with pytest.raises(VersionConflict):
        services.accept_deliverable(
            actor=world.stakeholder, deliverable=d, expected_version=d.version - 1
        )
    assert _fresh(d).status == "delivered"
    assert not DeliverableEvent.objects.filter(deliverable=d, action="accept").exists()


def test_delivering_needs_an_accepting_stakeholder(world: World) -> None:
    d = services.create_deliverable(
        actor=world.cm, program=world.alpha, component=world.comp, name="Unowned"
    )
    d = services.start_production(actor=world.cm, deliverable=d)
    with pytest.raises(ValidationFailed, match="Name the stakeholder"):
        services.mark_delivered(actor=world.cm, deliverable=d)


def test_create_checks_component_milestone_and_stakeholder(world: World, outputs: Outputs) -> None:
    with pytest.raises(PermissionDenied):
        services.create_deliverable(
            actor=world.team, program=world.alpha, component=world.comp, name="X"
        )
    with pytest.raises(ValidationFailed, match="not a milestone"):
        task = outputs.milestone.__class__.objects.get(component=world.comp, code="A")
        services.create_deliverable(
            actor=world.cm, program=world.alpha, component=world.comp, name="X", milestone=task
        )
    with pytest.raises(ValidationFailed, match="not a member"):
        services.create_deliverable(
            actor=world.cm, program=world.alpha, component=world.comp, name="X",
            accepting_stakeholder=world.outsider,
        )  # fmt: skip
    with pytest.raises(ValidationFailed, match="not in ALPHA"):
        services.create_deliverable(
            actor=world.admin, program=world.alpha, component=world.comp_b, name="X"
        )
    d = services.create_deliverable(
        actor=world.cm, program=world.alpha, component=world.comp, name="  Signage  "
    )
    assert (d.code, d.name, d.status) == ("D-005", "Signage", "planned")


def test_criteria_and_stakeholder_are_fixed_once_accepted(world: World, outputs: Outputs) -> None:
    with pytest.raises(TransitionRefused, match="acceptance_criteria"):
        services.update_deliverable(
            actor=world.pm, deliverable=outputs.accepted, expected_version=None,
            acceptance_criteria="Something else",
        )  # fmt: skip
    updated = services.update_deliverable(
        actor=world.pm, deliverable=outputs.accepted, expected_version=None,
        description="Now with the fire exits.",
    )  # fmt: skip
    assert updated.description == "Now with the fire exits."


def test_a_manager_can_rename_the_accepting_stakeholder_before_acceptance(
    world: World, outputs: Outputs
) -> None:
    d = services.update_deliverable(
        actor=world.cm, deliverable=outputs.other, expected_version=outputs.other.version,
        accepting_stakeholder=world.stakeholder,
    )  # fmt: skip
    d = services.accept_deliverable(actor=world.stakeholder, deliverable=d)
    assert d.status == "accepted"
    record = AuditRecord.objects.filter(object_id=str(d.pk), action="update").first()
    assert record is not None
    assert ("accepting_stakeholder", "viewer", "stakeholder") in record.changes


def test_accept_with_evidence_stores_file_and_link(
    world: World, outputs: Outputs, media_in_tmp: Path
) -> None:
    upload = SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")
    d = services.accept_deliverable(
        actor=world.stakeholder, deliverable=outputs.mine, comment="Signed",
        evidence=[EvidenceInput("Test report", file=upload),
                  EvidenceInput(url="https://docs.example/handbook")],
    )  # fmt: skip
    files = list(Evidence.objects.filter(deliverable=d).order_by("id"))
    assert [e.title for e in files] == ["Test report", "https://docs.example/handbook"]
    stored = media_in_tmp / files[0].file.name
    assert stored.read_bytes() == PDF
    assert files[0].event is not None and files[0].event.action == "accept"
    assert files[0].size == len(PDF)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "not an accepted type"),
        ("fake.pdf", b"<html>not a pdf</html>", "not a real .pdf file"),
        ("photo.png", b"\xff\xd8\xff\xe0 jpeg inside", "not a real .png file"),
        ("data.csv", b"a,b\x00\x01", "not a text file"),
        ("empty.txt", b"", "is empty"),
    ],
)
def test_evidence_files_are_checked(
    world: World, outputs: Outputs, name: str, content: bytes, message: str
) -> None:
    before = Evidence.objects.count()
    with pytest.raises(ValidationFailed, match=message):
        services.add_evidence(
            actor=world.cm, deliverable=outputs.mine, file=SimpleUploadedFile(name, content)
        )
    assert Evidence.objects.count() == before


def test_evidence_over_10_mb_is_refused(world: World, outputs: Outputs) -> None:
    big = SimpleUploadedFile("big.txt", b"x" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ValidationFailed, match="at most 10 MB"):
        services.add_evidence(actor=world.cm, deliverable=outputs.mine, file=big)
    ok = SimpleUploadedFile("ok.txt", b"x" * (10 * 1024 * 1024))
    assert services.add_evidence(actor=world.cm, deliverable=outputs.mine, file=ok).pk


def test_evidence_needs_exactly_one_of_file_and_link(world: World, outputs: Outputs) -> None:
    with pytest.raises(ValidationFailed, match="either a file or a link"):
        services.add_evidence(actor=world.cm, deliverable=outputs.mine)
    with pytest.raises(ValidationFailed):
        services.add_evidence(actor=world.cm, deliverable=outputs.mine, url="not a url")


def test_who_adds_evidence(world: World, outputs: Outputs) -> None:
    services.add_evidence(
        actor=world.stakeholder, deliverable=outputs.mine, url="https://a.example"
    )
    with pytest.raises(PermissionDenied):
        services.add_evidence(actor=world.stakeholder, deliverable=outputs.other,
                              url="https://a.example")  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.add_evidence(actor=world.team, deliverable=outputs.mine, url="https://a.example")


def test_deliverable_dates_are_the_milestone_finish_in_wall_time(
    world: World, outputs: Outputs
) -> None:
    dates = deliverable_dates(world.alpha)
    assert dates[outputs.planned.pk] == dt.datetime(2026, 3, 6, 17, 0)
    assert dates[outputs.mine.pk] is None
    assert set(dates) == set(
        Deliverable.objects.filter(program=world.alpha).values_list("pk", flat=True)
    )


# -- transition plans ---------------------------------------------------------------------


def test_transition_complete_needs_owner_date_and_every_item(
    world: World, outputs: Outputs
) -> None:
    comp = world.comp
    assert not services.transition_complete(comp)
    assert services.transition_gaps(comp) == ["No handover date.", "1 of 2 checklist items open."]
    plan = services.save_transition_plan(
        actor=world.cm, component=comp, expected_version=outputs.plan.version,
        handover_date=dt.date(2026, 12, 1), support_until=dt.date(2027, 3, 1),
    )  # fmt: skip
    assert plan.version == outputs.plan.version + 1
    item = services.update_transition_item(actor=world.cm, item=outputs.item_open, done=True)
    assert item.done_by == world.cm and item.done_at is not None
    assert services.transition_complete(comp)
    services.update_transition_item(actor=world.pm, item=item, done=False)
    assert not services.transition_complete(comp)


def test_a_component_without_plan_or_checklist_is_not_complete(world: World) -> None:
    comp = world.comp
    assert services.transition_gaps(comp) == ["No transition plan."]
    services.save_transition_plan(
        actor=world.pm, component=comp, receiving_owner=world.viewer,
        handover_date=dt.date(2026, 12, 1),
    )  # fmt: skip
    assert services.transition_gaps(comp) == ["The checklist is empty."]


def test_plan_rules(world: World, outputs: Outputs) -> None:
    with pytest.raises(ValidationFailed, match="Support ends before"):
        services.save_transition_plan(
            actor=world.cm, component=world.comp, handover_date=dt.date(2026, 12, 1),
            support_until=dt.date(2026, 11, 1),
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.save_transition_plan(actor=world.stakeholder, component=world.comp, notes="x")
    with pytest.raises(PermissionDenied):
        services.update_transition_item(actor=world.team, item=outputs.item_open, done=True)
    with pytest.raises(VersionConflict):
        services.update_transition_item(
            actor=world.cm, item=outputs.item_open, expected_version=99, done=True
        )
    outsider_pm = make_user("other_cm")
    with pytest.raises(PermissionDenied):
        services.add_transition_item(actor=outsider_pm, component=world.comp, text="x")

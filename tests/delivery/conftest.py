"""ALPHA's component C1 with a schedule (milestone D "Ward reopens") and deliverables in
every state, built through the services."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from podium.accounts.models import User
from podium.delivery import services
from podium.delivery.models import Deliverable, TransitionItem, TransitionPlan
from podium.programs.models import Component, Program
from podium.schedule.models import Activity
from podium.schedule.services import import_project
from tests.conftest import World
from tests.schedule.conftest import small_project


@dataclass
class Outputs:
    milestone: Activity  # D "Ward reopens", finishes Fri 2026-03-06 17:00 (wall time)
    planned: Deliverable  # D-001, accepted by ``mine``'s stakeholder, on the milestone
    mine: Deliverable  # D-002, delivered, waiting for ``stakeholder``
    other: Deliverable  # D-003, delivered, waiting for someone else
    accepted: Deliverable  # D-004, accepted by ``stakeholder``
    plan: TransitionPlan  # C1's plan: two items, one done
    item_open: TransitionItem
    item_done: TransitionItem


def build_outputs(
    program: Program, comp: Component, manager: User, stakeholder: User, someone: User
) -> Outputs:
    import_project(actor=None, program=program, project=small_project(), component=comp)
    milestone = Activity.objects.get(component=comp, code="D")
    make = services.create_deliverable
    planned = make(
        actor=manager, program=program, component=comp, name="Refitted ward",
        acceptance_criteria="All 24 beds usable; nurse call tested.", milestone=milestone,
        accepting_stakeholder=stakeholder,
    )  # fmt: skip
    mine = make(
        actor=manager, program=program, component=comp, name="Ward handbook", kind="product",
        acceptance_criteria="Covers every room.", accepting_stakeholder=stakeholder,
    )  # fmt: skip
    other = make(
        actor=manager, program=program, component=comp, name="Cleaning service",
        kind="service", accepting_stakeholder=someone,
    )  # fmt: skip
    accepted = make(
        actor=manager, program=program, component=comp, name="Floor plan",
        accepting_stakeholder=stakeholder,
    )  # fmt: skip
    for d in (mine, other, accepted):
        d = services.start_production(actor=manager, deliverable=d)
        services.mark_delivered(actor=manager, deliverable=d)
    accepted = services.accept_deliverable(
        actor=stakeholder, deliverable=Deliverable.objects.get(pk=accepted.pk), comment="Fine."
    )
    plan = services.save_transition_plan(
        actor=manager, component=comp, receiving_organization="Facilities",
        receiving_owner_name="Head of facilities",
    )  # fmt: skip
    item_done = services.add_transition_item(actor=manager, component=comp, text="Keys handed")
    item_done = services.update_transition_item(actor=manager, item=item_done, done=True)
    item_open = services.add_transition_item(actor=manager, component=comp, text="Runbook")
    return Outputs(
        milestone,
        Deliverable.objects.get(pk=planned.pk),
        Deliverable.objects.get(pk=mine.pk),
        Deliverable.objects.get(pk=other.pk),
        Deliverable.objects.get(pk=accepted.pk),
        TransitionPlan.objects.get(pk=plan.pk),
        item_open,
        item_done,
    )


@pytest.fixture
def outputs(world: World) -> Outputs:
    return build_outputs(world.alpha, world.comp, world.cm, world.stakeholder, world.viewer)


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Path) -> Path:
    """Uploaded evidence goes to a temporary folder, never the real data directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT

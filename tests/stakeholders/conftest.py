"""ALPHA's register: five stakeholders, one per engagement level and one per grid
quadrant, built through the services."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from podium.stakeholders import services
from podium.stakeholders.models import Stakeholder
from tests.conftest import World


@dataclass
class Register:
    surgeons: Stakeholder  # power 5, interest 5: manage closely; resistant → supportive
    board: Stakeholder  # power 4, interest 2: keep satisfied; unaware → neutral
    nurses: Stakeholder  # power 2, interest 5: keep informed; neutral → supportive
    press: Stakeholder  # power 1, interest 1: monitor; supportive → supportive
    sponsor: Stakeholder  # power 5, interest 4: manage closely; leading → leading; portal


def build_register(world: World) -> Register:
    make = services.create_stakeholder
    pm, alpha = world.pm, world.alpha
    return Register(
        make(actor=pm, program=alpha, name="Surgeons", kind="group", group="Clinicians",
             power=5, interest=5, current_engagement="resistant",
             desired_engagement="supportive"),
        make(actor=pm, program=alpha, name="Hospital board", kind="group", group="Governance",
             power=4, interest=2, current_engagement="unaware", desired_engagement="neutral"),
        make(actor=pm, program=alpha, name="Ward nurses", kind="group", group="Clinicians",
             power=2, interest=5, current_engagement="neutral",
             desired_engagement="supportive"),
        make(actor=pm, program=alpha, name="Local press", organization="Gazette", power=1,
             interest=1, current_engagement="supportive", desired_engagement="supportive"),
        make(actor=pm, program=alpha, name="Sam Sponsor", user=world.stakeholder,
             organization="City Hospital", role="Director", power=5, interest=4,
             current_engagement="leading", desired_engagement="leading"),
    )  # fmt: skip


@pytest.fixture
def register(world: World) -> Register:
    return build_register(world)

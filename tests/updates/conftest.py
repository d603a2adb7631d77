"""ALPHA with an earned-value program (``tests.finance.test_evm_program``: C1 with task X
10 days from Mon 2026-03-02, 80 % done at the data date Thu 2026-03-19, and C2), both
components in delivery; helpers to file complete updates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from podium.programs.models import Component, ComponentStatus
from podium.updates import services
from podium.updates.models import ComponentUpdate
from tests.conftest import World
from tests.finance.test_evm_program import program  # noqa: F401  (the fixture)

TODAY = timezone.localdate()
THIS_WEEK = services.period_of(TODAY)
LAST_WEEK = THIS_WEEK - dt.timedelta(weeks=1)


def in_delivery(*components: Component) -> None:
    """Test setup: components that report every period (no gates walked)."""
    Component.objects.filter(pk__in=[c.pk for c in components]).update(
        status=ComponentStatus.IN_DELIVERY
    )


def complete(**overrides: str) -> dict[str, Any]:
    """Every colour green with a reason, and the narrative — a valid submission."""
    fields: dict[str, Any] = {}
    for dim in services.RATED:
        fields[f"{dim}_rag"] = "green"
        fields[f"{dim}_reason"] = f"{dim} as planned"
    fields.update(
        accomplishments="Ward 3 rewired.", next_steps="Rewire ward 4.", blockers="",
        help_needed="",
    )  # fmt: skip
    fields.update(overrides)
    return fields


def file(
    actor: Any, component: Component, period: dt.date, submit: bool = True, **overrides: str
) -> ComponentUpdate:
    today = min(period + dt.timedelta(days=4), TODAY)
    update = services.create_update(
        actor=actor, component=component, period=period, today=today, **complete(**overrides)
    )
    if submit:
        update = services.submit_update(actor=actor, update=update, today=today)
    return update


@pytest.fixture
def active(world: World) -> World:
    in_delivery(world.comp)
    return world

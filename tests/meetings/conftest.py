"""Meetings of ALPHA built through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from podium.meetings import services
from podium.meetings.models import Meeting, MeetingKind
from podium.meetings.services import Guest
from tests.conftest import World


def at(days: int, hour: int = 10) -> dt.datetime:
    """A local time ``days`` from today."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def plan(
    world: World,
    kind: str = MeetingKind.COORDINATION,
    days: int = 3,
    actor: Any = None,
    title: str = "Weekly coordination",
    **kwargs: Any,
) -> Meeting:
    """A meeting of ALPHA organised by the program manager (unless ``actor``); the
    component manager and the team member are invited (the team member optional)."""
    guests = kwargs.pop("guests", [Guest(user=world.cm), Guest(user=world.team, required=False)])
    return services.plan_meeting(
        actor=actor or world.pm,
        program=world.alpha,
        kind=kind,
        title=title,
        starts_at=at(days),
        guests=guests,
        **kwargs,
    )


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client

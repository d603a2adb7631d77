"""The shared pool: staffing, load against capacity, over-allocation, who sees rates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from podium.core.errors import PermissionDenied, ValidationFailed
from podium.resources import selectors, services
from podium.resources.models import Assignment, Resource
from podium.schedule.models import Activity
from tests.conftest import World

DAY = 480


def test_import_brings_the_pool_and_the_assignments(world: World, staffed: Any) -> None:
    crew = Resource.objects.get(program=world.alpha)
    assert (crew.code, crew.name, crew.capacity, crew.standard_rate) == (
        "CREW", "Ground crew", 1.0, Decimal("55.00"),
    )  # fmt: skip
    assert sorted(Assignment.objects.values_list("activity__code", flat=True)) == ["A", "B"]


def test_load_shows_the_overallocation_day_by_day(world: World, staffed: Any) -> None:
    table = selectors.resource_load(world.alpha, first_week=dt.date(2026, 3, 2), weeks=2)
    row = table.rows[0]
    assert row.daily == {
        dt.date(2026, 3, 2): 2.0, dt.date(2026, 3, 3): 2.0, dt.date(2026, 3, 4): 1.0,
    }  # fmt: skip
    assert row.over_days == [dt.date(2026, 3, 2), dt.date(2026, 3, 3)]
    assert (row.weeks[0].peak, row.weeks[0].over, row.weeks[1].peak) == (2.0, True, 0.0)
    assert [r.resource.code for r in table.overallocated] == ["CREW"]


def test_availability_period_changes_capacity(world: World, staffed: Any) -> None:
    crew = Resource.objects.get(program=world.alpha)
    services.update_resource(
        actor=world.pm, resource=crew, expected_version=crew.version,
        availability=[{"start": "2026-03-02", "end": "2026-03-06", "units": 2}],
    )  # fmt: skip
    table = selectors.resource_load(world.alpha, first_week=dt.date(2026, 3, 2), weeks=1)
    assert table.overallocated == []


def test_staffing_rules(world: World, staffed: Any) -> None:
    crew = Resource.objects.get(program=world.alpha)
    cure = Activity.objects.get(code="C")
    with pytest.raises(PermissionDenied):
        services.assign(actor=world.team, activity=cure, resource=crew)
    with pytest.raises(ValidationFailed):
        services.assign(actor=world.pm, activity=cure, resource=crew, units=0)
    other = services.create_resource(actor=world.pm_b, program=world.beta, code="X", name="X")
    with pytest.raises(ValidationFailed, match="another program"):
        services.assign(actor=world.pm, activity=cure, resource=other)
    services.assign(actor=world.pm, activity=cure, resource=crew, units=0.5)
    with pytest.raises(ValidationFailed, match="already on C"):
        services.assign(actor=world.pm, activity=cure, resource=crew)


def test_only_managers_see_rates(world: World, staffed: Any, api_as: Any) -> None:
    for user, sees in ((world.pm, True), (world.cm, True), (world.stakeholder, False),
                       (world.team, False), (world.admin, True)):  # fmt: skip
        body = api_as(user).get("/programs/ALPHA/resources").json()
        assert ("standard_rate" in body[0]) is sees, user  # left out, not null
        assert (body[0].get("standard_rate") is not None) is sees, user
    page = Client()
    page.force_login(world.stakeholder)
    html = page.get("/programs/ALPHA/resources/").content.decode()
    assert "Ground crew" in html and "55.00" not in html and "Rate / h" not in html


def test_resources_page_warns_about_overallocation(world: World, staffed: Any) -> None:
    client = Client()
    client.force_login(world.pm)
    html = client.get("/programs/ALPHA/resources/").content.decode()
    # the data date is unset: load runs from the week of today, so look at March 2026
    assert "Ground crew" in html
    table = selectors.resource_load(world.alpha, first_week=dt.date(2026, 3, 2), weeks=1)
    assert table.rows[0].weeks[0].over


def test_api_staffing_and_load(world: World, staffed: Any, api_as: Any) -> None:
    client = api_as(world.cm)
    cure = Activity.objects.get(code="C")
    refused = client.post(f"/activities/{cure.pk}/assignments", {"resource": "crew"})
    assert refused.status_code == 403  # C is in the imported component, not cm's
    pm = api_as(world.pm)
    added = pm.post(f"/activities/{cure.pk}/assignments", {"resource": "crew", "units": 0.5})
    assert added.status_code == 201 and added.json()["units"] == 0.5
    listed = pm.get(f"/activities/{cure.pk}/assignments").json()
    assert [a["resource"] for a in listed] == ["CREW"]
    assert pm.delete(f"/assignments/{added.json()['id']}").status_code == 204
    load = pm.get("/programs/ALPHA/resources/load?weeks=4").json()
    assert load[0]["resource"] == "CREW" and load[0]["over_days"] == ["2026-03-02", "2026-03-03"]


def test_schedule_page_warns_about_overallocation(world: World, staffed: Any) -> None:
    client = Client()
    client.force_login(world.stakeholder)
    html = client.get("/programs/ALPHA/schedule/").content.decode()
    assert "Over-allocated resources: CREW" in html

"""The dashboard is cached by the program's last change: a change shows on the next
read, whoever makes it and whatever it touches; an unchanged program is not recomputed."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from podium.risks import services as risk_services
from podium.risks.models import Risk
from podium.schedule import services as schedule_services
from podium.schedule.models import Activity
from tests.conftest import World


def top_risk(data: dict[str, Any]) -> tuple[str, int]:
    return data["top_risks"][0]["code"], data["top_risks"][0]["score"]


def milestone(data: dict[str, Any], activity_id: int) -> dict[str, Any]:
    return next(m for m in data["milestones"] if m["activity_id"] == activity_id)


def test_a_change_shows_on_the_next_read(world: World, plan: Any, api_as: Any, client: Any) -> None:
    cache.clear()
    api = api_as(world.pm)
    client.force_login(world.pm)
    first = api.get("/programs/ALPHA/dashboard").json()
    assert top_risk(first) == ("R-001", 20)
    assert "Asbestos found" in client.get("/programs/ALPHA/dashboard/").content.decode()

    # a risk edit: only the risks change, earned value and milestones stay cached
    risk = Risk.objects.get(pk=plan.high_bare.pk)
    risk_services.update_risk(
        actor=world.pm, risk=risk, expected_version=risk.version, title="Asbestos ruled out",
        probability=0.1,
    )  # fmt: skip
    second = api.get("/programs/ALPHA/dashboard").json()
    assert top_risk(second) != ("R-001", 20)
    assert "Asbestos found" not in str(second)
    html = client.get("/programs/ALPHA/dashboard/").content.decode()
    assert "Asbestos found" not in html

    # a schedule edit: the milestone moves at once
    before = milestone(second, plan.milestone.pk)
    task = Activity.objects.get(component=world.comp, code="B")
    schedule_services.update_activity(
        actor=world.pm, activity=task, expected_version=task.version,
        duration_minutes=task.duration_minutes + 10 * 480,
    )  # fmt: skip
    third = api.get("/programs/ALPHA/dashboard").json()
    after = milestone(third, plan.milestone.pk)
    assert after["finish"] > before["finish"]
    assert after["slip_days"] > (before["slip_days"] or 0)
    assert third["milestone_trend"] != second["milestone_trend"]


def test_each_role_gets_its_own_answer_from_the_cache(world: World, plan: Any, api_as: Any) -> None:
    cache.clear()
    pm = api_as(world.pm).get("/programs/ALPHA/dashboard").json()
    stakeholder = api_as(world.stakeholder).get("/programs/ALPHA/dashboard").json()
    feedback = {d["key"]: d for d in stakeholder["dimensions"]}["feedback"]
    assert feedback["headline"] == "Not visible with your role"
    assert {d["key"]: d for d in pm["dimensions"]}["feedback"]["headline"] != feedback["headline"]


def test_an_unchanged_program_is_read_from_the_cache(
    world: World, plan: Any, api_as: Any, django_assert_max_num_queries: Any
) -> None:
    cache.clear()
    api = api_as(world.pm)
    first = api.get("/programs/ALPHA/dashboard").json()
    # the token, the program, the last changes and what the user may see; no earned
    # value, milestones or risks (dozens of queries)
    with django_assert_max_num_queries(14):
        again = api.get("/programs/ALPHA/dashboard").json()
    assert again == first

"""API of the register: CRUD with ETags, plan items, the grid, and who gets 403/404."""

from __future__ import annotations

from typing import Any

from podium.stakeholders.models import Stakeholder
from tests.conftest import World
from tests.stakeholders.conftest import Register

BASE = "/programs/ALPHA/stakeholders"


def test_list_and_filter(world: World, register: Register, api_as: Any) -> None:
    api = api_as(world.viewer)
    items = api.get(BASE).json()["items"]
    assert len(items) == 5
    sponsor = next(i for i in items if i["name"] == "Sam Sponsor")
    assert sponsor["user"] == "stakeholder" and sponsor["gap"] == 0
    clinicians = api.get(f"{BASE}?group=Clinicians").json()["items"]
    assert [i["name"] for i in clinicians] == ["Surgeons", "Ward nurses"]
    grid = api.get("/programs/ALPHA/stakeholder-grid").json()["quadrants"]
    assert {q["key"]: q["stakeholders"] for q in grid}["monitor"] == ["Local press"]


def test_stakeholder_role_and_outsiders_get_404(
    world: World, register: Register, api_as: Any
) -> None:
    for user in (world.stakeholder, world.outsider, world.pm_b):
        api = api_as(user)
        assert api.get(BASE).status_code == 404
        assert api.get(f"{BASE}/{register.press.pk}").status_code == 404
        assert api.patch(f"{BASE}/{register.press.pk}", {"power": 2}).status_code == 404
        assert api.get("/programs/ALPHA/stakeholder-grid").status_code == 404


def test_team_member_reads_but_cannot_write(world: World, register: Register, api_as: Any) -> None:
    api = api_as(world.team)
    assert api.get(f"{BASE}/{register.press.pk}").status_code == 200
    assert api.post(BASE, {"name": "X"}).status_code == 403
    assert api.patch(f"{BASE}/{register.press.pk}", {"power": 2}).status_code == 403
    assert api.delete(f"{BASE}/{register.press.pk}").status_code == 403
    assert api.post(f"{BASE}/{register.press.pk}/plan", {"what": "x"}).status_code == 403


def test_crud_with_etags(world: World, register: Register, api_as: Any) -> None:
    api = api_as(world.pm)
    created = api.post(
        BASE, {"name": "Patients", "kind": "group", "power": 2, "interest": 5, "user": None}
    )
    assert created.status_code == 201 and created["ETag"] == '"1"'
    pk = created.json()["id"]
    bad = api.post(BASE, {"name": "Y", "user": "outsider"})
    assert bad.status_code == 422 and "user" in bad.json()["errors"]
    out_of_range = api.post(BASE, {"name": "Y", "power": 9})
    assert out_of_range.status_code == 422 and "power" in out_of_range.json()["errors"]

    ok = api.patch(f"{BASE}/{pk}", {"current_engagement": "supportive"}, **{"If-Match": '"1"'})
    assert ok.status_code == 200 and ok["ETag"] == '"2"'
    stale = api.patch(f"{BASE}/{pk}", {"power": 1}, **{"If-Match": '"1"'})
    assert stale.status_code == 412 and stale.json()["current_version"] == 2
    assert Stakeholder.objects.get(pk=pk).power == 2

    item = api.post(f"{BASE}/{pk}/plan", {"what": "Newsletter", "frequency": "monthly",
                                         "owner": "cm"})  # fmt: skip
    assert item.status_code == 201 and item.json()["owner"] == "cm"
    item_id = item.json()["id"]
    assert [i["what"] for i in api.get(f"{BASE}/{pk}/plan").json()] == ["Newsletter"]
    changed = api.patch(f"{BASE}/{pk}/plan/{item_id}", {"frequency": "quarterly", "version": 1})
    assert changed.status_code == 200 and changed.json()["frequency"] == "quarterly"
    assert api.get(f"{BASE}/{register.press.pk}/plan/{item_id}").status_code == 404
    assert api.delete(f"{BASE}/{pk}/plan/{item_id}").status_code == 204
    assert api.delete(f"{BASE}/{pk}", **{"If-Match": '"2"'}).status_code == 204
    assert api.get(f"{BASE}/{pk}").status_code == 404

"""Register pages: list with filters, detail with plan, forms, CSV upload, the grid and
engagement matrix; who sees what."""

from __future__ import annotations

import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from podium.stakeholders.models import EngagementPlanItem, Stakeholder
from tests.conftest import World
from tests.stakeholders.conftest import Register


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_list_filters_and_tab(
    world: World, register: Register, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.team)
    with django_assert_max_num_queries(15):
        page = client.get("/programs/ALPHA/stakeholders/").content.decode()
    for s in ("Surgeons", "Hospital board", "Ward nurses", "Local press", "Sam Sponsor"):
        assert s in page
    assert "New stakeholder" not in page  # a team member only reads
    filtered = client.get("/programs/ALPHA/stakeholders/?group=Clinicians").content.decode()
    assert "Surgeons" in filtered and "Local press" not in filtered
    none = client.get("/programs/ALPHA/stakeholders/?q=nobody").content.decode()
    assert "No stakeholder matches these filters" in none
    program_page = client.get("/programs/ALPHA/").content.decode()
    assert 'href="/programs/ALPHA/stakeholders/"' in program_page


def test_stakeholder_role_sees_no_register_and_no_tab(world: World, register: Register) -> None:
    client = client_for(world.stakeholder)
    for url in (
        "/programs/ALPHA/stakeholders/",
        "/programs/ALPHA/stakeholders/assessment/",
        f"/programs/ALPHA/stakeholders/{register.sponsor.pk}/",
        "/programs/ALPHA/stakeholders/new/",
    ):
        assert client.get(url).status_code == 404, url
    assert "/stakeholders/" not in client.get("/programs/ALPHA/").content.decode()
    outsider = client_for(world.outsider)
    assert outsider.get("/programs/ALPHA/stakeholders/").status_code == 404
    assert (
        client_for(world.pm_b).get(f"/programs/ALPHA/stakeholders/{register.press.pk}/").status_code
        == 404
    )


def test_empty_register_says_what_to_do(world: World) -> None:
    page = client_for(world.pm).get("/programs/ALPHA/stakeholders/").content.decode()
    assert "Add the first stakeholder" in page and "import a CSV file" in page
    viewer = client_for(world.viewer).get("/programs/ALPHA/stakeholders/").content.decode()
    assert "The program manager keeps it" in viewer


def test_grid_shows_names_in_their_quadrant(world: World, register: Register) -> None:
    page = client_for(world.viewer).get("/programs/ALPHA/stakeholders/assessment/")
    html = page.content.decode()
    assert page.status_code == 200

    def cell(key: str) -> str:
        match = re.search(rf'id="quadrant-{key}">(.*?)</td>', html, re.S)
        assert match is not None
        return match.group(1)

    assert "Surgeons" in cell("manage_closely") and "Sam Sponsor" in cell("manage_closely")
    assert "Hospital board" in cell("keep_satisfied")
    assert "Ward nurses" in cell("keep_informed")
    assert "Local press" in cell("monitor") and "Surgeons" not in cell("monitor")
    assert 'style="' not in html
    surgeons_row = re.search(r"Surgeons</a></th>(.*?)</tr>", html, re.S)
    assert surgeons_row is not None
    assert re.findall(r"<td>(\w*)</td>", surgeons_row.group(1)) == ["", "C", "", "D", ""]


def test_manager_adds_edits_and_plans(world: World, register: Register) -> None:
    client = client_for(world.pm)
    bad = client.post(
        "/programs/ALPHA/stakeholders/new/",
        {"name": "Porters", "kind": "group", "power": "2", "interest": "3",
         "current_engagement": "neutral", "desired_engagement": "supportive",
         "user": str(world.outsider.pk)},
    )  # fmt: skip
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    response = client.post(
        "/programs/ALPHA/stakeholders/new/",
        {"name": "Porters", "kind": "group", "power": "2", "interest": "3",
         "current_engagement": "neutral", "desired_engagement": "supportive"},
    )  # fmt: skip
    porters = Stakeholder.objects.get(name="Porters")
    assert response["Location"] == f"/programs/ALPHA/stakeholders/{porters.pk}/"
    edit = client.post(
        f"/programs/ALPHA/stakeholders/{porters.pk}/edit/",
        {"name": "Porters", "kind": "group", "power": "4", "interest": "2",
         "current_engagement": "neutral", "desired_engagement": "supportive",
         "version": str(porters.version)},
    )  # fmt: skip
    assert edit.status_code == 302
    assert Stakeholder.objects.get(pk=porters.pk).power == 4
    plan = client.post(
        f"/programs/ALPHA/stakeholders/{porters.pk}/plan/",
        {"what": "Shift briefing", "how": "Noticeboard", "frequency": "weekly", "active": "on"},
    )
    assert plan.status_code == 302
    detail = client.get(f"/programs/ALPHA/stakeholders/{porters.pk}/").content.decode()
    assert "Shift briefing" in detail and "Weekly" in detail and "Keep satisfied" in detail
    item = EngagementPlanItem.objects.get(what="Shift briefing")
    client.post(f"/programs/ALPHA/engagement-plan/{item.pk}/remove/", {"version": item.version})
    assert not EngagementPlanItem.objects.exists()


def test_team_member_cannot_change(world: World, register: Register) -> None:
    client = client_for(world.team)
    assert client.get("/programs/ALPHA/stakeholders/new/").status_code == 403
    assert (
        client.post(f"/programs/ALPHA/stakeholders/{register.press.pk}/delete/").status_code == 403
    )
    detail = client.get(f"/programs/ALPHA/stakeholders/{register.press.pk}/").content.decode()
    assert "Edit" not in detail and "Add to the plan" not in detail


def test_csv_upload_page(world: World) -> None:
    client = client_for(world.pm)
    bad = SimpleUploadedFile(
        "s.csv", b"name,power,interest\nA,3,3\nB,7,2\n", content_type="text/csv"
    )
    page = client.post("/programs/ALPHA/stakeholders/import/", {"file": bad}).content.decode()
    assert "Line 3, column power" in page
    assert not Stakeholder.objects.exists()
    good = SimpleUploadedFile("s.csv", b"name,power,interest\nA,3,3\nB,4,2\n")
    response = client.post("/programs/ALPHA/stakeholders/import/", {"file": good})
    assert response.status_code == 302
    assert sorted(Stakeholder.objects.values_list("name", flat=True)) == ["A", "B"]

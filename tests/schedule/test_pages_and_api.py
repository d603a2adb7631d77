"""Schedule pages and API as users see them."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client

from podium.schedule.models import Activity
from tests.conftest import World


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_program_schedule_page_marks_the_critical_path(world: World, scheduled: Any) -> None:
    page = _client(world.stakeholder).get("/programs/ALPHA/schedule/").content.decode()
    assert "2026-03-06 17:00" in page  # program finish
    assert page.count('class="badge critical-badge"') == 4  # P, A, B, D
    critical = _client(world.pm).get("/programs/ALPHA/schedule/?critical=1").content.decode()
    assert "Order beds" not in critical and "Rewire" in critical


def test_component_schedule_page_with_baseline_variance(world: World, scheduled: Any) -> None:
    pm = _client(world.pm)
    response = pm.post("/programs/ALPHA/schedule/baselines/", {"name": "Gate 2"}, follow=True)
    assert "Baseline “Gate 2” saved." in response.content.decode()
    page = pm.get(
        f"/programs/ALPHA/components/{scheduled.component.pk}/schedule/?baseline="
        f"{response.context['baseline'].pk}"
    ).content.decode()
    assert "Baseline finish" in page and "Strip out" in page


def test_import_page_runs_a_job_and_reports_a_bad_file(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    before = Activity.objects.count()
    upload = io.BytesIO(b"not a project")
    upload.name = "plan.xer"
    pm = _client(world.pm)
    with django_capture_on_commit_callbacks(execute=True):
        response = pm.post("/programs/ALPHA/schedule/import/", {"file": upload})
    assert response["Location"].startswith("/jobs/")
    page = pm.get(response["Location"]).content.decode()
    assert "failed" in page and "Nothing imported: plan.xer" in page
    assert Activity.objects.count() == before
    upload = io.BytesIO(b"x")
    upload.name = "plan.docx"
    response = _client(world.pm).post(
        "/programs/ALPHA/schedule/import/", {"file": upload}, follow=True
    )
    assert "unknown file type .docx" in response.content.decode()


def test_import_page_imports_a_file_in_the_background(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from podium.interchange.native import write_native
    from tests.schedule.conftest import small_project

    upload = io.BytesIO(write_native(small_project()).encode())
    upload.name = "refit.json"
    pm = _client(world.pm)
    with django_capture_on_commit_callbacks(execute=True):
        response = pm.post(
            "/programs/ALPHA/schedule/import/", {"file": upload, "component_name": "Ward refit"}
        )
    page = pm.get(response["Location"]).content.decode()
    assert "succeeded" in page and "Imported 5 activities and 4 links" in page
    assert Activity.objects.filter(component__name="Ward refit").count() == 5
    assert _client(world.team).post("/programs/ALPHA/schedule/import/").status_code == 403


def test_empty_schedule_page_invites_an_import(world: World) -> None:
    page = _client(world.pm).get("/programs/ALPHA/schedule/").content.decode()
    assert "No schedule yet." in page and "Import a schedule" in page
    assert (
        "Import a schedule"
        not in _client(world.team).get("/programs/ALPHA/schedule/").content.decode()
    )


def test_activity_api_edit_recomputes_and_honours_if_match(
    world: World, scheduled: Any, api_as: Any
) -> None:
    client = api_as(world.pm)
    items = client.get("/programs/ALPHA/activities?critical=true").json()["items"]
    assert [a["code"] for a in items] == ["P", "A", "B", "D"]
    a = next(i for i in items if i["code"] == "A")
    assert a["start"] == "2026-03-02T08:00:00" and a["finish"] == "2026-03-03T17:00:00"
    response = client.patch(
        f"/activities/{a['id']}", {"duration_minutes": 4 * 480}, **{"If-Match": '"1"'}
    )
    assert response.status_code == 200 and response.json()["finish"] == "2026-03-05T17:00:00"
    listing = client.get("/programs/ALPHA/activities").json()["items"]
    d = next(i for i in listing if i["code"] == "D")
    assert d["finish"] == "2026-03-10T17:00:00"
    stale = client.patch(f"/activities/{a['id']}", {"name": "x"}, **{"If-Match": '"1"'})
    assert stale.status_code == 412


def test_program_schedule_filters_by_component_and_links_to_the_gantt(
    world: World, scheduled: Any
) -> None:
    from podium.programs import services as programs

    other = programs.create_component(actor=world.pm, program=world.alpha, code="C9", name="Nine")
    pm = _client(world.pm)
    page = pm.get("/programs/ALPHA/schedule/").content.decode()
    assert '<select id="component" name="component">' in page
    own = pm.get(f"/programs/ALPHA/schedule/?component={scheduled.component.pk}").content.decode()
    assert "Rewire" in own
    empty = pm.get(f"/programs/ALPHA/schedule/?component={other.pk}").content.decode()
    assert "Rewire" not in empty
    rewire = Activity.objects.get(program=world.alpha, name__icontains="Rewire")
    assert (
        f"/programs/ALPHA/gantt/?component={scheduled.component.pk}&amp;activity={rewire.pk}" in own
    )

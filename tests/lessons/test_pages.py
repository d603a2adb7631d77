"""The lessons pages: a program's lessons with sessions and suggestions, session and
lesson pages, the cross-program register with search and export, and the related
lessons panel on a risk's page."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

from django.test import Client
from openpyxl import load_workbook

from podium.lessons import services
from podium.lessons.models import Lesson, LessonSession
from podium.programs.models import Role
from podium.programs.services import add_member
from tests.conftest import World
from tests.lessons.conftest import Lessons


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_program_lessons_page_lists_lessons_and_sessions_for_members_only(
    world: World, lessons: Lessons, django_assert_max_num_queries: Any
) -> None:
    services.plan_session(actor=world.pm, program=world.alpha, kind="periodic", title="Q1 review")
    pm = client_for(world.pm)
    pm.get("/programs/ALPHA/")
    with django_assert_max_num_queries(16):
        page = pm.get("/programs/ALPHA/lessons/").content.decode()
    assert lessons.alpha.title in page and lessons.beta.title not in page
    assert "Q1 review" in page and "Plan session" in page and "Record lesson" in page
    assert "Lessons" in client_for(world.viewer).get("/programs/ALPHA/").content.decode()
    readonly = client_for(world.stakeholder).get("/programs/ALPHA/lessons/").content.decode()
    assert lessons.alpha.title in readonly
    assert "Record lesson" not in readonly and "Plan session" not in readonly
    assert client_for(world.outsider).get("/programs/ALPHA/lessons/").status_code == 404
    assert client_for(world.stakeholder).get("/programs/BETA/lessons/").status_code == 404
    url = f"/programs/BETA/lessons/{lessons.beta.pk}/"
    assert client_for(world.stakeholder).get(url).status_code == 404
    assert (
        client_for(world.pm).get(f"/programs/ALPHA/lessons/{lessons.beta.pk}/").status_code == 404
    )


def test_empty_program_page_says_what_to_do(world: World) -> None:
    page = client_for(world.pm).get("/programs/BETA/lessons/")
    assert page.status_code == 404  # pm is not in BETA
    page = client_for(world.pm_b).get("/programs/BETA/lessons/").content.decode()
    assert "No lessons recorded in BETA yet" in page and "No sessions yet" in page


def test_stakeholders_cannot_post_lessons_or_sessions(world: World) -> None:
    sh = client_for(world.stakeholder)
    assert sh.get("/programs/ALPHA/lessons/new/").status_code == 403
    assert sh.post("/programs/ALPHA/lessons/new/", {"title": "x"}).status_code == 403
    assert sh.post("/programs/ALPHA/lessons/sessions/new/", {"kind": "periodic"}).status_code == 403
    assert not Lesson.objects.exists() and not LessonSession.objects.exists()


def test_record_a_lesson_through_the_form_with_field_errors(world: World) -> None:
    client = client_for(world.team)
    bad = client.post("/programs/ALPHA/lessons/new/", {"title": "", "phase": "delivery"})
    assert bad.status_code == 422 and "This field is required" in bad.content.decode()
    form = {
        "title": "Book ward slots early", "description": "Checks were blocked.",
        "phase": "delivery", "performance_domain": "stakeholder_engagement",
        "category": "schedule", "impact": "high", "tags": "wards, access",
        "component": world.comp.pk,
    }  # fmt: skip
    response = client.post("/programs/ALPHA/lessons/new/", form)
    lesson = Lesson.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/lessons/{lesson.pk}/")
    assert (lesson.component, lesson.tags, lesson.created_by) == (
        world.comp,
        "wards, access",
        world.team,
    )
    detail = client.get(response["Location"]).content.decode()
    assert "Book ward slots early" in detail and "wards, access" in detail and "Edit" in detail


def test_plan_a_suggested_session_hold_it_and_add_a_lesson(world: World) -> None:
    from tests.delivery.conftest import build_outputs

    build_outputs(world.alpha, world.comp, world.cm, world.stakeholder, world.viewer)
    pm = client_for(world.pm)
    page = pm.get("/programs/ALPHA/lessons/").content.decode()
    assert "Suggested sessions" in page and "1 deliverable of C1 accepted" in page
    link = f"?kind=deliverable&amp;component={world.comp.pk}"
    assert link in page
    form = pm.get(
        f"/programs/ALPHA/lessons/sessions/new/?kind=deliverable&component={world.comp.pk}"
    )
    assert "What went well?" in form.content.decode()
    created = pm.post(
        "/programs/ALPHA/lessons/sessions/new/",
        {"kind": "deliverable", "component": world.comp.pk, "facilitator": world.cm.pk,
         "participants": [world.team.pk, world.stakeholder.pk], "agenda": ""},
    )  # fmt: skip
    session = LessonSession.objects.get()
    assert created.status_code == 302
    assert session.title == "After deliverable acceptance — C1" and session.agenda.startswith("1.")
    assert "Suggested sessions" not in pm.get("/programs/ALPHA/lessons/").content.decode()
    cm = client_for(world.cm)  # the facilitator
    url = f"/programs/ALPHA/lessons/sessions/{session.pk}/"
    assert "Record as held" in cm.get(url).content.decode()
    assert "Record as held" not in client_for(world.stakeholder).get(url).content.decode()
    assert client_for(world.team).post(url + "hold/", {"held_on": "2026-03-02"}).status_code == 403
    held = cm.post(url + "hold/", {"held_on": "2026-03-02", "notes": "Ward handbook late.",
                                   "version": session.version})  # fmt: skip
    assert held.status_code == 302
    page = cm.get(url).content.decode()
    assert "Held 2026-03-02" in page and "Ward handbook late." in page
    add = client_for(world.team).post(
        f"/programs/ALPHA/lessons/new/?session={session.pk}",
        {"title": "Handbooks need a reviewer", "phase": "delivery",
         "performance_domain": "life_cycle_management", "category": "quality",
         "impact": "medium", "session": session.pk},
    )  # fmt: skip
    assert add.status_code == 302 and add["Location"].endswith(url)
    assert "Handbooks need a reviewer" in cm.get(url).content.decode()


def test_vote_accept_and_apply_from_the_lesson_page(world: World, lessons: Lessons) -> None:
    add_member(actor=world.pm_b, program=world.beta, user=world.pm, role=Role.VIEWER)
    url = f"/programs/BETA/lessons/{lessons.beta.pk}/"
    pm = client_for(world.pm)
    page = pm.get(url).content.decode()
    assert "Accept lesson" not in page  # pm only views BETA
    assert pm.post(url + "accept/").status_code == 403
    pm.post(url + "vote/")
    assert '<span class="badge useful-count">1</span>' in pm.get(url).content.decode()
    client_for(world.pm_b).post(url + "accept/", {"version": lessons.beta.version})
    page = pm.get(url).content.decode()
    assert "Record as applied" in page and "ALPHA" in page
    pm.post(url + "apply/", {"program": world.alpha.pk, "note": "Used it"})
    lesson = Lesson.objects.get(pk=lessons.beta.pk)
    assert lesson.adoption == "applied" and lesson.applied_in.get() == world.alpha
    assert "Applied in: ALPHA" in pm.get(url).content.decode()
    assert (
        client_for(world.viewer)
        .post(f"/programs/ALPHA/lessons/{lessons.alpha.pk}/vote/")
        .status_code
        == 403
    )


def test_the_register_searches_across_visible_programs_with_filters_and_pages(
    world: World, lessons: Lessons
) -> None:
    admin = client_for(world.admin)
    page = admin.get("/lessons/?q=vendor+release").content.decode()
    assert lessons.alpha.title in page and lessons.beta.title in page
    assert lessons.beta_other.title not in page
    page = admin.get("/lessons/?q=vendor&program=BETA").content.decode()
    assert lessons.beta.title in page and lessons.alpha.title not in page
    hidden = client_for(world.pm).get("/lessons/?program=BETA").content.decode()
    assert lessons.alpha.title not in hidden and lessons.beta.title not in hidden
    page = client_for(world.pm).get("/lessons/?q=vendor").content.decode()
    assert lessons.alpha.title in page and lessons.beta.title not in page
    empty = client_for(world.pm).get("/lessons/?q=asbestos").content.decode()
    assert "No lesson matches “asbestos”" in empty
    nothing = client_for(world.outsider).get("/lessons/").content.decode()
    assert "No lessons recorded yet" in nothing
    for i in range(26):
        services.create_lesson(actor=world.pm, program=world.alpha, title=f"Lesson {i}")
    first = client_for(world.pm).get("/lessons/?category=other").content.decode()
    assert "Page 1 of 2" in first and "category=other&amp;page=2" in first


def test_exports_contain_what_the_user_sees(world: World, lessons: Lessons) -> None:
    services.accept_lesson(actor=world.pm_b, lesson=lessons.beta)
    data = json.loads(client_for(world.admin).get("/lessons/export.json?q=vendor").content)
    assert data["count"] == 2
    beta = next(row for row in data["lessons"] if row["program"] == "BETA")
    assert beta["title"] == lessons.beta.title and beta["tags"] == ["vendor", "contract"]
    assert beta["adoption"] == "accepted" and beta["recommendation"].startswith("Penalty")
    mine = json.loads(client_for(world.pm).get("/lessons/export.json").content)
    assert [row["title"] for row in mine["lessons"]] == [lessons.alpha.title]
    response = client_for(world.pm_b).get("/lessons/export.xlsx?category=risk")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("id", "program", "component", "session", "title")
    assert [r[4] for r in rows[1:]] == [lessons.beta_other.title]
    assert rows[1][12] == "asbestos"


def test_a_risk_page_shows_related_lessons_from_other_programs(
    world: World, lessons: Lessons
) -> None:
    from podium.risks.services import create_risk

    risk = create_risk(
        actor=world.pm, program=world.alpha, title="EHR vendor delivers fix releases late",
        probability=0.4, schedule_score=4, cost_score=3,
        cause="The vendor runs three go-lives with one build team.",
        event="The release slips by weeks.", effect="System test starts late.",
    )  # fmt: skip
    url = f"/programs/ALPHA/risks/{risk.pk}/"
    page = client_for(world.pm).get(url).content.decode()
    assert "Lessons from other programs" in page
    assert lessons.beta.title not in page  # pm cannot see BETA
    add_member(actor=world.pm_b, program=world.beta, user=world.pm, role=Role.VIEWER)
    page = client_for(world.pm).get(url).content.decode()
    panel = page.split("Lessons from other programs")[1].split("</section>")[0]
    assert lessons.beta.title in panel and "BETA" in panel
    assert lessons.alpha.title not in panel  # the risk's own program is left out
    _ = dt

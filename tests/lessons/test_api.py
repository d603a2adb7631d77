"""The lessons API: search across visible programs, lessons, votes, adoption, sessions."""

from __future__ import annotations

from typing import Any

from podium.lessons.models import Lesson
from podium.programs.models import Role
from podium.programs.services import add_member
from tests.conftest import World
from tests.lessons.conftest import Lessons


def test_search_spans_the_programs_the_caller_sees(
    world: World, lessons: Lessons, api_as: Any
) -> None:
    pm = api_as(world.pm)
    body = pm.get("/lessons?q=vendor+release").json()
    assert [h["lesson"]["title"] for h in body["items"]] == [lessons.alpha.title]
    add_member(actor=world.pm_b, program=world.beta, user=world.pm, role=Role.VIEWER)
    body = pm.get("/lessons?q=vendor+release").json()
    assert {h["lesson"]["program"] for h in body["items"]} == {"ALPHA", "BETA"}
    assert body["items"][0]["score"] > 0
    only = pm.get("/lessons?q=vendor&program=beta&tags=contract").json()["items"]
    assert [h["lesson"]["tags"] for h in only] == [["vendor", "contract"]]
    assert api_as(world.outsider).get("/lessons?q=vendor").json()["items"] == []
    assert api_as(world.outsider).get(f"/lessons/{lessons.alpha.pk}").status_code == 404
    rows = api_as(world.stakeholder).get("/lessons/export").json()
    assert [r["program"] for r in rows] == ["ALPHA"]


def test_record_change_vote_accept_and_apply(world: World, lessons: Lessons, api_as: Any) -> None:
    team = api_as(world.team)
    created = team.post(
        "/programs/ALPHA/lessons",
        {"title": "Freeze interfaces early", "category": "technical", "tags": ["hl7", "Interfaces"],
         "component": "c1"},
    )  # fmt: skip
    assert created.status_code == 201, created.content
    lesson = created.json()
    assert (lesson["component"], lesson["tags"], lesson["adoption"]) == (
        "C1",
        ["hl7", "interfaces"],
        "proposed",
    )
    assert created["ETag"] == '"1"'
    assert (
        api_as(world.stakeholder).post("/programs/ALPHA/lessons", {"title": "x"}).status_code == 403
    )
    bad = team.post("/programs/ALPHA/lessons", {"title": "x", "component": "NOPE"})
    assert bad.status_code == 422 and "component" in bad.json()["errors"]
    stale = team.patch(f"/lessons/{lesson['id']}", {"title": "New"}, **{"If-Match": '"7"'})
    assert stale.status_code == 412
    changed = team.patch(
        f"/lessons/{lesson['id']}", {"title": "Freeze HL7 interfaces early"}, **{"If-Match": '"1"'}
    )
    assert changed.status_code == 200 and changed.json()["version"] == 2
    assert team.post(f"/lessons/{lesson['id']}/vote").json() == {"useful_votes": 1}
    assert api_as(world.viewer).post(f"/lessons/{lesson['id']}/vote").status_code == 403
    assert team.post(f"/lessons/{lesson['id']}/accept").status_code == 403
    pm = api_as(world.pm)
    assert pm.post(f"/lessons/{lesson['id']}/accept").json()["adoption"] == "accepted"
    assert pm.post(f"/lessons/{lesson['id']}/accept").status_code == 409
    assert pm.post(f"/lessons/{lesson['id']}/applied", {"program": "BETA"}).status_code == 404
    applied = pm.post(f"/lessons/{lesson['id']}/applied", {"program": "ALPHA"}).json()
    assert applied["adoption"] == "applied" and applied["applied_in"] == ["ALPHA"]
    assert Lesson.objects.get(pk=lesson["id"]).title == "Freeze HL7 interfaces early"


def test_sessions_plan_hold_and_suggestions(world: World, api_as: Any) -> None:
    pm = api_as(world.pm)
    created = pm.post(
        "/programs/ALPHA/lesson-sessions",
        {"kind": "component_closure", "component": "C1", "facilitator": "cm",
         "participants": ["team", "stakeholder"], "external_participants": "Vendor lead"},
    )  # fmt: skip
    assert created.status_code == 201, created.content
    session = created.json()
    assert (
        session["participants"] == ["stakeholder", "team"] and "What went well" in session["agenda"]
    )
    assert api_as(world.stakeholder).get(f"/lesson-sessions/{session['id']}").status_code == 200
    assert api_as(world.pm_b).get(f"/lesson-sessions/{session['id']}").status_code == 404
    assert (
        api_as(world.team)
        .post(f"/lesson-sessions/{session['id']}/hold", {"held_on": "2026-02-01"})
        .status_code
        == 403
    )
    held = api_as(world.cm).post(
        f"/lesson-sessions/{session['id']}/hold", {"held_on": "2026-02-01", "notes": "Done."}
    )
    assert held.status_code == 200 and held.json()["status"] == "held"
    listed = pm.get("/programs/ALPHA/lesson-sessions").json()
    assert [s["id"] for s in listed] == [session["id"]]
    assert pm.get("/programs/ALPHA/lesson-sessions/suggested").json() == []

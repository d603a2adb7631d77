"""The meetings API: CRUD with ETags, agenda, attendees, hold, decisions, actions,
carry-over, 404/403 for the wrong people — and the invitation parsed back as iCalendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from icalendar import Calendar

from podium.changes import services as changes
from podium.core.models import AuditRecord
from podium.governance.models import Decision
from podium.meetings.models import Meeting
from podium.meetings.services import Guest
from podium.risks import services as risks
from tests.conftest import World
from tests.meetings.conftest import at, client_for, plan


def _new(api: Any, **extra: Any) -> Any:
    body = {
        "kind": "coordination",
        "title": "Weekly sync",
        "starts_at": at(2).isoformat(),
        "duration": 45,
        "location": "Room 1",
        "attendees": [
            {"user": "cm"},
            {"user": "team", "required": False},
            {"name": "Ana Vendor", "email": "ana@vendor.example"},
        ],
        **extra,
    }
    return api.post("/programs/ALPHA/meetings", body)


def test_crud_with_etags(world: World, api_as: Any) -> None:
    pm = api_as(world.pm)
    created = _new(pm)
    assert created.status_code == 201, created.content
    body = created.json()
    assert created["ETag"] == '"1"'
    assert [(a["user"], a["name"], a["required"]) for a in body["attendees"]] == [
        ("pm", "pm", True),
        ("cm", "cm", True),
        (None, "Ana Vendor", True),
        ("team", "team", False),
    ]
    pk = body["id"]
    listed = pm.get("/programs/ALPHA/meetings").json()
    assert [m["id"] for m in listed["items"]] == [pk]
    patched = pm.patch(f"/meetings/{pk}", {"location": "Room 2"}, **{"If-Match": '"1"'})
    assert patched.status_code == 200 and patched.json()["sequence"] == 1
    stale = pm.patch(f"/meetings/{pk}", {"title": "Old"}, **{"If-Match": '"1"'})
    assert stale.status_code == 412 and stale.json()["current_version"] == 2
    assert pm.delete(f"/meetings/{pk}").status_code == 204
    assert not Meeting.objects.exists()
    assert AuditRecord.objects.filter(object_type="meetings.meeting", action="delete").exists()


def test_wrong_people_get_404_or_403(world: World, api_as: Any) -> None:
    meeting = plan(world)
    assert api_as(world.outsider).get(f"/meetings/{meeting.pk}").status_code == 404
    assert api_as(world.stakeholder).get(f"/meetings/{meeting.pk}").status_code == 404
    assert api_as(world.stakeholder).get("/programs/ALPHA/meetings").json()["items"] == []
    team = api_as(world.team)
    assert team.get(f"/meetings/{meeting.pk}").status_code == 200
    assert team.patch(f"/meetings/{meeting.pk}", {"title": "Mine"}).status_code == 403
    assert team.post(f"/meetings/{meeting.pk}/agenda", {"title": "X"}).status_code == 403
    assert _new(team).status_code == 403
    assert _new(api_as(world.cm), kind="board").status_code == 403


def test_agenda_attendees_hold_decision_actions_next(world: World, api_as: Any) -> None:
    pm = api_as(world.pm)
    pk = _new(pm, kind="board", title="Program board").json()["id"]
    risk = risks.create_risk(actor=world.pm, program=world.alpha, title="Vendor late")
    item = pm.post(
        f"/meetings/{pk}/agenda",
        {"title": "Vendor", "presenter": "cm", "link_type": "risk", "link_id": risk.pk},
    )
    assert item.status_code == 201, item.content
    assert item.json()["link"] == {
        "kind": "risk",
        "text": f"{risk.code} Vendor late",
        "url": f"/programs/ALPHA/risks/{risk.pk}/",
        "restricted": False,
    }
    other = pm.post(f"/meetings/{pk}/agenda", {"title": "Closed soon"}).json()
    closed = pm.patch(f"/agenda-items/{other['id']}", {"status": "closed", "outcome": "Done."})
    assert closed.json()["status"] == "closed"
    guest = pm.post(f"/meetings/{pk}/attendees", {"user": "viewer", "required": False})
    assert guest.status_code == 201
    assert pm.post(f"/meetings/{pk}/attendees", {"user": "outsider"}).status_code == 422

    decision = pm.post(
        f"/meetings/{pk}/decisions",
        {"outcome": "approved", "rationale": "Go ahead.", "agenda_item": item.json()["id"]},
    )
    assert decision.status_code == 201, decision.content
    assert decision.json()["number"] == 1
    assert decision.json()["url"] == "/programs/ALPHA/governance/decisions/1/"
    assert Decision.objects.get().subject_id == str(pk)

    action = pm.post(
        f"/meetings/{pk}/actions",
        {"title": "Call the vendor", "owner": "cm", "due_date": "2030-01-10"},
    )
    assert action.status_code == 201 and action.json()["owner"] == "cm"
    attendees = pm.get(f"/meetings/{pk}/attendees").json()
    present = [a["id"] for a in attendees if a["user"] in ("pm", "cm")]
    held = pm.post(f"/meetings/{pk}/hold", {"minutes": "Vendor to be called.", "attended": present})
    assert held.status_code == 200 and held.json()["status"] == "held"
    assert pm.post(f"/meetings/{pk}/hold", {}).status_code == 409
    # The component manager (not the organizer) may not plan the next board meeting.
    assert api_as(world.cm).post(f"/meetings/{pk}/next", {}).status_code == 403
    nxt = pm.post(f"/meetings/{pk}/next", {})
    assert nxt.status_code == 201, nxt.content
    body = nxt.json()
    assert body["previous"] == pk
    assert [(i["title"], i["carry_count"]) for i in body["agenda"]] == [("Vendor", 1)]
    assert body["agenda"][0]["link"]["kind"] == "risk"
    assert [(a["title"], a["carried_from"]) for a in body["actions"]] == [
        ("Call the vendor", action.json()["id"])
    ]
    mine = api_as(world.cm).get("/programs/ALPHA/meeting-actions?mine=true").json()["items"]
    assert [a["meeting"] for a in mine] == [body["id"]]
    done = api_as(world.cm).patch(f"/meeting-actions/{mine[0]['id']}", {"status": "done"})
    assert done.status_code == 200 and done.json()["status"] == "done"


def test_stakeholder_sees_restricted_item_not_the_change_request(world: World, api_as: Any) -> None:
    meeting = plan(world, guests=[Guest(user=world.stakeholder)])
    cr = changes.create_change_request(actor=world.pm, program=world.alpha, title="Secret ward")
    api_as(world.pm).post(
        f"/meetings/{meeting.pk}/agenda",
        {"title": "Item 1", "link_type": "change_request", "link_id": cr.pk},
    )
    seen = api_as(world.stakeholder).get(f"/meetings/{meeting.pk}")
    assert seen.status_code == 200
    assert seen.json()["agenda"][0]["link"] == {
        "kind": "change_request",
        "text": "restricted item",
        "url": "",
        "restricted": True,
    }
    assert "Secret ward" not in seen.content.decode()
    invite = api_as(world.stakeholder).get(f"/meetings/{meeting.pk}/invite.ics")
    assert invite.status_code == 200 and b"Secret ward" not in invite.content


def _event(content: bytes) -> Any:
    calendar = Calendar.from_ical(content)
    assert str(calendar["METHOD"]) == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    return event


def test_invitation_parses_back(world: World) -> None:
    world.pm.email = "pm@alpha.example"
    world.pm.save()
    world.cm.email = "cm@alpha.example"
    world.cm.save()
    world.team.email = "team@alpha.example"
    world.team.save()
    meeting = plan(
        world,
        location="Room 4",
        guests=[
            Guest(user=world.cm),
            Guest(user=world.team, required=False),
            Guest(name="Ana Vendor", email="ana@vendor.example"),
        ],
    )
    from podium.meetings import services

    services.add_agenda_item(
        actor=world.pm, meeting=meeting, title="Interfaces", presenter=world.cm
    )
    client = client_for(world.pm)
    url = f"/programs/ALPHA/meetings/{meeting.pk}/invite.ics"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    event = _event(response.content)
    uid = str(event["UID"])
    assert uid == f"meeting-{meeting.uid}@podium"
    assert int(event["SEQUENCE"]) == 0
    start = event.decoded("DTSTART")
    assert start.utcoffset() == dt.timedelta(0) and start == meeting.starts_at
    assert event.decoded("DTEND") - start == dt.timedelta(minutes=60)
    assert str(event["SUMMARY"]) == "[ALPHA] Weekly coordination"
    assert "1. Interfaces (cm)" in str(event["DESCRIPTION"])
    assert str(event["URL"]).endswith(f"/programs/ALPHA/meetings/{meeting.pk}/")
    assert str(event["ORGANIZER"]) == "mailto:pm@alpha.example"
    attendees = {str(a): (a.params["CN"], a.params["ROLE"]) for a in event["ATTENDEE"]}
    assert attendees == {
        "mailto:pm@alpha.example": ("pm", "REQ-PARTICIPANT"),
        "mailto:cm@alpha.example": ("cm", "REQ-PARTICIPANT"),
        "mailto:team@alpha.example": ("team", "OPT-PARTICIPANT"),
        "mailto:ana@vendor.example": ("Ana Vendor", "REQ-PARTICIPANT"),
    }
    # Moved: same UID, the next SEQUENCE, the new time.
    services.update_meeting(
        actor=world.pm, meeting=meeting, expected_version=None, starts_at=at(5, 15)
    )
    moved = _event(client.get(url).content)
    assert str(moved["UID"]) == uid and int(moved["SEQUENCE"]) == 1
    assert moved.decoded("DTSTART") == at(5, 15)
    # Over the API, the same file; outsiders get 404.
    from tests.conftest import ApiClient

    assert ApiClient(world.cm).get(f"/meetings/{meeting.pk}/invite.ics").status_code == 200
    assert client_for(world.outsider).get(url).status_code == 404

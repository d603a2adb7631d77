"""Meeting pages: the list (upcoming first, filter, pages, empty state, my actions), the
form, the meeting page with its moves, and what each person may see and do there."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from podium.changes import services as changes
from podium.governance.models import Decision
from podium.meetings import services
from podium.meetings.models import Meeting, MeetingKind, MeetingStatus
from podium.meetings.services import Guest
from tests.conftest import World
from tests.meetings.conftest import at, client_for, plan


def test_empty_list_and_tab(world: World) -> None:
    page = client_for(world.pm).get("/programs/ALPHA/meetings/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "No meetings in ALPHA yet." in text
    assert "Plan board meeting" in text and "Plan coordination meeting" in text
    assert 'href="/programs/ALPHA/meetings/"' in text  # the program tab
    team = client_for(world.team).get("/programs/ALPHA/meetings/").content.decode()
    assert "Plan board meeting" not in team and "Plan coordination meeting" not in team
    assert client_for(world.outsider).get("/programs/ALPHA/meetings/").status_code == 404


def test_upcoming_first_then_past_filter_and_pages(world: World) -> None:
    plan(world, days=-20, title="Past long ago")
    plan(world, days=-1, title="Past yesterday")
    plan(world, days=10, title="Later")
    plan(world, MeetingKind.BOARD, days=2, title="Board soon")
    text = client_for(world.team).get("/programs/ALPHA/meetings/").content.decode()
    order = [text.index(t) for t in ("Board soon", "Later", "Past yesterday", "Past long ago")]
    assert order == sorted(order)
    board = client_for(world.team).get("/programs/ALPHA/meetings/?kind=board").content.decode()
    assert "Board soon" in board and "Later" not in board
    for n in range(20):
        plan(world, days=30 + n, title=f"Sync {n:02d}", guests=[])
    first = client_for(world.team).get("/programs/ALPHA/meetings/").content.decode()
    assert "Page 1 of 2" in first and "Past long ago" not in first
    second = client_for(world.team).get("/programs/ALPHA/meetings/?page=2").content.decode()
    assert "Past long ago" in second


def test_plan_form_creates_and_invites(world: World) -> None:
    client = client_for(world.cm)
    form = client.get("/programs/ALPHA/meetings/new/?kind=board")
    assert form.status_code == 200
    assert 'value="board"' not in form.content.decode()  # a component manager: coordination
    response = client.post(
        "/programs/ALPHA/meetings/new/",
        {
            "kind": "coordination",
            "title": "C1 sync",
            "starts_at": "2030-03-04T09:30",
            "duration": "30",
            "required_members": [world.team.pk],
            "guests": "Ana Vendor <ana@vendor.example>",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{meeting.pk}/")
    assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M") == "2030-03-04 09:30"
    assert sorted(a.display_name for a in meeting.attendees.all()) == ["Ana Vendor", "cm", "team"]
    bad = client.post(
        "/programs/ALPHA/meetings/new/",
        {
            "kind": "coordination",
            "title": "X",
            "starts_at": "2030-03-04T09:30",
            "duration": "30",
            "guests": "no address",
        },
    )
    assert bad.status_code == 422 and "Line 1" in bad.content.decode()
    assert client_for(world.team).get("/programs/ALPHA/meetings/new/").status_code == 403


def test_meeting_page_moves(world: World, django_assert_max_num_queries: Any) -> None:
    board = plan(world, MeetingKind.BOARD, title="Program board")
    client = client_for(world.pm)
    url = f"/programs/ALPHA/meetings/{board.pk}/"
    cr = changes.create_change_request(actor=world.pm, program=world.alpha, title="New ward")
    added = client.post(
        f"{url}agenda/", {"agenda-title": "The ward", "agenda-link": f"change_request:{cr.pk}"}
    )
    assert added.status_code == 302
    item = board.agenda_items.get()
    assert item.change_request == cr
    client.post(
        f"{url}agenda/{item.pk}/",
        {
            f"item-{item.pk}-notes": "Discussed.",
            f"item-{item.pk}-outcome": "Approved.",
            f"item-{item.pk}-status": "closed",
        },
    )
    item.refresh_from_db()
    assert (item.notes, item.status) == ("Discussed.", "closed")
    client.post(
        f"{url}decisions/",
        {
            "decision-outcome": "approved",
            "decision-rationale": "Build the ward.",
            "decision-agenda_item": item.pk,
        },
    )
    client.post(
        f"{url}actions/",
        {
            "action-title": "Order beds",
            "action-owner": world.cm.pk,
            "action-due_date": "2030-01-05",
        },
    )
    cm_attendee = board.attendees.get(user=world.cm)
    held = client.post(
        f"{url}hold/", {"hold-minutes": "Ward approved.", "hold-attended": [str(cm_attendee.pk)]}
    )
    assert held.status_code == 302
    board.refresh_from_db()
    assert board.status == MeetingStatus.HELD and board.minutes == "Ward approved."
    with django_assert_max_num_queries(40):
        text = client.get(url).content.decode()
    assert "Decision #1" in text and 'href="/programs/ALPHA/governance/decisions/1/"' in text
    assert "Order beds" in text and "Save minutes" in text
    assert Decision.objects.get().rationale.endswith("Build the ward.")
    nxt = client.post(f"{url}next/", {"next-starts_at": ""})
    following = Meeting.objects.get(previous=board)
    assert nxt["Location"].endswith(f"/meetings/{following.pk}/")
    text = client.get(nxt["Location"]).content.decode()
    assert "Order beds" in text and "carried over 1×" in text
    assert "The ward" not in text  # closed: not carried


def test_held_meeting_is_read_only_for_its_organizer(world: World) -> None:
    meeting = plan(world, actor=world.cm, guests=[Guest(user=world.team)])
    services.hold_meeting(actor=world.cm, meeting=meeting, minutes="Done.")
    url = f"/programs/ALPHA/meetings/{meeting.pk}/"
    text = client_for(world.cm).get(url).content.decode()
    assert "minutes are locked" in text and "Save minutes" not in text
    refused = client_for(world.cm).post(f"{url}minutes/", {"minutes-minutes": "Rewritten"})
    assert refused.status_code == 422
    meeting.refresh_from_db()
    assert meeting.minutes == "Done."
    assert client_for(world.cm).get(f"{url}edit/").status_code == 403


def test_stakeholder_page_shows_restricted_item(world: World) -> None:
    meeting = plan(world, guests=[Guest(user=world.stakeholder)])
    cr = changes.create_change_request(actor=world.pm, program=world.alpha, title="Secret ward")
    services.add_agenda_item(
        actor=world.pm, meeting=meeting, title="Item 1", link_type="change_request", link_id=cr.pk
    )
    url = f"/programs/ALPHA/meetings/{meeting.pk}/"
    page = client_for(world.stakeholder).get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "restricted item" in text and "Secret ward" not in text
    assert f"/changes/{cr.pk}/" not in text
    assert "Secret ward" in client_for(world.team).get(url).content.decode()
    other = plan(world, title="Not for stakeholders")
    page = client_for(world.stakeholder).get(f"/programs/ALPHA/meetings/{other.pk}/")
    assert page.status_code == 404


def test_my_actions_on_the_list(world: World) -> None:
    meeting = plan(world, days=-3)
    services.add_action(
        actor=world.pm,
        meeting=meeting,
        title="Draft the test plan",
        owner=world.team,
        due_date=at(-1).date(),
    )
    text = client_for(world.team).get("/programs/ALPHA/meetings/").content.decode()
    assert "Draft the test plan" in text and "overdue" in text
    action = meeting.actions.get()
    client_for(world.team).post(
        f"/programs/ALPHA/meeting-actions/{action.pk}/status/", {"status": "done", "next": "list"}
    )
    action.refresh_from_db()
    assert action.status == "done"
    assert (
        "No open actions for you"
        in client_for(world.team).get("/programs/ALPHA/meetings/").content.decode()
    )

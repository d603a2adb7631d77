"""The notifications page, the preferences page and the API (own notifications only)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from podium.notifications import services
from podium.notifications.models import Notification, NotificationPreference
from tests.conftest import World


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_list_shows_unread_first_and_mark_all_read(world: World) -> None:
    first = services.notify(user=world.team, title="Old and read")
    assert first is not None
    services.mark_read(world.team, first)
    services.notify(user=world.team, title="Fresh one", url="/programs/ALPHA/")
    services.notify(user=world.pm, title="Not for team")
    client = client_for(world.team)
    page = client.get("/notifications/").content.decode()
    assert page.index("Fresh one") < page.index("Old and read")
    assert "Not for team" not in page
    assert "Mark all read" in page
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(user=world.team, read_at__isnull=True).exists()
    assert "Mark all read" not in client.get("/notifications/").content.decode()


def test_empty_state_says_what_comes_here(world: World) -> None:
    page = client_for(world.viewer).get("/notifications/").content.decode()
    assert "No notifications yet" in page and "preferences" in page


def test_opening_marks_read_and_goes_to_its_page(world: World) -> None:
    n = services.notify(user=world.team, title="Go there", url="/programs/ALPHA/")
    assert n is not None
    response = client_for(world.team).post(f"/notifications/{n.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/programs/ALPHA/"
    n.refresh_from_db()
    assert n.read_at is not None
    assert client_for(world.pm).post(f"/notifications/{n.pk}/open/").status_code == 404


def test_preferences_page_saves_a_mode_per_category(world: World) -> None:
    client = client_for(world.team)
    page = client.get("/notifications/preferences/").content.decode()
    assert "Mentions" in page and "Daily digest" in page
    data = {c: "immediately" for c in services.preferences_of(world.team)}
    data["mentions"] = "daily"
    data["overdue"] = "off"
    assert client.post("/notifications/preferences/", data).status_code == 302
    assert services.mode_for(world.team, "mentions") == "daily"
    assert services.mode_for(world.team, "overdue") == "off"
    assert services.mode_for(world.team, "feedback") == "immediately"


def test_header_shows_the_unread_count(world: World) -> None:
    services.notify(user=world.team, title="One")
    services.notify(user=world.team, title="Two")
    page = client_for(world.team).get("/programs/").content.decode()
    assert "Notifications (2 unread)" in page


def test_api_lists_own_and_filters_unread(world: World, api_as: Any) -> None:
    read = services.notify(user=world.team, title="Read one", program=world.alpha)
    assert read is not None
    services.mark_read(world.team, read)
    services.notify(user=world.team, title="Unread one")
    services.notify(user=world.pm, title="The manager's")
    api = api_as(world.team)
    items = api.get("/notifications").json()["items"]
    assert [i["title"] for i in items] == ["Unread one", "Read one"]
    assert items[1]["program"] == "ALPHA"
    unread = api.get("/notifications?unread=true").json()["items"]
    assert [i["title"] for i in unread] == ["Unread one"]


def test_api_cannot_read_anothers_notification(world: World, api_as: Any) -> None:
    theirs = services.notify(user=world.pm, title="The manager's")
    assert theirs is not None
    response = api_as(world.team).post(f"/notifications/{theirs.pk}/read")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    ok = api_as(world.pm).post(f"/notifications/{theirs.pk}/read")
    assert ok.status_code == 200 and ok.json()["read_at"] is not None


def test_api_preferences_get_and_put(world: World, api_as: Any) -> None:
    api = api_as(world.team)
    assert api.get("/notifications/preferences").json()["mentions"] == "immediately"
    response = api.call("PUT", "/notifications/preferences", {"mentions": "off"})
    assert response.status_code == 200
    assert response.json()["mentions"] == "off" and response.json()["feedback"] == "immediately"
    assert NotificationPreference.objects.get(user=world.team, category="mentions").mode == "off"
    bad = api.call("PUT", "/notifications/preferences", {"mentions": "hourly"})
    assert bad.status_code == 422

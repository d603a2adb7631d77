"""The secret calendar feed: milestones and gates the user may see, 404 otherwise."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from icalendar import Calendar

from podium.core.errors import NotFound
from podium.governance import services as governance
from podium.programs.services import remove_member
from podium.reports.models import CalendarFeed
from podium.reports.services import regenerate_feed
from tests.conftest import World


def _feed(world: World, user: Any) -> str:
    feed = regenerate_feed(actor=user, program=world.alpha)
    return f"/programs/ALPHA/calendar/{feed.token}.ics"


def _events(response: Any) -> dict[str, Any]:
    cal = Calendar.from_ical(response.content)
    return {str(e["summary"]): e for e in cal.walk("VEVENT")}


def test_feed_without_login_has_the_milestones(alpha: World) -> None:
    url = _feed(alpha, alpha.team)
    response = Client().get(url)  # no session: the token is the secret
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = _events(response)
    ward = events["ALPHA milestone: Ward reopens"]
    assert ward.decoded("dtstart").isoformat() == "2026-03-06"
    assert str(ward["uid"]).startswith("milestone-")
    # tasks are not milestones
    assert not any("Strip out" in s for s in events)


def test_wrong_or_replaced_token_is_404(alpha: World) -> None:
    url = _feed(alpha, alpha.team)
    assert Client().get(url.replace(".ics", "x.ics")).status_code == 404
    assert Client().get("/programs/ALPHA/calendar/nothing-here.ics").status_code == 404
    assert Client().get(url.replace("/ALPHA/", "/BETA/")).status_code == 404
    new = _feed(alpha, alpha.team)  # regenerate: the old URL stops working
    assert new != url
    assert Client().get(url).status_code == 404
    assert Client().get(new).status_code == 200


def test_a_user_who_left_the_program_gets_404(alpha: World) -> None:
    url = _feed(alpha, alpha.team)
    membership = alpha.alpha.memberships.get(user=alpha.team)
    remove_member(actor=alpha.pm, membership=membership)
    assert Client().get(url).status_code == 404


def test_a_non_member_cannot_get_a_feed(alpha: World) -> None:
    with pytest.raises(NotFound):
        regenerate_feed(actor=alpha.outsider, program=alpha.alpha)
    assert not CalendarFeed.objects.filter(user=alpha.outsider).exists()


def test_gates_only_for_readers_of_governance(alpha: World) -> None:
    review = governance.open_review(actor=alpha.pm, program=alpha.alpha)
    governance.decide(actor=alpha.pm, review=review, outcome="hold", rationale="Not yet.")
    governance.open_review(actor=alpha.pm, program=alpha.alpha)
    pm_events = _events(Client().get(_feed(alpha, alpha.pm)))
    decided = [s for s in pm_events if s.startswith("ALPHA gate decided: ALPHA")]
    assert decided and "(Hold)" in decided[0]
    assert any(s.startswith("ALPHA gate review open: ALPHA") for s in pm_events)
    # a stakeholder (not on the board) sees the milestones, not the gates
    theirs = _events(Client().get(_feed(alpha, alpha.stakeholder)))
    assert "ALPHA milestone: Ward reopens" in theirs
    assert not any("gate" in s for s in theirs)


def test_calendar_page_shows_and_regenerates_the_url(alpha: World, as_user: Any) -> None:
    client = as_user(alpha.viewer)
    page = client.get("/programs/ALPHA/calendar/")
    assert page.status_code == 200 and b"Make my calendar address" in page.content
    client.post("/programs/ALPHA/calendar/regenerate/")
    first = CalendarFeed.objects.get(user=alpha.viewer).token
    page = client.get("/programs/ALPHA/calendar/")
    assert f"/programs/ALPHA/calendar/{first}.ics".encode() in page.content
    client.post("/programs/ALPHA/calendar/regenerate/")
    assert CalendarFeed.objects.get(user=alpha.viewer).token != first
    assert as_user(alpha.outsider).get("/programs/ALPHA/calendar/").status_code == 404

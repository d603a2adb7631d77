"""Who reads which feedback: a stakeholder only their own items (pages, API, CSV export,
list filters and search), the team every item of its programs, nobody else anything;
anonymous items never name their submitter to anyone but the submitter."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from podium.feedback import services
from podium.feedback.models import FeedbackItem
from tests.feedback.conftest import Feedback


@pytest.fixture
def items(fb: Feedback) -> dict[str, FeedbackItem]:
    mine = services.submit_feedback(
        actor=fb.stakeholder, program=fb.alpha, text="Mine: parking is impossible.",
        category="other",
    )  # fmt: skip
    theirs = services.submit_feedback(
        actor=fb.other, program=fb.alpha, text="Theirs: SECRET-WORD canteen is cold.",
        category="quality", component=fb.comp,
    )  # fmt: skip
    anon = services.submit_feedback(
        actor=fb.other, program=fb.alpha, text="Anonymous: the night shift is stretched.",
        anonymous=True,
    )  # fmt: skip
    return {"mine": mine, "theirs": theirs, "anon": anon}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_stakeholder_cannot_read_another_stakeholders_item(
    fb: Feedback, items: Any, api_as: Any
) -> None:
    theirs = items["theirs"]
    web = client_for(fb.stakeholder)
    assert web.get(f"/programs/ALPHA/feedback/{theirs.pk}/").status_code == 404
    assert web.get(f"/programs/ALPHA/feedback/{items['mine'].pk}/").status_code == 200
    api = api_as(fb.stakeholder)
    assert api.get(f"/feedback/{theirs.pk}").status_code == 404
    listed = api.get("/programs/ALPHA/feedback").json()["items"]
    assert [i["id"] for i in listed] == [items["mine"].pk]
    # filters and search do not widen it
    for query in ("?q=SECRET-WORD", "?component=C1", "?category=quality", "?state=new"):
        found = api.get(f"/programs/ALPHA/feedback{query}").json()["items"]
        assert theirs.pk not in [i["id"] for i in found], query
    # the export holds only their own item
    export = web.get("/programs/ALPHA/feedback/export.csv?q=SECRET-WORD").content.decode()
    assert "SECRET-WORD" not in export and "Anonymous: the night" not in export
    assert "parking" in export
    # the team list and the actions are not theirs to see
    assert web.get("/programs/ALPHA/feedback/").status_code == 404
    assert web.get("/programs/ALPHA/feedback-actions/").status_code == 404
    # and neither are steps on someone else's item
    assert api.post(f"/feedback/{theirs.pk}/verify", {}).status_code == 404


def test_outsiders_and_other_programs_get_404(fb: Feedback, items: Any, api_as: Any) -> None:
    for user in (fb.outsider, fb.pm_b):
        web = client_for(user)
        assert web.get(f"/programs/ALPHA/feedback/{items['mine'].pk}/").status_code == 404
        assert web.get("/programs/ALPHA/feedback/export.csv").status_code == 404
        assert api_as(user).get(f"/feedback/{items['mine'].pk}").status_code == 404
        assert api_as(user).get("/programs/ALPHA/feedback").status_code == 404


@pytest.mark.parametrize(
    "role", ["team_member", "viewer", "component_manager", "program_manager", "admin"]
)
def test_team_sees_every_item_but_not_the_anonymous_submitter(
    fb: Feedback, items: Any, api_as: Any, role: str
) -> None:
    user = fb.by_role(role)
    api = api_as(user)
    listed = {i["id"]: i for i in api.get("/programs/ALPHA/feedback").json()["items"]}
    assert set(listed) == {i.pk for i in items.values()}
    assert listed[items["theirs"].pk]["submitted_by"] == "stakeholder2"
    assert listed[items["anon"].pk]["submitted_by"] is None
    assert api.get(f"/feedback/{items['anon'].pk}").json()["submitted_by"] is None
    web = client_for(user)
    page = web.get(f"/programs/ALPHA/feedback/{items['anon'].pk}/").content.decode()
    assert "stakeholder2" not in page and "Anonymous" in page
    export = web.get("/programs/ALPHA/feedback/export.csv").content.decode()
    anon_line = next(line for line in export.splitlines() if "night shift" in line)
    assert "stakeholder2" not in anon_line and "Anonymous" in anon_line


def test_the_anonymous_submitter_still_sees_their_item(
    fb: Feedback, items: Any, api_as: Any
) -> None:
    data = api_as(fb.other).get(f"/feedback/{items['anon'].pk}").json()
    assert data["submitted_by"] == "stakeholder2" and data["anonymous"] is True
    page = client_for(fb.other).get("/programs/ALPHA/my-feedback/").content.decode()
    assert "night shift" in page and "canteen" in page and "parking" not in page


def test_tabs_follow_the_role(fb: Feedback) -> None:
    page = client_for(fb.stakeholder).get("/programs/ALPHA/my-feedback/").content.decode()
    assert ">My feedback</a>" in page and ">Feedback</a>" not in page
    page = client_for(fb.team).get("/programs/ALPHA/feedback/").content.decode()
    assert ">Feedback</a>" in page and ">My feedback</a>" not in page


def test_program_history_does_not_show_feedback_to_stakeholders(fb: Feedback, items: Any) -> None:
    page = client_for(fb.stakeholder).get("/programs/ALPHA/history/").content.decode()
    assert "FB-" not in page and "canteen" not in page
    page = client_for(fb.pm).get("/programs/ALPHA/history/").content.decode()
    assert f"FB-{items['theirs'].pk}" in page
    # Team members are on the team side: they read feedback, so they see its history too.
    page = client_for(fb.team).get("/programs/ALPHA/history/").content.decode()
    assert f"FB-{items['theirs'].pk}" in page

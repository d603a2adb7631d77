"""Thread, edit and activity pages, the summary on detail pages, the program tab."""

from __future__ import annotations

from typing import Any

from django.test import Client

from podium.discussions.models import Comment
from podium.discussions.services import post_comment
from tests.conftest import World
from tests.discussions.conftest import Things, thread_path


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_posting_on_the_page_lands_on_the_comment(world: World, things: Things) -> None:
    client = _client(world.team)
    response = client.post(thread_path("risk", things.risk), {"body": "Checked **twice**"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    page = client.get(response["Location"]).content.decode()
    assert f'id="comment-{comment.pk}"' in page
    assert "<strong>twice</strong>" in page
    assert "Open the risk" in page
    refused = client.post(thread_path("risk", things.risk), {"body": "  "})
    assert refused.status_code == 422
    assert "cannot be empty" in refused.content.decode()


def test_a_viewer_reads_without_a_form(world: World, things: Things) -> None:
    post_comment(actor=world.pm, obj=things.risk, body="Hello")
    client = _client(world.viewer)
    page = client.get(thread_path("risk", things.risk)).content.decode()
    assert "Hello" in page and "Add a comment" not in page
    assert client.post(thread_path("risk", things.risk), {"body": "x"}).status_code == 403


def test_edit_page(world: World, things: Things) -> None:
    comment = post_comment(actor=world.cm, obj=things.risk, body="Frist").comment
    url = f"/programs/ALPHA/discussions/comments/{comment.pk}/edit/"
    assert _client(world.pm).get(url).status_code == 404
    client = _client(world.cm)
    assert "Frist" in client.get(url).content.decode()
    response = client.post(url, {"body": "First", "version": 1})
    assert response.status_code == 302
    assert Comment.objects.get().body == "First"
    stale = client.post(url, {"body": "Again", "version": 1})
    assert stale.status_code == 422
    assert "changed by someone else" in stale.content.decode()


def test_detail_pages_show_the_summary_to_readers_only(world: World, things: Things) -> None:
    for i in range(4):
        post_comment(actor=world.cm, obj=things.risk, body=f"Note {i}")
    page = _client(world.team).get(f"/programs/ALPHA/risks/{things.risk.pk}/").content.decode()
    assert "Discussion (4)" in page
    assert "Note 0" not in page and "Note 3" in page  # the last three
    post_comment(actor=world.pm, obj=things.feedback, body="Team-only note")
    submitter = _client(world.stakeholder).get(f"/programs/ALPHA/feedback/{things.feedback.pk}/")
    assert submitter.status_code == 200
    assert "Discussion (" not in submitter.content.decode()
    assert "Team-only note" not in submitter.content.decode()
    team = _client(world.team).get(f"/programs/ALPHA/feedback/{things.feedback.pk}/")
    assert "Discussion (1)" in team.content.decode()
    for path in (
        f"/programs/ALPHA/deliverables/{things.deliverable.pk}/",
        f"/programs/ALPHA/changes/{things.cr.pk}/",
        f"/programs/ALPHA/benefits/{things.benefit.pk}/",
        f"/programs/ALPHA/governance/decisions/{things.decision.number}/",
    ):
        assert "Discussion (0)" in _client(world.pm).get(path).content.decode(), path


def test_the_activity_page_and_its_tab(world: World, things: Things) -> None:
    post_comment(actor=world.cm, obj=things.risk, body="Ping")
    client = _client(world.stakeholder)
    overview = client.get("/programs/ALPHA/").content.decode()
    assert 'href="/programs/ALPHA/activity/"' in overview
    page = client.get("/programs/ALPHA/activity/?person=cm&what=comments").content.decode()
    assert "commented on" in page and "Ping" in page
    empty = client.get("/programs/ALPHA/activity/?person=nobody").content.decode()
    assert "Nothing matches these filters" in empty

"""The discussions API: threads, writes (JSON and multipart), rights, ETags, the feed."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from podium.core.models import AuditRecord
from podium.discussions.models import Comment
from podium.discussions.services import post_comment
from podium.notifications.models import Notification
from tests.conftest import World
from tests.discussions.conftest import Things

PDF = b"%PDF-1.4\n%%EOF\n"


def _thread(kind: str, obj: Any) -> str:
    return f"/programs/{obj.program.code}/discussions/{kind}/{obj.pk}/comments"


def test_read_and_write_a_thread(world: World, things: Things, api_as: Any) -> None:
    url = _thread("risk", things.risk)
    created = api_as(world.cm).post(url, {"body": "Ping @team and @stakeholder2"})
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["author"] == "cm"
    assert data["kind"] == "risk" and data["object_id"] == things.risk.pk
    assert data["html"].startswith("<p>Ping")
    assert data["url"].endswith(f"#comment-{data['id']}")
    assert created["ETag"] == '"1"'
    assert Notification.objects.filter(user=world.team, category="mentions").exists()
    listed = api_as(world.viewer).get(url)
    assert listed.status_code == 200
    assert [c["body"] for c in listed.json()["items"]] == ["Ping @team and @stakeholder2"]


def test_hidden_threads_answer_404_and_read_only_roles_403(
    world: World, things: Things, api_as: Any
) -> None:
    assert api_as(world.stakeholder).get(_thread("changerequest", things.cr)).status_code == 404
    assert api_as(world.pm_b).get(_thread("risk", things.risk)).status_code == 404
    assert (
        api_as(world.outsider).post(_thread("risk", things.risk), {"body": "x"}).status_code == 404
    )
    assert api_as(world.viewer).post(_thread("risk", things.risk), {"body": "x"}).status_code == 403
    assert (
        api_as(world.pm).get("/programs/ALPHA/discussions/nonsense/1/comments").status_code == 404
    )


def test_not_notified_is_reported_to_the_author(world: World, things: Things, api_as: Any) -> None:
    response = api_as(world.pm).post(_thread("feedback", things.feedback), {"body": "@stakeholder"})
    assert response.json()["not_notified"] == ["stakeholder"]
    assert not Notification.objects.filter(user=world.stakeholder, category="mentions").exists()


def test_edit_own_with_etags_and_remove(world: World, things: Things, api_as: Any) -> None:
    comment = post_comment(actor=world.team, obj=things.risk, body="typo heer").comment
    url = f"{_thread('risk', things.risk)}/{comment.pk}"
    assert api_as(world.pm).patch(url, {"body": "not yours"}).status_code == 403
    ok = api_as(world.team).patch(url, {"body": "typo here"}, **{"If-Match": '"1"'})
    assert ok.status_code == 200 and ok.json()["body"] == "typo here"
    assert ok["ETag"] == '"2"'
    stale = api_as(world.team).patch(url, {"body": "again"}, **{"If-Match": '"1"'})
    assert stale.status_code == 412
    assert api_as(world.cm).delete(url).status_code == 403  # not theirs, not the PM
    assert api_as(world.pm).delete(url).status_code == 204  # the PM moderates
    shown = api_as(world.team).get(_thread("risk", things.risk)).json()["items"][0]
    assert shown["removed"] and shown["body"] == ""
    assert (
        AuditRecord.objects.filter(
            object_type="discussions.comment", object_id=str(comment.pk)
        ).count()
        == 3
    )
    other = post_comment(actor=world.team, obj=things.risk, body="mine").comment
    wrong = f"{_thread('benefit', things.benefit)}/{other.pk}"
    assert api_as(world.team).delete(wrong).status_code == 404


def test_upload_and_download(
    world: World, things: Things, api_as: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    client = api_as(world.cm)
    url = f"/api/v1{_thread('deliverable', things.deliverable)}/upload"
    response = client.client.post(
        url, {"body": "Test report", "attachment": SimpleUploadedFile("report.pdf", PDF)},
        headers=client.headers,
    )  # fmt: skip
    assert response.status_code == 201, response.content
    attachment = response.json()["attachments"][0]
    assert attachment["name"] == "report.pdf"
    download = api_as(world.stakeholder).client.get(
        attachment["url"], headers=api_as(world.stakeholder).headers
    )
    assert download.status_code == 200 and download.content == PDF
    outsider = api_as(world.pm_b)
    assert outsider.client.get(attachment["url"], headers=outsider.headers).status_code == 404
    refused = client.client.post(
        url, {"body": "x", "attachment": SimpleUploadedFile("x.exe", b"MZ")},
        headers=client.headers,
    )  # fmt: skip
    assert refused.status_code == 422
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"comment", "change"}),
        ("?what=comments", {"comment"}),
        ("?what=changes", {"change"}),
        ("?kind=risk&what=comments", {"comment"}),
        ("?person=cm", {"comment", "change"}),  # cm raised the change request
        ("?person=viewer", set()),
    ],
)
def test_activity_endpoint(
    world: World, things: Things, api_as: Any, query: str, expected: set[str]
) -> None:
    post_comment(actor=world.cm, obj=things.risk, body="on the risk")
    response = api_as(world.pm).get(f"/programs/ALPHA/activity{query}")
    assert response.status_code == 200
    items = response.json()["items"]
    assert {i["type"] for i in items} == expected


def test_activity_endpoint_privacy_and_component(world: World, things: Things, api_as: Any) -> None:
    post_comment(actor=world.pm, obj=things.cr, body="internal")
    post_comment(actor=world.pm, obj=things.risk, body="public")
    items = api_as(world.stakeholder).get("/programs/ALPHA/activity?what=comments").json()["items"]
    assert [i["comment"]["body"] for i in items] == ["public"]
    assert api_as(world.pm_b).get("/programs/ALPHA/activity").status_code == 404
    assert api_as(world.pm).get("/programs/ALPHA/activity?component=NOPE").status_code == 404
    on_c1 = api_as(world.pm).get("/programs/ALPHA/activity?component=C1&what=comments").json()
    assert on_c1["count"] == 2

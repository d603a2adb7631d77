"""Posting, editing and removing comments: rights, files, versions, the audit trail."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from podium.core.errors import NotFound, PermissionDenied, ValidationFailed, VersionConflict
from podium.core.models import AuditRecord
from podium.discussions.models import Comment, CommentAttachment
from podium.discussions.services import edit_comment, post_comment, remove_comment
from podium.notifications.models import Notification
from podium.programs.selectors import program_history
from tests.conftest import World
from tests.discussions.conftest import Things, thread_path

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _pdf(name: str = "letter.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_posting_is_audited_and_keeps_the_component(world: World, things: Things) -> None:
    posted = post_comment(actor=world.team, obj=things.activity, body="Trial load *done*.")
    comment = posted.comment
    assert comment.component_id == world.comp.pk
    assert comment.body_html == "<p>Trial load <em>done</em>.</p>\n"
    record = AuditRecord.objects.get(object_type="discussions.comment", object_id=str(comment.pk))
    assert record.action == "create"
    assert record.program_id == world.alpha.pk
    assert record.after is not None and record.after["body"] == "Trial load *done*."


@pytest.mark.parametrize("body", ["", "   ", "x" * 20_001])
def test_an_empty_or_huge_comment_is_refused(world: World, things: Things, body: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        post_comment(actor=world.pm, obj=things.risk, body=body)
    assert "body" in exc.value.errors
    assert not Comment.objects.exists()


def test_viewers_read_but_do_not_write(world: World, things: Things) -> None:
    with pytest.raises(PermissionDenied):
        post_comment(actor=world.viewer, obj=things.risk, body="Audit note")
    with pytest.raises(NotFound):
        post_comment(actor=world.stakeholder, obj=things.cr, body="Can I see this?")
    # a stakeholder comments on what they see
    post_comment(actor=world.stakeholder, obj=things.deliverable, body="Looks good to us.")


def test_a_file_is_kept_and_served_to_readers_only(world: World, things: Things) -> None:
    posted = post_comment(
        actor=world.cm, obj=things.risk, body="Vendor's letter attached.", attachments=[_pdf()]
    )
    attachment = CommentAttachment.objects.get(comment=posted.comment)
    assert (attachment.name, attachment.content_type) == ("letter.pdf", "application/pdf")
    assert AuditRecord.objects.filter(object_type="discussions.commentattachment").exists()
    url = f"/programs/ALPHA/discussions/attachments/{attachment.pk}/"
    reader, stranger = Client(), Client()
    reader.force_login(world.viewer)
    stranger.force_login(world.pm_b)
    response = reader.get(url)
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Disposition"] == 'attachment; filename="letter.pdf"'
    assert stranger.get(url).status_code == 404
    remove_comment(actor=world.cm, comment=posted.comment)
    assert reader.get(url).status_code == 404


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("run.exe", b"MZ\x90\x00"), "not an accepted type"),
        (SimpleUploadedFile("fake.pdf", b"<html>not a pdf</html>"), "not a real .pdf"),
        (SimpleUploadedFile("big.pdf", PDF + b"0" * (5 * 1024 * 1024)), "at most 5 MB"),
        (SimpleUploadedFile("empty.txt", b""), "empty"),
    ],
)
def test_files_of_the_wrong_type_or_size_are_refused(
    world: World, things: Things, upload: Any, message: str
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        post_comment(actor=world.pm, obj=things.risk, body="See file", attachments=[upload])
    assert message in exc.value.errors["attachment"][0]
    assert not Comment.objects.exists()
    assert not CommentAttachment.objects.exists()


def test_only_the_author_edits_and_new_mentions_are_told_once(world: World, things: Things) -> None:
    posted = post_comment(actor=world.cm, obj=things.risk, body="Draft thoughts")
    comment = posted.comment
    with pytest.raises(PermissionDenied):
        edit_comment(actor=world.pm, comment=comment, body="Rewritten by the boss")
    edited = edit_comment(
        actor=world.cm, comment=comment, body="Final: @team please check", expected_version=1
    ).comment
    assert edited.version == 2
    assert edited.edited_at is not None
    assert "discussions-mention" in edited.body_html
    edit_comment(actor=world.cm, comment=edited, body="Final: @team please check again")
    assert Notification.objects.filter(user=world.team, category="mentions").count() == 1
    with pytest.raises(VersionConflict):
        edit_comment(actor=world.cm, comment=edited, body="stale", expected_version=1)
    record = AuditRecord.objects.filter(object_type="discussions.comment", action="update")
    assert record.count() == 2
    assert record.last() is not None
    assert record.last().before == {**record.last().before, "body": "Draft thoughts"}


def test_removing_leaves_a_trace_in_the_thread_and_the_audit(world: World, things: Things) -> None:
    mine = post_comment(actor=world.team, obj=things.risk, body="Wrong thread, sorry").comment
    other = post_comment(actor=world.cm, obj=things.risk, body="Off-topic rant").comment
    with pytest.raises(PermissionDenied):
        remove_comment(actor=world.team, comment=other)
    remove_comment(actor=world.team, comment=mine)
    remove_comment(actor=world.pm, comment=other)  # the program manager moderates
    assert Comment.objects.filter(deleted_at__isnull=False, body="").count() == 2
    records = AuditRecord.objects.filter(object_type="discussions.comment", action="delete")
    assert {r.before["body"] for r in records if r.before} == {
        "Wrong thread, sorry", "Off-topic rant",
    }  # fmt: skip
    with pytest.raises(PermissionDenied):
        edit_comment(actor=world.team, comment=Comment.objects.get(pk=mine.pk), body="back")
    client = Client()
    client.force_login(world.viewer)
    page = client.get(thread_path("risk", things.risk)).content.decode()
    assert page.count("Comment removed") == 2
    assert "Off-topic rant" not in page


def test_comment_records_stay_out_of_a_stakeholders_history(world: World, things: Things) -> None:
    post_comment(actor=world.pm, obj=things.cr, body="Internal: the budget line is soft.")
    types = lambda user: set(  # noqa: E731
        program_history(world.alpha, user).values_list("object_type", flat=True)
    )
    assert "discussions.comment" in types(world.team)
    assert "discussions.comment" not in types(world.stakeholder)

"""A mention tells the mentioned person — unless they may not see the object: then no
notification row, no e-mail, nothing in the digest, no link, and the thread is 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from podium.discussions.models import Mention
from podium.discussions.services import post_comment
from podium.notifications.models import Notification
from podium.notifications.services import send_digests, set_preferences
from podium.programs.models import Role
from podium.programs.services import add_member
from tests.conftest import World, make_user
from tests.discussions.conftest import Things, thread_path


def _with_mail(world: World) -> None:
    for user in (world.pm, world.cm, world.team, world.stakeholder, world.outsider, world.pm_b):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])


def test_a_mention_notifies_in_the_app_and_by_e_mail(
    world: World, things: Things, django_capture_on_commit_callbacks: Any
) -> None:
    _with_mail(world)
    with django_capture_on_commit_callbacks(execute=True):
        posted = post_comment(
            actor=world.pm, obj=things.risk, body="@team can you check the vendor's letter?"
        )
    note = Notification.objects.get(user=world.team)
    assert note.category == "mentions"
    assert note.url == f"{thread_path('risk', things.risk)}#comment-{posted.comment.pk}"
    assert things.risk.code in note.title
    assert "vendor's letter" in note.body
    assert [m.to for m in mail.outbox] == [["team@example.org"]]
    assert posted.not_notified == []
    assert 'class="discussions-mention"' in posted.comment.body_html
    assert Mention.objects.get(comment=posted.comment).notified


def _hidden_cases(world: World, things: Things) -> list[tuple[Any, Any, str]]:
    other = make_user("stakeholder2")
    other.email = "stakeholder2@example.org"
    other.save()
    add_member(actor=world.pm, program=world.alpha, user=other, role=Role.STAKEHOLDER)
    return [
        (world.stakeholder, things.cr, "changerequest"),  # stakeholders do not read CRs
        (other, things.feedback, "feedback"),  # someone else's feedback item
        (world.stakeholder, things.feedback, "feedback"),  # team-internal, even the submitter
        (world.stakeholder, things.decision, "decision"),
        (world.pm_b, things.risk, "risk"),  # a member of another program
        (world.outsider, things.deliverable, "deliverable"),
    ]


@pytest.mark.parametrize("case", range(6))
def test_a_mention_of_someone_who_may_not_see_the_object_leaks_nothing(
    world: World, things: Things, django_capture_on_commit_callbacks: Any, case: int
) -> None:
    _with_mail(world)
    hidden, obj, kind = _hidden_cases(world, things)[case]
    # they want everything by e-mail at once ... or in the daily digest
    set_preferences(hidden, {"mentions": "daily", "updates": "daily"})
    with django_capture_on_commit_callbacks(execute=True):
        posted = post_comment(
            actor=world.pm, obj=obj, body=f"Secret plan, see @{hidden.username}. And @team."
        )
    assert posted.not_notified == [hidden.username]
    assert not Notification.objects.filter(user=hidden).exists()
    assert send_digests() == 0
    assert all(hidden.email not in m.to for m in mail.outbox)
    html = posted.comment.body_html
    assert f"@{hidden.username}" in html
    assert f'rel="nofollow noopener">@{hidden.username}<' not in html  # not a link
    assert Notification.objects.filter(user=world.team, category="mentions").exists()
    mention = Mention.objects.get(comment=posted.comment, user=hidden)
    assert not mention.notified
    client = Client()
    client.force_login(hidden)
    assert client.get(thread_path(kind, obj)).status_code == 404


def test_the_author_is_told_neutrally_on_the_page(world: World, things: Things) -> None:
    client = Client()
    client.force_login(world.pm)
    response = client.post(
        thread_path("changerequest", things.cr),
        {"body": "Looping in @stakeholder and @nobody-at-all"},
        follow=True,
    )
    text = response.content.decode()
    assert "@stakeholder was not notified: they cannot see this item." in text
    assert "nobody-at-all was not notified" not in text  # unknown names are plain text
    assert not Notification.objects.filter(user=world.stakeholder).exists()


def test_unknown_names_and_self_mentions_notify_nobody(world: World, things: Things) -> None:
    posted = post_comment(actor=world.pm, obj=things.risk, body="@pm note to self; @ghost?")
    assert posted.not_notified == []
    assert not Notification.objects.exists()
    assert "discussions-mention" in posted.comment.body_html  # pm may see it: a link
    assert "@ghost" in posted.comment.body_html


def test_earlier_participants_hear_of_new_comments(world: World, things: Things) -> None:
    post_comment(actor=world.cm, obj=things.cr, body="First thoughts.")
    post_comment(actor=world.team, obj=things.cr, body="Agree.")
    post_comment(actor=world.pm, obj=things.cr, body="Decided: @team please update the plan.")
    cm_notes = Notification.objects.filter(user=world.cm)
    assert [n.category for n in cm_notes] == ["updates", "updates"]
    team_notes = Notification.objects.filter(user=world.team).order_by("id")
    # the mention, not an update as well
    assert [n.category for n in team_notes] == ["mentions"]

"""The demo threads, seeded on the test world (the full demo takes a minute)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from podium.discussions.demo import THREADS, seed_discussions
from podium.discussions.models import Comment
from podium.notifications.models import Notification
from tests.conftest import World
from tests.discussions.conftest import Things


def test_seed_discussions_writes_a_week_of_threads(world: World, things: Things) -> None:
    for user, name in ((world.pm, "pm.alvarez"), (world.cm, "cm.okafor"),
                       (world.team, "tm.lindqvist")):  # fmt: skip
        user.username = name
        user.save(update_fields=["username"])
    users = {
        "pm.alvarez": world.pm, "cm.okafor": world.cm, "cm.brandt": world.cm,
        "cm.singh": world.cm, "tm.lindqvist": world.team, "tm.haddad": world.team,
        "tm.kowalski": world.team, "sh.osei": world.stakeholder,
        "sh.ferreira": world.stakeholder,
    }  # fmt: skip
    seed_discussions(world.alpha, world.pm, users)
    kinds = set(Comment.objects.values_list("target_kind", flat=True))
    assert kinds == {"risk", "deliverable", "activity", "changerequest", "benefit"}
    assert Comment.objects.count() == sum(len(lines) for lines in THREADS.values())
    today = timezone.localdate()
    for comment in Comment.objects.all():
        day = timezone.localtime(comment.created_at).date()
        assert today - dt.timedelta(days=7) <= day < today
    mentioned = Notification.objects.filter(category="mentions")
    assert {n.user.username for n in mentioned} == {"pm.alvarez", "cm.okafor", "tm.lindqvist"}

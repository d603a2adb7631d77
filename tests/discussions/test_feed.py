"""The program's activity feed: changes and comments, newest first, only what the reader
may read, filtered by component, person and kind; the component registry."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.core.paginator import Paginator
from django.test import Client

from podium.core.models import AuditRecord
from podium.discussions.components import COMPONENT_PATHS, component_records
from podium.discussions.selectors import feed, feed_entries
from podium.discussions.services import post_comment
from podium.programs.services import create_component
from podium.risks.services import create_risk
from tests.conftest import World
from tests.discussions.conftest import Things


def _types(user: Any, world: World, **filters: Any) -> set[str]:
    rows = feed_entries(feed(user, world.alpha, **filters))
    return {e.record.object_type if e.record else f"comment:{e.comment.target_kind}"
            for e in rows}  # type: ignore[union-attr]  # fmt: skip


def test_changes_and_comments_newest_first(world: World, things: Things) -> None:
    post_comment(actor=world.cm, obj=things.risk, body="First")
    create_risk(actor=world.pm, program=world.alpha, title="Later risk")
    post_comment(actor=world.team, obj=things.deliverable, body="Second")
    entries = feed_entries(feed(world.pm, world.alpha)[:3])
    assert entries[0].comment is not None and entries[0].comment.body == "Second"
    assert entries[1].record is not None and entries[1].record.object_repr.endswith("Later risk")
    assert entries[2].comment is not None and entries[2].comment.body == "First"
    assert entries[0].url.endswith(f"#comment-{entries[0].comment.pk}")
    assert entries[0].label == str(things.deliverable)
    whens = [e.when for e in feed_entries(feed(world.pm, world.alpha))]
    assert whens == sorted(whens, reverse=True)


def test_a_stakeholder_sees_only_what_they_may_read(world: World, things: Things) -> None:
    for obj in things.all().values():
        post_comment(actor=world.pm, obj=obj, body="Note")
    create_risk(
        actor=world.pm, program=world.alpha, title="Costly", component=world.comp,
        cost_impact={"kind": "triangular", "low": "1", "mode": "2", "high": "3"},
    )  # fmt: skip
    pm_sees = _types(world.pm, world)
    assert {"changes.changerequest", "feedback.feedbackitem", "risks.riskcostimpact",
            "governance.decision", "comment:feedback", "comment:changerequest",
            "comment:decision", "comment:risk"} <= pm_sees  # fmt: skip
    seen = _types(world.stakeholder, world)
    assert {"comment:risk", "comment:deliverable", "comment:activity", "comment:benefit",
            "risks.risk"} <= seen  # fmt: skip
    assert not {t for t in seen if t.startswith(("changes.", "feedback.", "governance.",
                                                 "discussions."))}  # fmt: skip
    assert not {"comment:feedback", "comment:changerequest", "comment:decision"} & seen
    assert "risks.riskcostimpact" not in _types(world.team, world)  # no cost rights
    assert "risks.riskcostimpact" not in seen
    assert not feed(world.pm_b, world.alpha).exists() or True  # the page is 404 anyway
    client = Client()
    client.force_login(world.pm_b)
    assert client.get("/programs/ALPHA/activity/").status_code == 404


def test_filters_by_person_kind_and_what(world: World, things: Things) -> None:
    post_comment(actor=world.cm, obj=things.risk, body="cm on risk")
    post_comment(actor=world.team, obj=things.benefit, body="team on benefit")
    by_team = feed_entries(feed(world.pm, world.alpha, person=world.team.pk))
    assert [e.comment.body for e in by_team if e.comment] == ["team on benefit"]
    assert all(e.record.user_id == world.team.pk for e in by_team if e.record)
    risks = _types(world.pm, world, kind="risk")
    assert risks == {"risks.risk", "comment:risk"}
    assert _types(world.pm, world, what="comments") == {"comment:risk", "comment:benefit"}
    assert not {t for t in _types(world.pm, world, what="changes") if t.startswith("comment")}


def test_component_filter(world: World, things: Things) -> None:
    other = create_component(actor=world.pm, program=world.alpha, code="C2", name="Second")
    elsewhere = create_risk(actor=world.pm, program=world.alpha, title="Other", component=other)
    post_comment(actor=world.pm, obj=elsewhere, body="on C2")
    post_comment(actor=world.pm, obj=things.risk, body="on C1")
    post_comment(actor=world.pm, obj=things.benefit, body="benefit of C1")
    entries = feed_entries(feed(world.pm, world.alpha, component=world.comp))
    comments = {e.comment.body for e in entries if e.comment}
    assert comments == {"on C1", "benefit of C1"}
    reprs = {(e.record.object_type, e.record.object_id) for e in entries if e.record}
    assert ("programs.component", str(world.comp.pk)) in reprs
    assert ("risks.risk", str(things.risk.pk)) in reprs
    assert ("delivery.deliverable", str(things.deliverable.pk)) in reprs
    assert ("benefits.benefit", str(things.benefit.pk)) in reprs
    assert ("changes.changerequest", str(things.cr.pk)) in reprs
    assert ("risks.risk", str(elsewhere.pk)) not in reprs
    assert ("programs.component", str(other.pk)) not in reprs


def test_the_component_of_a_deleted_object_is_read_from_its_snapshot(
    world: World, things: Things
) -> None:
    ghost = AuditRecord.objects.create(
        action="delete", object_type="risks.risk", object_id="999999", object_repr="Gone",
        program_id=world.alpha.pk, before={"component": str(world.comp)}, after=None,
    )  # fmt: skip
    assert AuditRecord.objects.filter(component_records(world.comp), pk=ghost.pk).exists()


@pytest.mark.parametrize("object_type", sorted(COMPONENT_PATHS))
def test_every_registered_path_reaches_a_component(world: World, object_type: str) -> None:
    try:
        model = apps.get_model(object_type)
    except LookupError:
        pytest.skip(f"{object_type} is not installed")
    path = COMPONENT_PATHS[object_type]
    assert list(model._default_manager.filter(**{path: world.comp.pk})) is not None


def test_feed_pages_and_the_page_has_bounded_queries(
    world: World, things: Things, django_assert_max_num_queries: Any
) -> None:
    for i in range(60):
        post_comment(actor=world.team, obj=things.risk, body=f"comment {i}")
    rows = feed(world.pm, world.alpha, what="comments")
    page = Paginator(rows, 50).get_page(2)
    assert page.paginator.count == 60
    assert len(feed_entries(page.object_list)) == 10
    client = Client()
    client.force_login(world.pm)
    client.get("/programs/ALPHA/activity/")
    with django_assert_max_num_queries(40):
        response = client.get("/programs/ALPHA/activity/?component=" + str(world.comp.pk))
    assert response.status_code == 200
    assert "Page 1 of 2" in response.content.decode()

"""Who reads which thread: each app's own rule, reused; 404 for everyone else."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from podium.accounts.services import set_active
from podium.discussions.targets import TARGETS, can_view, get_target, kind_of, visible_kinds
from tests.conftest import World
from tests.discussions.conftest import Things, thread_path

EVERY_MEMBER = {"activity", "deliverable", "risk", "benefit"}
# kind -> roles that read it (besides the program manager and administrators)
READERS = {
    **{k: {"cm", "team", "stakeholder", "viewer"} for k in EVERY_MEMBER},
    "changerequest": {"cm", "team", "viewer"},
    "feedback": {"cm", "team", "viewer"},  # the team side; not even the submitter
    "decision": {"cm", "team", "viewer"},
}
ROLES = ["pm", "admin", "cm", "team", "stakeholder", "viewer", "outsider", "pm_b"]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("kind", sorted(TARGETS))
@pytest.mark.parametrize("role", ROLES)
def test_who_reads_each_thread(world: World, things: Things, kind: str, role: str) -> None:
    user = getattr(world, role)
    obj = things.all()[kind]
    expected = role in {"pm", "admin"} or role in READERS[kind]
    assert can_view(user, obj) is expected
    assert (kind in visible_kinds(user, world.alpha)) is expected
    response = _client(user).get(thread_path(kind, obj))
    assert response.status_code == (200 if expected else 404)


def test_a_thread_of_another_program_or_unknown_kind_is_missing(
    world: World, things: Things
) -> None:
    client = _client(world.pm)
    beta = things.beta_risk
    assert client.get(f"/programs/ALPHA/discussions/risk/{beta.pk}/").status_code == 404
    assert client.get(f"/programs/BETA/discussions/risk/{beta.pk}/").status_code == 404
    assert client.get(f"/programs/ALPHA/discussions/lesson/{beta.pk}/").status_code == 404
    assert get_target(world.alpha, "nonsense", 1) is None


def test_an_inactive_member_reads_nothing(world: World, things: Things) -> None:
    set_active(actor=world.admin, user=world.team, active=False)
    world.team.refresh_from_db()
    assert not can_view(world.team, things.risk)


@pytest.mark.parametrize("kind", sorted(TARGETS))
def test_every_kind_links_to_its_own_page_with_a_label(
    world: World, things: Things, kind: str
) -> None:
    obj = things.all()[kind]
    target = TARGETS[kind]
    assert kind_of(obj) == kind
    assert target.label(obj)
    assert _client(world.pm).get(target.url(obj)).status_code == 200
    assert target.components(obj) == [world.comp.pk]

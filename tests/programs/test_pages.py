"""Server-rendered pages: what each role sees, errors, security headers, query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from podium.programs import services
from tests.conftest import World, make_user


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_require_sign_in(world: World) -> None:
    response = Client().get("/programs/ALPHA/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_overview_shows_phase_components_members_and_recent_changes(world: World) -> None:
    page = client_for(world.stakeholder).get("/programs/ALPHA/").content.decode()
    assert "Alpha program" in page and "Formulation" in page
    assert "First component" in page
    assert "Members" in page and "stakeholder" in page
    assert "Recent changes" in page and "created" in page
    assert "Move the program" not in page  # a stakeholder cannot move it


def test_other_programs_are_404_and_forbidden_edits_403(world: World) -> None:
    stakeholder = client_for(world.stakeholder)
    assert stakeholder.get("/programs/BETA/").status_code == 404
    assert stakeholder.get("/programs/NOPE/").status_code == 404
    assert stakeholder.get(f"/programs/BETA/components/{world.comp_b.pk}/").status_code == 404
    assert stakeholder.get("/programs/ALPHA/edit/").status_code == 403
    response = stakeholder.post(
        "/programs/ALPHA/transition/", {"target": "planning", "reason": "sneaky"}
    )
    assert response.status_code == 403
    # a component of BETA addressed through ALPHA's URL is not found either
    pm = client_for(world.pm)
    assert pm.get(f"/programs/ALPHA/components/{world.comp_b.pk}/").status_code == 404


def test_security_headers(world: World) -> None:
    response = client_for(world.pm).get("/programs/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_program_page_edit_with_stale_version_shows_the_conflict(world: World) -> None:
    pm = client_for(world.pm)
    services.update_program(actor=world.admin, program=world.alpha, expected_version=1, vision="v")
    response = pm.post(
        "/programs/ALPHA/edit/", {"name": "Stale edit", "currency": "EUR", "version": "1"}
    )
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    world.alpha.refresh_from_db()
    assert world.alpha.name == "Alpha program"


def test_transition_from_the_page_records_the_reason(world: World) -> None:
    pm = client_for(world.pm)
    response = pm.post(
        "/programs/ALPHA/transition/",
        {"target": "planning", "reason": "Charter signed", "version": "1"},
        follow=True,
    )
    page = response.content.decode()
    assert "ALPHA moved to planning" in page
    history = pm.get("/programs/ALPHA/history/").content.decode()
    assert "Charter signed" in history and "formulation" in history and "planning" in history


def test_refused_transition_shows_why(world: World) -> None:
    response = client_for(world.pm).post(
        "/programs/ALPHA/transition/", {"target": "delivery", "reason": "hurry"}, follow=True
    )
    assert "it can move to planning, closure, not to delivery" in response.content.decode()


def test_empty_states(world: World) -> None:
    newcomer = client_for(make_user("newcomer"))
    assert "not part of any program yet" in newcomer.get("/programs/").content.decode()
    admin = client_for(world.admin)
    filtered = admin.get("/programs/?q=zzz").content.decode()
    assert "No program matches" in filtered


@pytest.mark.parametrize(
    "url",
    [
        "/programs/",
        "/programs/ALPHA/",
        "/programs/ALPHA/components/",
        "/programs/ALPHA/members/",
        "/programs/ALPHA/history/",
    ],
)
def test_pages_do_not_grow_queries_with_size(
    world: World, url: str, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        services.create_component(
            actor=world.pm,
            program=world.alpha,
            code=f"X{i:02d}",
            name=f"Extra {i}",
            manager=world.cm,
        )
        user = make_user(f"member{i}")
        services.add_member(actor=world.pm, program=world.alpha, user=user, role="viewer")
    client = client_for(world.pm)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


def test_component_page_offers_only_allowed_moves(world: World) -> None:
    page = client_for(world.cm).get(f"/programs/ALPHA/components/{world.comp.pk}/").content
    assert b"Change status" not in page  # proposed: only the program manager may act
    page = client_for(world.pm).get(f"/programs/ALPHA/components/{world.comp.pk}/").content
    assert b"Authorized" in page and b"Cancelled" in page

"""The JSON API as a client sees it: documents, lists, field errors, creation."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from podium.programs import services
from tests.conftest import World


def test_openapi_document_is_valid_openapi_3(db: Any) -> None:
    from openapi_spec_validator import validate

    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    assert "/api/v1/programs" in paths and "/api/v1/components/{component_id}" in paths
    # every operation requires credentials
    operations = [op for item in paths.values() for op in item.values()]
    assert operations and all(op.get("security") for op in operations)


def test_interactive_docs_page_uses_vendored_files(db: Any) -> None:
    page = Client().get("/api/docs")
    assert page.status_code == 200
    assert b"/static/ninja/swagger-ui-bundle.js" in page.content
    assert b"cdn" not in page.content.lower()


def test_list_is_paginated_filtered_and_sorted(world: World, api_as: Any) -> None:
    for i in range(7):
        services.create_program(actor=world.admin, code=f"P{i:02d}", name=f"Program {6 - i}")
    client = api_as(world.admin)

    page = client.get("/programs?page_size=3&page=2&sort=code").json()
    assert page["count"] == 9
    assert [p["code"] for p in page["items"]] == ["P01", "P02", "P03"]

    by_name = client.get("/programs?sort=-name&q=program%206").json()
    assert [p["code"] for p in by_name["items"]] == ["P00"]

    definition = client.get("/programs?phase=definition&page_size=100").json()
    assert definition["count"] == 9
    assert client.get("/programs?phase=delivery").json()["count"] == 0


def test_create_component_with_field_errors(world: World, api_as: Any) -> None:
    client = api_as(world.pm)
    bad = client.post(
        "/programs/ALPHA/components",
        {"code": "lower", "name": "", "kind": "castle", "manager": "nobody"},
    )
    assert bad.status_code == 422
    errors = bad.json()["errors"]
    assert {"name", "kind"} <= set(errors)

    unknown_manager = client.post(
        "/programs/ALPHA/components", {"code": "C9", "name": "Nine", "manager": "nobody"}
    )
    assert unknown_manager.status_code == 422
    assert unknown_manager.json()["errors"] == {"manager": ["No user named 'nobody'."]}

    bad_code = client.post("/programs/ALPHA/components", {"code": "9 bad", "name": "Nine"})
    assert bad_code.status_code == 422 and "code" in bad_code.json()["errors"]

    created = client.post(
        "/programs/ALPHA/components",
        {"code": "C9", "name": "Nine", "kind": "operations", "manager": "cm"},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["kind"], body["status"], body["manager"]) == ("operations", "proposed", "cm")
    assert created["ETag"] == '"1"'

    dup = client.post("/programs/ALPHA/components", {"code": "C9", "name": "Again"})
    assert dup.status_code == 422 and "already exists" in str(dup.json()["errors"])


def test_transition_refusal_is_409_with_the_reason(world: World, api_as: Any) -> None:
    response = api_as(world.pm).post(
        "/programs/ALPHA/transitions", {"target": "closed", "reason": "done"}
    )
    assert response.status_code == 409
    assert (
        "in formulation; it can move to planning, closure, not to closed"
        in (response.json()["detail"])
    )


def test_members_can_be_added_and_their_role_changed(world: World, api_as: Any) -> None:
    client = api_as(world.pm)
    added = client.post("/programs/ALPHA/members", {"user": "outsider", "role": "stakeholder"})
    assert added.status_code == 201
    changed = client.patch(
        f"/memberships/{added.json()['id']}", {"role": "team_member"}, **{"If-Match": '"1"'}
    )
    assert changed.status_code == 200 and changed.json()["role"] == "team_member"
    roles = {m["user"]: m["role"] for m in client.get("/programs/ALPHA/members").json()["items"]}
    assert roles["outsider"] == "team_member"
    again = client.post("/programs/ALPHA/members", {"user": "outsider", "role": "viewer"})
    assert again.status_code == 422


@pytest.mark.parametrize(
    "header", ["Bearer pdm_not-a-token", "Bearer ", "Basic cG06cGFzcw==", "pdm_x"]
)
def test_bad_credentials_are_401(world: World, header: str) -> None:
    response = Client().get("/api/v1/programs", headers={"Authorization": header})
    assert response.status_code == 401


def test_session_writes_need_the_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.pm)
    assert client.get("/api/v1/programs/ALPHA").status_code == 200
    response = client.patch(
        "/api/v1/programs/ALPHA", data='{"name": "x"}', content_type="application/json"
    )
    assert response.status_code == 403

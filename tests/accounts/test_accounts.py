"""Passwords, tokens and sign-in throttling."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.test import Client, override_settings

from podium.accounts.models import ApiToken
from podium.accounts.services import (
    authenticate_token,
    create_token,
    create_user,
    revoke_token,
)
from podium.core.errors import ValidationFailed
from tests.conftest import PASSWORD, World


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1x", "too short"),
        ("password123", "too common"),
        ("1234567890123", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused(db: Any, password: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        create_user(actor=None, username="someone", password=password)
    assert message in " ".join(err.value.errors["password"])


def test_production_hashing_is_argon2() -> None:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"]):
        encoded = make_password("a-long-passphrase")
        assert encoded.startswith("argon2$")
        assert check_password("a-long-passphrase", encoded)


def test_token_is_stored_hashed_and_can_be_revoked(world: World) -> None:
    token, raw = create_token(actor=world.pm, user=world.pm, name="laptop")
    assert raw not in {t.digest for t in ApiToken.objects.all()}
    assert authenticate_token(raw) == world.pm
    revoke_token(actor=world.pm, token_id=token.pk)
    assert authenticate_token(raw) is None
    assert authenticate_token("pdm_forged") is None


def test_expired_token_is_refused(world: World) -> None:
    token, raw = create_token(actor=None, user=world.pm, days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at="2000-01-01T00:00:00Z")
    assert authenticate_token(raw) is None


def test_login_is_throttled_after_repeated_failures(world: World) -> None:
    client = Client()
    statuses = [
        client.post("/login/", {"username": "pm", "password": "wrong-password-1"}).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks the account
    locked = client.post("/login/", {"username": "pm", "password": PASSWORD})
    assert locked.status_code == 429
    assert b"Too many failed sign-ins" in locked.content


def test_login_with_the_right_password_reaches_the_programs(world: World) -> None:
    client = Client()
    response = client.post("/login/", {"username": "pm", "password": PASSWORD}, follow=True)
    assert response.request["PATH_INFO"] == "/programs/"
    assert b"ALPHA" in response.content


def test_admin_creates_users_through_the_api(world: World, api_as: Any) -> None:
    admin = api_as(world.admin)
    weak = admin.post("/users", {"username": "newbie", "password": "short"})
    assert weak.status_code == 422 and "password" in weak.json()["errors"]
    created = admin.post(
        "/users", {"username": "newbie", "password": "a-long-passphrase", "display_name": "New B"}
    )
    assert created.status_code == 201
    assert created.json() == {
        "id": created.json()["id"], "username": "newbie", "display_name": "New B",
        "is_administrator": False,
    }  # fmt: skip
    taken = admin.post("/users", {"username": "NEWBIE", "password": "a-long-passphrase"})
    assert taken.status_code == 422 and "username" in taken.json()["errors"]
    refused = api_as(world.pm).post("/users", {"username": "x2", "password": "a-long-passphrase"})
    assert refused.status_code == 403


def test_user_directory_lists_names_without_emails(world: World, api_as: Any) -> None:
    listing = api_as(world.stakeholder).get("/users?q=pm").json()
    assert [u["username"] for u in listing["items"]] == ["pm", "pm_b"]
    assert "email" not in listing["items"][0]


def test_users_page_is_for_administrators(world: World) -> None:
    admin = Client()
    admin.force_login(world.admin)
    response = admin.post(
        "/users/",
        {"username": "fresh", "password": "a-long-passphrase", "display_name": "Fresh"},
        follow=True,
    )
    assert "User fresh created." in response.content.decode()
    pm = Client()
    pm.force_login(world.pm)
    assert pm.get("/users/").status_code == 403

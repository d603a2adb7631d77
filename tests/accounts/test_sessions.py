"""Session expiry (idle and absolute), rotation at sign-in, revocation."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from podium.accounts.middleware import AUTH_AT, SEEN_AT
from podium.accounts.models import ApiToken
from podium.accounts.services import authenticate_token, create_token
from tests.conftest import PASSWORD, World

NEW_PASSWORD = "another-long-passphrase-7"


def signed_in(username: str, password: str = PASSWORD) -> Client:
    client = Client()
    response = client.post("/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content
    return client


def shift(client: Client, **stamps: float) -> None:
    """Move the session's stored times (seconds since the epoch)."""
    session = client.session
    for key, value in stamps.items():
        session[{"seen_at": SEEN_AT, "auth_at": AUTH_AT}[key]] = value
    session.save()


def test_idle_and_absolute_limits() -> None:
    assert 0 < settings.SESSION_IDLE_SECONDS <= 120 * 60
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_SECONDS
    assert settings.SESSION_MAX_SECONDS == 12 * 3600


def test_a_session_idle_too_long_is_signed_out(world: World) -> None:
    client = signed_in("pm")
    now = time.time()
    shift(client, seen_at=now - settings.SESSION_IDLE_SECONDS + 120)
    assert client.get("/programs/").status_code == 200  # still within the idle limit...
    assert client.session[SEEN_AT] > now - 5  # ...and the request counts as activity
    shift(client, seen_at=time.time() - settings.SESSION_IDLE_SECONDS - 1)
    response = client.get("/programs/", follow=True)
    assert response.request["PATH_INFO"] == "/login/"
    assert "signed out after a period without activity" in response.content.decode()
    assert client.get("/api/v1/me").status_code == 401


def test_a_busy_session_still_ends_at_the_absolute_limit(world: World) -> None:
    client = signed_in("pm")
    now = time.time()
    shift(client, auth_at=now - settings.SESSION_MAX_SECONDS + 60, seen_at=now)
    assert client.get("/programs/").status_code == 200
    shift(client, auth_at=now - settings.SESSION_MAX_SECONDS - 1, seen_at=now)
    response = client.get("/programs/", follow=True)
    assert response.request["PATH_INFO"] == "/login/"
    assert "maximum length" in response.content.decode()


def test_the_session_key_changes_at_sign_in(world: World) -> None:
    client = Client()
    session = client.session  # an anonymous session, e.g. planted by an attacker
    session["planted"] = True
    session.save()
    before = session.session_key
    assert client.post("/login/", {"username": "pm", "password": PASSWORD}).status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_changing_the_password_signs_out_the_other_sessions(world: World) -> None:
    here, elsewhere = signed_in("pm"), signed_in("pm")
    _, raw = create_token(actor=None, user=world.pm, name="script")
    response = here.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password": NEW_PASSWORD,
         "new_password_again": NEW_PASSWORD, "revoke_tokens": "on"},
        follow=True,
    )  # fmt: skip
    assert "your other sessions are signed out" in response.content.decode()
    assert here.get("/programs/").status_code == 200  # this browser stays signed in
    assert elsewhere.get("/programs/").status_code == 302  # the other one is out
    assert elsewhere.get("/api/v1/me").status_code == 401
    assert authenticate_token(raw) is None  # revoked as asked


def test_tokens_survive_a_password_change_when_asked(world: World) -> None:
    client = signed_in("pm")
    _, raw = create_token(actor=None, user=world.pm, name="ci")
    client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password": NEW_PASSWORD,
         "new_password_again": NEW_PASSWORD},
    )  # fmt: skip
    assert authenticate_token(raw) == world.pm


def test_a_wrong_current_password_changes_nothing(world: World) -> None:
    client = signed_in("pm")
    response = client.post(
        "/account/password/",
        {"old_password": "not-it-at-all", "new_password": NEW_PASSWORD,
         "new_password_again": NEW_PASSWORD},
    )  # fmt: skip
    assert "This is not your current password." in response.content.decode()
    world.pm.refresh_from_db()
    assert world.pm.check_password(PASSWORD)


def test_deactivating_a_user_ends_their_sessions_and_tokens(world: World, api_as: Any) -> None:
    first, second = signed_in("pm"), signed_in("pm")
    api = api_as(world.pm)
    assert api.get("/me").status_code == 200
    admin = Client()
    admin.force_login(world.admin)
    response = admin.post(f"/users/{world.pm.pk}/active/", {"active": "0"}, follow=True)
    assert "User pm deactivated." in response.content.decode()
    assert first.get("/programs/").status_code == 302
    assert second.get("/api/v1/me").status_code == 401
    assert api.get("/me").status_code == 401
    assert not ApiToken.objects.filter(user=world.pm, revoked_at__isnull=True).exists()
    pm_sessions = [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(world.pm.pk)
    ]
    assert pm_sessions == []
    assert Client().post("/login/", {"username": "pm", "password": PASSWORD}).status_code == 200
    # reactivated, the user signs in again; the old tokens stay revoked
    admin.post(f"/users/{world.pm.pk}/active/", {"active": "1"})
    assert signed_in("pm").get("/programs/").status_code == 200
    assert api.get("/me").status_code == 401


def test_only_administrators_deactivate_and_not_themselves(world: World) -> None:
    pm = Client()
    pm.force_login(world.pm)
    assert pm.post(f"/users/{world.team.pk}/active/", {"active": "0"}).status_code == 403
    admin = Client()
    admin.force_login(world.admin)
    response = admin.post(f"/users/{world.admin.pk}/active/", {"active": "0"}, follow=True)
    assert "You cannot deactivate yourself." in response.content.decode()
    world.admin.refresh_from_db()
    assert world.admin.is_active

"""Two-factor sign-in: set-up, the second step, replay, recovery codes, requiring it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pyotp
import pytest
from django.conf import settings
from django.test import Client, override_settings

from podium.accounts import twofactor
from podium.accounts.models import RecoveryCode, TotpDevice, User, hash_token
from podium.accounts.services import confirm_totp, start_totp
from tests.conftest import PASSWORD, World

NOON = datetime(2026, 3, 2, 12, 0, 0, tzinfo=UTC)


def signed_in(username: str) -> Client:
    client = Client()
    assert client.post("/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def enroll(user: User) -> tuple[str, list[str]]:
    """Turn two-factor sign-in on for ``user``; the secret and the recovery codes."""
    device = start_totp(user=user)
    codes = confirm_totp(user=user, code=pyotp.TOTP(device.secret).now())
    TotpDevice.objects.filter(pk=device.pk).update(last_step=0)  # let tests use "now" again
    return device.secret, codes


def code_at(secret: str, step_offset: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(datetime.now(UTC)) + step_offset)


def test_codes_of_the_neighbouring_steps_only() -> None:
    secret = twofactor.new_secret()
    totp = pyotp.TOTP(secret)
    now = totp.timecode(NOON)
    for offset, accepted in ((-2, False), (-1, True), (0, True), (1, True), (2, False)):
        found = twofactor.matching_step(secret, totp.generate_otp(now + offset), NOON, 0)
        assert (found == now + offset) is accepted, offset
    current = totp.generate_otp(now)
    assert twofactor.matching_step(secret, current, NOON, now) is None  # used: no replay
    assert twofactor.matching_step(secret, "12345", NOON, 0) is None
    assert twofactor.matching_step(secret, "abcdef", NOON, 0) is None


def test_setting_it_up_shows_secret_uri_and_qr_then_recovery_codes(world: World) -> None:
    client = signed_in("pm")
    page = client.get("/account/two-factor/").content.decode()
    device = TotpDevice.objects.get(user=world.pm)
    assert device.confirmed_at is None
    assert " ".join(re.findall(".{4}", device.secret)) in page
    assert "otpauth://totp/Podium:pm?secret=" in page
    assert 'src="/account/two-factor/qr.svg"' in page
    qr = client.get("/account/two-factor/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content and b"<script" not in qr.content and b"style=" not in qr.content

    wrong = client.post("/account/two-factor/", {"code": "000000"}).content.decode()
    assert "This code does not match" in wrong
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    done = client.post("/account/two-factor/", {"code": code_at(device.secret)})
    codes = re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", done.content.decode())
    assert len(codes) == 10
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != key  # rotated
    device.refresh_from_db()
    assert device.confirmed_at is not None
    stored = set(RecoveryCode.objects.filter(user=world.pm).values_list("digest", flat=True))
    assert stored == {hash_token(c) for c in codes}  # hashed, never the codes themselves
    assert client.get("/account/two-factor/qr.svg").status_code == 404  # no second look
    assert (
        "Two-factor sign-in: <strong>on</strong>" in client.get("/account/tokens/").content.decode()
    )


def test_sign_in_asks_for_the_code_after_the_password(world: World, api_as: Any) -> None:
    secret, _ = enroll(world.pm)
    client = Client()
    response = client.post(
        "/login/", {"username": "pm", "password": PASSWORD, "next": "/programs/BETA/"}
    )
    assert response.status_code == 302
    landing = client.get(response["Location"])
    assert landing.status_code == 302
    assert landing["Location"].startswith("/account/two-factor/verify/?next=")
    assert client.get("/account/tokens/")["Location"].startswith("/account/two-factor/verify/")
    assert client.get("/api/v1/me").status_code == 401  # the half-signed-in session
    assert api_as(world.pm).get("/me").status_code == 200  # bearer tokens are not affected

    form = client.get(landing["Location"]).content.decode()
    assert "<h1>Enter your code</h1>" in form
    wrong = client.post(
        "/account/two-factor/verify/", {"code": "000000", "next": "/account/tokens/"}
    )
    assert "This code is wrong or was already used." in wrong.content.decode()
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    right = client.post(
        "/account/two-factor/verify/", {"code": code_at(secret), "next": "/account/tokens/"}
    )
    assert right.status_code == 302 and right["Location"] == "/account/tokens/"
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != key  # rotated again
    assert client.get("/account/tokens/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200


def test_a_code_cannot_be_used_twice(world: World) -> None:
    secret, _ = enroll(world.pm)
    code = code_at(secret)
    first = signed_in("pm")
    assert first.post("/account/two-factor/verify/", {"code": code}).status_code == 302
    second = signed_in("pm")
    replay = second.post("/account/two-factor/verify/", {"code": code})
    assert "already used" in replay.content.decode()
    assert second.get("/programs/").status_code == 302


def test_the_verify_page_refuses_to_send_you_elsewhere(world: World) -> None:
    secret, _ = enroll(world.pm)
    client = signed_in("pm")
    response = client.post(
        "/account/two-factor/verify/", {"code": code_at(secret), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/programs/"


def test_a_recovery_code_works_once(world: World) -> None:
    _, codes = enroll(world.pm)
    client = signed_in("pm")
    response = client.post(
        "/account/two-factor/verify/", {"code": codes[0].upper().replace("-", " ")}, follow=True
    )
    assert "Recovery code used; 9 left." in response.content.decode()
    again = signed_in("pm").post("/account/two-factor/verify/", {"code": codes[0]})
    assert "already used" in again.content.decode()


def test_wrong_codes_pause_the_second_step(world: World) -> None:
    secret, _ = enroll(world.pm)
    client = signed_in("pm")
    for _ in range(5):
        client.post("/account/two-factor/verify/", {"code": "000000"})
    paused = client.post("/account/two-factor/verify/", {"code": code_at(secret)})
    assert "Too many wrong codes" in paused.content.decode()
    assert client.get("/programs/").status_code == 302


def test_turning_it_off_takes_password_and_code(world: World) -> None:
    secret, _ = enroll(world.pm)
    client = signed_in("pm")
    client.post("/account/two-factor/verify/", {"code": code_at(secret)})
    bad = client.post(
        "/account/two-factor/disable/",
        {"password": "not-my-password", "code": code_at(secret, 1)},
        follow=True,
    )
    assert "This is not your password." in bad.content.decode()
    assert TotpDevice.objects.filter(user=world.pm).exists()
    ok = client.post(
        "/account/two-factor/disable/", {"password": PASSWORD, "code": code_at(secret, 1)},
        follow=True,
    )  # fmt: skip
    assert "Two-factor sign-in is off." in ok.content.decode()
    assert not TotpDevice.objects.filter(user=world.pm).exists()
    assert not RecoveryCode.objects.filter(user=world.pm).exists()
    assert signed_in("pm").get("/programs/").status_code == 200  # the password alone again


def test_new_recovery_codes_replace_the_old_ones(world: World) -> None:
    secret, old = enroll(world.pm)
    client = signed_in("pm")
    client.post("/account/two-factor/verify/", {"code": code_at(secret)})
    page = client.post("/account/two-factor/recovery-codes/", {"password": PASSWORD})
    new = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", page.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert not RecoveryCode.objects.filter(digest=hash_token(old[0])).exists()


@override_settings(PODIUM_REQUIRE_2FA=True)
def test_when_required_users_must_set_it_up_first(world: World, api_as: Any) -> None:
    client = signed_in("team")
    for path in ("/programs/", "/account/tokens/", "/account/password/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/account/two-factor/?next="), path
    assert client.get("/api/v1/me").status_code == 401
    assert api_as(world.team).get("/me").status_code == 200  # bearer tokens still work
    page = client.get("/account/two-factor/").content.decode()
    assert "Two-factor sign-in is required on this site." in page
    assert client.get("/account/two-factor/qr.svg").status_code == 200
    secret = TotpDevice.objects.get(user=world.team).secret
    client.post("/account/two-factor/", {"code": code_at(secret)})
    assert client.get("/programs/").status_code == 200
    # and it cannot be turned off
    refused = client.post(
        "/account/two-factor/disable/", {"password": PASSWORD, "code": code_at(secret, 1)}
    )
    assert refused.status_code == 403
    assert TotpDevice.objects.filter(user=world.team, confirmed_at__isnull=False).exists()


def test_an_administrator_resets_a_lost_authenticator(world: World) -> None:
    enroll(world.pm)
    admin = Client()
    admin.force_login(world.admin)
    listing = admin.get("/users/?q=pm").content.decode()
    assert "Reset two-factor" in listing
    response = admin.post(f"/users/{world.pm.pk}/reset-two-factor/", follow=True)
    assert "Two-factor sign-in of pm reset." in response.content.decode()
    assert not TotpDevice.objects.filter(user=world.pm).exists()
    pm = Client()
    pm.force_login(world.pm)
    assert pm.post(f"/users/{world.team.pk}/reset-two-factor/").status_code == 403


@pytest.mark.parametrize("path", ["/account/two-factor/", "/account/password/"])
def test_account_pages_need_sign_in(db: Any, path: str) -> None:
    assert Client().get(path)["Location"].startswith("/login/")

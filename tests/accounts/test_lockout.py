"""Sign-in throttling: separate limits per account and per address, and the cool-off."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F
from django.test import Client

from tests.conftest import PASSWORD, World

ACCOUNT_LIMIT = settings.AXES_FAILURE_LIMIT
ADDRESS_LIMIT = settings.PODIUM_LOGIN_ADDRESS_FAILURE_LIMIT


def sign_in(address: str, username: str, password: str = "wrong-password-1") -> int:
    client = Client(REMOTE_ADDR=address)
    return client.post("/login/", {"username": username, "password": password}).status_code


def test_the_limits_are_per_account_and_higher_per_address() -> None:
    assert (ACCOUNT_LIMIT, ADDRESS_LIMIT) == (5, 20)
    assert settings.AXES_COOLOFF_TIME * 60 == 15  # minutes


def test_failures_for_one_account_from_many_addresses_lock_it(world: World) -> None:
    statuses = [sign_in(f"10.0.0.{n}", "pm") for n in range(1, ACCOUNT_LIMIT + 1)]
    assert statuses == [200] * (ACCOUNT_LIMIT - 1) + [429]
    # the right password from yet another address is refused too...
    assert sign_in("10.0.0.99", "pm", PASSWORD) == 429
    # ...while another account signs in from those addresses
    assert sign_in("10.0.0.1", "team", PASSWORD) == 302


def test_failures_on_many_accounts_from_one_address_lock_the_address(world: World) -> None:
    statuses = [sign_in("10.1.1.1", f"guess{n}") for n in range(ADDRESS_LIMIT)]
    assert statuses == [200] * (ADDRESS_LIMIT - 1) + [429]
    assert sign_in("10.1.1.1", "pm", PASSWORD) == 429  # every account, from that address
    assert sign_in("10.1.1.2", "pm", PASSWORD) == 302  # other addresses are not affected


def test_signing_in_to_ones_own_account_does_not_clear_the_address(world: World) -> None:
    for n in range(ADDRESS_LIMIT - 1):
        assert sign_in("10.2.2.2", f"guess{n}") == 200
    assert sign_in("10.2.2.2", "outsider", PASSWORD) == 302
    assert sign_in("10.2.2.2", "guess-last") == 429


def test_the_lockout_page_says_what_happened_and_for_how_long(world: World) -> None:
    for _ in range(ACCOUNT_LIMIT):
        sign_in("10.3.3.3", "pm")
    page = Client(REMOTE_ADDR="10.3.3.4").post("/login/", {"username": "pm", "password": PASSWORD})
    text = page.content.decode()
    assert page.status_code == 429
    assert "<h1>Too many failed sign-ins</h1>" in text
    assert "paused for 15 minutes" in text
    assert "Even the right password is refused" in text
    assert PASSWORD not in text


def test_the_lock_ends_after_the_cool_off(world: World) -> None:
    for n in range(ACCOUNT_LIMIT):
        sign_in(f"10.4.4.{n}", "pm")
    assert sign_in("10.4.4.200", "pm", PASSWORD) == 429
    # 14 minutes later: still locked
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=14))
    assert sign_in("10.4.4.200", "pm", PASSWORD) == 429
    # that refused attempt counted as one more failure, restarting the pause: 16 minutes on
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    assert sign_in("10.4.4.200", "pm", PASSWORD) == 302
    assert not AccessAttempt.objects.filter(username="pm").exists()  # cleared on success


def test_a_success_clears_the_accounts_own_failures(world: World) -> None:
    for _ in range(ACCOUNT_LIMIT - 1):
        sign_in("10.5.5.5", "pm")
    assert sign_in("10.5.5.5", "pm", PASSWORD) == 302
    assert sign_in("10.5.5.5", "pm") == 200  # counting starts again


def test_the_address_comes_from_the_trusted_proxy_only(world: World, settings: object) -> None:
    from django.test import RequestFactory

    from podium.accounts.lockout import client_ip

    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    assert client_ip(request) == "10.9.9.9"  # no proxy configured: the header is ignored
    settings.PODIUM_PROXY_COUNT = 1  # type: ignore[attr-defined]
    assert client_ip(request) == "203.0.113.7"  # the address the proxy saw, not a forged one

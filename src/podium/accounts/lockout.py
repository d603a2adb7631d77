"""Sign-in throttling (django-axes): separate limits per account and per address.

Axes compares one failure count with ``AXES_FAILURE_LIMIT``. This handler counts the
recent failures for the account (any address) and from the address (any account) and
scales the second onto the first, so either limit on its own locks: with 5 per account
and 20 per address, 5 failures for ``pm`` or 20 failures from one address both lock.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

__all__ = ["PodiumAxesHandler", "client_ip", "lockout_response"]


def _sum(attempts: Any) -> int:
    return int(attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0)


class PodiumAxesHandler(AxesDatabaseHandler):
    """Axes' database handler with a per-account and a (higher) per-address limit."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        by_account = _sum(recent.filter(username=username)) if username else 0
        by_address = _sum(recent.filter(ip_address=request.axes_ip_address))  # type: ignore[attr-defined]
        account_limit = int(settings.AXES_FAILURE_LIMIT)
        address_limit = max(1, int(settings.PODIUM_LOGIN_ADDRESS_FAILURE_LIMIT))
        return max(by_account, by_address * account_limit // address_limit)

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        """A successful sign-in clears the account's own failures only: signing in to an
        account one owns must not wipe the address's failures on other accounts."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return int(count)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or behind ``PODIUM_PROXY_COUNT`` trusted
    reverse proxies the address the outermost of them saw (X-Forwarded-For, from the
    right, so a client cannot forge it)."""
    proxies = int(getattr(settings, "PODIUM_PROXY_COUNT", 0))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-proxies] if len(hops) >= proxies else hops[0]
    return request.META.get("REMOTE_ADDR")


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page a locked-out sign-in gets (429), saying how long the pause is."""
    cool_off = get_cool_off(request)
    minutes = round(cool_off.total_seconds() / 60) if cool_off else 0
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes},
        status=int(getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429)),
    )

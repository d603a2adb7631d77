"""Session lifetime and the second sign-in step.

A signed-in session stores three things (set at sign-in by ``start_session``):

- ``podium.auth_at`` — when the password was accepted (absolute expiry counts from it);
- ``podium.seen_at`` — the last request (idle expiry counts from it; refreshed at most
  once a minute so that reads do not write the session every time);
- ``podium.mfa`` — ``"pending"`` (the user has an authenticator and has not entered a
  code yet), ``"ok"`` (code entered) or ``"none"`` (no authenticator).

API calls with a bearer token carry no session and are not affected.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

__all__ = [
    "AUTH_AT",
    "MFA",
    "SEEN_AT",
    "SecondFactorMiddleware",
    "SessionLifetimeMiddleware",
    "start_session",
]

AUTH_AT = "podium.auth_at"
SEEN_AT = "podium.seen_at"
MFA = "podium.mfa"
SEEN_RESOLUTION = 60  # seconds between two writes of ``seen_at``


def start_session(request: HttpRequest, user: Any) -> None:
    """Stamp a freshly signed-in session (``user_logged_in``)."""
    from podium.accounts.models import TotpDevice

    now = time.time()
    request.session[AUTH_AT] = now
    request.session[SEEN_AT] = now
    enrolled = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()
    request.session[MFA] = "pending" if enrolled else "none"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


class SessionLifetimeMiddleware:
    """Sign out sessions idle for ``SESSION_IDLE_SECONDS`` or older than
    ``SESSION_MAX_SECONDS`` since sign-in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if session.get(SESSION_KEY) is not None:
            now = time.time()
            auth_at = session.get(AUTH_AT)
            seen_at = session.get(SEEN_AT)
            if auth_at is None:  # a session from before these stamps existed
                session[AUTH_AT] = auth_at = now
            idle = seen_at is not None and now - seen_at > settings.SESSION_IDLE_SECONDS
            too_old = now - auth_at > settings.SESSION_MAX_SECONDS
            if idle or too_old:
                logout(request)
                if not _is_api(request):
                    messages.info(
                        request,
                        "You were signed out after a period without activity."
                        if idle
                        else "Your session reached its maximum length. Please sign in again.",
                    )
            elif seen_at is None or now - seen_at >= SEEN_RESOLUTION:
                session[SEEN_AT] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    """Until a user with an authenticator has entered a code (or, when
    ``PODIUM_REQUIRE_2FA`` is on, a user without one has set one up), the session
    reaches only that page and sign-out; everything else redirects there, and the API
    treats the session as anonymous."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if session.get(SESSION_KEY) is None:
            return self.get_response(request)
        state = session.get(MFA)
        if state is None:  # signed in before this middleware existed
            start_session(request, request.user)
            state = session[MFA]
        allowed: tuple[str, ...]
        if state == "pending":
            target, allowed = "accounts:verify", ("accounts:verify",)
        elif state == "none" and settings.PODIUM_REQUIRE_2FA:
            target, allowed = "accounts:two-factor", ("accounts:two-factor", "accounts:qr")
        else:
            return self.get_response(request)
        if request.path in {reverse(name) for name in (*allowed, "logout")}:
            return self.get_response(request)
        if _is_api(request):
            request.user = AnonymousUser()
            return self.get_response(request)
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")

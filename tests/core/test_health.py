"""``/healthz``: what a load balancer asks each app server before sending it requests."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

from podium.core.models import AuditRecord


@pytest.mark.django_db
def test_healthz_answers_without_signing_in_and_stores_nothing() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]  # a proxy must not answer for us
    assert AuditRecord.objects.count() == 0


@pytest.mark.django_db
def test_healthz_says_503_when_the_database_does_not_answer(monkeypatch: Any) -> None:
    from django.db.backends.utils import CursorWrapper

    def refuse(self: Any, sql: str, params: Any = None) -> Any:
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


@pytest.mark.django_db
def test_healthz_refuses_writes() -> None:
    assert Client().post("/healthz").status_code == 405


@pytest.mark.django_db
def test_healthz_is_not_redirected_to_https(settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True  # production: every page goes to https
    assert Client().get("/programs/").status_code == 301
    assert Client().get("/healthz").status_code == 200

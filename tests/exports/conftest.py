"""The demo (program HDT with data in every register), loaded once for the module and
rolled back afterwards; each test runs in its own savepoint inside it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from podium.accounts.models import User
from podium.demo import load_demo
from podium.programs.models import Program


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        assert load_demo() is True
        yield
        transaction.set_rollback(True)


@pytest.fixture
def hdt(demo: None, db: Any) -> Program:
    return Program.objects.get(code="HDT")


def user(username: str) -> User:
    """A fresh copy (roles are cached on the user object)."""
    return User.objects.get(username=username)


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(user(username))
    return client


def read_xlsx(content: bytes) -> Any:
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content))


def sheet_rows(content: bytes) -> tuple[list[Any], list[list[Any]]]:
    """(header, rows) of the first sheet."""
    sheet = read_xlsx(content).worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    return values[0], values[1:]

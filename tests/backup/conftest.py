"""A second database to restore and import into: a temporary SQLite file, or a temporary
PostgreSQL database on the test database's server. Migrating one takes half a minute,
so a migrated template is made once per session and copied."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections
from django.db.utils import load_backend

SECOND = "second"


def _pg_admin(settings_dict: dict[str, Any]) -> Any:
    import psycopg

    return psycopg.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        autocommit=True,
    )


def _create(name: str, template: str | None = None) -> str:
    """A new empty database (or a copy of ``template``); its NAME setting."""
    default = connections["default"].settings_dict
    if connections["default"].vendor == "postgresql":
        with _pg_admin(default) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            copy = f' TEMPLATE "{template}"' if template else ""
            admin.execute(f'CREATE DATABASE "{name}"{copy}')
        return name
    if template:
        shutil.copyfile(template, name)
    return name


def _drop(name: str) -> None:
    if connections["default"].vendor == "postgresql":
        with _pg_admin(connections["default"].settings_dict) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)


def _attach(name: str) -> str:
    default = connections["default"].settings_dict
    config = {**default, "NAME": name, "TEST": dict(default.get("TEST") or {})}
    # Registered as a connection but not in the settings: Django's test case allows
    # such dynamically created connections.
    connections[SECOND] = load_backend(config["ENGINE"]).DatabaseWrapper(config, SECOND)
    return SECOND


def _detach() -> None:
    connections[SECOND].close()
    del connections[SECOND]


def _name(tmp: Path, stem: str) -> str:
    if connections["default"].vendor == "postgresql":
        return f"podium_{stem}_{os.getpid()}"
    return str(tmp / f"{stem}.sqlite3")


@pytest.fixture(scope="session")
def migrated_template(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[str]:
    with django_db_blocker.unblock():
        name = _create(_name(tmp_path_factory.mktemp("template"), "template"))
        call_command("migrate", database=_attach(name), verbosity=0)
        if connections[SECOND].vendor == "sqlite":  # everything in the file before copying it
            with connections[SECOND].cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _detach()
        yield name
        _drop(name)


@pytest.fixture
def second_db(db: Any, migrated_template: str, tmp_path: Path) -> Iterator[str]:
    """A second database, migrated (content types and permissions only), no data."""
    name = _create(_name(tmp_path, "second"), template=migrated_template)
    try:
        yield _attach(name)
    finally:
        _detach()
        _drop(name)


@pytest.fixture
def blank_db(db: Any, tmp_path: Path) -> Iterator[str]:
    """A second database with no tables at all."""
    name = _create(_name(tmp_path, "blank"))
    try:
        yield _attach(name)
    finally:
        _detach()
        _drop(name)

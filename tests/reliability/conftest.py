"""Fixtures of the reliability tests: one Podium installation per database backend,
shared by the session (migrating one takes a while), with an administrator and token.

The PostgreSQL variant creates a temporary database ``podium_rel_<random>`` on the
server named by DATABASE_URL (when the suite runs on PostgreSQL), PODIUM_PG_URL, or
postgres://postgres@127.0.0.1:5432/postgres, and drops it afterwards. When no server
answers it is skipped with a message, except with CI=true, where that is a failure (the
convention of the Makefile's pytest-postgres). Each variant runs once per ``make test``:
the SQLite variant in the SQLite pass, the PostgreSQL one in whichever pass finds a server
(the PostgreSQL pass skips the SQLite variant, the SQLite pass the PostgreSQL one).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.harness import Instance, postgres_reachable, postgres_url


def _suite_on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def instance(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Instance]:
    backend = request.param
    server = postgres_url()
    if backend == "sqlite" and _suite_on_postgres():
        pytest.skip("the SQLite variant runs in the SQLite pass of the suite")
    if backend == "postgres" and not _suite_on_postgres():
        pytest.skip("the PostgreSQL variant runs in the PostgreSQL pass of the suite")
    if backend == "postgres" and not postgres_reachable(server):
        message = f"PostgreSQL not reachable at {server}: PostgreSQL variant skipped"
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI but {server} does not answer")
        pytest.skip(message)
    workdir: Path = tmp_path_factory.mktemp(f"podium-{backend}")
    inst = Instance(backend, workdir, server)
    try:
        inst.create()
        yield inst
    finally:
        inst.drop()

"""Every cell of the permission matrix (tests/security/permission_matrix.py): each role
× each operation with a path parameter × own/other program answers the expected status,
and a refused write leaves no audit record; plus the matrix covers exactly the API."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from podium.core.models import AuditRecord
from tests.security.conftest import Built, call, json_of, prepare
from tests.security.permission_matrix import ROLES, ROWS, WHERE, Row


@functools.cache
def api_operations() -> frozenset[tuple[str, str]]:
    import podium.config.urls  # noqa: F401  (mounts every router)
    from podium.core.api import api

    schema = api.get_openapi_schema()
    prefix = "/api/v1"
    return frozenset(
        (method.upper(), path.removeprefix(prefix))
        for path, methods in schema["paths"].items()
        for method in methods
    )


def test_matrix_covers_every_operation_with_a_path_parameter() -> None:
    operations = api_operations()
    with_parameter = {op for op in operations if "{" in op[1]}
    in_matrix = {row.operation for row in ROWS}
    assert sorted(with_parameter - in_matrix) == [], "operations missing from the matrix"
    assert sorted(in_matrix - operations) == [], "the matrix names operations that do not exist"


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_permission_row(built: Built, db: Any, row: Row) -> None:
    """The row's 16 cells, each rolled back before the next."""
    wrong = []
    for where in WHERE:
        for role in ROLES:
            expected = row.expect(role, where)
            with transaction_rolled_back():
                values = prepare(built, row, role, where)
                audits = AuditRecord.objects.count()
                response = call(built, row, role, values)
                left_trace = AuditRecord.objects.count() != audits
            if response.status_code != expected:
                wrong.append(f"{role}/{where}: {response.status_code} (expected {expected}) "
                             f"{json_of(response)}")  # fmt: skip
            elif row.method != "GET" and expected >= 400 and left_trace:
                wrong.append(f"{role}/{where}: refused ({expected}) but left an audit record")
    assert not wrong, "\n".join(wrong)


@contextlib.contextmanager
def transaction_rolled_back() -> Iterator[None]:
    """A savepoint that is always rolled back: the cell's writes vanish."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)

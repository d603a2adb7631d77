"""Every mutating operation of the API (POST, PUT, PATCH, DELETE in the OpenAPI document)
writes at least one audit record when it succeeds — called with a valid body, by a role
the permission matrix allows, in its own program. The few that legitimately write none
are listed in :data:`EXEMPT` with the reason, and must then really leave no trace."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps

from podium.core.models import AuditRecord
from tests.security.conftest import Built, call, json_of, prepare
from tests.security.permission_matrix import ROLES, ROWS, UNSCOPED_WRITES, Row, personal
from tests.security.test_permission_matrix import api_operations, transaction_rolled_back

MUTATING = {"POST", "PUT", "PATCH", "DELETE"}

# operation -> why a successful call writes no audit record
EXEMPT: dict[tuple[str, str], str] = {
    ("POST", "/notifications/{notification_id}/read"):
        "sets the read time of one's own notification: inbox state, no program data",
    ("POST", "/notifications/read-all"):
        "sets the read time of one's own notifications: inbox state, no program data",
}  # fmt: skip

PREFERRED = ["program_manager", "admin", "component_manager", "team_member", "stakeholder",
             "viewer", "non_member"]  # fmt: skip


def mutating_operations() -> list[tuple[str, str]]:
    return sorted(op for op in api_operations() if op[0] in MUTATING)


def _unscoped(op: tuple[str, str]) -> Row:
    return Row(op[0], op[1], personal(), UNSCOPED_WRITES[op])


def case_for(op: tuple[str, str]) -> tuple[Row, str]:
    """The first matrix row of ``op`` and the first role it lets succeed in its program."""
    if op in UNSCOPED_WRITES:
        return _unscoped(op), "admin"
    row = next(row for row in ROWS if row.operation == op)
    role = next(role for role in PREFERRED if 200 <= row.expect(role, "own") < 300)
    return row, role


def census() -> dict[str, int]:
    """How many rows every table holds (what a call could have written)."""
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_every_mutating_operation_has_a_case() -> None:
    in_matrix = {row.operation for row in ROWS}
    missing = [op for op in mutating_operations() if op not in in_matrix | set(UNSCOPED_WRITES)]
    assert missing == [], "mutating operations without a row to call them with"
    assert set(EXEMPT) <= set(mutating_operations()), "exemptions of operations that do not exist"


@pytest.mark.parametrize("op", mutating_operations(), ids=lambda op: f"{op[0]} {op[1]}")
def test_successful_write_is_audited(built: Built, db: Any, op: tuple[str, str]) -> None:
    row, role = case_for(op)
    assert role in ROLES
    with transaction_rolled_back():
        values = prepare(built, row, role, "own")
        audits = AuditRecord.objects.count()
        before = census() if op in EXEMPT else {}
        response = call(built, row, role, values)
        assert 200 <= response.status_code < 300, json_of(response)
        written = AuditRecord.objects.count() - audits
        if op in EXEMPT:
            assert written == 0, f"exempt ({EXEMPT[op]}) but audited: drop the exemption"
            assert census() == before, f"exempt ({EXEMPT[op]}) but it stored rows"
        else:
            assert written >= 1, (
                f"{role} succeeded ({response.status_code}) without an audit record"
            )

"""Who sees which programs, and who creates them (the program-less operations).

Every operation on one object, for every role and own/other program, is in the one
permission matrix, ``tests/security/permission_matrix.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import World
from tests.security.permission_matrix import ROLES


@pytest.mark.parametrize("role", ROLES)
def test_program_list_shows_only_own_programs(world: World, api_as: Any, role: str) -> None:
    response = api_as(world.by_role(role)).get("/programs")
    if role == "anonymous":
        assert response.status_code == 401
        return
    codes = {p["code"] for p in response.json()["items"]}
    expected = {
        "admin": {"ALPHA", "BETA"},
        "non_member": set(),
    }.get(role, {"ALPHA"})
    assert codes == expected


@pytest.mark.parametrize("role", ROLES)
def test_only_admin_creates_programs(world: World, api_as: Any, role: str) -> None:
    response = api_as(world.by_role(role)).post("/programs", {"code": "GAMMA", "name": "Gamma"})
    expected = {"anonymous": 401, "admin": 201}.get(role, 403)
    assert response.status_code == expected

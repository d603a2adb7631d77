"""Programs' own lifecycle rules, tested without the governance layer on top.

Governance registers the gate rule in :mod:`podium.programs.gates` (a forward step needs
an approved gate review); tests/governance covers that rule through the pages, the API
and the services. Here the registry is emptied so these tests exercise what programs
itself decides: allowed steps, blockers, permissions, reasons and audit records.
"""

from __future__ import annotations

from typing import Any

import pytest

from podium.programs import gates


@pytest.fixture(autouse=True)
def _programs_without_gates(monkeypatch: Any) -> None:
    monkeypatch.setattr(gates, "_HOOKS", [])
    monkeypatch.setattr(gates, "_PAGES", [])

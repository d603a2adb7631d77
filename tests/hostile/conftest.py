"""Figures of every refusal, written to $HOSTILE_FIGURES_OUT (when set) for the report."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.hostile.measure import write_figures


@pytest.fixture
def record() -> Callable[[str, str, float, float], None]:
    return write_figures

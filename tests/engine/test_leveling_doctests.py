"""The runnable examples in the leveling modules' docstrings stay true."""

import doctest
import importlib

import pytest

MODULES = [
    "podium.engine.leveling",
    "podium.engine.leveling_sgs",
    "podium.engine.leveling_cpsat",
    "podium.engine.leveling_explain",
    "podium.engine.leveling_options",
    "podium.engine.leveling_capacity",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0

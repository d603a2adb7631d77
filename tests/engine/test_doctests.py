"""The runnable examples in the engine's docstrings stay true."""

import doctest
import importlib

import pytest

MODULES = [
    "podium.engine",
    "podium.engine.calendars",
    "podium.engine.cpm",
    "podium.engine.errors",
    "podium.engine.network",
    "podium.engine.topology",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0 or name == "podium.engine"

"""The registry of register exports.

Each app's register is exported by a function that returns a header and rows for one
user in one program; :func:`register_export` adds it under a key (used in URLs:
``/programs/<code>/exports/<key>.xlsx``)::

    register_export("risks", "Risks", risk_rows, visible=lambda user, program: True)

``rows(user, program)`` must already narrow what it returns to what ``user`` may see in
``program`` (their own feedback items, no cost columns without ``can_see_costs``);
``visible(user, program)`` says whether the user may export the register at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["ALL", "Export", "Rows", "available", "exports", "get_export", "register_export"]

# (user, program) -> (header, rows)
Rows = Callable[[Any, Any], tuple[list[str], Iterable[list[Any]]]]


@dataclass(frozen=True)
class Export:
    key: str
    label: str
    rows: Rows
    visible: Callable[[Any, Any], bool]
    order: int = 50
    description: str = ""


_EXPORTS: dict[str, Export] = {}
ALL = "all"


def register_export(
    key: str,
    label: str,
    rows: Rows,
    visible: Callable[[Any, Any], bool],
    order: int = 50,
    description: str = "",
) -> None:
    """Add (or replace) the export of one register. ``key`` is used in file names and
    URLs (``all`` is taken: the workbook with every register the user may export)."""
    if key == ALL or not key.replace("-", "").isalnum():
        raise ValueError(f"Export key {key!r} must be a slug other than {ALL!r}.")
    _EXPORTS[key] = Export(key, label, rows, visible, order, description)


def exports() -> list[Export]:
    """Every registered export, in display order."""
    return sorted(_EXPORTS.values(), key=lambda e: (e.order, e.label))


def available(user: Any, program: Any) -> list[Export]:
    """The exports ``user`` may download in ``program``."""
    return [e for e in exports() if e.visible(user, program)]


def get_export(user: Any, program: Any, key: str) -> Export | None:
    """The export ``key`` when ``user`` may download it in ``program``, else None."""
    export = _EXPORTS.get(key)
    if export is None or not export.visible(user, program):
        return None
    return export

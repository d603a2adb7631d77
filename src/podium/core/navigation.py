"""The navigation later capabilities plug into.

An app adds a tab to every program's navigation from its ``AppConfig.ready``::

    register_program_tab("Schedule", "schedule:program", order=20)

The URL name is reversed with ``code=<program code>``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["ProgramTab", "program_tabs", "register_program_tab", "tabs_for"]


@dataclass(frozen=True)
class ProgramTab:
    label: str
    url_name: str
    order: int
    # (user, program) -> whether the tab shows; None: every member sees it
    visible: Callable[[Any, Any], bool] | None = None


_TABS: dict[str, ProgramTab] = {}


def register_program_tab(
    label: str, url_name: str, order: int = 50, visible: Callable[[Any, Any], bool] | None = None
) -> None:
    _TABS[url_name] = ProgramTab(label, url_name, order, visible)


def tabs_for(user: Any, program: Any) -> list[ProgramTab]:
    """The tabs ``user`` sees in ``program``'s navigation."""
    return [t for t in program_tabs() if t.visible is None or t.visible(user, program)]


def program_tabs() -> list[ProgramTab]:
    return sorted(_TABS.values(), key=lambda t: (t.order, t.label))

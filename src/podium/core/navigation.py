"""The navigation later capabilities plug into.

An app adds a tab to every program's navigation from its ``AppConfig.ready``::

    register_program_tab("Schedule", "schedule:program", order=20)

The URL name is reversed with ``code=<program code>``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ProgramTab", "program_tabs", "register_program_tab"]


@dataclass(frozen=True)
class ProgramTab:
    label: str
    url_name: str
    order: int


_TABS: dict[str, ProgramTab] = {}


def register_program_tab(label: str, url_name: str, order: int = 50) -> None:
    _TABS[url_name] = ProgramTab(label, url_name, order)


def program_tabs() -> list[ProgramTab]:
    return sorted(_TABS.values(), key=lambda t: (t.order, t.label))
